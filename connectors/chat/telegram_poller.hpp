#pragma once
// A Telegram chat in "poll" mode, on its own thread: the daemon asks Telegram for updates with a
// long poll (getUpdates, https://core.telegram.org/bots/api#getupdates) instead of taking webhooks,
// so a company with no public https URL can still take chats.
//
// Each update is read by the same reader as a webhook delivery (chat_in::read_telegram_update_object)
// and taken by the same function (the daemon's: a message ingested, /start greeted, the rest ignored).
// Durable state per chat (store::ConnectorState): "chat:<name>:offset", the next update_id to ask for.
// It is written after each update was taken (for a message: ingested and committed), never before,
// so a crash between the two brings the update again, and its source key "<chat>:<update_id>" makes
// it a duplicate. An update the reader refuses (malformed, missing its chat) is quarantined with the
// reason and passed over: it would come back the same every time.
//
// Failures (no connection, 5xx, 401 a wrong token, 409 a webhook still set, an answer that is not
// the Bot API's JSON) are logged, counted in the chat's health and backed off, doubling from
// backoff_first up to backoff_cap, never sooner than a 429 asks. A stop ends the long poll in flight
// at once.

#include "chat_health.hpp"
#include "chat_in/chat_hook.hpp"
#include "common/time_source.hpp"
#include "config/config.hpp"
#include "store/store.hpp"
#include "telegram_bot_api.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

namespace redress::connectors::chat {

struct TelegramPollerOptions {
    Seconds long_poll{25};  // getUpdates' timeout: Telegram holds the request this long when there is nothing new
    int limit = 100;        // updates per answer (the Bot API's maximum)
    std::chrono::milliseconds backoff_first{1'000};
    std::chrono::milliseconds backoff_cap{60'000};
    std::chrono::milliseconds connect_timeout{10'000};
};

// What one round did.
struct PollRound {
    std::size_t updates = 0;      // in Telegram's answer
    std::size_t taken = 0;        // taken by the daemon (stored, greeted, ignored; duplicates too)
    std::size_t quarantined = 0;  // refused by the reader, kept aside
};

// How long to wait after `failures` failed rounds in a row: backoff_first, doubled each time, at most
// backoff_cap; never less than the service asked for (429's retry_after).
std::chrono::milliseconds poll_backoff(int failures, const Error& last, const TelegramPollerOptions& options);

class TelegramPoller {
public:
    // Takes one update (the daemon's chat update function). An error: nothing was stored (the
    // database is busy); the round ends and the update comes again. An ErrorKind::invalid error
    // would come again the same: the update is quarantined with it and passed over.
    using TakeFn = std::function<Result<void>(chat_in::HookUpdate& update)>;
    // Keeps an update the reader refused, with the reason. Success means it is set aside.
    using QuarantineFn = std::function<Result<void>(const pipeline::RawMessage& raw, std::string_view reason)>;

    TelegramPoller(config::Chat chat, store::ConnectorState& state, TakeFn take, QuarantineFn quarantine,
                   ChatHealth& health, const TimeSource& time, TelegramPollerOptions options = {});
    TelegramPoller(const TelegramPoller&) = delete;
    TelegramPoller& operator=(const TelegramPoller&) = delete;

    // Until stop is requested: rounds one after the other (each waits in the long poll), a backoff
    // after a failure. The body of a std::jthread.
    void run(std::stop_token stop);

    // One getUpdates and the updates it brought, each taken and its offset written. Records the
    // outcome in the chat's health.
    Result<PollRound> poll_once(std::stop_token stop = {});

    const std::string& name() const { return m_api.chat().name; }
    std::string offset_key() const { return "chat:" + name() + ":offset"; }

private:
    Result<PollRound> round(std::stop_token stop);
    Result<void> remember_offset(long long next);
    void wait(std::chrono::milliseconds duration, std::stop_token stop);

    TelegramBotApi m_api;
    store::ConnectorState& m_state;
    TakeFn m_take;
    QuarantineFn m_quarantine;
    ChatHealth& m_health;
    const TimeSource& m_time;
    TelegramPollerOptions m_options;
    std::optional<long long> m_offset;  // the next update_id to ask for, once read from the state
    bool m_failing = false;             // the last round failed: the next one does not hold

    std::mutex m_wait_mutex;
    std::condition_variable_any m_wait;
};

}  // namespace redress::connectors::chat
