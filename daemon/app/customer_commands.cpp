#include "customer_commands.hpp"

#include "api/customer_api.hpp"
#include "pipeline/runtime.hpp"
#include "service/customer_data.hpp"
#include "service/customers.hpp"
#include "step_commands.hpp"
#include "store/open_store.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>

namespace redress::app {

namespace {

using nlohmann::json;

struct DataOptions {
    std::optional<std::filesystem::path> config_file;
    std::optional<std::filesystem::path> data_dir;
    bool as_json = false;
};

struct Opened {
    std::shared_ptr<const pipeline::Runtime> runtime;
    std::unique_ptr<store::Store> store;
};

// The runtime and the existing store of the data folder, or nullopt after saying why not.
std::optional<Opened> open_existing(const DataOptions& o, const std::filesystem::path& install_dir)
{
    auto load = pipeline::load_runtime(o.config_file, install_dir, o.data_dir);
    for (auto& p : load.problems)
        std::cerr << "redress: " << p << "\n";
    if (!load.runtime)
        return std::nullopt;
    auto store = store::open_store(load.runtime->config, store::OpenMode::existing);
    if (!store) {
        std::cerr << "redress: " << store.error().message << "\n";
        return std::nullopt;
    }
    return Opened{load.runtime, std::move(store).value()};
}

std::string dump(const json& j)
{
    return j.dump(2, ' ', false, json::error_handler_t::replace);
}

std::string time_text(const std::optional<TimePoint>& t)
{
    return t ? format_iso8601_utc(*t) : std::string("-");
}

void print_customer(const service::CustomerView& v)
{
    std::cout << "Customer " << v.group.root.id << (v.name.empty() ? "" : ": " + v.name) << "\n";
    if (v.group.members.size() > 1) {
        std::cout << "Records merged into it:";
        for (const auto& m : v.group.members)
            if (m.id != v.group.root.id)
                std::cout << " " << m.id << " (by " << m.merged_by << ", " << time_text(m.merged_at) << ")";
        std::cout << "\n";
    }
    std::cout << "\nIdentities:\n";
    for (const auto& i : v.group.identities)
        std::cout << "  " << to_string(i.kind) << "  " << i.value << "  (verified by " << i.verified_by << ")\n";
    if (v.group.identities.empty())
        std::cout << "  none verified\n";
    if (!v.group.suggestions.empty()) {
        std::cout << "\nSuggestions (mentioned, not verified):\n";
        for (const auto& s : v.group.suggestions)
            std::cout << "  #" << s.id << "  " << to_string(s.kind) << "  " << s.value << "  (" << s.source << ")\n";
    }
    std::cout << "\nTickets:\n";
    for (const auto& t : v.tickets) {
        std::cout << "  " << t.number << "  " << format_iso8601_utc(t.received_at) << "  " << t.channel << "  "
                  << to_string(t.kind) << "  " << to_string(t.status);
        if (!t.verdict.empty())
            std::cout << "  " << t.verdict;
        if (!t.resolution_code.empty())
            std::cout << "  " << t.resolution_code;
        std::cout << "  " << t.subject << "\n";
    }
}

int run_customer_show(const DataOptions& o, const std::string& who, const std::filesystem::path& install_dir)
{
    auto opened = open_existing(o, install_dir);
    if (!opened)
        return 2;
    auto view = service::CustomerService(*opened->store).show_who(who);
    if (!view) {
        std::cerr << "redress: " << view.error().message << "\n";
        return view.error().is(ErrorKind::not_found) ? 1 : 2;
    }
    if (o.as_json)
        std::cout << dump(api::customer_json(*view)) << "\n";
    else
        print_customer(*view);
    return 0;
}

// The archive holds personal data: readable by its owner only, written whole or not at all.
Result<void> write_private_file(const std::filesystem::path& path, std::string_view bytes)
{
    std::filesystem::path temporary = path;
    temporary += ".part";
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return make_error(ErrorKind::failed, "cli.output",
                          "cannot write " + path.string() + ": " + std::strerror(errno));
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int error = errno;
            ::close(fd);
            ::unlink(temporary.c_str());
            return make_error(ErrorKind::failed, "cli.output",
                              "cannot write " + path.string() + ": " + std::strerror(error));
        }
        done += static_cast<std::size_t>(n);
    }
    bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced || ::rename(temporary.c_str(), path.c_str()) != 0) {
        int error = errno;
        ::unlink(temporary.c_str());
        return make_error(ErrorKind::failed, "cli.output",
                          "cannot write " + path.string() + ": " + std::strerror(error));
    }
    return {};
}

struct ExportOptions {
    DataOptions data;
    std::string who;
    std::filesystem::path output;
};

int run_customer_export(const ExportOptions& o, const std::filesystem::path& install_dir)
{
    auto opened = open_existing(o.data, install_dir);
    if (!opened)
        return 2;
    auto view = service::CustomerService(*opened->store).show_who(o.who);
    if (!view) {
        std::cerr << "redress: " << view.error().message << "\n";
        return view.error().is(ErrorKind::not_found) ? 1 : 2;
    }
    auto archive =
        api::customer_archive(*opened->store, opened->runtime->config, view->group.root.id, to_seconds(Clock::now()));
    if (!archive) {
        std::cerr << "redress: " << archive.error().message << "\n";
        return 2;
    }
    if (auto written = write_private_file(o.output, *archive); !written) {
        std::cerr << "redress: " << written.error().message << "\n";
        return 2;
    }
    std::error_code ec;
    auto shown = std::filesystem::absolute(o.output, ec);
    std::cout << (ec ? o.output : shown).string() << "\n";
    return 0;
}

struct EraseOptions {
    DataOptions data;
    std::string who;
    std::string reason;
    std::string by;
};

int run_customer_erase(const EraseOptions& o, const std::filesystem::path& install_dir)
{
    auto opened = open_existing(o.data, install_dir);
    if (!opened)
        return 2;
    auto actor = actor_of(*opened->store, o.by);
    if (!actor) {
        std::cerr << "redress: " << actor.error().message << "\n";
        return 2;
    }
    auto view = service::CustomerService(*opened->store).show_who(o.who);
    if (!view) {
        std::cerr << "redress: " << view.error().message << "\n";
        return view.error().is(ErrorKind::not_found) ? 1 : 2;
    }
    auto erased = service::erase_customer(*opened->store, opened->runtime->config, view->group.root.id, *actor,
                                          o.reason, to_seconds(Clock::now()));
    if (!erased) {
        std::cerr << "redress: " << erased.error().message << "\n";
        return erased.error().is(ErrorKind::transient) ? 2 : 1;
    }
    if (o.data.as_json) {
        std::cout << dump(json{{"customer", view->group.root.id}, {"erased", api::erase_counts_json(*erased)}}) << "\n";
        return 0;
    }
    std::cout << "Customer " << view->group.root.id << " erased: " << erased->tickets << " tickets kept as anonymised "
              << "records; " << erased->messages << " messages, " << erased->letters << " letters, " << erased->notes
              << " notes, " << erased->identities << " identities, " << erased->attachments << " attachments ("
              << erased->files << " files), " << erased->other_messages << " messages without a ticket, "
              << erased->quarantined << " quarantined files and " << erased->outbox_files << " outbox copies removed"
              << (erased->compacted ? "" : "; the database was not compacted (see the log)") << "\n";
    return 0;
}

struct MergeOptions {
    DataOptions data;
    std::string number;
    std::string into;
    std::string by;
    bool confirm = false;
};

int run_tickets_merge(const MergeOptions& o, const std::filesystem::path& install_dir)
{
    auto opened = open_existing(o.data, install_dir);
    if (!opened)
        return 2;
    auto actor = actor_of(*opened->store, o.by);
    if (!actor) {
        std::cerr << "redress: " << actor.error().message << "\n";
        return 2;
    }
    auto merged = service::merge_tickets(*opened->store, *opened->runtime, o.number, o.into, o.confirm, *actor,
                                         to_seconds(Clock::now()));
    if (!merged) {
        std::cerr << "redress: " << merged.error().message << "\n";
        return merged.error().is(ErrorKind::transient) ? 2 : 1;
    }
    if (o.data.as_json) {
        std::cout << dump(json{{"ticket", merged->survivor.number}, {"merged", merged->merged.number}}) << "\n";
        return 0;
    }
    std::cout << merged->merged.number << " is merged into " << merged->survivor.number << "; its deadlines follow "
              << format_iso8601_utc(merged->survivor.received_at) << "\n";
    return 0;
}

void add_data_options(CLI::App* cmd, DataOptions& o)
{
    cmd->add_option("--config", o.config_file, "JSON config file (default: the embedded default)");
    cmd->add_option("--data-dir", o.data_dir, "Data folder (overrides data_dir; default var)");
    cmd->add_flag("--json", o.as_json, "Print JSON");
}

}  // namespace

CLI::App* register_customer_commands(CLI::App& app, const std::filesystem::path& install_dir)
{
    auto* customer = app.add_subcommand("customer", "One customer across channels: records, identities, tickets");
    customer->require_subcommand(1);
    auto show = std::make_shared<std::pair<DataOptions, std::string>>();
    auto* show_cmd =
        customer->add_subcommand("show", "The customer with their identities, suggestions and every ticket");
    show_cmd->add_option("who", show->second, "A customer id, or an email address, phone number or chat user of theirs")
        ->required();
    add_data_options(show_cmd, show->first);
    show_cmd->callback([show, install_dir] { std::exit(run_customer_show(show->first, show->second, install_dir)); });

    auto exported = std::make_shared<ExportOptions>();
    auto* export_cmd = customer->add_subcommand(
        "export", "Every ticket, message, letter, note, rating and file of the customer as one tar archive");
    export_cmd
        ->add_option("who", exported->who, "A customer id, or an email address, phone number or chat user of theirs")
        ->required();
    export_cmd->add_option("--output", exported->output, "The archive to write (a .tar file)")->required();
    add_data_options(export_cmd, exported->data);
    export_cmd->callback([exported, install_dir] { std::exit(run_customer_export(*exported, install_dir)); });

    auto erase = std::make_shared<EraseOptions>();
    auto* erase_cmd = customer->add_subcommand(
        "erase", "Erase the customer's personal data; their tickets stay as anonymised records (the owner)");
    erase_cmd->add_option("who", erase->who, "A customer id, or an email address, phone number or chat user of theirs")
        ->required();
    erase_cmd->add_option("--reason", erase->reason, "Why (kept in the audit)")->required();
    erase_cmd->add_option("--by", erase->by, "Who you are: the owner's user name (default: REDRESS_USER)");
    add_data_options(erase_cmd, erase->data);
    erase_cmd->callback([erase, install_dir] { std::exit(run_customer_erase(*erase, install_dir)); });
    return customer;
}

void register_ticket_merge_command(CLI::App& tickets, const std::filesystem::path& install_dir)
{
    auto o = std::make_shared<MergeOptions>();
    auto* cmd = tickets.add_subcommand("merge", "Merge a ticket into another of the same matter (managers)");
    cmd->add_option("number", o->number, "The ticket to merge, e.g. RD-000123")->required();
    cmd->add_option("--into", o->into, "The surviving ticket")->required();
    cmd->add_option("--by", o->by, "Who you are: a user's name (default: REDRESS_USER)");
    cmd->add_flag("--confirm", o->confirm, "The tickets are of two customers and you confirm they are one matter");
    add_data_options(cmd, o->data);
    cmd->callback([o, install_dir] { std::exit(run_tickets_merge(*o, install_dir)); });
}

}  // namespace redress::app
