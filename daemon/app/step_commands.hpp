#pragma once
// `redress tickets take|verdict|action|department|resolve|signoff|reply|note|reopen NUMBER ...`: the
// workflow's steps from the command line, over the same service as the HTTP API (same rules, same
// preview with --preview, same letters). They work on the data folder like the other commands.

#include "common/result.hpp"
#include "model/workflow.hpp"
#include "store/store.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>

namespace redress::app {

// The person a command acts as: `--by NAME` (or REDRESS_USER) names a user (`redress user add`) whose
// role decides what the command may do, exactly as through the API.
Result<Actor> actor_of(store::People& people, const std::string& by);

void register_step_commands(CLI::App& tickets, const std::filesystem::path& install_dir);

}  // namespace redress::app
