// The text of `redress sla explain`: policy, calendar, the business time per day, pauses and alerts.

#include "sla_test_support.hpp"

using namespace redress;
using namespace redress::sla;
using redress::sla::test::at;
using redress::sla::test::settings_from;

namespace {

using T = ClockEventType;

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST(SlaExplain, ShowsPolicyCalendarPausesAndAlerts)
{
    auto s = settings_from(R"({"calendar": {"time_zone": "Europe/Moscow", "hours": {"mon-fri": "09:00-18:00"},
                                            "holidays": ["2026-11-30"]},
        "policies": [{"name": "major complaint", "match": {"kind": "complaint", "severity": "major", "channel": "email"},
                      "first_response": "PT4H", "resolution": "P3D", "warn_before": "PT1H",
                      "second_level_after": "PT4H", "second_level": {"name": "Director", "email": "director@example.com"}}]})");
    std::vector<ClockEvent> history{
        {at("2026-11-27T17:30:00+03:00"), T::opened, std::nullopt, std::nullopt},
        {at("2026-11-27T17:30:05+03:00"), T::acknowledged, std::nullopt, std::nullopt},
        {at("2026-12-01T10:00:00+03:00"), T::first_response, std::nullopt, std::nullopt},
        {at("2026-12-01T11:00:00+03:00"), T::waiting_for_customer, std::nullopt, std::nullopt},
        {at("2026-12-02T11:00:00+03:00"), T::customer_replied, std::nullopt, std::nullopt}};
    TimePoint now = at("2026-12-02T12:00:00+03:00");
    auto set = compute_deadlines(s, Kind::complaint, Severity::major, "email", history, now);
    std::string text = explain(s, set, now);

    EXPECT_TRUE(contains(text, "policy \"major complaint\" (kind complaint, severity major, channel email)")) << text;
    EXPECT_TRUE(contains(text, "time zone Europe/Moscow")) << text;
    EXPECT_TRUE(contains(text, "holidays: 2026-11-30")) << text;
    EXPECT_TRUE(contains(text, "Mon-Fri 09:00-18:00; Sat-Sun closed")) << text;
    EXPECT_TRUE(contains(text, "First response: target PT4H (business time)")) << text;
    EXPECT_TRUE(contains(text, "does not count as the first response")) << text;
    EXPECT_TRUE(contains(text, "due 2026-12-01 12:30 MSK")) << text;
    EXPECT_TRUE(contains(text, "Fri 2026-11-27 30m, Sat 2026-11-28 closed, Sun 2026-11-29 closed, "
                               "Mon 2026-11-30 holiday, Tue 2026-12-01 3h30m"))
        << text;
    EXPECT_TRUE(contains(text, "met (first human answer): in time, 2h30m of business time to spare")) << text;
    EXPECT_TRUE(contains(text, "Resolution: target P3D (3 business days, same time of day)")) << text;
    // Resolution started Friday 17:30: Tuesday, Wednesday, Thursday -> Thursday 17:30; the pause from
    // Tuesday 11:00 to Wednesday 11:00 holds 9 business hours, so Friday 17:30.
    EXPECT_TRUE(contains(text, "paused: waiting for the customer, 24h30m of business time left")) << text;
    EXPECT_TRUE(
        contains(text, "resumed: the customer replied after 9h of business time; due moves to 2026-12-04 17:30 MSK"))
        << text;
    EXPECT_TRUE(contains(text, "alert: second_level to Director <director@example.com> at 2026-12-07 12:30 MSK"))
        << text;
    EXPECT_TRUE(contains(text, "Major complaint: the owner is alerted at once, 2026-11-27 17:30 MSK")) << text;
}

TEST(SlaExplain, SaysWhenNoPolicyApplies)
{
    auto s = settings_from(
        R"({"policies": [{"name": "complaints", "match": {"kind": "complaint"}, "first_response": "PT4H"}]})");
    auto set = compute_deadlines(s, Kind::gratitude, Severity::normal, "email",
                                 {{at("2026-11-27T10:00:00Z"), T::opened, std::nullopt, std::nullopt}},
                                 at("2026-11-27T11:00:00Z"));
    std::string text = explain(s, set, at("2026-11-27T11:00:00Z"));
    EXPECT_TRUE(contains(text, "open around the clock, time zone UTC")) << text;
    EXPECT_TRUE(contains(text, "no policy matches this ticket (kind gratitude, severity normal, channel email)"))
        << text;
}

TEST(SlaExplain, ShowsABreachAndItsAge)
{
    auto s = settings_from("{}");
    auto set = compute_deadlines(s, Kind::complaint, Severity::normal, "email",
                                 {{at("2026-11-27T10:00:00Z"), T::opened, std::nullopt, std::nullopt}},
                                 at("2026-11-27T15:30:00Z"));
    std::string text = explain(s, set, at("2026-11-27T15:30:00Z"));
    EXPECT_TRUE(contains(text, "BREACHED at 2026-11-27 14:00 UTC, 1h30m of business time ago")) << text;
    EXPECT_TRUE(contains(text, "built-in default policies")) << text;
}
