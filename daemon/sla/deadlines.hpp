#pragma once
// Deadlines of one ticket, computed from its history and an injected `now`. Pure: the caller rebuilds
// the history from the store and calls compute_deadlines after every change; the result is what the
// ticket stores (first_response_due, resolution_due) and what the scheduler plans alerts from.
//
// The rules, in the order events happen:
//   opened                 both clocks start; targets from the policy that matches the ticket now.
//   acknowledged           the automatic acknowledgement: recorded, never counts as a first response.
//   first_response         the first human answer meets the first-response deadline (later ones do nothing).
//   waiting_for_customer   running deadlines pause and keep the business time they had left. A deadline
//                          already past due does not pause: a breach stays a breach.
//   customer_replied       paused deadlines resume: due = now + the business time left, so the deadline
//                          moves by exactly the business time spent waiting. On a resolved or closed
//                          ticket the reply reopens it (as `reopened`).
//   resolved, closed       meet the resolution deadline; they also meet an unmet first response, since the
//                          resolution letter is a human answer.
//   reopened               a new round of the resolution deadline with the full target from the reopening
//                          ("resolution#2"); the first response is not owed again.
//   reclassified           recorded for the explanation and for the owner's alert on a major complaint;
//                          the policy is always the one that matches the classification passed in, and
//                          its targets count from the opening, as if it had applied from the start.
// Events later than `now` are ignored.

#include "business_duration.hpp"
#include "policy.hpp"
#include "settings.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::sla {

enum class ClockEventType {
    opened,
    acknowledged,
    first_response,
    waiting_for_customer,
    customer_replied,
    resolved,
    reopened,
    closed,
    reclassified
};
std::string_view to_string(ClockEventType type);

struct ClockEvent {
    TimePoint at{};
    ClockEventType type = ClockEventType::opened;
    // For opened and reclassified: the classification from this event on. An opened event without
    // them takes the classification passed to compute_deadlines.
    std::optional<Kind> kind;
    std::optional<Severity> severity;
};

// One stretch of waiting for the customer.
struct Pause {
    TimePoint from{};
    std::optional<TimePoint> to;  // nullopt while still waiting
    Seconds business{0};          // business time inside the pause (so far, for an open pause: up to now)
};

struct Deadline {
    std::string name;  // "first_response" | "resolution"
    int round = 1;     // resolution: 2, 3, ... after reopenings
    std::string key;   // stable part of alert keys: "first_response", "resolution", "resolution#2"
    BusinessDuration target;
    TimePoint started_at{};
    std::optional<TimePoint> due;              // nullopt while paused
    std::optional<TimePoint> warn_at;          // warning to the assignee; nullopt when none applies
    std::optional<TimePoint> second_level_at;  // second escalation level, if the policy has one
    std::optional<TimePoint> met_at;
    bool paused = false;
    Seconds remaining_when_paused{0};  // business time left, while paused
    bool breached = false;             // met after due, or not met and due <= now
    std::vector<Pause> pauses;
    std::vector<std::string> steps;  // how it was computed, for explain()
};

struct DeadlineSet {
    std::string policy_name;  // empty when no policy matches: then there are no deadlines
    std::string policy_match;
    std::optional<TimePoint> owner_alert_at;  // a major complaint: the owner hears at once
    std::optional<Contact> second_level;
    std::vector<Deadline> deadlines;
    std::vector<std::string> explanation;  // about the ticket as a whole

    const Deadline* find(std::string_view name) const;
    // What the ticket stores: the due time, or nullopt (no such deadline, or paused).
    std::optional<TimePoint> due(std::string_view name) const;
};

DeadlineSet compute_deadlines(const Settings& settings, Kind kind, Severity severity, std::string_view channel,
                              const std::vector<ClockEvent>& history, TimePoint now);

}  // namespace redress::sla
