#pragma once
// What the people tests share (people_test.cpp, owner_setup_test.cpp): a real SQLite store in a
// scratch folder of the test's own, a test clock, and the people service over them with a cheap
// scrypt cost so that the suites stay fast.

#include "service/people.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

namespace redress::testing {

inline constexpr auth::ScryptCost k_cheap_scrypt{1u << 4, 1, 1};

class PeopleStoreTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = std::filesystem::temp_directory_path() / ("redress-" + std::string(test->test_suite_name()) + "-" +
                                                          std::to_string(::getpid()) + "-" + test->name());
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
        auto opened = store::SqliteStore::open(m_dir / "redress.db");
        ASSERT_TRUE(opened) << opened.error().message;
        m_store = std::move(opened).value();
        m_people = std::make_unique<service::PeopleService>(*m_store, m_clock, k_cheap_scrypt);
    }
    void TearDown() override
    {
        m_people.reset();
        m_store.reset();
        std::filesystem::remove_all(m_dir);
    }

    std::filesystem::path m_dir;
    ManualTimeSource m_clock{*parse_iso8601("2026-12-01T09:00:00Z")};
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<service::PeopleService> m_people;
};

}  // namespace redress::testing
