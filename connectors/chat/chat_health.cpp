#include "chat_health.hpp"

namespace redress::connectors::chat {

void ChatHealth::update_taken(TimePoint at)
{
    std::lock_guard lock(m_mutex);
    ++m_state.updates_received;
    m_state.last_update = at;
}

void ChatHealth::succeeded()
{
    std::lock_guard lock(m_mutex);
    m_state.consecutive_failures = 0;
    m_state.last_error.clear();
}

void ChatHealth::failed(std::string error, TimePoint at)
{
    std::lock_guard lock(m_mutex);
    ++m_state.consecutive_failures;
    ++m_state.failures;
    m_state.last_error = std::move(error);
    m_state.last_error_at = at;
}

void ChatHealth::set_webhook_registered(std::optional<bool> registered)
{
    std::lock_guard lock(m_mutex);
    m_state.webhook_registered = registered;
}

ChatHealthState ChatHealth::state() const
{
    std::lock_guard lock(m_mutex);
    return m_state;
}

ChatHealth& ChatHealthBoard::of(const std::string& chat)
{
    std::lock_guard lock(m_mutex);
    auto& slot = m_chats[chat];
    if (!slot)
        slot = std::make_unique<ChatHealth>();
    return *slot;
}

ChatHealthState ChatHealthBoard::state_of(const std::string& chat) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_chats.find(chat);
    return it == m_chats.end() ? ChatHealthState{} : it->second->state();
}

}  // namespace redress::connectors::chat
