#pragma once
// The one place that chooses the store from the config ("store": {"url": ...}): the daemon, the
// command line and the benchmark all open theirs here.

#include "config/config.hpp"
#include "store.hpp"

#include <memory>

namespace redress::store {

// Opens the store the config names (the SQLite file in data_dir by default). OpenMode::existing
// refuses a database that is not there with ErrorKind::not_found and a message naming the path.
Result<std::unique_ptr<Store>> open_store(const config::Config& config, OpenMode mode);

}  // namespace redress::store
