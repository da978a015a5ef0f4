#include "report.hpp"

#include "common/time.hpp"

#include <algorithm>
#include <chrono>

namespace redress::reports {

using nlohmann::json;

namespace {

// The kinds recurring problems are looked for in.
store::ReportFilter problem_filter(store::ReportFilter filter)
{
    if (!filter.kind)
        filter.kind = Kind::complaint;
    filter.with_text = true;
    return filter;
}

json period_json(const Period& p)
{
    return json{{"from", p.from_date}, {"to", p.to_date}, {"days", p.days}};
}

// Times the parts of a summary for ReportContext::timed (the benchmark); nothing when unset.
class PartClock {
public:
    explicit PartClock(const ReportContext& context)
        : m_context(context)
        , m_started(std::chrono::steady_clock::now())
    {
    }
    void lap(const std::string& part)
    {
        if (!m_context.timed)
            return;
        auto now = std::chrono::steady_clock::now();
        m_context.timed(part, std::chrono::duration<double>(now - m_started).count());
        m_started = now;
    }

private:
    const ReportContext& m_context;
    std::chrono::steady_clock::time_point m_started;
};

struct Grouped {
    Period period, previous;
    std::vector<store::ReportTicket> tickets;
    std::vector<RecurringGroup> groups;
};

Result<Grouped> group_period(store::Reports& store, const Period& period, const ReportRequest& request,
                             const ReportContext& context)
{
    PartClock clock(context);
    Grouped g;
    g.period = period;
    g.previous = previous_period(period, context.time_zone);
    store::ReportFilter problems = problem_filter(request.filter);
    problems.received_from = period.from;
    problems.received_to = period.to;
    problems.newest = context.recurring_newest;
    g.tickets = TRY(store.report_tickets(problems));
    problems.received_from = g.previous.from;
    problems.received_to = g.previous.to;
    auto previous = TRY(store.report_tickets(problems));
    clock.lap("recurring: texts read");

    std::vector<TicketTerms> current_terms, previous_terms;
    current_terms.reserve(g.tickets.size());
    for (const auto& t : g.tickets)
        current_terms.push_back(terms_of(t.language, t.subject, t.text));
    previous_terms.reserve(previous.size());
    for (const auto& t : previous)
        previous_terms.push_back(terms_of(t.language, t.subject, t.text));
    clock.lap("recurring: terms of the texts");
    g.groups = find_recurring(current_terms, previous_terms, context.recurring);
    clock.lap("recurring: grouped");
    return g;
}

std::string csv_field(std::string_view value)
{
    if (value.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(value);
    std::string out = "\"";
    for (char c : value) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string span_or_empty(const ReportContext& context, TimePoint from, const std::optional<TimePoint>& to)
{
    return to ? std::to_string(span_seconds(context, from, *to)) : std::string();
}

std::string outcome_text(DeadlineOutcome o)
{
    switch (o) {
    case DeadlineOutcome::kept:
        return "kept";
    case DeadlineOutcome::missed:
        return "missed";
    case DeadlineOutcome::pending:
        return "pending";
    case DeadlineOutcome::none:
        break;
    }
    return "";
}

}  // namespace

namespace {

// The aggregates follow the context's zone and calendar. A rebuild that is running (or that this
// starts) is brought along by at most context.rebuild_wait_tickets tickets; if it is still not
// done, the summary says so rather than hold the caller for minutes.
Result<void> aggregates_ready(store::Reports& store, const ReportContext& context)
{
    constexpr long long k_batch = 5000;
    auto rebuild = TRY(store.start_report_aggregates(aggregation_of(context)));
    long long left = context.rebuild_wait_tickets;
    while (rebuild.running && left != 0) {
        long long n = left < 0 ? k_batch : std::min(left, k_batch);
        rebuild = TRY(store.step_report_rebuild(n));
        if (left > 0)
            left -= n;
    }
    if (rebuild.running)
        return make_error(ErrorKind::transient, "reports.rebuilding",
                          "the report aggregates are being rebuilt after a change of the time zone or calendar "
                          "(tickets up to id " +
                              std::to_string(rebuild.done) + " of " + std::to_string(rebuild.total) +
                              " done); ask again shortly");
    return {};
}

Result<json> summary_from(store::Reports& store, const ReportRequest& request, const ReportContext& context, bool scan)
{
    PartClock clock(context);
    Period period = TRY(period_of(request.from, request.to, context.time_zone, context.now));
    json out;
    if (scan) {
        store::ReportFilter filter = request.filter;
        filter.received_from = period.from;
        filter.received_to = period.to;
        filter.with_text = false;
        out = ticket_figures(TRY(store.report_tickets(filter)), period, context);
    } else {
        TRY(aggregates_ready(store, context));
        clock.lap("aggregates brought up to date");
        out = TRY(aggregate_figures(store, request.filter, period, context));
    }
    clock.lap(scan ? "figures by scan" : "figures (sum of the parts above)");
    Grouped grouped = TRY(group_period(store, period, request, context));
    out["previous_period"] = period_json(grouped.previous);
    out["recurring"] = recurring_json(grouped.groups, grouped.tickets);
    clock.lap("recurring problems");

    auto actions = TRY(store.report_actions(request.filter));
    out["open_actions"] = open_actions_json(actions, context);
    clock.lap("open actions");

    // The fixes: the complaints around each process action done, read in one span.
    std::optional<TimePoint> span_from, span_to;
    for (const auto& a : actions) {
        if (a.action.target != ActionFor::process || !a.action.done_at)
            continue;
        TimePoint done = *a.action.done_at;
        if (done >= period.to || done + context.fix_window <= period.from)
            continue;
        TimePoint from = std::min(done - context.fix_window, a.received_at);
        TimePoint to = done + context.fix_window;
        span_from = span_from ? std::min(*span_from, from) : from;
        span_to = span_to ? std::max(*span_to, to) : to;
    }
    std::vector<store::ReportTicket> pool;
    if (span_from) {
        store::ReportFilter filter = problem_filter(request.filter);
        filter.received_from = span_from;
        filter.received_to = span_to;
        pool = TRY(store.report_tickets(filter));
    }
    out["actions"] = fixes_json(check_fixes(actions, pool, period, context));
    clock.lap("did the fixes work");
    out["generated_at"] = format_iso8601_utc(context.now);
    return out;
}

}  // namespace

Result<json> summary(store::Reports& store, const ReportRequest& request, const ReportContext& context)
{
    return summary_from(store, request, context, false);
}

Result<json> summary_by_scan(store::Reports& store, const ReportRequest& request, const ReportContext& context)
{
    return summary_from(store, request, context, true);
}

Result<json> recurring(store::Reports& store, const ReportRequest& request, const ReportContext& context)
{
    Period period = TRY(period_of(request.from, request.to, context.time_zone, context.now));
    Grouped grouped = TRY(group_period(store, period, request, context));
    return json{{"period", period_json(period)},
                {"previous_period", period_json(grouped.previous)},
                {"tickets", static_cast<long long>(grouped.tickets.size())},
                {"groups", recurring_json(grouped.groups, grouped.tickets)}};
}

Result<std::string> tickets_csv(store::Reports& store, const ReportRequest& request, const ReportContext& context)
{
    Period period = TRY(period_of(request.from, request.to, context.time_zone, context.now));
    store::ReportFilter filter = request.filter;
    filter.received_from = period.from;
    filter.received_to = period.to;
    filter.with_text = false;
    auto tickets = TRY(store.report_tickets(filter));
    std::string out =
        "number,received_at,kind,language,channel,department,severity,status,verdict,resolution_code,"
        "acknowledgement_s,first_response_s,resolution_s,first_response_deadline,resolution_deadline,rating\r\n";
    for (const auto& t : tickets) {
        std::vector<std::string> fields{t.number,
                                        format_iso8601_utc(t.received_at),
                                        std::string(to_string(t.kind)),
                                        t.language,
                                        t.channel,
                                        t.department,
                                        std::string(to_string(t.severity)),
                                        std::string(to_string(t.status)),
                                        t.verdict,
                                        t.resolution_code,
                                        span_or_empty(context, t.received_at, t.acknowledged_at),
                                        span_or_empty(context, t.received_at, t.first_responded_at),
                                        span_or_empty(context, t.received_at, t.resolved_at),
                                        outcome_text(first_response_outcome(t, context.now)),
                                        outcome_text(resolution_outcome(t, context.now)),
                                        t.rating ? std::to_string(*t.rating) : std::string()};
        for (std::size_t i = 0; i < fields.size(); ++i)
            out += (i ? "," : "") + csv_field(fields[i]);
        out += "\r\n";
    }
    return out;
}

}  // namespace redress::reports
