#pragma once
// One mailbox, watched on its own thread: fetch new messages by UID, hand each to the pipeline,
// and only after the pipeline's transaction committed mark it \Seen, move it, or leave it.
//
// Durable state per mailbox (Store::state): "imap/<name>/uidvalidity" and "imap/<name>/last_uid".
// The UID, not the \Seen flag, says what is new, so mail someone already read in a mail client is
// still taken, and a restart does not fetch again. When UIDVALIDITY changes (the folder was
// recreated, RFC 3501 2.3.1.1) every UID is new again and the whole folder is read anew; the
// pipeline's Message-ID check keeps that from making second tickets.
//
// Between rounds the poller waits in IDLE (RFC 2177) when the server offers it and the config
// allows it, renewing it every idle_renew (RFC 2177 section 3: servers may drop an idle client
// after 30 minutes); otherwise it sleeps poll_interval. A failing mailbox backs off exponentially
// and says so in status(); other mailboxes, on their own threads, are not affected.

#include "config/config.hpp"
#include "imap_client.hpp"
#include "pipeline/pipeline.hpp"
#include "store/store.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

namespace redress::connectors::imap {

struct PollerOptions {
    std::chrono::milliseconds backoff_first{2'000};
    std::chrono::milliseconds backoff_cap{300'000};
    std::chrono::milliseconds idle_renew{25 * 60 * 1000};
    std::chrono::milliseconds connect_timeout{15'000};
    std::chrono::milliseconds response_timeout{60'000};
    std::chrono::milliseconds token_command_timeout{30'000};
    // The first time a mailbox is seen (no state yet), start after the mail already in it instead of
    // turning years of old mail into tickets and acknowledgements. A later UIDVALIDITY change still
    // reads the whole folder: the old mail is in the database then, and Message-IDs match.
    bool skip_existing_on_first_sync = false;
};

// What the daemon shows about a mailbox.
struct MailboxStatus {
    std::string name;
    bool connected = false;
    bool push = false;  // waiting in IDLE rather than polling
    int consecutive_failures = 0;
    std::string last_error;  // empty after a success
    std::optional<TimePoint> last_success;
    std::optional<TimePoint> last_failure;
    std::uint64_t messages_ingested = 0;
    std::uint64_t messages_quarantined = 0;
};

// What one round did.
struct RoundReport {
    std::size_t ingested = 0;
    std::size_t quarantined = 0;
    std::size_t vanished = 0;  // expunged by someone else between search and fetch
    bool rescanned = false;    // UIDVALIDITY changed, so the folder was read from the start
};

class MailboxPoller {
public:
    // Returns an error when the message could not be stored now (database busy): the round stops
    // and the message is fetched again later, unmarked.
    using IngestFn = std::function<Result<pipeline::IngestOutcome>(const pipeline::RawMessage&)>;
    // For a message the poller will not ingest (bigger than max_message_size). The RawMessage carries
    // the header only. Success means it was set aside; the mailbox then treats it as processed.
    using QuarantineFn = std::function<Result<void>(const pipeline::RawMessage&, std::string_view reason)>;

    MailboxPoller(config::MailboxConfig config, store::ConnectorState& state, IngestFn ingest, QuarantineFn quarantine,
                  PollerOptions options = {});
    ~MailboxPoller();
    MailboxPoller(const MailboxPoller&) = delete;
    MailboxPoller& operator=(const MailboxPoller&) = delete;

    // Until stop is requested: rounds, IDLE or sleep between them, backoff after failures.
    // Meant to be the body of a std::jthread: `std::jthread([&](std::stop_token s) { poller.run(s); })`.
    void run(std::stop_token stop);

    // One round on the (kept) connection: connect if needed, select, fetch what is new, mark.
    Result<RoundReport> poll_once(std::stop_token stop = {});
    // Closes the connection (LOGOUT); the next round reconnects.
    void disconnect();

    MailboxStatus status() const;
    const std::string& name() const { return m_config.name; }

    std::string uidvalidity_key() const { return "imap/" + m_config.name + "/uidvalidity"; }
    std::string last_uid_key() const { return "imap/" + m_config.name + "/last_uid"; }

private:
    Result<void> ensure_connected(std::stop_token stop);
    Result<void> after_store(std::uint32_t uid);
    Result<void> remember_uid(std::uint32_t uid);
    void record_success(const RoundReport& report);
    void record_failure(const Error& error);
    std::chrono::milliseconds backoff_delay(int failures) const;
    void sleep_for(std::chrono::milliseconds duration, std::stop_token stop);

    config::MailboxConfig m_config;
    store::ConnectorState& m_state;
    IngestFn m_ingest;
    QuarantineFn m_quarantine;
    PollerOptions m_options;
    std::string m_folder;
    std::unique_ptr<ImapClient> m_client;

    mutable std::mutex m_status_mutex;
    MailboxStatus m_status;

    std::mutex m_sleep_mutex;
    std::condition_variable_any m_sleep;
};

}  // namespace redress::connectors::imap
