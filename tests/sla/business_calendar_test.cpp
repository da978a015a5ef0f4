// Business-time arithmetic on real IANA zones (the system tz database), with weekends, holidays,
// lunch breaks, special days and both kinds of daylight-saving change.

#include "sla_test_support.hpp"

using namespace redress;
using namespace redress::sla;
using redress::sla::test::at;
using redress::sla::test::calendar_from;

namespace {

const char* k_moscow = R"({"time_zone": "Europe/Moscow", "hours": {"mon-fri": "09:00-18:00"}})";
const char* k_moscow_holiday = R"({"time_zone": "Europe/Moscow", "hours": {"mon-fri": "09:00-18:00"},
                                   "holidays": ["2026-11-30"]})";
const char* k_lisbon = R"({"time_zone": "Europe/Lisbon", "hours": {"mon-fri": "09:00-18:00"}})";
// Open all day every day, but not "always open" (one holiday far away), so the day-by-day windows and
// their real lengths are what the arithmetic walks.
const char* k_lisbon_all_day = R"({"time_zone": "Europe/Lisbon", "hours": {"mon-sun": "00:00-24:00"},
                                   "holidays": ["2030-01-01"]})";

}  // namespace

TEST(BusinessCalendar, DefaultRunsAroundTheClockInUtc)
{
    BusinessCalendar cal;
    EXPECT_TRUE(cal.always_open());
    EXPECT_EQ(cal.add(at("2026-11-28T23:00:00Z"), std::chrono::hours{4}), at("2026-11-29T03:00:00Z"));
    EXPECT_EQ(cal.between(at("2026-11-27T18:00:00Z"), at("2026-11-30T09:00:00Z")), std::chrono::hours{63});
    EXPECT_EQ(cal.format_local(at("2026-11-26T09:15:00Z")), "2026-11-26 09:15 UTC");
}

TEST(BusinessCalendar, OpenedFridayAfterFiveThirtyIsDueMondayMorning)
{
    auto cal = calendar_from(k_moscow);
    // Half an hour on Friday, three and a half on Monday.
    auto due = cal.add(at("2026-11-27T17:30:00+03:00"), std::chrono::hours{4});
    EXPECT_EQ(cal.format_local(due), "2026-11-30 12:30 MSK");
}

TEST(BusinessCalendar, OpenedOnSundayStartsAtMondayOpening)
{
    auto cal = calendar_from(k_moscow);
    EXPECT_EQ(cal.format_local(cal.add(at("2026-11-29T15:00:00+03:00"), std::chrono::hours{4})),
              "2026-11-30 13:00 MSK");
    EXPECT_EQ(cal.format_local(cal.next_open(at("2026-11-29T15:00:00+03:00"))), "2026-11-30 09:00 MSK");
}

TEST(BusinessCalendar, OpenedBeforeOpeningStartsAtOpening)
{
    auto cal = calendar_from(k_moscow);
    EXPECT_EQ(cal.format_local(cal.add(at("2026-12-01T06:10:00+03:00"), std::chrono::minutes{30})),
              "2026-12-01 09:30 MSK");
}

TEST(BusinessCalendar, HolidayOnMondayIsSkipped)
{
    auto cal = calendar_from(k_moscow_holiday);
    EXPECT_EQ(cal.format_local(cal.add(at("2026-11-27T17:30:00+03:00"), std::chrono::hours{4})),
              "2026-12-01 12:30 MSK");
}

TEST(BusinessCalendar, OpenedInsideLunchBreakCountsFromAfterLunch)
{
    auto cal = calendar_from(R"({"time_zone": "Europe/Moscow", "hours": {"mon-fri": "09:00-13:00,14:00-18:00"}})");
    EXPECT_FALSE(cal.is_open(at("2026-12-01T13:20:00+03:00")));
    EXPECT_EQ(cal.format_local(cal.add(at("2026-12-01T13:20:00+03:00"), std::chrono::hours{1})),
              "2026-12-01 15:00 MSK");
    // A span that crosses the break skips it.
    EXPECT_EQ(cal.format_local(cal.add(at("2026-12-01T12:30:00+03:00"), std::chrono::hours{1})),
              "2026-12-01 14:30 MSK");
}

TEST(BusinessCalendar, DeadlineThatUsesTheWholeDayFallsAtClosingTime)
{
    auto cal = calendar_from(k_moscow);
    EXPECT_EQ(cal.format_local(cal.add(at("2026-11-30T09:00:00+03:00"), std::chrono::hours{9})),
              "2026-11-30 18:00 MSK");
    EXPECT_EQ(cal.format_local(cal.add(at("2026-11-30T09:00:00+03:00"), std::chrono::hours{9} + Seconds{1})),
              "2026-12-01 09:00 MSK");
}

TEST(BusinessCalendar, LisbonSpringForwardKeepsLocalOfficeHours)
{
    // Clocks go from 01:00 WET to 02:00 WEST on Sunday 2026-03-29. Friday's office hours are 09:00-18:00
    // UTC, Monday's 08:00-17:00 UTC; counting in UTC would say 12:00 UTC, an hour late.
    auto cal = calendar_from(k_lisbon);
    auto due = cal.add(at("2026-03-27T17:00:00Z"), std::chrono::hours{4});
    EXPECT_EQ(cal.format_local(due), "2026-03-30 12:00 WEST");
    EXPECT_EQ(due, at("2026-03-30T11:00:00Z"));
}

TEST(BusinessCalendar, LisbonFallBackKeepsLocalOfficeHours)
{
    // Clocks go from 02:00 WEST back to 01:00 WET on Sunday 2026-10-25.
    auto cal = calendar_from(k_lisbon);
    auto due = cal.add(at("2026-10-23T17:00:00+01:00"), std::chrono::hours{4});
    EXPECT_EQ(cal.format_local(due), "2026-10-26 12:00 WET");
    EXPECT_EQ(due, at("2026-10-26T12:00:00Z"));
}

TEST(BusinessCalendar, LisbonDstDaysHaveTheirRealLength)
{
    auto cal = calendar_from(k_lisbon_all_day);
    ASSERT_FALSE(cal.always_open());
    EXPECT_EQ(cal.between(at("2026-03-29T00:00:00Z"), at("2026-03-30T00:00:00+01:00")), std::chrono::hours{23});
    EXPECT_EQ(cal.between(at("2026-10-25T00:00:00+01:00"), at("2026-10-26T00:00:00Z")), std::chrono::hours{25});
    // 24 hours of business time from Saturday noon cross the lost hour.
    EXPECT_EQ(cal.format_local(cal.add(at("2026-03-28T12:00:00Z"), std::chrono::hours{24})), "2026-03-29 13:00 WEST");
}

TEST(BusinessCalendar, WholeDaysKeepTheLocalTimeAcrossDst)
{
    auto cal = calendar_from(k_lisbon_all_day);
    auto next = cal.add_days(at("2026-03-28T12:00:00Z"), 1);
    EXPECT_EQ(cal.format_local(next), "2026-03-29 12:00 WEST");
    EXPECT_EQ(next - at("2026-03-28T12:00:00Z"), std::chrono::hours{23});
    EXPECT_EQ(cal.format_local(cal.add_days(at("2026-10-24T12:00:00+01:00"), 1)), "2026-10-25 12:00 WET");
}

TEST(BusinessCalendar, MoscowKeepsUtcPlusThreeAllYearSince2014)
{
    auto cal = calendar_from(k_moscow);
    // Winter and summer alike: 09:00 MSK is 06:00 UTC (no daylight saving since 26 October 2014).
    EXPECT_TRUE(cal.is_open(at("2026-01-15T06:00:00Z")));
    EXPECT_TRUE(cal.is_open(at("2026-07-15T06:00:00Z")));
    EXPECT_FALSE(cal.is_open(at("2026-07-15T05:59:00Z")));
    EXPECT_EQ(cal.format_local(at("2026-01-15T06:00:00Z")), "2026-01-15 09:00 MSK");
    EXPECT_EQ(cal.format_local(at("2026-07-15T06:00:00Z")), "2026-07-15 09:00 MSK");
    // The rules are the real history, not a fixed offset: summer 2010 was MSD (+4), 2013 was +4 all year.
    EXPECT_EQ(cal.format_local(at("2010-07-15T05:00:00Z")), "2010-07-15 09:00 MSD");
    EXPECT_EQ(cal.format_local(at("2013-01-15T05:00:00Z")), "2013-01-15 09:00 MSK");
    // Across the last change (Sunday 26 October 2014, +4 to +3), Friday and Monday both open at 09:00 local.
    EXPECT_EQ(cal.format_local(cal.add(at("2014-10-24T17:00:00+04:00"), std::chrono::hours{2})),
              "2014-10-27 10:00 MSK");
    EXPECT_EQ(cal.add(at("2014-10-24T17:00:00+04:00"), std::chrono::hours{2}), at("2014-10-27T07:00:00Z"));
}

TEST(BusinessCalendar, BetweenCountsOnlyOpeningHours)
{
    auto cal = calendar_from(k_moscow_holiday);
    EXPECT_EQ(cal.between(at("2026-11-27T17:00:00+03:00"), at("2026-12-01T10:00:00+03:00")), std::chrono::hours{2});
    EXPECT_EQ(cal.between(at("2026-12-01T10:00:00+03:00"), at("2026-11-27T17:00:00+03:00")), Seconds{0});
}

TEST(BusinessCalendar, SubtractIsTheMirrorOfAdd)
{
    auto cal = calendar_from(k_moscow);
    EXPECT_EQ(cal.format_local(cal.subtract(at("2026-11-30T12:30:00+03:00"), std::chrono::hours{4})),
              "2026-11-27 17:30 MSK");
    // One hour before an opening-time deadline is the previous day's last hour.
    EXPECT_EQ(cal.format_local(cal.subtract(at("2026-11-30T09:30:00+03:00"), std::chrono::hours{1})),
              "2026-11-27 17:30 MSK");
}

TEST(BusinessCalendar, AddAndBetweenAgreeEverywhere)
{
    // A sweep over starts and amounts in a calendar with a lunch break, a holiday, a short day and a
    // DST change: whatever add() returns must hold exactly that much business time, and subtract()
    // must lead back to the instant the clock started.
    auto cal = calendar_from(R"({"time_zone": "Europe/Lisbon", "hours": {"mon-fri": "09:00-13:00,14:00-18:00",
                                 "sat": "10:00-14:00"}, "holidays": ["2026-03-30"],
                                 "special_days": {"2026-03-27": "09:00-12:00"}})");
    TimePoint first = at("2026-03-25T00:00:00Z");
    int checked = 0;
    for (long step = 0; step < 24 * 8; step += 5) {
        TimePoint start = first + std::chrono::hours{step} + std::chrono::minutes{step % 60};
        for (long minutes : {1L, 59L, 240L, 540L, 1000L, 3000L}) {
            Seconds amount = std::chrono::minutes{minutes};
            TimePoint due = cal.add(start, amount);
            ASSERT_EQ(cal.between(start, due), amount) << cal.format_local(start) << " + " << minutes << "m";
            ASSERT_EQ(cal.between(cal.subtract(due, amount), due), amount);
            ASSERT_EQ(cal.subtract(due, amount), cal.next_open(start));
            ++checked;
        }
    }
    EXPECT_GT(checked, 200);
}

TEST(BusinessCalendar, SpecialDayReplacesWeekdayHours)
{
    auto cal = calendar_from(R"({"time_zone": "Europe/Moscow", "hours": {"mon-fri": "09:00-18:00"},
                                 "holidays": ["2026-12-31"], "special_days": {"2026-12-30": "09:00-16:00",
                                 "2027-01-02": "10:00-15:00"}})");
    // Wednesday closes at 16:00; Thursday is a holiday; Friday 1 January is an ordinary weekday here;
    // Saturday 2 January is a working Saturday.
    EXPECT_EQ(cal.format_local(cal.add(at("2026-12-30T15:00:00+03:00"), std::chrono::hours{2})),
              "2027-01-01 10:00 MSK");
    EXPECT_EQ(cal.format_local(cal.add(at("2027-01-01T17:00:00+03:00"), std::chrono::hours{2})),
              "2027-01-02 11:00 MSK");
}

TEST(BusinessCalendar, BreakdownShowsEachDay)
{
    auto cal = calendar_from(k_moscow_holiday);
    EXPECT_EQ(cal.breakdown(at("2026-11-27T17:30:00+03:00"), at("2026-12-01T12:30:00+03:00")),
              "Fri 2026-11-27 30m, Sat 2026-11-28 closed, Sun 2026-11-29 closed, Mon 2026-11-30 holiday, "
              "Tue 2026-12-01 3h30m");
}

TEST(BusinessCalendar, FormatsLocalTimeWithZoneAbbreviation)
{
    auto cal = calendar_from(k_moscow);
    EXPECT_EQ(format_local(cal, at("2026-11-26T09:15:00Z")), "2026-11-26 12:15 MSK");
    EXPECT_EQ(cal.format_local_day(at("2026-11-26T22:15:00Z")), "Fri 2026-11-27");
}

TEST(BusinessCalendar, LocalTimePartsForLetters)
{
    auto cal = calendar_from(k_lisbon);
    LocalTime lt = cal.local_time(at("2026-03-30T11:25:00Z"));
    EXPECT_EQ(lt.date,
              (std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::March, std::chrono::day{30}}));
    EXPECT_EQ(lt.time_of_day, std::chrono::hours{12} + std::chrono::minutes{25});
    EXPECT_EQ(lt.weekday, 1u);
    EXPECT_EQ(lt.zone_abbreviation, "WEST");
    EXPECT_EQ(lt.utc_offset, std::chrono::hours{1});
}
