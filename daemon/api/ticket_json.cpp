#include "ticket_json.hpp"

namespace redress::api {

using nlohmann::json;

json ticket_json(const Ticket& t)
{
    auto opt_time = [](const std::optional<TimePoint>& v) { return v ? json(format_iso8601_utc(*v)) : json(nullptr); };
    // An empty workflow field is null: "not decided yet" reads better than "".
    auto opt_text = [](const std::string& v) { return v.empty() ? json(nullptr) : json(v); };
    return json{{"number", t.number},
                {"version", t.version},
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
                {"verdict", opt_text(t.verdict)},
                {"department", opt_text(t.department)},
                {"category", opt_text(t.category)},
                {"resolution_code", opt_text(t.resolution_code)},
                {"received_at", format_iso8601_utc(t.received_at)},
                {"updated_at", format_iso8601_utc(t.updated_at)},
                {"first_response_due", opt_time(t.first_response_due)},
                {"resolution_due", opt_time(t.resolution_due)},
                {"first_responded_at", opt_time(t.first_responded_at)},
                {"resolved_at", opt_time(t.resolved_at)},
                {"closed_at", opt_time(t.closed_at)}};
}

}  // namespace redress::api
