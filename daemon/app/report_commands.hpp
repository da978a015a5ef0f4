#pragma once
// `redress report summary|recurring|csv`: the reports of daemon/reports on the command line, the
// same objects the API answers (GET /api/v1/reports/...).

#include <CLI/CLI.hpp>

#include <filesystem>

namespace redress::app {

void register_report_commands(CLI::App& app, const std::filesystem::path& install_dir);

}  // namespace redress::app
