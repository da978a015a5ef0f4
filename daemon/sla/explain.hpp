#pragma once
// The text `redress sla explain NUMBER` prints: which policy applies and why, the calendar, and for
// each deadline how it was computed (start, business time per day, pauses, reopenings), where it stands
// at `now`, and when its alerts go out.

#include "deadlines.hpp"
#include "settings.hpp"

#include <string>

namespace redress::sla {

std::string explain(const Settings& settings, const DeadlineSet& deadlines, TimePoint now);

}  // namespace redress::sla
