#include "telegram_bot_api.hpp"

#include "common/text.hpp"

#include <curl/curl.h>

#include <memory>

namespace redress::connectors::chat {

using nlohmann::json;

namespace {

constexpr std::size_t k_max_answer = 8 * 1024 * 1024;  // getUpdates with 100 long messages fits well

std::size_t collect(char* data, std::size_t size, std::size_t count, void* target)
{
    auto* body = static_cast<std::string*>(target);
    std::size_t n = size * count;
    if (body->size() + n > k_max_answer)
        return 0;  // libcurl stops with CURLE_WRITE_ERROR: an answer this large is no Bot API answer
    body->append(data, n);
    return n;
}

std::string one_line(std::string text)
{
    sanitize_utf8(text);
    for (char& c : text)
        if (c == '\r' || c == '\n')
            c = ' ';
    if (text.size() > 300)
        text = text.substr(0, utf8_cut(text, 297)) + "...";
    return text;
}

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
        if (is_api_json && answer.contains("parameters") && answer["parameters"].is_object() &&
            answer["parameters"].contains("retry_after") && answer["parameters"]["retry_after"].is_number_integer())
            error.retry_after_seconds = answer["parameters"]["retry_after"].get<long>();
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
    // As for ChatSender: curl_global_init before any thread's first request.
    static const bool curl_ready = [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        return true;
    }();
    (void)curl_ready;
}

Result<json> TelegramBotApi::call(std::string_view method, const json& body, BotApiTiming timing,
                                  std::stop_token stop) const
{
    std::string what(method);
    if (stop.stop_requested())
        return make_error(ErrorKind::stopped, "telegram.stopped", what + ": the daemon is stopping");
    std::string url = m_chat.api_base + "/bot" + m_chat.bot_token + "/" + what;
    std::string payload = body.dump(-1, ' ', false, json::error_handler_t::replace);

    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(), curl_easy_cleanup);
    std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi(curl_multi_init(), curl_multi_cleanup);
    if (!easy || !multi)
        return make_error(ErrorKind::transient, "telegram.unreachable", what + ": libcurl could not start a request");
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(
        curl_slist_append(nullptr, "Content-Type: application/json; charset=utf-8"), curl_slist_free_all);

    std::string answer;
    char error_buffer[CURL_ERROR_SIZE] = {0};
    CURL* c = easy.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, m_chat.verify_tls ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, m_chat.verify_tls ? 2L : 0L);
    if (!m_chat.ca_file.empty())
        curl_easy_setopt(c, CURLOPT_CAINFO, m_chat.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timing.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timing.total_timeout.count()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "redress");

    // The multi interface, so that a stop wakes the wait at once (curl_multi_wakeup may be called
    // from any thread) instead of after a long poll's whole timeout.
    curl_multi_add_handle(multi.get(), c);
    CURLcode code = CURLE_OK;
    bool stopped = false;
    {
        std::stop_callback wake(stop, [m = multi.get()] { curl_multi_wakeup(m); });
        int running = 1;
        while (running > 0) {
            if (curl_multi_perform(multi.get(), &running) != CURLM_OK) {
                code = CURLE_FAILED_INIT;
                break;
            }
            if (running == 0)
                break;
            if (stop.stop_requested()) {
                stopped = true;
                break;
            }
            curl_multi_poll(multi.get(), nullptr, 0, 1000, nullptr);
        }
        int left = 0;
        while (CURLMsg* message = curl_multi_info_read(multi.get(), &left))
            if (message->msg == CURLMSG_DONE && message->easy_handle == c)
                code = message->data.result;
    }
    curl_multi_remove_handle(multi.get(), c);
    if (stopped)
        return make_error(ErrorKind::stopped, "telegram.stopped", what + ": the daemon is stopping");

    long status = 0;
    std::string transport_error;
    if (code != CURLE_OK)
        // The error buffer names the host, never the path with the token; masked all the same.
        transport_error = error_buffer[0] ? std::string(error_buffer) : std::string(curl_easy_strerror(code));
    else
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    auto result = interpret_bot_api_reply(method, status, answer, transport_error);
    if (!result) {
        Error error = result.error();
        error.message = masked(error.message, m_chat.bot_token);
        return error;
    }
    return result;
}

}  // namespace redress::connectors::chat
