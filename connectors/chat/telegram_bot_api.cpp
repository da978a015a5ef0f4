#include "telegram_bot_api.hpp"

#include "chat_http.hpp"

namespace redress::connectors::chat {

using nlohmann::json;

namespace {

constexpr std::size_t k_max_answer = 8 * 1024 * 1024;  // getUpdates with 100 long messages fits well

// Everything said about a call passes through here: the token is in the request's path, and a
// proxy or a wrong api_base may echo the path back ("Cannot POST /bot<token>/getUpdates").
std::string masked(std::string text, const std::string& token)
{
    if (token.size() >= 4)
        for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at))
            text.replace(at, token.size(), "<token>");
    return text;
}

}  // namespace

Result<json> interpret_bot_api_reply(std::string_view method, long status, std::string_view body,
                                     std::string_view transport_error)
{
    std::string what(method);
    if (status == 0)
        return make_error(ErrorKind::transient, "telegram.unreachable",
                          what + ": no answer from the Bot API: " +
                              (transport_error.empty() ? std::string("no HTTP reply") : std::string(transport_error)));
    json answer = json::parse(body, nullptr, false);
    bool is_api_json = answer.is_object() && answer.contains("ok") && answer["ok"].is_boolean();
    std::string description = is_api_json && answer.contains("description") && answer["description"].is_string()
                                  ? one_line(answer["description"].get<std::string>())
                                  : one_line(std::string(body));
    std::string http = "HTTP " + std::to_string(status);
    if (status == 429) {
        // {"parameters": {"retry_after": 5}}: how long Telegram wants us to wait.
        Error error = make_error(ErrorKind::limited, "telegram.limited", what + ": " + http + ": " + description);
        if (auto wait = is_api_json ? retry_after_in(answer) : std::nullopt)
            error.retry_after_seconds = static_cast<long>(wait->count());
        return error;
    }
    if (status >= 500)
        return make_error(ErrorKind::transient, "telegram.server", what + ": " + http + ": " + description);
    if (!is_api_json)
        return make_error(ErrorKind::transient, "telegram.bad_answer",
                          what + ": " + http + " that is not the Bot API's JSON: " + description);
    if (status == 200 && answer["ok"].get<bool>())
        return answer.contains("result") ? answer["result"] : json(nullptr);
    if (status == 401 || status == 404)
        // The Bot API answers 404 "Not Found" for a token it does not know, 401 for a revoked one.
        return make_error(ErrorKind::refused, "telegram.unauthorized",
                          what + ": " + http + ": " + description + " (is the chat's bot_token right?)");
    if (status == 409)
        return make_error(
            ErrorKind::refused, "telegram.webhook_active",
            what + ": " + http + ": " + description +
                " (a webhook is set for the bot: `redress chat setup <name>` removes it for a poll chat)");
    return make_error(ErrorKind::refused, "telegram.refused", what + ": " + http + ": " + description);
}

std::string webhook_url(std::string_view public_url, std::string_view chat_name)
{
    std::string base(public_url);
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base + "/hooks/" + std::string(chat_name);
}

WebhookInfo webhook_info_of(const json& result)
{
    WebhookInfo info;
    if (!result.is_object())
        return info;
    if (auto it = result.find("url"); it != result.end() && it->is_string())
        info.url = it->get<std::string>();
    if (auto it = result.find("pending_update_count"); it != result.end() && it->is_number_integer())
        info.pending_update_count = it->get<long long>();
    if (auto it = result.find("last_error_date");
        it != result.end() && it->is_number_integer() && it->get<long long>() > 0)
        info.last_error_date = TimePoint{Seconds{it->get<long long>()}};
    if (auto it = result.find("last_error_message"); it != result.end() && it->is_string())
        info.last_error_message = one_line(it->get<std::string>());
    if (auto it = result.find("allowed_updates"); it != result.end() && it->is_array())
        for (const auto& u : *it)
            if (u.is_string())
                info.allowed_updates.push_back(u.get<std::string>());
    if (auto it = result.find("max_connections"); it != result.end() && it->is_number_integer())
        info.max_connections = it->get<long long>();
    return info;
}

const json& allowed_updates()
{
    static const json k_updates = json::array({"message", "edited_message"});
    return k_updates;
}

TelegramBotApi::TelegramBotApi(config::Chat chat)
    : m_chat(std::move(chat))
{
    // As for ChatSender: libcurl's global setup before any thread's first request.
    prepare_curl();
}

Result<json> TelegramBotApi::call(std::string_view method, const json& body, BotApiTiming timing,
                                  std::stop_token stop) const
{
    std::string what(method);
    if (stop.stop_requested())
        return make_error(ErrorKind::stopped, "telegram.stopped", what + ": the daemon is stopping");
    HttpRequest request;
    request.url = m_chat.api_base + "/bot" + m_chat.bot_token + "/" + what;
    request.headers.push_back("Content-Type: application/json; charset=utf-8");
    request.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    HttpCallOptions options;
    options.connect_timeout = timing.connect_timeout;
    options.total_timeout = timing.total_timeout;
    options.max_body = k_max_answer;
    options.refuse_longer = true;  // an answer this large is no Bot API answer
    options.stop = stop;
    // The error text names the host, never the path with the token; masked all the same below.
    HttpReply reply = perform(m_chat, request, options);
    if (reply.stopped)
        return make_error(ErrorKind::stopped, "telegram.stopped", what + ": the daemon is stopping");
    auto result = interpret_bot_api_reply(method, reply.status, reply.body, reply.transport_error);
    if (!result) {
        Error error = result.error();
        error.message = masked(error.message, m_chat.bot_token);
        return error;
    }
    return result;
}

}  // namespace redress::connectors::chat
