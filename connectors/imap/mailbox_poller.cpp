#include "mailbox_poller.hpp"

#include "common/log.hpp"
#include "imap_syntax.hpp"
#include "token_command.hpp"

#include <algorithm>
#include <charconv>

namespace redress::connectors::imap {

namespace {

std::optional<std::uint32_t> parse_stored_uid(const std::optional<std::string>& text)
{
    if (!text || text->empty())
        return std::nullopt;
    std::uint32_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size())
        return std::nullopt;
    return value;
}

TimePoint now_seconds()
{
    return to_seconds(Clock::now());
}

}  // namespace

MailboxPoller::MailboxPoller(config::MailboxConfig config, store::ConnectorState& state, IngestFn ingest,
                             QuarantineFn quarantine, PollerOptions options)
    : m_config(std::move(config))
    , m_state(state)
    , m_ingest(std::move(ingest))
    , m_quarantine(std::move(quarantine))
    , m_options(options)
{
    m_status.name = m_config.name;
}

MailboxPoller::~MailboxPoller() = default;

MailboxStatus MailboxPoller::status() const
{
    std::lock_guard lock(m_status_mutex);
    return m_status;
}

void MailboxPoller::disconnect()
{
    if (m_client)
        m_client->disconnect();
    m_client.reset();
    std::lock_guard lock(m_status_mutex);
    m_status.connected = false;
    m_status.push = false;
}

Result<void> MailboxPoller::ensure_connected(std::stop_token stop)
{
    if (m_client && m_client->connected()) {
        m_client->set_stop_token(stop);
        return {};
    }
    auto url = TRY(parse_imap_url(m_config.url));
    m_folder = url.folder;

    ImapClientOptions options;
    options.url = url.server;
    options.user = m_config.user;
    options.password = m_config.password;
    options.oauth_token = m_config.oauth_token;
    options.verify_tls = m_config.verify_tls;
    options.ca_file = m_config.ca_file;
    options.starttls = m_config.starttls;
    options.connect_timeout = m_options.connect_timeout;
    options.response_timeout = m_options.response_timeout;
    options.max_literal = std::max<std::size_t>(m_config.max_message_size, 1024 * 1024);
    if (!m_config.oauth_token_command.empty()) {
        // Access tokens live about an hour; a fresh one for every connection keeps it simple.
        options.oauth_token =
            TRY(run_token_command(m_config.oauth_token_command, m_options.token_command_timeout, stop));
    }
    m_client = std::make_unique<ImapClient>(std::move(options), stop);
    if (auto connected = m_client->connect(); !connected) {
        m_client.reset();
        return connected.error();
    }
    log::info("imap.connected", {{"mailbox", m_config.name},
                                 {"folder", m_folder},
                                 {"idle", m_client->has_capability("IDLE") ? "yes" : "no"},
                                 {"move", m_client->has_capability("MOVE") ? "yes" : "no"}});
    std::lock_guard lock(m_status_mutex);
    m_status.connected = true;
    return {};
}

Result<void> MailboxPoller::after_store(std::uint32_t uid)
{
    switch (m_config.after_store) {
    case config::AfterStore::seen:
        return m_client->add_flags(uid, "\\Seen");
    case config::AfterStore::move:
        if (m_config.move_to.empty())
            return make_error(ErrorKind::invalid, "imap.config", "after_store is \"move\" but move_to names no folder");
        return m_client->move(uid, m_config.move_to);
    case config::AfterStore::keep:
        return {};
    }
    return {};
}

Result<void> MailboxPoller::remember_uid(std::uint32_t uid)
{
    return m_state.set_state(last_uid_key(), std::to_string(uid));
}

Result<RoundReport> MailboxPoller::poll_once(std::stop_token stop)
{
    RoundReport report;
    TRY(ensure_connected(stop));
    auto drop = [&](Error error) -> Result<RoundReport> {
        // After a transport or protocol failure the connection is of no further use. A refusal (the
        // server answered NO) or a message that is gone leaves it in a known state.
        if (!error.is(ErrorKind::refused) && !error.is(ErrorKind::not_found)) {
            m_client.reset();
            std::lock_guard lock(m_status_mutex);
            m_status.connected = false;
        }
        return error;
    };

    auto selected = m_client->select(m_folder);
    if (!selected)
        return drop(selected.error());

    auto known_validity = parse_stored_uid(TRY(m_state.state(uidvalidity_key())));
    if (!known_validity || *known_validity != selected->uidvalidity) {
        if (known_validity) {
            log::warn("imap.uidvalidity_changed", {{"mailbox", m_config.name},
                                                   {"old", std::to_string(*known_validity)},
                                                   {"new", std::to_string(selected->uidvalidity)}});
            report.rescanned = true;
        }
        std::uint32_t start_after = 0;
        if (!known_validity && m_options.skip_existing_on_first_sync && selected->uidnext > 0) {
            start_after = selected->uidnext - 1;
            log::info("imap.first_sync_skips_existing",
                      {{"mailbox", m_config.name}, {"existing", std::to_string(selected->exists)}});
        }
        // Set the UID before recording the new UIDVALIDITY: a crash in between repeats this step.
        TRY(remember_uid(start_after));
        TRY(m_state.set_state(uidvalidity_key(), std::to_string(selected->uidvalidity)));
    }
    std::uint32_t last_uid = parse_stored_uid(TRY(m_state.state(last_uid_key()))).value_or(0);
    if (last_uid == 0xFFFFFFFFu)
        return report;

    auto uids = m_client->uids_from(last_uid + 1);
    if (!uids)
        return drop(uids.error());

    for (auto uid : *uids) {
        if (stop.stop_requested())
            break;
        pipeline::RawMessage raw;
        raw.channel = "email";
        raw.source = m_config.name;
        raw.source_key =
            "imap:" + m_config.name + ":" + std::to_string(selected->uidvalidity) + ":" + std::to_string(uid);

        auto info = m_client->message_info(uid);
        if (!info)
            return drop(info.error());
        if (!*info) {
            ++report.vanished;
            TRY(remember_uid(uid));
            continue;
        }
        // INTERNALDATE is when the server received the message: deadlines start then, not when a
        // poller that was down for an hour got round to it.
        raw.received_at = (*info)->internal_date.value_or(now_seconds());

        if ((*info)->size > m_config.max_message_size) {
            auto header = m_client->fetch_header(uid);
            if (!header)
                return drop(header.error());
            raw.bytes = header->value_or(std::string());
            std::string reason = "message.too_large: " + std::to_string((*info)->size) +
                                 " bytes, max_message_size is " + std::to_string(m_config.max_message_size);
            if (auto set_aside = m_quarantine(raw, reason); !set_aside) {
                log::warn(
                    "imap.quarantine_failed",
                    {{"mailbox", m_config.name}, {"uid", std::to_string(uid)}, {"error", set_aside.error().message}});
                return set_aside.error();
            }
            log::warn("imap.quarantined", {{"mailbox", m_config.name},
                                           {"uid", std::to_string(uid)},
                                           {"source_key", raw.source_key},
                                           {"reason", reason}});
            ++report.quarantined;
        } else {
            auto body = m_client->fetch_message(uid);
            if (!body)
                return drop(body.error());
            if (!*body) {
                ++report.vanished;
                TRY(remember_uid(uid));
                continue;
            }
            raw.bytes = std::move(**body);
            auto outcome = m_ingest(raw);
            if (!outcome) {
                // Not stored, so not marked: the next round fetches it again.
                log::warn("imap.ingest_failed", {{"mailbox", m_config.name},
                                                 {"uid", std::to_string(uid)},
                                                 {"source_key", raw.source_key},
                                                 {"error", outcome.error().message}});
                return outcome.error();
            }
            log::info("imap.ingested", {{"mailbox", m_config.name},
                                        {"uid", std::to_string(uid)},
                                        {"source_key", raw.source_key},
                                        {"ticket", outcome->ticket_number}});
            ++report.ingested;
        }
        // Only now, with the message stored, may the mailbox forget about it.
        if (auto marked = after_store(uid); !marked) {
            log::warn("imap.mark_failed",
                      {{"mailbox", m_config.name}, {"uid", std::to_string(uid)}, {"error", marked.error().message}});
            return drop(marked.error());
        }
        TRY(remember_uid(uid));
    }
    return report;
}

void MailboxPoller::record_success(const RoundReport& report)
{
    std::lock_guard lock(m_status_mutex);
    if (m_status.consecutive_failures > 0)
        log::info("imap.recovered",
                  {{"mailbox", m_config.name}, {"after_failures", std::to_string(m_status.consecutive_failures)}});
    m_status.consecutive_failures = 0;
    m_status.last_error.clear();
    m_status.last_success = now_seconds();
    m_status.messages_ingested += report.ingested;
    m_status.messages_quarantined += report.quarantined;
}

void MailboxPoller::record_failure(const Error& error)
{
    std::lock_guard lock(m_status_mutex);
    ++m_status.consecutive_failures;
    m_status.last_error = error.code + ": " + error.message;
    m_status.last_failure = now_seconds();
    m_status.push = false;
    m_status.connected = m_client && m_client->connected();
}

std::chrono::milliseconds MailboxPoller::backoff_delay(int failures) const
{
    auto delay = m_options.backoff_first;
    for (int i = 1; i < failures && delay < m_options.backoff_cap; ++i)
        delay *= 2;
    return std::min(delay, m_options.backoff_cap);
}

void MailboxPoller::sleep_for(std::chrono::milliseconds duration, std::stop_token stop)
{
    std::unique_lock lock(m_sleep_mutex);
    m_sleep.wait_for(lock, stop, duration, [] { return false; });
}

void MailboxPoller::run(std::stop_token stop)
{
    log::info("imap.poller_started", {{"mailbox", m_config.name}});
    while (!stop.stop_requested()) {
        auto round = poll_once(stop);
        if (stop.stop_requested())
            break;
        if (!round) {
            record_failure(round.error());
            auto failures = status().consecutive_failures;
            auto delay = backoff_delay(failures);
            log::warn("imap.round_failed", {{"mailbox", m_config.name},
                                            {"failures", std::to_string(failures)},
                                            {"retry_in_ms", std::to_string(delay.count())},
                                            {"error", round.error().code + ": " + round.error().message}});
            sleep_for(delay, stop);
            continue;
        }
        record_success(*round);
        // A message that arrived while this round ran was announced in some other command's
        // answer; IDLE would not announce it again.
        if (m_client && m_client->take_mail_hint())
            continue;
        if (m_config.idle && m_client && m_client->has_capability("IDLE")) {
            {
                std::lock_guard lock(m_status_mutex);
                m_status.push = true;
            }
            auto idled = m_client->idle(m_options.idle_renew);
            if (!idled) {
                m_client.reset();
                record_failure(idled.error());
                auto delay = backoff_delay(status().consecutive_failures);
                log::warn("imap.idle_failed", {{"mailbox", m_config.name},
                                               {"retry_in_ms", std::to_string(delay.count())},
                                               {"error", idled.error().message}});
                sleep_for(delay, stop);
            }
            continue;
        }
        {
            std::lock_guard lock(m_status_mutex);
            m_status.push = false;
        }
        sleep_for(std::chrono::duration_cast<std::chrono::milliseconds>(m_config.poll_interval), stop);
    }
    // On a stop the connection is dropped without LOGOUT: stopping must not wait on the network.
    m_client.reset();
    {
        std::lock_guard lock(m_status_mutex);
        m_status.connected = false;
        m_status.push = false;
    }
    log::info("imap.poller_stopped", {{"mailbox", m_config.name}});
}

}  // namespace redress::connectors::imap
