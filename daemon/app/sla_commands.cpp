#include "sla_commands.hpp"

#include "pipeline/deadlines.hpp"
#include "pipeline/runtime.hpp"
#include "store/open_store.hpp"

#include <iostream>
#include <memory>

namespace redress::app {

namespace {

struct ExplainOptions {
    std::optional<std::filesystem::path> config_file;
    std::optional<std::filesystem::path> data_dir;
    std::string number;
    std::string at;
};

int run_explain(const ExplainOptions& options, const std::filesystem::path& install_dir)
{
    auto load = pipeline::load_runtime(options.config_file, install_dir, options.data_dir);
    if (!load.runtime) {
        for (auto& p : load.problems)
            std::cerr << "redress: " << p << "\n";
        return 2;
    }
    TimePoint now = to_seconds(Clock::now());
    if (!options.at.empty()) {
        auto at = parse_iso8601(options.at);
        if (!at) {
            std::cerr << "redress: --at expects a time such as 2026-11-26T09:00:00Z, found \"" << options.at << "\"\n";
            return 2;
        }
        now = *at;
    }
    auto store = store::open_store(load.runtime->config, store::OpenMode::existing);
    if (!store) {
        std::cerr << "redress: " << store.error().message << "\n";
        return 2;
    }
    auto ticket = (*store)->ticket(options.number);
    if (!ticket && !ticket.error().is(ErrorKind::not_found)) {
        // The store could not answer: say why instead of claiming the ticket does not exist.
        std::cerr << "redress: cannot read ticket " << options.number << ": " << ticket.error().message << "\n";
        return 2;
    }
    if (!ticket || !*ticket) {
        std::cerr << "redress: no ticket " << options.number << "\n";
        return 1;
    }
    // A read inside a transaction that is never committed: it changes nothing.
    auto tx = (*store)->begin();
    if (!tx) {
        std::cerr << "redress: " << tx.error().message << "\n";
        return 1;
    }
    auto set = pipeline::ticket_deadlines(*load.runtime, **tx, **ticket, now);
    if (!set) {
        std::cerr << "redress: " << set.error().message << "\n";
        return 1;
    }
    std::cout << "Ticket " << (*ticket)->number << " (" << to_string((*ticket)->kind) << ", "
              << to_string((*ticket)->severity) << ", " << (*ticket)->channel << ")\n"
              << sla::explain(load.runtime->sla, *set, now);
    std::cout << std::endl;
    return 0;
}

}  // namespace

void register_sla_commands(CLI::App& app, const std::filesystem::path& install_dir)
{
    auto options = std::make_shared<ExplainOptions>();
    auto* sla_cmd = app.add_subcommand("sla", "Deadlines");
    sla_cmd->require_subcommand(1);
    auto* explain =
        sla_cmd->add_subcommand("explain", "How each deadline of a ticket was computed (policy, calendar, pauses)");
    explain->add_option("number", options->number, "Ticket number, e.g. RD-000123")->required();
    explain->add_option("--config", options->config_file, "JSON config file");
    explain->add_option("--data-dir", options->data_dir, "Data folder");
    explain->add_option("--at", options->at, "Explain as of this time (ISO 8601, default now)");
    explain->callback([options, install_dir] { std::exit(run_explain(*options, install_dir)); });
}

}  // namespace redress::app
