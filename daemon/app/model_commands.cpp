// The model's subcommands (see model_commands.hpp).

#include "model_commands.hpp"

#include "classify/linear_model.hpp"
#include "config/config.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <iostream>
#include <system_error>

namespace redress::app {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path beside(const fs::path& live, const char* role)
{
    return live.parent_path() / (live.stem().string() + "." + role + live.extension().string());
}

// The live model's path from the config (model_path), or nullopt after printing the problems.
std::optional<fs::path> live_model(const ModelCommandOptions& options, std::ostream& err, const fs::path& install_dir,
                                   const char* command)
{
    auto loaded = config::load_config(options.config_file, install_dir);
    if (!loaded.config) {
        for (auto& p : loaded.problems)
            err << "redress model " << command << ": " << p.to_string() << "\n";
        return std::nullopt;
    }
    return loaded.config->model_path;
}

// Copies `from` to `to` through a temporary file in `to`'s folder and a rename, so that `to` is
// the old file or the whole new one, never a part.
bool copy_atomically(const fs::path& from, const fs::path& to, std::error_code& ec)
{
    fs::path temporary = to;
    temporary += ".tmp";
    fs::copy_file(from, temporary, fs::copy_options::overwrite_existing, ec);
    if (ec)
        return false;
    fs::rename(temporary, to, ec);
    if (ec)
        fs::remove(temporary);
    return !ec;
}

bool loads(const fs::path& path, std::ostream& err, const char* command)
{
    auto model = classify::LinearModel::load(path);
    if (!model) {
        err << "redress model " << command << ": " << model.error().message << "\n";
        return false;
    }
    return true;
}

}  // namespace

fs::path candidate_model_path(const fs::path& live)
{
    return beside(live, "candidate");
}

fs::path previous_model_path(const fs::path& live)
{
    return beside(live, "previous");
}

int run_model_promote(const ModelCommandOptions& options, std::ostream& out, std::ostream& err,
                      const fs::path& install_dir)
{
    auto live = live_model(options, err, install_dir, "promote");
    if (!live)
        return 1;
    fs::path candidate = options.candidate ? *options.candidate : candidate_model_path(*live);
    if (!fs::exists(candidate)) {
        err << "redress model promote: there is no candidate model at " << candidate.string()
            << "; train one with `redress train --with-corrections ...`, and compare it with "
               "`redress eval --corrections` first\n";
        return 1;
    }
    // A file that does not load would stop the daemon at its next reload: refused here instead.
    if (!loads(candidate, err, "promote"))
        return 1;
    std::error_code ec;
    fs::path previous = previous_model_path(*live);
    bool kept = fs::exists(*live);
    if (kept && !copy_atomically(*live, previous, ec)) {
        err << "redress model promote: cannot keep the live model as " << previous.string() << ": " << ec.message()
            << "; nothing changed\n";
        return 1;
    }
    // rename(2) replaces the live file at once; across file systems it cannot, so copy then.
    fs::rename(candidate, *live, ec);
    if (ec) {
        ec.clear();
        if (!copy_atomically(candidate, *live, ec)) {
            err << "redress model promote: cannot write " << live->string() << ": " << ec.message() << "\n";
            return 1;
        }
        fs::remove(candidate, ec);
    }
    out << json{{"live", live->string()},
                {"previous", kept ? json(previous.string()) : json(nullptr)},
                {"promoted", candidate.string()},
                {"next", "send SIGHUP to the daemon (or restart it) to use the new model; "
                         "`redress model rollback` puts the previous one back"}}
               .dump(2)
        << "\n";
    return 0;
}

int run_model_rollback(const ModelCommandOptions& options, std::ostream& out, std::ostream& err,
                       const fs::path& install_dir)
{
    auto live = live_model(options, err, install_dir, "rollback");
    if (!live)
        return 1;
    fs::path previous = previous_model_path(*live);
    if (!fs::exists(previous)) {
        err << "redress model rollback: there is no previous model at " << previous.string()
            << " (`redress model promote` keeps one)\n";
        return 1;
    }
    if (!loads(previous, err, "rollback"))
        return 1;
    // The model rolled back becomes the candidate again, so it can be promoted once more.
    std::error_code ec;
    fs::path candidate = options.candidate ? *options.candidate : candidate_model_path(*live);
    if (fs::exists(*live) && !copy_atomically(*live, candidate, ec)) {
        err << "redress model rollback: cannot keep the live model as " << candidate.string() << ": " << ec.message()
            << "; nothing changed\n";
        return 1;
    }
    if (!copy_atomically(previous, *live, ec)) {
        err << "redress model rollback: cannot write " << live->string() << ": " << ec.message() << "\n";
        return 1;
    }
    fs::remove(previous, ec);
    out << json{{"live", live->string()},
                {"candidate", candidate.string()},
                {"next", "send SIGHUP to the daemon (or restart it) to use the restored model"}}
               .dump(2)
        << "\n";
    return 0;
}

void register_model_commands(CLI::App& app, const fs::path& install_dir)
{
    auto options = std::make_shared<ModelCommandOptions>();
    auto* model = app.add_subcommand("model", "The classifier's weights: promote a candidate, roll back");
    model->require_subcommand(1);
    auto add = [&](CLI::App* cmd) {
        cmd->add_option("--config", options->config_file, "JSON config file; its model_path is the live model");
        cmd->add_option("--candidate", options->candidate,
                        "The candidate file (default: <model>.candidate.bin beside the live model)");
    };
    auto* promote = model->add_subcommand(
        "promote", "Make the candidate model (redress train --with-corrections) the live one; keep the live one "
                   "as the previous");
    add(promote);
    promote->callback(
        [options, install_dir] { std::exit(run_model_promote(*options, std::cout, std::cerr, install_dir)); });
    auto* rollback = model->add_subcommand(
        "rollback", "Put the previous model back; the one it replaces becomes the candidate again");
    add(rollback);
    rollback->callback(
        [options, install_dir] { std::exit(run_model_rollback(*options, std::cout, std::cerr, install_dir)); });
}

}  // namespace redress::app
