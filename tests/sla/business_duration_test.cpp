// The duration rule: hours and minutes are business time; whole days are business days that end at the
// same local time of day.

#include "sla_test_support.hpp"

using namespace redress;
using namespace redress::sla;
using redress::sla::test::at;
using redress::sla::test::calendar_from;

namespace {

BusinessDuration d(const char* text)
{
    auto r = parse_business_duration(text);
    EXPECT_TRUE(r.ok()) << text;
    return r.ok() ? *r : BusinessDuration{};
}

const char* k_moscow = R"({"time_zone": "Europe/Moscow", "hours": {"mon-fri": "09:00-18:00"}})";

}  // namespace

TEST(BusinessDuration, ReadsDaysAndTimeApart)
{
    EXPECT_EQ(d("P1DT4H").days, 1);
    EXPECT_EQ(d("P1DT4H").time, std::chrono::hours{4});
    EXPECT_EQ(d("PT90M").days, 0);
    EXPECT_EQ(d("PT90M").time, std::chrono::minutes{90});
    EXPECT_EQ(d("P3D").days, 3);
    EXPECT_EQ(d("P3D").time, Seconds{0});
    EXPECT_EQ(d("P1W").days, 7);
    EXPECT_EQ(d("PT0S").zero(), true);
    EXPECT_EQ(d(" P2D ").text, "P2D");
}

TEST(BusinessDuration, RefusesWhatHasNoFixedOrPositiveLength)
{
    for (const char* bad : {"P-1D", "PT-4H", "P1Y", "P1M", "4H", "PT", "P", "", "PT4.5H"})
        EXPECT_FALSE(parse_business_duration(bad).ok()) << bad;
}

TEST(BusinessDuration, DaysEndAtTheSameLocalTime)
{
    auto cal = calendar_from(k_moscow);
    // Thursday 14:00 + 3 business days: Friday, Monday, Tuesday.
    EXPECT_EQ(cal.format_local(add_duration(cal, at("2026-11-26T14:00:00+03:00"), d("P3D"))), "2026-12-01 14:00 MSK");
}

TEST(BusinessDuration, DaysSkipWeekendAndHoliday)
{
    auto cal = calendar_from(R"({"time_zone": "Europe/Moscow", "hours": {"mon-fri": "09:00-18:00"},
                                 "holidays": ["2026-11-30"]})");
    EXPECT_EQ(cal.format_local(add_duration(cal, at("2026-11-26T14:00:00+03:00"), d("P3D"))), "2026-12-02 14:00 MSK");
}

TEST(BusinessDuration, DaysFromAfterHoursCountFromTheNextOpening)
{
    auto cal = calendar_from(k_moscow);
    EXPECT_EQ(cal.format_local(add_duration(cal, at("2026-11-27T19:00:00+03:00"), d("P1D"))), "2026-12-01 09:00 MSK");
    EXPECT_EQ(cal.format_local(add_duration(cal, at("2026-11-28T11:00:00+03:00"), d("P3D"))), "2026-12-03 09:00 MSK");
}

TEST(BusinessDuration, DayLandingAfterAShortDaysCloseEndsAtThatClose)
{
    auto cal = calendar_from(R"({"time_zone": "Europe/Moscow", "hours": {"mon-fri": "09:00-18:00"},
                                 "special_days": {"2026-11-27": "09:00-13:00"}})");
    EXPECT_EQ(cal.format_local(add_duration(cal, at("2026-11-26T15:00:00+03:00"), d("P1D"))), "2026-11-27 13:00 MSK");
}

TEST(BusinessDuration, DayLandingInLunchEndsWhenLunchStarts)
{
    // Monday's clock started at 13:30 in a calendar whose Tuesday has a lunch break at that time.
    auto cal = calendar_from(R"({"time_zone": "Europe/Moscow", "hours": {"mon-fri": "09:00-18:00",
                                 "tue": "09:00-13:00,14:00-18:00"}})");
    EXPECT_EQ(cal.format_local(add_duration(cal, at("2026-11-30T13:30:00+03:00"), d("P1D"))), "2026-12-01 13:00 MSK");
}

TEST(BusinessDuration, MixedDurationAddsDaysThenBusinessTime)
{
    auto cal = calendar_from(k_moscow);
    // Monday 15:00 + 1 day = Tuesday 15:00, + 4 business hours = Wednesday 10:00.
    EXPECT_EQ(cal.format_local(add_duration(cal, at("2026-11-30T15:00:00+03:00"), d("P1DT4H"))),
              "2026-12-02 10:00 MSK");
}

TEST(BusinessDuration, AroundTheClockDaysAreElapsedDays)
{
    BusinessCalendar cal;
    EXPECT_EQ(add_duration(cal, at("2026-11-27T14:30:00Z"), d("P3D")), at("2026-11-30T14:30:00Z"));
    EXPECT_EQ(add_duration(cal, at("2026-11-27T14:30:00Z"), d("PT72H")), at("2026-11-30T14:30:00Z"));
}

TEST(BusinessDuration, SubtractGoesBackInBusinessTime)
{
    auto cal = calendar_from(k_moscow);
    EXPECT_EQ(cal.format_local(subtract_duration(cal, at("2026-11-30T09:30:00+03:00"), d("PT1H"))),
              "2026-11-27 17:30 MSK");
    EXPECT_EQ(cal.format_local(subtract_duration(cal, at("2026-12-01T14:00:00+03:00"), d("P1D"))),
              "2026-11-30 14:00 MSK");
    EXPECT_EQ(cal.format_local(subtract_duration(cal, at("2026-11-30T14:00:00+03:00"), d("P1D"))),
              "2026-11-27 14:00 MSK");
}

TEST(BusinessDuration, DescribesTheRuleForExplain)
{
    auto cal = calendar_from(k_moscow);
    EXPECT_EQ(describe(d("PT4H"), cal), "PT4H (business time)");
    EXPECT_EQ(describe(d("P3D"), cal), "P3D (3 business days, same time of day)");
    EXPECT_EQ(describe(d("P1DT4H"), cal), "P1DT4H (1 business day, then 4h business time)");
    EXPECT_EQ(describe(d("P3D"), BusinessCalendar{}), "P3D (around the clock)");
    EXPECT_EQ(format_span(std::chrono::minutes{210}), "3h30m");
    EXPECT_EQ(format_span(std::chrono::hours{26}), "26h");
    EXPECT_EQ(format_span(Seconds{0}), "0m");
}
