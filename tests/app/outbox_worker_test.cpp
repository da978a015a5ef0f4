// The outbox worker on a real SQLite store, a test clock and counting senders: the retry policy,
// the claim before each attempt, a "sent" the store would not take, two workers on one file, the
// time limit of the last drain, and failures that must reach the log.

#include "app/outbox_worker.hpp"
#include "pipeline/runtime.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <map>
#include <mutex>
#include <thread>

using namespace redress;
using namespace redress::app;
using redress::connectors::SendResult;

namespace {

const TimePoint k_start{Seconds{1'800'000'000}};

// Counts what it is asked to send, by Message-ID, and answers `status`. `during_send` runs inside
// send(), as if the attempt took that long (another worker's pass, a clock moving on).
class CountingSender final : public connectors::LetterSender {
public:
    explicit CountingSender(std::map<std::string, int>& counts, std::mutex& mutex)
        : m_counts(counts)
        , m_mutex(mutex)
    {
    }
    SendResult send(const Letter& letter) override
    {
        {
            std::lock_guard lock(m_mutex);
            ++m_counts[letter.message_id];
        }
        if (during_send)
            during_send();
        SendResult r;
        r.status = fails_for.empty() || letter.recipient == fails_for ? status : SendResult::Status::sent;
        r.detail = status == SendResult::Status::sent ? "250 ok" : "550 no such user";
        return r;
    }
    SendResult::Status status = SendResult::Status::sent;
    std::string fails_for;  // when set, `status` is the answer for this recipient only
    std::function<void()> during_send;

private:
    std::map<std::string, int>& m_counts;
    std::mutex& m_mutex;
};

// The outbox of a real store whose writes of an outcome fail (as on a full disk) a given number
// of times.
class FaultyOutbox final : public store::Outbox {
public:
    explicit FaultyOutbox(store::Outbox& real)
        : m_real(real)
    {
    }
    int fail_sent = 0;    // how many letter_sent calls still fail
    int fail_failed = 0;  // how many letter_failed calls still fail
    int sent_calls = 0;

    Result<std::vector<Letter>> claim_due_letters(std::string_view channel, TimePoint now, Seconds lease,
                                                  std::string_view claimant, int limit) override
    {
        return m_real.claim_due_letters(channel, now, lease, claimant, limit);
    }
    Result<int> release_claims(std::string_view claimant) override { return m_real.release_claims(claimant); }
    Result<std::vector<std::string>> due_channels(TimePoint now) override { return m_real.due_channels(now); }
    Result<void> letter_sent(const store::LetterClaim& claim, TimePoint at) override
    {
        ++sent_calls;
        if (fail_sent > 0) {
            --fail_sent;
            return disk_full();
        }
        return m_real.letter_sent(claim, at);
    }
    Result<void> letter_retry(const store::LetterClaim& claim, TimePoint next, std::string_view error) override
    {
        return m_real.letter_retry(claim, next, error);
    }
    Result<void> letter_failed(const store::LetterClaim& claim, std::string_view error) override
    {
        if (fail_failed > 0) {
            --fail_failed;
            return disk_full();
        }
        return m_real.letter_failed(claim, error);
    }

private:
    static Error disk_full() { return make_error(ErrorKind::transient, "store.full", "database or disk is full"); }
    store::Outbox& m_real;
};

// A real transaction whose commit fails (the owner's alert cannot be queued on a full disk).
class CommitFailsTransaction final : public store::Transaction {
public:
    explicit CommitFailsTransaction(std::unique_ptr<store::Transaction> real)
        : m_real(std::move(real))
    {
    }
    Result<std::optional<std::int64_t>> message_by_source_key(std::string_view k) override
    {
        return m_real->message_by_source_key(k);
    }
    Result<std::optional<std::int64_t>> message_by_message_id(std::string_view id) override
    {
        return m_real->message_by_message_id(id);
    }
    Result<bool> has_same_message(std::string_view id, std::string_view f, std::string_view s,
                                  std::string_view t) override
    {
        return m_real->has_same_message(id, f, s, t);
    }
    Result<std::optional<Ticket>> ticket_by_message_ids(const std::vector<std::string>& ids) override
    {
        return m_real->ticket_by_message_ids(ids);
    }
    Result<std::optional<Ticket>> ticket_by_number(std::string_view n) override { return m_real->ticket_by_number(n); }
    Result<std::optional<Ticket>> ticket_by_conversation(std::string_view c) override
    {
        return m_real->ticket_by_conversation(c);
    }
    Result<std::optional<Ticket>> ticket_by_id(std::int64_t id) override { return m_real->ticket_by_id(id); }
    Result<Ticket> create_ticket(Ticket t, std::string_view prefix) override
    {
        return m_real->create_ticket(std::move(t), prefix);
    }
    Result<void> update_ticket(const Ticket& t) override { return m_real->update_ticket(t); }
    Result<void> update_ticket_at_version(const Ticket& t, std::int64_t seen_version) override
    {
        return m_real->update_ticket_at_version(t, seen_version);
    }
    Result<std::int64_t> add_message(const StoredMessage& m) override { return m_real->add_message(m); }
    Result<std::optional<std::int64_t>> enqueue_letter(const Letter& l) override { return m_real->enqueue_letter(l); }
    Result<bool> has_letter(std::string_view key) override { return m_real->has_letter(key); }
    Result<std::optional<Letter>> letter_by_dedup_key(std::string_view key) override
    {
        return m_real->letter_by_dedup_key(key);
    }
    Result<void> add_audit(const AuditEvent& e) override { return m_real->add_audit(e); }
    Result<int> automatic_letters_to(std::string_view r, TimePoint since) override
    {
        return m_real->automatic_letters_to(r, since);
    }
    Result<int> letters_since(std::string_view name, TimePoint since) override
    {
        return m_real->letters_since(name, since);
    }
    Result<bool> has_message_from(std::int64_t id, std::string_view a) override
    {
        return m_real->has_message_from(id, a);
    }
    Result<std::optional<Letter>> letter_by_message_id(std::string_view id) override
    {
        return m_real->letter_by_message_id(id);
    }
    Result<void> mark_letter_failed(std::int64_t id, std::string_view e) override
    {
        return m_real->mark_letter_failed(id, e);
    }
    Result<std::vector<AuditEvent>> audit_of(std::int64_t id) override { return m_real->audit_of(id); }
    Result<std::vector<CorrectiveAction>> actions_of(std::int64_t id) override { return m_real->actions_of(id); }
    Result<std::int64_t> add_action(const CorrectiveAction& a) override { return m_real->add_action(a); }
    Result<void> update_action(const CorrectiveAction& a) override { return m_real->update_action(a); }
    Result<std::int64_t> add_note(const Note& n) override { return m_real->add_note(n); }
    Result<std::int64_t> add_attachment(const store::AttachmentRecord& a) override { return m_real->add_attachment(a); }
    Result<std::vector<store::AttachmentRecord>>
    remove_attachments_of_ticket(std::int64_t id, const std::vector<std::string>& spare) override
    {
        return m_real->remove_attachments_of_ticket(id, spare);
    }
    Result<std::int64_t> add_rating(const Rating& r) override { return m_real->add_rating(r); }
    Result<std::vector<Rating>> ratings_of(std::int64_t id) override { return m_real->ratings_of(id); }
    Result<std::int64_t> add_correction(const Correction& c) override { return m_real->add_correction(c); }
    Result<std::int64_t> link_customer(const CustomerLink& l) override { return m_real->link_customer(l); }
    Result<std::optional<CustomerRecord>> customer(std::int64_t id) override { return m_real->customer(id); }
    Result<std::optional<std::int64_t>> customer_of_ticket(std::int64_t id) override
    {
        return m_real->customer_of_ticket(id);
    }
    Result<std::optional<CustomerIdentity>> identity(IdentityKind k, std::string_view v) override
    {
        return m_real->identity(k, v);
    }
    Result<void> set_customer_merged_into(std::int64_t id, std::optional<std::int64_t> into, std::string_view by,
                                          TimePoint at) override
    {
        return m_real->set_customer_merged_into(id, into, by, at);
    }
    Result<std::int64_t> add_identity(const CustomerIdentity& i) override { return m_real->add_identity(i); }
    Result<std::optional<IdentitySuggestion>> suggestion(std::int64_t id) override { return m_real->suggestion(id); }
    Result<void> accept_suggestion(std::int64_t id, std::string_view by, TimePoint at) override
    {
        return m_real->accept_suggestion(id, by, at);
    }
    Result<void> add_customer_audit(std::int64_t id, const AuditEvent& e) override
    {
        return m_real->add_customer_audit(id, e);
    }
    Result<std::optional<std::int64_t>> ticket_merged_into(std::int64_t id) override
    {
        return m_real->ticket_merged_into(id);
    }
    Result<void> move_ticket_records(std::int64_t from, std::int64_t into) override
    {
        return m_real->move_ticket_records(from, into);
    }
    Result<void> set_ticket_merged_into(std::int64_t from, std::int64_t into) override
    {
        return m_real->set_ticket_merged_into(from, into);
    }
    const std::string& install_id() const override { return m_real->install_id(); }
    Result<int> remove_from_search(std::int64_t ticket_id, const std::vector<std::string>& spare) override
    {
        return m_real->remove_from_search(ticket_id, spare);
    }
    Result<store::ErasedRecords> erase_ticket_words(std::int64_t ticket_id, TimePoint at,
                                                    const std::vector<std::string>& spare) override
    {
        return m_real->erase_ticket_words(ticket_id, at, spare);
    }
    Result<store::RemovedMessages> remove_messages_without_ticket(const std::vector<std::string>& addresses) override
    {
        return m_real->remove_messages_without_ticket(addresses);
    }
    Result<std::vector<std::int64_t>> erase_letters_without_ticket(const std::vector<std::string>& values) override
    {
        return m_real->erase_letters_without_ticket(values);
    }
    Result<store::ErasedElsewhere> erase_records_elsewhere(const std::vector<std::string>& senders,
                                                           const std::vector<std::int64_t>& except) override
    {
        return m_real->erase_records_elsewhere(senders, except);
    }
    Result<std::vector<AuditEvent>> audit_of_tickets_mentioning(const std::vector<std::string>& values,
                                                                const std::vector<std::int64_t>& except) override
    {
        return m_real->audit_of_tickets_mentioning(values, except);
    }
    Result<int> erase_customer_records(const std::vector<std::int64_t>& ids,
                                       const std::vector<std::string>& values) override
    {
        return m_real->erase_customer_records(ids, values);
    }
    Result<std::vector<AuditEvent>> audit_without_ticket_mentioning(const std::vector<std::string>& values) override
    {
        return m_real->audit_without_ticket_mentioning(values);
    }
    Result<void> set_audit_detail(std::int64_t id, std::string_view detail, bool customer) override
    {
        return m_real->set_audit_detail(id, detail, customer);
    }
    Result<void> commit() override
    {
        return make_error(ErrorKind::transient, "store.full", "database or disk is full");
    }

private:
    std::unique_ptr<store::Transaction> m_real;
};

class CommitFails final : public store::Transactions {
public:
    explicit CommitFails(store::Transactions& real)
        : m_real(real)
    {
    }
    Result<std::unique_ptr<store::Transaction>> begin() override
    {
        auto tx = TRY(m_real.begin());
        return std::unique_ptr<store::Transaction>(std::make_unique<CommitFailsTransaction>(std::move(tx)));
    }

private:
    store::Transactions& m_real;
};

class OutboxWorkerTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir =
            std::filesystem::temp_directory_path() / ("redress-outbox-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
        std::ofstream(m_dir / "redress.json") << R"({"owner": {"name": "Owner", "email": "owner@example.com"}})";
        auto load = pipeline::load_runtime(m_dir / "redress.json", REDRESS_SOURCE_DIR, m_dir);
        ASSERT_TRUE(load.runtime) << (load.problems.empty() ? "" : load.problems[0]);
        m_runtime = load.runtime;
        m_store = open();
    }
    void TearDown() override
    {
        m_store.reset();
        std::filesystem::remove_all(m_dir);
    }

    std::unique_ptr<store::SqliteStore> open()
    {
        auto opened = store::SqliteStore::open(m_dir / "redress.db");
        EXPECT_TRUE(opened.ok()) << opened.error().message;
        return std::move(opened).value();
    }

    std::vector<std::int64_t> queue(int n)
    {
        auto tx = std::move(m_store->begin()).value();
        std::vector<std::int64_t> ids;
        for (int i = 0; i < n; ++i) {
            Letter l;
            l.template_name = "acknowledgement";
            l.recipient = "anna@example.org";
            l.message_id = "letter-" + std::to_string(m_queued) + "@example.com";
            l.dedup_key = "k" + std::to_string(m_queued);
            l.content = "Subject: x\r\n\r\nbody\r\n";
            l.created_at = m_time.now();
            ++m_queued;
            ids.push_back(tx->enqueue_letter(l).value().value());
        }
        EXPECT_TRUE(tx->commit().ok());
        return ids;
    }

    LetterStatus status_of(int n)
    {
        return m_store->letter_by_message_id("letter-" + std::to_string(n) + "@example.com").value()->status;
    }

    OutboxWorker::RuntimeSource runtime()
    {
        return [this] { return m_runtime; };
    }

    std::filesystem::path m_dir;
    std::shared_ptr<const pipeline::Runtime> m_runtime;
    std::unique_ptr<store::SqliteStore> m_store;
    ManualTimeSource m_time{k_start};
    std::map<std::string, int> m_counts;
    std::mutex m_counts_mutex;
    int m_queued = 0;
};

}  // namespace

TEST(RetryPolicy, DoublesFromTheFirstWaitCapsAtAnHourAndGivesUpAfterTheLastAttempt)
{
    const TimePoint ended{Seconds{1000}};
    EXPECT_EQ(next_attempt(1, Seconds{30}, 8, std::nullopt, ended), ended + Seconds{30});
    EXPECT_EQ(next_attempt(2, Seconds{30}, 8, std::nullopt, ended), ended + Seconds{60});
    EXPECT_EQ(next_attempt(3, Seconds{30}, 8, std::nullopt, ended), ended + Seconds{120});
    EXPECT_EQ(next_attempt(7, Seconds{30}, 8, std::nullopt, ended), ended + Seconds{1920});
    EXPECT_EQ(next_attempt(7, Seconds{60}, 20, std::nullopt, ended), ended + Seconds{3600}) << "capped at an hour";
    EXPECT_EQ(next_attempt(19, Seconds{60}, 20, std::nullopt, ended), ended + Seconds{3600}) << "no overflow";
    EXPECT_EQ(next_attempt(8, Seconds{30}, 8, std::nullopt, ended), std::nullopt) << "the last attempt failed";
    EXPECT_EQ(next_attempt(1, Seconds{30}, 1, std::nullopt, ended), std::nullopt);
}

TEST(RetryPolicy, WaitsOutARetryAfterUpToAnHour)
{
    const TimePoint ended{Seconds{1000}};
    EXPECT_EQ(next_attempt(1, Seconds{30}, 8, Seconds{90}, ended), ended + Seconds{90});
    EXPECT_EQ(next_attempt(3, Seconds{30}, 8, Seconds{10}, ended), ended + Seconds{120})
        << "not sooner than the backoff";
    EXPECT_EQ(next_attempt(1, Seconds{30}, 8, Seconds{86400}, ended), ended + Seconds{3600});
    EXPECT_EQ(next_attempt(8, Seconds{30}, 8, Seconds{90}, ended), std::nullopt);
}

TEST_F(OutboxWorkerTest, ALetterWhoseSentCannotBeRecordedIsSentOnceAndRecordedWhenTheStoreRecovers)
{
    queue(1);
    FaultyOutbox outbox(*m_store);
    outbox.fail_sent = 3;
    auto sender = std::make_shared<CountingSender>(m_counts, m_counts_mutex);
    OutboxWorker worker(outbox, *m_store, {{"email", sender}}, runtime(), m_time, "worker-a");

    EXPECT_EQ(worker.drain_lane(OutboxWorker::Lane::email), 1);
    EXPECT_EQ(worker.unrecorded(), 1u);
    queue(1);  // queued while the store cannot take the record: waits with the lane
    // The lane wakes every second; while it is paused nothing is sent or claimed.
    int passes = 0;
    for (; passes < 30 && worker.unrecorded() > 0; ++passes) {
        worker.drain_lane(OutboxWorker::Lane::email);
        if (worker.unrecorded() > 0) {
            EXPECT_EQ(m_counts["letter-1@example.com"], 0) << "nothing new while a sent letter is not recorded";
        }
        m_time.advance(Seconds{1});
    }
    EXPECT_EQ(worker.unrecorded(), 0u);
    // Three refused records, the one that took (after pauses of 1, 2 and 4 s, so not on every
    // wake-up), then the next letter's.
    EXPECT_EQ(outbox.sent_calls, 5);
    EXPECT_EQ(passes, 8);
    EXPECT_EQ(status_of(0), LetterStatus::sent);

    for (int i = 0; i < 5; ++i) {
        worker.drain_lane(OutboxWorker::Lane::email);
        m_time.advance(Seconds{1});
    }
    EXPECT_EQ(m_counts["letter-0@example.com"], 1) << "sent exactly once";
    EXPECT_EQ(m_counts["letter-1@example.com"], 1);
    EXPECT_EQ(status_of(1), LetterStatus::sent);
}

TEST_F(OutboxWorkerTest, ASentLetterStillUnrecordedAtStopIsHandedOverNotSentAgain)
{
    queue(1);
    FaultyOutbox outbox(*m_store);
    outbox.fail_sent = 1000;  // the store refuses the record until the stop and after
    auto sender = std::make_shared<CountingSender>(m_counts, m_counts_mutex);
    OutboxWorker worker(outbox, *m_store, {{"email", sender}}, runtime(), m_time, "worker-a");
    EXPECT_EQ(worker.drain_lane(OutboxWorker::Lane::email), 1);
    ASSERT_EQ(worker.unrecorded(), 1u);

    // At stop the lane's pause does not hold the last tries back; what is left is handed over.
    int calls_before = outbox.sent_calls;
    auto left = worker.settle(m_time.now());
    EXPECT_GT(outbox.sent_calls, calls_before) << "settle tried to record despite the pause";
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].claim.claimant, "worker-a");

    // The next start records the handed-over letter first, then frees the old claimant's claims:
    // nothing is sent again.
    ASSERT_TRUE(m_store->letter_sent(left[0].claim, left[0].sent_at));
    ASSERT_TRUE(m_store->release_claims("worker-a"));
    OutboxWorker next(*m_store, *m_store, {{"email", sender}}, runtime(), m_time, "worker-b");
    m_time.advance(Seconds{600});
    EXPECT_EQ(next.drain_lane(OutboxWorker::Lane::email), 0);
    EXPECT_EQ(m_counts["letter-0@example.com"], 1) << "sent exactly once";
    EXPECT_EQ(status_of(0), LetterStatus::sent);
}

TEST_F(OutboxWorkerTest, ALetterBeingSentByOneWorkerIsNotSentByAnother)
{
    auto ids = queue(6);
    auto second_store = open();
    auto sender_a = std::make_shared<CountingSender>(m_counts, m_counts_mutex);
    auto sender_b = std::make_shared<CountingSender>(m_counts, m_counts_mutex);
    OutboxWorker a(*m_store, *m_store, {{"email", sender_a}}, runtime(), m_time, "worker-a");
    OutboxWorker b(*second_store, *second_store, {{"email", sender_b}}, runtime(), m_time, "worker-b");
    // While "a" is in the middle of its first send, "b" runs a whole pass.
    bool once = false;
    int b_handled = 0;
    sender_a->during_send = [&] {
        if (!once) {
            once = true;
            b_handled = b.drain_lane(OutboxWorker::Lane::email);
        }
    };
    int a_handled = a.drain_lane(OutboxWorker::Lane::email);
    EXPECT_EQ(a_handled + b_handled, 6);
    EXPECT_EQ(b_handled, 5) << "b sent every letter but the one a was sending";
    for (int i = 0; i < 6; ++i) {
        EXPECT_EQ(m_counts["letter-" + std::to_string(i) + "@example.com"], 1) << i;
        EXPECT_EQ(status_of(i), LetterStatus::sent) << i;
    }
    (void)ids;
}

TEST_F(OutboxWorkerTest, TwoWorkersDrainingAtOnceSendEachLetterOnce)
{
    queue(40);
    auto second_store = open();
    auto sender_a = std::make_shared<CountingSender>(m_counts, m_counts_mutex);
    auto sender_b = std::make_shared<CountingSender>(m_counts, m_counts_mutex);
    OutboxWorker a(*m_store, *m_store, {{"email", sender_a}}, runtime(), m_time, "worker-a");
    OutboxWorker b(*second_store, *second_store, {{"email", sender_b}}, runtime(), m_time, "worker-b");
    std::thread ta([&] { a.drain_lane(OutboxWorker::Lane::email); });
    std::thread tb([&] { b.drain_lane(OutboxWorker::Lane::email); });
    ta.join();
    tb.join();
    ASSERT_EQ(m_counts.size(), 40u);
    for (auto& [message_id, n] : m_counts)
        EXPECT_EQ(n, 1) << message_id;
    EXPECT_EQ(a.counters().sent + b.counters().sent, 40);
}

TEST_F(OutboxWorkerTest, ALetterClaimedByAWorkerThatDiedIsSentWhenTheLeaseEnds)
{
    queue(1);
    // A worker claimed it and died before sending or recording anything.
    ASSERT_EQ(m_store->claim_due_letters("email", m_time.now(), OutboxWorker::claim_lease, "dead", 1).value().size(),
              1u);
    auto sender = std::make_shared<CountingSender>(m_counts, m_counts_mutex);
    OutboxWorker worker(*m_store, *m_store, {{"email", sender}}, runtime(), m_time, "worker-b");
    EXPECT_EQ(worker.drain_lane(OutboxWorker::Lane::email), 0);
    m_time.advance(OutboxWorker::claim_lease - Seconds{1});
    EXPECT_EQ(worker.drain_lane(OutboxWorker::Lane::email), 0);
    m_time.advance(Seconds{1});
    EXPECT_EQ(worker.drain_lane(OutboxWorker::Lane::email), 1);
    EXPECT_EQ(m_counts["letter-0@example.com"], 1);
    EXPECT_EQ(status_of(0), LetterStatus::sent);
}

TEST_F(OutboxWorkerTest, TheLastDrainStopsBetweenLettersWhenItsTimeIsUpAndLeavesTheRestQueued)
{
    queue(5);
    auto sender = std::make_shared<CountingSender>(m_counts, m_counts_mutex);
    // Each attempt takes 3 s (a server that answers slowly).
    sender->during_send = [&] { m_time.advance(Seconds{3}); };
    OutboxWorker worker(*m_store, *m_store, {{"email", sender}}, runtime(), m_time, "worker-a");
    EXPECT_EQ(worker.drain_lane(OutboxWorker::Lane::email, m_time.now() + Seconds{5}), 2);
    EXPECT_EQ(status_of(0), LetterStatus::sent);
    EXPECT_EQ(status_of(1), LetterStatus::sent);
    for (int i = 2; i < 5; ++i)
        EXPECT_EQ(status_of(i), LetterStatus::queued) << i;
    // Not claimed either: the next start sends them at once.
    OutboxWorker next(*m_store, *m_store, {{"email", sender}}, runtime(), m_time, "worker-next");
    EXPECT_EQ(next.drain_lane(OutboxWorker::Lane::email), 3);
}

TEST_F(OutboxWorkerTest, AFailureThatCannotBeRecordedOrReportedIsLoggedWithTheLetter)
{
    auto id = queue(1).at(0);
    FaultyOutbox outbox(*m_store);
    outbox.fail_failed = 1;
    CommitFails transactions(*m_store);
    auto sender = std::make_shared<CountingSender>(m_counts, m_counts_mutex);
    sender->status = SendResult::Status::permanent_failure;
    OutboxWorker worker(outbox, transactions, {{"email", sender}}, runtime(), m_time, "worker-a");
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(worker.drain_lane(OutboxWorker::Lane::email), 1);
    std::string log = ::testing::internal::GetCapturedStderr();
    std::string letter = "letter=" + std::to_string(id);
    auto line_with = [&](const std::string& event) {
        for (std::size_t at = log.find(event); at != std::string::npos; at = log.find(event, at + 1)) {
            auto start = log.rfind('\n', at);
            auto end = log.find('\n', at);
            std::string line = log.substr(start == std::string::npos ? 0 : start + 1,
                                          end - (start == std::string::npos ? 0 : start + 1));
            if (line.find(letter) != std::string::npos)
                return true;
        }
        return false;
    };
    EXPECT_TRUE(line_with("outbox.record_failed")) << log;
    EXPECT_TRUE(line_with("outbox.alert_failed")) << log;
}

TEST_F(OutboxWorkerTest, APermanentFailureIsRecordedAndTheOwnerAlerted)
{
    queue(1);
    auto sender = std::make_shared<CountingSender>(m_counts, m_counts_mutex);
    sender->status = SendResult::Status::permanent_failure;
    sender->fails_for = "anna@example.org";
    OutboxWorker worker(*m_store, *m_store, {{"email", sender}}, runtime(), m_time, "worker-a");
    // The letter fails; the owner's alert, queued at once, goes out in the same pass.
    EXPECT_EQ(worker.drain_lane(OutboxWorker::Lane::email), 2);
    EXPECT_EQ(status_of(0), LetterStatus::failed);
    EXPECT_EQ(worker.counters().failed, 1);
    EXPECT_EQ(worker.counters().sent, 1);
    EXPECT_EQ(m_counts.size(), 2u);
    for (auto& [message_id, n] : m_counts)
        EXPECT_EQ(n, 1) << message_id;
}
