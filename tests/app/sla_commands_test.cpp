// `redress sla explain` as a user runs it: a ticket that is there, a number that is not, and a store
// that cannot answer, which must not be reported as "no ticket".

#include "daemon_fixtures.hpp"
#include "daemon_process.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace redress::testing {
namespace {

namespace fs = std::filesystem;

// Runs one statement on the daemon's database behind the store's back; returns SQLite's error, if any.
std::string run_sql(const fs::path& database, const std::string& sql)
{
    sqlite3* db = nullptr;
    std::string error;
    if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        error = db ? sqlite3_errmsg(db) : "cannot open";
    } else {
        char* message = nullptr;
        if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK)
            error = message ? message : "failed";
        sqlite3_free(message);
    }
    sqlite3_close(db);
    return error;
}

class SlaExplainCommand : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_data = m_scratch / "data";
        write_file(m_scratch / "c1.eml", complaint_message(1, "explain"));
        auto ingested = run_redress({"ingest", "--data-dir", m_data.string(), (m_scratch / "c1.eml").string()});
        ASSERT_EQ(ingested.exit_code, 0) << ingested.out << ingested.err;
        ASSERT_NE(ingested.out.find("RD-000001"), std::string::npos) << ingested.out;
    }

    CommandResult explain(const std::string& number)
    {
        return run_redress({"sla", "explain", number, "--data-dir", m_data.string()});
    }

    ScratchDir m_scratch;
    fs::path m_data;
};

}  // namespace

TEST_F(SlaExplainCommand, ExplainsAStoredTicket)
{
    auto r = explain("RD-000001");
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Ticket RD-000001"), std::string::npos) << r.out;
}

TEST_F(SlaExplainCommand, ANumberWithNoTicketSaysSoAndExitsOne)
{
    auto r = explain("RD-000099");
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("no ticket RD-000099"), std::string::npos) << r.err;
}

TEST_F(SlaExplainCommand, AStoreThatCannotReadTicketsSaysWhyInsteadOfNoTicket)
{
    // The schema version stays, so the store opens; reading a ticket then fails in SQLite.
    ASSERT_EQ(run_sql(m_data / "redress.db", "ALTER TABLE tickets RENAME TO tickets_moved_away"), "");
    auto r = explain("RD-000001");
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_EQ(r.err.find("no ticket"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("cannot read ticket RD-000001"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("tickets"), std::string::npos) << "SQLite's reason is passed on: " << r.err;
}

}  // namespace redress::testing
