// Reading the "sla" section: the issue's example, defaults, and problems that name the key and the fix.

#include "sla_test_support.hpp"

using namespace redress;
using namespace redress::sla;
using redress::sla::test::at;
using redress::sla::test::settings_from;

namespace {

std::vector<SettingsProblem> problems_of(const std::string& json_text)
{
    std::vector<SettingsProblem> problems;
    (void)parse_settings(nlohmann::json::parse(json_text), problems);
    return problems;
}

bool has_problem_at(const std::vector<SettingsProblem>& problems, const std::string& pointer)
{
    for (auto& p : problems)
        if (p.pointer == pointer)
            return true;
    return false;
}

// The example from the issue, verbatim.
const char* k_issue_example = R"({"calendar": {"time_zone": "Europe/Moscow",
    "hours": {"mon": "09:00-18:00", "tue": "09:00-13:00,14:00-18:00"}, "holidays": ["2026-12-31"]},
  "policies": [{"name": "major complaint", "match": {"kind": "complaint", "severity": "major", "channel": "email"},
    "first_response": "PT4H", "resolution": "P3D", "warn_before": "PT1H",
    "second_level_after": "PT4H", "second_level": {"name": "Director", "email": "director@example.com"}}]})";

}  // namespace

TEST(SlaSettings, EmptySectionMeansAroundTheClockAndBuiltInPolicies)
{
    for (const char* text : {"{}", "null"}) {
        auto s = settings_from(text);
        EXPECT_TRUE(s.calendar.always_open());
        EXPECT_EQ(s.calendar.time_zone_name(), "UTC");
        EXPECT_FALSE(s.policies_from_config);
        EXPECT_EQ(s.policies.size(), default_policies().size());
    }
}

TEST(SlaSettings, ReadsTheIssueExample)
{
    auto s = settings_from(k_issue_example);
    EXPECT_EQ(s.calendar.time_zone_name(), "Europe/Moscow");
    EXPECT_EQ(format_day_hours(s.calendar.weekday_hours(1)), "09:00-18:00");
    EXPECT_EQ(format_day_hours(s.calendar.weekday_hours(2)), "09:00-13:00,14:00-18:00");
    EXPECT_EQ(format_day_hours(s.calendar.weekday_hours(3)), "closed");  // not named: closed
    EXPECT_TRUE(
        s.calendar
            .hours_on(std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::December, std::chrono::day{31}})
            .empty());
    ASSERT_EQ(s.policies.size(), 1u);
    const Policy& p = s.policies[0];
    EXPECT_EQ(p.name, "major complaint");
    EXPECT_EQ(p.kinds, std::vector<Kind>{Kind::complaint});
    EXPECT_EQ(p.severities, std::vector<Severity>{Severity::major});
    EXPECT_EQ(p.channels, std::vector<std::string>{"email"});
    ASSERT_TRUE(p.first_response && p.resolution && p.warn_before_first_response && p.warn_before_resolution);
    EXPECT_EQ(p.first_response->time, std::chrono::hours{4});
    EXPECT_EQ(p.resolution->days, 3);
    EXPECT_EQ(p.warn_before_resolution->time, std::chrono::hours{1});
    ASSERT_TRUE(p.second_level && p.second_level_after);
    EXPECT_EQ(p.second_level->email, "director@example.com");
    // Matching major severity only: the owner hears at once unless the config says otherwise.
    EXPECT_TRUE(p.alert_owner_on_arrival);
}

TEST(SlaSettings, LisbonResolvesFromTheSystemZoneinfo)
{
    // Debian's libdate-tz reads /usr/share/zoneinfo (USE_OS_TZDB=1); nothing is downloaded.
    auto s = settings_from(R"({"calendar": {"time_zone": "Europe/Lisbon"}})");
    EXPECT_EQ(s.calendar.time_zone_name(), "Europe/Lisbon");
    EXPECT_EQ(s.calendar.format_local(at("2026-07-01T12:00:00Z")), "2026-07-01 13:00 WEST");
}

TEST(SlaSettings, CalendarWithoutHoursIsTheOfficeWeek)
{
    auto s = settings_from(R"({"calendar": {"time_zone": "Europe/Moscow"}})");
    EXPECT_EQ(format_day_hours(s.calendar.weekday_hours(1)), "09:00-18:00");
    EXPECT_EQ(format_day_hours(s.calendar.weekday_hours(5)), "09:00-18:00");
    EXPECT_EQ(format_day_hours(s.calendar.weekday_hours(6)), "closed");
    EXPECT_EQ(format_day_hours(s.calendar.weekday_hours(0)), "closed");
}

TEST(SlaSettings, SingleDayOverridesARangeWhateverTheOrder)
{
    auto s = settings_from(R"({"calendar": {"hours": {"fri": "09:00-16:00", "mon-fri": "09:00-18:00",
                                                      "Saturday": ["10:00-12:00", "13:00-14:00"]}}})");
    EXPECT_EQ(format_day_hours(s.calendar.weekday_hours(4)), "09:00-18:00");
    EXPECT_EQ(format_day_hours(s.calendar.weekday_hours(5)), "09:00-16:00");
    EXPECT_EQ(format_day_hours(s.calendar.weekday_hours(6)), "10:00-12:00,13:00-14:00");
    EXPECT_EQ(format_day_hours(s.calendar.weekday_hours(0)), "closed");
}

TEST(SlaSettings, UnknownTimeZoneIsAProblemNotACrash)
{
    auto problems = problems_of(R"({"calendar": {"time_zone": "Mars/Olympus_Mons"}})");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].pointer, "/sla/calendar/time_zone");
    EXPECT_NE(problems[0].found.find("Mars/Olympus_Mons"), std::string::npos);
    EXPECT_NE(problems[0].expected.find("IANA"), std::string::npos);
}

TEST(SlaSettings, BadDurationNamesItsPointer)
{
    auto problems = problems_of(R"({"policies": [{"name": "a"}, {"name": "b", "first_response": "4 hours",
                                                  "warn_before": {"resolution": "P1Y"}}]})");
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0].pointer, "/sla/policies/1/first_response");
    EXPECT_EQ(problems[0].found, "\"4 hours\"");
    EXPECT_EQ(problems[1].pointer, "/sla/policies/1/warn_before/resolution");
    EXPECT_NE(to_string(problems[1]).find("years and months"), std::string::npos);
}

TEST(SlaSettings, MisspeltKeyIsReported)
{
    auto problems = problems_of(R"({"policies": [{"name": "a", "first_reponse": "PT4H"}], "calender": {}})");
    EXPECT_TRUE(has_problem_at(problems, "/sla/policies/0/first_reponse"));
    EXPECT_TRUE(has_problem_at(problems, "/sla/calender"));
}

TEST(SlaSettings, RefusesBadOpeningHours)
{
    for (const char* hours : {R"("9-18")", R"("09:00-13:00,12:00-18:00")", R"("18:00-09:00")", R"("09:00-24:30")",
                              R"("09:60-10:00")", R"(9)"}) {
        auto problems =
            problems_of(std::string(R"({"calendar": {"hours": {"mon": )") + hours + R"(, "tue": "09:00-18:00"}}})");
        EXPECT_TRUE(has_problem_at(problems, "/sla/calendar/hours/mon")) << hours;
    }
    EXPECT_TRUE(has_problem_at(problems_of(R"({"calendar": {"hours": {"someday": "09:00-18:00"}}})"),
                               "/sla/calendar/hours/someday"));
}

TEST(SlaSettings, CalendarThatIsNeverOpenIsAProblem)
{
    EXPECT_TRUE(has_problem_at(problems_of(R"({"calendar": {"hours": {"mon": "closed"}}})"), "/sla/calendar/hours"));
}

TEST(SlaSettings, RefusesBadDatesAndDuplicates)
{
    auto problems = problems_of(R"({"calendar": {"holidays": ["2026-02-30", "2026-12-31", "31.12.2026"],
                                                 "special_days": {"2026-12-31": "09:00-12:00"}}})");
    EXPECT_TRUE(has_problem_at(problems, "/sla/calendar/holidays/0"));
    EXPECT_FALSE(has_problem_at(problems, "/sla/calendar/holidays/1"));
    EXPECT_TRUE(has_problem_at(problems, "/sla/calendar/holidays/2"));
    EXPECT_TRUE(has_problem_at(problems, "/sla/calendar/special_days/2026-12-31"));
}

TEST(SlaSettings, SecondLevelNeedsBothContactAndDelay)
{
    EXPECT_TRUE(has_problem_at(problems_of(R"({"policies": [{"second_level_after": "PT4H"}]})"),
                               "/sla/policies/0/second_level"));
    EXPECT_TRUE(has_problem_at(problems_of(R"({"policies": [{"second_level": {"name": "Director",
                                               "email": "d@example.com"}}]})"),
                               "/sla/policies/0/second_level_after"));
    EXPECT_TRUE(has_problem_at(problems_of(R"({"policies": [{"second_level_after": "PT4H",
                                               "second_level": {"name": "Director"}}]})"),
                               "/sla/policies/0/second_level"));
}

TEST(SlaSettings, WrongShapesAreProblems)
{
    EXPECT_TRUE(has_problem_at(problems_of("5"), "/sla"));
    EXPECT_TRUE(has_problem_at(problems_of(R"({"policies": {}})"), "/sla/policies"));
    EXPECT_TRUE(has_problem_at(problems_of(R"({"policies": [{"match": {"kind": "complain"}}]})"),
                               "/sla/policies/0/match/kind"));
    EXPECT_TRUE(has_problem_at(problems_of(R"({"policies": [{"match": {"severity": ["major", 3]}}]})"),
                               "/sla/policies/0/match/severity/1"));
    EXPECT_TRUE(has_problem_at(problems_of(R"({"policies": [{"alert_owner_on_arrival": "yes"}]})"),
                               "/sla/policies/0/alert_owner_on_arrival"));
}

TEST(SlaPolicy, FirstMatchingPolicyWinsAndMissingKeysMatchAnything)
{
    auto s = settings_from(R"({"policies": [
        {"name": "chat questions", "match": {"kind": ["question", "suggestion"], "channel": "chat"}, "first_response": "PT1H"},
        {"name": "majors", "match": {"severity": "major"}, "first_response": "PT2H"},
        {"name": "rest", "first_response": "PT8H"}]})");
    EXPECT_EQ(select_policy(s.policies, Kind::question, Severity::major, "CHAT")->name, "chat questions");
    EXPECT_EQ(select_policy(s.policies, Kind::question, Severity::major, "email")->name, "majors");
    EXPECT_EQ(select_policy(s.policies, Kind::complaint, Severity::normal, "email")->name, "rest");
    EXPECT_FALSE(s.policies[2].alert_owner_on_arrival);
}

TEST(SlaPolicy, NoMatchMeansNoPolicy)
{
    auto s = settings_from(R"({"policies": [{"name": "complaints", "match": {"kind": "complaint"}}]})");
    EXPECT_EQ(select_policy(s.policies, Kind::question, Severity::normal, "email"), nullptr);
}

TEST(SlaPolicy, BuiltInDefaultsFollowTheHandbooks)
{
    auto policies = default_policies();
    const Policy* major = select_policy(policies, Kind::complaint, Severity::major, "email");
    const Policy* complaint = select_policy(policies, Kind::complaint, Severity::normal, "email");
    ASSERT_TRUE(major && complaint);
    EXPECT_TRUE(major->alert_owner_on_arrival);
    // Major is faster on both counts; resolution within the handbooks' 3 to 10 days.
    EXPECT_LT(major->first_response->time, complaint->first_response->time);
    EXPECT_EQ(major->resolution->days, 3);
    EXPECT_EQ(complaint->resolution->days, 10);
    // Answer the same day: no more than a nine-hour office day.
    EXPECT_LE(complaint->first_response->time, std::chrono::hours{9});
    const Policy* spam = select_policy(policies, Kind::spam, Severity::normal, "email");
    ASSERT_TRUE(spam);
    EXPECT_FALSE(spam->first_response || spam->resolution);
    EXPECT_NE(select_policy(policies, Kind::other, Severity::normal, "drop"), nullptr);
}
