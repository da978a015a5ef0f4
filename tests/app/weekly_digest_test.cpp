// The weekly digest on a test clock against a real SQLite store holding the generated history of the
// report tests: queued at the scheduled weekday and time in the company's zone and not before, once
// per week also across a restart, with the week's figures in the company's language.

#include "../letters/mail_reader.hpp"
#include "../reports/history.hpp"
#include "app/weekly_digest.hpp"
#include "pipeline/runtime.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>

namespace redress::app {
namespace {

namespace fs = std::filesystem;
using redress::test::moscow;

class WeeklyDigestTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("redress-digest-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir / "var");
        open_store();
        m_history = redress::test::write_history(*m_store);
    }
    void TearDown() override
    {
        m_digest.reset();
        m_store.reset();
        fs::remove_all(m_dir);
    }

    void load(const std::string& language)
    {
        std::ofstream(m_dir / "redress.json")
            << R"({"company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>",
                               "time_zone": "Europe/Moscow", "language": ")"
            << language << R"("},
                  "owner": {"name": "Olga", "email": "olga@shop.test"},
                  "reports": {"digest": {"weekday": "mon", "time": "09:00"}}})";
        auto loaded = pipeline::load_runtime(m_dir / "redress.json", REDRESS_SOURCE_DIR, m_dir / "var");
        std::string problems;
        for (auto& p : loaded.problems)
            problems += p + "\n";
        ASSERT_TRUE(loaded.runtime) << problems;
        m_runtime = loaded.runtime;
        m_digest = std::make_unique<WeeklyDigest>(
            *m_store, [this] { return m_runtime; }, m_clock);
    }
    void open_store()
    {
        auto store = store::SqliteStore::open(m_dir / "var" / "redress.db");
        ASSERT_TRUE(store) << store.error().message;
        m_store = std::move(store).value();
    }
    // The process ends and a new one starts on the same database.
    void restart()
    {
        m_digest.reset();
        m_store.reset();
        open_store();
        m_digest = std::make_unique<WeeklyDigest>(
            *m_store, [this] { return m_runtime; }, m_clock);
    }
    bool send_at(const std::string& local)
    {
        m_clock.set(moscow(local));
        auto sent = m_digest->send_if_due();
        EXPECT_TRUE(sent) << sent.error().message;
        return sent && *sent;
    }
    std::optional<Letter> letter(const std::string& key)
    {
        auto tx = m_store->begin().value();
        return tx->letter_by_dedup_key(key).value();
    }
    int digests()
    {
        // Every digest letter in the outbox, whatever its week.
        int n = 0;
        for (std::int64_t id = 1; id < 100000; ++id) {
            auto l = m_store->letter(id);
            if (!l || !*l)
                break;
            n += (*l)->template_name == "weekly_digest";
        }
        return n;
    }

    fs::path m_dir;
    ManualTimeSource m_clock{moscow("2026-10-26T08:00:00")};
    std::unique_ptr<store::Store> m_store;
    std::shared_ptr<const pipeline::Runtime> m_runtime;
    std::unique_ptr<WeeklyDigest> m_digest;
    redress::test::History m_history;
};

TEST_F(WeeklyDigestTest, IsSentOncePerWeekAtItsTimeAlsoAcrossARestart)
{
    load("en");
    // Monday a minute early: the digest due last Monday (12..18 October) was never queued (the daemon
    // was not running): it goes out now, once.
    EXPECT_TRUE(send_at("2026-10-26T08:59:00"));
    EXPECT_EQ(digests(), 1);
    EXPECT_TRUE(letter("digest:2026-10-18"));
    EXPECT_FALSE(send_at("2026-10-26T08:59:30"));
    EXPECT_TRUE(send_at("2026-10-26T09:00:00"));
    EXPECT_TRUE(letter("digest:2026-10-25"));
    EXPECT_FALSE(send_at("2026-10-26T09:01:00"));
    restart();
    EXPECT_FALSE(send_at("2026-10-26T09:02:00"));
    EXPECT_FALSE(send_at("2026-11-01T23:59:00"));
    EXPECT_EQ(digests(), 2);
    restart();
    EXPECT_TRUE(send_at("2026-11-02T09:00:00"));
    EXPECT_FALSE(send_at("2026-11-02T09:00:00"));
    EXPECT_EQ(digests(), 3);
    EXPECT_TRUE(letter("digest:2026-11-01"));
}

TEST_F(WeeklyDigestTest, CarriesTheWeeksFiguresRisingProblemsAndFixes)
{
    load("en");
    m_clock.set(moscow("2026-10-26T09:00:00"));
    ASSERT_TRUE(m_digest->send_if_due());
    auto l = letter("digest:2026-10-25");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->recipient, "olga@shop.test");
    auto message = letters::testing::read_message(l->content);
    std::string body = letters::testing::decoded_body(message);
    // Counted from the generator's record: the tickets received 19..25 October, Moscow time.
    long count = std::count_if(m_history.tickets.begin(), m_history.tickets.end(), [](const auto& g) {
        return g.ticket.received_at >= moscow("2026-10-19T00:00:00") &&
               g.ticket.received_at < moscow("2026-10-26T00:00:00");
    });
    std::string tickets = "Tickets received:         " + std::to_string(count);
    auto at = body.find(tickets);
    ASSERT_NE(at, std::string::npos) << body;
    EXPECT_FALSE(std::isdigit(static_cast<unsigned char>(body[at + tickets.size()]))) << body;
    EXPECT_NE(letters::testing::decode_words(message.header("Subject")).find("2026-10-19 to 2026-10-25"),
              std::string::npos);
    // The courier complaints of 20..24 October were none the week before: rising.
    EXPECT_NE(body.find("Rising problems"), std::string::npos) << body;
    auto rising = body.find("\n- ", body.find("Rising problems"));
    ASSERT_NE(rising, std::string::npos) << body;
    std::string line = body.substr(rising + 1, body.find('\n', rising + 1) - rising - 1);
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    EXPECT_NE(line.find("courier"), std::string::npos) << line;
    EXPECT_TRUE(line.ends_with(": 0 -> 5")) << line;
    // The zipper fix (12 October) did not stop the zipper complaints: counted in the two windows of
    // 14 days (the time since the fix) either side of it.
    auto zippers = [&](TimePoint from, TimePoint to) {
        return std::count_if(m_history.tickets.begin(), m_history.tickets.end(), [&](const auto& g) {
            return g.problem == "zipper" && g.ticket.received_at >= from && g.ticket.received_at < to;
        });
    };
    TimePoint done = moscow("2026-10-12T10:00:00");
    Seconds window = moscow("2026-10-26T09:00:00") - done;
    EXPECT_NE(body.find("Fixes that did not stop the problem"), std::string::npos) << body;
    EXPECT_NE(body.find("Stronger zippers from the factory: " + std::to_string(zippers(done - window, done)) + " -> " +
                        std::to_string(zippers(done, done + window))),
              std::string::npos)
        << body;
    EXPECT_NE(body.find("Fixes that worked"), std::string::npos) << body;
}

TEST_F(WeeklyDigestTest, IsWrittenInTheCompanysLanguage)
{
    load("ru");
    m_clock.set(moscow("2026-10-26T09:00:00"));
    ASSERT_TRUE(m_digest->send_if_due());
    auto l = letter("digest:2026-10-25");
    ASSERT_TRUE(l);
    std::string body = letters::testing::decoded_body(letters::testing::read_message(l->content));
    EXPECT_NE(body.find("Получено обращений"), std::string::npos) << body;
    EXPECT_NE(body.find("Растущие проблемы"), std::string::npos) << body;
}

TEST_F(WeeklyDigestTest, IsNotSentWithoutItsConfig)
{
    std::ofstream(m_dir / "redress.json") << R"({"owner": {"name": "Olga", "email": "olga@shop.test"}})";
    auto loaded = pipeline::load_runtime(m_dir / "redress.json", REDRESS_SOURCE_DIR, m_dir / "var");
    ASSERT_TRUE(loaded.runtime);
    m_runtime = loaded.runtime;
    m_digest = std::make_unique<WeeklyDigest>(
        *m_store, [this] { return m_runtime; }, m_clock);
    EXPECT_FALSE(send_at("2026-10-26T09:00:00"));
    EXPECT_EQ(digests(), 0);
}

}  // namespace
}  // namespace redress::app
