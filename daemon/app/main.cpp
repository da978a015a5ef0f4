// redress: the complaint-handling daemon and its command line.

#include "chat_commands.hpp"
#include "classifier_commands.hpp"
#include "commands.hpp"
#include "customer_commands.hpp"
#include "daemon.hpp"
#include "install_dir.hpp"
#include "model_commands.hpp"
#include "people_commands.hpp"
#include "report_commands.hpp"
#include "search_commands.hpp"
#include "sla_commands.hpp"
#include "step_commands.hpp"

#include <CLI/CLI.hpp>

int main(int argc, char** argv)
{
    using namespace redress::app;
    const auto home = install_dir();

    CLI::App app{"Redress: registers every complaint, answers it in the customer's language and keeps its deadlines."};
    app.require_subcommand(1);
    CommonOptions common;
    auto add_common = [&](CLI::App* cmd, bool with_config = true) {
        if (with_config)
            cmd->add_option("--config", common.config_file, "JSON config file (default: the embedded default)");
        cmd->add_option("--data-dir", common.data_dir, "Data folder (overrides data_dir; default var)");
    };

    auto* serve_cmd = app.add_subcommand("serve", "Run the daemon: drop folder, mailboxes, outbox, deadlines");
    add_common(serve_cmd);
    serve_cmd->callback([&] { std::exit(serve(ServeOptions{common.config_file, common.data_dir}, home)); });

    std::vector<std::string> files;
    auto* ingest_cmd =
        app.add_subcommand("ingest", "Push messages through the pipeline once; print each outcome as JSON");
    add_common(ingest_cmd);
    ingest_cmd->add_option("files", files, "FILE.eml ... or - for standard input")->required();
    ingest_cmd->callback([&] { std::exit(run_ingest(common, files, home)); });

    auto* tickets_cmd = app.add_subcommand("tickets", "List or show tickets");
    tickets_cmd->require_subcommand(1);
    bool as_json = false;
    TicketListOptions list;
    auto* list_cmd = tickets_cmd->add_subcommand("list", "Newest tickets first, with whom they are assigned to and "
                                                         "their nearest deadline");
    add_common(list_cmd);
    list_cmd->add_flag("--json", list.json, "Print JSON");
    list_cmd->add_option("--status", list.status, "Only tickets in this status");
    list_cmd->add_flag("--overdue", list.overdue, "Only open tickets whose deadline has passed, nearest first");
    list_cmd->add_option("--assignee", list.assignee, "Only tickets assigned to this person (\"\" for unassigned)");
    list_cmd->add_option("--kind", list.kind, "Only this kind: complaint, question, suggestion, gratitude, ...");
    list_cmd->add_option("--severity", list.severity, "Only this severity: normal or major");
    list_cmd->add_option("--language", list.language, "Only tickets in this language (en, ru, uk, ...)");
    list_cmd->add_option("--channel", list.channel, "Only tickets that came in by this channel (email, chat)");
    list_cmd->add_option("--department", list.department, "Only tickets of this department");
    list_cmd->add_option("--limit", list.limit, "At most this many (default 100)");
    list_cmd->callback([&] { std::exit(run_tickets_list(common, list, home)); });
    std::string number;
    auto* show_cmd = tickets_cmd->add_subcommand("show", "One ticket with its messages, letters and history");
    add_common(show_cmd);
    show_cmd->add_option("number", number, "Ticket number, e.g. RD-000123")->required();
    show_cmd->add_flag("--json", as_json, "Print JSON");
    show_cmd->callback([&] { std::exit(run_tickets_show(common, number, as_json, home)); });

    register_step_commands(*tickets_cmd, home);
    register_ticket_merge_command(*tickets_cmd, home);

    auto* letters_cmd = app.add_subcommand("letters", "Letters in the outbox");
    letters_cmd->require_subcommand(1);
    std::int64_t letter_id = 0;
    auto* letter_show_cmd = letters_cmd->add_subcommand(
        "show", "One letter as its reader sees it (headers and body decoded), with its delivery state");
    add_common(letter_show_cmd);
    letter_show_cmd->add_option("id", letter_id, "The letter's id (tickets show lists them)")->required();
    letter_show_cmd->add_flag("--json", as_json, "Print JSON");
    letter_show_cmd->callback([&] { std::exit(run_letters_show(common, letter_id, as_json, home)); });

    auto* check_cmd = app.add_subcommand("check", "Validate the config, rules and templates; print every problem");
    add_common(check_cmd);
    check_cmd->callback([&] { std::exit(run_check(common, home)); });

    register_classifier_commands(app, home);
    register_model_commands(app, home);
    register_sla_commands(app, home);
    register_people_commands(app, home);
    register_chat_commands(app, home);
    register_search_commands(app, home);
    register_customer_commands(app, home);
    register_report_commands(app, home);

    CLI11_PARSE(app, argc, argv);
    return 0;
}
