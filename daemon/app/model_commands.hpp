#pragma once
// `redress model promote` and `redress model rollback`: the candidate weights that
// `redress train --with-corrections` writes become the live model (config `model_path`), the live
// one kept beside it as the previous, so that a retrained model that does worse can be rolled
// back. The running daemon reads the live file on SIGHUP or restart.
//
// The three files sit side by side: classifier.bin (live), classifier.candidate.bin,
// classifier.previous.bin. Each swap is a rename within the folder, atomic on POSIX file systems:
// a daemon that reloads at that moment reads the old file or the new one, never half of either.

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iosfwd>
#include <optional>

namespace redress::app {

// "<folder>/<stem>.candidate<ext>" and "<folder>/<stem>.previous<ext>" beside the live model.
std::filesystem::path candidate_model_path(const std::filesystem::path& live);
std::filesystem::path previous_model_path(const std::filesystem::path& live);

struct ModelCommandOptions {
    std::optional<std::filesystem::path> config_file;  // its model_path is the live model
    std::optional<std::filesystem::path> candidate;    // default: beside the live model
};

// Exit codes: 0 done, 1 nothing to promote or roll back to, or a file could not be written.
int run_model_promote(const ModelCommandOptions& options, std::ostream& out, std::ostream& err,
                      const std::filesystem::path& install_dir);
int run_model_rollback(const ModelCommandOptions& options, std::ostream& out, std::ostream& err,
                       const std::filesystem::path& install_dir);

void register_model_commands(CLI::App& app, const std::filesystem::path& install_dir);

}  // namespace redress::app
