#pragma once
// A test double for store::ConnectorState, the only part of the store the connectors use: the
// key/value state, in a map. The end-to-end tests use the real SQLite store instead.

#include "store/store.hpp"

#include <map>
#include <mutex>
#include <string>

namespace redress::testing {

class MemoryStateStore final : public store::ConnectorState {
public:
    Result<std::optional<std::string>> state(std::string_view key) override
    {
        std::lock_guard lock(m_mutex);
        auto found = m_state.find(std::string(key));
        if (found == m_state.end())
            return std::optional<std::string>{};
        return std::optional<std::string>(found->second);
    }

    Result<void> set_state(std::string_view key, std::string_view value) override
    {
        std::lock_guard lock(m_mutex);
        m_state[std::string(key)] = std::string(value);
        return {};
    }

    std::string get(const std::string& key)
    {
        std::lock_guard lock(m_mutex);
        auto found = m_state.find(key);
        return found == m_state.end() ? std::string() : found->second;
    }

private:
    std::mutex m_mutex;
    std::map<std::string, std::string> m_state;
};

}  // namespace redress::testing
