#include "commands.hpp"

#include "common/log.hpp"
#include "connectors/drop_folder/drop_folder.hpp"
#include "connectors/quarantine_folder/quarantine_folder.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "pipeline/staff_events.hpp"
#include "store/open_store.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace redress::app {

using nlohmann::json;

namespace {

std::shared_ptr<const pipeline::Runtime> load_or_report(const CommonOptions& options,
                                                        const std::filesystem::path& install_dir)
{
    auto load = pipeline::load_runtime(options.config_file, install_dir, options.data_dir);
    for (auto& p : load.problems)
        std::cerr << "redress: " << p << "\n";
    return load.runtime;
}

// The runtime and the store of the data folder it names, or nullopt after printing why not. Only
// `ingest` creates a missing database (OpenMode::create); the commands that read or change tickets
// refuse one that is not there, so a command run in the wrong folder creates nothing.
struct Opened {
    std::shared_ptr<const pipeline::Runtime> runtime;
    std::unique_ptr<store::Store> store;
};
std::optional<Opened> open_data(const CommonOptions& options, const std::filesystem::path& install_dir,
                                store::OpenMode mode = store::OpenMode::existing)
{
    auto runtime = load_or_report(options, install_dir);
    if (!runtime)
        return std::nullopt;
    auto store = store::open_store(runtime->config, mode);
    if (!store) {
        std::cerr << "redress: " << store.error().message << "\n";
        return std::nullopt;
    }
    return Opened{std::move(runtime), std::move(store).value()};
}

std::string time_or_empty(const std::optional<TimePoint>& t)
{
    return t ? format_iso8601_utc(*t) : std::string();
}

// Stored text that is not valid UTF-8 (a server's error cut mid-character, say) is shown with
// U+FFFD rather than making the command throw.
std::string safe_dump(const json& j, int indent = -1)
{
    return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

json ticket_json(const Ticket& t)
{
    auto opt_time = [](const std::optional<TimePoint>& v) { return v ? json(format_iso8601_utc(*v)) : json(nullptr); };
    return json{{"number", t.number},
                {"status", to_string(t.status)},
                {"kind", to_string(t.kind)},
                {"severity", to_string(t.severity)},
                {"language", t.language},
                {"subject", t.subject},
                {"customer", {{"name", t.customer.name}, {"email", t.customer.email}, {"phone", t.customer.phone}}},
                {"channel", t.channel},
                {"source", t.source},
                {"assignee", t.assignee},
                {"awaiting_customer", t.awaiting_customer},
                {"received_at", format_iso8601_utc(t.received_at)},
                {"updated_at", format_iso8601_utc(t.updated_at)},
                {"first_response_due", opt_time(t.first_response_due)},
                {"resolution_due", opt_time(t.resolution_due)},
                {"first_responded_at", opt_time(t.first_responded_at)},
                {"resolved_at", opt_time(t.resolved_at)}};
}

}  // namespace

int run_ingest(const CommonOptions& options, const std::vector<std::string>& files,
               const std::filesystem::path& install_dir)
{
    auto opened = open_data(options, install_dir, store::OpenMode::create);
    if (!opened)
        return 2;
    auto& runtime = opened->runtime;
    auto& store = opened->store;
    connectors::QuarantineFolder quarantine(runtime->config.quarantine_dir());
    pipeline::Pipeline pipeline(*store, quarantine, runtime);
    int failures = 0;
    for (const std::string& file : files) {
        std::ostringstream bytes;
        if (file == "-") {
            bytes << std::cin.rdbuf();
        } else {
            std::ifstream in(file, std::ios::binary);
            if (!in) {
                std::cout << safe_dump(json{{"file", file}, {"error", "cannot be read"}}) << std::endl;
                ++failures;
                continue;
            }
            bytes << in.rdbuf();
        }
        pipeline::RawMessage raw;
        raw.channel = "email";
        raw.source = "cli";
        raw.bytes = std::move(bytes).str();
        // The same key as the drop folder's: a file ingested by hand and dropped later is one message.
        raw.source_key = connectors::DropFolder::source_key(raw.bytes);
        raw.received_at = to_seconds(Clock::now());
        auto outcome = pipeline.ingest(raw, raw.received_at);
        if (!outcome) {
            std::cout << safe_dump(json{{"file", file}, {"error", outcome.error().message}}) << std::endl;
            ++failures;
            continue;
        }
        json j = pipeline::to_json(*outcome);
        if (files.size() > 1)
            j["file"] = file;
        std::cout << safe_dump(j) << std::endl;
    }
    return failures == 0 ? 0 : 1;
}

int run_tickets_list(const CommonOptions& options, bool as_json, const std::string& status, int limit,
                     const std::filesystem::path& install_dir)
{
    auto opened = open_data(options, install_dir);
    if (!opened)
        return 2;
    auto& store = opened->store;
    store::TicketFilter filter;
    filter.limit = limit;
    if (!status.empty()) {
        filter.status = ticket_status_from_string(status);
        if (!filter.status) {
            std::cerr << "redress: unknown status \"" << status
                      << "\"; use new, acknowledged, investigating, justified, unjustified, action_planned, resolved "
                         "or closed\n";
            return 2;
        }
    }
    auto tickets = store->list_tickets(filter);
    if (!tickets) {
        std::cerr << "redress: " << tickets.error().message << "\n";
        return 1;
    }
    if (as_json) {
        json list = json::array();
        for (auto& t : *tickets)
            list.push_back(ticket_json(t));
        std::cout << safe_dump(list, 2) << std::endl;
        return 0;
    }
    std::printf("%-12s %-14s %-10s %-7s %-4s %-20s %-28s %s\n", "NUMBER", "STATUS", "KIND", "SEVERITY", "LANG",
                "RECEIVED", "CUSTOMER", "SUBJECT");
    for (auto& t : *tickets)
        std::printf("%-12s %-14s %-10s %-8s %-4s %-20s %-28s %s\n", t.number.c_str(),
                    std::string(to_string(t.status)).c_str(), std::string(to_string(t.kind)).c_str(),
                    std::string(to_string(t.severity)).c_str(), t.language.c_str(),
                    format_iso8601_utc(t.received_at).c_str(), t.customer.email.c_str(), t.subject.c_str());
    return 0;
}

int run_tickets_show(const CommonOptions& options, const std::string& number, bool as_json,
                     const std::filesystem::path& install_dir)
{
    auto opened = open_data(options, install_dir);
    if (!opened)
        return 2;
    auto& store = opened->store;
    auto ticket = store->ticket(number);
    if (!ticket) {
        std::cerr << "redress: " << ticket.error().message << "\n";
        return 1;
    }
    if (!*ticket) {
        std::cerr << "redress: no ticket " << number << "\n";
        return 1;
    }
    const Ticket& t = **ticket;
    auto messages = store->messages_of(t.id);
    auto letters = store->letters_of(t.id);
    auto audit = store->audit_of(t.id);
    if (!messages || !letters || !audit) {
        std::cerr << "redress: cannot read the ticket's history\n";
        return 1;
    }
    json j = ticket_json(t);
    j["messages"] = json::array();
    for (auto& m : *messages)
        j["messages"].push_back(json{{"id", m.id},
                                     {"direction", m.direction},
                                     {"from", m.from_address},
                                     {"subject", m.subject},
                                     {"received_at", format_iso8601_utc(m.received_at)},
                                     {"message_id", m.message_id},
                                     {"source_key", m.source_key},
                                     {"classification", json::parse(m.classification, nullptr, false)},
                                     {"text", m.text}});
    j["letters"] = json::array();
    for (auto& l : *letters)
        j["letters"].push_back(json{{"id", l.id},
                                    {"template", l.template_name},
                                    {"channel", l.channel},
                                    {"recipient", l.recipient},
                                    {"subject", l.subject},
                                    {"message_id", l.message_id},
                                    {"status", to_string(l.status)},
                                    {"attempts", l.attempts},
                                    {"created_at", format_iso8601_utc(l.created_at)},
                                    {"sent_at", time_or_empty(l.sent_at)},
                                    {"last_error", l.last_error}});
    j["audit"] = json::array();
    for (auto& a : *audit)
        j["audit"].push_back(json{{"at", format_iso8601_utc(a.at)},
                                  {"actor", a.actor},
                                  {"action", a.action},
                                  {"detail", json::parse(a.detail, nullptr, false)}});
    if (as_json) {
        std::cout << safe_dump(j, 2) << std::endl;
        return 0;
    }
    std::cout << t.number << "  " << to_string(t.status) << "  " << to_string(t.kind) << " / " << to_string(t.severity)
              << " / " << t.language << "\n"
              << "Subject:   " << t.subject << "\n"
              << "Customer:  " << t.customer.name << " <" << t.customer.email << ">\n"
              << "Received:  " << format_iso8601_utc(t.received_at) << " via " << t.channel << " (" << t.source
              << ")\n";
    if (t.first_response_due)
        std::cout << "First response due: " << format_iso8601_utc(*t.first_response_due) << "\n";
    if (t.resolution_due)
        std::cout << "Resolution due:     " << format_iso8601_utc(*t.resolution_due) << "\n";
    std::cout << "\nMessages:\n";
    for (auto& m : j["messages"])
        std::cout << "  " << m["received_at"].get<std::string>() << "  " << m["from"].get<std::string>() << ": "
                  << m["subject"].get<std::string>() << "\n";
    std::cout << "\nLetters:\n";
    for (auto& l : j["letters"])
        std::cout << "  " << l["template"].get<std::string>() << " to " << l["recipient"].get<std::string>()
                  << (l["channel"] == "email" ? std::string() : " (" + l["channel"].get<std::string>() + ")") << "  "
                  << l["status"].get<std::string>() << "\n";
    std::cout << "\nHistory:\n";
    for (auto& a : j["audit"])
        std::cout << "  " << a["at"].get<std::string>() << "  " << a["actor"].get<std::string>() << "  "
                  << a["action"].get<std::string>() << "\n";
    return 0;
}

int run_tickets_event(const CommonOptions& options, const std::string& number, const std::string& event,
                      const std::string& actor, const std::string& note, const std::filesystem::path& install_dir)
{
    pipeline::StaffEvent type;
    if (event == "responded")
        type = pipeline::StaffEvent::responded;
    else if (event == "waiting")
        type = pipeline::StaffEvent::waiting_for_customer;
    else {
        std::cerr << "redress: unknown event \"" << event << "\"; use responded or waiting\n";
        return 2;
    }
    auto opened = open_data(options, install_dir);
    if (!opened)
        return 2;
    auto& runtime = opened->runtime;
    auto& store = opened->store;
    auto ticket = pipeline::record_staff_event(*runtime, *store, number, type, actor, note, to_seconds(Clock::now()));
    if (!ticket) {
        std::cerr << "redress: " << ticket.error().message << "\n";
        return 1;
    }
    std::cout << safe_dump(ticket_json(*ticket)) << std::endl;
    return 0;
}

int run_tickets_assign(const CommonOptions& options, const std::string& number, const std::string& assignee,
                       const std::string& actor, const std::filesystem::path& install_dir)
{
    auto opened = open_data(options, install_dir);
    if (!opened)
        return 2;
    auto ticket = pipeline::assign_ticket(*opened->store, number, assignee, actor, to_seconds(Clock::now()));
    if (!ticket) {
        std::cerr << "redress: " << ticket.error().message << "\n";
        return 1;
    }
    std::cout << safe_dump(ticket_json(*ticket)) << std::endl;
    return 0;
}

int run_check(const CommonOptions& options, const std::filesystem::path& install_dir)
{
    auto load = pipeline::load_runtime(options.config_file, install_dir, options.data_dir);
    for (auto& p : load.problems)
        std::cout << p << "\n";
    if (!load.runtime) {
        std::cout << load.problems.size() << " problem" << (load.problems.size() == 1 ? "" : "s") << " found\n";
        return 1;
    }
    const auto& c = load.runtime->config;
    std::cout << "config ok: " << (c.file.empty() ? std::string("embedded default") : c.file.string()) << "\n"
              << "data dir: " << c.data_dir.string() << "\n"
              << "templates: " << c.templates_dir.string() << " (" << load.runtime->templates.languages().size()
              << " languages)\n"
              << "mailboxes: " << c.mailboxes.size() << ", letters via "
              << (c.smtp ? c.smtp->url : c.outbox_dir().string()) << "\n";
    std::string chats;
    for (const auto& chat : c.chats)
        chats += (chats.empty() ? "" : ", ") + chat.name + " (" + std::string(config::to_string(chat.type)) + ")";
    std::cout << "chats: " << (chats.empty() ? std::string("none") : chats) << "\n"
              << "alerts to: " << (c.owner.email.empty() ? std::string("(no owner email)") : c.owner.email)
              << (c.owner.chat.empty() ? std::string() : " and chat " + c.owner.chat) << "\n";
    return 0;
}

}  // namespace redress::app
