#pragma once
// How each chat is doing, for /healthz: when an update last came, the last error and how many
// failed in a row, how many updates were taken, and whether Telegram has our webhook registered.
// Written by the threads that take updates (the webhook route's, each poller's, the webhook check)
// and read by /healthz: every call takes the chat's lock.

#include "common/time.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace redress::connectors::chat {

struct ChatHealthState {
    std::optional<TimePoint> last_update;  // an update taken (stored, greeted or ignored)
    std::string last_error;                // empty after a success
    std::optional<TimePoint> last_error_at;
    int consecutive_failures = 0;
    long long updates_received = 0;
    long long failures = 0;                  // since the start, for /metrics
    std::optional<bool> webhook_registered;  // Telegram webhook chats: whether getWebhookInfo names our URL
};

class ChatHealth {
public:
    void update_taken(TimePoint at);
    // A getUpdates round answered (a poll chat), or a delivery taken (a webhook chat): the failure
    // streak ends.
    void succeeded();
    void failed(std::string error, TimePoint at);
    void set_webhook_registered(std::optional<bool> registered);
    ChatHealthState state() const;

private:
    mutable std::mutex m_mutex;
    ChatHealthState m_state;
};

// One ChatHealth per chat name, made on first use and kept for the life of the daemon (a reference
// handed out stays valid).
class ChatHealthBoard {
public:
    ChatHealth& of(const std::string& chat);
    // The chat's state, or a fresh one for a chat nothing was recorded for yet.
    ChatHealthState state_of(const std::string& chat) const;

private:
    mutable std::mutex m_mutex;
    std::map<std::string, std::unique_ptr<ChatHealth>> m_chats;
};

}  // namespace redress::connectors::chat
