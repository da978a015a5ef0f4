#include "report_commands.hpp"

#include "pipeline/runtime.hpp"
#include "reports/report.hpp"
#include "store/open_store.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace redress::app {

namespace {

using nlohmann::json;

struct ReportOptions {
    std::optional<std::filesystem::path> config_file;
    std::optional<std::filesystem::path> data_dir;
    std::string from, to, kind, channel, department, language, severity, output;
    bool json = false;
};

struct Opened {
    std::shared_ptr<const pipeline::Runtime> runtime;
    std::unique_ptr<store::Store> store;
};

std::optional<Opened> open(const ReportOptions& options, const std::filesystem::path& install_dir)
{
    auto load = pipeline::load_runtime(options.config_file, install_dir, options.data_dir);
    if (!load.runtime) {
        for (auto& p : load.problems)
            std::cerr << "redress: " << p << "\n";
        return std::nullopt;
    }
    auto store = store::open_store(load.runtime->config, store::OpenMode::existing);
    if (!store) {
        std::cerr << "redress: " << store.error().message << "\n";
        return std::nullopt;
    }
    return Opened{load.runtime, std::move(store).value()};
}

int fail(const Error& error)
{
    std::cerr << "redress: " << error.message << "\n";
    return error.is(ErrorKind::transient) ? 2 : 1;
}

Result<reports::ReportRequest> request_of(const ReportOptions& options)
{
    reports::ReportRequest r;
    r.from = options.from;
    r.to = options.to;
    if (!options.kind.empty()) {
        r.filter.kind = kind_from_string(options.kind);
        if (!r.filter.kind)
            return make_error(ErrorKind::invalid, "report.kind", "--kind is not a kind of message: " + options.kind);
    }
    if (!options.severity.empty()) {
        r.filter.severity = severity_from_string(options.severity);
        if (!r.filter.severity)
            return make_error(ErrorKind::invalid, "report.severity",
                              "--severity is not a severity: " + options.severity);
    }
    r.filter.language = options.language;
    r.filter.channel = options.channel;
    r.filter.department = options.department;
    return r;
}

reports::ReportContext context_of(const pipeline::Runtime& runtime)
{
    reports::ReportContext c;
    c.calendar = runtime.sla.calendar;
    c.time_zone = runtime.config.company.time_zone;
    c.now = to_seconds(Clock::now());
    // A rebuild of the aggregates that is running (or that this config starts) is finished here
    // first: the person at the command line waits for it (a daemon may be bringing it along too).
    c.rebuild_wait_tickets = -1;
    return c;
}

std::string seconds_text(const json& value)
{
    if (value.is_null())
        return "-";
    auto s = value.get<long long>();
    if (s < 3600)
        return std::to_string(s / 60) + "m";
    if (s < 48 * 3600)
        return std::to_string(s / 3600) + "h" + (s % 3600 >= 60 ? std::to_string(s % 3600 / 60) + "m" : "");
    return std::to_string(s / 86400) + "d" + std::to_string(s % 86400 / 3600) + "h";
}

std::string share_text(const json& value)
{
    if (value.is_null())
        return "-";
    return std::to_string(static_cast<int>(value.get<double>() * 100.0 + 0.5)) + "%";
}

std::string counts_text(const json& object)
{
    std::string out;
    for (const auto& [key, value] : object.items())
        out += (out.empty() ? "" : ", ") + key + " " + value.dump();
    return out.empty() ? "-" : out;
}

void print_groups(const json& groups)
{
    for (const auto& g : groups) {
        std::cout << "  " << g["name"].get<std::string>() << ": " << g["size"] << " (previous " << g["previous"]
                  << (g["rising"].get<bool>() ? ", rising" : "") << ") " << g["tickets"].size() << " tickets:";
        int shown = 0;
        for (const auto& n : g["tickets"]) {
            if (++shown > 5) {
                std::cout << " ...";
                break;
            }
            std::cout << " " << n.get<std::string>();
        }
        std::cout << "\n";
    }
}

void print_summary(const json& s)
{
    std::cout << "Period " << s["period"]["from"].get<std::string>() << " to " << s["period"]["to"].get<std::string>()
              << " (" << s["period"]["time_zone"].get<std::string>()
              << (s["period"]["business_time"].get<bool>() ? ", business time" : "") << ")\n"
              << "Tickets: " << s["tickets"] << "\n"
              << "By kind: " << counts_text(s["by_kind"]) << "\n"
              << "By language: " << counts_text(s["by_language"]) << "\n"
              << "Acknowledgement: median " << seconds_text(s["acknowledgement_median_s"]) << ", p90 "
              << seconds_text(s["acknowledgement_p90_s"]) << "\n"
              << "First response: median " << seconds_text(s["first_response_median_s"]) << ", p90 "
              << seconds_text(s["first_response_p90_s"]) << "\n"
              << "Resolution: median " << seconds_text(s["resolution_median_s"]) << ", p90 "
              << seconds_text(s["resolution_p90_s"]) << "\n"
              << "Deadlines kept: " << share_text(s["deadlines_kept_share"]) << " (kept " << s["deadlines"]["kept"]
              << ", missed " << s["deadlines"]["missed"] << ", pending " << s["deadlines"]["pending"] << ")\n"
              << "Justified: " << share_text(s["justified_share"]) << " (" << counts_text(s["verdicts"]) << ")\n"
              << "Resolution codes: " << counts_text(s["resolution_codes"]) << "\n"
              << "Satisfaction: average "
              << (s["satisfaction_avg"].is_null() ? std::string("-") : s["satisfaction_avg"].dump()) << ", "
              << s["satisfaction_responses"] << " answers, response rate "
              << share_text(s["satisfaction_response_rate"]) << "\n"
              << "Open corrective actions: " << s["open_actions"]["count"] << " (overdue "
              << s["open_actions"]["overdue"] << ", oldest " << seconds_text(s["open_actions"]["oldest_age_s"]) << ")\n"
              << "Recurring problems:\n";
    print_groups(s["recurring"]);
    std::cout << "Fixes:\n";
    for (const auto& a : s["actions"])
        std::cout << "  #" << a["id"] << " " << a["ticket"].get<std::string>() << " \"" << a["text"].get<std::string>()
                  << "\": " << a["verdict"].get<std::string>() << " (before " << a["before"] << ", after " << a["after"]
                  << ")\n";
}

int run(const ReportOptions& options, const std::filesystem::path& install_dir, const std::string& which)
{
    auto opened = open(options, install_dir);
    if (!opened)
        return 2;
    auto request = request_of(options);
    if (!request)
        return fail(request.error());
    auto context = context_of(*opened->runtime);
    if (which == "csv") {
        auto csv = reports::tickets_csv(*opened->store, *request, context);
        if (!csv)
            return fail(csv.error());
        if (options.output.empty() || options.output == "-") {
            std::cout << *csv;
        } else {
            std::ofstream out(options.output, std::ios::binary);
            out << *csv;
            if (!out) {
                std::cerr << "redress: cannot write " << options.output << "\n";
                return 2;
            }
        }
        return 0;
    }
    auto body = which == "summary" ? reports::summary(*opened->store, *request, context)
                                   : reports::recurring(*opened->store, *request, context);
    if (!body)
        return fail(body.error());
    if (options.json) {
        std::cout << body->dump(2, ' ', false, json::error_handler_t::replace) << "\n";
        return 0;
    }
    if (which == "summary") {
        print_summary(*body);
    } else {
        std::cout << "Recurring problems " << (*body)["period"]["from"].get<std::string>() << " to "
                  << (*body)["period"]["to"].get<std::string>() << " (" << (*body)["tickets"] << " complaints):\n";
        print_groups((*body)["groups"]);
    }
    return 0;
}

}  // namespace

void register_report_commands(CLI::App& app, const std::filesystem::path& install_dir)
{
    auto options = std::make_shared<ReportOptions>();
    auto* report = app.add_subcommand("report", "Reports: figures of a period, recurring problems, fixes, CSV");
    report->require_subcommand(1);
    auto add = [&](const char* name, const char* help) {
        auto* cmd = report->add_subcommand(name, help);
        cmd->add_option("--config", options->config_file, "JSON config file (default: the embedded default)");
        cmd->add_option("--data-dir", options->data_dir, "Data folder (overrides data_dir; default var)");
        cmd->add_option("--from", options->from,
                        "First day, YYYY-MM-DD in the company's time zone (default: 29 "
                        "days before --to)");
        cmd->add_option("--to", options->to, "Last day, included (default: today)");
        cmd->add_option("--kind", options->kind, "Only this kind");
        cmd->add_option("--channel", options->channel, "Only this channel");
        cmd->add_option("--department", options->department, "Only this department");
        cmd->add_option("--language", options->language, "Only this language");
        cmd->add_option("--severity", options->severity, "Only this severity");
        std::string which = name;
        cmd->callback([options, install_dir, which] { std::exit(run(*options, install_dir, which)); });
        return cmd;
    };
    add("summary", "The figures of a period (the object GET /api/v1/reports/summary answers)")
        ->add_flag("--json", options->json, "Print JSON");
    add("recurring", "Recurring problems of a period, rising first")->add_flag("--json", options->json, "Print JSON");
    add("csv", "The period's tickets with their figures as CSV")
        ->add_option("--output", options->output, "Write to this file (default: standard output)");
}

}  // namespace redress::app
