#include "chat_sender.hpp"

#include "chat_http.hpp"
#include "common/text.hpp"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>

namespace redress::connectors::chat {

using nlohmann::json;

namespace {

constexpr std::size_t k_max_reply = 64 * 1024;  // what we read of a reply: enough for any error text

// Telegram takes numeric chat ids as numbers and channel names ("@news") as strings.
json telegram_chat_id(const std::string& id)
{
    long long number = 0;
    auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), number);
    if (error == std::errc() && end == id.data() + id.size())
        return number;
    return id;
}

// Slack reads "<...>" as a link or a mention (<!channel> notifies everyone) and "&" as the start of
// an entity, even with mrkdwn off; its formatting guide asks for these three as HTML entities.
std::string slack_escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else
            out += c;
    }
    return out;
}

// Invalid UTF-8 (which the templates never make) is replaced rather than thrown over.
std::string dump(const json& j)
{
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The service's own words from a JSON reply: Telegram's "description", Slack's "error".
std::string reply_reason(const HttpReply& reply)
{
    json j = json::parse(reply.body, nullptr, false);
    if (j.is_object()) {
        for (const char* key : {"description", "error", "message"})
            if (j.contains(key) && j[key].is_string())
                return one_line(j[key].get<std::string>());
    }
    return one_line(reply.body);
}

SendResult temporary(std::string detail, std::optional<Seconds> retry_after = std::nullopt)
{
    return SendResult{SendResult::Status::temporary_failure, std::move(detail), retry_after};
}

SendResult permanent(std::string detail)
{
    return SendResult{SendResult::Status::permanent_failure, std::move(detail), {}};
}

}  // namespace

std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body)
{
    std::string signed_text = std::string(timestamp) + "." + std::string(body);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), digest, &length);
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out = "sha256=";
    for (unsigned int i = 0; i < length; ++i) {
        out += k_hex[digest[i] >> 4];
        out += k_hex[digest[i] & 0x0F];
    }
    return out;
}

HttpRequest build_request(const config::Chat& chat, const Letter& letter, TimePoint now)
{
    HttpRequest request;
    request.headers.push_back("Content-Type: application/json; charset=utf-8");
    switch (chat.type) {
    case config::ChatType::telegram:
        request.url = chat.api_base + "/bot" + chat.bot_token + "/sendMessage";
        // Plain text (no parse_mode): nothing in a customer's words can be taken for markup.
        {
            // "123456#42": the conversation, and the customer's message the letter answers.
            config::ChatRecipient to = config::parse_chat_recipient(letter.recipient);
            json body{{"chat_id", telegram_chat_id(to.conversation)},
                      {"text", letter.content},
                      {"disable_web_page_preview", true}};
            long long reply_to = 0;
            auto [end, error] = std::from_chars(to.reply_to.data(), to.reply_to.data() + to.reply_to.size(), reply_to);
            if (error == std::errc() && end == to.reply_to.data() + to.reply_to.size() && reply_to > 0) {
                body["reply_to_message_id"] = reply_to;
                // The customer may have deleted their message: the answer still goes, unquoted.
                body["allow_sending_without_reply"] = true;
            }
            request.body = dump(body);
            break;
        }
    case config::ChatType::slack:
        request.url = chat.api_base + "/chat.postMessage";
        request.headers.push_back("Authorization: Bearer " + chat.bot_token);
        // mrkdwn off: the text is shown as written.
        {
            // "C123:1700000000.000100": a customer's conversation is a thread, answered in it
            // (chat.postMessage's thread_ts); a bare channel id (the owner's alerts) is the channel itself.
            std::string_view to = letter.recipient;
            auto colon = to.find(':');
            json body{{"channel", std::string(to.substr(0, colon))},
                      {"text", slack_escape(letter.content)},
                      {"mrkdwn", false}};
            if (colon != std::string_view::npos && colon + 1 < to.size())
                body["thread_ts"] = std::string(to.substr(colon + 1));
            request.body = dump(body);
            break;
        }
    case config::ChatType::webhook: {
        request.url = chat.url;
        request.body = dump(json{{"channel", letter.channel},
                                 {"recipient", letter.recipient},
                                 {"template", letter.template_name},
                                 {"subject", letter.subject},
                                 {"text", letter.content},
                                 {"message_id", letter.message_id}});
        std::string timestamp = std::to_string(now.time_since_epoch().count());
        request.headers.push_back("X-Redress-Timestamp: " + timestamp);
        if (!chat.signing_secret.empty())
            request.headers.push_back("X-Redress-Signature: " +
                                      webhook_signature(chat.signing_secret, timestamp, request.body));
        request.headers.push_back("Idempotency-Key: " + letter.message_id);
        break;
    }
    }
    return request;
}

SendResult interpret_reply(config::ChatType type, const HttpReply& reply)
{
    if (!reply.transport_error.empty() || reply.status == 0)
        return temporary(reply.transport_error.empty() ? "no HTTP reply" : reply.transport_error);
    std::string status = "HTTP " + std::to_string(reply.status);
    if (reply.status == 429) {
        auto wait = reply.retry_after;
        // Telegram says how long to wait in the body: {"parameters": {"retry_after": 5}}.
        if (!wait)
            wait = retry_after_in(json::parse(reply.body, nullptr, false));
        return temporary(status + " too many requests: " + reply_reason(reply), wait);
    }
    if (reply.status >= 500 || reply.status == 408 || reply.status == 425)
        return temporary(status + ": " + reply_reason(reply), reply.retry_after);

    switch (type) {
    case config::ChatType::telegram:
    case config::ChatType::slack: {
        json j = json::parse(reply.body, nullptr, false);
        bool ok = reply.status == 200 && j.is_object() && j.value("ok", false);
        if (ok)
            return SendResult{SendResult::Status::sent, status, {}};
        std::string reason = reply_reason(reply);
        // Slack answers 200 with ok=false; these of its errors pass with time.
        if (type == config::ChatType::slack && reply.status == 200 &&
            (reason == "ratelimited" || reason == "internal_error" || reason == "fatal_error" ||
             reason == "service_unavailable" || reason == "request_timeout"))
            return temporary(status + ": " + reason, reply.retry_after);
        if (reply.status == 200 && !j.is_object())
            return temporary(status + " but not the service's JSON: " + one_line(reply.body));
        return permanent(status + ": " + reason);
    }
    case config::ChatType::webhook:
        if (reply.status >= 200 && reply.status < 300)
            return SendResult{SendResult::Status::sent, status, {}};
        // Redirects are not followed: a moved endpoint is a config matter, not something to chase.
        return permanent(status + ": " + reply_reason(reply));
    }
    return permanent(status);
}

ChatSender::ChatSender(config::Chat chat, ChatTiming timing, const TimeSource& time)
    : m_chat(std::move(chat))
    , m_timing(timing)
    , m_time(time)
{
    // libcurl's global setup must not race other threads' first requests: senders are made on the
    // main thread, before the outbox lanes start.
    prepare_curl();
}

SendResult ChatSender::send(const Letter& letter)
{
    HttpRequest request = build_request(m_chat, letter, to_seconds(m_time.now()));
    HttpCallOptions options;
    options.connect_timeout = m_timing.connect_timeout;
    options.total_timeout = m_timing.total_timeout;
    options.max_body = k_max_reply;
    HttpReply reply = perform(m_chat, request, options);
    auto result = interpret_reply(m_chat.type, reply);
    // A proxy or a wrong api_base may echo the request ("Cannot POST /bot<token>/sendMessage"): the
    // detail goes to logs, the letter and the owner's email, so the secrets are masked in it.
    for (const std::string* secret : {&m_chat.bot_token, &m_chat.signing_secret}) {
        if (secret->size() < 4)
            continue;
        for (auto at = result.detail.find(*secret); at != std::string::npos; at = result.detail.find(*secret, at))
            result.detail.replace(at, secret->size(), "<secret>");
    }
    return result;
}

}  // namespace redress::connectors::chat
