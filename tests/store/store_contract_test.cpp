// The store contract (store_contract.hpp), run here for SQLite.

#include "store_contract.hpp"

#include "store/sqlite_store.hpp"

#include <unistd.h>

#include <algorithm>
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
        t.customer = Customer{"Anna", "anna@example.org", "", ""};
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

TEST_P(StoreContract, FindsAChatConversationsLatestTicketAndKeepsTheCustomersChatIdentity)
{
    auto tx = std::move(m_store->begin()).value();
    Ticket chat = sample_ticket();
    chat.channel = "chat";
    chat.source = "tg";
    chat.customer = Customer{"Анна", "", "", "tg:98765"};
    chat.conversation = "tg:123456";
    auto first = tx->create_ticket(chat, "RD").value();
    first.status = TicketStatus::closed;
    ASSERT_TRUE(tx->update_ticket(first).ok());
    auto second = tx->create_ticket(chat, "RD").value();
    ASSERT_TRUE(tx->create_ticket(sample_ticket(), "RD").ok());  // an email ticket: no conversation

    auto found = tx->ticket_by_conversation("tg:123456");
    ASSERT_TRUE(found.ok()) << found.error().message;
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->number, second.number);  // the latest, not the closed one before it
    EXPECT_EQ((*found)->customer.chat_user, "tg:98765");
    EXPECT_EQ((*found)->customer.name, "Анна");
    EXPECT_FALSE(tx->ticket_by_conversation("tg:999").value().has_value());
    // "" is no conversation: email tickets are never found by it.
    EXPECT_FALSE(tx->ticket_by_conversation("").value().has_value());
    ASSERT_TRUE(tx->commit().ok());
    auto again = m_store->ticket(first.number);
    ASSERT_TRUE(again.ok() && again->has_value());
    EXPECT_EQ((*again)->conversation, "tg:123456");
    EXPECT_EQ((*again)->status, TicketStatus::closed);
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

TEST_P(StoreContract, KeepsCorrectionsAsLabelledExamplesOldestFirst)
{
    auto tx = std::move(m_store->begin()).value();
    auto ticket = tx->create_ticket(sample_ticket(), "RD").value();
    Correction c;
    c.ticket_id = ticket.id;
    c.ticket_number = ticket.number;
    c.subject = "Доставка";
    c.text = "Верните деньги, или я пойду в суд.";
    c.language = "ru";
    c.kind = Kind::complaint;
    c.severity = Severity::major;
    c.from_kind = Kind::question;
    c.from_severity = Severity::normal;
    c.reason = "a refund demand with the court";
    c.by = "alice";
    c.at = TimePoint{Seconds{1'800'000'000}};
    ASSERT_TRUE(tx->add_correction(c).ok());
    Correction later = c;
    later.severity = Severity::normal;
    later.by = "maria";
    later.at += Seconds{60};
    ASSERT_TRUE(tx->add_correction(later).ok());
    ASSERT_TRUE(tx->commit().ok());

    auto kept = m_store->corrections();
    ASSERT_TRUE(kept.ok()) << kept.error().message;
    ASSERT_EQ(kept->size(), 2u);
    const Correction& first = kept->front();
    EXPECT_GT(first.id, 0);
    EXPECT_EQ(first.ticket_id, ticket.id);
    EXPECT_EQ(first.ticket_number, ticket.number);
    EXPECT_EQ(first.subject, c.subject);
    EXPECT_EQ(first.text, c.text);
    EXPECT_EQ(first.language, "ru");
    EXPECT_EQ(first.kind, Kind::complaint);
    EXPECT_EQ(first.severity, Severity::major);
    EXPECT_EQ(first.from_kind, Kind::question);
    EXPECT_EQ(first.from_severity, Severity::normal);
    EXPECT_EQ(first.reason, c.reason);
    EXPECT_EQ(first.by, "alice");
    EXPECT_EQ(first.at, c.at);
    EXPECT_EQ(kept->back().by, "maria");
    EXPECT_EQ(kept->back().severity, Severity::normal);
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

// The per-recipient cap on automatic letters counts a chat conversation once, whichever of its
// messages a letter quoted (Telegram's "123456#42"), and nothing of another conversation.
TEST_P(StoreContract, CountsLettersToAChatConversationWhateverMessageTheyQuote)
{
    auto tx = std::move(m_store->begin()).value();
    auto ticket = tx->create_ticket(sample_ticket(), "RD").value();
    int n = 0;
    for (const char* recipient : {"123456#42", "123456#43", "123456", "1234567#44", "12345#45", "@shop_news#1"}) {
        Letter l = sample_letter(ticket.id, "k" + std::to_string(++n), "chat:tg");
        l.recipient = recipient;
        ASSERT_TRUE(tx->enqueue_letter(l).ok());
    }
    ASSERT_TRUE(tx->commit().ok());
    auto read = std::move(m_store->begin()).value();
    TimePoint since{Seconds{1'799'999'000}};
    EXPECT_EQ(read->automatic_letters_to("123456", since).value(), 3);
    EXPECT_EQ(read->automatic_letters_to("1234567", since).value(), 1);
    EXPECT_EQ(read->automatic_letters_to("12345", since).value(), 1);
    EXPECT_EQ(read->automatic_letters_to("@shop_news", since).value(), 1);
    EXPECT_EQ(read->automatic_letters_to("@shop%news", since).value(), 0);  // no wildcards
    EXPECT_EQ(read->automatic_letters_to("123456", TimePoint{Seconds{1'800'000'001}}).value(), 0);
    EXPECT_EQ(read->automatic_letters_to("ANNA@example.org", since).value(), 0);
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

// The workflow's records: versions, corrective actions, notes, ratings.

namespace {

// Creates and commits tickets, each changed by `change(ticket, index)` first; returns them stored.
std::vector<Ticket> create_tickets(Store& store, int count, const std::function<void(Ticket&, int)>& change)
{
    auto tx = std::move(store.begin()).value();
    std::vector<Ticket> tickets;
    for (int i = 0; i < count; ++i) {
        Ticket t;
        t.channel = "email";
        t.source = "support";
        t.received_at = TimePoint{Seconds{1'800'000'000 + i}};
        t.updated_at = t.received_at;
        change(t, i);
        tickets.push_back(tx->create_ticket(t, "RD").value());
    }
    EXPECT_TRUE(tx->commit().ok());
    return tickets;
}

std::vector<std::int64_t> ticket_ids(const std::vector<Ticket>& tickets)
{
    std::vector<std::int64_t> ids;
    for (auto& t : tickets)
        ids.push_back(t.id);
    return ids;
}

CorrectiveAction sample_action(std::int64_t ticket_id, TimePoint due)
{
    CorrectiveAction a;
    a.ticket_id = ticket_id;
    a.target = ActionFor::process;
    a.text = "Check the kettle supplier's batch";
    a.responsible = "quality@example.com";
    a.due = due;
    a.created_by = "maria";
    a.created_at = k_now;
    return a;
}

}  // namespace

TEST_P(StoreContract, KeepsTheWorkflowFieldsOfATicket)
{
    auto tx = std::move(m_store->begin()).value();
    Ticket t = sample_ticket();
    t.verdict = "justified";
    t.department = "Quality";
    t.category = "Defect";
    t.closed_at = k_now;
    auto created = tx->create_ticket(t, "RD").value();
    created.resolution_code = "refund";
    created.version = 4;
    ASSERT_TRUE(tx->update_ticket(created).ok());
    ASSERT_TRUE(tx->commit().ok());
    auto stored = m_store->ticket(created.number).value().value();
    EXPECT_EQ(stored.version, 4);
    EXPECT_EQ(stored.verdict, "justified");
    {
        // Any later change raises the version, even one that did not set it.
        auto tx2 = std::move(m_store->begin()).value();
        ASSERT_TRUE(tx2->update_ticket(stored).ok());
        Letter survey;
        survey.ticket_id = stored.id;
        survey.template_name = "survey";
        survey.recipient = "anna@example.org";
        survey.subject = "s";
        survey.message_id = "m.survey@x";
        survey.content = "c";
        survey.dedup_key = "survey:" + stored.number;
        auto queued = tx2->enqueue_letter(survey);
        ASSERT_TRUE(queued.ok());
        ASSERT_TRUE(tx2->commit().ok());
        EXPECT_EQ(m_store->ticket(created.number).value()->version, 5);
        auto tx3 = std::move(m_store->begin()).value();
        auto letter = tx3->letter_by_dedup_key("survey:" + stored.number);
        ASSERT_TRUE(letter.ok());
        ASSERT_TRUE(*letter);
        EXPECT_EQ((*letter)->template_name, "survey");
        EXPECT_FALSE(tx3->letter_by_dedup_key("survey:none").value());
    }
    EXPECT_EQ(stored.department, "Quality");
    EXPECT_EQ(stored.category, "Defect");
    EXPECT_EQ(stored.resolution_code, "refund");
    EXPECT_EQ(stored.closed_at, std::optional<TimePoint>(k_now));
}

TEST_P(StoreContract, AChangeMadeOnAnOlderVersionIsAConflictAndWritesNothing)
{
    auto ticket = create_tickets(*m_store, 1, [](Ticket&, int) {})[0];
    EXPECT_EQ(ticket.version, 1);
    {
        auto tx = std::move(m_store->begin()).value();
        Ticket next = ticket;
        next.version = 2;
        next.assignee = "maria";
        ASSERT_TRUE(tx->update_ticket_at_version(next, 1).ok());
        ASSERT_TRUE(tx->commit().ok());
    }
    auto tx = std::move(m_store->begin()).value();
    Ticket stale = ticket;
    stale.version = 2;
    stale.assignee = "ivan";
    auto r = tx->update_ticket_at_version(stale, 1);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(ErrorKind::conflict)) << r.error().code << ": " << r.error().message;
    ASSERT_TRUE(tx->commit().ok());
    auto stored = m_store->ticket(ticket.number).value().value();
    EXPECT_EQ(stored.assignee, "maria");
    EXPECT_EQ(stored.version, 2);
}

TEST_P(StoreContract, AVersionedChangeOfAMissingTicketIsNotFound)
{
    auto tx = std::move(m_store->begin()).value();
    Ticket t = sample_ticket();
    t.id = 999;
    auto r = tx->update_ticket_at_version(t, 1);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(ErrorKind::not_found)) << r.error().code;
}

TEST_P(StoreContract, AddsUpdatesAndListsCorrectiveActions)
{
    auto ticket = create_tickets(*m_store, 1, [](Ticket&, int) {})[0];
    auto tx = std::move(m_store->begin()).value();
    auto first = tx->add_action(sample_action(ticket.id, k_now + Seconds{3600}));
    CorrectiveAction for_customer = sample_action(ticket.id, k_now + Seconds{60});
    for_customer.target = ActionFor::customer;
    auto second = tx->add_action(for_customer);
    ASSERT_TRUE(first.ok() && second.ok());
    EXPECT_NE(*first, *second);
    auto in_tx = tx->actions_of(ticket.id).value();
    ASSERT_EQ(in_tx.size(), 2u);
    CorrectiveAction done = in_tx[0];
    done.state = ActionState::done;
    done.done_at = k_now;
    done.note = "Batch 17 withdrawn";
    ASSERT_TRUE(tx->update_action(done).ok());
    ASSERT_TRUE(tx->commit().ok());

    auto actions = m_store->actions_of(ticket.id).value();
    ASSERT_EQ(actions.size(), 2u);
    EXPECT_EQ(actions[0].id, *first);
    EXPECT_EQ(actions[0].target, ActionFor::process);
    EXPECT_EQ(actions[0].state, ActionState::done);
    EXPECT_EQ(actions[0].done_at, std::optional<TimePoint>(k_now));
    EXPECT_EQ(actions[0].note, "Batch 17 withdrawn");
    EXPECT_EQ(actions[0].responsible, "quality@example.com");
    EXPECT_EQ(actions[0].created_by, "maria");
    EXPECT_EQ(actions[0].due, k_now + Seconds{3600});
    EXPECT_EQ(actions[1].id, *second);
    EXPECT_EQ(actions[1].target, ActionFor::customer);
    EXPECT_EQ(actions[1].state, ActionState::open);
    EXPECT_FALSE(actions[1].verified_at.has_value());
}

TEST_P(StoreContract, UpdatingAMissingActionIsNotFound)
{
    auto tx = std::move(m_store->begin()).value();
    CorrectiveAction a = sample_action(1, k_now);
    a.id = 999;
    auto r = tx->update_action(a);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(ErrorKind::not_found)) << r.error().code;
}

TEST_P(StoreContract, KeepsNotesAndRatingsOldestFirst)
{
    auto tickets = create_tickets(*m_store, 2, [](Ticket&, int) {});
    auto tx = std::move(m_store->begin()).value();
    ASSERT_TRUE(tx->add_note(Note{0, tickets[0].id, "maria", k_now, "Called the customer"}).ok());
    ASSERT_TRUE(tx->add_note(Note{0, tickets[0].id, "ivan", k_now + Seconds{5}, "Supplier answered"}).ok());
    ASSERT_TRUE(tx->add_note(Note{0, tickets[1].id, "ivan", k_now, "Other ticket"}).ok());
    ASSERT_TRUE(tx->add_rating(Rating{0, tickets[0].id, 2, "slow", "reply", k_now, ""}).ok());
    ASSERT_TRUE(tx->add_rating(Rating{0, tickets[0].id, 5, "", "link", k_now + Seconds{9}, "survey:n1"}).ok());
    EXPECT_EQ(tx->ratings_of(tickets[0].id).value().size(), 2u);
    // One rating per form: the key again on the same ticket is refused; on another ticket it is its own.
    auto twice = tx->add_rating(Rating{0, tickets[0].id, 1, "", "link", k_now + Seconds{10}, "survey:n1"});
    ASSERT_FALSE(twice.ok());
    EXPECT_TRUE(twice.error().is(ErrorKind::constraint)) << twice.error().code;
    ASSERT_TRUE(tx->add_rating(Rating{0, tickets[1].id, 3, "", "link", k_now, "survey:n1"}).ok());
    ASSERT_TRUE(tx->commit().ok());

    auto notes = m_store->notes_of(tickets[0].id).value();
    ASSERT_EQ(notes.size(), 2u);
    EXPECT_EQ(notes[0].author, "maria");
    EXPECT_EQ(notes[0].text, "Called the customer");
    EXPECT_EQ(notes[1].at, k_now + Seconds{5});
    auto ratings = m_store->ratings_of(tickets[0].id).value();
    ASSERT_EQ(ratings.size(), 2u);
    EXPECT_EQ(ratings[0].score, 2);
    EXPECT_EQ(ratings[0].comment, "slow");
    EXPECT_EQ(ratings[0].source, "reply");
    EXPECT_EQ(ratings[1].score, 5);
    EXPECT_EQ(ratings[1].at, k_now + Seconds{9});
    EXPECT_EQ(ratings[0].form_key, "");
    EXPECT_EQ(ratings[1].form_key, "survey:n1");
    EXPECT_EQ(m_store->ratings_of(tickets[1].id).value().size(), 1u);
}

TEST_P(StoreContract, KeepsAttachmentRowsOfMessagesAndLettersAndRemovesThoseOfATicket)
{
    auto tickets = create_tickets(*m_store, 2, [](Ticket&, int) {});
    auto tx = std::move(m_store->begin()).value();
    StoredMessage m;
    m.ticket_id = tickets[0].id;
    m.channel = "email";
    m.source_key = "drop:1";
    std::int64_t message = tx->add_message(m).value();
    std::int64_t letter = tx->enqueue_letter(sample_letter(tickets[0].id, "reply:1")).value().value();
    store::AttachmentRecord photo;
    photo.ticket_id = tickets[0].id;
    photo.message_id = message;
    photo.sha256 = std::string(64, 'a');
    photo.name = "чайник.jpg";
    photo.declared_type = "image/jpeg";
    photo.sniffed_type = "image/png";
    photo.size = 53211;
    photo.inline_part = true;
    photo.content_id = "lid@customer.example";
    store::AttachmentRecord refused = photo;
    refused.sha256.clear();
    refused.name = "video.mp4";
    refused.refused = "over the limit";
    store::AttachmentRecord label;
    label.ticket_id = tickets[0].id;
    label.letter_id = letter;
    label.sha256 = std::string(64, 'b');
    label.name = "label.pdf";
    store::AttachmentRecord elsewhere = label;
    elsewhere.ticket_id = tickets[1].id;
    elsewhere.letter_id.reset();
    photo.id = tx->add_attachment(photo).value();
    ASSERT_TRUE(tx->add_attachment(refused).ok());
    ASSERT_TRUE(tx->add_attachment(label).ok());
    ASSERT_TRUE(tx->add_attachment(elsewhere).ok());
    ASSERT_TRUE(tx->commit().ok());

    auto rows = m_store->attachments_of(tickets[0].id).value();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].id, photo.id);
    EXPECT_EQ(rows[0].message_id, message);
    EXPECT_FALSE(rows[0].letter_id.has_value());
    EXPECT_EQ(rows[0].name, "чайник.jpg");
    EXPECT_EQ(rows[0].declared_type, "image/jpeg");
    EXPECT_EQ(rows[0].sniffed_type, "image/png");
    EXPECT_EQ(rows[0].size, 53211);
    EXPECT_TRUE(rows[0].inline_part);
    EXPECT_EQ(rows[0].content_id, "lid@customer.example");
    EXPECT_EQ(rows[1].refused, "over the limit");
    EXPECT_TRUE(rows[1].sha256.empty());
    EXPECT_EQ(rows[2].letter_id, letter);
    EXPECT_EQ(m_store->attachment(photo.id).value()->name, "чайник.jpg");
    EXPECT_FALSE(m_store->attachment(999999).value().has_value());
    auto digests = m_store->attachment_digests().value();
    EXPECT_EQ(std::set<std::string>(digests.begin(), digests.end()),
              (std::set<std::string>{std::string(64, 'a'), std::string(64, 'b')}));

    // An erase takes a ticket's rows and says which files they named; the other ticket keeps its own.
    auto tx2 = std::move(m_store->begin()).value();
    auto removed = tx2->remove_attachments_of_ticket(tickets[0].id, {}).value();
    EXPECT_EQ(removed.size(), 3u);
    ASSERT_TRUE(tx2->commit().ok());
    EXPECT_TRUE(m_store->attachments_of(tickets[0].id).value().empty());
    EXPECT_EQ(m_store->attachment_digests().value(), std::vector<std::string>{std::string(64, 'b')});
}

TEST_P(StoreContract, ReadsALetterById)
{
    auto ids = queue({"one"});
    auto found = m_store->letter(ids[0]).value();
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->dedup_key, "one");
    EXPECT_FALSE(m_store->letter(ids[0] + 100).value().has_value());
}

TEST_P(StoreContract, OverdueActionsAreTheOpenOnesDueBeforeNowOldestFirstWithTheirTicket)
{
    auto tickets = create_tickets(*m_store, 2, [](Ticket& t, int i) { t.subject = "ticket " + std::to_string(i); });
    auto tx = std::move(m_store->begin()).value();
    auto late = tx->add_action(sample_action(tickets[1].id, k_now - Seconds{100})).value();
    auto later = tx->add_action(sample_action(tickets[0].id, k_now - Seconds{500})).value();
    tx->add_action(sample_action(tickets[0].id, k_now + Seconds{100})).value();  // not due yet
    tx->add_action(sample_action(tickets[0].id, k_now)).value();                 // due now: not before now
    CorrectiveAction done = sample_action(tickets[0].id, k_now - Seconds{900});
    done.state = ActionState::done;
    tx->add_action(done).value();
    ASSERT_TRUE(tx->commit().ok());

    auto overdue = m_store->overdue_actions(k_now, 10).value();
    ASSERT_EQ(overdue.size(), 2u);
    EXPECT_EQ(overdue[0].action.id, later);
    EXPECT_EQ(overdue[0].ticket.id, tickets[0].id);
    EXPECT_EQ(overdue[0].ticket.subject, "ticket 0");
    EXPECT_EQ(overdue[1].action.id, late);
    EXPECT_EQ(overdue[1].ticket.number, tickets[1].number);
    EXPECT_EQ(overdue[1].action.text, "Check the kettle supplier's batch");
    EXPECT_EQ(m_store->overdue_actions(k_now, 1).value().size(), 1u);
}

// People: users, tokens, sessions.

namespace {

User sample_user(std::string name, Role role = Role::agent)
{
    User u;
    u.name = std::move(name);
    u.role = role;
    u.display_name = "Maria M.";
    u.email = "maria@example.com";
    u.chat = "tg:42";
    u.signature = "Maria, customer care";
    u.password_hash = "$argon2id$x";
    u.created_at = k_now;
    return u;
}

}  // namespace

TEST_P(StoreContract, AddsUsersAndRefusesATakenName)
{
    EXPECT_EQ(m_store->count_users().value(), 0);
    auto maria = m_store->add_user(sample_user("maria", Role::manager));
    ASSERT_TRUE(maria.ok()) << maria.error().message;
    EXPECT_NE(maria->id, 0);
    ASSERT_TRUE(m_store->add_user(sample_user("ivan")).ok());
    auto again = m_store->add_user(sample_user("maria"));
    ASSERT_FALSE(again.ok());
    EXPECT_TRUE(again.error().is(ErrorKind::conflict)) << again.error().code;
    EXPECT_EQ(m_store->count_users().value(), 2);

    auto users = m_store->list_users().value();
    ASSERT_EQ(users.size(), 2u);
    EXPECT_EQ(users[0].name, "ivan");
    EXPECT_EQ(users[1].name, "maria");
    auto found = m_store->user_by_name("maria").value().value();
    EXPECT_EQ(found.id, maria->id);
    EXPECT_EQ(found.role, Role::manager);
    EXPECT_EQ(found.display_name, "Maria M.");
    EXPECT_EQ(found.chat, "tg:42");
    EXPECT_EQ(found.signature, "Maria, customer care");
    EXPECT_EQ(found.password_hash, "$argon2id$x");
    EXPECT_EQ(found.created_at, k_now);
    EXPECT_FALSE(found.disabled);
    EXPECT_EQ(m_store->user_by_id(maria->id).value().value().name, "maria");
    EXPECT_FALSE(m_store->user_by_name("nobody").value().has_value());
    EXPECT_FALSE(m_store->user_by_id(999).value().has_value());
}

TEST_P(StoreContract, UpdatesAUserAndRefusesRenamingToATakenName)
{
    auto maria = m_store->add_user(sample_user("maria")).value();
    ASSERT_TRUE(m_store->add_user(sample_user("ivan")).ok());
    maria.role = Role::owner;
    maria.disabled = true;
    ASSERT_TRUE(m_store->update_user(maria).ok());
    auto stored = m_store->user_by_id(maria.id).value().value();
    EXPECT_EQ(stored.role, Role::owner);
    EXPECT_TRUE(stored.disabled);
    maria.name = "ivan";
    auto taken = m_store->update_user(maria);
    ASSERT_FALSE(taken.ok());
    EXPECT_TRUE(taken.error().is(ErrorKind::conflict)) << taken.error().code;
    User missing = sample_user("ghost");
    missing.id = 999;
    auto r = m_store->update_user(missing);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(ErrorKind::not_found)) << r.error().code;
}

TEST_P(StoreContract, ATokenWorksUntilRevokedOrItsUserIsDisabledAndNotesItsUse)
{
    auto maria = m_store->add_user(sample_user("maria")).value();
    ApiToken t;
    t.user_id = maria.id;
    t.digest = "digest-1";
    t.label = "ci";
    t.created_at = k_now;
    auto token = m_store->add_token(t).value();
    EXPECT_NE(token.id, 0);

    auto used = m_store->use_token("digest-1", k_now + Seconds{10}).value();
    ASSERT_TRUE(used.has_value());
    EXPECT_EQ(used->first.id, token.id);
    EXPECT_EQ(used->first.label, "ci");
    EXPECT_EQ(used->second.name, "maria");
    auto listed = m_store->tokens_of(maria.id).value();
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].last_used_at, std::optional<TimePoint>(k_now + Seconds{10}));
    EXPECT_FALSE(m_store->use_token("other", k_now).value().has_value());

    maria.disabled = true;
    ASSERT_TRUE(m_store->update_user(maria).ok());
    EXPECT_FALSE(m_store->use_token("digest-1", k_now).value().has_value()) << "the user is disabled";
    maria.disabled = false;
    ASSERT_TRUE(m_store->update_user(maria).ok());
    EXPECT_TRUE(m_store->use_token("digest-1", k_now).value().has_value());

    ASSERT_TRUE(m_store->revoke_token(token.id, k_now + Seconds{20}).ok());
    EXPECT_FALSE(m_store->use_token("digest-1", k_now + Seconds{30}).value().has_value()) << "revoked";
    EXPECT_EQ(m_store->tokens_of(maria.id).value()[0].revoked_at, std::optional<TimePoint>(k_now + Seconds{20}));
    auto missing = m_store->revoke_token(token.id + 100, k_now);
    ASSERT_FALSE(missing.ok());
    EXPECT_TRUE(missing.error().is(ErrorKind::not_found)) << missing.error().code;
}

TEST_P(StoreContract, ASessionLastsUntilItExpiresOrEnds)
{
    auto maria = m_store->add_user(sample_user("maria")).value();
    auto ivan = m_store->add_user(sample_user("ivan")).value();
    ASSERT_TRUE(m_store->add_session(Session{"s1", maria.id, "csrf-1", k_now, k_now + Seconds{3600}}).ok());
    ASSERT_TRUE(m_store->add_session(Session{"s2", maria.id, "csrf-2", k_now, k_now + Seconds{3600}}).ok());
    ASSERT_TRUE(m_store->add_session(Session{"s3", ivan.id, "csrf-3", k_now, k_now + Seconds{3600}}).ok());

    auto live = m_store->session("s1", k_now + Seconds{3599}).value();
    ASSERT_TRUE(live.has_value());
    EXPECT_EQ(live->first.csrf, "csrf-1");
    EXPECT_EQ(live->first.expires_at, k_now + Seconds{3600});
    EXPECT_EQ(live->second.name, "maria");
    EXPECT_FALSE(m_store->session("s1", k_now + Seconds{3600}).value().has_value()) << "expired";

    ASSERT_TRUE(m_store->end_session("s1").ok());
    EXPECT_FALSE(m_store->session("s1", k_now).value().has_value());
    EXPECT_TRUE(m_store->session("s2", k_now).value().has_value());

    ivan.disabled = true;
    ASSERT_TRUE(m_store->update_user(ivan).ok());
    EXPECT_FALSE(m_store->session("s3", k_now).value().has_value()) << "the user is disabled";

    ASSERT_TRUE(m_store->end_sessions_of(maria.id).ok());
    EXPECT_FALSE(m_store->session("s2", k_now).value().has_value());
}

// Template versions.

TEST_P(StoreContract, NumbersTemplateVersionsPerLanguageAndNameAndKnowsTheCurrentOnes)
{
    auto save = [&](std::string language, std::string name, std::string text) {
        return m_store->save_template(
            TemplateVersion{0, std::move(language), std::move(name), std::move(text), "maria", k_now, 0});
    };
    auto first = save("en", "acknowledgement", "v1");
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(first->version, 1);
    EXPECT_NE(first->id, 0);
    EXPECT_EQ(save("en", "acknowledgement", "v2").value().version, 2);
    EXPECT_EQ(save("de", "acknowledgement", "de v1").value().version, 1);
    EXPECT_EQ(save("en", "escalation", "esc v1").value().version, 1);
    EXPECT_EQ(save("en", "acknowledgement", "v3").value().version, 3);

    auto history = m_store->template_history("en", "acknowledgement").value();
    ASSERT_EQ(history.size(), 3u);
    EXPECT_EQ(history[0].text, "v1");
    EXPECT_EQ(history[2].text, "v3");
    EXPECT_EQ(history[2].version, 3);
    EXPECT_EQ(history[0].author, "maria");
    EXPECT_EQ(history[0].at, k_now);
    EXPECT_TRUE(m_store->template_history("fr", "acknowledgement").value().empty());

    auto current = m_store->current_templates().value();
    ASSERT_EQ(current.size(), 3u);
    std::set<std::string> seen;
    for (auto& t : current) {
        seen.insert(t.language + "/" + t.name + "/" + t.text);
    }
    EXPECT_EQ(seen,
              (std::set<std::string>{"de/acknowledgement/de v1", "en/acknowledgement/v3", "en/escalation/esc v1"}));
}

// Listing tickets.

TEST_P(StoreContract, ListsTicketsByEachFilter)
{
    auto tickets = create_tickets(*m_store, 6, [](Ticket& t, int i) {
        t.kind = i == 0 ? Kind::question : Kind::complaint;
        t.severity = i == 1 ? Severity::major : Severity::normal;
        t.language = i == 2 ? "de" : "en";
        t.channel = i == 3 ? "chat" : "email";
        t.department = i == 4 ? "Quality" : "";
        t.assignee = i == 5 ? "maria" : "";
        t.status = i == 5 ? TicketStatus::investigating : TicketStatus::new_ticket;
    });
    auto ids = ticket_ids(tickets);
    auto list = [&](auto change) {
        TicketFilter f;
        change(f);
        return ticket_ids(m_store->list_tickets(f).value());
    };
    using Ids = std::vector<std::int64_t>;
    EXPECT_EQ(list([](TicketFilter& f) { f.kind = Kind::question; }), Ids{ids[0]});
    EXPECT_EQ(list([](TicketFilter& f) { f.severity = Severity::major; }), Ids{ids[1]});
    EXPECT_EQ(list([](TicketFilter& f) { f.language = "de"; }), Ids{ids[2]});
    EXPECT_EQ(list([](TicketFilter& f) { f.channel = "chat"; }), Ids{ids[3]});
    EXPECT_EQ(list([](TicketFilter& f) { f.department = "Quality"; }), Ids{ids[4]});
    EXPECT_EQ(list([](TicketFilter& f) { f.assignee = "maria"; }), Ids{ids[5]});
    EXPECT_EQ(list([](TicketFilter& f) { f.assignee = ""; }), (Ids{ids[4], ids[3], ids[2], ids[1], ids[0]}));
    EXPECT_EQ(list([](TicketFilter& f) { f.status = TicketStatus::investigating; }), Ids{ids[5]});
    // received_at is 1'800'000'000 + index: from is inclusive, to exclusive.
    EXPECT_EQ(list([](TicketFilter& f) {
                  f.received_from = TimePoint{Seconds{1'800'000'002}};
                  f.received_to = TimePoint{Seconds{1'800'000'004}};
              }),
              (Ids{ids[3], ids[2]}));
    EXPECT_EQ(list([](TicketFilter& f) {
                  f.kind = Kind::complaint;
                  f.language = "en";
                  f.assignee = "";
              }),
              (Ids{ids[4], ids[3], ids[1]}));
    EXPECT_EQ(list([](TicketFilter& f) { f.limit = 2; }), (Ids{ids[5], ids[4]}));
    EXPECT_EQ(list([](TicketFilter& f) { f.limit = -1; }).size(), 6u);
}

TEST_P(StoreContract, AFilterValueIsNeverReadAsSql)
{
    create_tickets(*m_store, 2, [](Ticket&, int) {});
    TicketFilter f;
    f.department = "x' OR '1'='1";
    auto r = m_store->list_tickets(f);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->empty());
}

TEST_P(StoreContract, OverdueTicketsAreOpenOnesWithARunningDeadlineBeforeTheTime)
{
    auto tickets = create_tickets(*m_store, 6, [](Ticket& t, int i) {
        switch (i) {
        case 0:  // first response late
            t.first_response_due = k_now - Seconds{1};
            break;
        case 1:  // first response late but answered: that deadline no longer runs
            t.first_response_due = k_now - Seconds{1};
            t.first_responded_at = k_now - Seconds{100};
            t.resolution_due = k_now + Seconds{100};
            break;
        case 2:  // resolution late, even after the first response
            t.first_responded_at = k_now - Seconds{100};
            t.resolution_due = k_now - Seconds{1};
            break;
        case 3:  // late but resolved
            t.resolution_due = k_now - Seconds{1};
            t.status = TicketStatus::resolved;
            break;
        case 4:  // due exactly now: not before now
            t.resolution_due = k_now;
            break;
        default:  // no deadline
            break;
        }
    });
    TicketFilter f;
    f.overdue_at = k_now;
    EXPECT_EQ(ticket_ids(m_store->list_tickets(f).value()), (std::vector<std::int64_t>{tickets[2].id, tickets[0].id}));
}

TEST_P(StoreContract, PagesOfNewestTicketsHaveNoDuplicatesOrGaps)
{
    auto tickets = create_tickets(*m_store, 7, [](Ticket&, int) {});
    std::vector<std::int64_t> seen;
    TicketFilter f;
    f.limit = 3;
    for (int page = 0; page < 5; ++page) {
        auto got = m_store->list_tickets(f).value();
        if (got.empty())
            break;
        EXPECT_LE(got.size(), 3u);
        for (auto& t : got)
            seen.push_back(t.id);
        f.before_id = got.back().id;
    }
    auto expected = ticket_ids(tickets);
    std::reverse(expected.begin(), expected.end());
    EXPECT_EQ(seen, expected);
}

TEST_P(StoreContract, TheInboxOrderIsTheNearestRunningDeadlineFirstThenTicketsWithoutOne)
{
    auto tickets = create_tickets(*m_store, 6, [](Ticket& t, int i) {
        switch (i) {
        case 0:  // no deadline: last
            break;
        case 1:
            t.resolution_due = k_now + Seconds{300};
            break;
        case 2:  // the nearer of its two deadlines counts
            t.first_response_due = k_now + Seconds{100};
            t.resolution_due = k_now + Seconds{900};
            break;
        case 3:  // its first response is met: only the resolution deadline runs
            t.first_response_due = k_now + Seconds{50};
            t.first_responded_at = k_now;
            t.resolution_due = k_now + Seconds{200};
            break;
        case 4:  // closed: not in the inbox
            t.resolution_due = k_now;
            t.status = TicketStatus::closed;
            break;
        default:  // no deadline, a larger id: after ticket 0
            break;
        }
    });
    TicketFilter f;
    f.order = TicketOrder::nearest_due;
    EXPECT_EQ(ticket_ids(m_store->list_tickets(f).value()),
              (std::vector<std::int64_t>{tickets[2].id, tickets[3].id, tickets[1].id, tickets[0].id, tickets[5].id}));
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
