#pragma once
// The weekly digest to the owner: when it is due (a weekday and a time of day in the company's time
// zone) and the words that fill its letter (templates/<lang>/weekly_digest.txt) from a summary.
// Pure: the schedule is arithmetic on `now`, the values come from the summary's JSON.

#include "common/time.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace redress::reports {

struct DigestSchedule {
    unsigned weekday = 1;  // 0 = Sunday
    Seconds time{9 * 3600};
};

// One week's digest: the scheduled moment, the seven local days before that moment's day, and the
// dedup key of its letter ("digest:<last day>"), the same whoever computes it, so that the letter is
// queued once per week even across restarts.
struct DigestWeek {
    TimePoint at{};
    std::string from;  // "2026-11-23" (a Monday when the digest goes out on Mondays)
    std::string to;    // "2026-11-29", included
    std::string dedup_key;
};

// The latest scheduled moment at or before `now`, with its week.
DigestWeek latest_digest(const DigestSchedule& schedule, std::string_view time_zone, TimePoint now);
// The first scheduled moment after `now`.
TimePoint next_digest(const DigestSchedule& schedule, std::string_view time_zone, TimePoint now);

// The placeholder values (digest.*) of the letter, written for `language` ("en", "ru"; others get
// English words for the few words the values hold).
std::map<std::string, std::string, std::less<>> digest_values(const nlohmann::json& summary, std::string_view language);

}  // namespace redress::reports
