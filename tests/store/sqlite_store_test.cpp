// What only the SQLite store does: its file, pragmas, migrations and result codes. The behaviour
// every store shares is in store_contract_test.cpp.

#include "store/open_store.hpp"
#include "store/sqlite_store.hpp"
#include "store_file_test.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

using namespace redress;
using namespace redress::store;

namespace {

class SqliteStoreTest : public StoreFileTest {
protected:
    static Ticket sample_ticket()
    {
        Ticket t;
        t.channel = "email";
        t.source = "support";
        t.kind = Kind::complaint;
        return t;
    }

    std::string create_ticket(SqliteStore& store)
    {
        auto tx = std::move(store.begin()).value();
        auto ticket = tx->create_ticket(sample_ticket(), "RD").value();
        EXPECT_TRUE(tx->commit().ok());
        return ticket.number;
    }
};

}  // namespace

TEST_F(SqliteStoreTest, RefusesADatabaseFromANewerVersion)
{
    ASSERT_TRUE(SqliteStore::open(m_file).ok());
    exec("PRAGMA user_version = 999");
    auto reopened = SqliteStore::open(m_file);
    ASSERT_FALSE(reopened.ok());
    EXPECT_NE(reopened.error().message.find("newer"), std::string::npos);
}

TEST_F(SqliteStoreTest, UsesWriteAheadLoggingAndFullSync)
{
    auto store = SqliteStore::open(m_file);
    ASSERT_TRUE(store.ok());
    EXPECT_EQ(query("PRAGMA journal_mode"), "wal");
    // synchronous is a setting of the connection, so it is read through the store's own. 2 is FULL:
    // a commit survives a power loss, not only a crash of the process.
    EXPECT_EQ((*store)->pragma("synchronous").value(), "2");
    EXPECT_EQ((*store)->pragma("foreign_keys").value(), "1");
    EXPECT_FALSE((*store)->pragma("synchronous = OFF").ok()) << "only a name is read";
}

TEST_F(SqliteStoreTest, ANewDatabaseCanBeRefused)
{
    auto missing = SqliteStore::open(m_file, OpenMode::existing);
    ASSERT_FALSE(missing.ok());
    EXPECT_TRUE(missing.error().is(ErrorKind::not_found));
    EXPECT_NE(missing.error().message.find(m_file.string()), std::string::npos) << missing.error().message;
    EXPECT_FALSE(std::filesystem::exists(m_file)) << "nothing is created";
    ASSERT_TRUE(SqliteStore::open(m_file).ok());
    EXPECT_TRUE(SqliteStore::open(m_file, OpenMode::existing).ok());
}

TEST_F(SqliteStoreTest, TheFactoryOpensTheFileTheConfigNamesAndRefusesAMissingOneWithTheFix)
{
    config::Config config;
    config.data_dir = m_dir / "var";
    auto missing = open_store(config, OpenMode::existing);
    ASSERT_FALSE(missing.ok());
    EXPECT_TRUE(missing.error().is(ErrorKind::not_found));
    EXPECT_EQ(missing.error().message, "no database at " + (m_dir / "var" / "redress.db").string() +
                                           ": run this in the folder where `redress serve` keeps its data, or pass "
                                           "--data-dir");
    EXPECT_FALSE(std::filesystem::exists(m_dir / "var")) << "not even the folder is created";

    ASSERT_TRUE(open_store(config, OpenMode::create).ok());
    EXPECT_TRUE(std::filesystem::exists(m_dir / "var" / "redress.db"));

    config.store_url = "sqlite:" + (m_dir / "elsewhere.db").string();
    ASSERT_TRUE(open_store(config, OpenMode::create).ok());
    EXPECT_TRUE(std::filesystem::exists(m_dir / "elsewhere.db"));
    config.store_url = "postgresql://db/redress";
    auto refused = open_store(config, OpenMode::create);
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(refused.error().is(ErrorKind::invalid));
}

TEST_F(SqliteStoreTest, ADeletedLastTicketsNumberIsNotReused)
{
    auto store = std::move(SqliteStore::open(m_file)).value();
    EXPECT_EQ(create_ticket(*store), "RD-000001");
    EXPECT_EQ(create_ticket(*store), "RD-000002");
    exec("DELETE FROM tickets WHERE number = 'RD-000002'");
    EXPECT_EQ(create_ticket(*store), "RD-000003");
}

TEST_F(SqliteStoreTest, MigratesAFirstVersionDatabaseKeepingItsNumbersAndLetters)
{
    ASSERT_TRUE(SqliteStore::create_at_version(m_file, 1).ok());
    EXPECT_EQ(query("PRAGMA user_version"), "1");
    exec("INSERT INTO tickets (id, number, channel, source, received_at, updated_at, kind, language, severity, status) "
         "VALUES (7, 'RD-000007', 'email', 'support', 0, 0, 'complaint', 'en', 'normal', 'new_ticket');"
         "INSERT INTO letters (ticket_id, channel, template_name, recipient, message_id, content, dedup_key, "
         "created_at) VALUES (7, 'email', 'acknowledgement', 'a@example.org', 'm1@example.com', 'x', 'k1', 100);");
    auto store = SqliteStore::open(m_file);
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_EQ(query("PRAGMA user_version"), std::to_string(SqliteStore::schema_version()));
    EXPECT_EQ(create_ticket(**store), "RD-000008");
    // The old letter had no next attempt: it is due from its creation and can be claimed.
    auto due = (*store)->claim_due_letters("email", TimePoint{Seconds{100}}, Seconds{300}, "a", 10);
    ASSERT_TRUE(due.ok()) << due.error().message;
    ASSERT_EQ(due->size(), 1u);
    EXPECT_EQ((*due)[0].message_id, "m1@example.com");
}

TEST_F(SqliteStoreTest, MigratesASecondVersionDatabaseKeepingItsTicketsAtVersionOne)
{
    ASSERT_TRUE(SqliteStore::create_at_version(m_file, 2).ok());
    EXPECT_EQ(query("PRAGMA user_version"), "2");
    exec("INSERT INTO tickets (id, number, channel, source, received_at, updated_at, kind, language, severity, status, "
         "subject) VALUES (7, 'RD-000007', 'email', 'support', 0, 0, 'complaint', 'en', 'normal', 'investigating', "
         "'Broken kettle');"
         "UPDATE sequences SET value = 7 WHERE name = 'tickets';");
    auto store = SqliteStore::open(m_file);
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_EQ(query("PRAGMA user_version"), std::to_string(SqliteStore::schema_version()));
    auto ticket = (*store)->ticket("RD-000007");
    ASSERT_TRUE(ticket.ok()) << ticket.error().message;
    ASSERT_TRUE(ticket->has_value());
    EXPECT_EQ((*ticket)->subject, "Broken kettle");
    EXPECT_EQ((*ticket)->status, TicketStatus::investigating);
    EXPECT_EQ((*ticket)->version, 1);
    EXPECT_EQ((*ticket)->verdict, "");
    // Migration 4: an email ticket has no chat conversation.
    EXPECT_EQ((*ticket)->conversation, "");
    EXPECT_EQ((*ticket)->customer.chat_user, "");
    EXPECT_EQ((*ticket)->department, "");
    EXPECT_FALSE((*ticket)->closed_at.has_value());
    EXPECT_EQ(create_ticket(**store), "RD-000008");
}

TEST_F(SqliteStoreTest, TheDueQueryUsesItsIndex)
{
    ASSERT_TRUE(SqliteStore::open(m_file).ok());
    // The plan's detail column (the 4th) names the index.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(m_file.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    // The statement the outbox really runs, not a copy of its query.
    std::string explain = "EXPLAIN QUERY PLAN " + SqliteStore::claim_statement();
    ASSERT_EQ(sqlite3_prepare_v2(db, explain.c_str(), -1, &stmt, nullptr), SQLITE_OK);
    std::string details;
    while (sqlite3_step(stmt) == SQLITE_ROW)
        details += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3)) + std::string("\n");
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    EXPECT_NE(details.find("letters_due"), std::string::npos) << details;
}

TEST_F(SqliteStoreTest, ResultCodesHaveTheirKinds)
{
    for (int code : {SQLITE_BUSY, SQLITE_LOCKED, SQLITE_FULL, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_IOERR_FSYNC,
                     SQLITE_BUSY_SNAPSHOT})
        EXPECT_EQ(sqlite_error_kind(code), ErrorKind::transient) << code;
    EXPECT_EQ(sqlite_error_kind(SQLITE_CONSTRAINT), ErrorKind::constraint);
    EXPECT_EQ(sqlite_error_kind(SQLITE_CONSTRAINT_UNIQUE), ErrorKind::constraint);
    EXPECT_EQ(sqlite_error_kind(SQLITE_CORRUPT), ErrorKind::failed);
}
