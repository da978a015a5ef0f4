#include "chat_sender.hpp"

#include "common/text.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <memory>

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

std::string short_text(std::string text)
{
    sanitize_utf8(text);
    for (char& c : text)
        if (c == '\r' || c == '\n')
            c = ' ';
    if (text.size() > 300)
        text = text.substr(0, utf8_cut(text, 297)) + "...";
    return text;
}

// The service's own words from a JSON reply: Telegram's "description", Slack's "error".
std::string reply_reason(const HttpReply& reply)
{
    json j = json::parse(reply.body, nullptr, false);
    if (j.is_object()) {
        for (const char* key : {"description", "error", "message"})
            if (j.contains(key) && j[key].is_string())
                return short_text(j[key].get<std::string>());
    }
    return short_text(reply.body);
}

SendResult temporary(std::string detail, std::optional<Seconds> retry_after = std::nullopt)
{
    return SendResult{SendResult::Status::temporary_failure, std::move(detail), retry_after};
}

SendResult permanent(std::string detail)
{
    return SendResult{SendResult::Status::permanent_failure, std::move(detail), {}};
}

std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* target)
{
    auto* body = static_cast<std::string*>(target);
    std::size_t n = size * count;
    if (body->size() < k_max_reply)
        body->append(data, std::min(n, k_max_reply - body->size()));
    return n;
}

std::size_t collect_header(char* data, std::size_t size, std::size_t count, void* target)
{
    auto* reply = static_cast<HttpReply*>(target);
    std::string_view line(data, size * count);
    constexpr std::string_view k_name = "retry-after:";
    if (istarts_with(line, k_name)) {
        std::string_view value = trim(line.substr(k_name.size()));
        long long seconds = 0;
        auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
        if (error == std::errc() && seconds >= 0)
            reply->retry_after = Seconds{seconds};
    }
    return size * count;
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
        json j = json::parse(reply.body, nullptr, false);
        if (!wait && j.is_object() && j.contains("parameters") && j["parameters"].is_object() &&
            j["parameters"].contains("retry_after") && j["parameters"]["retry_after"].is_number_integer())
            wait = Seconds{j["parameters"]["retry_after"].get<long long>()};
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
            return temporary(status + " but not the service's JSON: " + short_text(reply.body));
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

ChatSender::ChatSender(config::Chat chat, ChatTiming timing)
    : m_chat(std::move(chat))
    , m_timing(timing)
{
    // curl_global_init must not race other threads' first curl calls: senders are made on the main
    // thread, before the outbox lanes start.
    static const bool curl_ready = [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        return true;
    }();
    (void)curl_ready;
}

SendResult ChatSender::send(const Letter& letter)
{
    HttpRequest request = build_request(m_chat, letter, to_seconds(Clock::now()));
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl)
        return temporary("libcurl could not start a request");
    curl_slist* headers = nullptr;
    for (const auto& h : request.headers)
        headers = curl_slist_append(headers, h.c_str());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers, curl_slist_free_all);

    HttpReply reply;
    char error_buffer[CURL_ERROR_SIZE] = {0};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &reply);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, m_chat.verify_tls ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, m_chat.verify_tls ? 2L : 0L);
    if (!m_chat.ca_file.empty())
        curl_easy_setopt(c, CURLOPT_CAINFO, m_chat.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_timing.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(m_timing.total_timeout.count()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "redress");

    CURLcode code = curl_easy_perform(c);
    if (code != CURLE_OK) {
        // The error buffer names the host, never the URL's path (which holds Telegram's token).
        reply.transport_error = error_buffer[0] ? std::string(error_buffer) : std::string(curl_easy_strerror(code));
    } else {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
    }
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
