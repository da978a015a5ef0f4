#include "template_api.hpp"

#include "access.hpp"
#include "body.hpp"
#include "errors.hpp"
#include "letters/placeholders.hpp"
#include "letters/template_set.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "service/ticket_service.hpp"
#include "store/store.hpp"
#include "ticket_json.hpp"

#include <algorithm>
#include <map>

namespace redress::api {

using nlohmann::json;

namespace {

// A template the checks refuse: 422 with every problem and its line, for the editor to show inline.
http::Response template_error_response(const Error& error)
{
    http::Response answer = error_response(error);
    if (error.code != "templates.invalid")
        return answer;
    json body = json::parse(answer.body, nullptr, false);
    if (body.is_discarded())
        return answer;
    body["problems"] = json::array();
    for (const auto& p : service::template_problems(error))
        body["problems"].push_back(json{{"line", p.line}, {"message", p.message}});
    answer.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return answer;
}

json state_json(const service::TicketService::TemplateState& state)
{
    json history = json::array();
    for (const auto& v : state.history)
        history.push_back(template_version_json(v, false));
    // What an editor may write between {{ }}: the checks refuse any other name.
    json placeholders = json::array();
    for (auto name : letters::known_placeholders())
        placeholders.push_back(std::string(name));
    return json{{"language", state.language}, {"name", state.name}, {"text", state.text},
                {"version", state.version},   {"history", history}, {"placeholders", placeholders}};
}

// Whom a template writes to: "staff" for the alerts, "customer" for the rest (a reply may start
// from any of those, service::TicketService::apply), and whether it is a chat variant.
void add_audience(json& entry, const std::string& name)
{
    const auto& staff = letters::alert_templates();
    bool for_staff = std::find(staff.begin(), staff.end(), name) != staff.end();
    entry["audience"] = for_staff ? "staff" : "customer";
    entry["chat"] = name.starts_with(letters::k_chat_prefix);
}

}  // namespace

http::Response list_templates(const ApiContext& context, const http::Request&)
{
    auto runtime = context.pipeline->runtime();
    std::map<std::pair<std::string, std::string>, json> entries;
    for (const auto& language : runtime->templates.languages())
        for (const auto& name : runtime->templates.names())
            if (runtime->templates.has(name, language))
                entries[{language, name}] = json{{"language", language}, {"name", name}, {"version", 0}};
    auto edited = context.store->current_templates();
    if (!edited)
        return error_response(edited.error());
    for (const auto& v : *edited) {
        json& entry = entries[{v.language, v.name}];
        entry = template_version_json(v, false);
    }
    json list = json::array();
    for (auto& [key, entry] : entries) {
        add_audience(entry, key.second);
        list.push_back(std::move(entry));
    }
    return json_response(200, json{{"templates", list}});
}

http::Response show_template(const ApiContext& context, const http::Request& request)
{
    auto state = context.tickets->template_state(request.param("lang"), request.param("name"));
    if (!state)
        return error_response(state.error());
    return json_response(200, state_json(*state));
}

http::Response save_template(const ApiContext& context, const http::Request& request)
{
    auto body = object_body(request, {"text"});
    if (!body)
        return error_response(body.error());
    auto text = required_text(*body, "text");
    if (!text)
        return error_response(text.error());
    auto saved = context.tickets->save_template(request.param("lang"), request.param("name"), *text, actor_of(request));
    if (!saved)
        return template_error_response(saved.error());
    return json_response(200, template_version_json(*saved, true));
}

http::Response template_versions(const ApiContext& context, const http::Request& request)
{
    auto history = context.store->template_history(request.param("lang"), request.param("name"));
    if (!history)
        return error_response(history.error());
    json list = json::array();
    for (const auto& v : *history)
        list.push_back(template_version_json(v, true));
    return json_response(200, json{{"versions", list}});
}

http::Response restore_template(const ApiContext& context, const http::Request& request)
{
    auto body = object_body(request, {"version"});
    if (!body)
        return error_response(body.error());
    auto it = body->find("version");
    if (it == body->end() || !it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > 1000000)
        return error_response(make_error(ErrorKind::invalid, "api.body",
                                         "\"version\" must be the number of a saved version, such as 2 (0 is the "
                                         "shipped file)."));
    auto restored = context.tickets->restore_template(request.param("lang"), request.param("name"),
                                                      static_cast<int>(it->get<long long>()), actor_of(request));
    if (!restored)
        return error_response(restored.error());
    return json_response(200, template_version_json(*restored, true));
}

http::Response preview_template(const ApiContext& context, const http::Request& request)
{
    auto body = object_body(request, {"language", "name", "text", "ticket"});
    if (!body)
        return error_response(body.error());
    auto run = [&]() -> Result<service::LetterDraft> {
        std::string language = TRY(required_text(*body, "language"));
        std::string name = TRY(required_text(*body, "name"));
        std::string text = TRY(required_text(*body, "text"));
        std::string ticket = TRY(required_text(*body, "ticket"));
        return context.tickets->preview_template(language, name, text, ticket);
    };
    auto draft = run();
    if (!draft)
        return template_error_response(draft.error());
    return json_response(200, json{{"letter", draft_json(*draft)}});
}

http::Response workflow_config(const ApiContext& context, const http::Request&)
{
    auto runtime = context.pipeline->runtime();
    const auto& workflow = runtime->config.workflow;
    json codes = json::array();
    for (const auto& c : workflow.resolution_codes) {
        json labels = json::object();
        for (const auto& [language, label] : c.labels)
            labels[language] = label;
        codes.push_back(
            json{{"code", c.code}, {"labels", labels}, {"label", c.label(runtime->config.company.language)}});
    }
    json departments = json::array();
    for (const auto& d : workflow.departments) {
        json categories = json::array();
        for (const auto& c : d.categories)
            categories.push_back(c.name);
        departments.push_back(
            json{{"name", d.name}, {"default_assignee", d.default_assignee}, {"categories", categories}});
    }
    return json_response(200,
                         json{{"resolution_codes", codes},
                              {"departments", departments},
                              {"survey_delay", format_iso8601_duration(workflow.survey_delay)},
                              {"reopen_window", format_iso8601_duration(workflow.reopen_window)},
                              {"links_valid_after_close", format_iso8601_duration(workflow.links_valid_after_close)}});
}

}  // namespace redress::api
