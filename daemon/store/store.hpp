#pragma once
// The store behind interfaces split by role: SQLite is the embedded default (sqlite_store.hpp); a
// PostgreSQL implementation can serve several daemons on one database later. Every change a message
// causes (message, ticket, letters, audit) is written in one transaction, so the outbox is
// transactional: a letter exists exactly when the change that asked for it committed.
//
// Errors carry a kind (common/result.hpp) that every implementation sets the same way: a busy or
// locked database, a full disk or an I/O error is `transient` (try again later); a unique or foreign
// key refusal is `constraint`; a row that must exist and does not is `not_found`; a letter whose
// claim is no longer the caller's is `conflict`. Callers decide by the kind, never by the code.
//
// No type of any database library appears here: a second implementation implements these classes.

#include "common/result.hpp"
#include "model/people.hpp"
#include "model/ticket.hpp"
#include "model/workflow.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace redress::store {

// One unit of work. Destroying it without commit() rolls back.
class Transaction {
public:
    virtual ~Transaction() = default;

    // Idempotency: has a message with this source key (or this Message-ID) been stored already?
    virtual Result<std::optional<std::int64_t>> message_by_source_key(std::string_view source_key) = 0;
    virtual Result<std::optional<std::int64_t>> message_by_message_id(std::string_view message_id) = 0;
    // Whether a received message with this Message-ID has the same sender, subject and text: the same
    // mail again (through another mailbox or route, whose trace headers differ), as opposed to a
    // different message that reuses a Message-ID (RFC 5322 3.6.4 asks for unique ones, but broken
    // senders reuse them).
    virtual Result<bool> has_same_message(std::string_view message_id, std::string_view from_address,
                                          std::string_view subject, std::string_view text) = 0;

    // Threading: the ticket one of these Message-IDs belongs to (a customer's message or one of our letters).
    virtual Result<std::optional<Ticket>> ticket_by_message_ids(const std::vector<std::string>& message_ids) = 0;
    virtual Result<std::optional<Ticket>> ticket_by_number(std::string_view number) = 0;
    virtual Result<std::optional<Ticket>> ticket_by_id(std::int64_t id) = 0;
    // A chat conversation's latest ticket ("tg:123456"), open or not; nullopt for "" or a new one.
    virtual Result<std::optional<Ticket>> ticket_by_conversation(std::string_view conversation) = 0;

    // Assigns id and number ("<prefix>-000123") from the ticket sequence, which only grows: two
    // daemons on one database never hand out one number twice, and a deleted ticket's number is not
    // reused. Returns the stored ticket.
    virtual Result<Ticket> create_ticket(Ticket ticket, std::string_view number_prefix) = 0;
    // Stores the ticket and raises its version (to at least ticket.version, and by at least one):
    // any change is news to a person about to act on what they saw before.
    virtual Result<void> update_ticket(const Ticket& ticket) = 0;
    // A workflow step's change: stored only when the stored ticket is still at `seen_version` (the
    // one the step was decided on); otherwise ErrorKind::conflict and nothing is written. The ticket
    // carries its new version. A conditional UPDATE, so it holds on a database without one writer.
    virtual Result<void> update_ticket_at_version(const Ticket& ticket, std::int64_t seen_version) = 0;
    virtual Result<std::int64_t> add_message(const StoredMessage& message) = 0;
    // nullopt when a letter with the same dedup_key exists already (nothing is written).
    virtual Result<std::optional<std::int64_t>> enqueue_letter(const Letter& letter) = 0;
    // The letter with this dedup_key, whatever became of it.
    virtual Result<std::optional<Letter>> letter_by_dedup_key(std::string_view dedup_key) = 0;
    // Whether a letter with this dedup_key was ever queued (whatever became of it).
    virtual Result<bool> has_letter(std::string_view dedup_key) = 0;
    virtual Result<void> add_audit(const AuditEvent& event) = 0;
    // How many automatic letters went to this address since `since` (loop protection). For a chat,
    // `recipient` is the conversation: letters to "<conversation>#<message id>" count as to it.
    virtual Result<int> automatic_letters_to(std::string_view recipient, TimePoint since) = 0;
    // How many letters from this template were queued since `since`, to anyone (the global hourly
    // cap on automatic letters).
    virtual Result<int> letters_since(std::string_view template_name, TimePoint since) = 0;
    // Whether this address wrote a message on this ticket that is not automatic mail: the ticket's
    // participants (threading lets only them act on a ticket).
    virtual Result<bool> has_message_from(std::int64_t ticket_id, std::string_view address) = 0;
    // Bounces: the letter a delivery report is about, and marking it failed.
    virtual Result<std::optional<Letter>> letter_by_message_id(std::string_view message_id) = 0;
    virtual Result<void> mark_letter_failed(std::int64_t letter_id, std::string_view error) = 0;
    // The ticket's history, oldest first (deadlines are computed from it).
    virtual Result<std::vector<AuditEvent>> audit_of(std::int64_t ticket_id) = 0;

    // The workflow's records on a ticket (daemon/tickets/workflow.hpp decides what they may be).
    virtual Result<std::vector<CorrectiveAction>> actions_of(std::int64_t ticket_id) = 0;
    virtual Result<std::int64_t> add_action(const CorrectiveAction& action) = 0;
    virtual Result<void> update_action(const CorrectiveAction& action) = 0;
    virtual Result<std::int64_t> add_note(const Note& note) = 0;
    virtual Result<std::int64_t> add_rating(const Rating& rating) = 0;
    virtual Result<std::vector<Rating>> ratings_of(std::int64_t ticket_id) = 0;

    // A random id made when the database was created: letters' Message-IDs include it, so two
    // installations (or one whose database was reset) never reuse a Message-ID (RFC 5322 3.6.4).
    virtual const std::string& install_id() const = 0;

    virtual Result<void> commit() = 0;
};

// Starting transactions.
class Transactions {
public:
    virtual ~Transactions() = default;
    // Starts a write transaction (one writer at a time; others wait up to the busy timeout).
    virtual Result<std::unique_ptr<Transaction>> begin() = 0;
};

// A letter taken by one process for one attempt: who took it (a random id per process) and until when.
struct LetterClaim {
    std::int64_t letter_id = 0;
    std::string claimant;
    TimePoint until{};
};

// The outbox, drained by the senders. A letter is claimed before it is sent: a claimed letter is not
// handed to another claimant until the claim's lease ends, so several processes on one database
// never send one letter twice while they live; a claim whose process died is taken again once its
// lease ends (the one extra copy the delivery bound allows). The outcome of the attempt is recorded
// with the claim, and refused (ErrorKind::conflict) when the letter is no longer claimed by that
// claimant (its lease ended and another took it).
class Outbox {
public:
    virtual ~Outbox() = default;

    // Letters of this channel ("email", "chat:tg") whose next attempt is due at `now` and which no
    // claimant holds (or whose claim's lease has ended), oldest due first, at most `limit`: each is
    // claimed for `claimant` until `now + lease`. A letter under a live claim is not returned to
    // anyone, its own claimant included, until the claim is released or its lease ends.
    virtual Result<std::vector<Letter>> claim_due_letters(std::string_view channel, TimePoint now, Seconds lease,
                                                          std::string_view claimant, int limit) = 0;
    // Gives back at once every claim of a claimant known to be dead (the previous daemon on this data
    // directory, whose lock the caller now holds), instead of waiting for the leases to end. Returns
    // how many letters were released.
    virtual Result<int> release_claims(std::string_view claimant) = 0;
    // The channels that have letters due, claimed or not (the outbox fails those of a chat no
    // longer configured).
    virtual Result<std::vector<std::string>> due_channels(TimePoint now) = 0;
    // The outcome of an attempt, which releases the claim. Sent is recorded as long as the letter is
    // still claimed by this claimant, even after the lease ended: the letter did go out.
    virtual Result<void> letter_sent(const LetterClaim& claim, TimePoint at) = 0;
    virtual Result<void> letter_retry(const LetterClaim& claim, TimePoint next_attempt, std::string_view error) = 0;
    virtual Result<void> letter_failed(const LetterClaim& claim, std::string_view error) = 0;
};

// Small durable key/value state for connectors (IMAP UIDVALIDITY and last UID per mailbox).
class ConnectorState {
public:
    virtual ~ConnectorState() = default;
    virtual Result<std::optional<std::string>> state(std::string_view key) = 0;
    virtual Result<void> set_state(std::string_view key, std::string_view value) = 0;
};

// The people who work tickets and their credentials. Secrets are never stored, only their digests
// (auth::token_digest) and password hashes (auth::hash_password).
class People {
public:
    virtual ~People() = default;
    // ErrorKind::conflict when the name is taken.
    virtual Result<User> add_user(User user) = 0;
    virtual Result<void> update_user(const User& user) = 0;
    virtual Result<std::optional<User>> user_by_name(std::string_view name) = 0;
    virtual Result<std::optional<User>> user_by_id(std::int64_t id) = 0;
    virtual Result<std::vector<User>> list_users() = 0;
    virtual Result<int> count_users() = 0;

    virtual Result<ApiToken> add_token(ApiToken token) = 0;
    // The live token with this digest (not revoked) and its user (not disabled), noting its use.
    virtual Result<std::optional<std::pair<ApiToken, User>>> use_token(std::string_view digest, TimePoint now) = 0;
    virtual Result<std::vector<ApiToken>> tokens_of(std::int64_t user_id) = 0;
    // ErrorKind::not_found when there is no such token.
    virtual Result<void> revoke_token(std::int64_t token_id, TimePoint now) = 0;

    virtual Result<void> add_session(const Session& session) = 0;
    // The session with this digest while it lasts, and its user (not disabled).
    virtual Result<std::optional<std::pair<Session, User>>> session(std::string_view digest, TimePoint now) = 0;
    virtual Result<void> end_session(std::string_view digest) = 0;
    // Every session of a user ends (password changed, user disabled).
    virtual Result<void> end_sessions_of(std::int64_t user_id) = 0;
};

// Letter templates edited by managers: every version is kept; the newest of each language and name
// overrides the shipped file of templates/.
class TemplateVersions {
public:
    virtual ~TemplateVersions() = default;
    // Stores the next version (1, 2, ...) of this language and name and returns it.
    virtual Result<TemplateVersion> save_template(TemplateVersion version) = 0;
    // Oldest first.
    virtual Result<std::vector<TemplateVersion>> template_history(std::string_view language, std::string_view name) = 0;
    // The newest version of every edited template.
    virtual Result<std::vector<TemplateVersion>> current_templates() = 0;
};

enum class TicketOrder {
    newest,      // id descending (the cursor is the last id seen)
    nearest_due  // the nearest deadline first (open tickets; the inbox)
};

struct TicketFilter {
    std::optional<TicketStatus> status;
    bool open_only = false;  // not resolved and not closed: the tickets whose deadlines still run
    std::optional<Kind> kind;
    std::optional<Severity> severity;
    std::string language;
    std::string channel;
    std::string department;
    std::optional<std::string> assignee;  // "" : unassigned
    // Open tickets with a deadline before this time (the caller passes `now`).
    std::optional<TimePoint> overdue_at;
    std::optional<TimePoint> received_from;  // inclusive
    std::optional<TimePoint> received_to;    // exclusive
    std::optional<std::int64_t> before_id;   // cursor for TicketOrder::newest: tickets with a smaller id
    // Search: tickets whose number, subject, customer (name, address, phone) or a message's text
    // contains this text (ASCII letters match regardless of case).
    std::string text;
    TicketOrder order = TicketOrder::newest;
    int limit = 100;  // -1: no limit
};

// A corrective action that is past its due date and not done, with its ticket (reminders).
struct OverdueAction {
    CorrectiveAction action;
    Ticket ticket;
};

// Reads outside a transaction, for the command line, the HTTP status and the scheduler.
class Queries {
public:
    virtual ~Queries() = default;
    virtual Result<std::vector<Ticket>> list_tickets(const TicketFilter& filter) = 0;
    virtual Result<std::optional<Ticket>> ticket(std::string_view number) = 0;
    virtual Result<std::vector<StoredMessage>> messages_of(std::int64_t ticket_id) = 0;
    virtual Result<std::vector<Letter>> letters_of(std::int64_t ticket_id) = 0;
    virtual Result<std::vector<AuditEvent>> audit_of(std::int64_t ticket_id) = 0;
    virtual Result<std::optional<Letter>> letter_by_message_id(std::string_view message_id) = 0;
    virtual Result<std::optional<Letter>> letter(std::int64_t id) = 0;
    virtual Result<std::vector<CorrectiveAction>> actions_of(std::int64_t ticket_id) = 0;
    virtual Result<std::vector<Note>> notes_of(std::int64_t ticket_id) = 0;
    virtual Result<std::vector<Rating>> ratings_of(std::int64_t ticket_id) = 0;
    // Open corrective actions due before `now`, oldest due first.
    virtual Result<std::vector<OverdueAction>> overdue_actions(TimePoint now, int limit) = 0;
};

// The reports (daemon/reports): tickets received in a period with what the figures need, read in
// one pass. A filter field left empty means any.
struct ReportFilter {
    std::optional<TimePoint> received_from;  // inclusive
    std::optional<TimePoint> received_to;    // exclusive
    std::optional<Kind> kind;
    std::optional<Severity> severity;
    std::string language;
    std::string channel;
    std::string department;
    // Also the ticket's subject and the text of its first message from the customer (recurring
    // problems); the figures alone do not need them.
    bool with_text = false;
};

// One ticket as the reports read it.
struct ReportTicket {
    std::int64_t id = 0;
    std::string number;
    TimePoint received_at{};
    Kind kind = Kind::other;
    std::string language;
    std::string channel;
    std::string department;
    Severity severity = Severity::normal;
    TicketStatus status = TicketStatus::new_ticket;
    std::string verdict;
    std::string resolution_code;
    std::optional<TimePoint> acknowledged_at;  // the first clock.acknowledged row
    std::optional<TimePoint> first_response_due;
    std::optional<TimePoint> first_responded_at;
    std::optional<TimePoint> resolution_due;
    std::optional<TimePoint> resolved_at;
    std::optional<TimePoint> closed_at;
    bool surveyed = false;      // a survey letter was queued
    std::optional<int> rating;  // the customer's newest rating
    std::string subject;        // with_text only
    std::string text;           // with_text only: the first message from the customer
};

// A corrective action with the ticket it belongs to (open ones and their age; done process ones and
// whether the problem stopped).
struct ReportAction {
    CorrectiveAction action;
    std::string number;
    TimePoint received_at{};
    Kind kind = Kind::other;
    std::string language;
    std::string channel;
    std::string department;
    Severity severity = Severity::normal;
    std::string resolution_code;
};

class Reports {
public:
    virtual ~Reports() = default;
    // Oldest received first.
    virtual Result<std::vector<ReportTicket>> report_tickets(const ReportFilter& filter) = 0;
    // The open actions and the process actions that are done or verified, on tickets matching the
    // filter's kind, severity, language, channel and department (its dates are not used).
    virtual Result<std::vector<ReportAction>> report_actions(const ReportFilter& filter) = 0;
};

// How a store is opened: `create` makes a missing database (the daemon, ingest); `existing` refuses
// one that is not there (ErrorKind::not_found), so a command run in the wrong folder creates nothing.
enum class OpenMode { create, existing };

// One object serving every role; callers take the narrow interface where they need only one.
class Store : public Transactions,
              public Outbox,
              public ConnectorState,
              public Queries,
              public People,
              public TemplateVersions,
              public Reports {
public:
    ~Store() override = default;
    virtual const std::string& install_id() const = 0;
};

}  // namespace redress::store
