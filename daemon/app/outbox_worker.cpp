#include "outbox_worker.hpp"

#include "common/log.hpp"
#include "pipeline/letter_writer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace redress::app {

OutboxWorker::OutboxWorker(store::Store& store, std::map<std::string, std::shared_ptr<connectors::LetterSender>> senders,
                           RuntimeSource runtime)
    : m_store(store), m_senders(std::move(senders)), m_runtime(std::move(runtime))
{
}

OutboxWorker::~OutboxWorker() { stop(); }

void OutboxWorker::start()
{
    for (Lane lane : {Lane::email, Lane::chats})
        m_threads.emplace_back([this, lane] { run_lane(lane); });
}

void OutboxWorker::run_lane(Lane lane)
{
    auto& pending = m_pending[static_cast<int>(lane)];
    while (true) {
        {
            std::unique_lock lock(m_mutex);
            // Retries come due with time passing, so wake at least once a second.
            m_wake.wait_for(lock, std::chrono::seconds(1), [&] { return pending || m_stopping; });
            if (m_stopping)
                return;
            pending = false;
        }
        // A thread that dies takes the daemon with it (std::terminate): a pass that throws is
        // logged and the next one runs.
        try {
            drain_lane(lane, to_seconds(Clock::now()));
        } catch (const std::exception& e) {
            log::error("outbox.pass_failed", {{"lane", lane == Lane::email ? "email" : "chats"}, {"error", e.what()}});
        }
    }
}

void OutboxWorker::notify()
{
    {
        std::lock_guard lock(m_mutex);
        m_pending[0] = m_pending[1] = true;
    }
    m_wake.notify_all();
}

void OutboxWorker::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_interrupt = true;
    m_wake.notify_all();
    for (auto& t : m_threads)
        if (t.joinable())
            t.join();
    m_interrupt = false;
    m_threads.clear();
}

void OutboxWorker::replace_senders(std::map<std::string, std::shared_ptr<connectors::LetterSender>> senders)
{
    std::lock_guard lock(m_senders_mutex);
    m_senders = std::move(senders);
}

int OutboxWorker::drain_once(TimePoint now)
{
    return drain_lane(Lane::email, now) + drain_lane(Lane::chats, now);
}

int OutboxWorker::drain_lane(Lane lane, TimePoint now)
{
    int handled = 0;
    std::map<std::string, std::shared_ptr<connectors::LetterSender>> senders;
    {
        std::lock_guard lock(m_senders_mutex);
        senders = m_senders;
    }
    for (auto& [channel, sender] : senders) {
        bool is_email = channel == "email";
        if (is_email != (lane == Lane::email))
            continue;
        if (!is_email) {
            std::lock_guard lock(m_hold_mutex);
            if (auto it = m_hold.find(channel); it != m_hold.end() && now < it->second)
                continue;
        }
        auto due = m_store.due_letters(channel, now, 50);
        if (!due) {
            log::error("outbox.read_failed", {{"error", due.error().message}});
            continue;
        }
        for (const Letter& letter : *due) {
            if (m_interrupt)
                return handled;
            auto outcome = handle(*sender, letter, now);
            ++handled;
            // SMTP's temporary refusals are often about one recipient (a full mailbox); a chat's
            // are about the service (down, slow, rate-limited): hold the whole chat back.
            if (!is_email && outcome.status == connectors::SendResult::Status::temporary_failure) {
                if (outcome.retry_at) {
                    std::lock_guard lock(m_hold_mutex);
                    m_hold[channel] = *outcome.retry_at;
                }
                break;
            }
        }
    }
    if (lane == Lane::chats && !m_interrupt)
        handled += fail_unsendable(now);
    return handled;
}

int OutboxWorker::fail_unsendable(TimePoint now)
{
    // Letters queued for a chat that a reload (or a restart with a new config) took away: nothing
    // will ever send them, so they fail with the reason and the owner hears of it by email. The
    // senders and the config are read now, not at the start of the pass, so a chat that a reload
    // has just added is not mistaken for one taken away.
    auto channels = m_store.due_channels(now);
    if (!channels) {
        log::error("outbox.read_failed", {{"error", channels.error().message}});
        return 0;
    }
    std::map<std::string, std::shared_ptr<connectors::LetterSender>> senders;
    {
        std::lock_guard lock(m_senders_mutex);
        senders = m_senders;
    }
    auto runtime = m_runtime();
    int handled = 0;
    for (const auto& channel : *channels) {
        if (channel == "email" || senders.contains(channel) ||
            (channel.starts_with("chat:") && runtime->config.chat(std::string_view(channel).substr(5))))
            continue;
        auto due = m_store.due_letters(channel, now, 50);
        if (!due)
            continue;
        std::string why = "no sender for channel \"" + channel + "\": the chat is not in the config";
        for (const Letter& letter : *due) {
            if (auto r = m_store.letter_failed(letter.id, why); !r)
                log::error("outbox.record_failed", {{"letter", std::to_string(letter.id)}, {"error", r.error().message}});
            ++m_counters.failed;
            log::error("letter.failed", {{"letter", std::to_string(letter.id)}, {"channel", channel}, {"error", why}});
            report_permanent_failure(letter, why, now);
            ++handled;
        }
    }
    return handled;
}

OutboxWorker::Handled OutboxWorker::handle(connectors::LetterSender& sender, const Letter& letter, TimePoint now)
{
    auto result = sender.send(letter);
    auto runtime = m_runtime();
    int max_attempts = 8;
    Seconds first_retry{30};
    if (letter.channel == "email" && runtime->config.smtp) {
        max_attempts = runtime->config.smtp->max_attempts;
        first_retry = runtime->config.smtp->first_retry;
    } else if (letter.channel.starts_with("chat:")) {
        if (const auto* chat = runtime->config.chat(std::string_view(letter.channel).substr(5))) {
            max_attempts = chat->max_attempts;
            first_retry = chat->first_retry;
        }
    }
    std::string id = std::to_string(letter.id);
    switch (result.status) {
    case connectors::SendResult::Status::sent:
        if (auto r = m_store.letter_sent(letter.id, to_seconds(Clock::now())); !r)
            log::error("outbox.record_failed", {{"letter", id}, {"error", r.error().message}});
        ++m_counters.sent;
        log::info("letter.sent", {{"letter", id}, {"channel", letter.channel}, {"template", letter.template_name},
                                  {"message_id", letter.message_id}});
        return {result.status, std::nullopt};
    case connectors::SendResult::Status::temporary_failure:
        if (letter.attempts + 1 < max_attempts) {
            // Exponential backoff, capped at an hour: 30 s, 1 min, 2 min, ...
            auto delay = first_retry * (1LL << std::min(letter.attempts, 7));
            delay = std::min<Seconds>(delay, Seconds{3600});
            // The service said when to come back (429): not sooner than that.
            if (result.retry_after)
                delay = std::max<Seconds>(delay, std::min<Seconds>(*result.retry_after, Seconds{3600}));
            // Counted from when the attempt ended: a pass over slow services can take minutes.
            TimePoint retry_at = to_seconds(Clock::now()) + delay;
            if (auto r = m_store.letter_retry(letter.id, retry_at, result.detail); !r)
                log::error("outbox.record_failed", {{"letter", id}, {"error", r.error().message}});
            ++m_counters.retried;
            log::warn("letter.retry", {{"letter", id}, {"in", format_iso8601_duration(delay)}, {"error", result.detail}});
            return {result.status, retry_at};
        }
        [[fallthrough]];
    case connectors::SendResult::Status::permanent_failure:
        if (auto r = m_store.letter_failed(letter.id, result.detail); !r)
            log::error("outbox.record_failed", {{"letter", id}, {"error", r.error().message}});
        ++m_counters.failed;
        log::error("letter.failed",
                   {{"letter", id}, {"channel", letter.channel}, {"template", letter.template_name}, {"error", result.detail}});
        report_permanent_failure(letter, result.detail, now);
        return {result.status, std::nullopt};
    }
    return {result.status, std::nullopt};
}

void OutboxWorker::report_permanent_failure(const Letter& letter, const std::string& why, TimePoint now)
{
    auto runtime = m_runtime();
    // An alert that cannot be delivered is not reported by another alert to the same owner.
    if (runtime->config.owner.email.empty() || letter.template_name == "delivery_failure" ||
        letter.recipient == runtime->config.owner.email)
        return;
    auto tx = m_store.begin();
    if (!tx) {
        log::error("outbox.alert_failed", {{"letter", std::to_string(letter.id)}, {"error", tx.error().message}});
        return;
    }
    std::optional<Ticket> ticket;
    if (letter.ticket_id) {
        if (auto t = (*tx)->ticket_by_id(*letter.ticket_id); t)
            ticket = *t;
    }
    pipeline::LetterRequest request;
    request.template_name = "delivery_failure";
    request.language = "en";
    request.to = Mailbox{runtime->config.owner.name, runtime->config.owner.email};
    request.dedup_key = "failed:" + letter.message_id;
    request.install_id = (*tx)->install_id();
    request.ticket = ticket ? &*ticket : nullptr;
    request.auto_submitted = letters::AutoSubmitted::auto_generated;
    request.extra_values = {{"delivery.recipient", letter.recipient}, {"delivery.subject", letter.subject}, {"delivery.error", why}};
    auto alert = pipeline::write_letter(*runtime, request, now);
    if (!alert) {
        log::error("outbox.alert_failed", {{"letter", std::to_string(letter.id)}, {"error", alert.error().message}});
        return;
    }
    auto queued = (*tx)->enqueue_letter(*alert);
    if (queued && *queued) {
        (void)(*tx)->add_audit(AuditEvent{0, letter.ticket_id, now, "system", "letter.failed",
                                          nlohmann::json{{"letter", letter.id}, {"error", why}}.dump(
                                              -1, ' ', false, nlohmann::json::error_handler_t::replace)});
        (void)(*tx)->commit();
    }
}

}  // namespace redress::app
