#pragma once
// The store behind an interface: SQLite is the embedded default (sqlite_store.hpp); a PostgreSQL
// implementation can serve several daemons later. Every change a message causes (message, ticket,
// letters, audit) is written in one transaction, so the outbox is transactional: a letter exists
// exactly when the change that asked for it committed.

#include "common/result.hpp"
#include "model/ticket.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::store {

// One unit of work. Destroying it without commit() rolls back.
class Transaction {
public:
    virtual ~Transaction() = default;

    // Idempotency: has a message with this source key (or this Message-ID) been stored already?
    virtual Result<std::optional<std::int64_t>> message_by_source_key(std::string_view source_key) = 0;
    virtual Result<std::optional<std::int64_t>> message_by_message_id(std::string_view message_id) = 0;

    // Threading: the ticket one of these Message-IDs belongs to (a customer's message or one of our letters).
    virtual Result<std::optional<Ticket>> ticket_by_message_ids(const std::vector<std::string>& message_ids) = 0;
    virtual Result<std::optional<Ticket>> ticket_by_number(std::string_view number) = 0;
    virtual Result<std::optional<Ticket>> ticket_by_id(std::int64_t id) = 0;

    // Assigns id and number ("<prefix>-000123") and returns the stored ticket.
    virtual Result<Ticket> create_ticket(Ticket ticket, std::string_view number_prefix) = 0;
    virtual Result<void> update_ticket(const Ticket& ticket) = 0;
    virtual Result<std::int64_t> add_message(const StoredMessage& message) = 0;
    // nullopt when a letter with the same dedup_key exists already (nothing is written).
    virtual Result<std::optional<std::int64_t>> enqueue_letter(const Letter& letter) = 0;
    // Whether a letter with this dedup_key was ever queued (whatever became of it).
    virtual Result<bool> has_letter(std::string_view dedup_key) = 0;
    virtual Result<void> add_audit(const AuditEvent& event) = 0;
    // How many automatic letters went to this address since `since` (loop protection).
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

    // A random id made when the database was created: letters' Message-IDs include it, so two
    // installations (or one whose database was reset) never reuse a Message-ID (RFC 5322 3.6.4).
    virtual const std::string& install_id() const = 0;

    virtual Result<void> commit() = 0;
};

struct TicketFilter {
    std::optional<TicketStatus> status;
    bool open_only = false;  // not resolved and not closed: the tickets whose deadlines still run
    int limit = 100;         // -1: no limit
};

class Store {
public:
    virtual ~Store() = default;

    // Starts a write transaction (one writer at a time; others wait up to the busy timeout).
    virtual Result<std::unique_ptr<Transaction>> begin() = 0;

    virtual Result<std::vector<Ticket>> list_tickets(const TicketFilter& filter) = 0;
    virtual Result<std::optional<Ticket>> ticket(std::string_view number) = 0;
    virtual Result<std::vector<StoredMessage>> messages_of(std::int64_t ticket_id) = 0;
    virtual Result<std::vector<Letter>> letters_of(std::int64_t ticket_id) = 0;
    virtual Result<std::vector<AuditEvent>> audit_of(std::int64_t ticket_id) = 0;

    // The outbox, drained by the senders: letters of this channel ("email", "chat:tg") whose next
    // attempt is due.
    virtual Result<std::vector<Letter>> due_letters(std::string_view channel, TimePoint now, int limit) = 0;
    // The channels that have letters due (the outbox fails those of a chat no longer configured).
    virtual Result<std::vector<std::string>> due_channels(TimePoint now) = 0;
    virtual Result<void> letter_sent(std::int64_t letter_id, TimePoint at) = 0;
    virtual Result<void> letter_retry(std::int64_t letter_id, TimePoint next_attempt, std::string_view error) = 0;
    virtual Result<void> letter_failed(std::int64_t letter_id, std::string_view error) = 0;
    virtual Result<std::optional<Letter>> letter_by_message_id(std::string_view message_id) = 0;

    // Small durable key/value state for connectors (IMAP UIDVALIDITY and last UID per mailbox).
    virtual Result<std::optional<std::string>> state(std::string_view key) = 0;
    virtual Result<void> set_state(std::string_view key, std::string_view value) = 0;

    virtual const std::string& install_id() const = 0;
};

}  // namespace redress::store
