// Deadlines from a ticket's history with a fake clock: `now` and every event time are values.

#include "sla_test_support.hpp"

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

// A Moscow office with a Monday holiday and the issue's major-complaint policy, plus a plain one.
Settings office()
{
    return settings_from(R"({"calendar": {"time_zone": "Europe/Moscow", "hours": {"mon-fri": "09:00-18:00"},
                                          "holidays": ["2026-12-07"]},
        "policies": [{"name": "major complaint", "match": {"kind": "complaint", "severity": "major"},
                      "first_response": "PT4H", "resolution": "P3D", "warn_before": "PT1H",
                      "second_level_after": "PT4H", "second_level": {"name": "Director", "email": "director@example.com"}},
                     {"name": "complaint", "match": {"kind": "complaint"}, "first_response": "PT8H", "resolution": "P10D",
                      "warn_before": {"first_response": "PT1H", "resolution": "P1D"}},
                     {"name": "question", "match": {"kind": "question"}, "first_response": "PT8H"}]})");
}

std::string local(const Settings& s, std::optional<TimePoint> t)
{
    return t ? s.calendar.format_local(*t) : std::string("none");
}

}  // namespace

TEST(SlaDeadlines, MajorComplaintOpenedFridayEvening)
{
    auto s = office();
    auto set = compute_deadlines(s, Kind::complaint, Severity::major, "email",
                                 {ev("2026-11-27T17:30:00+03:00", T::opened)}, at("2026-11-27T17:31:00+03:00"));
    EXPECT_EQ(set.policy_name, "major complaint");
    ASSERT_EQ(set.deadlines.size(), 2u);
    EXPECT_EQ(local(s, set.due("first_response")), "2026-11-30 12:30 MSK");
    // Three business days at the same time of day: Monday, Tuesday, Wednesday.
    EXPECT_EQ(local(s, set.due("resolution")), "2026-12-02 17:30 MSK");
    const Deadline* first = set.find("first_response");
    EXPECT_EQ(local(s, first->warn_at), "2026-11-30 11:30 MSK");
    EXPECT_EQ(local(s, first->second_level_at), "2026-11-30 16:30 MSK");
    EXPECT_FALSE(first->breached);
    EXPECT_EQ(local(s, set.owner_alert_at), "2026-11-27 17:30 MSK");
}

TEST(SlaDeadlines, AcknowledgementDoesNotCountAsFirstResponse)
{
    auto s = office();
    auto set = compute_deadlines(
        s, Kind::complaint, Severity::normal, "email",
        {ev("2026-12-01T10:00:00+03:00", T::opened), ev("2026-12-01T10:00:05+03:00", T::acknowledged)},
        at("2026-12-02T11:00:00+03:00"));
    const Deadline* first = set.find("first_response");
    ASSERT_TRUE(first);
    EXPECT_FALSE(first->met_at);
    EXPECT_TRUE(first->breached);  // PT8H from Tuesday 10:00 is Tuesday 18:00
    EXPECT_EQ(local(s, first->due), "2026-12-01 18:00 MSK");
}

TEST(SlaDeadlines, FirstResponseMetBeforeTheWarning)
{
    auto s = office();
    auto set = compute_deadlines(s, Kind::complaint, Severity::major, "email",
                                 {ev("2026-12-01T09:00:00+03:00", T::opened),
                                  ev("2026-12-01T10:15:00+03:00", T::first_response),
                                  ev("2026-12-01T11:00:00+03:00", T::first_response)},
                                 at("2026-12-01T15:00:00+03:00"));
    const Deadline* first = set.find("first_response");
    EXPECT_EQ(local(s, first->met_at), "2026-12-01 10:15 MSK");  // the first human answer, not a later one
    EXPECT_FALSE(first->breached);
    EXPECT_EQ(local(s, first->due), "2026-12-01 13:00 MSK");
}

TEST(SlaDeadlines, MetLateIsStillABreach)
{
    auto s = office();
    auto set = compute_deadlines(
        s, Kind::complaint, Severity::major, "email",
        {ev("2026-12-01T09:00:00+03:00", T::opened), ev("2026-12-01T14:00:00+03:00", T::first_response)},
        at("2026-12-01T15:00:00+03:00"));
    EXPECT_TRUE(set.find("first_response")->breached);
    EXPECT_TRUE(set.find("first_response")->met_at);
}

TEST(SlaDeadlines, WaitingForTheCustomerMovesTheDeadlineByThePausedBusinessTime)
{
    auto s = office();
    // Resolution P3D from Monday 09:00 is Thursday 09:00. Waiting from Monday 10:00 to Tuesday 15:00 is
    // 8 + 6 = 14 business hours, so it becomes Thursday 09:00 + 14h = Friday 14:00.
    std::vector<ClockEvent> history{
        ev("2026-11-30T09:00:00+03:00", T::opened), ev("2026-11-30T09:40:00+03:00", T::first_response),
        ev("2026-11-30T10:00:00+03:00", T::waiting_for_customer), ev("2026-12-01T15:00:00+03:00", T::customer_replied)};
    auto set =
        compute_deadlines(s, Kind::complaint, Severity::major, "email", history, at("2026-12-01T16:00:00+03:00"));
    const Deadline* resolution = set.find("resolution");
    EXPECT_EQ(local(s, resolution->due), "2026-12-04 14:00 MSK");
    ASSERT_EQ(resolution->pauses.size(), 1u);
    EXPECT_EQ(resolution->pauses[0].business, std::chrono::hours{14});
    EXPECT_FALSE(resolution->paused);
    // The met first response did not pause and did not move.
    EXPECT_TRUE(set.find("first_response")->pauses.empty());
}

TEST(SlaDeadlines, WhilePausedThereIsNoDueTime)
{
    auto s = office();
    auto set = compute_deadlines(
        s, Kind::complaint, Severity::major, "email",
        {ev("2026-11-30T09:00:00+03:00", T::opened), ev("2026-11-30T10:00:00+03:00", T::waiting_for_customer)},
        at("2026-12-03T12:00:00+03:00"));
    const Deadline* first = set.find("first_response");
    EXPECT_TRUE(first->paused);
    EXPECT_FALSE(first->due);
    EXPECT_FALSE(first->breached);
    EXPECT_EQ(first->remaining_when_paused, std::chrono::hours{3});
    EXPECT_EQ(set.due("first_response"), std::nullopt);
    // The open pause reports the business time spent so far: Mon 8h + Tue 9h + Wed 9h + Thu 3h.
    EXPECT_EQ(first->pauses.back().business, std::chrono::hours{29});
}

TEST(SlaDeadlines, PauseAfterTheDeadlineDoesNotUndoTheBreach)
{
    auto s = office();
    auto set = compute_deadlines(
        s, Kind::complaint, Severity::major, "email",
        {ev("2026-11-30T09:00:00+03:00", T::opened), ev("2026-11-30T14:00:00+03:00", T::waiting_for_customer)},
        at("2026-11-30T15:00:00+03:00"));
    const Deadline* first = set.find("first_response");
    EXPECT_FALSE(first->paused);
    EXPECT_TRUE(first->breached);
    EXPECT_EQ(local(s, first->due), "2026-11-30 13:00 MSK");
    // The resolution deadline was still running and did pause.
    EXPECT_TRUE(set.find("resolution")->paused);
}

TEST(SlaDeadlines, CustomerReplyReopensAResolvedTicket)
{
    auto s = office();
    std::vector<ClockEvent> history{
        ev("2026-11-30T09:00:00+03:00", T::opened), ev("2026-11-30T10:00:00+03:00", T::first_response),
        ev("2026-12-01T12:00:00+03:00", T::resolved), ev("2026-12-03T11:00:00+03:00", T::customer_replied)};
    auto set =
        compute_deadlines(s, Kind::complaint, Severity::major, "email", history, at("2026-12-03T12:00:00+03:00"));
    const Deadline* resolution = set.find("resolution");
    EXPECT_EQ(resolution->round, 2);
    EXPECT_EQ(resolution->key, "resolution#2");
    EXPECT_FALSE(resolution->met_at);
    // A new full P3D from Thursday 11:00: Friday, (Monday 7 December is a holiday), Tuesday, Wednesday.
    EXPECT_EQ(local(s, resolution->due), "2026-12-09 11:00 MSK");
    // The first response stays met.
    EXPECT_EQ(local(s, set.find("first_response")->met_at), "2026-11-30 10:00 MSK");

    // Without the reply the ticket stays resolved.
    history.pop_back();
    auto before =
        compute_deadlines(s, Kind::complaint, Severity::major, "email", history, at("2026-12-03T12:00:00+03:00"));
    EXPECT_EQ(before.find("resolution")->round, 1);
    EXPECT_EQ(local(s, before.find("resolution")->met_at), "2026-12-01 12:00 MSK");
}

TEST(SlaDeadlines, ExplicitReopenOnlyActsOnAResolvedTicket)
{
    auto s = office();
    auto set =
        compute_deadlines(s, Kind::complaint, Severity::major, "email",
                          {ev("2026-11-30T09:00:00+03:00", T::opened), ev("2026-11-30T10:00:00+03:00", T::reopened),
                           ev("2026-12-01T12:00:00+03:00", T::closed), ev("2026-12-02T12:00:00+03:00", T::reopened),
                           ev("2026-12-02T12:00:01+03:00", T::reopened)},
                          at("2026-12-02T13:00:00+03:00"));
    EXPECT_EQ(set.find("resolution")->round, 2);
}

TEST(SlaDeadlines, ResolvingMeetsAnUnansweredFirstResponse)
{
    auto s = office();
    auto set =
        compute_deadlines(s, Kind::complaint, Severity::major, "email",
                          {ev("2026-11-30T09:00:00+03:00", T::opened), ev("2026-11-30T11:00:00+03:00", T::resolved)},
                          at("2026-11-30T12:00:00+03:00"));
    EXPECT_EQ(local(s, set.find("first_response")->met_at), "2026-11-30 11:00 MSK");
    EXPECT_EQ(local(s, set.find("resolution")->met_at), "2026-11-30 11:00 MSK");
}

TEST(SlaDeadlines, NowPastDueIsABreach)
{
    auto s = office();
    std::vector<ClockEvent> history{ev("2026-11-30T09:00:00+03:00", T::opened)};
    EXPECT_FALSE(
        compute_deadlines(s, Kind::complaint, Severity::major, "email", history, at("2026-11-30T12:59:59+03:00"))
            .find("first_response")
            ->breached);
    EXPECT_TRUE(
        compute_deadlines(s, Kind::complaint, Severity::major, "email", history, at("2026-11-30T13:00:00+03:00"))
            .find("first_response")
            ->breached);
}

TEST(SlaDeadlines, EventsAfterNowAreIgnored)
{
    auto s = office();
    auto set = compute_deadlines(
        s, Kind::complaint, Severity::major, "email",
        {ev("2026-11-30T09:00:00+03:00", T::opened), ev("2026-11-30T11:00:00+03:00", T::first_response)},
        at("2026-11-30T10:00:00+03:00"));
    EXPECT_FALSE(set.find("first_response")->met_at);
    auto none = compute_deadlines(s, Kind::complaint, Severity::major, "email",
                                  {ev("2026-11-30T09:00:00+03:00", T::opened)}, at("2026-11-30T08:00:00+03:00"));
    EXPECT_TRUE(none.deadlines.empty());
}

TEST(SlaDeadlines, NoPolicyOrNoTargetMeansNoDeadlines)
{
    auto s = office();
    std::vector<ClockEvent> history{ev("2026-11-30T09:00:00+03:00", T::opened)};
    auto set = compute_deadlines(s, Kind::spam, Severity::normal, "email", history, at("2026-11-30T10:00:00+03:00"));
    EXPECT_TRUE(set.policy_name.empty());
    EXPECT_TRUE(set.deadlines.empty());
    ASSERT_FALSE(set.explanation.empty());
    EXPECT_NE(set.explanation[0].find("no policy matches"), std::string::npos);
    // The question policy sets only a first-response target.
    auto question =
        compute_deadlines(s, Kind::question, Severity::normal, "chat", history, at("2026-11-30T10:00:00+03:00"));
    EXPECT_TRUE(question.find("first_response"));
    EXPECT_FALSE(question.find("resolution"));
    EXPECT_EQ(question.due("resolution"), std::nullopt);
}

TEST(SlaDeadlines, WithoutACalendarDeadlinesRunAroundTheClock)
{
    Settings s = settings_from("{}");
    auto set = compute_deadlines(s, Kind::complaint, Severity::normal, "email", {ev("2026-11-28T22:00:00Z", T::opened)},
                                 at("2026-11-28T22:00:00Z"));
    EXPECT_EQ(set.policy_name, "complaint");
    EXPECT_EQ(set.due("first_response"), at("2026-11-29T02:00:00Z"));  // PT4H
    EXPECT_EQ(set.due("resolution"), at("2026-12-08T22:00:00Z"));      // P10D
    EXPECT_FALSE(set.owner_alert_at);
}

TEST(SlaDeadlines, ReclassificationToMajorAlertsTheOwnerThenAndAppliesTheNewTargetsFromTheOpening)
{
    auto s = office();
    std::vector<ClockEvent> history{
        ClockEvent{at("2026-11-30T09:00:00+03:00"), T::opened, Kind::complaint, Severity::normal},
        ClockEvent{at("2026-11-30T11:00:00+03:00"), T::reclassified, std::nullopt, Severity::major}};
    auto set =
        compute_deadlines(s, Kind::complaint, Severity::major, "email", history, at("2026-11-30T11:00:00+03:00"));
    EXPECT_EQ(set.policy_name, "major complaint");
    EXPECT_EQ(local(s, set.owner_alert_at), "2026-11-30 11:00 MSK");
    EXPECT_EQ(local(s, set.due("first_response")), "2026-11-30 13:00 MSK");
}

TEST(SlaDeadlines, DeadlinesFollowTheBusinessDaysOfLisbonAcrossSpringForward)
{
    auto s = settings_from(R"({"calendar": {"time_zone": "Europe/Lisbon", "hours": {"mon-fri": "09:00-18:00"}},
                               "policies": [{"name": "all", "first_response": "PT4H", "resolution": "P3D"}]})");
    auto set = compute_deadlines(s, Kind::complaint, Severity::normal, "email", {ev("2026-03-27T16:00:00Z", T::opened)},
                                 at("2026-03-27T16:00:00Z"));
    EXPECT_EQ(local(s, set.due("first_response")), "2026-03-30 11:00 WEST");
    EXPECT_EQ(local(s, set.due("resolution")), "2026-04-01 16:00 WEST");
}

TEST(SlaDeadlines, ResolvedWhileWaitingForTheCustomerIsInTime)
{
    auto s = office();
    auto set = compute_deadlines(
        s, Kind::complaint, Severity::major, "email",
        {ev("2026-11-30T09:00:00+03:00", T::opened), ev("2026-11-30T10:00:00+03:00", T::first_response),
         ev("2026-11-30T11:00:00+03:00", T::waiting_for_customer), ev("2026-12-10T11:00:00+03:00", T::resolved)},
        at("2026-12-10T12:00:00+03:00"));
    const Deadline* resolution = set.find("resolution");
    EXPECT_FALSE(resolution->paused);
    EXPECT_FALSE(resolution->breached);
    EXPECT_EQ(local(s, resolution->met_at), "2026-12-10 11:00 MSK");
    ASSERT_EQ(resolution->pauses.size(), 1u);
    EXPECT_TRUE(resolution->pauses[0].to);
    // 25 business hours were left (Mon 7h, Tue 9h, Wed 9h); counted from Thursday 10 December 11:00
    // they would end: Thu 7h, Fri 9h, Mon 14 December 9h -> 18:00.
    EXPECT_EQ(local(s, resolution->due), "2026-12-14 18:00 MSK");
}
