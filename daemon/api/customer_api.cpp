#include "customer_api.hpp"

#include "access.hpp"
#include "body.hpp"
#include "errors.hpp"

#include "attachments/tar_archive.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/readable.hpp"
#include "pipeline/runtime.hpp"
#include "service/customer_data.hpp"
#include "service/customers.hpp"
#include "store/store.hpp"
#include "ticket_json.hpp"

#include <charconv>
#include <map>

namespace redress::api {

using nlohmann::json;

namespace {

constexpr int k_find_limit = 20;

Result<std::int64_t> id_param(const http::Request& request, const char* name)
{
    const std::string& text = request.param(name);
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id <= 0)
        return make_error(ErrorKind::not_found, "customer.not_found", "There is no customer " + text + ".");
    return id;
}

json identity_json(const CustomerIdentity& identity)
{
    return json{
        {"id", identity.id},       {"customer", identity.customer_id},    {"kind", to_string(identity.kind)},
        {"value", identity.value}, {"verified_by", identity.verified_by}, {"added_at", time_json(identity.added_at)}};
}

json record_json(const CustomerRecord& record)
{
    return json{{"id", record.id},
                {"name", record.name},
                {"merged_into", record.merged_into ? json(*record.merged_into) : json(nullptr)},
                {"merged_at", time_json(record.merged_at)},
                {"merged_by", record.merged_by}};
}

http::Response customer_answer(const Result<service::CustomerView>& view)
{
    if (!view)
        return error_response(view.error());
    return json_response(200, customer_json(*view));
}

}  // namespace

json ticket_summary_json(const Ticket& ticket)
{
    return json{{"number", ticket.number},
                {"channel", ticket.channel},
                {"subject", ticket.subject},
                {"kind", to_string(ticket.kind)},
                {"status", to_string(ticket.status)},
                {"resolution_code", ticket.resolution_code},
                {"verdict", ticket.verdict},
                {"received_at", time_json(ticket.received_at)},
                {"resolved_at", time_json(ticket.resolved_at)},
                {"closed_at", time_json(ticket.closed_at)}};
}

json customer_json(const service::CustomerView& view)
{
    json members = json::array();
    for (const auto& m : view.group.members)
        members.push_back(record_json(m));
    json identities = json::array();
    for (const auto& i : view.group.identities)
        identities.push_back(identity_json(i));
    json suggestions = json::array();
    for (const auto& s : view.group.suggestions) {
        json ticket = nullptr;
        for (const auto& t : view.tickets)
            if (s.ticket_id && t.id == *s.ticket_id)
                ticket = t.number;
        suggestions.push_back(json{{"id", s.id},
                                   {"customer", s.customer_id},
                                   {"kind", to_string(s.kind)},
                                   {"value", s.value},
                                   {"source", s.source},
                                   {"ticket", ticket},
                                   {"at", time_json(s.at)}});
    }
    json tickets = json::array();
    for (const auto& t : view.tickets)
        tickets.push_back(ticket_summary_json(t));
    json audit = json::array();
    for (const auto& e : view.audit)
        audit.push_back(audit_json(e));
    return json{{"id", view.group.root.id},
                {"name", view.name},
                {"created_at", time_json(view.group.root.created_at)},
                {"records", members},
                {"identities", identities},
                {"suggestions", suggestions},
                {"tickets", tickets},
                {"audit", audit}};
}

void add_ticket_customer_json(json& ticket_view, const service::TicketCustomer& customer,
                              const std::optional<std::string>& merged_into)
{
    ticket_view["merged_into"] = merged_into ? json(*merged_into) : json(nullptr);
    // The ticket's own contact fields (name, email, phone, chat) stay: they are what this ticket's
    // messages said. The record adds who the customer is across channels.
    json& who = ticket_view["customer"];
    if (!who.is_object())
        who = json::object();
    if (!customer.customer) {
        who["id"] = nullptr;
        who["identities"] = json::array();
        who["suggestions"] = 0;
        ticket_view["earlier_tickets"] = json::array();
        return;
    }
    json identities = json::array();
    for (const auto& i : customer.customer->group.identities)
        identities.push_back(json{{"kind", to_string(i.kind)}, {"value", i.value}});
    who["id"] = customer.customer->group.root.id;
    who["identities"] = identities;
    who["suggestions"] = customer.customer->group.suggestions.size();
    json earlier = json::array();
    for (const auto& t : customer.other_tickets)
        earlier.push_back(ticket_summary_json(t));
    ticket_view["earlier_tickets"] = earlier;
}

http::Response find_customers(const ApiContext& context, const http::Request& request)
{
    for (const auto& [key, value] : request.query)
        if (key != "q")
            return error_response(
                make_error(ErrorKind::invalid, "api.query", "Unknown filter \"" + key + "\"; the lookup takes q."));
    std::string q = request.query_value("q").value_or("");
    if (q.size() > 200)
        return error_response(make_error(ErrorKind::invalid, "api.query", "\"q\" is longer than 200 characters."));
    service::CustomerService customers(*context.store, *context.time);
    auto found = customers.find(q, k_find_limit);
    if (!found)
        return error_response(found.error());
    json list = json::array();
    for (const auto& view : *found) {
        json identities = json::array();
        for (const auto& i : view.group.identities)
            identities.push_back(json{{"kind", to_string(i.kind)}, {"value", i.value}});
        list.push_back(json{{"id", view.group.root.id},
                            {"name", view.name},
                            {"identities", identities},
                            {"tickets", view.tickets.size()}});
    }
    return json_response(200, json{{"customers", list}});
}

http::Response show_customer(const ApiContext& context, const http::Request& request)
{
    auto id = id_param(request, "id");
    if (!id)
        return error_response(id.error());
    return customer_answer(service::CustomerService(*context.store, *context.time).show(*id));
}

http::Response merge_customer(const ApiContext& context, const http::Request& request)
{
    auto id = id_param(request, "id");
    if (!id)
        return error_response(id.error());
    auto body = object_body(request, {"into"});
    if (!body)
        return error_response(body.error());
    const json& into = (*body)["into"];
    if (!into.is_number_integer() || into.get<std::int64_t>() <= 0)
        return error_response(
            make_error(ErrorKind::invalid, "api.body", "\"into\" must be the id of the customer to merge into."));
    return customer_answer(service::CustomerService(*context.store, *context.time)
                               .merge(*id, into.get<std::int64_t>(), actor_of(request)));
}

http::Response unmerge_customer(const ApiContext& context, const http::Request& request)
{
    auto id = id_param(request, "id");
    if (!id)
        return error_response(id.error());
    if (auto body = object_body(request, {}); !body)
        return error_response(body.error());
    return customer_answer(service::CustomerService(*context.store, *context.time).unmerge(*id, actor_of(request)));
}

http::Response accept_suggestion(const ApiContext& context, const http::Request& request)
{
    auto id = id_param(request, "id");
    if (!id)
        return error_response(id.error());
    auto suggestion = id_param(request, "suggestion");
    if (!suggestion)
        return error_response(make_error(ErrorKind::not_found, "customer.no_suggestion",
                                         "There is no suggestion " + request.param("suggestion") + "."));
    return customer_answer(
        service::CustomerService(*context.store, *context.time).accept_suggestion(*id, *suggestion, actor_of(request)));
}

namespace {

// A quarantined mail's place in the archive: quarantine/<n>-<its file name>.
std::string quarantine_member(long long n, const service::QuarantinedMail& mail)
{
    return attachments::archive_member_name(mail.folder, n, mail.name);
}

}  // namespace

json export_json(const service::CustomerExport& data, TimePoint now)
{
    std::map<std::int64_t, std::string> member_of_file;
    for (const auto& f : data.files)
        if (!f.missing)
            member_of_file[f.record.id] = attachments::archive_member_name("attachments", f.record.id, f.record.name);
    json tickets = json::array();
    for (const auto& r : data.tickets) {
        json messages = json::array();
        for (const auto& m : r.messages)
            messages.push_back(message_json(m));
        json letters = json::array();
        for (const auto& l : r.letters) {
            json letter = letter_json(l);
            letter["text"] = pipeline::letter_text(l);
            letters.push_back(std::move(letter));
        }
        json notes = json::array();
        for (const auto& n : r.notes)
            notes.push_back(note_json(n));
        json ratings = json::array();
        for (const auto& x : r.ratings)
            ratings.push_back(rating_json(x));
        json actions = json::array();
        for (const auto& a : r.actions)
            actions.push_back(action_json(a));
        json audit = json::array();
        for (const auto& e : r.audit)
            audit.push_back(audit_json(e));
        json files = json::array();
        for (const auto& a : r.attachments) {
            json file = attachment_json(a, r.ticket.number);
            file.erase("url");
            auto member = member_of_file.find(a.id);
            file["file"] = member == member_of_file.end() ? json(nullptr) : json(member->second);
            files.push_back(std::move(file));
        }
        json ticket = ticket_json(r.ticket);
        tickets.push_back(json{{"ticket", ticket},
                               {"messages", messages},
                               {"letters", letters},
                               {"notes", notes},
                               {"ratings", ratings},
                               {"actions", actions},
                               {"audit", audit},
                               {"attachments", files}});
    }
    // Their messages on no ticket or on another customer's, and their quarantined mail.
    auto files_json = [&](const std::vector<store::AttachmentRecord>& rows, const std::string& number) {
        json files = json::array();
        for (const auto& a : rows) {
            json file = attachment_json(a, number);
            file.erase("url");
            auto member = member_of_file.find(a.id);
            file["file"] = member == member_of_file.end() ? json(nullptr) : json(member->second);
            files.push_back(std::move(file));
        }
        return files;
    };
    json without_ticket = json::array();
    json elsewhere = json::array();
    for (const auto& e : data.messages_elsewhere) {
        json message = message_json(e.message);
        message["attachments"] = files_json(e.attachments, e.ticket_number);
        if (e.ticket_number.empty()) {
            without_ticket.push_back(std::move(message));
        } else {
            message["ticket"] = e.ticket_number;
            elsewhere.push_back(std::move(message));
        }
    }
    json quarantined = json::array();
    for (std::size_t i = 0; i < data.quarantined.size(); ++i) {
        const auto& q = data.quarantined[i];
        quarantined.push_back(json{{"folder", q.folder},
                                   {"name", q.name},
                                   {"reason", q.reason},
                                   {"file", quarantine_member(static_cast<long long>(i) + 1, q)}});
    }
    return json{{"exported_at", format_iso8601_utc(now)},
                {"customer", customer_json(data.customer)},
                {"tickets", tickets},
                {"messages_without_ticket", without_ticket},
                {"messages_on_other_tickets", elsewhere},
                {"quarantined", quarantined}};
}

Result<std::string> customer_archive(store::Store& store, const config::Config& config, std::int64_t customer_id,
                                     TimePoint now)
{
    auto data = TRY(service::export_customer(store, config, customer_id));
    attachments::TarArchive archive;
    TRY(archive.add_file("customer.json", export_json(data, now).dump(2, ' ', false, json::error_handler_t::replace),
                         now));
    for (const auto& f : data.files)
        if (!f.missing)
            TRY(archive.add_file(attachments::archive_member_name("attachments", f.record.id, f.record.name), f.bytes,
                                 now));
    for (std::size_t i = 0; i < data.quarantined.size(); ++i)
        TRY(archive.add_file(quarantine_member(static_cast<long long>(i) + 1, data.quarantined[i]),
                             data.quarantined[i].bytes, now));
    return archive.finish();
}

json erase_counts_json(const service::EraseCounts& c)
{
    json j = service::erase_counts_json(c);
    j["compacted"] = c.compacted;
    return j;
}

http::Response export_customer(const ApiContext& context, const http::Request& request)
{
    auto id = id_param(request, "id");
    if (!id)
        return error_response(id.error());
    auto archive = customer_archive(*context.store, context.pipeline->runtime()->config, *id, context.time->now());
    if (!archive)
        return error_response(archive.error());
    http::Response out{200, "application/x-tar", std::move(archive).value()};
    out.with_header("Content-Disposition", "attachment; filename=\"customer-" + std::to_string(*id) + ".tar\"")
        .with_header("Cache-Control", "private, no-store");
    return out;
}

http::Response erase_customer(const ApiContext& context, const http::Request& request)
{
    auto id = id_param(request, "id");
    if (!id)
        return error_response(id.error());
    auto body = object_body(request, {"reason"});
    if (!body)
        return error_response(body.error());
    auto reason = required_text(*body, "reason");
    if (!reason)
        return error_response(reason.error());
    auto erased = service::erase_customer(*context.store, context.pipeline->runtime()->config, *id, actor_of(request),
                                          *reason, context.time->now());
    if (!erased)
        return error_response(erased.error());
    return json_response(200, json{{"customer", *id}, {"erased", api::erase_counts_json(*erased)}});
}

http::Response merge_ticket(const ApiContext& context, const http::Request& request)
{
    auto body = object_body(request, {"into", "confirm"});
    if (!body)
        return error_response(body.error());
    auto into = required_text(*body, "into");
    if (!into)
        return error_response(into.error());
    const json& confirm = (*body)["confirm"];
    if (!confirm.is_null() && !confirm.is_boolean())
        return error_response(make_error(ErrorKind::invalid, "api.body", "\"confirm\" must be true or false."));
    auto runtime = context.pipeline->runtime();
    auto merged =
        service::merge_tickets(*context.store, *runtime, request.param("number"), *into,
                               confirm.is_boolean() && confirm.get<bool>(), actor_of(request), context.time->now());
    if (!merged)
        return error_response(merged.error());
    if (context.changed)
        context.changed(merged->survivor.number);
    json merged_json = ticket_json(merged->merged);
    merged_json["merged_into"] = merged->survivor.number;
    return json_response(200, json{{"ticket", ticket_json(merged->survivor)}, {"merged", merged_json}});
}

}  // namespace redress::api
