#include "sign_in_limiter.hpp"

#include <algorithm>

namespace redress::auth {

void SignInLimiter::prune(Entry& entry, TimePoint now) const
{
    auto old = std::find_if(entry.failures.begin(), entry.failures.end(),
                            [&](TimePoint t) { return now - t < m_policy.window; });
    entry.failures.erase(entry.failures.begin(), old);
    if (entry.locked_until && *entry.locked_until <= now)
        entry.locked_until.reset();
}

std::optional<TimePoint> SignInLimiter::blocked_until(const std::string& key, TimePoint now)
{
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(key);
    if (it == m_entries.end())
        return std::nullopt;
    prune(it->second, now);
    return it->second.locked_until;
}

void SignInLimiter::failed(const std::string& key, TimePoint now)
{
    std::lock_guard lock(m_mutex);
    if (m_entries.size() >= m_policy.max_keys && !m_entries.contains(key)) {
        auto oldest = std::min_element(m_entries.begin(), m_entries.end(),
                                       [](const auto& a, const auto& b) { return a.second.last < b.second.last; });
        m_entries.erase(oldest);
    }
    Entry& entry = m_entries[key];
    prune(entry, now);
    entry.failures.push_back(now);
    entry.last = now;
    if (static_cast<int>(entry.failures.size()) >= m_policy.max_failures)
        entry.locked_until = now + m_policy.lockout;
}

void SignInLimiter::forgive_last(const std::string& key)
{
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(key);
    if (it == m_entries.end() || it->second.failures.empty())
        return;
    it->second.failures.pop_back();
    if (static_cast<int>(it->second.failures.size()) < m_policy.max_failures)
        it->second.locked_until.reset();
}

void SignInLimiter::succeeded(const std::string& key)
{
    std::lock_guard lock(m_mutex);
    m_entries.erase(key);
}

}  // namespace redress::auth
