#include "slack_users.hpp"

#include "common/text.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>
#include <optional>

namespace redress::connectors::chat {

using nlohmann::json;

namespace {

constexpr std::size_t k_max_reply = 256 * 1024;  // a user object with its profile is a few KiB

std::string text_at(const json& object, const char* key)
{
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string percent_encoded(std::string_view text)
{
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += k_hex[c >> 4];
            out += k_hex[c & 0x0F];
        }
    }
    return out;
}

Error lookup_error(ErrorKind kind, std::string message, std::optional<Seconds> retry_after = std::nullopt)
{
    Error e = make_error(kind, "slack.users_info", std::move(message));
    if (retry_after)
        e.retry_after_seconds = static_cast<long>(retry_after->count());
    return e;
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

// libcurl's progress callback: a non-zero answer ends the transfer (the daemon is stopping).
int abort_when_stopping(void* stopping, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    const auto* flag = static_cast<const std::atomic<bool>*>(stopping);
    return flag && flag->load() ? 1 : 0;
}

}  // namespace

HttpRequest users_info_request(const config::Chat& chat, std::string_view user_id)
{
    HttpRequest request;
    request.url = chat.api_base + "/users.info?user=" + percent_encoded(user_id);
    request.headers.push_back("Authorization: Bearer " + chat.bot_token);
    return request;
}

Result<SlackUser> read_users_info(const HttpReply& reply)
{
    if (!reply.transport_error.empty() || reply.status == 0)
        return lookup_error(ErrorKind::transient,
                            reply.transport_error.empty() ? "no HTTP reply" : reply.transport_error);
    std::string status = "HTTP " + std::to_string(reply.status);
    if (reply.status == 429)
        return lookup_error(ErrorKind::transient, status + ": too many requests", reply.retry_after);
    if (reply.status >= 500)
        return lookup_error(ErrorKind::transient, status);
    json j = json::parse(reply.body, nullptr, false);
    if (reply.status != 200 || !j.is_object())
        return lookup_error(ErrorKind::refused, status + " and not Slack's JSON");
    if (!j.value("ok", false)) {
        std::string error = text_at(j, "error");
        if (error == "user_not_found" || error == "users_not_found")
            return lookup_error(ErrorKind::not_found, "Slack knows no such user (" + error + ")");
        if (error == "ratelimited" || error == "internal_error" || error == "fatal_error" ||
            error == "service_unavailable" || error == "request_timeout")
            return lookup_error(ErrorKind::transient, "Slack answered " + error, reply.retry_after);
        // invalid_auth, not_authed, missing_scope (users:read), account_inactive, ...
        return lookup_error(ErrorKind::refused, "Slack refused users.info: " + (error.empty() ? status : error));
    }
    auto user = j.find("user");
    if (user == j.end() || !user->is_object())
        return lookup_error(ErrorKind::refused, "users.info answered without a user");
    SlackUser out;
    out.id = text_at(*user, "id");
    json profile = user->contains("profile") && (*user)["profile"].is_object() ? (*user)["profile"] : json::object();
    // The name a person goes by in letters: the real name first; the display name is often a handle.
    for (std::string candidate : {text_at(profile, "real_name"), text_at(*user, "real_name"),
                                  text_at(profile, "display_name"), text_at(*user, "name")}) {
        sanitize_utf8(candidate);
        if (!trim(candidate).empty()) {
            out.name = std::string(trim(candidate));
            break;
        }
    }
    out.email = text_at(profile, "email");
    sanitize_utf8(out.email);
    return out;
}

SlackUsers::SlackUsers(config::Chat chat, ChatTiming timing, const std::atomic<bool>* stopping)
    : m_chat(std::move(chat))
    , m_timing(timing)
    , m_stopping(stopping)
{
    // curl_global_init must not race other threads' first curl calls: this is made on the main
    // thread at start, like the senders.
    static const bool curl_ready = [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        return true;
    }();
    (void)curl_ready;
}

Result<SlackUser> SlackUsers::look_up(std::string_view user_id) const
{
    HttpRequest request = users_info_request(m_chat, user_id);
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl)
        return lookup_error(ErrorKind::transient, "libcurl could not start a request");
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
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
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
    if (m_stopping) {
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, abort_when_stopping);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(m_stopping));
    }

    CURLcode code = curl_easy_perform(c);
    if (code == CURLE_ABORTED_BY_CALLBACK)
        return lookup_error(ErrorKind::stopped, "the daemon is stopping");
    if (code != CURLE_OK)
        reply.transport_error = error_buffer[0] ? std::string(error_buffer) : std::string(curl_easy_strerror(code));
    else
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
    return read_users_info(reply);
}

}  // namespace redress::connectors::chat
