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

int run_ingest(const CommonOptions& options, const std::vector<std::string>& files,
               const std::filesystem::path& install_dir);
int run_tickets_list(const CommonOptions& options, bool json, const std::string& status, int limit,
                     const std::filesystem::path& install_dir);
int run_tickets_show(const CommonOptions& options, const std::string& number, bool json,
                     const std::filesystem::path& install_dir);
// Records what a person did on a ticket that moves its deadlines: "responded" (the first human
// answer; the automatic acknowledgement never counts) or "waiting" (waiting for the customer:
// deadlines pause until the customer writes again). The manager's API grows from this.
int run_tickets_event(const CommonOptions& options, const std::string& number, const std::string& event,
                      const std::string& actor, const std::string& note, const std::filesystem::path& install_dir);
int run_tickets_assign(const CommonOptions& options, const std::string& number, const std::string& assignee,
                       const std::string& actor, const std::filesystem::path& install_dir);
int run_check(const CommonOptions& options, const std::filesystem::path& install_dir);

}  // namespace redress::app
