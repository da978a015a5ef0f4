#pragma once
// The "sla" key of the daemon config, read into a calendar and a list of policies.
//
//   "sla": {"calendar": {"time_zone": "Europe/Moscow",
//                        "hours": {"mon-fri": "09:00-18:00", "tue": "09:00-13:00,14:00-18:00", "sat": "closed"},
//                        "holidays": ["2026-12-31"],
//                        "special_days": {"2026-12-30": "09:00-16:00"}},
//           "policies": [{"name": "major complaint",
//                         "match": {"kind": "complaint", "severity": "major", "channel": ["email", "chat"]},
//                         "first_response": "PT4H", "resolution": "P3D",
//                         "warn_before": "PT1H",   // or {"first_response": "PT1H", "resolution": "P1D"}
//                         "second_level_after": "PT4H",
//                         "second_level": {"name": "Director", "email": "director@example.com"},
//                         "alert_owner_on_arrival": true}]}
//
// No "calendar": deadlines run around the clock in UTC. A calendar without "hours": Monday to Friday,
// 09:00-18:00. With "hours", a weekday that is not named is closed; a single day ("tue") overrides a
// range ("mon-fri") whatever the order. Holidays are closed all day; special days replace the weekday's
// hours on one date (a shortened eve of a holiday, a working Saturday). "first_response": null or a
// missing target sets no such deadline. Missing "policies": default_policies() (policy.hpp).
// "alert_owner_on_arrival" defaults to true for a policy that matches only major severity.

#include "business_calendar.hpp"
#include "policy.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace redress::sla {

struct SettingsProblem {
    std::string pointer;   // JSON pointer from the daemon config's root: "/sla/policies/0/first_response"
    std::string expected;  // "an ISO 8601 duration such as PT4H or P3D"
    std::string found;     // the value as written, or "nothing"
};

struct Settings {
    BusinessCalendar calendar;  // default: around the clock, UTC
    std::vector<Policy> policies = default_policies();
    bool policies_from_config = false;  // false when default_policies() apply (explain says so)
};

// Never throws. Problems are appended; the returned settings use a default wherever a value was bad,
// so a caller that only warns still gets something usable. Reads the time zone database
// (/usr/share/zoneinfo, via the tzdata package) for the named zone: call it at start-up or reload.
Settings parse_settings(const nlohmann::json& sla_json, std::vector<SettingsProblem>& problems);

inline const Policy* select_policy(const Settings& settings, Kind kind, Severity severity, std::string_view channel)
{
    return select_policy(settings.policies, kind, severity, channel);
}

// "/sla/calendar/time_zone: expected an IANA time zone name such as Europe/Moscow, found \"Mars/Base\"".
std::string to_string(const SettingsProblem& problem);

}  // namespace redress::sla
