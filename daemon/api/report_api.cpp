#include "report_api.hpp"

#include "body.hpp"
#include "errors.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "store/store.hpp"

#include <set>

namespace redress::api {

namespace {

Error bad_query(std::string message)
{
    return make_error(ErrorKind::invalid, "api.query", std::move(message));
}

}  // namespace

Result<reports::ReportRequest> report_request(const http::Request& request)
{
    static const std::set<std::string> known{"from", "to", "kind", "channel", "department", "language", "severity"};
    for (const auto& [key, value] : request.query)
        if (!known.contains(key))
            return bad_query("Unknown parameter \"" + key +
                             "\"; reports take from, to, kind, channel, department, language and severity.");
    reports::ReportRequest r;
    r.from = request.query_value("from").value_or("");
    r.to = request.query_value("to").value_or("");
    if (auto v = request.query_value("kind"); v && !v->empty()) {
        r.filter.kind = kind_from_string(*v);
        if (!r.filter.kind)
            return bad_query("\"kind\" is not a kind of message: \"" + *v + "\".");
    }
    if (auto v = request.query_value("severity"); v && !v->empty()) {
        r.filter.severity = severity_from_string(*v);
        if (!r.filter.severity)
            return bad_query("\"severity\" is not a severity: \"" + *v + "\".");
    }
    r.filter.language = request.query_value("language").value_or("");
    r.filter.channel = request.query_value("channel").value_or("");
    r.filter.department = request.query_value("department").value_or("");
    return r;
}

reports::ReportContext report_context(const ApiContext& context)
{
    auto runtime = context.pipeline->runtime();
    reports::ReportContext c;
    c.calendar = runtime->sla.calendar;
    c.time_zone = runtime->config.company.time_zone;
    c.now = context.time->now();
    return c;
}

http::Response report_summary(const ApiContext& context, const http::Request& request)
{
    auto parsed = report_request(request);
    if (!parsed)
        return error_response(parsed.error());
    auto body = reports::summary(*context.store, *parsed, report_context(context));
    if (!body)
        return error_response(body.error());
    return json_response(200, *body);
}

http::Response report_recurring(const ApiContext& context, const http::Request& request)
{
    auto parsed = report_request(request);
    if (!parsed)
        return error_response(parsed.error());
    auto body = reports::recurring(*context.store, *parsed, report_context(context));
    if (!body)
        return error_response(body.error());
    return json_response(200, *body);
}

http::Response report_csv(const ApiContext& context, const http::Request& request)
{
    auto parsed = report_request(request);
    if (!parsed)
        return error_response(parsed.error());
    auto csv = reports::tickets_csv(*context.store, *parsed, report_context(context));
    if (!csv)
        return error_response(csv.error());
    http::Response response;
    response.content_type = "text/csv; charset=utf-8";
    response.body = std::move(*csv);
    response.with_header("Content-Disposition", "attachment; filename=\"tickets.csv\"");
    return response;
}

}  // namespace redress::api
