#include "alerts.hpp"

#include <algorithm>

namespace redress::sla {

std::string_view to_string(AlertLevel level)
{
    switch (level) {
    case AlertLevel::arrival:
        return "arrival";
    case AlertLevel::warning:
        return "warning";
    case AlertLevel::breach:
        return "breach";
    case AlertLevel::second_level:
        return "second_level";
    }
    return "?";
}

std::string_view to_string(AlertRecipient recipient)
{
    switch (recipient) {
    case AlertRecipient::owner:
        return "owner";
    case AlertRecipient::assignee:
        return "assignee";
    case AlertRecipient::second_level:
        return "second_level";
    }
    return "?";
}

AlertPlan plan_alerts(const DeadlineSet& set, TimePoint now)
{
    AlertPlan plan;
    auto consider = [&](Alert alert) {
        if (alert.at <= now) {
            plan.due.push_back(std::move(alert));
        } else if (!plan.next_at || alert.at < *plan.next_at) {
            plan.next_at = alert.at;
        }
    };
    if (set.owner_alert_at)
        consider(Alert{"arrival", AlertLevel::arrival, AlertRecipient::owner, std::nullopt, *set.owner_alert_at,
                       std::nullopt, "arrival"});
    for (auto& d : set.deadlines) {
        if (d.met_at || d.paused || !d.due)
            continue;
        auto make = [&](AlertLevel level, AlertRecipient to, TimePoint at) {
            return Alert{d.name, level, to, std::nullopt, at, d.due, d.key + ":" + std::string(to_string(level))};
        };
        if (d.warn_at && !(*d.due <= now))
            consider(make(AlertLevel::warning, AlertRecipient::assignee, *d.warn_at));
        consider(make(AlertLevel::breach, AlertRecipient::owner, *d.due));
        if (d.second_level_at && set.second_level) {
            Alert a = make(AlertLevel::second_level, AlertRecipient::second_level, *d.second_level_at);
            a.contact = set.second_level;
            consider(std::move(a));
        }
    }
    std::stable_sort(plan.due.begin(), plan.due.end(), [](auto& a, auto& b) { return a.at < b.at; });
    return plan;
}

}  // namespace redress::sla
