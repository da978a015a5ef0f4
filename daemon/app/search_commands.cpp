#include "search_commands.hpp"

#include "api/search_api.hpp"
#include "pipeline/runtime.hpp"
#include "store/open_store.hpp"

#include <iostream>
#include <memory>

namespace redress::app {

namespace {

struct SearchOptions {
    std::optional<std::filesystem::path> config_file;
    std::optional<std::filesystem::path> data_dir;
    std::string query;
    bool json = false;
    int limit = api::k_search_default_limit;
    int offset = 0;
};

// One hit in two lines: where it is, then its snippet with the matched words in [brackets].
void print_hit(const store::SearchHit& hit)
{
    std::cout << (hit.ticket_number.empty() ? std::string("(no ticket)") : hit.ticket_number) << "  "
              << search::to_string(hit.record) << " " << hit.record_id << "  " << format_iso8601_utc(hit.at);
    if (!hit.sender.empty())
        std::cout << "  " << hit.sender;
    if (hit.status)
        std::cout << "  [" << to_string(*hit.status) << "]";
    std::cout << "\n    ";
    for (const auto& part : hit.snippet) {
        std::string text = part.text;
        for (auto& c : text)
            if (c == '\n' || c == '\r' || c == '\t')
                c = ' ';
        std::cout << (part.match ? "[" + text + "]" : text);
    }
    std::cout << "\n";
}

int run_search_command(const SearchOptions& options, const std::filesystem::path& install_dir)
{
    auto load = pipeline::load_runtime(options.config_file, install_dir, options.data_dir);
    if (!load.runtime) {
        for (auto& p : load.problems)
            std::cerr << "redress: " << p << "\n";
        return 2;
    }
    auto store = store::open_store(load.runtime->config, store::OpenMode::existing);
    if (!store) {
        std::cerr << "redress: " << store.error().message << "\n";
        return 2;
    }
    auto page = api::run_search(**store, options.query, options.limit, options.offset);
    if (!page) {
        std::cerr << "redress: " << (page.error().is(ErrorKind::invalid) ? "cannot read the query: " : "")
                  << page.error().message << "\n";
        return page.error().is(ErrorKind::transient) ? 2 : 1;
    }
    if (options.json) {
        std::cout << api::search_json(options.query, options.limit, options.offset, *page).dump(2) << "\n";
        return 0;
    }
    if (page->hits.empty())
        std::cout << "Nothing found.\n";
    for (const auto& hit : page->hits)
        print_hit(hit);
    if (page->more)
        std::cout << "More: --offset " << options.offset + options.limit << "\n";
    return 0;
}

}  // namespace

void register_search_commands(CLI::App& app, const std::filesystem::path& install_dir)
{
    auto options = std::make_shared<SearchOptions>();
    auto* cmd = app.add_subcommand(
        "search", "Full-text search over messages, letters, notes, subjects and customer names (docs/search.md)");
    cmd->add_option("--config", options->config_file, "JSON config file (default: the embedded default)");
    cmd->add_option("--data-dir", options->data_dir, "Data folder (overrides data_dir; default var)");
    cmd->add_option("query", options->query,
                    "Words, \"phrases\", -exclude, OR, from: status: kind: lang: channel: before: after:")
        ->required();
    cmd->add_flag("--json", options->json, "Print JSON (the API's shape)");
    cmd->add_option("--limit", options->limit, "At most this many (default 20)")
        ->check(CLI::Range(1, api::k_search_max_limit));
    cmd->add_option("--offset", options->offset, "Skip this many (the next page)")
        ->check(CLI::Range(0, api::k_search_max_offset));
    cmd->callback([options, install_dir] { std::exit(run_search_command(*options, install_dir)); });
}

}  // namespace redress::app
