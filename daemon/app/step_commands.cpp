#include "step_commands.hpp"

#include "api/step_request.hpp"
#include "attachments/file_type.hpp"
#include "connectors/quarantine_folder/quarantine_folder.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "service/ticket_service.hpp"
#include "store/open_store.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace redress::app {

namespace {

using nlohmann::json;

struct StepOptions {
    std::optional<std::filesystem::path> config_file;
    std::optional<std::filesystem::path> data_dir;
    std::string number;
    std::string by;
    bool preview = false;
    bool as_json = false;
    std::optional<std::filesystem::path> letter_file;  // the person's own text for the letter
    std::optional<std::int64_t> if_version;
    // Fields of the steps.
    std::string letter_template;  // reply: start from this template
    std::string event;            // responded | waiting
    std::string assignee;
    std::string verdict, reason, offer, text, summary, code, department, category, target, responsible, due, state,
        note, kind, severity;
    std::optional<std::int64_t> action_id;
    std::vector<std::filesystem::path> files;  // reply: files sent with the letter (--file, repeatable)
};

std::string dump(const json& j, int indent = -1)
{
    return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

json letter_json(const std::optional<service::LetterDraft>& letter)
{
    if (!letter)
        return nullptr;
    json j{{"template", letter->template_name}, {"language", letter->language}, {"channel", letter->channel},
           {"recipient", letter->recipient},    {"subject", letter->subject},   {"body", letter->body}};
    j["send_at"] = letter->send_at ? json(format_iso8601_utc(*letter->send_at)) : json(nullptr);
    return j;
}

int run_step(const StepOptions& o, tickets::StepKind kind, const std::filesystem::path& install_dir)
{
    auto fail = [](const Error& e) {
        std::cerr << "redress: " << e.message << "\n";
        return e.is(ErrorKind::invalid) || e.is(ErrorKind::not_found) ? 2 : 1;
    };
    auto load = pipeline::load_runtime(o.config_file, install_dir, o.data_dir);
    for (auto& p : load.problems)
        std::cerr << "redress: " << p << "\n";
    if (!load.runtime)
        return 2;
    auto store = store::open_store(load.runtime->config, store::OpenMode::existing);
    if (!store)
        return fail(store.error());
    auto runtime = service::with_template_edits(load.runtime, **store);
    if (!runtime)
        return fail(runtime.error());
    auto actor = actor_of(**store, o.by);
    if (!actor)
        return fail(actor.error());

    // The same reading of the fields as the API's (daemon/api/step_request.cpp), from flags.
    json body = json::object();
    auto put = [&](const char* key, const std::string& value) {
        if (!value.empty())
            body[key] = value;
    };
    put("verdict", o.verdict);
    put("reason", o.reason);
    put("offer", o.offer);
    put("text", o.text == "-" ? std::string(std::istreambuf_iterator<char>(std::cin), {}) : o.text);
    put("template", o.letter_template);
    put("assignee", o.assignee);
    put("summary", o.summary);
    put("code", o.code);
    put("department", o.department);
    put("category", o.category);
    put("for", o.target);
    put("responsible", o.responsible);
    put("due", o.due);
    put("state", o.state);
    put("note", o.note);
    put("kind", o.kind);
    put("severity", o.severity);
    if (o.preview)
        body["preview"] = true;
    if (o.letter_file) {
        std::ifstream in(*o.letter_file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in) {
            std::cerr << "redress: cannot read " << o.letter_file->string() << "\n";
            return 2;
        }
        body["letter"] = json{{"body", text.str()}};
    }
    auto request = api::step_request(kind, body);
    if (!request)
        return fail(request.error());
    // --file: each file as the API takes one of "files" (its name, its type read from its bytes).
    for (const auto& path : o.files) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        if (!in || !std::filesystem::is_regular_file(path)) {
            std::cerr << "redress: cannot read " << path.string() << "\n";
            return 2;
        }
        std::string content = bytes.str();
        std::string type = attachments::sniff_type(content);
        request->files.push_back(
            letters::FileAttachment{path.filename().string(), std::move(type), std::move(content)});
    }
    request->step.actor = *actor;
    request->if_match = o.if_version;
    if (o.action_id)
        request->step.action_id = *o.action_id;

    connectors::QuarantineFolder quarantine((*runtime)->config.quarantine_dir());
    pipeline::Pipeline pipeline(**store, quarantine, *runtime);
    service::TicketService service(**store, pipeline);
    auto result = service.apply(o.number, *request);
    if (!result)
        return fail(result.error());
    const Ticket& t = result->ticket;
    json out{{"ticket",
              {{"number", t.number},
               {"status", to_string(t.status)},
               {"version", t.version},
               {"assignee", t.assignee},
               {"verdict", t.verdict},
               {"resolution_code", t.resolution_code},
               {"kind", to_string(t.kind)},
               {"severity", to_string(t.severity)}}},
             {"preview", o.preview},
             {"letter", letter_json(result->letter)}};
    if (result->letter_id)
        out["letter"]["id"] = *result->letter_id;
    if (result->action)
        out["action"] = json{{"id", result->action->id},
                             {"for", to_string(result->action->target)},
                             {"text", result->action->text},
                             {"state", to_string(result->action->state)}};
    if (result->note)
        out["note"] = json{{"id", result->note->id}};
    if (o.as_json) {
        std::cout << dump(out, 2) << std::endl;
        return 0;
    }
    std::cout << t.number << ": " << to_string(t.status) << (o.preview ? " (preview: nothing changed)" : "") << "\n";
    if (result->letter) {
        const auto& l = *result->letter;
        std::cout << "\n"
                  << (o.preview ? "Letter that would be sent" : "Letter queued") << " to "
                  << (l.recipient.empty() ? std::string("(no address)") : l.recipient) << " (" << l.template_name
                  << ", " << l.language << ")"
                  << (l.send_at ? ", to go out at " + format_iso8601_utc(*l.send_at) : std::string()) << ":\n"
                  << "Subject: " << l.subject << "\n\n"
                  << l.body;
    } else if (o.preview) {
        std::cout << "This step sends no letter.\n";
    }
    return 0;
}

void add_common(CLI::App* cmd, StepOptions& o, bool letter)
{
    cmd->add_option("number", o.number, "Ticket number, e.g. RD-000123")->required();
    cmd->add_option("--by", o.by, "Who you are: a user's name (default: REDRESS_USER)");
    cmd->add_option("--config", o.config_file, "JSON config file (default: the embedded default)");
    cmd->add_option("--data-dir", o.data_dir, "Data folder (overrides data_dir; default var)");
    cmd->add_option("--if-version", o.if_version, "Refuse if the ticket is no longer at this version");
    cmd->add_flag("--json", o.as_json, "Print JSON");
    if (letter) {
        cmd->add_flag("--preview", o.preview, "Show the letter the step would send; change nothing");
        cmd->add_option("--letter-file", o.letter_file,
                        "Send this text as the letter's body instead of the template's");
    }
}

}  // namespace

// The person the command acts as: `--by NAME` (or REDRESS_USER) names a user (`redress user add`),
// whose role decides what the command may do, exactly as through the API.
Result<Actor> actor_of(store::People& people, const std::string& by)
{
    std::string name = by;
    if (name.empty())
        if (const char* env = std::getenv("REDRESS_USER"))
            name = env;
    if (name.empty())
        return make_error(ErrorKind::invalid, "cli.by",
                          "Say who you are with --by NAME (or REDRESS_USER): a person added with `redress user add`.");
    auto user = TRY(people.user_by_name(name));
    if (!user)
        return make_error(ErrorKind::not_found, "cli.by",
                          "There is no user \"" + name + "\": add one with `redress user add " + name +
                              " --role agent|manager|owner --password-stdin`.");
    if (user->disabled)
        return make_error(ErrorKind::refused, "cli.by", "The user \"" + name + "\" is disabled.");
    return Actor{user->name, user->role};
}

void register_step_commands(CLI::App& tickets, const std::filesystem::path& install_dir)
{
    using K = tickets::StepKind;
    auto o = std::make_shared<StepOptions>();
    auto bind = [&](CLI::App* cmd, K kind) {
        cmd->callback([o, kind, install_dir] { std::exit(run_step(*o, kind, install_dir)); });
    };

    auto* take = tickets.add_subcommand("take", "Start the investigation; the ticket becomes yours unless assigned");
    add_common(take, *o, false);
    bind(take, K::take);

    auto* verdict = tickets.add_subcommand("verdict", "Record whether the complaint is justified (sends the apology "
                                                      "or the explanation)");
    add_common(verdict, *o, true);
    verdict->add_option("verdict", o->verdict, "justified or unjustified")
        ->required()
        ->check(CLI::IsMember({"justified", "unjustified"}));
    verdict->add_option("--reason", o->reason, "Why (required)")->required();
    verdict->add_option("--offer", o->offer, "Unjustified: what we still offer the customer");
    bind(verdict, K::verdict);

    auto* action = tickets.add_subcommand(
        "action",
        "Plan a corrective action (--for, --text, --responsible, --due), or with ID mark one done or verified");
    add_common(action, *o, false);
    action->add_option("id", o->action_id, "The action's id, to change its state");
    action->add_option("--for", o->target, "customer (this customer's fix) or process (so it does not happen again)");
    action->add_option("--text", o->text, "What will be done");
    action->add_option("--responsible", o->responsible, "Who does it: a user's name or \"Name <address>\"");
    action->add_option("--due", o->due, "When it is due: 2026-12-04 or 2026-12-04T17:00:00Z");
    action->add_option("--state", o->state, "done or verified (with ID)");
    action->add_option("--note", o->note, "What was done, or how the check went (with ID)");
    action->callback(
        [o, install_dir] { std::exit(run_step(*o, o->action_id ? K::update_action : K::add_action, install_dir)); });

    auto* department = tickets.add_subcommand("department", "Set the ticket's department and category");
    add_common(department, *o, false);
    department->add_option("department", o->department, "A department of workflow.departments")->required();
    department->add_option("--category", o->category, "One of the department's categories");
    bind(department, K::department);

    auto* resolve = tickets.add_subcommand("resolve", "Resolve the ticket (sends the resolution letter)");
    add_common(resolve, *o, true);
    resolve->add_option("--summary", o->summary, "What was found and done, for the customer (required)")->required();
    bind(resolve, K::resolve);

    auto* signoff =
        tickets.add_subcommand("signoff", "A manager closes the resolved ticket with a code (the survey follows)");
    add_common(signoff, *o, true);
    signoff->add_option("--code", o->code, "A code of workflow.resolution_codes")->required();
    bind(signoff, K::signoff);

    auto* reply = tickets.add_subcommand("reply", "Write to the customer (the first one is the first response)");
    add_common(reply, *o, true);
    reply->add_option("--text", o->text, "The reply's words, or - to read them from standard input")->required();
    reply->add_option("--template", o->letter_template, "Start from this letter to customers instead of \"reply\"");
    reply->add_option("--file", o->files, "Send this file with the letter (repeat for more; kept like a customer's)");
    bind(reply, K::reply);

    auto* note = tickets.add_subcommand("note", "Add an internal note (never sent to the customer)");
    add_common(note, *o, false);
    note->add_option("--text", o->text, "The note, or - for standard input")->required();
    bind(note, K::note);

    auto* assign = tickets.add_subcommand(
        "assign",
        "A manager names who works the ticket: a user, or \"Name <address>\" (\"\" gives it back to the owner)");
    add_common(assign, *o, false);
    assign->add_option("assignee", o->assignee, "A user's name, \"Name <address>\", or \"\"")->required();
    bind(assign, K::assign);

    auto* event = tickets.add_subcommand(
        "event", "Record what a person did outside Redress: responded (the first answer, by phone say) or waiting "
                 "(for the customer; deadlines pause until they write)");
    add_common(event, *o, false);
    event->add_option("event", o->event, "responded or waiting")
        ->required()
        ->check(CLI::IsMember({"responded", "waiting"}));
    event->add_option("--note", o->note, "A note for the audit");
    event->callback([o, install_dir] {
        std::exit(run_step(*o, o->event == "responded" ? K::responded : K::waiting, install_dir));
    });

    auto* reclassify = tickets.add_subcommand(
        "reclassify", "Correct the ticket's kind and severity (deadlines and letters follow; kept as an example)");
    add_common(reclassify, *o, true);
    reclassify->add_option("--kind", o->kind, "complaint, gratitude, question, suggestion, spam, automatic or other");
    reclassify->add_option("--severity", o->severity, "normal or major (major: complaints only)");
    reclassify->add_option("--reason", o->reason, "Why the classifier was wrong (required)")->required();
    bind(reclassify, K::reclassify);

    auto* reopen = tickets.add_subcommand("reopen", "Reopen a resolved or closed ticket");
    add_common(reopen, *o, false);
    reopen->add_option("--reason", o->reason, "Why (required)")->required();
    bind(reopen, K::reopen);
}

}  // namespace redress::app
