#pragma once
// Who a Slack user is: a message event carries only the user's id ("U024BE7LH"), so the daemon asks
// Slack's Web API once per user, after the message is stored (daemon/app/chat_names.hpp):
//
//   GET <api_base>/users.info?user=U024BE7LH   Authorization: Bearer <bot token>
//   {"ok": true, "user": {"id", "name", "real_name", "is_bot", "deleted",
//                         "profile": {"real_name", "display_name", "email"}}}
//   {"ok": false, "error": "user_not_found"}
//
// The email is there only when the app has the users:read.email scope; it is the workspace's, not
// one the customer wrote, and like every chat customer's address it is kept unverified.

#include "chat_sender.hpp"
#include "common/result.hpp"
#include "config/config.hpp"

#include <atomic>
#include <string>
#include <string_view>

namespace redress::connectors::chat {

struct SlackUser {
    std::string id;
    std::string name;   // the real name, else the display name, else the handle
    std::string email;  // empty without the users:read.email scope
};

// Pure: the request for one user (the id is percent-encoded, though Slack's ids are letters and digits).
HttpRequest users_info_request(const config::Chat& chat, std::string_view user_id);

// Pure: what a reply says. Errors carry their kind: transient for no answer, 5xx, 429 (with
// retry_after_seconds) and Slack's "ratelimited"; not_found for "user_not_found"; refused for the
// rest (a bad token, a missing scope).
Result<SlackUser> read_users_info(const HttpReply& reply);

// Asks Slack over libcurl. `stopping`, when set, ends a request in flight as soon as it turns true
// (the daemon is stopping: a slow Slack must not hold the stop up).
class SlackUsers {
public:
    explicit SlackUsers(config::Chat chat, ChatTiming timing = {}, const std::atomic<bool>* stopping = nullptr);
    Result<SlackUser> look_up(std::string_view user_id) const;

private:
    config::Chat m_chat;
    ChatTiming m_timing;
    const std::atomic<bool>* m_stopping;
};

}  // namespace redress::connectors::chat
