#include "figures.hpp"

#include "common/time.hpp"

#include <algorithm>
#include <array>
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

namespace {

// The figures of the period's tickets before they are written out, from either source.
struct Tally {
    std::map<std::string, long long> by_kind, by_language, by_channel, by_severity, by_department, codes;
    long long tickets = 0;
    std::vector<long long> volume;
    std::array<long long, store::k_report_spans> spans{};  // how many tickets have each span
    std::array<std::optional<std::int64_t>, store::k_report_spans> medians, p90s;
    DeadlineCount first_deadlines, resolution_deadlines;
    long long justified = 0, unjustified = 0, no_verdict = 0;
    long long surveyed = 0, surveyed_rated = 0, rated = 0, rating_sum = 0;
    std::map<std::string, long long> distribution{{"1", 0}, {"2", 0}, {"3", 0}, {"4", 0}, {"5", 0}};
};

json tally_json(const Tally& t, const std::vector<Bucket>& buckets, const Period& period, const ReportContext& context)
{
    json volume_json = json::array();
    for (std::size_t i = 0; i < buckets.size(); ++i)
        volume_json.push_back(json{{"from", buckets[i].label}, {"tickets", t.volume[i]}});

    long long kept = t.first_deadlines.kept + t.resolution_deadlines.kept;
    long long missed = t.first_deadlines.missed + t.resolution_deadlines.missed;
    json out;
    out["period"] = json{{"from", period.from_date},
                         {"to", period.to_date},
                         {"days", period.days},
                         {"time_zone", context.time_zone},
                         {"business_time", context.calendar.has_value() && !context.calendar->always_open()}};
    out["tickets"] = t.tickets;
    out["by_kind"] = t.by_kind;
    out["by_language"] = t.by_language;
    out["by_channel"] = t.by_channel;
    out["by_severity"] = t.by_severity;
    out["by_department"] = t.by_department;
    out["volume"] = json{{"unit", bucket_unit(period)}, {"buckets", volume_json}};
    out["acknowledged"] = t.spans[0];
    out["acknowledgement_median_s"] = or_null(t.medians[0]);
    out["acknowledgement_p90_s"] = or_null(t.p90s[0]);
    out["first_responded"] = t.spans[1];
    out["first_response_median_s"] = or_null(t.medians[1]);
    out["first_response_p90_s"] = or_null(t.p90s[1]);
    out["resolved"] = t.spans[2];
    out["resolution_median_s"] = or_null(t.medians[2]);
    out["resolution_p90_s"] = or_null(t.p90s[2]);
    out["deadlines"] = json{{"kept", kept},
                            {"missed", missed},
                            {"pending", t.first_deadlines.pending + t.resolution_deadlines.pending},
                            {"first_response", t.first_deadlines.to_json()},
                            {"resolution", t.resolution_deadlines.to_json()}};
    out["deadlines_kept_share"] = share(kept, kept + missed);
    out["verdicts"] = json{{"justified", t.justified}, {"unjustified", t.unjustified}, {"none", t.no_verdict}};
    out["justified_share"] = share(t.justified, t.justified + t.unjustified);
    out["resolution_codes"] = t.codes;
    out["satisfaction_avg"] =
        t.rated > 0 ? json(static_cast<double>(t.rating_sum) / static_cast<double>(t.rated)) : json(nullptr);
    out["satisfaction_distribution"] = t.distribution;
    out["satisfaction_responses"] = t.rated;
    out["surveyed"] = t.surveyed;
    out["satisfaction_response_rate"] = share(t.surveyed_rated, t.surveyed);
    return out;
}

// The nearest-rank 90th percentile's index (from 0) among n sorted values: ceil(0.9 n) - 1.
long long p90_rank(long long n)
{
    return (9 * n + 9) / 10 - 1;
}

store::ReportDeadline deadline_state(const std::optional<TimePoint>& due, const std::optional<TimePoint>& met)
{
    if (!due)
        return store::ReportDeadline::none;
    if (met)
        return *met <= *due ? store::ReportDeadline::kept : store::ReportDeadline::late;
    return store::ReportDeadline::unmet;
}

}  // namespace

json ticket_figures(const std::vector<store::ReportTicket>& tickets, const Period& period, const ReportContext& context)
{
    Tally tally;
    std::array<std::vector<std::int64_t>, store::k_report_spans> spans;
    auto buckets = buckets_of(period, context.time_zone);
    tally.volume.assign(buckets.size(), 0);

    for (const auto& t : tickets) {
        ++tally.tickets;
        ++tally.by_kind[std::string(to_string(t.kind))];
        ++tally.by_language[or_none(t.language)];
        ++tally.by_channel[or_none(t.channel)];
        ++tally.by_severity[std::string(to_string(t.severity))];
        ++tally.by_department[or_none(t.department)];
        if (!t.resolution_code.empty())
            ++tally.codes[t.resolution_code];
        // The bucket whose start is the last one at or before the ticket's arrival.
        auto it = std::upper_bound(buckets.begin(), buckets.end(), t.received_at,
                                   [](TimePoint at, const Bucket& b) { return at < b.from; });
        if (it != buckets.begin())
            ++tally.volume[static_cast<std::size_t>(it - buckets.begin() - 1)];
        if (t.acknowledged_at)
            spans[0].push_back(span_seconds(context, t.received_at, *t.acknowledged_at));
        if (t.first_responded_at)
            spans[1].push_back(span_seconds(context, t.received_at, *t.first_responded_at));
        if (t.resolved_at)
            spans[2].push_back(span_seconds(context, t.received_at, *t.resolved_at));
        tally.first_deadlines.add(first_response_outcome(t, context.now));
        tally.resolution_deadlines.add(resolution_outcome(t, context.now));
        if (t.verdict == "justified")
            ++tally.justified;
        else if (t.verdict == "unjustified")
            ++tally.unjustified;
        else
            ++tally.no_verdict;
        if (t.surveyed)
            ++tally.surveyed;
        if (t.rating) {
            ++tally.rated;
            tally.rating_sum += *t.rating;
            ++tally.distribution[std::to_string(*t.rating)];
            if (t.surveyed)
                ++tally.surveyed_rated;
        }
    }
    for (std::size_t i = 0; i < spans.size(); ++i) {
        tally.spans[i] = static_cast<long long>(spans[i].size());
        tally.medians[i] = median(spans[i]);
        tally.p90s[i] = percentile90(spans[i]);
    }
    return tally_json(tally, buckets, period, context);
}

store::ReportDeadline first_response_state(const store::ReportTicket& t)
{
    // The resolution (or sign-off) meets an unmet first response too (docs/deadlines.md).
    return deadline_state(t.first_response_due, earliest({t.first_responded_at, t.resolved_at, t.closed_at}));
}

store::ReportDeadline resolution_state(const store::ReportTicket& t)
{
    return deadline_state(t.resolution_due, earliest({t.resolved_at, t.closed_at}));
}

store::ReportAggregation aggregation_of(const ReportContext& context)
{
    std::string key = "2;" + context.time_zone + ";";
    if (context.calendar) {
        for (const auto& line : context.calendar->describe())
            key += line + ";";
    } else {
        key += "plain time";
    }
    ReportContext spans = context;
    LocalDays days(context.time_zone);
    return store::ReportAggregation{key, [spans, days](const store::ReportTicket& t) {
                                        store::ReportFacts f;
                                        f.day = days.of(t.received_at);
                                        if (t.acknowledged_at)
                                            f.acknowledgement_s =
                                                span_seconds(spans, t.received_at, *t.acknowledged_at);
                                        if (t.first_responded_at)
                                            f.first_response_s =
                                                span_seconds(spans, t.received_at, *t.first_responded_at);
                                        if (t.resolved_at)
                                            f.resolution_s = span_seconds(spans, t.received_at, *t.resolved_at);
                                        f.first_response = first_response_state(t);
                                        f.resolution = resolution_state(t);
                                        return f;
                                    }};
}

Result<json> aggregate_figures(store::Reports& store, const store::ReportFilter& filter, const Period& period,
                               const ReportContext& context)
{
    store::ReportSumsRequest request;
    request.filter = filter;
    request.first_day = day_number(period.from_date);
    request.last_day = day_number(period.to_date);
    request.now = context.now;
    // The ranks of the median (the middle one or two) and of the p90, from 0.
    request.ranks = [](long long n) {
        std::vector<long long> ranks{n / 2, p90_rank(n)};
        if (n % 2 == 0)
            ranks.push_back(n / 2 - 1);
        return ranks;
    };
    auto sums = TRY(store.report_sums(request));
    if (context.timed)
        for (const auto& [part, seconds] : sums.timings)
            context.timed("figures: " + part, seconds);

    Tally tally;
    for (const auto& g : sums.groups) {
        tally.tickets += g.tickets;
        tally.by_kind[std::string(to_string(g.kind))] += g.tickets;
        tally.by_language[or_none(g.language)] += g.tickets;
        tally.by_channel[or_none(g.channel)] += g.tickets;
        tally.by_severity[std::string(to_string(g.severity))] += g.tickets;
        tally.by_department[or_none(g.department)] += g.tickets;
    }
    tally.codes = sums.codes;
    auto buckets = buckets_of(period, context.time_zone);
    tally.volume.assign(buckets.size(), 0);
    LocalDays days(context.time_zone);
    std::vector<std::int32_t> starts;
    starts.reserve(buckets.size());
    for (const auto& b : buckets)
        starts.push_back(days.of(b.from));
    for (auto [day, n] : sums.days) {
        auto it = std::upper_bound(starts.begin(), starts.end(), day);
        if (it != starts.begin())
            tally.volume[static_cast<std::size_t>(it - starts.begin() - 1)] += n;
    }
    for (std::size_t i = 0; i < sums.span_counts.size(); ++i) {
        long long n = sums.span_counts[i];
        tally.spans[i] = n;
        if (n == 0)
            continue;
        const auto& at = sums.spans_at_rank[i];
        auto nth = [&](long long k) -> Result<std::int64_t> {
            auto it = at.find(k);
            if (it == at.end())
                return make_error(ErrorKind::failed, "reports.span",
                                  "the store did not read rank " + std::to_string(k));
            return it->second;
        };
        // The same definitions as median() and percentile90().
        if (n % 2 == 1) {
            tally.medians[i] = TRY(nth(n / 2));
        } else {
            std::int64_t low = TRY(nth(n / 2 - 1));
            std::int64_t high = TRY(nth(n / 2));
            tally.medians[i] = low + (high - low) / 2;
        }
        tally.p90s[i] = TRY(nth(p90_rank(n)));
    }
    tally.first_deadlines.kept = sums.first_response_kept;
    tally.first_deadlines.missed = sums.first_response_missed;
    tally.first_deadlines.pending = sums.first_response_pending;
    tally.resolution_deadlines.kept = sums.resolution_kept;
    tally.resolution_deadlines.missed = sums.resolution_missed;
    tally.resolution_deadlines.pending = sums.resolution_pending;
    tally.justified = sums.justified;
    tally.unjustified = sums.unjustified;
    tally.no_verdict = tally.tickets - sums.justified - sums.unjustified;
    tally.surveyed = sums.surveyed;
    tally.surveyed_rated = sums.surveyed_rated;
    tally.rated = sums.rated;
    tally.rating_sum = sums.rating_sum;
    for (std::size_t i = 0; i < sums.ratings.size(); ++i)
        tally.distribution[std::to_string(i + 1)] = sums.ratings[i];
    return tally_json(tally, buckets, period, context);
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
