#include "period.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cstdio>

namespace redress::reports {

namespace {

const date::time_zone* zone_named(std::string_view name)
{
    try {
        return date::locate_zone(std::string(name.empty() ? "UTC" : name));
    } catch (const std::exception&) {
        // date throws std::runtime_error for a name the database lacks.
        return nullptr;
    }
}

std::optional<date::year_month_day> parse_date(std::string_view text)
{
    int y = 0;
    unsigned m = 0, d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    for (std::size_t i : {0U, 1U, 2U, 3U, 5U, 6U, 8U, 9U})
        if (text[i] < '0' || text[i] > '9')
            return std::nullopt;
    if (std::sscanf(std::string(text).c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3)
        return std::nullopt;
    date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.ok())
        return std::nullopt;
    return ymd;
}

// The first instant of a local day; on a day whose midnight a DST change skips, the first instant
// that exists.
TimePoint midnight(const date::time_zone* zone, date::local_days day)
{
    auto info = zone->get_info(date::local_seconds{day.time_since_epoch()});
    date::sys_seconds t{};
    switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:
        t = date::sys_seconds{day.time_since_epoch()} - info.first.offset;
        break;
    case date::local_info::nonexistent:
        t = info.second.begin;
        break;
    }
    return TimePoint{std::chrono::duration_cast<Seconds>(t.time_since_epoch())};
}

date::local_days local_day(const date::time_zone* zone, TimePoint t)
{
    auto local =
        zone->to_local(date::sys_seconds{std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch())});
    return date::floor<date::days>(local);
}

std::string format_day(date::local_days day)
{
    date::year_month_day ymd{day};
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buffer;
}

Period make_period(const date::time_zone* zone, date::local_days first, date::local_days last)
{
    Period p;
    p.from = midnight(zone, first);
    p.to = midnight(zone, last + date::days{1});
    p.from_date = format_day(first);
    p.to_date = format_day(last);
    p.days = static_cast<int>((last - first).count()) + 1;
    return p;
}

Error invalid(std::string message)
{
    return make_error(ErrorKind::invalid, "reports.period", std::move(message));
}

}  // namespace

Result<Period> period_of(std::string_view from, std::string_view to, std::string_view time_zone, TimePoint now)
{
    const date::time_zone* zone = zone_named(time_zone);
    if (!zone)
        return invalid("The company's time zone \"" + std::string(time_zone) + "\" is not in the time zone database.");
    date::local_days last = local_day(zone, now);
    if (!to.empty()) {
        auto d = parse_date(to);
        if (!d)
            return invalid("\"to\" must be a date such as 2026-11-30; found \"" + std::string(to) + "\".");
        last = date::local_days{*d};
    }
    date::local_days first = last - date::days{29};
    if (!from.empty()) {
        auto d = parse_date(from);
        if (!d)
            return invalid("\"from\" must be a date such as 2026-11-01; found \"" + std::string(from) + "\".");
        first = date::local_days{*d};
    }
    if (first > last)
        return invalid("\"from\" (" + format_day(first) + ") is after \"to\" (" + format_day(last) + ").");
    if ((last - first).count() > 3660)
        return invalid("The period is longer than ten years; choose a shorter one.");
    return make_period(zone, first, last);
}

Period previous_period(const Period& period, std::string_view time_zone)
{
    const date::time_zone* zone = zone_named(time_zone);
    if (!zone)
        zone = date::locate_zone("UTC");
    auto first = date::local_days{*parse_date(period.from_date)};
    return make_period(zone, first - date::days{period.days}, first - date::days{1});
}

std::int32_t day_number(std::string_view date)
{
    auto d = parse_date(date);
    return d ? static_cast<std::int32_t>(date::local_days{*d}.time_since_epoch().count()) : 0;
}

LocalDays::LocalDays(std::string_view time_zone)
    : m_zone(zone_named(time_zone))
{
    if (!m_zone)
        m_zone = date::locate_zone("UTC");
}

std::int32_t LocalDays::of(TimePoint t) const
{
    return static_cast<std::int32_t>(local_day(m_zone, t).time_since_epoch().count());
}

std::string local_date(TimePoint t, std::string_view time_zone)
{
    const date::time_zone* zone = zone_named(time_zone);
    if (!zone)
        zone = date::locate_zone("UTC");
    return format_day(local_day(zone, t));
}

std::string bucket_unit(const Period& period)
{
    if (period.days <= 62)
        return "day";
    if (period.days <= 366)
        return "week";
    return "month";
}

std::vector<Bucket> buckets_of(const Period& period, std::string_view time_zone)
{
    const date::time_zone* zone = zone_named(time_zone);
    if (!zone)
        zone = date::locate_zone("UTC");
    auto first = date::local_days{*parse_date(period.from_date)};
    auto end = first + date::days{period.days};
    std::vector<Bucket> out;
    std::string unit = bucket_unit(period);
    if (unit == "month") {
        date::year_month_day ymd{first};
        for (auto month = ymd.year() / ymd.month(); date::local_days{month / 1} < end; month += date::months{1}) {
            auto start = std::max(first, date::local_days{month / 1});
            out.push_back(Bucket{format_day(start).substr(0, 7), midnight(zone, start)});
        }
        return out;
    }
    int step = unit == "day" ? 1 : 7;
    for (auto day = first; day < end; day += date::days{step})
        out.push_back(Bucket{format_day(day), midnight(zone, day)});
    return out;
}

}  // namespace redress::reports
