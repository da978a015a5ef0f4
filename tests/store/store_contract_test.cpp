// The store contract (store_contract.hpp), run here for SQLite.

#include "store_contract.hpp"

#include "store/sqlite_store.hpp"

#include <unistd.h>

#include <functional>
#include <mutex>
#include <set>
#include <thread>

using namespace redress;
using namespace redress::store;
using redress::testing::StoreFactory;

namespace {

const TimePoint k_now{Seconds{1'800'000'100}};
const Seconds k_lease{300};

class StoreContract : public ::testing::TestWithParam<StoreFactory> {
protected:
    void SetUp() override
    {
        std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        for (char& c : name)
            if (c == '/')
                c = '_';
        m_dir =
            std::filesystem::temp_directory_path() / ("redress-contract-" + std::to_string(::getpid()) + "-" + name);
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
        m_store = open();
        ASSERT_TRUE(m_store);
    }
    void TearDown() override
    {
        m_store.reset();
        std::filesystem::remove_all(m_dir);
    }

    std::unique_ptr<Store> open(std::chrono::milliseconds busy_timeout = std::chrono::milliseconds(5000))
    {
        auto opened = GetParam().open(m_dir, busy_timeout);
        EXPECT_TRUE(opened.ok()) << opened.error().message;
        return opened.ok() ? std::move(opened).value() : nullptr;
    }

    static Ticket sample_ticket()
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

    static Letter sample_letter(std::optional<std::int64_t> ticket_id, std::string key, std::string channel = "email")
    {
        Letter l;
        l.ticket_id = ticket_id;
        l.channel = std::move(channel);
        l.template_name = "acknowledgement";
        l.recipient = "anna@example.org";
        l.message_id = "letter-" + key + "@example.com";
        l.content = "Subject: x\r\n\r\nbody\r\n";
        l.dedup_key = key;
        l.created_at = TimePoint{Seconds{1'800'000'000}};
        return l;
    }

    // Queues letters with these dedup keys (one ticket) and returns their ids.
    std::vector<std::int64_t> queue(std::initializer_list<const char*> keys, const std::string& channel = "email")
    {
        auto tx = std::move(m_store->begin()).value();
        auto ticket = tx->create_ticket(sample_ticket(), "RD").value();
        std::vector<std::int64_t> ids;
        for (const char* key : keys)
            ids.push_back(tx->enqueue_letter(sample_letter(ticket.id, key, channel)).value().value());
        EXPECT_TRUE(tx->commit().ok());
        return ids;
    }

    static std::vector<std::int64_t> ids_of(const std::vector<Letter>& letters)
    {
        std::vector<std::int64_t> ids;
        for (auto& l : letters)
            ids.push_back(l.id);
        return ids;
    }

    std::filesystem::path m_dir;
    std::unique_ptr<Store> m_store;
};

}  // namespace

TEST_P(StoreContract, NumbersTicketsWithThePrefixAndSixDigits)
{
    auto tx = std::move(m_store->begin()).value();
    auto first = tx->create_ticket(sample_ticket(), "RD");
    auto second = tx->create_ticket(sample_ticket(), "RD");
    ASSERT_TRUE(first.ok() && second.ok());
    EXPECT_EQ(first->number, "RD-000001");
    EXPECT_EQ(second->number, "RD-000002");
    ASSERT_TRUE(tx->commit().ok());
    auto found = m_store->ticket("rd-000002");
    ASSERT_TRUE(found.ok());
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->subject, "Broken kettle");
    EXPECT_EQ((*found)->customer.email, "anna@example.org");
}

TEST_P(StoreContract, TwoConnectionsNeverHandOutOneTicketNumberTwice)
{
    // Two connections creating tickets at the same time. SQLite serialises its writers, so MAX(id)+1
    // would pass here too; a store whose transactions run side by side (PostgreSQL, read committed)
    // fails this unless its numbers come from a sequence. ADeletedLastTicketsNumberIsNotReused (in
    // the SQLite tests) is the one that tells a sequence from MAX(id)+1 on SQLite.
    auto other = open();
    ASSERT_TRUE(other);
    std::mutex mutex;
    std::set<std::string> numbers;
    std::vector<std::string> failures;
    auto create = [&](Store& store) {
        for (int i = 0; i < 10; ++i) {
            auto tx = store.begin();
            if (!tx) {
                std::lock_guard lock(mutex);
                failures.push_back(tx.error().message);
                return;
            }
            auto ticket = (*tx)->create_ticket(sample_ticket(), "RD");
            auto committed = ticket ? (*tx)->commit() : Result<void>(ticket.error());
            std::lock_guard lock(mutex);
            if (!committed)
                failures.push_back(committed.error().message);
            else if (!numbers.insert(ticket->number).second)
                failures.push_back(ticket->number + " handed out twice");
        }
    };
    std::thread a(create, std::ref(*m_store));
    std::thread b(create, std::ref(*other));
    a.join();
    b.join();
    EXPECT_TRUE(failures.empty()) << failures.front();
    EXPECT_EQ(numbers.size(), 20u);
    EXPECT_EQ(m_store->list_tickets({}).value().size(), 20u);
}

TEST_P(StoreContract, RollsBackWhenATransactionIsDroppedWithoutCommit)
{
    {
        auto tx = m_store->begin();
        ASSERT_TRUE(tx.ok());
        ASSERT_TRUE((*tx)->create_ticket(sample_ticket(), "RD").ok());
    }
    EXPECT_TRUE(m_store->list_tickets({}).value().empty());
}

TEST_P(StoreContract, FindsMessagesBySourceKeyAndBytesAndThreadsByMessageId)
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
    m.from_address = "anna@customer.example";
    m.subject = "Broken kettle";
    m.text = "It arrived broken.";
    ASSERT_TRUE(tx->add_message(m).ok());
    ASSERT_TRUE(tx->enqueue_letter(sample_letter(ticket.id, "ack:1")).ok());
    ASSERT_TRUE(tx->commit().ok());

    auto tx2 = std::move(m_store->begin()).value();
    EXPECT_TRUE(tx2->message_by_source_key("imap:support:7:42").value().has_value());
    EXPECT_FALSE(tx2->message_by_source_key("imap:support:7:43").value().has_value());
    EXPECT_TRUE(tx2->message_by_message_id("abc@customer.example").value().has_value());
    EXPECT_TRUE(
        tx2->has_same_message("abc@customer.example", "anna@customer.example", "Broken kettle", "It arrived broken.")
            .value());
    EXPECT_FALSE(
        tx2->has_same_message("abc@customer.example", "anna@customer.example", "Broken kettle", "Something else.")
            .value());
    EXPECT_FALSE(
        tx2->has_same_message("abc@customer.example", "eve@other.example", "Broken kettle", "It arrived broken.")
            .value());
    EXPECT_FALSE(
        tx2->has_same_message("other@customer.example", "anna@customer.example", "Broken kettle", "It arrived broken.")
            .value());
    auto by_reply = tx2->ticket_by_message_ids({"unknown@x", "letter-ack:1@example.com"});
    ASSERT_TRUE(by_reply.ok());
    ASSERT_TRUE(by_reply->has_value());
    EXPECT_EQ((*by_reply)->number, ticket.number);
    auto messages = m_store->messages_of(ticket.id).value();
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].raw.size(), 9u);
}

TEST_P(StoreContract, QueuesALetterOnlyOncePerDedupKey)
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

TEST_P(StoreContract, ClaimsDueLettersAndRecordsRetriesAndDelivery)
{
    auto id = queue({"k1"}).at(0);
    auto claimed = m_store->claim_due_letters("email", k_now, k_lease, "a", 10).value();
    ASSERT_EQ(ids_of(claimed), std::vector<std::int64_t>{id});
    EXPECT_TRUE(m_store->claim_due_letters("chat:tg", k_now, k_lease, "a", 10).value().empty());
    ASSERT_TRUE(
        m_store->letter_retry(LetterClaim{id, "a", k_now + k_lease}, k_now + Seconds{60}, "451 try later").ok());
    EXPECT_TRUE(m_store->claim_due_letters("email", k_now + Seconds{59}, k_lease, "a", 10).value().empty());
    auto later = m_store->claim_due_letters("email", k_now + Seconds{61}, k_lease, "a", 10).value();
    ASSERT_EQ(later.size(), 1u);
    EXPECT_EQ(later[0].attempts, 1);
    EXPECT_EQ(later[0].last_error, "451 try later");
    ASSERT_TRUE(m_store->letter_sent(LetterClaim{id, "a", k_now + Seconds{61} + k_lease}, k_now + Seconds{62}).ok());
    EXPECT_TRUE(m_store->claim_due_letters("email", k_now + Seconds{100'000}, k_lease, "a", 10).value().empty());
    auto letter = m_store->letter_by_message_id("letter-k1@example.com").value();
    ASSERT_TRUE(letter);
    EXPECT_EQ(letter->status, LetterStatus::sent);
    EXPECT_EQ(letter->sent_at, k_now + Seconds{62});
    EXPECT_EQ(letter->attempts, 2);
}

TEST_P(StoreContract, ClaimsTheOldestDueFirstUpToTheLimit)
{
    auto ids = queue({"k1", "k2", "k3"});
    auto first = m_store->claim_due_letters("email", k_now, k_lease, "a", 2).value();
    EXPECT_EQ(ids_of(first), (std::vector<std::int64_t>{ids[0], ids[1]}));
    auto rest = m_store->claim_due_letters("email", k_now, k_lease, "a", 2).value();
    EXPECT_EQ(ids_of(rest), std::vector<std::int64_t>{ids[2]});
}

TEST_P(StoreContract, AClaimedLetterIsNotHandedToAnotherClaimantUntilTheLeaseEnds)
{
    auto id = queue({"k1"}).at(0);
    ASSERT_EQ(m_store->claim_due_letters("email", k_now, k_lease, "a", 10).value().size(), 1u);
    EXPECT_TRUE(m_store->claim_due_letters("email", k_now, k_lease, "b", 10).value().empty());
    EXPECT_TRUE(m_store->claim_due_letters("email", k_now + k_lease - Seconds{1}, k_lease, "b", 10).value().empty());
    // "a" died without recording anything: once its lease ends, "b" takes the letter.
    auto taken = m_store->claim_due_letters("email", k_now + k_lease, k_lease, "b", 10).value();
    EXPECT_EQ(ids_of(taken), std::vector<std::int64_t>{id});
}

TEST_P(StoreContract, ADeadClaimantsClaimsCanBeGivenBackBeforeTheLeaseEnds)
{
    auto ids = queue({"k1", "k2"});
    ASSERT_EQ(m_store->claim_due_letters("email", k_now, k_lease, "dead", 1).value().size(), 1u);
    ASSERT_EQ(m_store->claim_due_letters("email", k_now, k_lease, "alive", 1).value().size(), 1u);
    EXPECT_EQ(m_store->release_claims("dead").value(), 1);
    auto taken = m_store->claim_due_letters("email", k_now, k_lease, "next", 10).value();
    EXPECT_EQ(ids_of(taken), std::vector<std::int64_t>{ids[0]}) << "the live claimant keeps its letter";
    EXPECT_EQ(m_store->release_claims("nobody").value(), 0);
}

TEST_P(StoreContract, RecordingRefusesAClaimThatIsNoLongerTheCallers)
{
    auto id = queue({"k1"}).at(0);
    ASSERT_EQ(m_store->claim_due_letters("email", k_now, k_lease, "a", 10).value().size(), 1u);
    ASSERT_EQ(m_store->claim_due_letters("email", k_now + k_lease, k_lease, "b", 10).value().size(), 1u);
    LetterClaim stale{id, "a", k_now + k_lease};
    for (auto r : {m_store->letter_sent(stale, k_now + k_lease), m_store->letter_retry(stale, k_now + k_lease, "x"),
                   m_store->letter_failed(stale, "x")}) {
        ASSERT_FALSE(r.ok());
        EXPECT_TRUE(r.error().is(ErrorKind::conflict)) << r.error().code << ": " << r.error().message;
    }
    ASSERT_TRUE(m_store->letter_sent(LetterClaim{id, "b", k_now + 2 * k_lease}, k_now + k_lease).ok());
    // Recorded once: the same claim cannot record a second outcome.
    auto again = m_store->letter_failed(LetterClaim{id, "b", k_now + 2 * k_lease}, "x");
    ASSERT_FALSE(again.ok());
    EXPECT_TRUE(again.error().is(ErrorKind::conflict));
    EXPECT_EQ(m_store->letter_by_message_id("letter-k1@example.com").value()->status, LetterStatus::sent);
}

TEST_P(StoreContract, SentIsRecordedAfterTheLeaseEndedWhenNobodyElseTookTheLetter)
{
    auto id = queue({"k1"}).at(0);
    ASSERT_EQ(m_store->claim_due_letters("email", k_now, k_lease, "a", 10).value().size(), 1u);
    // The send took longer than the lease (a slow server): it went out, so it is recorded.
    ASSERT_TRUE(m_store->letter_sent(LetterClaim{id, "a", k_now + k_lease}, k_now + 2 * k_lease).ok());
    EXPECT_EQ(m_store->letter_by_message_id("letter-k1@example.com").value()->status, LetterStatus::sent);
}

TEST_P(StoreContract, RecordingAMissingLetterIsNotFound)
{
    auto r = m_store->letter_sent(LetterClaim{4242, "a", k_now}, k_now);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(ErrorKind::not_found)) << r.error().code;
}

TEST_P(StoreContract, TwoConnectionsNeverClaimOneLetterTwice)
{
    auto ids = queue({"k1", "k2", "k3", "k4", "k5"});
    auto other = open();
    ASSERT_TRUE(other);
    std::set<std::int64_t> seen;
    for (int i = 0; i < 8; ++i) {
        Store& store = i % 2 ? *other : *m_store;
        auto claimed = store.claim_due_letters("email", k_now, k_lease, i % 2 ? "b" : "a", 1).value();
        for (auto& letter : claimed)
            EXPECT_TRUE(seen.insert(letter.id).second) << "letter " << letter.id << " claimed twice";
    }
    EXPECT_EQ(seen.size(), ids.size());
}

TEST_P(StoreContract, EachChatDrainsOnlyItsOwnLettersAndDueChannelsNamesThem)
{
    auto tx = std::move(m_store->begin()).value();
    auto ticket = tx->create_ticket(sample_ticket(), "RD").value();
    for (auto [key, channel] : {std::pair{"c1", "chat:tg"}, std::pair{"c2", "chat:tg2"}, std::pair{"c3", "email"}})
        ASSERT_TRUE(tx->enqueue_letter(sample_letter(ticket.id, key, channel)).ok());
    ASSERT_TRUE(tx->commit().ok());
    EXPECT_EQ(m_store->due_channels(k_now).value(), (std::vector<std::string>{"chat:tg", "chat:tg2", "email"}));
    for (auto channel : {"chat:tg", "chat:tg2", "email"}) {
        auto due = m_store->claim_due_letters(channel, k_now, k_lease, "a", 10).value();
        ASSERT_EQ(due.size(), 1u) << channel;
        EXPECT_EQ(due[0].channel, channel);
    }
    EXPECT_TRUE(m_store->claim_due_letters("chat:", k_now, k_lease, "a", 10).value().empty());
}

TEST_P(StoreContract, KeepsConnectorStateAcrossReopen)
{
    ASSERT_TRUE(m_store->set_state("imap/support/uidvalidity", "17").ok());
    ASSERT_TRUE(m_store->set_state("imap/support/uidvalidity", "18").ok());
    m_store.reset();
    auto reopened = open();
    ASSERT_TRUE(reopened);
    EXPECT_EQ(reopened->state("imap/support/uidvalidity").value(), std::optional<std::string>("18"));
    EXPECT_FALSE(reopened->state("nothing").value().has_value());
}

TEST_P(StoreContract, ARefusedUniqueKeyIsAConstraintError)
{
    auto tx = std::move(m_store->begin()).value();
    StoredMessage m;
    m.channel = "email";
    m.source = "support";
    m.source_key = "drop:abc";
    m.raw = "x";
    ASSERT_TRUE(tx->add_message(m).ok());
    auto again = tx->add_message(m);
    ASSERT_FALSE(again.ok());
    EXPECT_TRUE(again.error().is(ErrorKind::constraint)) << again.error().code << ": " << again.error().message;
}

TEST_P(StoreContract, UpdatingATicketThatIsNotThereIsNotFound)
{
    auto tx = std::move(m_store->begin()).value();
    Ticket t = sample_ticket();
    t.id = 999;
    t.number = "RD-000999";
    auto r = tx->update_ticket(t);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(ErrorKind::not_found)) << r.error().code;
}

TEST_P(StoreContract, AWriteBlockedByAnotherConnectionIsTransient)
{
    auto holder = std::move(m_store->begin()).value();
    auto other = open(std::chrono::milliseconds(50));
    ASSERT_TRUE(other);
    auto blocked = other->begin();
    ASSERT_FALSE(blocked.ok());
    EXPECT_TRUE(blocked.error().is(ErrorKind::transient)) << blocked.error().code << ": " << blocked.error().message;
    auto claim = other->claim_due_letters("email", k_now, k_lease, "b", 1);
    ASSERT_FALSE(claim.ok());
    EXPECT_TRUE(claim.error().is(ErrorKind::transient)) << claim.error().code;
    holder.reset();
    EXPECT_TRUE(other->begin().ok()) << "free again once the other transaction ends";
}

INSTANTIATE_TEST_SUITE_P(
    Sqlite, StoreContract,
    ::testing::Values(StoreFactory{
        "sqlite",
        [](const std::filesystem::path& dir, std::chrono::milliseconds busy_timeout) -> Result<std::unique_ptr<Store>> {
            auto opened = TRY(SqliteStore::open(dir / "redress.db", OpenMode::create, SqliteOptions{busy_timeout}));
            return std::unique_ptr<Store>(std::move(opened));
        }}),
    redress::testing::factory_name);
