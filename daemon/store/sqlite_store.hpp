#pragma once
// The embedded default store: one SQLite file in WAL mode, schema migrations, foreign keys, one
// writer at a time. All access goes through one connection guarded by a mutex, so the daemon's
// threads (mailbox pollers, the outbox worker, the scheduler) can share it. Several processes may
// open one file (the command line beside the daemon); SQLite serialises their writes.

#include "store.hpp"

#include <chrono>
#include <filesystem>
#include <memory>

namespace redress::store {

struct SqliteOptions {
    // How long a write waits for another connection's write lock before failing as transient.
    std::chrono::milliseconds busy_timeout{5000};
};

// The kind of a SQLite result code (primary or extended): busy, locked, full, I/O and cannot-open
// are transient; a constraint is a constraint; anything else is a plain failure.
ErrorKind sqlite_error_kind(int result_code);

class SqliteStore final : public Store {
public:
    // Opens and migrates the database; OpenMode::create makes a missing file. Errors name the file
    // and the cause.
    static Result<std::unique_ptr<SqliteStore>> open(const std::filesystem::path& file,
                                                     OpenMode mode = OpenMode::create, SqliteOptions options = {});
    // For migration tests: a new file migrated only up to `version` (1 is the first schema).
    static Result<void> create_at_version(const std::filesystem::path& file, int version);
    ~SqliteStore() override;

    // The schema version this build migrates to.
    static int schema_version();
    // The one statement that chooses and claims due letters (tests read its query plan).
    static std::string claim_statement();
    // The value of a PRAGMA on the store's own connection (settings such as synchronous are per
    // connection, so another connection cannot read them). `name` is a bare pragma name.
    Result<std::string> pragma(std::string_view name);

    Result<std::unique_ptr<Transaction>> begin() override;
    Result<std::vector<Ticket>> list_tickets(const TicketFilter& filter) override;
    Result<std::optional<Ticket>> ticket(std::string_view number) override;
    Result<std::vector<StoredMessage>> messages_of(std::int64_t ticket_id) override;
    Result<std::vector<StoredMessage>> messages_from(const std::vector<std::string>& senders) override;
    Result<std::vector<AttachmentRecord>> attachments_of_message(std::int64_t message_id) override;
    Result<std::vector<Letter>> letters_of(std::int64_t ticket_id) override;
    Result<std::vector<AuditEvent>> audit_of(std::int64_t ticket_id) override;
    Result<std::vector<Letter>> claim_due_letters(std::string_view channel, TimePoint now, Seconds lease,
                                                  std::string_view claimant, int limit) override;
    Result<int> release_claims(std::string_view claimant) override;
    Result<std::vector<std::string>> due_channels(TimePoint now) override;
    Result<void> letter_sent(const LetterClaim& claim, TimePoint at) override;
    Result<void> letter_retry(const LetterClaim& claim, TimePoint next_attempt, std::string_view error) override;
    Result<void> letter_failed(const LetterClaim& claim, std::string_view error) override;
    Result<std::optional<Letter>> letter_by_message_id(std::string_view message_id) override;
    Result<std::optional<std::string>> state(std::string_view key) override;
    Result<void> set_state(std::string_view key, std::string_view value) override;
    Result<std::optional<Letter>> letter(std::int64_t id) override;
    Result<std::vector<CorrectiveAction>> actions_of(std::int64_t ticket_id) override;
    Result<std::vector<Note>> notes_of(std::int64_t ticket_id) override;
    Result<std::vector<Rating>> ratings_of(std::int64_t ticket_id) override;
    Result<std::vector<OverdueAction>> overdue_actions(TimePoint now, int limit) override;
    Result<std::vector<Correction>> corrections() override;
    Result<SearchPage> search(const SearchRequest& request) override;
    Result<void> optimize_search() override;
    Result<void> compact_after_erase() override;
    Result<std::vector<Ticket>> tickets_due_for_erase(TimePoint closed_before, int limit) override;
    Result<std::optional<TimePoint>> ticket_erased_at(std::int64_t ticket_id) override;
    Result<std::vector<AttachmentRecord>> attachments_of(std::int64_t ticket_id) override;
    Result<std::optional<AttachmentRecord>> attachment(std::int64_t id) override;
    Result<std::vector<std::string>> attachment_digests() override;
    Result<std::vector<ReportTicket>> report_tickets(const ReportFilter& filter) override;
    Result<std::vector<ReportAction>> report_actions(const ReportFilter& filter) override;
    Result<void> prepare_report_aggregates(ReportAggregation aggregation) override;
    Result<ReportRebuild> start_report_aggregates(ReportAggregation aggregation) override;
    Result<ReportRebuild> step_report_rebuild(std::int64_t tickets) override;
    Result<ReportSums> report_sums(const ReportSumsRequest& request) override;

    Result<User> add_user(User user) override;
    Result<void> update_user(const User& user) override;
    Result<std::optional<User>> user_by_name(std::string_view name) override;
    Result<std::optional<User>> user_by_id(std::int64_t id) override;
    Result<std::vector<User>> list_users() override;
    Result<int> count_users() override;
    Result<ApiToken> add_token(ApiToken token) override;
    Result<std::optional<std::pair<ApiToken, User>>> use_token(std::string_view digest, TimePoint now) override;
    Result<std::vector<ApiToken>> tokens_of(std::int64_t user_id) override;
    Result<void> revoke_token(std::int64_t token_id, TimePoint now) override;
    Result<void> add_session(const Session& session) override;
    Result<std::optional<std::pair<Session, User>>> session(std::string_view digest, TimePoint now) override;
    Result<void> end_session(std::string_view digest) override;
    Result<void> end_sessions_of(std::int64_t user_id) override;

    Result<TemplateVersion> save_template(TemplateVersion version) override;
    Result<std::vector<TemplateVersion>> template_history(std::string_view language, std::string_view name) override;
    Result<std::vector<TemplateVersion>> current_templates() override;
    const std::string& install_id() const override;

    Result<std::optional<CustomerGroup>> customer_group(std::int64_t customer_id) override;
    Result<std::vector<Ticket>> tickets_of_customer(std::int64_t customer_id) override;
    Result<std::optional<CustomerRecord>> customer_by_identity(IdentityKind kind, std::string_view value) override;
    Result<std::vector<CustomerRecord>> customers_matching(std::string_view text, int limit) override;
    Result<std::optional<std::int64_t>> ticket_customer(std::int64_t ticket_id) override;
    Result<std::optional<std::string>> merged_ticket_target(std::int64_t ticket_id) override;
    Result<std::vector<Ticket>> tickets_merged_into(std::int64_t ticket_id) override;
    Result<std::vector<AuditEvent>> customer_audit(std::int64_t customer_id) override;

    struct Impl;

private:
    explicit SqliteStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace redress::store
