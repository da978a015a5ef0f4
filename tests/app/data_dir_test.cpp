// The data directory as the binary meets it: one `serve` at a time on it, and commands that read
// refuse a folder with no database instead of creating an empty one there.

#include "daemon_process.hpp"

#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace redress::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

class DataDirTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("redress-datadir-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    fs::path m_dir;
};

}  // namespace

TEST_F(DataDirTest, ASecondServeOnTheSameDataDirectoryRefusesToStartAndNamesTheFirst)
{
    fs::path data = m_dir / "data";
    DaemonProcess first(m_dir / "first.log");
    ASSERT_TRUE(first.serve(data)) << first.log();

    DaemonProcess second(m_dir / "second.log");
    ASSERT_TRUE(second.start({"serve", "--data-dir", data.string()}));
    auto code = second.wait_exit(30s);
    ASSERT_TRUE(code.has_value()) << "the second serve did not exit: " << second.log();
    EXPECT_NE(*code, 0);
    std::string log = second.log();
    EXPECT_NE(log.find(data.string()), std::string::npos) << log;
    EXPECT_NE(log.find("PID " + std::to_string(first.pid())), std::string::npos) << log;
    EXPECT_EQ(second.count_log("daemon.ready"), 0) << log;
    EXPECT_TRUE(first.running()) << "the first one goes on";

    EXPECT_EQ(first.terminate(), 0);
    // The lock goes with the process: the next serve starts.
    DaemonProcess third(m_dir / "third.log");
    ASSERT_TRUE(third.serve(data)) << third.log();
    EXPECT_EQ(third.terminate(), 0);
}

TEST_F(DataDirTest, CommandsThatReadRefuseAFolderWithoutADatabaseAndCreateNothing)
{
    fs::path data = m_dir / "wrong-folder";
    fs::path database = data / "redress.db";
    for (std::vector<std::string> args :
         {std::vector<std::string>{"tickets", "list", "--data-dir", data.string()},
          std::vector<std::string>{"tickets", "show", "RD-000001", "--data-dir", data.string()},
          std::vector<std::string>{"sla", "explain", "RD-000001", "--data-dir", data.string()}}) {
        auto r = run_redress(args, 30s);
        EXPECT_NE(r.exit_code, 0) << args[0] << " " << args[1];
        EXPECT_NE(r.err.find("no database at " + database.string()), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("--data-dir"), std::string::npos) << r.err;
        EXPECT_FALSE(fs::exists(data)) << args[0] << " " << args[1] << " created the folder";
    }
    // ingest, like serve, makes the database it needs.
    fs::path mail = m_dir / "complaint.eml";
    std::ofstream(mail)
        << "From: anna@customer.test\r\nSubject: Broken kettle\r\nMessage-ID: <k1@customer.test>\r\n\r\n"
           "The kettle arrived broken.\r\n";
    auto ingest = run_redress({"ingest", "--data-dir", data.string(), mail.string()}, 30s);
    EXPECT_TRUE(fs::exists(database)) << ingest.err;
    auto listed = run_redress({"tickets", "list", "--data-dir", data.string()}, 30s);
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
}

TEST_F(DataDirTest, ARestartedServeSendsAtOnceTheLettersItsCrashedPredecessorHadClaimed)
{
    fs::path data = m_dir / "data";
    fs::create_directories(data);
    const std::string dead = "4242-0badc0de0badc0de";
    {
        auto store = std::move(redress::store::SqliteStore::open(data / "redress.db")).value();
        auto tx = std::move(store->begin()).value();
        redress::Letter letter;
        letter.template_name = "acknowledgement";
        letter.recipient = "anna@customer.test";
        letter.message_id = "claimed-1@shop.test";
        letter.dedup_key = "claimed-1";
        letter.content = "From: support@shop.test\r\nTo: anna@customer.test\r\nSubject: x\r\n"
                         "Message-ID: <claimed-1@shop.test>\r\n\r\nbody\r\n";
        letter.created_at = redress::to_seconds(redress::Clock::now());
        ASSERT_TRUE(tx->enqueue_letter(letter).ok());
        ASSERT_TRUE(tx->commit().ok());
        // The daemon before claimed it for an hour and was killed before recording anything.
        auto claimed = store->claim_due_letters("email", letter.created_at, redress::Seconds{3600}, dead, 1);
        ASSERT_TRUE(claimed.ok());
        ASSERT_EQ(claimed->size(), 1u);
    }
    std::ofstream(data / "redress.lock") << "4242 " << dead << "\n";

    DaemonProcess daemon(m_dir / "daemon.log");
    ASSERT_TRUE(daemon.serve(data)) << daemon.log();
    auto sent = [&] {
        std::error_code ec;
        for (auto& entry : fs::directory_iterator(data / "outbox", ec))
            if (entry.path().extension() == ".eml")
                return true;
        return false;
    };
    EXPECT_TRUE(wait_until(sent, 20s)) << "the claimed letter waits for its lease: " << daemon.log();
    EXPECT_EQ(daemon.count_log("outbox.claims_released"), 1) << daemon.log();
    EXPECT_EQ(daemon.terminate(), 0);
}
