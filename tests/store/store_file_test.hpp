#pragma once
// A test with a SQLite file of its own: a fresh folder per test (named by the process, the suite
// and the test, so that tests of parallel ctest runs never share one), the database's path in it,
// and the SQL the tests run on a connection of their own to set up or look at what the store left.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <unistd.h>

#include <filesystem>
#include <string>

namespace redress::store {

class StoreFileTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = std::filesystem::temp_directory_path() / ("redress-" + std::string(test->test_suite_name()) + "-" +
                                                          std::to_string(::getpid()) + "-" + test->name());
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
        m_file = m_dir / "redress.db";
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }

    // The first value of a query.
    std::string query(const char* sql)
    {
        sqlite3* db = nullptr;
        EXPECT_EQ(sqlite3_open(m_file.c_str(), &db), SQLITE_OK);
        sqlite3_stmt* stmt = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
        std::string value;
        if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
            value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
        sqlite3_finalize(stmt);
        sqlite3_close(db);
        return value;
    }

    void exec(const char* sql)
    {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(m_file.c_str(), &db), SQLITE_OK);
        char* error = nullptr;
        EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
        sqlite3_free(error);
        sqlite3_close(db);
    }

    std::filesystem::path m_dir;
    std::filesystem::path m_file;
};

}  // namespace redress::store
