#pragma once
// One customer across channels (docs/customers.md): a record with the identities that prove who wrote
// (an email address, a phone number, a chat user), the identities the customer merely mentioned
// (suggestions for staff), and the merge of two records into one, kept as a pointer so it can be undone.
// Plain types: the rules (what is verified, how a value is normalised, what may be merged) are in
// daemon/tickets/customers.hpp; the store keeps them.

#include "common/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress {

enum class IdentityKind { email, phone, chat };

inline std::string_view to_string(IdentityKind kind)
{
    switch (kind) {
    case IdentityKind::email:
        return "email";
    case IdentityKind::phone:
        return "phone";
    case IdentityKind::chat:
        return "chat";
    }
    return "email";
}

inline std::optional<IdentityKind> identity_kind_from_string(std::string_view text)
{
    if (text == "email")
        return IdentityKind::email;
    if (text == "phone")
        return IdentityKind::phone;
    if (text == "chat")
        return IdentityKind::chat;
    return std::nullopt;
}

// An identity as a message or a person claims it: normalised (tickets::normalise_identity), with
// where it came from ("mail from", "chat user", "message text", "chat contact", "web form", ...).
struct IdentityClaim {
    IdentityKind kind = IdentityKind::email;
    std::string value;
    std::string source;
};

// A verified identity of one customer record: a message came from it, or a person linked it.
// Each (kind, value) belongs to one record at most.
struct CustomerIdentity {
    std::int64_t id = 0;
    std::int64_t customer_id = 0;
    IdentityKind kind = IdentityKind::email;
    std::string value;
    std::string verified_by;  // "mail", "chat", "backfill", or "staff:<login name>"
    TimePoint added_at{};
};

enum class SuggestionState { open, accepted };

// An identity a customer mentioned (an address in the text, a Slack profile's email, a contact typed
// into a chat or a public form): shown to staff, linked only when a person accepts it.
struct IdentitySuggestion {
    std::int64_t id = 0;
    std::int64_t customer_id = 0;
    IdentityKind kind = IdentityKind::email;
    std::string value;
    std::string source;
    std::optional<std::int64_t> ticket_id;
    std::optional<std::int64_t> message_id;
    TimePoint at{};
    SuggestionState state = SuggestionState::open;
    std::string decided_by;
    std::optional<TimePoint> decided_at;
};

// A customer record. A merged record keeps its identities and tickets and points to the record it
// was merged into; undoing the merge clears the pointer, which restores exactly the split before.
struct CustomerRecord {
    std::int64_t id = 0;
    std::string name;
    TimePoint created_at{};
    std::optional<std::int64_t> merged_into;
    std::optional<TimePoint> merged_at;
    std::string merged_by;
};

// What one message tells the store about its customer, decided by tickets::customer_link (pure):
// the verified identity it came from (none for a public form or a phone call), the name it gave, and
// the identities it mentions. The store links the ticket in the ingest's transaction.
struct CustomerLink {
    std::int64_t ticket_id = 0;
    std::optional<std::int64_t> message_id;
    std::optional<IdentityClaim> verified;
    std::string name;
    std::vector<IdentityClaim> suggested;
    TimePoint at{};
};

// A customer as a person sees it: the record asked for resolved to the record it is merged into (the
// root), every record merged into that root, their verified identities and open suggestions.
struct CustomerGroup {
    CustomerRecord root;
    std::vector<CustomerRecord> members;  // the root first, then the records merged into it
    std::vector<CustomerIdentity> identities;
    std::vector<IdentitySuggestion> suggestions;
};

}  // namespace redress
