#pragma once
// Which escalation alerts a ticket's deadlines call for at `now`, and when the next one comes.
//
//   arrival        a major complaint: to the owner at once (policy alert_owner_on_arrival)
//   warning        to the assignee, warn_before ahead of the deadline
//   breach         to the owner, at the deadline
//   second_level   to the policy's second level (e.g. the director), second_level_after past the deadline
//
// Pure and repeatable: every call returns every alert whose time has come, and the caller drops those it
// has already sent by their key (ticket id + key is unique in the outbox), so each alert goes out once
// per ticket, deadline and level. After downtime an overdue alert therefore fires once on start, not
// once per missed tick. A warning whose deadline has already passed is left out (the breach says more);
// a deadline that is met or paused raises nothing.

#include "deadlines.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::sla {

enum class AlertLevel { arrival, warning, breach, second_level };
enum class AlertRecipient { owner, assignee, second_level };
std::string_view to_string(AlertLevel level);
std::string_view to_string(AlertRecipient recipient);

struct Alert {
    std::string deadline;  // "first_response", "resolution", or "arrival"
    AlertLevel level = AlertLevel::breach;
    AlertRecipient recipient = AlertRecipient::owner;
    std::optional<Contact> contact;  // for the second level: whom to tell
    TimePoint at{};                  // when it is (or was) due to be sent
    std::optional<TimePoint> deadline_due;
    std::string key;  // "first_response:warning", "resolution#2:breach", "arrival": unique per ticket
};

struct AlertPlan {
    std::vector<Alert> due;            // at <= now, oldest first
    std::optional<TimePoint> next_at;  // the earliest alert after now: arm the timer for it
};

AlertPlan plan_alerts(const DeadlineSet& deadlines, TimePoint now);

}  // namespace redress::sla
