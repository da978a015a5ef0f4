#pragma once
// One customer's data (docs/privacy.md): everything of theirs gathered for an export, their personal
// data erased on request, and retention (the personal data of tickets closed long ago erased once a
// day). What is personal and what stays is decided by tickets/erasure.hpp; here it is applied in one
// store transaction, then to the files under the data directory (attachments, the file outbox's
// copies, quarantined mail), then the store is compacted so no file keeps the erased words. The HTTP
// API (api/customer_api.*), the command line (`redress customer export|erase`) and the daemon's daily
// job (app/retention.*) are front doors over these functions.

#include "common/result.hpp"
#include "customers.hpp"
#include "model/ticket.hpp"
#include "model/workflow.hpp"
#include "store/store.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace redress::config {
struct Config;
}

namespace redress::service {

// One ticket of the customer with every record on it.
struct TicketRecords {
    Ticket ticket;
    std::vector<StoredMessage> messages;
    std::vector<Letter> letters;
    std::vector<Note> notes;
    std::vector<Rating> ratings;
    std::vector<CorrectiveAction> actions;
    std::vector<AuditEvent> audit;
    std::vector<store::AttachmentRecord> attachments;
};

// A kept file of the customer with its bytes (a file whose bytes are missing has `missing` set).
struct ExportFile {
    store::AttachmentRecord record;
    std::string ticket_number;
    std::string bytes;
    bool missing = false;
};

// One of the customer's messages outside their own tickets: on another customer's ticket (a ticket of
// theirs merged there; `ticket_number` names it) or on none (automatic mail, spam: `ticket_number` "").
struct MessageElsewhere {
    std::string ticket_number;
    StoredMessage message;
    std::vector<store::AttachmentRecord> attachments;
};

// A quarantined mail of theirs (or one set aside as too large): the file's name, bytes and the note
// saying why it was set aside.
struct QuarantinedMail {
    std::string folder;  // "quarantine" or "too-large"
    std::string name;
    std::string bytes;
    std::string reason;
};

struct CustomerExport {
    CustomerView customer;
    std::vector<TicketRecords> tickets;                // newest first, every record of the customer's group
    std::vector<MessageElsewhere> messages_elsewhere;  // oldest first
    std::vector<QuarantinedMail> quarantined;          // by name
    std::vector<ExportFile> files;
};

// Everything of the customer (any record of a merge answers for the whole customer). not_found for
// no such customer.
Result<CustomerExport> export_customer(store::Store& store, const config::Config& config, std::int64_t customer_id);

// What an erase removed, for the audit, the log and the answer (counts only: never the words).
struct EraseCounts {
    int tickets = 0;
    int messages = 0;
    int letters = 0;
    int notes = 0;
    int ratings = 0;
    int corrections = 0;
    int suggestions = 0;
    int identities = 0;
    int attachments = 0;         // rows
    int files = 0;               // files removed from the attachment store (no other ticket refers to them)
    int search_rows = 0;         // records taken out of the search index
    int audit_rows = 0;          // audit rows whose detail was rewritten
    int other_messages = 0;      // messages without a ticket from the customer's addresses
    int other_letters = 0;       // letters without a ticket that named the customer
    int messages_elsewhere = 0;  // their messages on other customers' tickets (a ticket of theirs merged there)
    int letters_elsewhere = 0;   // letters to them on other customers' tickets
    int quarantined = 0;         // quarantined files holding one of the customer's addresses (and their notes)
    int outbox_files = 0;        // the file outbox's copies of letters to the customer
    int unread_files = 0;        // outbox or quarantine files that are not mail: matched by their bytes only
    bool compacted = false;      // the store's files were compacted (false: logged, done at the next erase)

    EraseCounts& operator+=(const EraseCounts& other);
};

// The counts as JSON, one key per field but `compacted` (the audit's detail; the API adds it).
nlohmann::json erase_counts_json(const EraseCounts& counts);
// The counts read back from erase_counts_json's JSON (retention keeps a run's totals so in the store's
// state); a key missing or not a number reads as 0.
EraseCounts erase_counts_from_json(const nlohmann::json& j);

// The customer's erase (the owner only, with a reason: tickets::check_erase). Every ticket of the
// customer's group stays as an anonymised record; the records lose their names and identities, so a
// later message from the same address starts a new customer. Audited on each ticket
// (`ticket.erased`) and on the customer (`customer.erased`) with the reason and the counts.
Result<EraseCounts> erase_customer(store::Store& store, const config::Config& config, std::int64_t customer_id,
                                   const Actor& actor, std::string_view reason, TimePoint now);

// Tickets retention erases per call: small enough that a batch holds up the daemon's loop (timers, the
// outbox) for a moment only, when retention is first switched on over years of closed tickets.
inline constexpr int k_expired_batch = 50;

// One batch of retention's erase: what it erased, and whether tickets are still due.
struct ExpiredBatch {
    EraseCounts counts;
    bool more = false;
};

// Retention: the personal data of tickets closed more than config.retention.erase_closed_after_days
// days before `now` and not erased yet, oldest closed first, at most `limit` of them, erased the same
// way by "system", each ticket in its own transaction (a crash loses no more than the ticket in
// hand). A customer's record (name, identities) is erased once none of their tickets is open or
// still holds personal data; until then only the old tickets' records are. Nothing is compacted or
// logged here: a run is as many calls as it takes until `more` is false, and finish_expired does both
// once, with the run's totals. Zero counts when retention is off.
Result<ExpiredBatch> erase_expired(store::Store& store, const config::Config& config, TimePoint now,
                                   int limit = k_expired_batch);

// The end of a retention run whose batches erased `run` between them: when it erased any ticket, the
// store is compacted (`run.compacted` set when that worked) and `retention.erased` is logged with the
// run's counts.
void finish_expired(store::Store& store, const config::Config& config, EraseCounts& run);

}  // namespace redress::service
