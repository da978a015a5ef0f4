#pragma once
// The ticket as the complaint handbooks describe it, and the letters and audit events around it.

#include "classification.hpp"
#include "common/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace redress {

// new -> acknowledged -> investigating -> justified | unjustified -> action_planned -> resolved -> closed.
// A customer's reply reopens a resolved or closed ticket (back to investigating).
enum class TicketStatus {
    new_ticket,
    acknowledged,
    investigating,
    justified,
    unjustified,
    action_planned,
    resolved,
    closed
};

std::string_view to_string(TicketStatus status);
std::optional<TicketStatus> ticket_status_from_string(std::string_view text);

struct Customer {
    std::string name;
    std::string email;
    std::string phone;
    std::string chat_user;  // "<chat>:<platform user id>" for a customer who wrote in a chat
};

struct Ticket {
    std::int64_t id = 0;
    std::string number;  // "RD-000123", stable, shown to people
    Customer customer;
    std::string channel;  // "email", "chat"
    std::string source;   // where the first message came in: mailbox or chat name, "drop-folder", "cli"
    TimePoint received_at{};
    TimePoint updated_at{};
    Kind kind = Kind::other;
    std::string language = "en";
    Severity severity = Severity::normal;
    TicketStatus status = TicketStatus::new_ticket;
    std::string subject;
    std::string assignee;            // who works it; empty = the owner
    bool awaiting_customer = false;  // deadlines pause while we wait for the customer
    std::optional<TimePoint> first_response_due;
    std::optional<TimePoint> resolution_due;
    std::optional<TimePoint> first_responded_at;  // first human answer; the automatic acknowledgement does not count
    std::optional<TimePoint> resolved_at;
    // The workflow (daemon/tickets/workflow.hpp): each step raises the version, so that two people
    // working one ticket never overwrite each other (the API's ETag / If-Match).
    std::int64_t version = 1;
    std::string verdict;          // "", "justified", "unjustified"
    std::string department;       // workflow.departments[].name
    std::string category;         // one of the department's categories
    std::string resolution_code;  // set at sign-off: workflow.resolution_codes[].code
    std::optional<TimePoint> closed_at;
    // A chat ticket's conversation ("tg:123456", "slack:C123:1700000000.000100"): every letter to the
    // customer goes there, and the conversation's next message joins this ticket while it is open.
    std::string conversation;
};

enum class LetterStatus { queued, sent, failed };
std::string_view to_string(LetterStatus status);
std::optional<LetterStatus> letter_status_from_string(std::string_view text);

// A letter waiting in (or gone from) the outbox. It names its channel, so one outbox serves email,
// chat and whatever comes next; the sender for that channel delivers it.
struct Letter {
    std::int64_t id = 0;
    std::optional<std::int64_t> ticket_id;  // alerts about several tickets may have none
    std::string channel = "email";          // "email", or "chat:<name>"
    std::string template_name;              // "acknowledgement", "escalation", ...
    std::string recipient;                  // email address, or chat id
    std::string subject;
    std::string message_id;  // without brackets; one per letter, kept across retries
    std::string content;     // for email the whole RFC 5322 message; for chat the text
    std::string dedup_key;   // unique: the same letter is never queued twice
    LetterStatus status = LetterStatus::queued;
    int attempts = 0;
    TimePoint created_at{};
    std::optional<TimePoint> next_attempt_at;
    std::optional<TimePoint> sent_at;
    std::string last_error;
};

struct AuditEvent {
    std::int64_t id = 0;
    std::optional<std::int64_t> ticket_id;
    TimePoint at{};
    std::string actor;   // "system", "customer", a manager's name
    std::string action;  // "ticket.created", "message.added", "letter.queued", "status.changed"
    std::string detail;  // JSON text with what and why
};

// A message as stored on its ticket.
struct StoredMessage {
    std::int64_t id = 0;
    std::int64_t ticket_id = 0;
    std::string channel;
    std::string source;
    std::string source_key;  // "imap:support:UIDVALIDITY:UID", "drop:<sha256>", ...
    std::string message_id;
    std::string direction = "in";  // "in" from the customer, "out" from us
    std::string from_address;
    std::string subject;
    std::string text;
    TimePoint received_at{};
    Kind kind = Kind::other;
    std::string language;
    Severity severity = Severity::normal;
    std::string classification;  // JSON with confidence and reasons
    std::string raw;             // original bytes
};

}  // namespace redress
