#pragma once
// The embedded default store: one SQLite file in WAL mode, schema migrations, foreign keys, one
// writer at a time. All access goes through one connection guarded by a mutex, so the daemon's
// threads (mailbox pollers, the outbox worker, the scheduler) can share it.

#include "store.hpp"

#include <filesystem>
#include <memory>

namespace redress::store {

class SqliteStore final : public Store {
public:
    // Opens (creating if needed) and migrates the database. Errors name the file and the cause.
    static Result<std::unique_ptr<SqliteStore>> open(const std::filesystem::path& file);
    ~SqliteStore() override;

    // The schema version this build migrates to.
    static int schema_version();

    Result<std::unique_ptr<Transaction>> begin() override;
    Result<std::vector<Ticket>> list_tickets(const TicketFilter& filter) override;
    Result<std::optional<Ticket>> ticket(std::string_view number) override;
    Result<std::vector<StoredMessage>> messages_of(std::int64_t ticket_id) override;
    Result<std::vector<Letter>> letters_of(std::int64_t ticket_id) override;
    Result<std::vector<AuditEvent>> audit_of(std::int64_t ticket_id) override;
    Result<std::vector<Letter>> due_letters(std::string_view channel, TimePoint now, int limit) override;
    Result<std::vector<std::string>> due_channels(TimePoint now) override;
    Result<void> letter_sent(std::int64_t letter_id, TimePoint at) override;
    Result<void> letter_retry(std::int64_t letter_id, TimePoint next_attempt, std::string_view error) override;
    Result<void> letter_failed(std::int64_t letter_id, std::string_view error) override;
    Result<std::optional<Letter>> letter_by_message_id(std::string_view message_id) override;
    Result<std::optional<std::string>> state(std::string_view key) override;
    Result<void> set_state(std::string_view key, std::string_view value) override;
    const std::string& install_id() const override;

    struct Impl;

private:
    explicit SqliteStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace redress::store
