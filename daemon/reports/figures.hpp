#pragma once
// The figures of a report, computed from rows the store read (pure: no database, no clock; `now`
// and the calendar come in). Definitions, so that anyone can count them again:
//
//   * durations run from the ticket's arrival (received_at) to the first acknowledgement
//     (clock.acknowledged), the first human response, and the resolution; in business time when
//     the SLA calendar has opening hours (sla::BusinessCalendar::between), else plain time.
//   * median: the middle value, or the mean of the two middle values (rounded down); p90: the
//     nearest-rank 90th percentile (the value at position ceil(0.9 n) of the sorted list).
//   * a deadline is kept when it was met (first response: a response, or the resolution, at or
//     before it; resolution: resolved or closed at or before it), missed when it was met late or
//     has passed unmet at `now`, and pending otherwise; the kept share counts kept / (kept + missed).
//   * justified share: justified / (justified + unjustified).
//   * satisfaction: the newest rating of each rated ticket; the response rate is the surveyed
//     tickets that were rated over the surveyed tickets.
// A figure with no data is null.

#include "period.hpp"
#include "recurring.hpp"
#include "sla/business_calendar.hpp"
#include "store/store.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace redress::reports {

struct ReportContext {
    std::optional<sla::BusinessCalendar> calendar;  // none: plain time
    std::string time_zone = "UTC";                  // the company's, for dates
    TimePoint now{};
    RecurringOptions recurring;
    // Recurring problems are looked for among the newest this many tickets of the period (and of the
    // previous period), so a summary over years does not read every text (docs/reports.md).
    int recurring_newest = 2000;
    // The windows before and after a process action was done (equal, and cut to `now`).
    Seconds fix_window{28 * 24 * 3600};
    // An after-window shorter than this says nothing yet.
    Seconds fix_window_min{7 * 24 * 3600};
    // While the aggregates are rebuilt (a new zone or calendar), a summary brings in at most this many
    // tickets of the rebuild itself, then answers reports.rebuilding (transient) if it is not done;
    // negative: it finishes the rebuild first (the command line, where nobody else may).
    long long rebuild_wait_tickets = 5000;
    // When set, told how long each part of a summary took (the benchmark's --parts).
    std::function<void(const std::string& part, double seconds)> timed;
};

std::optional<std::int64_t> median(std::vector<std::int64_t> values);
std::optional<std::int64_t> percentile90(std::vector<std::int64_t> values);

// Business seconds (or plain ones without a calendar) from `from` to `to`; 0 when to <= from.
std::int64_t span_seconds(const ReportContext& context, TimePoint from, TimePoint to);

enum class DeadlineOutcome { none, kept, missed, pending };
DeadlineOutcome first_response_outcome(const store::ReportTicket& t, TimePoint now);
DeadlineOutcome resolution_outcome(const store::ReportTicket& t, TimePoint now);

// The figures of the period's tickets (no recurring problems, no actions): every key of the
// summary that comes from the tickets alone, counted over the tickets read one by one (the full scan).
nlohmann::json ticket_figures(const std::vector<store::ReportTicket>& tickets, const Period& period,
                              const ReportContext& context);

// The same figures from the store's aggregates (store::Reports::report_sums), after
// prepare_report_aggregates(aggregation_of(context)): counts summed per month and day, medians and
// p90s found in the span histograms and read exactly from the store.
Result<nlohmann::json> aggregate_figures(store::Reports& store, const store::ReportFilter& filter, const Period& period,
                                         const ReportContext& context);

// What the aggregates keep of a ticket under this context's zone and calendar (the same spans and
// deadline rules as ticket_figures), and the key that tells a change of either.
store::ReportAggregation aggregation_of(const ReportContext& context);
store::ReportDeadline first_response_state(const store::ReportTicket& t);
store::ReportDeadline resolution_state(const store::ReportTicket& t);

// The open corrective actions and their age at `now`.
nlohmann::json open_actions_json(const std::vector<store::ReportAction>& actions, const ReportContext& context);

// Whether a process fix worked: for each process action done whose windows meet the period, the
// complaints of its problem (its ticket's recurring group, by term) and of its resolution code in
// equal windows before and after the day it was done. `pool` holds the tickets (with text) of
// every window, oldest first.
struct FixCheck {
    store::ReportAction action;
    std::string term;  // empty: no recurring problem found for its ticket
    std::string name;
    std::int64_t window_s = 0;
    int before = 0;
    int after = 0;
    int code_before = 0;
    int code_after = 0;
    std::string verdict;  // "worked", "keeps_coming", "too_early", "no_problem_found"
    bool keeps_coming = false;
};
std::vector<FixCheck> check_fixes(const std::vector<store::ReportAction>& actions,
                                  const std::vector<store::ReportTicket>& pool, const Period& period,
                                  const ReportContext& context);
nlohmann::json fixes_json(const std::vector<FixCheck>& checks);

nlohmann::json recurring_json(const std::vector<RecurringGroup>& groups,
                              const std::vector<store::ReportTicket>& tickets);

}  // namespace redress::reports
