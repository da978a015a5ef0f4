#pragma once
// The reports through the API (managers and the owner): the summary of a period with its figures,
// recurring problems and fixes checked; the recurring problems alone; the period's tickets as CSV.
// Every one takes from= and to= (dates, both included, in the company's time zone) and the filters
// kind=, channel=, department=, language=, severity=.

#include "context.hpp"
#include "http/request.hpp"
#include "reports/report.hpp"

namespace redress::api {

// The request's period and filters (ErrorKind::invalid naming an unknown or malformed one).
Result<reports::ReportRequest> report_request(const http::Request& request);
// The company's zone, the SLA calendar and `now`, from the running configuration.
reports::ReportContext report_context(const ApiContext& context);

// GET /api/v1/reports/summary
http::Response report_summary(const ApiContext& context, const http::Request& request);
// GET /api/v1/reports/recurring
http::Response report_recurring(const ApiContext& context, const http::Request& request);
// GET /api/v1/reports/tickets.csv
http::Response report_csv(const ApiContext& context, const http::Request& request);

}  // namespace redress::api
