#include "telegram_poller.hpp"

#include "chat_in/telegram_update.hpp"
#include "common/log.hpp"

#include <charconv>

namespace redress::connectors::chat {

using nlohmann::json;

namespace {

std::optional<long long> parse_offset(const std::optional<std::string>& text)
{
    if (!text || text->empty())
        return std::nullopt;
    long long value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size())
        return std::nullopt;
    return value;
}

std::optional<long long> update_id_of(const json& update)
{
    if (!update.is_object())
        return std::nullopt;
    auto it = update.find("update_id");
    if (it == update.end() || !it->is_number_integer())
        return std::nullopt;
    return it->get<long long>();
}

// An empty answer that came sooner than this was no long poll (a proxy that does not hold requests):
// the next one waits a little, so such a server is not asked in a busy loop.
constexpr auto k_short_answer = std::chrono::milliseconds(1'000);

// How long Telegram keeps an update nobody fetched (core.telegram.org/bots/api#getting-updates).
constexpr Seconds k_update_lifetime{24 * 3600};

}  // namespace

std::chrono::milliseconds poll_backoff(int failures, const Error& last, const TelegramPollerOptions& options)
{
    auto delay = options.backoff_first;
    for (int i = 1; i < failures && delay < options.backoff_cap; ++i)
        delay *= 2;
    delay = std::min(delay, options.backoff_cap);
    if (last.retry_after_seconds > 0)
        delay = std::max<std::chrono::milliseconds>(delay, Seconds{last.retry_after_seconds});
    return delay;
}

TelegramPoller::TelegramPoller(config::Chat chat, store::ConnectorState& state, TakeFn take, QuarantineFn quarantine,
                               ChatHealth& health, const TimeSource& time, TelegramPollerOptions options)
    : m_api(std::move(chat))
    , m_state(state)
    , m_take(std::move(take))
    , m_quarantine(std::move(quarantine))
    , m_health(health)
    , m_time(time)
    , m_options(options)
{
}

Result<void> TelegramPoller::remember_offset(long long next)
{
    // Updates may come again out of order (an overlap after a restart): the offset never goes back.
    if (m_offset && next <= *m_offset)
        return {};
    TRY(m_state.set_state(offset_key(), std::to_string(next)));
    m_offset = next;
    return {};
}

Result<PollRound> TelegramPoller::round(std::stop_token stop)
{
    if (!m_offset)
        m_offset = parse_offset(TRY(m_state.state(offset_key())));
    // After a failure the first question is answered at once (timeout 0): that Telegram answers again
    // shows in /healthz now, not after a whole long poll with nothing in it.
    Seconds hold = m_failing ? Seconds{0} : m_options.long_poll;
    json request{{"timeout", hold.count()}, {"limit", m_options.limit}, {"allowed_updates", allowed_updates()}};
    // Asking from an offset confirms every update before it: Telegram forgets them.
    if (m_offset)
        request["offset"] = *m_offset;
    BotApiTiming timing;
    timing.connect_timeout = m_options.connect_timeout;
    timing.total_timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(hold) + std::chrono::milliseconds(15'000);
    json updates = TRY(m_api.call("getUpdates", request, timing, stop));
    if (!updates.is_array())
        return make_error(ErrorKind::transient, "telegram.bad_answer",
                          "getUpdates: the result is not a list of updates");

    PollRound report;
    const config::Chat& chat = m_api.chat();
    for (const json& update : updates) {
        if (stop.stop_requested())
            break;  // the rest come again at the next start: their offset is not written
        ++report.updates;
        auto id = update_id_of(update);
        std::string source_key = chat.name + ":" + (id ? std::to_string(*id) : std::string("(no update_id)"));
        TimePoint now = m_time.now();
        std::string bytes = update.dump(-1, ' ', false, json::error_handler_t::replace);
        // An update that would be refused the same every time is kept aside with the reason, then
        // passed over.
        auto keep_aside = [&](const std::string& reason) -> Result<void> {
            pipeline::RawMessage raw;
            raw.channel = "chat";
            raw.source = chat.name;
            raw.source_key = source_key;
            raw.bytes = bytes;
            raw.received_at = now;
            TRY(m_quarantine(raw, reason));
            log::warn("chat.update_quarantined", {{"chat", chat.name}, {"source", source_key}, {"reason", reason}});
            ++report.quarantined;
            return {};
        };
        auto read = chat_in::read_telegram_update_object(chat, update, bytes);
        if (auto* refusal = std::get_if<chat_in::Refusal>(&read)) {
            TRY(keep_aside("chat." + std::string(chat_in::to_string(refusal->reason)) + ": " + refusal->detail));
        } else {
            auto& taken = std::get<chat_in::HookUpdate>(read);
            if (taken.raw) {
                // Deadlines start when the customer wrote, not when a poller that was down got to it.
                // Telegram keeps updates for 24 hours: an older date is a wrong clock, not a wait.
                std::optional<TimePoint> date;
                if (taken.raw->parsed)
                    date = taken.raw->parsed->date;
                bool plausible = date && *date < now && now - *date <= k_update_lifetime;
                taken.raw->received_at = plausible ? *date : now;
            }
            auto done = m_take(taken);
            if (!done && done.error().is(ErrorKind::invalid)) {
                // Not a passing trouble of the store: asking again would not help.
                TRY(keep_aside(done.error().code + ": " + done.error().message));
            } else if (!done) {
                log::warn("chat.update_not_stored",
                          {{"chat", chat.name}, {"source", source_key}, {"error", done.error().message}});
                return done.error();
            } else {
                m_health.update_taken(now);
                ++report.taken;
            }
        }
        // Only now, with the update stored, may Telegram forget it.
        if (id)
            TRY(remember_offset(*id + 1));
    }
    return report;
}

Result<PollRound> TelegramPoller::poll_once(std::stop_token stop)
{
    auto done = round(stop);
    if (done) {
        m_health.succeeded();
        m_failing = false;
    } else if (!done.error().is(ErrorKind::stopped)) {
        m_health.failed(done.error().code + ": " + done.error().message, m_time.now());
        m_failing = true;
    }
    return done;
}

void TelegramPoller::wait(std::chrono::milliseconds duration, std::stop_token stop)
{
    std::unique_lock lock(m_wait_mutex);
    m_wait.wait_for(lock, stop, duration, [] { return false; });
}

void TelegramPoller::run(std::stop_token stop)
{
    log::info("chat.poller_started", {{"chat", name()}, {"long_poll_s", std::to_string(m_options.long_poll.count())}});
    int failures = 0;
    while (!stop.stop_requested()) {
        auto asked = std::chrono::steady_clock::now();
        auto done = poll_once(stop);
        if (stop.stop_requested())
            break;
        if (!done) {
            ++failures;
            auto delay = poll_backoff(failures, done.error(), m_options);
            log::warn("chat.poll_failed", {{"chat", name()},
                                           {"failures", std::to_string(failures)},
                                           {"retry_in_ms", std::to_string(delay.count())},
                                           {"error", done.error().code + ": " + done.error().message}});
            wait(delay, stop);
            continue;
        }
        if (failures > 0)
            log::info("chat.poll_recovered", {{"chat", name()}, {"after_failures", std::to_string(failures)}});
        failures = 0;
        if (done->updates == 0 && std::chrono::steady_clock::now() - asked < k_short_answer)
            wait(k_short_answer, stop);
    }
    log::info("chat.poller_stopped", {{"chat", name()}});
}

}  // namespace redress::connectors::chat
