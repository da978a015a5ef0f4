#include "explain.hpp"

#include "alerts.hpp"

namespace redress::sla {

namespace {

std::string title(const Deadline& d)
{
    std::string t = d.name == "first_response" ? "First response" : d.name == "resolution" ? "Resolution" : d.name;
    if (d.round > 1)
        t += " (round " + std::to_string(d.round) + ")";
    return t;
}

std::string who(const Contact& c)
{
    std::string address = c.email.empty() ? c.chat : c.email;
    return c.name.empty() ? address : c.name + " <" + address + ">";
}

}  // namespace

std::string explain(const Settings& settings, const DeadlineSet& set, TimePoint now)
{
    const BusinessCalendar& cal = settings.calendar;
    std::string out;
    auto line = [&](const std::string& s) { out += s + "\n"; };

    line("Calendar:");
    for (auto& l : cal.describe())
        line("  " + l);
    if (!cal.always_open())
        line("  hours and minutes count business time only; whole days count business days and end at the same "
             "local time of day");
    line("Ticket:");
    for (auto& l : set.explanation)
        line("  " + l);

    auto plan = plan_alerts(set, now);
    auto sent_now = [&](const std::string& key) {
        for (auto& a : plan.due)
            if (a.key == key)
                return true;
        return false;
    };
    auto schedule = [&](const Deadline& d, const char* level, const std::string& to, std::optional<TimePoint> at) {
        if (!at)
            return;
        std::string key = d.key + ":" + level;
        line("  alert: " + std::string(level) + " to " + to + " at " + cal.format_local(*at) +
             (sent_now(key) ? " (due: sent once)"
              : *at <= now  ? " (not sent: no longer needed)"
                            : ""));
    };

    for (auto& d : set.deadlines) {
        line("");
        line(title(d) + ": target " + describe(d.target, cal));
        for (auto& s : d.steps)
            line("  " + s);
        std::string state;
        if (d.met_at)
            state = d.breached ? "met late" : "met";
        else if (d.paused)
            state = "paused while waiting for the customer, " + format_span(d.remaining_when_paused) +
                    " of business time left";
        else if (d.due && *d.due <= now)
            state = "BREACHED at " + cal.format_local(*d.due) + ", " + format_span(cal.between(*d.due, now)) +
                    " of business time ago";
        else if (d.due)
            state = "running: due " + cal.format_local(*d.due) + ", " + format_span(cal.between(now, *d.due)) +
                    " of business time left";
        line("  now (" + cal.format_local(now) + "): " + state);
        // Met and paused deadlines raise no alerts (alerts.hpp); the outbox keeps the ones already sent.
        if (!d.due || d.met_at || d.paused)
            continue;
        schedule(d, "warning", "the assignee", d.warn_at);
        schedule(d, "breach", "the owner", d.due);
        if (set.second_level)
            schedule(d, "second_level", who(*set.second_level), d.second_level_at);
    }
    if (set.owner_alert_at)
        line("\nMajor complaint: the owner is alerted at once, " + cal.format_local(*set.owner_alert_at));
    return out;
}

}  // namespace redress::sla
