#pragma once
// A test double for store::Store that keeps only the connectors' key/value state, in a map. Every
// other method fails loudly: the connectors must not touch tickets or letters themselves. The
// end-to-end tests use the real SQLite store instead.

#include "store/store.hpp"

#include <map>
#include <mutex>
#include <string>

namespace redress::testing {

class MemoryStateStore final : public store::Store {
public:
    Result<std::optional<std::string>> state(std::string_view key) override
    {
        std::lock_guard lock(m_mutex);
        auto found = m_state.find(std::string(key));
        if (found == m_state.end())
            return std::optional<std::string>{};
        return std::optional<std::string>(found->second);
    }

    const std::string& install_id() const override { return m_install_id; }

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

    Result<std::unique_ptr<store::Transaction>> begin() override { return unsupported(); }
    Result<std::vector<Ticket>> list_tickets(const store::TicketFilter&) override { return unsupported(); }
    Result<std::optional<Ticket>> ticket(std::string_view) override { return unsupported(); }
    Result<std::vector<StoredMessage>> messages_of(std::int64_t) override { return unsupported(); }
    Result<std::vector<Letter>> letters_of(std::int64_t) override { return unsupported(); }
    Result<std::vector<AuditEvent>> audit_of(std::int64_t) override { return unsupported(); }
    Result<std::vector<Letter>> due_letters(std::string_view, TimePoint, int) override { return unsupported(); }
    Result<std::vector<std::string>> due_channels(TimePoint) override { return unsupported(); }
    Result<void> letter_sent(std::int64_t, TimePoint) override { return unsupported(); }
    Result<void> letter_retry(std::int64_t, TimePoint, std::string_view) override { return unsupported(); }
    Result<void> letter_failed(std::int64_t, std::string_view) override { return unsupported(); }
    Result<std::optional<Letter>> letter_by_message_id(std::string_view) override { return unsupported(); }

private:
    static Error unsupported()
    {
        return make_error("test.unsupported", "MemoryStateStore keeps connector state only");
    }

    std::mutex m_mutex;
    std::string m_install_id = "memory-store";
    std::map<std::string, std::string> m_state;
};

}  // namespace redress::testing
