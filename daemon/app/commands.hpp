#pragma once
// The one-shot subcommands: ingest, tickets, check. Each prints JSON or a table and returns the exit code.

#include <cstdint>
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
// What `tickets list` shows: every filter is optional; an empty string means "any".
struct TicketListOptions {
    bool json = false;
    std::string status;
    int limit = 100;
    bool overdue = false;                 // open tickets whose deadline has passed, the nearest deadline first
    std::optional<std::string> assignee;  // as assigned ("Name <address>"); "" for unassigned tickets
    std::string kind;
    std::string severity;
    std::string language;
    std::string channel;
    std::string department;
};

int run_tickets_list(const CommonOptions& options, const TicketListOptions& list,
                     const std::filesystem::path& install_dir);
int run_tickets_show(const CommonOptions& options, const std::string& number, bool json,
                     const std::filesystem::path& install_dir);
// One outbox letter as its reader sees it: decoded headers and body (email) or the text (chat),
// with its delivery state.
int run_letters_show(const CommonOptions& options, std::int64_t id, bool json,
                     const std::filesystem::path& install_dir);
int run_check(const CommonOptions& options, const std::filesystem::path& install_dir);

}  // namespace redress::app
