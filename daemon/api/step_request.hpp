#pragma once
// A workflow step as the API and the CLI receive it: the JSON body of
// POST /api/v1/tickets/{number}/{step} read into a tickets::Step, with the preview flag, the
// person's own letter text and the version the client saw (If-Match). Pure: JSON in, values out.

#include "common/result.hpp"
#include "service/ticket_service.hpp"
#include "tickets/workflow.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace redress::api {

// The service's command (daemon/service/ticket_service.hpp): the step, the preview flag, the
// person's own letter text and the version the client saw (If-Match).
using StepRequest = service::StepCommand;

// Reads the body for this kind of step. A field of the wrong type, an unknown field, a date that
// is no date, or a body that is no JSON object are `invalid` errors that name the field.
Result<StepRequest> step_request(tickets::StepKind kind, const nlohmann::json& body);
// The same from the body's text (bad JSON is `invalid` too, with where it broke).
Result<StepRequest> parse_step_request(tickets::StepKind kind, std::string_view body);

// ETag of a ticket version: "\"v12\"". If-Match accepts that form (or a weak W/ one) and "*".
std::string etag(std::int64_t version);
// nullopt for "*" or no header; an `invalid` error for a header we did not write.
Result<std::optional<std::int64_t>> parse_if_match(std::optional<std::string> header);

// A date ("2026-12-04") or a time ("2026-12-04T17:00:00Z"); a date is the start of that day, UTC.
std::optional<TimePoint> parse_due(std::string_view text);

}  // namespace redress::api
