// The deadline scheduler on a test clock: a real SQLite store, the shipped templates, and a
// ManualTimeSource the test moves; passes run when the test polls the io_context, so nothing sleeps
// and nothing depends on how fast the machine is.

#include "app/sla_scheduler.hpp"
#include "connectors/quarantine_folder/quarantine_folder.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace redress::app {
namespace {

namespace fs = std::filesystem;

const TimePoint k_arrival = parse_iso8601("2026-11-30T09:00:00Z").value();
// First response due an hour after arrival, the warning ten minutes before (no calendar: around the clock).
const TimePoint k_warning = k_arrival + Seconds{50 * 60};
const TimePoint k_due = k_arrival + Seconds{60 * 60};

const std::string k_complaint =
    "From: Anna Petrova <anna@customer.test>\r\n"
    "To: support@shop.test\r\n"
    "Subject: My kettle arrived broken\r\n"
    "Message-ID: <kettle-1@customer.test>\r\n"
    "Date: Mon, 30 Nov 2026 08:59:00 +0000\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Hello, the kettle I ordered arrived with a cracked lid. I want a replacement or my money back.\r\n";

class SlaSchedulerTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("redress-scheduler-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir / "var");
        std::ofstream(m_dir / "redress.json")
            << R"({"company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>"},
                  "owner": {"name": "Olga", "email": "olga@shop.test"},
                  "sla": {"policies": [{"name": "all", "match": {}, "first_response": "PT1H", "resolution": "P3D",
                                        "warn_before": "PT10M"}]}})";
        auto load = pipeline::load_runtime(m_dir / "redress.json", REDRESS_SOURCE_DIR, m_dir / "var");
        std::string problems;
        for (auto& p : load.problems)
            problems += p + "\n";
        ASSERT_TRUE(load.runtime) << problems;
        m_runtime = load.runtime;
        auto store = store::SqliteStore::open(m_dir / "var" / "redress.db");
        ASSERT_TRUE(store.ok()) << store.error().message;
        m_store = std::move(store).value();
        m_quarantine = std::make_unique<connectors::QuarantineFolder>(m_dir / "var" / "quarantine", m_clock);
        m_pipeline = std::make_unique<pipeline::Pipeline>(*m_store, *m_quarantine, m_runtime);
        m_scheduler = std::make_unique<SlaScheduler>(
            m_io, *m_store, [this] { return m_runtime; }, [this] { ++m_notified; }, m_clock);
    }

    void TearDown() override
    {
        if (m_scheduler)
            m_scheduler->stop();
        m_scheduler.reset();
        m_pipeline.reset();
        m_store.reset();
        fs::remove_all(m_dir);
    }

    std::string ingest_complaint()
    {
        pipeline::RawMessage raw;
        raw.channel = "email";
        raw.source = "support";
        raw.source_key = "test:kettle-1";
        raw.bytes = k_complaint;
        raw.received_at = m_clock.now();
        auto outcome = m_pipeline->ingest(raw, m_clock.now());
        EXPECT_TRUE(outcome.ok()) << (outcome.ok() ? "" : outcome.error().message);
        return outcome.ok() ? outcome->ticket_number : std::string();
    }

    // Runs the passes the scheduler has posted (ticket_changed) without waiting for any timer.
    void run_posted()
    {
        m_io.restart();
        m_io.poll();
    }

    int letters_with_template(const std::string& number, const std::string& template_name)
    {
        auto ticket = m_store->ticket(number);
        EXPECT_TRUE(ticket.ok() && *ticket);
        if (!ticket.ok() || !*ticket)
            return -1;
        auto letters = m_store->letters_of((*ticket)->id);
        EXPECT_TRUE(letters.ok());
        if (!letters.ok())
            return -1;
        int n = 0;
        for (auto& l : *letters)
            n += l.template_name == template_name;
        return n;
    }

    fs::path m_dir;
    ManualTimeSource m_clock{k_arrival};
    boost::asio::io_context m_io;
    int m_notified = 0;
    std::shared_ptr<const pipeline::Runtime> m_runtime;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<connectors::QuarantineFolder> m_quarantine;
    std::unique_ptr<pipeline::Pipeline> m_pipeline;
    std::unique_ptr<SlaScheduler> m_scheduler;
};

}  // namespace

TEST_F(SlaSchedulerTest, AWarningFallsDueWhenTheClockPassesItAndNotBefore)
{
    std::string number = ingest_complaint();
    ASSERT_FALSE(number.empty());

    // At arrival the pass plans the warning and queues nothing.
    m_scheduler->start();
    EXPECT_EQ(m_scheduler->next_due(), k_warning);
    EXPECT_EQ(letters_with_template(number, "deadline_warning"), 0);
    EXPECT_EQ(m_notified, 0);

    // A second before the warning: still nothing.
    m_clock.set(k_warning - Seconds{1});
    m_scheduler->ticket_changed();
    run_posted();
    EXPECT_EQ(letters_with_template(number, "deadline_warning"), 0);
    EXPECT_EQ(m_notified, 0);
    EXPECT_EQ(m_scheduler->next_due(), k_warning);

    // The clock reaches it: one warning, the outbox is told, and the breach is next.
    m_clock.set(k_warning);
    m_scheduler->ticket_changed(number);
    run_posted();
    EXPECT_EQ(letters_with_template(number, "deadline_warning"), 1);
    EXPECT_EQ(m_notified, 1);
    m_scheduler->ticket_changed();
    run_posted();
    EXPECT_EQ(m_scheduler->next_due(), k_due);

    // Another pass at the same time queues no second warning (the dedup key), and tells no one.
    m_scheduler->ticket_changed();
    run_posted();
    EXPECT_EQ(letters_with_template(number, "deadline_warning"), 1);
    EXPECT_EQ(m_notified, 1);
    EXPECT_EQ(letters_with_template(number, "escalation"), 0);

    // Past the deadline: the breach goes to the owner.
    m_clock.set(k_due + Seconds{5});
    m_scheduler->ticket_changed();
    run_posted();
    EXPECT_EQ(letters_with_template(number, "escalation"), 1);
    EXPECT_EQ(m_notified, 2);
}

TEST_F(SlaSchedulerTest, RunOnceTakesTheTimeItIsGiven)
{
    std::string number = ingest_complaint();
    ASSERT_FALSE(number.empty());
    // The test clock stands at arrival; run_once is told a later time and believes it.
    EXPECT_EQ(m_scheduler->run_once(k_warning - Seconds{1}), k_warning);
    EXPECT_EQ(letters_with_template(number, "deadline_warning"), 0);
    EXPECT_EQ(m_scheduler->run_once(k_warning), k_due);
    EXPECT_EQ(letters_with_template(number, "deadline_warning"), 1);
    EXPECT_EQ(m_notified, 1);
}

TEST_F(SlaSchedulerTest, ATicketThatIsNotThereHasNothingToPlan)
{
    EXPECT_EQ(m_scheduler->run_for("RD-000404", k_arrival), std::nullopt);
}

// A store that fails is not a ticket that is gone: its alerts are still owed, so the scheduler
// comes back to it soon instead of dropping it until the next full pass.
TEST_F(SlaSchedulerTest, AStoreFailureIsTriedAgainSoonNotTakenForNoTicket)
{
    std::string number = ingest_complaint();
    ASSERT_FALSE(number.empty());
    // Behind the store's back the tickets table goes away, so reading a ticket fails in SQLite.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((m_dir / "var" / "redress.db").c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    int rc = sqlite3_exec(db, "ALTER TABLE tickets RENAME TO tickets_moved_away", nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK);

    ASSERT_FALSE(m_store->ticket(number).ok()) << "the store still reads tickets; the test breaks nothing";
    auto retry_at = m_scheduler->run_for(number, k_warning);
    ASSERT_TRUE(retry_at.has_value()) << "a store failure was taken for a missing ticket";
    EXPECT_GT(*retry_at, k_warning);
    EXPECT_LE(*retry_at, k_warning + Seconds{60});
    // The full pass fails the same way and likewise comes back soon.
    auto pass = m_scheduler->run_once(k_warning);
    ASSERT_TRUE(pass.has_value());
    EXPECT_LE(*pass, k_warning + Seconds{60});
    EXPECT_EQ(m_notified, 0);
}

}  // namespace redress::app
