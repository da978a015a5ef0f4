#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

using namespace redress;
using namespace redress::store;

namespace {

class SqliteStoreTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = std::filesystem::temp_directory_path() /
                ("redress-store-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
        m_file = m_dir / "redress.db";
        auto opened = SqliteStore::open(m_file);
        ASSERT_TRUE(opened.ok()) << opened.error().message;
        m_store = std::move(opened).value();
    }
    void TearDown() override
    {
        m_store.reset();
        std::filesystem::remove_all(m_dir);
    }

    Ticket sample_ticket()
    {
        Ticket t;
        t.customer = Customer{"Anna", "anna@example.org", ""};
        t.channel = "email";
        t.source = "support";
        t.received_at = TimePoint{Seconds{1'800'000'000}};
        t.updated_at = t.received_at;
        t.kind = Kind::complaint;
        t.subject = "Broken kettle";
        return t;
    }

    Letter sample_letter(std::optional<std::int64_t> ticket_id, std::string key)
    {
        Letter l;
        l.ticket_id = ticket_id;
        l.template_name = "acknowledgement";
        l.recipient = "anna@example.org";
        l.message_id = "letter-" + key + "@example.com";
        l.content = "Subject: x\r\n\r\nbody\r\n";
        l.dedup_key = key;
        l.created_at = TimePoint{Seconds{1'800'000'000}};
        return l;
    }

    std::filesystem::path m_dir;
    std::filesystem::path m_file;
    std::unique_ptr<SqliteStore> m_store;
};

}  // namespace

TEST_F(SqliteStoreTest, NumbersTicketsWithThePrefixAndSixDigits)
{
    auto tx = m_store->begin();
    ASSERT_TRUE(tx.ok());
    auto first = (*tx)->create_ticket(sample_ticket(), "RD");
    auto second = (*tx)->create_ticket(sample_ticket(), "RD");
    ASSERT_TRUE(first.ok() && second.ok());
    EXPECT_EQ(first->number, "RD-000001");
    EXPECT_EQ(second->number, "RD-000002");
    ASSERT_TRUE((*tx)->commit().ok());
    auto found = m_store->ticket("rd-000002");
    ASSERT_TRUE(found.ok());
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->subject, "Broken kettle");
    EXPECT_EQ((*found)->customer.email, "anna@example.org");
}

TEST_F(SqliteStoreTest, RollsBackWhenATransactionIsDroppedWithoutCommit)
{
    {
        auto tx = m_store->begin();
        ASSERT_TRUE(tx.ok());
        ASSERT_TRUE((*tx)->create_ticket(sample_ticket(), "RD").ok());
    }
    auto all = m_store->list_tickets({});
    ASSERT_TRUE(all.ok());
    EXPECT_TRUE(all->empty());
}

TEST_F(SqliteStoreTest, FindsMessagesBySourceKeyAndThreadsByMessageId)
{
    auto tx = std::move(m_store->begin()).value();
    auto ticket = tx->create_ticket(sample_ticket(), "RD").value();
    StoredMessage m;
    m.ticket_id = ticket.id;
    m.channel = "email";
    m.source = "support";
    m.source_key = "imap:support:7:42";
    m.message_id = "abc@customer.example";
    m.raw = std::string("raw\0bytes", 9);
    ASSERT_TRUE(tx->add_message(m).ok());
    ASSERT_TRUE(tx->enqueue_letter(sample_letter(ticket.id, "ack:1")).ok());
    ASSERT_TRUE(tx->commit().ok());

    auto tx2 = std::move(m_store->begin()).value();
    EXPECT_TRUE(tx2->message_by_source_key("imap:support:7:42").value().has_value());
    EXPECT_FALSE(tx2->message_by_source_key("imap:support:7:43").value().has_value());
    auto by_reply = tx2->ticket_by_message_ids({"unknown@x", "letter-ack:1@example.com"});
    ASSERT_TRUE(by_reply.ok());
    ASSERT_TRUE(by_reply->has_value());
    EXPECT_EQ((*by_reply)->number, ticket.number);
    auto messages = m_store->messages_of(ticket.id).value();
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].raw.size(), 9u);
}

TEST_F(SqliteStoreTest, QueuesALetterOnlyOncePerDedupKey)
{
    auto tx = std::move(m_store->begin()).value();
    auto ticket = tx->create_ticket(sample_ticket(), "RD").value();
    auto first = tx->enqueue_letter(sample_letter(ticket.id, "alert:1:first_response:breach"));
    ASSERT_TRUE(first.ok());
    EXPECT_TRUE(first->has_value());
    auto again = sample_letter(ticket.id, "alert:1:first_response:breach");
    again.message_id = "another@example.com";
    auto second = tx->enqueue_letter(again);
    ASSERT_TRUE(second.ok());
    EXPECT_FALSE(second->has_value());
    ASSERT_TRUE(tx->commit().ok());
    EXPECT_EQ(m_store->letters_of(ticket.id).value().size(), 1u);
}

TEST_F(SqliteStoreTest, DrainsDueLettersAndRecordsRetriesAndDelivery)
{
    auto tx = std::move(m_store->begin()).value();
    auto ticket = tx->create_ticket(sample_ticket(), "RD").value();
    auto id = tx->enqueue_letter(sample_letter(ticket.id, "k1")).value().value();
    ASSERT_TRUE(tx->commit().ok());
    auto now = TimePoint{Seconds{1'800'000'100}};

    ASSERT_EQ(m_store->due_letters("email", now, 10).value().size(), 1u);
    EXPECT_TRUE(m_store->due_letters("chat:tg", now, 10).value().empty());
    ASSERT_TRUE(m_store->letter_retry(id, now + Seconds{60}, "451 try later").ok());
    EXPECT_TRUE(m_store->due_letters("email", now, 10).value().empty());
    auto later = m_store->due_letters("email", now + Seconds{61}, 10).value();
    ASSERT_EQ(later.size(), 1u);
    EXPECT_EQ(later[0].attempts, 1);
    EXPECT_EQ(later[0].last_error, "451 try later");
    ASSERT_TRUE(m_store->letter_sent(id, now + Seconds{62}).ok());
    EXPECT_TRUE(m_store->due_letters("email", now + Seconds{1000}, 10).value().empty());
    auto letter = m_store->letter_by_message_id("letter-k1@example.com").value();
    ASSERT_TRUE(letter);
    EXPECT_EQ(letter->status, LetterStatus::sent);
    EXPECT_EQ(letter->attempts, 2);
}

TEST_F(SqliteStoreTest, EachChatDrainsOnlyItsOwnLetters)
{
    auto tx = std::move(m_store->begin()).value();
    auto ticket = tx->create_ticket(sample_ticket(), "RD").value();
    for (auto [key, channel] : {std::pair{"c1", "chat:tg"}, std::pair{"c2", "chat:tg2"}, std::pair{"c3", "email"}}) {
        auto letter = sample_letter(ticket.id, key);
        letter.channel = channel;
        letter.message_id = std::string(key) + "@example.com";
        ASSERT_TRUE(tx->enqueue_letter(letter).ok());
    }
    ASSERT_TRUE(tx->commit().ok());
    auto now = TimePoint{Seconds{1'800'000'100}};
    for (auto channel : {"chat:tg", "chat:tg2", "email"}) {
        auto due = m_store->due_letters(channel, now, 10).value();
        ASSERT_EQ(due.size(), 1u) << channel;
        EXPECT_EQ(due[0].channel, channel);
    }
    EXPECT_TRUE(m_store->due_letters("chat:", now, 10).value().empty());
    EXPECT_EQ(m_store->due_channels(now).value(), (std::vector<std::string>{"chat:tg", "chat:tg2", "email"}));
}

TEST_F(SqliteStoreTest, KeepsConnectorStateAcrossReopen)
{
    ASSERT_TRUE(m_store->set_state("imap/support/uidvalidity", "17").ok());
    ASSERT_TRUE(m_store->set_state("imap/support/uidvalidity", "18").ok());
    m_store.reset();
    auto reopened = SqliteStore::open(m_file);
    ASSERT_TRUE(reopened.ok());
    EXPECT_EQ((*reopened)->state("imap/support/uidvalidity").value(), std::optional<std::string>("18"));
    EXPECT_FALSE((*reopened)->state("nothing").value().has_value());
}

TEST_F(SqliteStoreTest, RefusesADatabaseFromANewerVersion)
{
    m_store.reset();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(m_file.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    auto reopened = SqliteStore::open(m_file);
    ASSERT_FALSE(reopened.ok());
    EXPECT_NE(reopened.error().message.find("newer"), std::string::npos);
}

TEST_F(SqliteStoreTest, UsesWriteAheadLogging)
{
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(m_file.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}
