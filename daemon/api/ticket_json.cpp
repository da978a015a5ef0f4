#include "ticket_json.hpp"

#include "attachments/file_type.hpp"
#include "pipeline/readable.hpp"
#include "service/ticket_service.hpp"

namespace redress::api {

using nlohmann::json;

std::string dump(const json& value)
{
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json time_json(const std::optional<TimePoint>& t)
{
    return t ? json(format_iso8601_utc(*t)) : json(nullptr);
}

json ticket_json(const Ticket& t)
{
    return json{{"number", t.number},
                {"version", t.version},
                {"status", to_string(t.status)},
                {"kind", to_string(t.kind)},
                {"severity", to_string(t.severity)},
                {"language", t.language},
                {"subject", t.subject},
                {"customer",
                 {{"name", t.customer.name},
                  {"email", t.customer.email},
                  {"phone", t.customer.phone},
                  {"chat", t.customer.chat_user}}},
                {"channel", t.channel},
                {"source", t.source},
                {"conversation", t.conversation},
                {"assignee", t.assignee},
                {"department", t.department},
                {"category", t.category},
                {"verdict", t.verdict},
                {"resolution_code", t.resolution_code},
                {"awaiting_customer", t.awaiting_customer},
                {"received_at", format_iso8601_utc(t.received_at)},
                {"updated_at", format_iso8601_utc(t.updated_at)},
                {"first_response_due", time_json(t.first_response_due)},
                {"resolution_due", time_json(t.resolution_due)},
                {"first_responded_at", time_json(t.first_responded_at)},
                {"resolved_at", time_json(t.resolved_at)},
                {"closed_at", time_json(t.closed_at)}};
}

json deadlines_json(const Ticket& t, TimePoint now)
{
    json out = json::array();
    auto add = [&](const char* name, const std::optional<TimePoint>& due, bool met) {
        if (!due || met)
            return;
        long long left = (*due - now).count();
        out.push_back(json{{"name", name},
                           {"due", format_iso8601_utc(*due)},
                           {"seconds_left", left},
                           {"overdue", left < 0},
                           {"paused", t.awaiting_customer}});
    };
    bool finished = t.status == TicketStatus::resolved || t.status == TicketStatus::closed;
    add("first_response", t.first_response_due, t.first_responded_at.has_value() || finished);
    add("resolution", t.resolution_due, finished);
    return out;
}

json message_json(const StoredMessage& m)
{
    return json{{"id", m.id},
                {"direction", m.direction},
                {"channel", m.channel},
                {"from", m.from_address},
                {"subject", m.subject},
                {"text", m.text},
                {"received_at", format_iso8601_utc(m.received_at)},
                {"kind", to_string(m.kind)},
                {"language", m.language},
                {"severity", to_string(m.severity)}};
}

json letter_json(const Letter& l)
{
    return json{{"id", l.id},
                {"template", l.template_name},
                {"channel", l.channel},
                {"recipient", l.recipient},
                {"subject", l.subject},
                {"status", to_string(l.status)},
                {"attempts", l.attempts},
                {"created_at", format_iso8601_utc(l.created_at)},
                {"next_attempt_at", time_json(l.next_attempt_at)},
                {"sent_at", time_json(l.sent_at)},
                {"last_error", l.last_error}};
}

json action_json(const CorrectiveAction& a)
{
    return json{{"id", a.id},
                {"for", to_string(a.target)},
                {"text", a.text},
                {"responsible", a.responsible},
                {"due", format_iso8601_utc(a.due)},
                {"state", to_string(a.state)},
                {"created_by", a.created_by},
                {"created_at", format_iso8601_utc(a.created_at)},
                {"done_at", time_json(a.done_at)},
                {"verified_at", time_json(a.verified_at)},
                {"verified_by", a.verified_by},
                {"note", a.note}};
}

json note_json(const Note& n)
{
    return json{{"id", n.id}, {"author", n.author}, {"at", format_iso8601_utc(n.at)}, {"text", n.text}};
}

json rating_json(const Rating& r)
{
    return json{{"id", r.id},
                {"score", r.score},
                {"comment", r.comment},
                {"source", r.source},
                {"at", format_iso8601_utc(r.at)}};
}

json audit_json(const AuditEvent& e)
{
    json detail = json::parse(e.detail, nullptr, false);
    if (detail.is_discarded())
        detail = e.detail;
    return json{
        {"id", e.id}, {"at", format_iso8601_utc(e.at)}, {"actor", e.actor}, {"action", e.action}, {"detail", detail}};
}

json attachment_json(const store::AttachmentRecord& a, std::string_view ticket_number)
{
    bool stored = !a.sha256.empty();
    json j{{"id", a.id},
           {"filename", a.name},
           {"content_type", a.sniffed_type.empty() ? a.declared_type : a.sniffed_type},
           {"declared_type", a.declared_type},
           {"size", a.size},
           {"inline", a.inline_part},
           {"content_id", a.content_id.empty() ? json(nullptr) : json(a.content_id)},
           {"stored", stored},
           {"refused", stored ? json(nullptr) : json(a.refused)},
           {"image", stored && attachments::is_inline_image(a.sniffed_type)}};
    if (stored)
        j["url"] = "/api/v1/tickets/" + std::string(ticket_number) + "/attachments/" + std::to_string(a.id);
    return j;
}

json erased_at_json(const std::optional<TimePoint>& erased_at)
{
    return erased_at ? json(format_iso8601_utc(*erased_at)) : json(nullptr);
}

json view_json(const service::TicketView& v, TimePoint now)
{
    json out = ticket_json(v.ticket);
    out["deadlines"] = deadlines_json(v.ticket, now);
    auto list = [](const auto& items, auto convert) {
        json a = json::array();
        for (const auto& item : items)
            a.push_back(convert(item));
        return a;
    };
    // The ticket's page shows the thread whole: each letter's text as the customer reads it, and
    // what each mail carried attached.
    // Each file with what the bytes are, and where staff fetch it when it was kept.
    auto files_of = [&](auto belongs) {
        json a = json::array();
        for (const auto& row : v.attachments)
            if (belongs(row))
                a.push_back(attachment_json(row, v.ticket.number));
        return a;
    };
    out["messages"] = list(v.messages, [&](const StoredMessage& m) {
        json j = message_json(m);
        j["attachments"] = files_of([&](const store::AttachmentRecord& r) { return r.message_id == m.id; });
        if (j["attachments"].empty()) {
            // Mail stored before attachments were kept: listed from its bytes, with nothing to fetch.
            for (const auto& a : pipeline::attachments_of(m))
                j["attachments"].push_back(json{{"id", nullptr},
                                                {"filename", a.filename},
                                                {"content_type", a.content_type},
                                                {"size", a.size},
                                                {"stored", false},
                                                {"refused", "received before attachments were kept"}});
        }
        return j;
    });
    out["letters"] = list(v.letters, [&](const Letter& l) {
        json j = letter_json(l);
        j["text"] = pipeline::letter_text(l);
        j["attachments"] = files_of([&](const store::AttachmentRecord& r) { return r.letter_id == l.id; });
        return j;
    });
    out["notes"] = list(v.notes, note_json);
    out["actions"] = list(v.actions, action_json);
    out["ratings"] = list(v.ratings, rating_json);
    out["audit"] = list(v.audit, audit_json);
    json steps = json::array();
    for (auto kind : v.available_steps)
        steps.push_back(tickets::to_string(kind));
    out["available_steps"] = steps;
    return out;
}

json draft_json(const service::LetterDraft& d)
{
    return json{{"template", d.template_name},    {"language", d.language}, {"channel", d.channel},
                {"recipient", d.recipient},       {"subject", d.subject},   {"body", d.body},
                {"send_at", time_json(d.send_at)}};
}

json user_json(const User& u)
{
    return json{{"id", u.id},
                {"name", u.name},
                {"role", to_string(u.role)},
                {"display_name", u.display_name},
                {"email", u.email},
                {"chat", u.chat},
                {"signature", u.signature},
                {"disabled", u.disabled},
                {"created_at", format_iso8601_utc(u.created_at)}};
}

json token_json(const ApiToken& t)
{
    return json{{"id", t.id},
                {"label", t.label},
                {"created_at", format_iso8601_utc(t.created_at)},
                {"last_used_at", time_json(t.last_used_at)},
                {"revoked_at", time_json(t.revoked_at)}};
}

json template_version_json(const TemplateVersion& v, bool with_text)
{
    json out{{"version", v.version},
             {"language", v.language},
             {"name", v.name},
             {"author", v.author},
             {"at", format_iso8601_utc(v.at)}};
    if (with_text)
        out["text"] = v.text;
    return out;
}

}  // namespace redress::api
