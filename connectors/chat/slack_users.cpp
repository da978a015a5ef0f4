#include "slack_users.hpp"

#include "common/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
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
    // libcurl's global setup must not race other threads' first requests: this is made on the main
    // thread at start, like the senders.
    prepare_curl();
}

Result<SlackUser> SlackUsers::look_up(std::string_view user_id) const
{
    HttpRequest request = users_info_request(m_chat, user_id);
    HttpCallOptions options;
    options.get = true;
    options.connect_timeout = m_timing.connect_timeout;
    options.total_timeout = m_timing.total_timeout;
    options.max_body = k_max_reply;
    options.stopping = m_stopping;
    HttpReply reply = perform(m_chat, request, options);
    if (reply.stopped)
        return lookup_error(ErrorKind::stopped, "the daemon is stopping");
    return read_users_info(reply);
}

}  // namespace redress::connectors::chat
