// Escalation: warning to the assignee, breach to the owner, the second level later, the owner at once
// for a major complaint; each due once per ticket, deadline and level, whatever the scheduler missed.

#include "sla_test_support.hpp"

#include <set>

using namespace redress;
using namespace redress::sla;
using redress::sla::test::at;
using redress::sla::test::settings_from;

namespace {

using T = ClockEventType;

ClockEvent ev(const char* when, ClockEventType type)
{
    return ClockEvent{at(when), type, std::nullopt, std::nullopt};
}

Settings office()
{
    return settings_from(R"({"calendar": {"time_zone": "Europe/Moscow", "hours": {"mon-fri": "09:00-18:00"}},
        "policies": [{"name": "major complaint", "match": {"kind": "complaint", "severity": "major"},
                      "first_response": "PT4H", "resolution": "P3D", "warn_before": "PT1H",
                      "second_level_after": "PT4H", "second_level": {"name": "Director", "email": "director@example.com"}},
                     {"name": "short", "match": {"kind": "question"}, "first_response": "PT30M", "warn_before": "PT1H"}]})");
}

std::vector<std::string> keys(const AlertPlan& plan)
{
    std::vector<std::string> out;
    for (auto& a : plan.due)
        out.push_back(a.key);
    return out;
}

DeadlineSet major_opened_monday(const Settings& s, std::vector<ClockEvent> more = {},
                                const char* now = "2026-11-30T09:00:00+03:00")
{
    std::vector<ClockEvent> history{ev("2026-11-30T09:00:00+03:00", T::opened)};
    history.insert(history.end(), more.begin(), more.end());
    return compute_deadlines(s, Kind::complaint, Severity::major, "email", history, at(now));
}

}  // namespace

TEST(SlaAlerts, WarningThenBreachThenSecondLevelForTheFirstResponse)
{
    auto s = office();
    auto set = major_opened_monday(s);
    // First response due 13:00: warning 12:00, breach 13:00, second level 4 business hours later, 17:00.
    auto at_eleven = plan_alerts(set, at("2026-11-30T11:00:00+03:00"));
    EXPECT_EQ(keys(at_eleven), std::vector<std::string>{"arrival"});
    EXPECT_EQ(at_eleven.next_at, at("2026-11-30T12:00:00+03:00"));

    auto at_half_past_twelve = plan_alerts(set, at("2026-11-30T12:30:00+03:00"));
    EXPECT_EQ(keys(at_half_past_twelve), (std::vector<std::string>{"arrival", "first_response:warning"}));
    EXPECT_EQ(at_half_past_twelve.due[1].recipient, AlertRecipient::assignee);
    EXPECT_EQ(at_half_past_twelve.next_at, at("2026-11-30T13:00:00+03:00"));

    auto at_half_past_one = plan_alerts(set, at("2026-11-30T13:30:00+03:00"));
    // The warning is no longer due once the breach is: it would tell of an hour that is gone.
    EXPECT_EQ(keys(at_half_past_one), (std::vector<std::string>{"arrival", "first_response:breach"}));
    EXPECT_EQ(at_half_past_one.due[1].recipient, AlertRecipient::owner);
    EXPECT_EQ(at_half_past_one.next_at, at("2026-11-30T17:00:00+03:00"));
}

TEST(SlaAlerts, AfterDowntimeOverdueAlertsAreDueOnceWithStableKeys)
{
    auto s = office();
    auto set = major_opened_monday(s);
    // The daemon was down from Monday morning to Thursday noon: every overdue alert is due now, once.
    auto first = plan_alerts(set, at("2026-12-03T12:00:00+03:00"));
    // Oldest first: Monday 09:00, 13:00, 17:00, and the resolution's breach on Thursday 09:00.
    EXPECT_EQ(keys(first), (std::vector<std::string>{"arrival", "first_response:breach", "first_response:second_level",
                                                     "resolution:breach"}));
    auto first_keys = keys(first);
    std::set<std::string> unique(first_keys.begin(), first_keys.end());
    EXPECT_EQ(unique.size(), first.due.size());
    // Planning again later gives the same keys, so the caller's dedup sends nothing twice.
    auto again = plan_alerts(set, at("2026-12-03T12:05:00+03:00"));
    EXPECT_EQ(keys(again), keys(first));
    EXPECT_EQ(again.next_at, at("2026-12-03T13:00:00+03:00"));  // the resolution's second level
    auto friday = plan_alerts(set, at("2026-12-04T10:00:00+03:00"));
    EXPECT_EQ(keys(friday).back(), "resolution:second_level");
    EXPECT_FALSE(friday.next_at);
}

TEST(SlaAlerts, SecondLevelGoesToTheConfiguredContactInBusinessTime)
{
    auto s = office();
    // Opened Friday 14:00: first response due Friday 18:00; the second level 4 business hours later,
    // Monday 13:00, not Friday 22:00.
    auto set = compute_deadlines(s, Kind::complaint, Severity::major, "email",
                                 {ev("2026-11-27T14:00:00+03:00", T::opened)}, at("2026-11-27T14:00:00+03:00"));
    auto plan = plan_alerts(set, at("2026-11-30T13:00:00+03:00"));
    const Alert* second = nullptr;
    for (auto& a : plan.due)
        if (a.level == AlertLevel::second_level && a.deadline == "first_response")
            second = &a;
    ASSERT_TRUE(second);
    EXPECT_EQ(s.calendar.format_local(second->at), "2026-11-30 13:00 MSK");
    EXPECT_EQ(second->recipient, AlertRecipient::second_level);
    ASSERT_TRUE(second->contact);
    EXPECT_EQ(second->contact->email, "director@example.com");
    EXPECT_EQ(second->deadline_due, at("2026-11-27T18:00:00+03:00"));
}

TEST(SlaAlerts, MetDeadlineRaisesNothing)
{
    auto s = office();
    auto set =
        major_opened_monday(s, {ev("2026-11-30T10:00:00+03:00", T::first_response)}, "2026-11-30T10:00:00+03:00");
    auto plan = plan_alerts(set, at("2026-11-30T15:00:00+03:00"));
    EXPECT_EQ(keys(plan), std::vector<std::string>{"arrival"});
    // Next: the resolution warning an hour before Thursday 09:00, that is Wednesday 17:00.
    EXPECT_EQ(plan.next_at, at("2026-12-02T17:00:00+03:00"));
}

TEST(SlaAlerts, PausedDeadlineRaisesNothingUntilTheCustomerReplies)
{
    auto s = office();
    auto paused =
        major_opened_monday(s, {ev("2026-11-30T10:00:00+03:00", T::waiting_for_customer)}, "2026-11-30T10:00:00+03:00");
    auto plan = plan_alerts(paused, at("2026-12-10T10:00:00+03:00"));
    EXPECT_EQ(keys(plan), std::vector<std::string>{"arrival"});
    EXPECT_FALSE(plan.next_at);

    // Reply on Tuesday 12:00 with 3 hours left: due 15:00, warning 14:00.
    auto resumed = major_opened_monday(s,
                                       {ev("2026-11-30T10:00:00+03:00", T::waiting_for_customer),
                                        ev("2026-12-01T12:00:00+03:00", T::customer_replied)},
                                       "2026-12-01T12:00:00+03:00");
    EXPECT_EQ(resumed.due("first_response"), at("2026-12-01T15:00:00+03:00"));
    EXPECT_EQ(plan_alerts(resumed, at("2026-12-01T12:00:00+03:00")).next_at, at("2026-12-01T14:00:00+03:00"));
}

TEST(SlaAlerts, ReplyWithLessThanTheLeadTimeLeftWarnsAtOnce)
{
    auto s = office();
    // Paused at 12:30 with 30 minutes left; the customer replies at 16:00; due 16:30; warn at 16:00.
    auto set = major_opened_monday(s,
                                   {ev("2026-11-30T12:30:00+03:00", T::waiting_for_customer),
                                    ev("2026-11-30T16:00:00+03:00", T::customer_replied)},
                                   "2026-11-30T16:00:00+03:00");
    EXPECT_EQ(set.find("first_response")->warn_at, at("2026-11-30T16:00:00+03:00"));
    auto plan = plan_alerts(set, at("2026-11-30T16:00:00+03:00"));
    EXPECT_EQ(keys(plan), (std::vector<std::string>{"arrival", "first_response:warning"}));
}

TEST(SlaAlerts, TargetShorterThanTheLeadTimeHasNoWarning)
{
    auto s = office();
    auto set = compute_deadlines(s, Kind::question, Severity::normal, "chat",
                                 {ev("2026-11-30T09:00:00+03:00", T::opened)}, at("2026-11-30T09:00:00+03:00"));
    EXPECT_FALSE(set.find("first_response")->warn_at);
    EXPECT_FALSE(set.owner_alert_at);
    auto plan = plan_alerts(set, at("2026-11-30T09:00:00+03:00"));
    EXPECT_TRUE(plan.due.empty());
    EXPECT_EQ(plan.next_at, at("2026-11-30T09:30:00+03:00"));
}

TEST(SlaAlerts, ReopenedRoundHasItsOwnKeys)
{
    auto s = office();
    auto set = major_opened_monday(s,
                                   {ev("2026-11-30T10:00:00+03:00", T::first_response),
                                    ev("2026-11-30T11:00:00+03:00", T::resolved),
                                    ev("2026-12-01T09:00:00+03:00", T::customer_replied)},
                                   "2026-12-01T09:00:00+03:00");
    // Round 2 runs P3D from Tuesday 09:00: due Friday 09:00, second level Friday 13:00.
    auto plan = plan_alerts(set, at("2026-12-04T14:00:00+03:00"));
    EXPECT_EQ(keys(plan), (std::vector<std::string>{"arrival", "resolution#2:breach", "resolution#2:second_level"}));
}

TEST(SlaAlerts, MajorComplaintAlertsTheOwnerOnArrivalOnce)
{
    auto s = office();
    auto set = major_opened_monday(s);
    auto plan = plan_alerts(set, at("2026-11-30T09:00:00+03:00"));
    ASSERT_EQ(plan.due.size(), 1u);
    EXPECT_EQ(plan.due[0].level, AlertLevel::arrival);
    EXPECT_EQ(plan.due[0].recipient, AlertRecipient::owner);
    EXPECT_EQ(plan.due[0].key, "arrival");
    EXPECT_EQ(plan.due[0].at, at("2026-11-30T09:00:00+03:00"));
}
