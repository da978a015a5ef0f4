#pragma once
// The one-shot subcommands: ingest, tickets, check. Each prints JSON or a table and returns the exit code.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace redress::app {

struct CommonOptions {
    std::optional<std::filesystem::path> config_file;
    std::optional<std::filesystem::path> data_dir;
};

int run_ingest(const CommonOptions& options, const std::vector<std::string>& files, const std::filesystem::path& install_dir);
int run_tickets_list(const CommonOptions& options, bool json, const std::string& status, int limit,
                     const std::filesystem::path& install_dir);
int run_tickets_show(const CommonOptions& options, const std::string& number, bool json,
                     const std::filesystem::path& install_dir);
int run_check(const CommonOptions& options, const std::filesystem::path& install_dir);

}  // namespace redress::app
