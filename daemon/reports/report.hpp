#pragma once
// The reports as the API, the command line and the weekly digest ask for them: the rows are read
// through the store's Reports interface (no SQL here) and the figures computed by the pure code of
// figures.hpp and recurring.hpp.
//
// Recurring problems and fixes are looked for among complaints, or among the kind the filter names.

#include "figures.hpp"
#include "period.hpp"
#include "store/store.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace redress::reports {

struct ReportRequest {
    std::string from;            // "2026-11-01", inclusive; empty: 29 days before `to`
    std::string to;              // "2026-11-30", inclusive; empty: today
    store::ReportFilter filter;  // its dates are set from the period
};

// The summary: every figure of figures.hpp, the recurring problems ("recurring") and the fixes
// checked ("actions"), and the open corrective actions ("open_actions"). The figures come from the
// store's aggregates (brought up to date first); summary_by_scan counts them over every ticket of the
// period instead (the reference the tests and the benchmark compare with: the same object).
Result<nlohmann::json> summary(store::Reports& store, const ReportRequest& request, const ReportContext& context);
Result<nlohmann::json> summary_by_scan(store::Reports& store, const ReportRequest& request,
                                       const ReportContext& context);

// The recurring problems of the period, all of them: {"period", "previous_period", "groups"}.
Result<nlohmann::json> recurring(store::Reports& store, const ReportRequest& request, const ReportContext& context);

// The period's tickets, one CSV line each with its figures (RFC 4180: CRLF, quotes doubled).
Result<std::string> tickets_csv(store::Reports& store, const ReportRequest& request, const ReportContext& context);

}  // namespace redress::reports
