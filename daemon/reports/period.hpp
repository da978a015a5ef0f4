#pragma once
// The period of a report: dates as people write them ("2026-11-01" to "2026-11-30", both days
// included) read in the company's time zone, turned into the instants [from, to). The previous
// period is the one of equal length just before it (recurring problems compare against it).

#include "common/result.hpp"
#include "common/time.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace date {
class time_zone;
}

namespace redress::reports {

struct Period {
    TimePoint from{};       // the first day's local midnight
    TimePoint to{};         // the local midnight after the last day (exclusive)
    std::string from_date;  // "2026-11-01"
    std::string to_date;    // "2026-11-30", inclusive
    int days = 0;
};

// Without `from` the period starts 29 days before `to` (30 days); without `to` it ends today (the
// local date at `now`). A date that is not YYYY-MM-DD, a zone the database lacks, or from after to
// is ErrorKind::invalid with a sentence saying which.
Result<Period> period_of(std::string_view from, std::string_view to, std::string_view time_zone, TimePoint now);

// The same number of days just before `period`.
Period previous_period(const Period& period, std::string_view time_zone);

// The local date ("2026-11-30") of an instant in the zone ("UTC" when the zone is unknown).
std::string local_date(TimePoint t, std::string_view time_zone);

// Local dates as day numbers (days since 1970-01-01), the key of the report aggregates: a date
// already checked ("2026-11-30"), and the local date of an instant in a zone located once.
std::int32_t day_number(std::string_view date);
class LocalDays {
public:
    explicit LocalDays(std::string_view time_zone);  // "UTC" when the zone is unknown
    std::int32_t of(TimePoint t) const;

private:
    const date::time_zone* m_zone;
};

// One bar of the volume over time: a day (periods up to 62 days), a week from the period's first
// day (up to 366 days), or a calendar month; `from` is its first instant, the next bucket's `from`
// (or the period's end) ends it. The label is the bucket's first local date ("2026-11-02"), or the
// month ("2026-11").
struct Bucket {
    std::string label;
    TimePoint from{};
};
std::string bucket_unit(const Period& period);
std::vector<Bucket> buckets_of(const Period& period, std::string_view time_zone);

}  // namespace redress::reports
