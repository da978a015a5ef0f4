#pragma once
// Telegram's Bot API beyond sendMessage (https://core.telegram.org/bots/api#making-requests):
//   getUpdates      the poller of a chat in "poll" mode (telegram_poller.hpp)
//   setWebhook      `redress chat setup NAME` for a chat in "webhook" mode
//   deleteWebhook   `redress chat setup NAME` for a chat in "poll" mode (getUpdates is refused while a
//                   webhook is set)
//   getWebhookInfo  both of them, and the daemon's check whether our webhook is the one registered
//
// Every method is POST <api_base>/bot<token>/<method> with a JSON body and answers
// {"ok": true, "result": ...} or {"ok": false, "error_code": 409, "description": "..."}. The token is
// in the path, so no URL ever reaches a log or an error text.

#include "common/result.hpp"
#include "common/time.hpp"
#include "config/config.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace redress::connectors::chat {

// What an answer means. Errors carry a kind and a code:
//   transient  telegram.unreachable (no connection, a timeout), telegram.server (5xx),
//              telegram.bad_answer (not the Bot API's JSON: a proxy's page, a cut reply)
//   limited    telegram.limited (429; retry_after_seconds as Telegram asked)
//   refused    telegram.unauthorized (401: the bot token is wrong or revoked),
//              telegram.webhook_active (409 on getUpdates: a webhook is set), telegram.refused (the rest)
//   stopped    telegram.stopped (the stop token was triggered while the request ran)
// Pure: `status` 0 with `transport_error` set means no HTTP answer came.
Result<nlohmann::json> interpret_bot_api_reply(std::string_view method, long status, std::string_view body,
                                               std::string_view transport_error);

// <public_url>/hooks/<name>: where the daemon takes a chat's webhooks.
std::string webhook_url(std::string_view public_url, std::string_view chat_name);

// getWebhookInfo's result (https://core.telegram.org/bots/api#webhookinfo).
struct WebhookInfo {
    std::string url;  // empty: no webhook (updates wait for getUpdates)
    long long pending_update_count = 0;
    std::optional<TimePoint> last_error_date;
    std::string last_error_message;
    std::vector<std::string> allowed_updates;
    long long max_connections = 0;
};
WebhookInfo webhook_info_of(const nlohmann::json& result);

// The updates a chat takes: a customer's message and an edit of one (docs/chat.md).
const nlohmann::json& allowed_updates();

struct BotApiTiming {
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds total_timeout{30'000};
};

class TelegramBotApi {
public:
    explicit TelegramBotApi(config::Chat chat);

    // One call. `stop` ends a request in flight at once (a long poll holds up to its timeout):
    // the answer is then ErrorKind::stopped.
    Result<nlohmann::json> call(std::string_view method, const nlohmann::json& body, BotApiTiming timing = {},
                                std::stop_token stop = {}) const;

    const config::Chat& chat() const { return m_chat; }

private:
    config::Chat m_chat;
};

}  // namespace redress::connectors::chat
