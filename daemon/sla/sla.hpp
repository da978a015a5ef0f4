#pragma once
// The SLA module in one include: calendar arithmetic, policies from config, deadlines from a ticket's
// history, the alerts they call for, and the text of `redress sla explain`. All of it is pure once
// parse_settings has loaded the time zone at start-up.

#include "alerts.hpp"
#include "business_calendar.hpp"
#include "business_duration.hpp"
#include "deadlines.hpp"
#include "explain.hpp"
#include "policy.hpp"
#include "settings.hpp"
