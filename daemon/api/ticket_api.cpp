#include "ticket_api.hpp"

#include "access.hpp"
#include "body.hpp"
#include "common/text.hpp"
#include "customer_api.hpp"
#include "errors.hpp"
#include "service/customers.hpp"
#include "service/ticket_service.hpp"
#include "step_request.hpp"
#include "store/store.hpp"
#include "ticket_json.hpp"

#include <charconv>
#include <limits>
#include <set>

namespace redress::api {

using nlohmann::json;

namespace {

constexpr int k_default_limit = 50;
constexpr int k_max_limit = 500;

Error bad_query(std::string message)
{
    return make_error(ErrorKind::invalid, "api.query", std::move(message));
}

Result<std::optional<TimePoint>> time_query(const http::Request& request, const char* name)
{
    auto value = request.query_value(name);
    if (!value || value->empty())
        return std::optional<TimePoint>{};
    auto t = parse_due(*value);
    if (!t)
        return bad_query(std::string("\"") + name +
                         "\" must be a date such as 2026-12-04 or a time such as 2026-12-04T17:00:00Z.");
    return t;
}

Result<std::int64_t> number_query(std::string_view value, const char* name, std::int64_t min, std::int64_t max)
{
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc{} || end != value.data() + value.size() || n < min || n > max)
        return bad_query(std::string("\"") + name + "\" must be a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max) + ".");
    return n;
}

Result<store::TicketFilter> ticket_filter(const http::Request& request, TimePoint now)
{
    static const std::set<std::string> known{"status",      "kind",     "severity", "language", "channel",
                                             "department",  "assignee", "overdue",  "q",        "received_from",
                                             "received_to", "order",    "limit",    "cursor"};
    for (const auto& [key, value] : request.query)
        if (!known.contains(key))
            return bad_query("Unknown filter \"" + key +
                             "\"; the list takes status, kind, severity, language, channel, department, assignee, "
                             "overdue, q, received_from, received_to, order, limit and cursor.");
    store::TicketFilter f;
    if (auto v = request.query_value("order"); v && !v->empty()) {
        // "due": the inbox, open tickets with the nearest deadline first, in one page.
        if (*v == "due")
            f.order = store::TicketOrder::nearest_due;
        else if (*v != "newest")
            return bad_query("\"order\" must be newest (the default) or due (open tickets, nearest deadline first).");
    }
    if (auto v = request.query_value("q")) {
        if (v->size() > 200)
            return bad_query("\"q\" is longer than 200 characters.");
        f.text = std::string(trim(*v));
    }
    if (auto v = request.query_value("status"); v && !v->empty()) {
        if (*v == "open") {
            f.open_only = true;
        } else {
            f.status = ticket_status_from_string(*v);
            if (!f.status)
                return bad_query("\"status\" must be open, new, acknowledged, investigating, justified, unjustified, "
                                 "action_planned, resolved or closed; found \"" +
                                 *v + "\".");
        }
    }
    if (auto v = request.query_value("kind"); v && !v->empty()) {
        f.kind = kind_from_string(*v);
        if (!f.kind)
            return bad_query("\"kind\" is not a kind of message: \"" + *v + "\".");
    }
    if (auto v = request.query_value("severity"); v && !v->empty()) {
        f.severity = severity_from_string(*v);
        if (!f.severity)
            return bad_query("\"severity\" is not a severity: \"" + *v + "\".");
    }
    f.language = request.query_value("language").value_or("");
    f.channel = request.query_value("channel").value_or("");
    f.department = request.query_value("department").value_or("");
    if (auto v = request.query_value("assignee"))
        f.assignee = *v;
    if (auto v = request.query_value("overdue"); v && !v->empty()) {
        if (*v == "true")
            f.overdue_at = now;
        else if (*v != "false")
            return bad_query("\"overdue\" must be true or false.");
    }
    f.received_from = TRY(time_query(request, "received_from"));
    f.received_to = TRY(time_query(request, "received_to"));
    int limit = k_default_limit;
    if (auto v = request.query_value("limit"); v && !v->empty())
        limit = static_cast<int>(TRY(number_query(*v, "limit", 1, k_max_limit)));
    if (auto v = request.query_value("cursor"); v && !v->empty() && f.order == store::TicketOrder::nearest_due)
        return bad_query("\"cursor\" pages the newest-first list; order=due answers in one page (raise \"limit\").");
    if (auto v = request.query_value("cursor"); v && !v->empty())
        f.before_id = TRY(number_query(*v, "cursor", 1, std::numeric_limits<std::int64_t>::max()));
    // One more than asked: whether there is a next page.
    f.limit = limit + 1;
    return f;
}

// A 409 carries the ticket as it is now, so the client can show it without asking again.
http::Response conflict_with_ticket(const ApiContext& context, const http::Request& request, const Error& error)
{
    http::Response response = error_response(error);
    auto current = context.tickets->view(request.param("number"), actor_of(request));
    if (current) {
        json body = json::parse(response.body, nullptr, false);
        if (!body.is_discarded()) {
            body["ticket"] = view_json(*current, context.time->now());
            response.body = dump(body);
        }
        response.with_header("ETag", etag(current->ticket.version));
    }
    return response;
}

http::Response apply_step(const ApiContext& context, const http::Request& request, StepRequest parsed)
{
    auto if_match = parse_if_match(request.header("If-Match"));
    if (!if_match)
        return error_response(if_match.error());
    service::StepCommand command;
    command.step = std::move(parsed.step);
    command.step.actor = actor_of(request);
    command.preview = parsed.preview;
    command.letter_body = std::move(parsed.letter_body);
    command.files = std::move(parsed.files);
    command.if_match = *if_match;
    if (!command.if_match)
        command.if_match = parsed.if_match;

    auto result = context.tickets->apply(request.param("number"), command);
    if (!result) {
        if (result.error().is(ErrorKind::conflict))
            return conflict_with_ticket(context, request, result.error());
        return error_response(result.error());
    }
    json letter = result->letter ? draft_json(*result->letter) : json(nullptr);
    if (command.preview)
        return json_response(200, json{{"letter", letter}});
    if (context.changed)
        context.changed(result->ticket.number);
    json body{{"ticket", ticket_json(result->ticket)}, {"letter", letter}};
    body["letter_id"] = result->letter_id ? json(*result->letter_id) : json(nullptr);
    if (result->action)
        body["action"] = action_json(*result->action);
    if (result->note)
        body["note"] = note_json(*result->note);
    return json_response(200, body).with_header("ETag", etag(result->ticket.version));
}

}  // namespace

http::Response list_tickets(const ApiContext& context, const http::Request& request)
{
    auto filter = ticket_filter(request, context.time->now());
    if (!filter)
        return error_response(filter.error());
    auto found = context.store->list_tickets(*filter);
    if (!found)
        return error_response(found.error());
    json list = json::array();
    bool more = static_cast<int>(found->size()) >= filter->limit;
    std::size_t shown = more ? found->size() - 1 : found->size();
    for (std::size_t i = 0; i < shown; ++i) {
        json t = ticket_json((*found)[i]);
        t["deadlines"] = deadlines_json((*found)[i], context.time->now());
        list.push_back(std::move(t));
    }
    bool pages = filter->order == store::TicketOrder::newest;
    json next = pages && more && shown > 0 ? json(std::to_string((*found)[shown - 1].id)) : json(nullptr);
    return json_response(200, json{{"tickets", list}, {"next_cursor", next}});
}

http::Response show_ticket(const ApiContext& context, const http::Request& request)
{
    auto view = context.tickets->view(request.param("number"), actor_of(request));
    if (!view)
        return error_response(view.error());
    json body = view_json(*view, context.time->now());
    // Who the customer is on every channel, their other complaints, and where a merged ticket went.
    auto customer = service::CustomerService(*context.store, *context.time).of_ticket(view->ticket);
    if (!customer)
        return error_response(customer.error());
    auto merged_into = context.store->merged_ticket_target(view->ticket.id);
    if (!merged_into)
        return error_response(merged_into.error());
    add_ticket_customer_json(body, *customer, *merged_into);
    auto erased = context.store->ticket_erased_at(view->ticket.id);
    if (!erased)
        return error_response(erased.error());
    body["erased_at"] = erased_at_json(*erased);
    return json_response(200, body).with_header("ETag", etag(view->ticket.version));
}

http::Response create_ticket(const ApiContext& context, const http::Request& request)
{
    auto body = object_body(request, {"channel", "received_at", "received_by", "department", "customer_name", "email",
                                      "phone", "address", "incident_date", "details", "language"});
    if (!body)
        return error_response(body.error());
    service::IntakeForm form;
    auto read = [&]() -> Result<void> {
        std::string channel = TRY(text_field(*body, "channel"));
        if (!channel.empty())
            form.channel = channel;
        if (form.channel != "phone" && form.channel != "in_person")
            return make_error(ErrorKind::invalid, "api.body", "\"channel\" must be \"phone\" or \"in_person\".");
        std::string received = TRY(text_field(*body, "received_at"));
        if (!received.empty()) {
            form.received_at = parse_due(received);
            if (!form.received_at)
                return make_error(ErrorKind::invalid, "api.body",
                                  "\"received_at\" must be a time such as 2026-12-04T10:30:00Z.");
        }
        form.received_by = TRY(text_field(*body, "received_by"));
        form.department = TRY(text_field(*body, "department"));
        form.customer_name = TRY(text_field(*body, "customer_name"));
        form.email = TRY(text_field(*body, "email"));
        form.phone = TRY(text_field(*body, "phone"));
        form.address = TRY(text_field(*body, "address"));
        form.incident_date = TRY(text_field(*body, "incident_date"));
        form.details = TRY(required_text(*body, "details"));
        form.language = TRY(text_field(*body, "language"));
        return {};
    };
    if (auto r = read(); !r)
        return error_response(r.error());
    auto outcome = context.tickets->register_complaint(form, actor_of(request));
    if (!outcome)
        return error_response(outcome.error());
    if (context.changed && !outcome->ticket_number.empty())
        context.changed(outcome->ticket_number);
    json answer = pipeline::to_json(*outcome);
    answer["number"] = outcome->ticket_number;
    return json_response(201, answer).with_header("Location", "/api/v1/tickets/" + outcome->ticket_number);
}

http::Response take_step(const ApiContext& context, const http::Request& request)
{
    auto kind = tickets::step_from_string(request.param("step"));
    if (!kind || *kind == tickets::StepKind::update_action)
        return http::error_response(404, "api.step",
                                    "There is no step \"" + request.param("step") +
                                        "\"; the steps are take, verdict, actions, actions/{id}, assign, department, "
                                        "resolve, signoff, reopen, reply, notes, responded, waiting and reclassify.");
    auto parsed = parse_step_request(*kind, request.body);
    if (!parsed)
        return error_response(parsed.error());
    return apply_step(context, request, std::move(parsed).value());
}

http::Response update_action(const ApiContext& context, const http::Request& request)
{
    auto id = number_query(request.param("id"), "id", 1, std::numeric_limits<std::int64_t>::max());
    if (!id)
        return http::error_response(404, "api.action", "There is no action " + request.param("id") + ".");
    auto parsed = parse_step_request(tickets::StepKind::update_action, request.body);
    if (!parsed)
        return error_response(parsed.error());
    parsed->step.action_id = *id;
    return apply_step(context, request, std::move(parsed).value());
}

}  // namespace redress::api
