#pragma once
// `redress sla explain NUMBER`: how each deadline of a ticket was computed.

#include <CLI/CLI.hpp>

#include <filesystem>

namespace redress::app {

void register_sla_commands(CLI::App& app, const std::filesystem::path& install_dir);

}  // namespace redress::app
