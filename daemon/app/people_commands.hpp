#pragma once
// `redress user add|list|disable` and `redress token create|list|revoke`: people and API tokens on
// the data directory, over service::PeopleService (the same functions as the API's).

#include <CLI/CLI.hpp>

#include <filesystem>

namespace redress::app {

void register_people_commands(CLI::App& app, const std::filesystem::path& install_dir);

}  // namespace redress::app
