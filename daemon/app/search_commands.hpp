#pragma once
// `redress search QUERY [--json] [--limit N] [--offset N]`: the API's search on the command line.

#include <CLI/CLI.hpp>

#include <filesystem>

namespace redress::app {

void register_search_commands(CLI::App& app, const std::filesystem::path& install_dir);

}  // namespace redress::app
