#include "commands.hpp"

#include "api/ticket_json.hpp"
#include "common/log.hpp"
#include "connectors/drop_folder/drop_folder.hpp"
#include "connectors/quarantine_folder/quarantine_folder.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "store/open_store.hpp"
#include "ticket_view.hpp"

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

// Stored text that is not valid UTF-8 (a server's error cut mid-character, say) is shown with
// U+FFFD rather than making the command throw.
std::string safe_dump(const json& j, int indent = -1)
{
    return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

ViewOptions view_options(const pipeline::Runtime& runtime)
{
    ViewOptions view;
    view.time_zone = runtime.config.company.time_zone;
    view.now = to_seconds(Clock::now());
    return view;
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

int run_tickets_list(const CommonOptions& options, const TicketListOptions& list,
                     const std::filesystem::path& install_dir)
{
    store::TicketFilter filter;
    filter.limit = list.limit;
    if (!list.status.empty()) {
        filter.status = ticket_status_from_string(list.status);
        if (!filter.status) {
            std::cerr << "redress: unknown status \"" << list.status
                      << "\"; use new, acknowledged, investigating, justified, unjustified, action_planned, resolved "
                         "or closed\n";
            return 2;
        }
    }
    if (!list.kind.empty()) {
        filter.kind = kind_from_string(list.kind);
        if (!filter.kind) {
            std::cerr << "redress: unknown kind \"" << list.kind
                      << "\"; use complaint, question, suggestion, gratitude, spam, automatic or other\n";
            return 2;
        }
    }
    if (!list.severity.empty()) {
        filter.severity = severity_from_string(list.severity);
        if (!filter.severity) {
            std::cerr << "redress: unknown severity \"" << list.severity << "\"; use normal or major\n";
            return 2;
        }
    }
    filter.language = list.language;
    filter.channel = list.channel;
    filter.department = list.department;
    filter.assignee = list.assignee;
    auto opened = open_data(options, install_dir);
    if (!opened)
        return 2;
    ViewOptions view = view_options(*opened->runtime);
    if (list.overdue) {
        // Open tickets whose deadline has passed; the nearest deadline first is the order to work them in.
        filter.overdue_at = view.now;
        filter.open_only = true;
        filter.order = store::TicketOrder::nearest_due;
    }
    auto tickets = opened->store->list_tickets(filter);
    if (!tickets) {
        std::cerr << "redress: " << tickets.error().message << "\n";
        return 1;
    }
    if (list.json) {
        json out = json::array();
        for (auto& t : *tickets)
            out.push_back(api::ticket_json(t));
        std::cout << safe_dump(out, 2) << std::endl;
        return 0;
    }
    std::cout << ticket_table(*tickets, view);
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
    TicketRecord record;
    record.ticket = **ticket;
    const Ticket& t = record.ticket;
    // Each read names what could not be read: a store that fails one of them says which.
    auto read = [&](auto result, auto& into, const char* what) {
        if (!result) {
            std::cerr << "redress: cannot read the " << what << " of " << number << ": " << result.error().message
                      << "\n";
            return false;
        }
        into = std::move(result).value();
        return true;
    };
    if (!read(store->messages_of(t.id), record.messages, "messages") ||
        !read(store->letters_of(t.id), record.letters, "letters") ||
        !read(store->audit_of(t.id), record.audit, "history") ||
        !read(store->actions_of(t.id), record.actions, "corrective actions") ||
        !read(store->notes_of(t.id), record.notes, "notes") ||
        !read(store->ratings_of(t.id), record.ratings, "ratings"))
        return 1;
    if (!as_json) {
        std::cout << ticket_text(record, view_options(*opened->runtime));
        return 0;
    }
    std::optional<TimePoint> erased_at;
    std::vector<store::AttachmentRecord> files;
    if (!read(store->ticket_erased_at(t.id), erased_at, "erasure") ||
        !read(store->attachments_of(t.id), files, "attachments"))
        return 1;
    // A message's or a letter's files, as the API's ticket JSON lists them.
    auto files_of = [&](auto belongs) {
        json a = json::array();
        for (const auto& row : files)
            if (belongs(row))
                a.push_back(api::attachment_json(row, t.number));
        return a;
    };
    json j = api::ticket_json(t);
    j["erased_at"] = api::erased_at_json(erased_at);
    // The API's shapes (api/ticket_json.hpp), with what only the command line shows: where a message
    // came from (its Message-ID, its source's key, the classifier's answer) and a letter's Message-ID.
    j["messages"] = json::array();
    for (auto& m : record.messages) {
        json one = api::message_json(m);
        one["message_id"] = m.message_id;
        one["source_key"] = m.source_key;
        one["classification"] = json::parse(m.classification, nullptr, false);
        one["attachments"] = files_of([&](const store::AttachmentRecord& r) { return r.message_id == m.id; });
        j["messages"].push_back(std::move(one));
    }
    j["letters"] = json::array();
    for (auto& l : record.letters) {
        json one = api::letter_json(l);
        one["message_id"] = l.message_id;
        one["attachments"] = files_of([&](const store::AttachmentRecord& r) { return r.letter_id == l.id; });
        j["letters"].push_back(std::move(one));
    }
    j["actions"] = json::array();
    for (auto& a : record.actions)
        j["actions"].push_back(api::action_json(a));
    j["notes"] = json::array();
    for (auto& n : record.notes)
        j["notes"].push_back(api::note_json(n));
    j["ratings"] = json::array();
    for (auto& r : record.ratings)
        j["ratings"].push_back(api::rating_json(r));
    j["audit"] = json::array();
    for (auto& a : record.audit)
        j["audit"].push_back(api::audit_json(a));
    std::cout << safe_dump(j, 2) << std::endl;
    return 0;
}

int run_letters_show(const CommonOptions& options, std::int64_t id, bool as_json,
                     const std::filesystem::path& install_dir)
{
    auto opened = open_data(options, install_dir);
    if (!opened)
        return 2;
    auto letter = opened->store->letter(id);
    if (!letter) {
        std::cerr << "redress: cannot read letter " << id << ": " << letter.error().message << "\n";
        return 2;
    }
    if (!*letter) {
        std::cerr << "redress: no letter " << id << "\n";
        return 1;
    }
    // Email is kept as the bytes that go on the wire; a chat letter is its text already.
    std::optional<mime::ReadableLetter> readable;
    if ((*letter)->channel == "email")
        readable = mime::read_letter((*letter)->content);
    const mime::ReadableLetter* shown = readable ? &*readable : nullptr;
    if (as_json)
        std::cout << safe_dump(letter_json(**letter, shown), 2) << std::endl;
    else
        std::cout << letter_text(**letter, shown, view_options(*opened->runtime));
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
