#include "figures.hpp"

#include "common/time.hpp"

#include <algorithm>
#include <map>

namespace redress::reports {

using nlohmann::json;

namespace {

json or_null(const std::optional<std::int64_t>& v)
{
    return v ? json(*v) : json(nullptr);
}

json share(long long part, long long whole)
{
    return whole > 0 ? json(static_cast<double>(part) / static_cast<double>(whole)) : json(nullptr);
}

std::string or_none(const std::string& value)
{
    return value.empty() ? "none" : value;
}

struct DeadlineCount {
    long long kept = 0, missed = 0, pending = 0;
    void add(DeadlineOutcome o)
    {
        if (o == DeadlineOutcome::kept)
            ++kept;
        else if (o == DeadlineOutcome::missed)
            ++missed;
        else if (o == DeadlineOutcome::pending)
            ++pending;
    }
    json to_json() const
    {
        return json{
            {"kept", kept}, {"missed", missed}, {"pending", pending}, {"kept_share", share(kept, kept + missed)}};
    }
};

std::optional<TimePoint> earliest(std::initializer_list<std::optional<TimePoint>> times)
{
    std::optional<TimePoint> out;
    for (const auto& t : times)
        if (t && (!out || *t < *out))
            out = t;
    return out;
}

DeadlineOutcome outcome(const std::optional<TimePoint>& due, const std::optional<TimePoint>& met, TimePoint now)
{
    if (!due)
        return DeadlineOutcome::none;
    if (met)
        return *met <= *due ? DeadlineOutcome::kept : DeadlineOutcome::missed;
    return now > *due ? DeadlineOutcome::missed : DeadlineOutcome::pending;
}

bool in_pool_kind(Kind kind)
{
    return kind != Kind::spam && kind != Kind::automatic;
}

}  // namespace

std::optional<std::int64_t> median(std::vector<std::int64_t> values)
{
    if (values.empty())
        return std::nullopt;
    std::sort(values.begin(), values.end());
    std::size_t n = values.size();
    if (n % 2 == 1)
        return values[n / 2];
    // The mean of the two middle values, rounded down (both are whole seconds).
    return values[n / 2 - 1] + (values[n / 2] - values[n / 2 - 1]) / 2;
}

std::optional<std::int64_t> percentile90(std::vector<std::int64_t> values)
{
    if (values.empty())
        return std::nullopt;
    std::sort(values.begin(), values.end());
    std::size_t rank = (9 * values.size() + 9) / 10;  // ceil(0.9 n), at least 1
    return values[rank - 1];
}

std::int64_t span_seconds(const ReportContext& context, TimePoint from, TimePoint to)
{
    if (to <= from)
        return 0;
    if (context.calendar)
        return context.calendar->between(from, to).count();
    return (to - from).count();
}

DeadlineOutcome first_response_outcome(const store::ReportTicket& t, TimePoint now)
{
    // The resolution (or sign-off) meets an unmet first response too (docs/deadlines.md).
    return outcome(t.first_response_due, earliest({t.first_responded_at, t.resolved_at, t.closed_at}), now);
}

DeadlineOutcome resolution_outcome(const store::ReportTicket& t, TimePoint now)
{
    return outcome(t.resolution_due, earliest({t.resolved_at, t.closed_at}), now);
}

json ticket_figures(const std::vector<store::ReportTicket>& tickets, const Period& period, const ReportContext& context)
{
    std::map<std::string, long long> by_kind, by_language, by_channel, by_severity, by_department, codes;
    std::vector<std::int64_t> acknowledgement, first_response, resolution;
    DeadlineCount first_deadlines, resolution_deadlines;
    long long justified = 0, unjustified = 0, no_verdict = 0;
    long long surveyed = 0, surveyed_rated = 0, rated = 0, rating_sum = 0;
    std::map<std::string, long long> distribution{{"1", 0}, {"2", 0}, {"3", 0}, {"4", 0}, {"5", 0}};

    auto buckets = buckets_of(period, context.time_zone);
    std::vector<long long> volume(buckets.size(), 0);

    for (const auto& t : tickets) {
        ++by_kind[std::string(to_string(t.kind))];
        ++by_language[or_none(t.language)];
        ++by_channel[or_none(t.channel)];
        ++by_severity[std::string(to_string(t.severity))];
        ++by_department[or_none(t.department)];
        if (!t.resolution_code.empty())
            ++codes[t.resolution_code];
        // The bucket whose start is the last one at or before the ticket's arrival.
        auto it = std::upper_bound(buckets.begin(), buckets.end(), t.received_at,
                                   [](TimePoint at, const Bucket& b) { return at < b.from; });
        if (it != buckets.begin())
            ++volume[static_cast<std::size_t>(it - buckets.begin() - 1)];
        if (t.acknowledged_at)
            acknowledgement.push_back(span_seconds(context, t.received_at, *t.acknowledged_at));
        if (t.first_responded_at)
            first_response.push_back(span_seconds(context, t.received_at, *t.first_responded_at));
        if (t.resolved_at)
            resolution.push_back(span_seconds(context, t.received_at, *t.resolved_at));
        first_deadlines.add(first_response_outcome(t, context.now));
        resolution_deadlines.add(resolution_outcome(t, context.now));
        if (t.verdict == "justified")
            ++justified;
        else if (t.verdict == "unjustified")
            ++unjustified;
        else
            ++no_verdict;
        if (t.surveyed)
            ++surveyed;
        if (t.rating) {
            ++rated;
            rating_sum += *t.rating;
            ++distribution[std::to_string(*t.rating)];
            if (t.surveyed)
                ++surveyed_rated;
        }
    }

    json volume_json = json::array();
    for (std::size_t i = 0; i < buckets.size(); ++i)
        volume_json.push_back(json{{"from", buckets[i].label}, {"tickets", volume[i]}});

    long long kept = first_deadlines.kept + resolution_deadlines.kept;
    long long missed = first_deadlines.missed + resolution_deadlines.missed;
    json out;
    out["period"] = json{{"from", period.from_date},
                         {"to", period.to_date},
                         {"days", period.days},
                         {"time_zone", context.time_zone},
                         {"business_time", context.calendar.has_value() && !context.calendar->always_open()}};
    out["tickets"] = static_cast<long long>(tickets.size());
    out["by_kind"] = by_kind;
    out["by_language"] = by_language;
    out["by_channel"] = by_channel;
    out["by_severity"] = by_severity;
    out["by_department"] = by_department;
    out["volume"] = json{{"unit", bucket_unit(period)}, {"buckets", volume_json}};
    out["acknowledged"] = static_cast<long long>(acknowledgement.size());
    out["acknowledgement_median_s"] = or_null(median(acknowledgement));
    out["acknowledgement_p90_s"] = or_null(percentile90(acknowledgement));
    out["first_responded"] = static_cast<long long>(first_response.size());
    out["first_response_median_s"] = or_null(median(first_response));
    out["first_response_p90_s"] = or_null(percentile90(first_response));
    out["resolved"] = static_cast<long long>(resolution.size());
    out["resolution_median_s"] = or_null(median(resolution));
    out["resolution_p90_s"] = or_null(percentile90(resolution));
    out["deadlines"] = json{{"kept", kept},
                            {"missed", missed},
                            {"pending", first_deadlines.pending + resolution_deadlines.pending},
                            {"first_response", first_deadlines.to_json()},
                            {"resolution", resolution_deadlines.to_json()}};
    out["deadlines_kept_share"] = share(kept, kept + missed);
    out["verdicts"] = json{{"justified", justified}, {"unjustified", unjustified}, {"none", no_verdict}};
    out["justified_share"] = share(justified, justified + unjustified);
    out["resolution_codes"] = codes;
    out["satisfaction_avg"] =
        rated > 0 ? json(static_cast<double>(rating_sum) / static_cast<double>(rated)) : json(nullptr);
    out["satisfaction_distribution"] = distribution;
    out["satisfaction_responses"] = rated;
    out["surveyed"] = surveyed;
    out["satisfaction_response_rate"] = share(surveyed_rated, surveyed);
    return out;
}

json open_actions_json(const std::vector<store::ReportAction>& actions, const ReportContext& context)
{
    std::vector<std::int64_t> ages;
    long long overdue = 0;
    json items = json::array();
    for (const auto& a : actions) {
        if (a.action.state != ActionState::open)
            continue;
        std::int64_t age = std::max<std::int64_t>(0, (context.now - a.action.created_at).count());
        ages.push_back(age);
        bool late = a.action.due < context.now;
        overdue += late ? 1 : 0;
        items.push_back(json{{"id", a.action.id},
                             {"ticket", a.number},
                             {"for", to_string(a.action.target)},
                             {"text", a.action.text},
                             {"responsible", a.action.responsible},
                             {"due", format_iso8601_utc(a.action.due)},
                             {"overdue", late},
                             {"age_s", age}});
    }
    std::optional<std::int64_t> oldest;
    if (!ages.empty())
        oldest = *std::max_element(ages.begin(), ages.end());
    return json{{"count", static_cast<long long>(ages.size())},
                {"overdue", overdue},
                {"median_age_s", or_null(median(ages))},
                {"oldest_age_s", or_null(oldest)},
                {"items", items}};
}

std::vector<FixCheck> check_fixes(const std::vector<store::ReportAction>& actions,
                                  const std::vector<store::ReportTicket>& pool, const Period& period,
                                  const ReportContext& context)
{
    std::vector<TicketTerms> terms;
    terms.reserve(pool.size());
    for (const auto& t : pool)
        terms.push_back(terms_of(t.language, t.subject, t.text));
    auto index_of_ticket = [&](const std::string& number) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < pool.size(); ++i)
            if (pool[i].number == number)
                return i;
        return std::nullopt;
    };

    std::vector<FixCheck> out;
    for (const auto& a : actions) {
        if (a.action.target != ActionFor::process || !a.action.done_at)
            continue;
        TimePoint done = *a.action.done_at;
        // Only the fixes whose windows meet the period.
        if (done >= period.to || done + context.fix_window <= period.from)
            continue;
        FixCheck c;
        c.action = a;
        Seconds window = std::min(context.fix_window, std::max(Seconds{0}, context.now - done));
        c.window_s = window.count();
        TimePoint before_from = done - window, after_to = done + window;

        std::vector<TicketTerms> before_window, after_window;
        for (std::size_t i = 0; i < pool.size(); ++i) {
            if (!in_pool_kind(pool[i].kind))
                continue;
            if (pool[i].received_at >= done - context.fix_window && pool[i].received_at < done)
                before_window.push_back(terms[i]);
            else if (pool[i].received_at >= done && pool[i].received_at < after_to)
                after_window.push_back(terms[i]);
        }
        if (auto own = index_of_ticket(a.number)) {
            c.term = problem_term(terms[*own], before_window, after_window, context.recurring);
            if (!c.term.empty()) {
                auto it = terms[*own].surfaces.find(c.term);
                c.name = it != terms[*own].surfaces.end() ? it->second : c.term;
            }
        }
        for (std::size_t i = 0; i < pool.size(); ++i) {
            const auto& t = pool[i];
            if (!in_pool_kind(t.kind))
                continue;
            bool before = t.received_at >= before_from && t.received_at < done;
            bool after = t.received_at >= done && t.received_at < after_to;
            if (!before && !after)
                continue;
            if (!c.term.empty() && has_term(terms[i], c.term))
                (before ? c.before : c.after) += 1;
            if (!a.resolution_code.empty() && t.resolution_code == a.resolution_code)
                (before ? c.code_before : c.code_after) += 1;
        }
        if (window < context.fix_window_min) {
            c.verdict = "too_early";
        } else if (c.term.empty() && a.resolution_code.empty()) {
            c.verdict = "no_problem_found";
        } else {
            int before = c.term.empty() ? c.code_before : c.before;
            int after = c.term.empty() ? c.code_after : c.after;
            // Worked: the problem came less than half as often after the fix as before it.
            c.keeps_coming = 2 * after >= before && after > 0;
            c.verdict = c.keeps_coming ? "keeps_coming" : "worked";
        }
        out.push_back(std::move(c));
    }
    // The fixes that did not work first: the owner acts on those.
    std::stable_sort(out.begin(), out.end(),
                     [](const FixCheck& x, const FixCheck& y) { return x.keeps_coming && !y.keeps_coming; });
    return out;
}

json fixes_json(const std::vector<FixCheck>& checks)
{
    json out = json::array();
    for (const auto& c : checks) {
        json code = nullptr;
        if (!c.action.resolution_code.empty())
            code = json{{"code", c.action.resolution_code}, {"before", c.code_before}, {"after", c.code_after}};
        out.push_back(json{{"id", c.action.action.id},
                           {"ticket", c.action.number},
                           {"text", c.action.action.text},
                           {"responsible", c.action.action.responsible},
                           {"state", to_string(c.action.action.state)},
                           {"done_at", format_iso8601_utc(*c.action.action.done_at)},
                           {"problem", c.name.empty() ? json(nullptr) : json(c.name)},
                           {"term", c.term.empty() ? json(nullptr) : json(c.term)},
                           {"window_s", c.window_s},
                           {"before", c.before},
                           {"after", c.after},
                           {"resolution_code", code},
                           {"verdict", c.verdict},
                           {"keeps_coming", c.keeps_coming}});
    }
    return out;
}

json recurring_json(const std::vector<RecurringGroup>& groups, const std::vector<store::ReportTicket>& tickets)
{
    json out = json::array();
    for (const auto& g : groups) {
        json numbers = json::array();
        for (std::size_t i : g.tickets)
            numbers.push_back(tickets[i].number);
        out.push_back(json{{"name", g.name},
                           {"term", g.term},
                           {"size", g.size},
                           {"previous", g.previous},
                           {"change", g.change},
                           {"rising", g.rising},
                           {"languages", g.languages},
                           {"tickets", numbers}});
    }
    return out;
}

}  // namespace redress::reports
