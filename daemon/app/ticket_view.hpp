#pragma once
// What `redress tickets show`, `tickets list` and `letters show` print for a person: pure text
// from values (the ticket and what the store holds about it), times in the company's zone, `now`
// passed in so that "OVERDUE" is decided here and tested without a clock.

#include "mime/letter_reader.hpp"
#include "model/people.hpp"
#include "model/ticket.hpp"
#include "model/workflow.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::app {

struct ViewOptions {
    std::string time_zone = "UTC";  // config company.time_zone
    TimePoint now{};
    std::size_t max_message_bytes = 2000;  // a message's text is cut after this, with a note
};

// Everything `tickets show` prints about one ticket.
struct TicketRecord {
    Ticket ticket;
    std::vector<StoredMessage> messages;
    std::vector<Letter> letters;
    std::vector<AuditEvent> audit;
    std::vector<CorrectiveAction> actions;
    std::vector<Note> notes;
    std::vector<Rating> ratings;
};

// The deadline the ticket must meet next: the first response while no person has answered, then
// the resolution while the ticket is open. Nullopt for a resolved or closed ticket, or one without
// deadlines.
struct NearestDeadline {
    std::string name;  // "first response", "resolution"
    TimePoint due{};
    bool overdue = false;  // due before `now`
};
std::optional<NearestDeadline> nearest_deadline(const Ticket& ticket, TimePoint now);

// `text` with `indent` before every line; cut (at a character boundary) after `max_bytes`, with a
// line that says how much was left out.
std::string indented(std::string_view text, std::string_view indent, std::size_t max_bytes);

std::string ticket_text(const TicketRecord& record, const ViewOptions& options);
// The parts of ticket_text, each a titled section ("" when there is nothing to say).
std::string messages_text(const std::vector<StoredMessage>& messages, const ViewOptions& options);
std::string letters_text(const std::vector<Letter>& letters, const ViewOptions& options);
std::string actions_text(const std::vector<CorrectiveAction>& actions, const ViewOptions& options);
std::string notes_text(const std::vector<Note>& notes, const ViewOptions& options);
std::string ratings_text(const std::vector<Rating>& ratings, const ViewOptions& options);
std::string history_text(const std::vector<AuditEvent>& audit, const ViewOptions& options);

// The table `tickets list` prints: a header line, one line a ticket.
std::string ticket_table(const std::vector<Ticket>& tickets, const ViewOptions& options);

// One outbox letter: decoded headers and body for email (`readable`), the text for chat.
std::string letter_text(const Letter& letter, const mime::ReadableLetter* readable, const ViewOptions& options);
nlohmann::json letter_json(const Letter& letter, const mime::ReadableLetter* readable);

}  // namespace redress::app
