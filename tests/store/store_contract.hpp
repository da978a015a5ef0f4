#pragma once
// The contract every store::Store implementation keeps, as a parameterised suite: an
// implementation's test file instantiates it with a factory (store_contract_test.cpp does it for
// SQLite; PostgreSQL will do the same).

#include "store/store.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace redress::testing {

struct StoreFactory {
    std::string name;
    // A store on the test's database in `dir`: each call opens another connection to the same
    // database (another "process"). busy_timeout: how long a write waits for another's lock.
    std::function<Result<std::unique_ptr<store::Store>>(const std::filesystem::path& dir,
                                                        std::chrono::milliseconds busy_timeout)>
        open;
};

inline std::string factory_name(const ::testing::TestParamInfo<StoreFactory>& info)
{
    return info.param.name;
}

}  // namespace redress::testing
