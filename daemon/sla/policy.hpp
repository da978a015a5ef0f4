#pragma once
// An SLA policy: which tickets it covers (kind, severity, channel) and the targets it sets for them.

#include "business_duration.hpp"
#include "model/classification.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::sla {

// Who hears about a breach that stays unanswered (the second escalation level, e.g. the director).
struct Contact {
    std::string name;
    std::string email;
    std::string chat;  // "tg:123456"
};

struct Policy {
    std::string name;
    // A missing match key matches anything; a list matches any of its values.
    std::vector<Kind> kinds;
    std::vector<Severity> severities;
    std::vector<std::string> channels;  // compared case-insensitively: "email", "drop", "chat"

    // A missing target means the policy sets no such deadline (spam and automatic mail get none).
    std::optional<BusinessDuration> first_response;  // first human answer; the acknowledgement does not count
    std::optional<BusinessDuration> resolution;
    // Lead time of the warning to the assignee, measured back from the deadline in business time.
    std::optional<BusinessDuration> warn_before_first_response;
    std::optional<BusinessDuration> warn_before_resolution;
    // The second level hears of a breach this long (business time) after it.
    std::optional<BusinessDuration> second_level_after;
    std::optional<Contact> second_level;
    // A major complaint alerts the owner at once, before any deadline.
    bool alert_owner_on_arrival = false;

    bool matches(Kind kind, Severity severity, std::string_view channel) const;
    // "kind complaint, severity major, any channel".
    std::string describe_match() const;
};

// The first policy that matches wins; nullptr when none does (the ticket then has no deadlines).
const Policy* select_policy(const std::vector<Policy>& policies, Kind kind, Severity severity,
                            std::string_view channel);

// Used when the config has no "policies" key. The complaint handbooks ask for an answer the same day,
// a resolution within 3 to 10 days, and faster handling ("hours when possible") of major complaints:
//
//   major complaint   first response PT2H   resolution P3D    warn PT30M / PT4H, owner alerted on arrival
//   complaint         first response PT4H   resolution P10D   warn PT1H / P1D
//   question          first response PT8H   resolution P5D    warn PT1H / P1D
//   suggestion        first response P1D    resolution P10D   warn PT2H / P1D
//   gratitude         first response P1D    no resolution     warn PT2H
//   spam, automatic   no deadlines
//   anything else     first response PT8H   resolution P5D    warn PT1H / P1D
//
// With the common nine-hour day, PT4H means a complaint that arrives in the morning is answered the
// same day and one that arrives late in the afternoon by the next morning. The defaults have no second
// level, because there is nobody to name; a config adds "second_level" and "second_level_after".
std::vector<Policy> default_policies();

}  // namespace redress::sla
