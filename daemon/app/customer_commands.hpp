#pragma once
// `redress customer show WHO [--json]` (WHO: a customer id or any of the customer's email addresses,
// phone numbers or chat users) and `redress tickets merge NUMBER --into NUMBER --by NAME`, over the
// same service as the HTTP API (docs/customers.md). The `customer` command takes further
// subcommands (export and erase come next) beside `show`.

#include <CLI/CLI.hpp>

#include <filesystem>

namespace redress::app {

// Adds `customer` to the application; returns it, for the subcommands still to come.
CLI::App* register_customer_commands(CLI::App& app, const std::filesystem::path& install_dir);
// Adds `merge` to `tickets`.
void register_ticket_merge_command(CLI::App& tickets, const std::filesystem::path& install_dir);

}  // namespace redress::app
