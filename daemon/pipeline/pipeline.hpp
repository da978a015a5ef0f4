#pragma once
// The one entry every channel calls: raw message in, ticket change and letters out, in one
// transaction. Drop folder, IMAP and (next) chat webhooks all end in Pipeline::ingest.

#include "common/result.hpp"
#include "common/time.hpp"
#include "model/classification.hpp"
#include "model/message.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <vector>

namespace redress::pipeline {

struct RawMessage {
    std::string channel;            // "email" (IMAP, the drop folder, the CLI), "chat", "web" (the customer pages)
    std::string source;             // mailbox name, "drop-folder", "cli", chat name
    std::string source_key;         // unique per delivery: "imap:support:<uidvalidity>:<uid>", "drop:<sha256>"
    std::string bytes;              // RFC 5322 bytes for email and the drop folder; the original JSON for chat
    std::optional<Message> parsed;  // chat connectors hand a ready Message; email leaves this empty
    TimePoint received_at{};
    // A complaint taken by phone or in person (service::TicketService::register_complaint): what
    // the agent's form says beyond the customer's words, written with the new ticket in the same
    // transaction.
    struct Intake {
        std::string phone;
        std::string department;     // workflow.departments[].name, or empty
        std::string registered_by;  // the agent
        std::string language;       // the agent's hint; detected from the text when empty
    };
    std::optional<Intake> intake;
    // A message from the daemon's own customer pages (channel "web"; service::TicketService builds
    // it): the complaint form, or a message added on the status page of a ticket.
    struct Web {
        // The status page's ticket: its signed link proves the writer is the ticket's customer, so
        // the message joins it as theirs. Empty for the complaint form, which always opens a ticket
        // of its own: nothing typed into a public form (a tag, an address) may reach another ticket.
        std::string ticket;
        std::string phone;          // what the form says; unverified
        std::string language_hint;  // the page's language: used where the text is too short to tell
    };
    std::optional<Web> web;
    // A chat message's files as its connector fetched them (connectors/chat/chat_files.hpp), one per
    // attachment of `parsed`, in its order: the bytes, or the reason they are not here (a failed
    // download, over a cap). Empty: they were not fetched, and are listed as such.
    struct FetchedFile {
        std::string bytes;
        std::string not_fetched;  // empty when `bytes` is the file
    };
    std::vector<FetchedFile> files;
};

struct IngestOutcome {
    // created: a new ticket; updated: added to a ticket; recorded: stored without a ticket (automatic
    // mail, spam, bounces, our own letters); duplicate: seen before, nothing done; quarantined: kept aside.
    enum class Action { created, updated, recorded, duplicate, quarantined };
    Action action = Action::created;
    std::string ticket_number;  // empty for duplicates of nothing, quarantine, and automatic mail that opens no ticket
    Kind kind = Kind::other;
    std::string language;
    Severity severity = Severity::normal;
    std::vector<std::string> letters;  // template names of letters queued
    std::vector<std::string> reasons;  // classification reasons
    std::string quarantine_reason;
};

nlohmann::json to_json(const IngestOutcome& outcome);

}  // namespace redress::pipeline

#include <atomic>
#include <memory>
#include <mutex>

namespace redress::store {
class Store;
class Transaction;
}  // namespace redress::store

namespace redress::pipeline {

struct Runtime;
class Quarantine;

// When the hourly cap on automatic letters was last logged: the log says it once an hour, not
// once a message. Shared by the threads that ingest.
class HourlyCapLog {
public:
    // True for the first call in each hour (by `now`), false for the rest of that hour.
    bool first_in_window(TimePoint now)
    {
        auto at = now.time_since_epoch().count();
        auto until = m_quiet_until.load();
        while (at >= until) {
            if (m_quiet_until.compare_exchange_weak(until, at + 3600))
                return true;
        }
        return false;
    }

private:
    std::atomic<std::int64_t> m_quiet_until{0};
};

class Pipeline {
public:
    Pipeline(store::Store& store, Quarantine& quarantine, std::shared_ptr<const Runtime> runtime);

    // SIGHUP: later messages use the new config, rules, model and templates.
    void set_runtime(std::shared_ptr<const Runtime> runtime);
    std::shared_ptr<const Runtime> runtime() const;

    // The installation's key for signed links (the status page, the survey), made on first use and
    // kept in the store's state. Never called inside a store transaction.
    Result<std::string> link_secret();

    // Parses, classifies, threads and stores one message with its ticket change, letters and
    // audit rows in one transaction. A message that cannot be processed is quarantined (an
    // outcome, not an error). Errors are transient (the database is busy or gone): the channel
    // keeps the message and offers it again later.
    Result<IngestOutcome> ingest(const RawMessage& raw, TimePoint now);

    struct Counters {
        std::atomic<long> created{0}, updated{0}, recorded{0}, duplicates{0}, quarantined{0}, failed{0};
    };
    const Counters& counters() const { return m_counters; }

private:
    Result<IngestOutcome> quarantine(const RawMessage& raw, const std::string& reason);

    store::Store& m_store;
    Quarantine& m_quarantine;
    mutable std::mutex m_runtime_mutex;
    std::shared_ptr<const Runtime> m_runtime;
    Counters m_counters;
    HourlyCapLog m_hourly_cap_log;
    std::mutex m_secret_mutex;
    std::string m_secret;
};

}  // namespace redress::pipeline
