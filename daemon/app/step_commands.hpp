#pragma once
// `redress tickets take|verdict|action|department|resolve|signoff|reply|note|reopen NUMBER ...`: the
// workflow's steps from the command line, over the same service as the HTTP API (same rules, same
// preview with --preview, same letters). They work on the data folder like the other commands.

#include <CLI/CLI.hpp>

#include <filesystem>

namespace redress::app {

void register_step_commands(CLI::App& tickets, const std::filesystem::path& install_dir);

}  // namespace redress::app
