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
#include "model/correction.hpp"
#include "model/customer_record.hpp"
#include "model/people.hpp"
#include "model/ticket.hpp"
#include "model/workflow.hpp"
#include "search/query.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace redress::store {

// A file that came with a customer's message or went with one of our letters (issue 18). Its bytes
// are under <data_dir>/attachments by their SHA-256 (attachments::FileStore); the row says what it was.
// A file over a cap is listed with the reason and no digest.
struct AttachmentRecord {
    std::int64_t id = 0;
    std::optional<std::int64_t> ticket_id;
    std::optional<std::int64_t> message_id;  // a customer's message
    std::optional<std::int64_t> letter_id;   // or one of our letters (a reply with files)
    std::string sha256;                      // hex; empty when the file was not kept
    std::string name;                        // as the sender named it (UTF-8)
    std::string declared_type;               // what the sender said ("image/png")
    std::string sniffed_type;                // what the bytes say (attachments::sniff_type)
    std::int64_t size = 0;                   // decoded size in bytes
    bool inline_part = false;                // Content-Disposition: inline (an HTML mail's picture)
    std::string content_id;                  // without angle brackets ("cid:" in the HTML names it)
    std::string refused;                     // why it was not kept ("over the cap of ... bytes per file")
};

// What erase_ticket_words took out of one ticket's records (docs/privacy.md).
struct ErasedRecords {
    int messages = 0;
    int letters = 0;
    int notes = 0;
    int ratings = 0;
    int corrections = 0;
    int suggestions = 0;
    std::vector<std::int64_t> letter_ids;  // the letters whose words went (their copies in a file outbox go too)
};

// Messages recorded without a ticket that an erase removed, with their attachments' rows.
struct RemovedMessages {
    int messages = 0;
    std::vector<AttachmentRecord> attachments;
};

// What an erase took out of the customer's records that sit on other tickets (a ticket of theirs
// merged into someone else's moved its messages and letters there).
struct ErasedElsewhere {
    int messages = 0;
    int letters = 0;
    std::vector<std::int64_t> message_ids;
    std::vector<std::int64_t> letter_ids;       // their copies in a file outbox go too
    std::vector<std::int64_t> ticket_ids;       // the tickets whose records changed
    std::vector<std::string> words;             // the subjects and texts taken out (for the audit's scrub)
    std::vector<AttachmentRecord> attachments;  // the rows removed (their files go when unreferenced)
};

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

    // Attachments: a row per file of a message or a letter, written in the transaction that stores
    // the message or queues the letter, after the file itself (attachments::FileStore::put).
    virtual Result<std::int64_t> add_attachment(const AttachmentRecord& attachment) = 0;
    // Removes the rows of a ticket's attachments and returns them (an erase; the files go at the
    // next sweep once nothing else refers to them), but those of the messages from one of `spare` and
    // of the letters to one of them (as erase_ticket_words spares them).
    virtual Result<std::vector<AttachmentRecord>>
    remove_attachments_of_ticket(std::int64_t ticket_id, const std::vector<std::string>& spare) = 0;

    // The workflow's records on a ticket (daemon/tickets/workflow.hpp decides what they may be).
    virtual Result<std::vector<CorrectiveAction>> actions_of(std::int64_t ticket_id) = 0;
    virtual Result<std::int64_t> add_action(const CorrectiveAction& action) = 0;
    virtual Result<void> update_action(const CorrectiveAction& action) = 0;
    virtual Result<std::int64_t> add_note(const Note& note) = 0;
    virtual Result<std::int64_t> add_rating(const Rating& rating) = 0;
    virtual Result<std::vector<Rating>> ratings_of(std::int64_t ticket_id) = 0;
    // A person's correction of a ticket's kind and severity, kept as a labelled example.
    virtual Result<std::int64_t> add_correction(const Correction& correction) = 0;

    // Customers across channels (docs/customers.md; the rules are tickets/customers.hpp).
    // Links the ticket to its customer record: the one the ticket has already, else the record whose
    // verified identity the link names, else a new record (holding that identity, if any). The
    // suggestions are kept for that record, except identities verified already for anyone and
    // suggestions it has already. Returns the record's id.
    virtual Result<std::int64_t> link_customer(const CustomerLink& link) = 0;
    virtual Result<std::optional<CustomerRecord>> customer(std::int64_t id) = 0;
    virtual Result<std::optional<std::int64_t>> customer_of_ticket(std::int64_t ticket_id) = 0;
    // The record holding this verified identity (a normalised value), whatever it is merged into.
    virtual Result<std::optional<CustomerIdentity>> identity(IdentityKind kind, std::string_view value) = 0;
    // Sets (a merge) or clears (its undoing) a record's pointer to the record it is merged into.
    virtual Result<void> set_customer_merged_into(std::int64_t id, std::optional<std::int64_t> into,
                                                  std::string_view by, TimePoint at) = 0;
    // ErrorKind::conflict when the identity belongs to a record already.
    virtual Result<std::int64_t> add_identity(const CustomerIdentity& identity) = 0;
    virtual Result<std::optional<IdentitySuggestion>> suggestion(std::int64_t id) = 0;
    virtual Result<void> accept_suggestion(std::int64_t id, std::string_view by, TimePoint at) = 0;
    // A customer's own history (merges, accepted suggestions): not a ticket's.
    virtual Result<void> add_customer_audit(std::int64_t customer_id, const AuditEvent& event) = 0;

    // Merged tickets: the ticket a merged one points to (nullopt for one not merged).
    virtual Result<std::optional<std::int64_t>> ticket_merged_into(std::int64_t ticket_id) = 0;
    // Moves every record of ticket `from` to `into`: messages, letters, notes, corrective actions,
    // ratings and the audit (its clock rows too, so deadlines recomputed from it follow the earlier
    // arrival), and the customer's suggestions made on it. The tickets' rows stay as they are.
    virtual Result<void> move_ticket_records(std::int64_t from, std::int64_t into) = 0;
    virtual Result<void> set_ticket_merged_into(std::int64_t from, std::int64_t into) = 0;

    // A random id made when the database was created: letters' Message-IDs include it, so two
    // installations (or one whose database was reset) never reuse a Message-ID (RFC 5322 3.6.4).
    virtual const std::string& install_id() const = 0;

    // Full-text search is kept by the store itself: add_message, enqueue_letter, add_note,
    // create_ticket and update_ticket index their text in this same transaction (a rollback leaves
    // nothing findable). This takes a ticket's every record out of the index (the customer's erase)
    // but the messages from one of `spare` and the letters to one of them (as erase_ticket_words
    // spares them); Store::optimize_search afterwards leaves none of their words in the index's files.
    // Returns how many records were taken out.
    virtual Result<int> remove_from_search(std::int64_t ticket_id, const std::vector<std::string>& spare) = 0;

    // The customer's erase (docs/privacy.md; tickets/erasure.hpp decides what is personal, the
    // service applies it). Takes the words out of every record of a ticket: its messages' sender,
    // subject, text, Message-ID, classification and stored raw copy; its letters' recipient, subject,
    // content and last error (a letter still queued fails, "erased"); its notes' text; its ratings'
    // comments; its corrections (the customer's words kept for training); the identity suggestions
    // made on it. Kinds, severities, dates, statuses and scores stay. The ticket is marked erased at
    // `at` (tickets_due_for_erase passes it over). The ticket's own fields are the caller's
    // (update_ticket), its search rows remove_from_search's, its attachments'
    // remove_attachments_of_ticket's. Spared: the records of other people that sit on the ticket (a
    // ticket of another customer merged into it moved them here): messages from one of `spare` (a
    // From address or the chat user a chat message came from, ASCII letters regardless of case) and
    // letters whose recipient is exactly one of them, with their suggestions and the corrections that
    // kept such a message's text.
    virtual Result<ErasedRecords> erase_ticket_words(std::int64_t ticket_id, TimePoint at,
                                                     const std::vector<std::string>& spare) = 0;
    // Messages recorded without a ticket (automatic mail, spam) from one of these senders (a From
    // address, or the chat user a chat message came from; ASCII letters regardless of case): removed
    // with their search rows, suggestions and attachment rows.
    virtual Result<RemovedMessages> remove_messages_without_ticket(const std::vector<std::string>& senders) = 0;
    // The customer's records on tickets other than `except` (their own, erased whole): messages from
    // one of `senders` (as above) and letters to one of them (the recipient, exactly) lose their words as
    // erase_ticket_words takes them, with their search rows, attachment rows, suggestions and the
    // corrections that kept such a message's text. The other records of those tickets stay.
    virtual Result<ErasedElsewhere> erase_records_elsewhere(const std::vector<std::string>& senders,
                                                            const std::vector<std::int64_t>& except) = 0;
    // Letters without a ticket (a delivery failure told to the owner, say) whose recipient, subject or
    // content holds one of these values as a whole value (ASCII letters regardless of case; not
    // preceded or followed by a character of an address: anna@x.org is not in hanna@x.org): their
    // words go as erase_ticket_words takes them, and their search rows. Returns their ids.
    virtual Result<std::vector<std::int64_t>> erase_letters_without_ticket(const std::vector<std::string>& values) = 0;
    // The customer's records: their names blanked, their identities and suggestions removed, and
    // anyone's open suggestion of one of `values`. Returns how many identities went.
    virtual Result<int> erase_customer_records(const std::vector<std::int64_t>& customer_ids,
                                               const std::vector<std::string>& values) = 0;
    // Audit rows without a ticket whose detail holds one of these values as a whole value (as
    // erase_letters_without_ticket matches them), oldest first: the erase rewrites their detail.
    virtual Result<std::vector<AuditEvent>> audit_without_ticket_mentioning(const std::vector<std::string>& values) = 0;
    // Audit rows of tickets (any but `except`) whose detail holds one of these values (ASCII letters
    // regardless of case), oldest first.
    virtual Result<std::vector<AuditEvent>> audit_of_tickets_mentioning(const std::vector<std::string>& values,
                                                                        const std::vector<std::int64_t>& except) = 0;
    // Rewrites one audit row's detail (a ticket's or, with `customer`, a customer record's history).
    virtual Result<void> set_audit_detail(std::int64_t audit_id, std::string_view detail, bool customer = false) = 0;

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

// A search (search/query.hpp): the parsed query, and which page of the ranked results.
struct SearchRequest {
    search::Query query;
    int limit = 20;
    int offset = 0;
};

// A piece of a snippet: the original text, and whether it is a word the query matched.
struct SnippetPart {
    std::string text;
    bool match = false;
    bool operator==(const SnippetPart&) const = default;
};

// One record found: a customer's message, one of our letters, a note, or a ticket's subject and
// customer name.
struct SearchHit {
    search::RecordKind record = search::RecordKind::message;
    std::int64_t record_id = 0;
    std::optional<std::int64_t> ticket_id;  // a message without a ticket (automatic mail) has none
    std::string ticket_number;
    std::string ticket_subject;
    std::optional<TicketStatus> status;
    TimePoint at{};
    std::string sender;  // a message's From, a note's author, a ticket's customer address; "" for a letter
    std::string channel;
    std::string language;
    std::vector<SnippetPart> snippet;
    double score = 0;  // higher is a better match (bm25, negated); 0 for a query of filters only
};

struct SearchPage {
    std::vector<SearchHit> hits;  // best first (newest first for filters only)
    bool more = false;            // a later page has more
};

// Reads outside a transaction, for the command line, the HTTP status and the scheduler.
class Queries {
public:
    virtual ~Queries() = default;
    virtual Result<std::vector<Ticket>> list_tickets(const TicketFilter& filter) = 0;
    virtual Result<std::optional<Ticket>> ticket(std::string_view number) = 0;
    virtual Result<std::vector<StoredMessage>> messages_of(std::int64_t ticket_id) = 0;
    // Messages from one of `senders` (a From address, ASCII letters regardless of case, or the chat
    // user a chat message came from) on any ticket or none, oldest first: a customer's export.
    virtual Result<std::vector<StoredMessage>> messages_from(const std::vector<std::string>& senders) = 0;
    virtual Result<std::vector<Letter>> letters_of(std::int64_t ticket_id) = 0;
    virtual Result<std::vector<AuditEvent>> audit_of(std::int64_t ticket_id) = 0;
    virtual Result<std::optional<Letter>> letter_by_message_id(std::string_view message_id) = 0;
    virtual Result<std::optional<Letter>> letter(std::int64_t id) = 0;
    virtual Result<std::vector<CorrectiveAction>> actions_of(std::int64_t ticket_id) = 0;
    virtual Result<std::vector<Note>> notes_of(std::int64_t ticket_id) = 0;
    virtual Result<std::vector<Rating>> ratings_of(std::int64_t ticket_id) = 0;
    // The attachments of a ticket's messages and letters, in the order they were stored.
    virtual Result<std::vector<AttachmentRecord>> attachments_of(std::int64_t ticket_id) = 0;
    virtual Result<std::optional<AttachmentRecord>> attachment(std::int64_t id) = 0;
    // The attachments of one message (a message without a ticket has them too).
    virtual Result<std::vector<AttachmentRecord>> attachments_of_message(std::int64_t message_id) = 0;
    // Every digest a row refers to: the files the sweep keeps.
    virtual Result<std::vector<std::string>> attachment_digests() = 0;
    // Open corrective actions due before `now`, oldest due first.
    virtual Result<std::vector<OverdueAction>> overdue_actions(TimePoint now, int limit) = 0;
    // Every correction of a ticket's classification, oldest first (the training examples).
    virtual Result<std::vector<Correction>> corrections() = 0;
    // Full-text search over messages, letters, notes, subjects and customer names, ranked.
    virtual Result<SearchPage> search(const SearchRequest& request) = 0;
    // Retention: closed tickets closed before `closed_before` whose personal data is not erased yet,
    // oldest closed first, at most `limit`.
    virtual Result<std::vector<Ticket>> tickets_due_for_erase(TimePoint closed_before, int limit) = 0;
    // When the ticket's personal data was erased; nullopt when it was not.
    virtual Result<std::optional<TimePoint>> ticket_erased_at(std::int64_t ticket_id) = 0;
};

// Customers read outside a transaction (the API, the command line). Every function takes any record
// of a merge and answers for the whole customer: the record it is merged into (the root) and every
// record merged into that root. Erasing a customer's data starts from customer_group and
// tickets_of_customer: they name every record, identity, suggestion and ticket of one person.
class Customers {
public:
    virtual ~Customers() = default;
    // nullopt for no such record.
    virtual Result<std::optional<CustomerGroup>> customer_group(std::int64_t customer_id) = 0;
    // The whole customer's tickets on every channel, newest first (merged tickets included).
    virtual Result<std::vector<Ticket>> tickets_of_customer(std::int64_t customer_id) = 0;
    // The root of the customer holding this verified identity (a normalised value), if any.
    virtual Result<std::optional<CustomerRecord>> customer_by_identity(IdentityKind kind, std::string_view value) = 0;
    // The roots of the customers whose name, or one of whose identities, contains this text (ASCII
    // letters regardless of case), at most `limit`, lowest id first.
    virtual Result<std::vector<CustomerRecord>> customers_matching(std::string_view text, int limit) = 0;
    virtual Result<std::optional<std::int64_t>> ticket_customer(std::int64_t ticket_id) = 0;
    // The number of the ticket this one is merged into; nullopt when it is not merged.
    virtual Result<std::optional<std::string>> merged_ticket_target(std::int64_t ticket_id) = 0;
    // The tickets merged into this one, directly or through a ticket merged into it (their records
    // moved here), lowest id first.
    virtual Result<std::vector<Ticket>> tickets_merged_into(std::int64_t ticket_id) = 0;
    // Oldest first, of every record of the customer.
    virtual Result<std::vector<AuditEvent>> customer_audit(std::int64_t customer_id) = 0;
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
    // More than 0: only the newest this many tickets of the period (still oldest first).
    int newest = 0;
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

// The aggregates behind the summary (docs/reports.md, "At scale"). The store keeps, in the
// transaction that changes a ticket, what the figures need of it: one compact row per ticket and
// sums per company-local month (counts, codes, span histograms) and per local day (volume). What
// depends on the company's zone and calendar (the local day, business-time spans, whether a deadline
// was met in time) is computed outside the store by `facts`, the same code the full scan uses; a
// different `key` (zone or calendar changed) rebuilds every aggregate from the tickets.
enum class ReportDeadline { none, kept, late, unmet };
struct ReportFacts {
    std::int32_t day = 0;  // the local date of arrival, days since 1970-01-01
    std::optional<std::int64_t> acknowledgement_s, first_response_s, resolution_s;
    ReportDeadline first_response = ReportDeadline::none;
    ReportDeadline resolution = ReportDeadline::none;
};
struct ReportAggregation {
    std::string key;
    std::function<ReportFacts(const ReportTicket&)> facts;
};

// The three spans the summary gives a median and p90 of.
enum class ReportSpan { acknowledgement = 0, first_response = 1, resolution = 2 };
inline constexpr int k_report_spans = 3;

// Span histogram buckets: a bucket per second below 64 s, then 32 buckets per doubling (each at most
// 1/32 of its lower edge wide). [first, last] are the seconds a bucket holds.
int report_span_bucket(std::int64_t seconds);
std::pair<std::int64_t, std::int64_t> report_span_bucket_range(int bucket);

// The local days [first_day, last_day] (days since 1970-01-01) under the filter's kind, severity,
// language, channel and department; `now` judges the deadlines not met yet. `ranks` says, for the
// number of tickets with a span, which ranks (from 0, in ascending order of the span) to return.
struct ReportSumsRequest {
    ReportFilter filter;
    std::int32_t first_day = 0;
    std::int32_t last_day = 0;
    TimePoint now{};
    std::function<std::vector<long long>(long long count)> ranks;
};
struct ReportGroupCount {
    Kind kind = Kind::other;
    Severity severity = Severity::normal;
    std::string language, channel, department;
    long long tickets = 0;
};
struct ReportSums {
    std::vector<ReportGroupCount> groups;  // tickets per (kind, severity, language, channel, department)
    std::vector<std::pair<std::int32_t, long long>> days;  // tickets per local day, days without none
    long long first_response_kept = 0, first_response_missed = 0, first_response_pending = 0;
    long long resolution_kept = 0, resolution_missed = 0, resolution_pending = 0;
    long long justified = 0, unjustified = 0;
    long long surveyed = 0, surveyed_rated = 0, rated = 0, rating_sum = 0;
    std::array<long long, 5> ratings{};  // how many 1s ... 5s
    std::map<std::string, long long> codes;
    // Per span (ReportSpan order): how many tickets have it, and the span at each rank asked for.
    std::array<long long, k_report_spans> span_counts{};
    std::array<std::map<long long, std::int64_t>, k_report_spans> spans_at_rank;
    // How long each part of the read took, in order (seconds; the benchmark shows them).
    std::vector<std::pair<std::string, double>> timings;
};

// A rebuild of every aggregate (a new zone or calendar, or the first use after the upgrade) runs in
// batches, each its own short transaction, so writers go on meanwhile (docs/reports.md, "At scale").
// `done` and `total` are ticket ids: every ticket up to `done` is in the aggregates, of those up to
// `total` when the rebuild started or was last stepped.
struct ReportRebuild {
    bool running = false;
    std::int64_t done = 0;
    std::int64_t total = 0;
};

class Reports {
public:
    virtual ~Reports() = default;
    // Oldest received first.
    virtual Result<std::vector<ReportTicket>> report_tickets(const ReportFilter& filter) = 0;
    // The open actions and the process actions that are done or verified, on tickets matching the
    // filter's kind, severity, language, channel and department (its dates are not used).
    virtual Result<std::vector<ReportAction>> report_actions(const ReportFilter& filter) = 0;
    // Uses `aggregation` from now on (also in every later transaction of this store object) and
    // brings the aggregates up to date: every ticket again when the key differs from the one they
    // were built with (an upgraded store, a new zone or calendar), else the tickets changed by
    // writers that had no aggregation set (the command line).
    // The rebuild runs to its end here, batch by batch (each batch its own transaction).
    virtual Result<void> prepare_report_aggregates(ReportAggregation aggregation) = 0;
    // The same, but a rebuild is only started (a short transaction) and left for
    // step_report_rebuild; the tickets changed meanwhile are still brought in when no rebuild runs.
    virtual Result<ReportRebuild> start_report_aggregates(ReportAggregation aggregation) = 0;
    // One batch of a running rebuild (at most `tickets` tickets, its own transaction); nothing when
    // none runs. Needs the aggregation set by start_report_aggregates or prepare_report_aggregates.
    virtual Result<ReportRebuild> step_report_rebuild(std::int64_t tickets) = 0;
    // The sums of the days asked for, from the aggregates (prepare_report_aggregates first), read
    // as one snapshot.
    virtual Result<ReportSums> report_sums(const ReportSumsRequest& request) = 0;
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
              public Customers,
              public Reports {
public:
    ~Store() override = default;
    virtual const std::string& install_id() const = 0;
    // Merges the search index into one segment, which drops what remove_from_search took out from
    // the index's pages (after an erase; FTS5's own secure-delete needs SQLite 3.42).
    virtual Result<void> optimize_search() = 0;
    // After an erase: nothing of the removed words is left in the database's files. The search index
    // is merged (optimize_search), and the log of recent changes is written into the database and
    // emptied (SQLite: deleted content is zeroed by secure_delete, the WAL checkpointed and
    // truncated; a server database would VACUUM the tables).
    virtual Result<void> compact_after_erase() = 0;
};

}  // namespace redress::store
