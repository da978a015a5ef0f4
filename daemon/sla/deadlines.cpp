#include "deadlines.hpp"

#include <algorithm>

namespace redress::sla {

namespace {

struct Clock {
    const Settings& settings;
    const Policy& policy;
    DeadlineSet& set;
    TimePoint now;
    bool ticket_resolved = false;

    const BusinessCalendar& calendar() const { return settings.calendar; }
    std::string at(TimePoint t) const { return calendar().format_local(t); }

    void start(Deadline& d, TimePoint t, const std::string& why)
    {
        d.started_at = t;
        d.due = add_duration(calendar(), t, d.target);
        d.met_at.reset();
        d.paused = false;
        d.pauses.clear();
        d.steps.push_back(at(t) + "  clock started (" + why + ")");
        TimePoint counted_from = calendar().next_open(t);
        if (counted_from != t)
            d.steps.push_back("      closed then: the clock runs from the next opening, " + at(counted_from));
        d.steps.push_back("      due " + at(*d.due) + " = " + describe(d.target, calendar()) + " after the start");
        if (!calendar().always_open())
            d.steps.push_back("      business time: " + calendar().breakdown(t, *d.due));
    }

    static bool running(const Deadline& d) { return !d.met_at && !d.paused; }

    void meet(Deadline& d, TimePoint t, const std::string& why)
    {
        if (d.met_at)
            return;
        if (d.paused) {
            // Met while waiting for the customer: in time by definition; the due time is where the
            // deadline would have stood had the clock resumed now.
            resume_record(d, t);
            d.due = calendar().add(t, d.remaining_when_paused);
            d.remaining_when_paused = Seconds{0};
            d.paused = false;
        }
        d.met_at = t;
        std::string verdict =
            t <= *d.due
                ? "in time, " + format_span(calendar().between(t, *d.due)) + " of business time to spare"
                : "late, " + format_span(calendar().between(*d.due, t)) + " of business time after the deadline";
        d.steps.push_back(at(t) + "  met (" + why + "): " + verdict);
    }

    void pause(Deadline& d, TimePoint t)
    {
        if (!running(d))
            return;
        if (*d.due <= t) {
            d.steps.push_back(at(t) + "  waiting for the customer, but the deadline had already passed: it stays "
                                      "breached and does not pause");
            return;
        }
        d.remaining_when_paused = calendar().between(t, *d.due);
        d.paused = true;
        d.due.reset();
        d.pauses.push_back(Pause{t, std::nullopt, Seconds{0}});
        d.steps.push_back(at(t) + "  paused: waiting for the customer, " + format_span(d.remaining_when_paused) +
                          " of business time left");
    }

    void resume_record(Deadline& d, TimePoint t)
    {
        if (d.pauses.empty() || d.pauses.back().to)
            return;
        Pause& p = d.pauses.back();
        p.to = t;
        p.business = calendar().between(p.from, t);
    }

    void resume(Deadline& d, TimePoint t)
    {
        if (!d.paused || d.met_at)
            return;
        resume_record(d, t);
        d.paused = false;
        d.due = calendar().add(t, d.remaining_when_paused);
        d.steps.push_back(at(t) + "  resumed: the customer replied after " + format_span(d.pauses.back().business) +
                          " of business time; due moves to " + at(*d.due));
        d.remaining_when_paused = Seconds{0};
    }

    Deadline* find(const char* name)
    {
        for (auto& d : set.deadlines)
            if (d.name == name)
                return &d;
        return nullptr;
    }

    void reopen(TimePoint t, const char* why)
    {
        if (!ticket_resolved) {
            return;
        }
        ticket_resolved = false;
        set.explanation.push_back(at(t) + "  reopened (" + std::string(why) + ")");
        if (Deadline* d = find("resolution")) {
            ++d->round;
            d->key = "resolution#" + std::to_string(d->round);
            d->steps.push_back(at(t) + "  reopened (" + std::string(why) + "): round " + std::to_string(d->round) +
                               " with the full target");
            start(*d, t, "reopened");
        }
    }

    void apply(const ClockEvent& e)
    {
        Deadline* first = find("first_response");
        Deadline* resolution = find("resolution");
        switch (e.type) {
        case ClockEventType::opened:
            break;  // handled before the loop; a second "opened" means nothing new
        case ClockEventType::acknowledged:
            if (first && !first->met_at)
                first->steps.push_back(at(e.at) +
                                       "  automatic acknowledgement sent: it does not count as the first response");
            break;
        case ClockEventType::first_response:
            if (first)
                meet(*first, e.at, "first human answer");
            break;
        case ClockEventType::waiting_for_customer:
            if (ticket_resolved)
                break;
            for (auto& d : set.deadlines)
                pause(d, e.at);
            break;
        case ClockEventType::customer_replied:
            if (ticket_resolved) {
                reopen(e.at, "the customer replied to a resolved ticket");
                break;
            }
            for (auto& d : set.deadlines)
                resume(d, e.at);
            break;
        case ClockEventType::resolved:
        case ClockEventType::closed: {
            const char* what = e.type == ClockEventType::resolved ? "resolved" : "closed";
            if (first && !first->met_at)
                meet(*first, e.at, std::string(what) + ": the resolution letter is a human answer");
            if (resolution)
                meet(*resolution, e.at, what);
            if (!ticket_resolved)
                set.explanation.push_back(at(e.at) + "  " + what);
            ticket_resolved = true;
            break;
        }
        case ClockEventType::reopened:
            reopen(e.at, "reopened");
            break;
        case ClockEventType::reclassified: {
            std::string what = "reclassified";
            if (e.kind)
                what += " as " + std::string(to_string(*e.kind));
            if (e.severity)
                what += std::string(e.kind ? ", " : " as ") + std::string(to_string(*e.severity));
            set.explanation.push_back(at(e.at) + "  " + what);
            break;
        }
        }
    }

    void finish(Deadline& d, const std::optional<BusinessDuration>& warn_before)
    {
        if (d.paused && !d.pauses.empty() && !d.pauses.back().to)
            d.pauses.back().business = calendar().between(d.pauses.back().from, now);
        if (!d.due)
            return;
        d.breached = d.met_at ? *d.met_at > *d.due : *d.due <= now;
        if (warn_before && !warn_before->zero()) {
            TimePoint w = subtract_duration(calendar(), *d.due, *warn_before);
            // A target shorter than the lead time would warn the moment the clock starts: noise.
            if (w > d.started_at) {
                // After a pause that left less than the lead time, warn on the customer's reply.
                if (!d.pauses.empty() && d.pauses.back().to && w < *d.pauses.back().to)
                    w = *d.pauses.back().to;
                d.warn_at = w;
            }
        }
        if (policy.second_level && policy.second_level_after)
            d.second_level_at = add_duration(calendar(), *d.due, *policy.second_level_after);
    }
};

}  // namespace

std::string_view to_string(ClockEventType type)
{
    switch (type) {
    case ClockEventType::opened:
        return "opened";
    case ClockEventType::acknowledged:
        return "acknowledged";
    case ClockEventType::first_response:
        return "first_response";
    case ClockEventType::waiting_for_customer:
        return "waiting_for_customer";
    case ClockEventType::customer_replied:
        return "customer_replied";
    case ClockEventType::resolved:
        return "resolved";
    case ClockEventType::reopened:
        return "reopened";
    case ClockEventType::closed:
        return "closed";
    case ClockEventType::reclassified:
        return "reclassified";
    }
    return "?";
}

const Deadline* DeadlineSet::find(std::string_view name) const
{
    for (auto& d : deadlines)
        if (d.name == name)
            return &d;
    return nullptr;
}

std::optional<TimePoint> DeadlineSet::due(std::string_view name) const
{
    const Deadline* d = find(name);
    return d ? d->due : std::nullopt;
}

DeadlineSet compute_deadlines(const Settings& settings, Kind kind, Severity severity, std::string_view channel,
                              const std::vector<ClockEvent>& history, TimePoint now)
{
    DeadlineSet set;
    std::vector<ClockEvent> events;
    for (auto& e : history)
        if (e.at <= now)
            events.push_back(e);
    std::stable_sort(events.begin(), events.end(), [](auto& a, auto& b) { return a.at < b.at; });
    auto opened = std::find_if(events.begin(), events.end(), [](auto& e) { return e.type == ClockEventType::opened; });
    if (opened == events.end()) {
        set.explanation.push_back("the ticket has no \"opened\" event yet: no deadlines");
        return set;
    }

    const Policy* policy = select_policy(settings.policies, kind, severity, channel);
    std::string ticket = "kind " + std::string(to_string(kind)) + ", severity " + std::string(to_string(severity)) +
                         ", channel " + (channel.empty() ? std::string("(none)") : std::string(channel));
    if (!policy) {
        set.explanation.push_back("no policy matches this ticket (" + ticket + "): no deadlines");
        return set;
    }
    set.policy_name = policy->name;
    set.policy_match = policy->describe_match();
    set.explanation.push_back("policy \"" + policy->name + "\" (" + set.policy_match +
                              ") is the first that matches this ticket (" + ticket + ")" +
                              (settings.policies_from_config ? "" : "; built-in default policies"));
    if (policy->second_level && policy->second_level_after)
        set.second_level = policy->second_level;

    // The owner hears of a major complaint the moment the ticket first counts as one: on arrival, or
    // when a later reclassification makes it one.
    {
        Kind k = opened->kind.value_or(kind);
        Severity s = opened->severity.value_or(severity);
        for (auto it = opened; it != events.end() && !set.owner_alert_at; ++it) {
            if (it->type == ClockEventType::reclassified) {
                k = it->kind.value_or(k);
                s = it->severity.value_or(s);
            } else if (it != opened) {
                continue;
            }
            const Policy* p = select_policy(settings.policies, k, s, channel);
            if (p && p->alert_owner_on_arrival)
                set.owner_alert_at = it->at;
        }
    }

    Clock clock{settings, *policy, set, now};
    if (policy->first_response) {
        Deadline d;
        d.name = d.key = "first_response";
        d.target = *policy->first_response;
        set.deadlines.push_back(std::move(d));
    }
    if (policy->resolution) {
        Deadline d;
        d.name = d.key = "resolution";
        d.target = *policy->resolution;
        set.deadlines.push_back(std::move(d));
    }
    if (set.deadlines.empty())
        set.explanation.push_back("the policy sets no deadlines");
    set.explanation.push_back(settings.calendar.format_local(opened->at) + "  opened");
    for (auto& d : set.deadlines)
        clock.start(d, opened->at, "ticket opened");
    for (auto it = std::next(opened); it != events.end(); ++it)
        clock.apply(*it);
    for (auto& d : set.deadlines)
        clock.finish(d,
                     d.name == "first_response" ? policy->warn_before_first_response : policy->warn_before_resolution);
    return set;
}

}  // namespace redress::sla
