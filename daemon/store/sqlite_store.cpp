#include "sqlite_store.hpp"

#include <sqlite3.h>

#include <array>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <random>

namespace redress::store {

namespace {

// Migrations run in order, each in its own transaction; PRAGMA user_version records how far a
// file has come. Never edit a migration that has shipped: add a new one.
constexpr std::array<const char*, 1> k_migrations{R"sql(
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    customer_name TEXT NOT NULL DEFAULT '',
    customer_email TEXT NOT NULL DEFAULT '',
    customer_phone TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    source TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    language TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    assignee TEXT NOT NULL DEFAULT '',
    awaiting_customer INTEGER NOT NULL DEFAULT 0,
    first_response_due INTEGER,
    resolution_due INTEGER,
    first_responded_at INTEGER,
    resolved_at INTEGER
);
CREATE INDEX tickets_status ON tickets(status, updated_at);
CREATE INDEX tickets_customer ON tickets(customer_email);

-- Every message we received, with or without a ticket (automatic mail opens none): the source key
-- makes ingestion idempotent.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER REFERENCES tickets(id),
    channel TEXT NOT NULL,
    source TEXT NOT NULL,
    source_key TEXT NOT NULL UNIQUE,
    message_id TEXT NOT NULL DEFAULT '',
    direction TEXT NOT NULL DEFAULT 'in',
    from_address TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    received_at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT '',
    severity TEXT NOT NULL DEFAULT 'normal',
    classification TEXT NOT NULL DEFAULT '{}',
    raw BLOB NOT NULL
);
CREATE INDEX messages_ticket ON messages(ticket_id);
CREATE INDEX messages_message_id ON messages(message_id);

-- The transactional outbox: written in the same transaction as the change that asks for a letter.
CREATE TABLE letters (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER REFERENCES tickets(id),
    channel TEXT NOT NULL,
    template_name TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    message_id TEXT NOT NULL UNIQUE,
    content BLOB NOT NULL,
    dedup_key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    next_attempt_at INTEGER,
    sent_at INTEGER,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX letters_due ON letters(status, channel, next_attempt_at);
CREATE INDEX letters_ticket ON letters(ticket_id);
CREATE INDEX letters_recipient ON letters(recipient COLLATE NOCASE, created_at);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER REFERENCES tickets(id),
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_ticket ON audit(ticket_id, id);

-- Small durable state of the connectors (IMAP UIDVALIDITY and last UID per mailbox).
CREATE TABLE state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
)sql"};

Error sqlite_error(sqlite3* db, std::string_view what)
{
    // Busy, I/O and full-disk failures are worth retrying; a constraint failure will happen again.
    int code = sqlite3_errcode(db);
    std::string prefix = (code == SQLITE_BUSY || code == SQLITE_LOCKED) ? "store.busy"
                         : code == SQLITE_CONSTRAINT                    ? "store.constraint"
                                                                        : "store.sqlite";
    return make_error(prefix, std::string(what) + ": " + sqlite3_errmsg(db));
}

std::int64_t to_db(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint from_db(std::int64_t v) { return TimePoint{Seconds{v}}; }

// A prepared statement, reset on destruction so the cached statement can be reused.
class Statement {
public:
    Statement(sqlite3* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) { }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement()
    {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }

    Statement& bind(int i, std::string_view v)
    {
        sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind_blob(int i, std::string_view v)
    {
        sqlite3_bind_blob(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind(int i, std::int64_t v)
    {
        sqlite3_bind_int64(m_stmt, i, v);
        return *this;
    }
    Statement& bind(int i, TimePoint t) { return bind(i, to_db(t)); }
    Statement& bind(int i, const std::optional<TimePoint>& t)
    {
        if (t)
            return bind(i, *t);
        sqlite3_bind_null(m_stmt, i);
        return *this;
    }
    Statement& bind(int i, const std::optional<std::int64_t>& v)
    {
        if (v)
            return bind(i, *v);
        sqlite3_bind_null(m_stmt, i);
        return *this;
    }

    // SQLITE_ROW -> true, SQLITE_DONE -> false, anything else -> error.
    Result<bool> step()
    {
        int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE)
            return false;
        return sqlite_error(m_db, "step");
    }
    Result<void> run()
    {
        auto r = step();
        if (!r)
            return r.error();
        return {};
    }

    std::string text(int col) const
    {
        auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
    }
    std::string blob(int col) const
    {
        auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, col));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
    }
    std::int64_t integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
    bool is_null(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
    std::optional<TimePoint> time_or_null(int col) const
    {
        if (is_null(col))
            return std::nullopt;
        return from_db(integer(col));
    }
    std::optional<std::int64_t> int_or_null(int col) const
    {
        if (is_null(col))
            return std::nullopt;
        return integer(col);
    }

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt;
};

// Reads every row of a stepped statement with `read`.
template<class Read>
auto collect_rows(Statement& s, Read read) -> Result<std::vector<decltype(read(s))>>
{
    std::vector<decltype(read(s))> out;
    while (true) {
        auto row = s.step();
        if (!row)
            return row.error();
        if (!*row)
            return out;
        out.push_back(read(s));
    }
}

constexpr const char* k_ticket_columns =
    "id, number, customer_name, customer_email, customer_phone, channel, source, received_at, updated_at, kind, "
    "language, severity, status, subject, assignee, awaiting_customer, first_response_due, resolution_due, "
    "first_responded_at, resolved_at";

Ticket read_ticket(const Statement& s)
{
    Ticket t;
    t.id = s.integer(0);
    t.number = s.text(1);
    t.customer = Customer{s.text(2), s.text(3), s.text(4)};
    t.channel = s.text(5);
    t.source = s.text(6);
    t.received_at = from_db(s.integer(7));
    t.updated_at = from_db(s.integer(8));
    t.kind = kind_from_string(s.text(9)).value_or(Kind::other);
    t.language = s.text(10);
    t.severity = severity_from_string(s.text(11)).value_or(Severity::normal);
    t.status = ticket_status_from_string(s.text(12)).value_or(TicketStatus::new_ticket);
    t.subject = s.text(13);
    t.assignee = s.text(14);
    t.awaiting_customer = s.integer(15) != 0;
    t.first_response_due = s.time_or_null(16);
    t.resolution_due = s.time_or_null(17);
    t.first_responded_at = s.time_or_null(18);
    t.resolved_at = s.time_or_null(19);
    return t;
}

constexpr const char* k_letter_columns =
    "id, ticket_id, channel, template_name, recipient, subject, message_id, content, dedup_key, status, attempts, "
    "created_at, next_attempt_at, sent_at, last_error";

Letter read_letter(const Statement& s)
{
    Letter l;
    l.id = s.integer(0);
    l.ticket_id = s.int_or_null(1);
    l.channel = s.text(2);
    l.template_name = s.text(3);
    l.recipient = s.text(4);
    l.subject = s.text(5);
    l.message_id = s.text(6);
    l.content = s.blob(7);
    l.dedup_key = s.text(8);
    l.status = letter_status_from_string(s.text(9)).value_or(LetterStatus::queued);
    l.attempts = static_cast<int>(s.integer(10));
    l.created_at = from_db(s.integer(11));
    l.next_attempt_at = s.time_or_null(12);
    l.sent_at = s.time_or_null(13);
    l.last_error = s.text(14);
    return l;
}

}  // namespace

struct SqliteStore::Impl {
    sqlite3* db = nullptr;
    std::recursive_mutex mutex;  // one connection, one user at a time; a transaction holds it
    std::map<std::string, sqlite3_stmt*, std::less<>> statements;
    std::string install_id;

    ~Impl()
    {
        for (auto& [sql, stmt] : statements)
            sqlite3_finalize(stmt);
        if (db)
            sqlite3_close(db);
    }

    Result<void> exec(const char* sql)
    {
        char* message = nullptr;
        if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
            std::string text = message ? message : "unknown error";
            sqlite3_free(message);
            return make_error(sqlite3_errcode(db) == SQLITE_BUSY ? "store.busy" : "store.sqlite", text);
        }
        return {};
    }

    // Prepared statements are cached by their SQL text; the caller holds the mutex.
    Result<sqlite3_stmt*> prepare(const std::string& sql)
    {
        if (auto it = statements.find(sql); it != statements.end())
            return it->second;
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
            return sqlite_error(db, "prepare");
        statements.emplace(sql, stmt);
        return stmt;
    }
};

namespace {

// Runs `fn(Statement&)` on a cached statement.
template<class Fn>
auto with_statement(SqliteStore::Impl& impl, const std::string& sql, Fn&& fn) -> decltype(fn(std::declval<Statement&>()))
{
    auto stmt = impl.prepare(sql);
    if (!stmt)
        return stmt.error();
    Statement s(impl.db, *stmt);
    return fn(s);
}

Result<std::optional<Ticket>> query_one_ticket(SqliteStore::Impl& impl, const std::string& where,
                                               const std::function<void(Statement&)>& bind)
{
    return with_statement(impl, std::string("SELECT ") + k_ticket_columns + " FROM tickets WHERE " + where,
                          [&](Statement& s) -> Result<std::optional<Ticket>> {
                              bind(s);
                              auto row = s.step();
                              if (!row)
                                  return row.error();
                              if (!*row)
                                  return std::optional<Ticket>{};
                              return std::optional<Ticket>{read_ticket(s)};
                          });
}

Result<std::optional<std::int64_t>> query_one_id(SqliteStore::Impl& impl, const std::string& sql, std::string_view key)
{
    return with_statement(impl, sql, [&](Statement& s) -> Result<std::optional<std::int64_t>> {
        s.bind(1, key);
        auto row = s.step();
        if (!row)
            return row.error();
        if (!*row)
            return std::optional<std::int64_t>{};
        return std::optional<std::int64_t>{s.integer(0)};
    });
}

Result<std::optional<Letter>> query_letter_by_message_id(SqliteStore::Impl& impl, std::string_view message_id)
{
    return with_statement(impl, std::string("SELECT ") + k_letter_columns + " FROM letters WHERE message_id = ?1",
                          [&](Statement& s) -> Result<std::optional<Letter>> {
                              s.bind(1, message_id);
                              auto row = s.step();
                              if (!row)
                                  return row.error();
                              if (!*row)
                                  return std::optional<Letter>{};
                              return std::optional<Letter>{read_letter(s)};
                          });
}

Result<void> update_letter_failed(SqliteStore::Impl& impl, std::int64_t letter_id, std::string_view error)
{
    return with_statement(impl,
                          "UPDATE letters SET status = 'failed', attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
                          [&](Statement& s) {
                              s.bind(1, letter_id).bind(2, error);
                              return s.run();
                          });
}

Result<std::vector<AuditEvent>> query_audit(SqliteStore::Impl& impl, std::int64_t ticket_id)
{
    return with_statement(impl, "SELECT id, ticket_id, at, actor, action, detail FROM audit WHERE ticket_id = ?1 ORDER BY id",
                          [&](Statement& s) {
                              s.bind(1, ticket_id);
                              return collect_rows(s, [](const Statement& r) {
                                  return AuditEvent{r.integer(0), r.int_or_null(1), from_db(r.integer(2)),
                                                    r.text(3),    r.text(4),        r.text(5)};
                              });
                          });
}

class SqliteTransaction final : public Transaction {
public:
    explicit SqliteTransaction(SqliteStore::Impl& impl) : m_impl(impl), m_lock(impl.mutex) { }
    ~SqliteTransaction() override
    {
        if (m_open)
            (void)m_impl.exec("ROLLBACK");
    }

    Result<void> start()
    {
        // IMMEDIATE takes the write lock now, so a busy database fails here, before any work.
        auto r = m_impl.exec("BEGIN IMMEDIATE");
        if (r)
            m_open = true;
        return r;
    }

    Result<std::optional<std::int64_t>> message_by_source_key(std::string_view key) override
    {
        return query_one_id(m_impl, "SELECT id FROM messages WHERE source_key = ?1", key);
    }

    Result<std::optional<std::int64_t>> message_by_message_id(std::string_view message_id) override
    {
        if (message_id.empty())
            return std::optional<std::int64_t>{};
        return query_one_id(m_impl, "SELECT id FROM messages WHERE message_id = ?1 AND direction = 'in' LIMIT 1",
                            message_id);
    }

    Result<std::optional<Ticket>> ticket_by_message_ids(const std::vector<std::string>& ids) override
    {
        // Newest reference first: a reply's In-Reply-To names the latest message of the thread.
        for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
            if (it->empty())
                continue;
            auto id = query_one_id(m_impl,
                                   "SELECT ticket_id FROM messages WHERE message_id = ?1 AND ticket_id IS NOT NULL "
                                   "UNION ALL SELECT ticket_id FROM letters WHERE message_id = ?1 AND ticket_id IS "
                                   "NOT NULL LIMIT 1",
                                   *it);
            if (!id)
                return id.error();
            if (*id)
                return ticket_by_id(**id);
        }
        return std::optional<Ticket>{};
    }

    Result<std::optional<Ticket>> ticket_by_number(std::string_view number) override
    {
        return query_one_ticket(m_impl, "number = ?1", [&](Statement& s) { s.bind(1, number); });
    }

    Result<std::optional<Ticket>> ticket_by_id(std::int64_t id) override
    {
        return query_one_ticket(m_impl, "id = ?1", [&](Statement& s) { s.bind(1, id); });
    }

    Result<Ticket> create_ticket(Ticket t, std::string_view prefix) override
    {
        // One writer holds the transaction, so the next id is stable until commit.
        auto next = with_statement(m_impl, "SELECT COALESCE(MAX(id), 0) + 1 FROM tickets",
                                   [](Statement& s) -> Result<std::int64_t> {
                                       auto row = s.step();
                                       if (!row)
                                           return row.error();
                                       return s.integer(0);
                                   });
        if (!next)
            return next.error();
        t.id = *next;
        char digits[32];
        std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(t.id));
        t.number = std::string(prefix) + "-" + digits;
        auto r = with_statement(
            m_impl,
            std::string("INSERT INTO tickets (") + k_ticket_columns +
                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
            [&](Statement& s) {
                bind_ticket(s, t);
                return s.run();
            });
        if (!r)
            return r.error();
        return t;
    }

    Result<void> update_ticket(const Ticket& t) override
    {
        return with_statement(m_impl,
                              "UPDATE tickets SET number = ?2, customer_name = ?3, customer_email = ?4, "
                              "customer_phone = ?5, channel = ?6, source = ?7, received_at = ?8, updated_at = ?9, "
                              "kind = ?10, language = ?11, severity = ?12, status = ?13, subject = ?14, assignee = "
                              "?15, awaiting_customer = ?16, first_response_due = ?17, resolution_due = ?18, "
                              "first_responded_at = ?19, resolved_at = ?20 WHERE id = ?1",
                              [&](Statement& s) {
                                  bind_ticket(s, t);
                                  return s.run();
                              });
    }

    Result<std::int64_t> add_message(const StoredMessage& m) override
    {
        return with_statement(
            m_impl,
            "INSERT INTO messages (ticket_id, channel, source, source_key, message_id, direction, from_address, "
            "subject, text, received_at, kind, language, severity, classification, raw) VALUES (?1, ?2, ?3, ?4, ?5, "
            "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            [&](Statement& s) -> Result<std::int64_t> {
                s.bind(1, m.ticket_id ? std::optional<std::int64_t>(m.ticket_id) : std::nullopt)
                    .bind(2, m.channel)
                    .bind(3, m.source)
                    .bind(4, m.source_key)
                    .bind(5, m.message_id)
                    .bind(6, m.direction)
                    .bind(7, m.from_address)
                    .bind(8, m.subject)
                    .bind(9, m.text)
                    .bind(10, m.received_at)
                    .bind(11, to_string(m.kind))
                    .bind(12, m.language)
                    .bind(13, to_string(m.severity))
                    .bind(14, m.classification)
                    .bind_blob(15, m.raw);
                auto r = s.run();
                if (!r)
                    return r.error();
                return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_impl.db));
            });
    }

    Result<std::optional<std::int64_t>> enqueue_letter(const Letter& l) override
    {
        return with_statement(
            m_impl,
            "INSERT INTO letters (ticket_id, channel, template_name, recipient, subject, message_id, content, "
            "dedup_key, status, attempts, created_at, next_attempt_at, sent_at, last_error) VALUES (?1, ?2, ?3, ?4, "
            "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT(dedup_key) DO NOTHING",
            [&](Statement& s) -> Result<std::optional<std::int64_t>> {
                s.bind(1, l.ticket_id)
                    .bind(2, l.channel)
                    .bind(3, l.template_name)
                    .bind(4, l.recipient)
                    .bind(5, l.subject)
                    .bind(6, l.message_id)
                    .bind_blob(7, l.content)
                    .bind(8, l.dedup_key)
                    .bind(9, to_string(l.status))
                    .bind(10, std::int64_t{l.attempts})
                    .bind(11, l.created_at)
                    .bind(12, l.next_attempt_at.value_or(l.created_at))
                    .bind(13, l.sent_at)
                    .bind(14, l.last_error);
                auto r = s.run();
                if (!r)
                    return r.error();
                if (sqlite3_changes(m_impl.db) == 0)
                    return std::optional<std::int64_t>{};
                return std::optional<std::int64_t>{sqlite3_last_insert_rowid(m_impl.db)};
            });
    }

    Result<void> add_audit(const AuditEvent& e) override
    {
        return with_statement(m_impl,
                              "INSERT INTO audit (ticket_id, at, actor, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
                              [&](Statement& s) {
                                  s.bind(1, e.ticket_id).bind(2, e.at).bind(3, e.actor).bind(4, e.action).bind(5, e.detail);
                                  return s.run();
                              });
    }

    Result<int> automatic_letters_to(std::string_view recipient, TimePoint since) override
    {
        return with_statement(m_impl,
                              "SELECT COUNT(*) FROM letters WHERE recipient = ?1 COLLATE NOCASE AND created_at >= ?2",
                              [&](Statement& s) -> Result<int> {
                                  s.bind(1, recipient).bind(2, since);
                                  auto row = s.step();
                                  if (!row)
                                      return row.error();
                                  return static_cast<int>(s.integer(0));
                              });
    }

    Result<int> letters_since(std::string_view template_name, TimePoint since) override
    {
        return with_statement(m_impl, "SELECT COUNT(*) FROM letters WHERE template_name = ?1 AND created_at >= ?2",
                              [&](Statement& s) -> Result<int> {
                                  s.bind(1, template_name).bind(2, since);
                                  auto row = s.step();
                                  if (!row)
                                      return row.error();
                                  return static_cast<int>(s.integer(0));
                              });
    }

    Result<bool> has_message_from(std::int64_t ticket_id, std::string_view address) override
    {
        return with_statement(m_impl,
                              "SELECT 1 FROM messages WHERE ticket_id = ?1 AND direction = 'in' AND kind <> 'automatic' "
                              "AND from_address = ?2 COLLATE NOCASE LIMIT 1",
                              [&](Statement& s) -> Result<bool> {
                                  s.bind(1, ticket_id).bind(2, address);
                                  auto row = s.step();
                                  if (!row)
                                      return row.error();
                                  return *row;
                              });
    }

    Result<std::optional<Letter>> letter_by_message_id(std::string_view message_id) override
    {
        return query_letter_by_message_id(m_impl, message_id);
    }

    Result<bool> has_letter(std::string_view dedup_key) override
    {
        return with_statement(m_impl, "SELECT 1 FROM letters WHERE dedup_key = ?1 LIMIT 1", [&](Statement& s) -> Result<bool> {
            s.bind(1, dedup_key);
            auto row = s.step();
            if (!row)
                return row.error();
            return *row;
        });
    }

    Result<void> mark_letter_failed(std::int64_t letter_id, std::string_view error) override
    {
        return update_letter_failed(m_impl, letter_id, error);
    }

    Result<std::vector<AuditEvent>> audit_of(std::int64_t ticket_id) override
    {
        return query_audit(m_impl, ticket_id);
    }

    const std::string& install_id() const override { return m_impl.install_id; }

    Result<void> commit() override
    {
        auto r = m_impl.exec("COMMIT");
        if (r)
            m_open = false;
        return r;
    }

private:
    static void bind_ticket(Statement& s, const Ticket& t)
    {
        s.bind(1, t.id)
            .bind(2, t.number)
            .bind(3, t.customer.name)
            .bind(4, t.customer.email)
            .bind(5, t.customer.phone)
            .bind(6, t.channel)
            .bind(7, t.source)
            .bind(8, t.received_at)
            .bind(9, t.updated_at)
            .bind(10, to_string(t.kind))
            .bind(11, t.language)
            .bind(12, to_string(t.severity))
            .bind(13, to_string(t.status))
            .bind(14, t.subject)
            .bind(15, t.assignee)
            .bind(16, std::int64_t{t.awaiting_customer ? 1 : 0})
            .bind(17, t.first_response_due)
            .bind(18, t.resolution_due)
            .bind(19, t.first_responded_at)
            .bind(20, t.resolved_at);
    }

    SqliteStore::Impl& m_impl;
    std::unique_lock<std::recursive_mutex> m_lock;
    bool m_open = false;
};

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) { }
SqliteStore::~SqliteStore() = default;

int SqliteStore::schema_version() { return static_cast<int>(k_migrations.size()); }

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& file)
{
    auto impl = std::make_unique<Impl>();
    int rc = sqlite3_open_v2(file.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
        std::string why = impl->db ? sqlite3_errmsg(impl->db) : "out of memory";
        return make_error("store.open", "cannot open database " + file.string() + ": " + why);
    }
    sqlite3_busy_timeout(impl->db, 5000);
    // WAL lets the CLI read while the daemon writes; NORMAL sync is durable across process crashes
    // (only an OS crash can lose the last transactions), which MEASURED.md shows is 3-4x faster.
    for (const char* pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"}) {
        if (auto r = impl->exec(pragma); !r)
            return make_error("store.open", "database " + file.string() + ": " + r.error().message);
    }
    int version = 0;
    {
        auto r = with_statement(*impl, "PRAGMA user_version", [&](Statement& s) -> Result<void> {
            auto row = s.step();
            if (!row)
                return row.error();
            version = static_cast<int>(s.integer(0));
            return {};
        });
        if (!r)
            return make_error("store.open", "database " + file.string() + ": " + r.error().message);
    }
    if (version > schema_version())
        return make_error("store.version", "database " + file.string() + " has schema version " +
                                               std::to_string(version) + ", newer than this build knows (" +
                                               std::to_string(schema_version()) + "): upgrade redress");
    for (int v = version; v < schema_version(); ++v) {
        std::string sql = std::string("BEGIN IMMEDIATE;\n") + k_migrations[static_cast<std::size_t>(v)] +
                          "\nPRAGMA user_version = " + std::to_string(v + 1) + ";\nCOMMIT;";
        if (auto r = impl->exec(sql.c_str()); !r) {
            (void)impl->exec("ROLLBACK");
            return make_error("store.migrate", "database " + file.string() + ": migration " + std::to_string(v + 1) +
                                                   " failed: " + r.error().message);
        }
    }
    auto store = std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
    auto id = store->state("install_id");
    if (!id)
        return make_error("store.open", "database " + file.string() + ": " + id.error().message);
    if (*id) {
        store->m_impl->install_id = **id;
    } else {
        std::random_device random;
        char hex[33];
        std::snprintf(hex, sizeof hex, "%08x%08x%08x%08x", random(), random(), random(), random());
        if (auto r = store->set_state("install_id", hex); !r)
            return make_error("store.open", "database " + file.string() + ": " + r.error().message);
        store->m_impl->install_id = hex;
    }
    return store;
}

const std::string& SqliteStore::install_id() const { return m_impl->install_id; }

Result<std::unique_ptr<Transaction>> SqliteStore::begin()
{
    auto tx = std::make_unique<SqliteTransaction>(*m_impl);
    if (auto r = tx->start(); !r)
        return r.error();
    return std::unique_ptr<Transaction>(std::move(tx));
}

Result<std::vector<Ticket>> SqliteStore::list_tickets(const TicketFilter& filter)
{
    std::lock_guard lock(m_impl->mutex);
    std::string where;
    if (filter.status)
        where = " WHERE status = ?1";
    else if (filter.open_only)
        where = " WHERE status NOT IN ('resolved', 'closed')";
    std::string sql = std::string("SELECT ") + k_ticket_columns + " FROM tickets" + where + " ORDER BY id DESC LIMIT ?2";
    return with_statement(*m_impl, sql, [&](Statement& s) -> Result<std::vector<Ticket>> {
        if (filter.status)
            s.bind(1, to_string(*filter.status));
        s.bind(2, std::int64_t{filter.limit});
        return collect_rows(s, read_ticket);
    });
}

Result<std::optional<Ticket>> SqliteStore::ticket(std::string_view number)
{
    std::lock_guard lock(m_impl->mutex);
    return query_one_ticket(*m_impl, "number = ?1 COLLATE NOCASE", [&](Statement& s) { s.bind(1, number); });
}

Result<std::vector<StoredMessage>> SqliteStore::messages_of(std::int64_t ticket_id)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(
        *m_impl,
        "SELECT id, ticket_id, channel, source, source_key, message_id, direction, from_address, subject, text, "
        "received_at, kind, language, severity, classification, raw FROM messages WHERE ticket_id = ?1 ORDER BY id",
        [&](Statement& s) {
            s.bind(1, ticket_id);
            return collect_rows(s, [](const Statement& r) {
                StoredMessage m;
                m.id = r.integer(0);
                m.ticket_id = r.integer(1);
                m.channel = r.text(2);
                m.source = r.text(3);
                m.source_key = r.text(4);
                m.message_id = r.text(5);
                m.direction = r.text(6);
                m.from_address = r.text(7);
                m.subject = r.text(8);
                m.text = r.text(9);
                m.received_at = from_db(r.integer(10));
                m.kind = kind_from_string(r.text(11)).value_or(Kind::other);
                m.language = r.text(12);
                m.severity = severity_from_string(r.text(13)).value_or(Severity::normal);
                m.classification = r.text(14);
                m.raw = r.blob(15);
                return m;
            });
        });
}

namespace {
Result<std::vector<Letter>> collect_letters(Statement& s)
{
    return collect_rows(s, read_letter);
}
}  // namespace

Result<std::vector<Letter>> SqliteStore::letters_of(std::int64_t ticket_id)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl, std::string("SELECT ") + k_letter_columns + " FROM letters WHERE ticket_id = ?1 ORDER BY id",
                          [&](Statement& s) {
                              s.bind(1, ticket_id);
                              return collect_letters(s);
                          });
}

Result<std::vector<AuditEvent>> SqliteStore::audit_of(std::int64_t ticket_id)
{
    std::lock_guard lock(m_impl->mutex);
    return query_audit(*m_impl, ticket_id);
}

Result<std::vector<Letter>> SqliteStore::due_letters(std::string_view channel, TimePoint now, int limit)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl,
                          std::string("SELECT ") + k_letter_columns +
                              " FROM letters WHERE status = 'queued' AND channel = ?1 AND "
                              "COALESCE(next_attempt_at, 0) <= ?2 ORDER BY next_attempt_at, id LIMIT ?3",
                          [&](Statement& s) {
                              s.bind(1, channel).bind(2, now).bind(3, std::int64_t{limit});
                              return collect_letters(s);
                          });
}

Result<std::vector<std::string>> SqliteStore::due_channels(TimePoint now)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl,
                          "SELECT DISTINCT channel FROM letters WHERE status = 'queued' AND "
                          "COALESCE(next_attempt_at, 0) <= ?1 ORDER BY channel",
                          [&](Statement& s) {
                              s.bind(1, now);
                              return collect_rows(s, [](Statement& row) { return row.text(0); });
                          });
}

Result<void> SqliteStore::letter_sent(std::int64_t letter_id, TimePoint at)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl,
                          "UPDATE letters SET status = 'sent', sent_at = ?2, attempts = attempts + 1, last_error = '' "
                          "WHERE id = ?1",
                          [&](Statement& s) {
                              s.bind(1, letter_id).bind(2, at);
                              return s.run();
                          });
}

Result<void> SqliteStore::letter_retry(std::int64_t letter_id, TimePoint next_attempt, std::string_view error)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl,
                          "UPDATE letters SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
                          [&](Statement& s) {
                              s.bind(1, letter_id).bind(2, next_attempt).bind(3, error);
                              return s.run();
                          });
}

Result<void> SqliteStore::letter_failed(std::int64_t letter_id, std::string_view error)
{
    std::lock_guard lock(m_impl->mutex);
    return update_letter_failed(*m_impl, letter_id, error);
}

Result<std::optional<Letter>> SqliteStore::letter_by_message_id(std::string_view message_id)
{
    std::lock_guard lock(m_impl->mutex);
    return query_letter_by_message_id(*m_impl, message_id);
}

Result<std::optional<std::string>> SqliteStore::state(std::string_view key)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl, "SELECT value FROM state WHERE key = ?1",
                          [&](Statement& s) -> Result<std::optional<std::string>> {
                              s.bind(1, key);
                              auto row = s.step();
                              if (!row)
                                  return row.error();
                              if (!*row)
                                  return std::optional<std::string>{};
                              return std::optional<std::string>{s.text(0)};
                          });
}

Result<void> SqliteStore::set_state(std::string_view key, std::string_view value)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl,
                          "INSERT INTO state (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = "
                          "excluded.value",
                          [&](Statement& s) {
                              s.bind(1, key).bind(2, value);
                              return s.run();
                          });
}

}  // namespace redress::store
