#pragma once
// `redress serve`: one Boost.Asio io_context drives the drop folder, the deadline scheduler and
// the signals; mailbox pollers and the outbox worker run on their own threads because libcurl
// and SQLite block. SIGTERM and SIGINT drain and stop; SIGHUP reloads config, rules and templates,
// and restarts the mailbox and chat pollers whose settings changed (channels.hpp).

#include <filesystem>
#include <optional>

namespace redress::app {

struct ServeOptions {
    std::optional<std::filesystem::path> config_file;
    std::optional<std::filesystem::path> data_dir;
};

// Returns the process exit code: 0 after a clean stop, 2 when start-up failed (the reason is printed).
int serve(const ServeOptions& options, const std::filesystem::path& install_dir);

}  // namespace redress::app
