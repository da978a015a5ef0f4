#pragma once
// Tickets, their records and people as JSON, the one shape the API answers with. Customer text is
// data here: nlohmann escapes it, and nothing is built as markup.

#include "model/people.hpp"
#include "model/ticket.hpp"
#include "model/workflow.hpp"
#include "store/store.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace redress::service {
struct TicketView;
struct LetterDraft;
}  // namespace redress::service

namespace redress::api {

nlohmann::json time_json(const std::optional<TimePoint>& t);
nlohmann::json ticket_json(const Ticket& ticket);
// When the ticket's personal data was erased (docs/privacy.md), or null: the ticket's "erased_at".
nlohmann::json erased_at_json(const std::optional<TimePoint>& erased_at);
// Deadlines with what is left of them at `now` (negative when overdue).
nlohmann::json deadlines_json(const Ticket& ticket, TimePoint now);
nlohmann::json message_json(const StoredMessage& message);
nlohmann::json letter_json(const Letter& letter);
nlohmann::json action_json(const CorrectiveAction& action);
nlohmann::json note_json(const Note& note);
nlohmann::json rating_json(const Rating& rating);
nlohmann::json audit_json(const AuditEvent& event);
nlohmann::json view_json(const service::TicketView& view, TimePoint now);
// One attachment of a message or a letter: id, filename, content_type (what its bytes are),
// declared_type, size, inline, content_id, stored, refused (why not, when not stored), image (may be
// shown inline) and url (when stored).
nlohmann::json attachment_json(const store::AttachmentRecord& attachment, std::string_view ticket_number);
nlohmann::json draft_json(const service::LetterDraft& draft);
// Never the password hash.
nlohmann::json user_json(const User& user);
// Never the digest.
nlohmann::json token_json(const ApiToken& token);
nlohmann::json template_version_json(const TemplateVersion& version, bool with_text);

// The one way the API writes JSON: invalid UTF-8 from a customer's mail is replaced, not thrown on.
std::string dump(const nlohmann::json& value);

}  // namespace redress::api
