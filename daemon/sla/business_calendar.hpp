#pragma once
// When the company works: opening hours per weekday in local wall-clock time, a time zone, holidays
// and special days. Deadlines count only the time inside these hours.
//
// Every function here is pure: the time zone rules are loaded once at start-up (parse_settings) and
// after that only read. A default-constructed calendar is open around the clock in UTC, which is what
// deadlines use when the config names no calendar.

#include "common/time.hpp"

#include <array>
#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace date {
class time_zone;
}

namespace redress::sla {

// One span of opening hours: local wall-clock seconds since midnight, [begin, end). end may be 24:00.
struct OpenPeriod {
    Seconds begin{0};
    Seconds end{0};
    friend bool operator==(const OpenPeriod&, const OpenPeriod&) = default;
};
// The opening hours of one day, sorted and disjoint; empty means closed.
using DayHours = std::vector<OpenPeriod>;

// "09:00-13:00,14:00-18:00"; "closed" for an empty list; "00:00-24:00" for a whole day.
std::string format_day_hours(const DayHours& hours);

// A moment as the company's clock shows it, for letters that write times in the customer's language.
struct LocalTime {
    std::chrono::year_month_day date;
    Seconds time_of_day{0};
    unsigned weekday = 0;           // 0 = Sunday
    std::string zone_abbreviation;  // "MSK", "WEST", "UTC"
    Seconds utc_offset{0};
};

class BusinessCalendar {
public:
    // Open around the clock, in UTC.
    BusinessCalendar();

    // zone comes from date::locate_zone and lives as long as the process (the tz database never
    // unloads). nullptr means UTC.
    void set_time_zone(const date::time_zone* zone, std::string name);
    // weekday: 0 = Sunday ... 6 = Saturday (C encoding).
    void set_weekday_hours(unsigned weekday, DayHours hours);
    // A holiday is a special day with no hours; a shortened day or a working Saturday has its own hours.
    void set_special_day(std::chrono::year_month_day local_date, DayHours hours, bool holiday);

    const std::string& time_zone_name() const { return m_zone_name; }
    const DayHours& weekday_hours(unsigned weekday) const { return m_weekly.at(weekday); }
    // True when every instant is business time: then business time is plain elapsed time.
    bool always_open() const;
    // True when at least one weekday has hours, so that business time never runs out.
    bool has_weekly_hours() const;

    // The opening hours that apply on a local date (special days first, then the weekday).
    const DayHours& hours_on(std::chrono::year_month_day local_date) const;
    bool is_open(TimePoint t) const;

    // `amount` of business time after `start`. A deadline that uses up the last second of a day's
    // hours falls at the closing time, not at the next opening. amount <= 0 returns start.
    TimePoint add(TimePoint start, Seconds amount) const;
    // The instant `amount` of business time before `end` (for warnings ahead of a deadline).
    TimePoint subtract(TimePoint end, Seconds amount) const;
    // Business time inside [from, to); zero when to <= from.
    Seconds between(TimePoint from, TimePoint to) const;
    // t itself when the company is open at t, else the next opening.
    TimePoint next_open(TimePoint t) const;

    // Whole business days: the clock starts at next_open(start); the result is the same local time of
    // day on the `days`-th following business day. If the company is closed at that time on that day,
    // the result is the closing time of the last period before it, or the day's opening when that time
    // comes before the first period.
    TimePoint add_days(TimePoint start, int days) const;
    // The mirror image of add_days, for warnings given in days.
    TimePoint subtract_days(TimePoint end, int days) const;

    LocalTime local_time(TimePoint t) const;
    // "2026-11-26 12:15 MSK": local time and the zone's abbreviation.
    std::string format_local(TimePoint t) const;
    // "Fri 2026-11-27" in local time.
    std::string format_local_day(TimePoint t) const;
    // Day by day, how much business time [from, to) holds, for `redress sla explain`:
    // "Fri 2026-11-27 30m, Sat closed, Sun closed, Mon 2026-11-30 holiday, Tue 2026-12-01 3h30m".
    // Long spans are cut after `max_days` days with "...".
    std::string breakdown(TimePoint from, TimePoint to, int max_days = 21) const;
    // Several lines for `redress sla explain`: zone, hours per weekday, special days.
    std::vector<std::string> describe() const;

private:
    struct Window {
        TimePoint begin, end;
    };
    struct SpecialDay {
        DayHours hours;
        bool holiday = false;
    };
    using LocalDay = long;  // days since 1970-01-01 on the local calendar

    LocalDay local_day_of(TimePoint t) const;
    Seconds local_time_of_day(TimePoint t) const;
    TimePoint to_utc(LocalDay day, Seconds time_of_day, bool latest) const;
    const DayHours& hours_on_day(LocalDay day) const;
    std::vector<Window> windows_on(LocalDay day) const;
    TimePoint place_on_day(LocalDay day, Seconds time_of_day) const;

    const date::time_zone* m_zone = nullptr;
    std::string m_zone_name = "UTC";
    std::array<DayHours, 7> m_weekly;
    std::map<LocalDay, SpecialDay> m_special;
};

// The brief's free-function spelling, for callers that prefer it.
inline TimePoint add_business_time(const BusinessCalendar& calendar, TimePoint start, Seconds amount)
{
    return calendar.add(start, amount);
}
inline std::string format_local(const BusinessCalendar& calendar, TimePoint t)
{
    return calendar.format_local(t);
}

}  // namespace redress::sla
