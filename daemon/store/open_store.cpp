#include "open_store.hpp"

#include "sqlite_store.hpp"

namespace redress::store {

Result<std::unique_ptr<Store>> open_store(const config::Config& config, OpenMode mode)
{
    // The config check refuses every URL but SQLite's; this is the place a second kind plugs in.
    if (!config.store_url.empty() && !config::sqlite_path_of(config.store_url))
        return make_error(ErrorKind::invalid, "store.url", "the store URL names no SQLite file: use sqlite:PATH");
    std::filesystem::path file = config.database_path();
    if (mode == OpenMode::create && file.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(file.parent_path(), ec);
        if (ec)
            return make_error(ErrorKind::transient, "store.open",
                              "cannot create " + file.parent_path().string() + ": " + ec.message());
    }
    auto opened = SqliteStore::open(file, mode);
    if (!opened && opened.error().is(ErrorKind::not_found))
        return make_error(ErrorKind::not_found, opened.error().code,
                          opened.error().message +
                              ": run this in the folder where `redress serve` keeps its data, or pass --data-dir");
    return std::unique_ptr<Store>(TRY(std::move(opened)));
}

}  // namespace redress::store
