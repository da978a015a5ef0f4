#pragma once
// A ticket as JSON, the one shape the manager's API and the command line (`tickets list --json`,
// `tickets show --json`) both print: codes for status, kind and severity, times in ISO 8601 UTC,
// null for a time not set.

#include "model/ticket.hpp"

#include <nlohmann/json.hpp>

namespace redress::api {

nlohmann::json ticket_json(const Ticket& ticket);

}  // namespace redress::api
