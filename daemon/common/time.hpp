#pragma once
// Time as the core sees it: points on the system clock, passed in as values. Nothing in the core
// reads the clock; adapters call Clock::now() and hand the result down.

#include "result.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace redress {

using Clock = std::chrono::system_clock;
using TimePoint = std::chrono::time_point<Clock, std::chrono::seconds>;
using Seconds = std::chrono::seconds;

inline TimePoint to_seconds(Clock::time_point t)
{
    return std::chrono::floor<Seconds>(t);
}

// "2026-11-26T09:15:00Z".
std::string format_iso8601_utc(TimePoint t);
// Accepts "YYYY-MM-DDTHH:MM:SSZ", "YYYY-MM-DD HH:MM:SS" (UTC) and an offset "+03:00".
std::optional<TimePoint> parse_iso8601(std::string_view text);

// ISO 8601 durations as config writes them: "PT4H", "P3D", "PT90M", "P1DT12H", "PT0.5S" is refused
// (whole seconds only). Years and months are refused: they have no fixed length.
Result<Seconds> parse_iso8601_duration(std::string_view text);
std::string format_iso8601_duration(Seconds d);

// RFC 5322 section 3.3 date, in UTC: "Thu, 26 Nov 2026 09:15:00 +0000".
std::string format_rfc5322_date(TimePoint t);
// Parses an RFC 5322 date (obsolete forms and zone names of section 4.3 too); nullopt if hopeless.
std::optional<TimePoint> parse_rfc5322_date(std::string_view text);

}  // namespace redress
