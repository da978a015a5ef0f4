#pragma once
// An SLA target as config writes it (ISO 8601), read with the rule Redress uses on a business calendar:
//
//   * hours, minutes and seconds (PT4H, PT90M) count business time: only the time inside opening
//     hours runs. Opened Friday 17:30 with hours 09:00-18:00, PT4H is due Monday 12:30.
//   * whole days and weeks (P3D, P1W = P7D) count business days: the deadline falls on the N-th
//     following business day at the same local time of day the clock started (the next opening if the
//     ticket came in while the company was closed). P3D from Thursday 14:00 over a weekend is due
//     Tuesday 14:00; over a Monday holiday, Wednesday 14:00.
//   * both (P1DT4H): the days first, then the business time.
//
// Why not "P3D = 72 business hours", as some helpdesks count: with nine-hour days that is eight
// calendar days, which nobody reading "3 days" expects. Why not "3 x the day's hours": days of
// different length (a short Friday, a lunch break) would make the deadline drift away from the time of
// day the customer was told. "Same time, N business days later" is what a person promises on the phone.
// Without a calendar (around the clock) both readings agree with plain elapsed time.

#include "business_calendar.hpp"
#include "common/result.hpp"

#include <string>
#include <string_view>

namespace redress::sla {

struct BusinessDuration {
    int days = 0;      // whole business days (D, and W as 7 D)
    Seconds time{0};   // business time (H, M, S)
    std::string text;  // as written in the config, "P1DT4H"

    bool zero() const { return days == 0 && time == Seconds{0}; }
};

// Accepts what parse_iso8601_duration accepts (no years or months), but no negative amounts.
Result<BusinessDuration> parse_business_duration(std::string_view text);

// The deadline `duration` after `start` (rule above).
TimePoint add_duration(const BusinessCalendar& calendar, TimePoint start, const BusinessDuration& duration);
// The instant `duration` before `end`: business time first, then days (the mirror of add_duration).
TimePoint subtract_duration(const BusinessCalendar& calendar, TimePoint end, const BusinessDuration& duration);

// "PT4H (business time)", "P3D (business days, same time of day)", "P1DT4H (1 business day, then 4h business time)".
std::string describe(const BusinessDuration& duration, const BusinessCalendar& calendar);
// "3h30m", "45m", "26h" for a span of business time in explanations (hours, never days).
std::string format_span(Seconds span);

}  // namespace redress::sla
