#include "business_calendar.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace redress::sla {

namespace {

constexpr long k_day = 86400;
// A calendar with weekly hours is never closed this long; a longer run means a calendar without
// hours reached the arithmetic, which parse_settings refuses.
constexpr int k_max_closed_days = 2 * 366;
constexpr std::array<const char*, 7> k_weekday_names{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

long floor_div(long a, long b)
{
    long q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

std::string format_hhmm(Seconds s)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02ld:%02ld", long(s.count() / 3600), long(s.count() % 3600 / 60));
    return buf;
}

std::string format_date(long day)
{
    std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
    return buf;
}

unsigned weekday_of(long day)
{
    // 1970-01-01 was a Thursday.
    return unsigned(((day % 7) + 7 + 4) % 7);
}

void never_runs_out(int closed_days)
{
    if (closed_days > k_max_closed_days)
        throw std::logic_error("business calendar has no opening hours: parse_settings should have refused it");
}

}  // namespace

std::string format_day_hours(const DayHours& hours)
{
    if (hours.empty())
        return "closed";
    std::string out;
    for (auto& p : hours) {
        if (!out.empty())
            out += ",";
        out += format_hhmm(p.begin) + "-" + format_hhmm(p.end);
    }
    return out;
}

BusinessCalendar::BusinessCalendar()
{
    for (auto& day : m_weekly)
        day = DayHours{{Seconds{0}, Seconds{k_day}}};
}

void BusinessCalendar::set_time_zone(const date::time_zone* zone, std::string name)
{
    m_zone = zone;
    m_zone_name = std::move(name);
}

void BusinessCalendar::set_weekday_hours(unsigned weekday, DayHours hours)
{
    m_weekly.at(weekday) = std::move(hours);
}

void BusinessCalendar::set_special_day(std::chrono::year_month_day local_date, DayHours hours, bool holiday)
{
    LocalDay day = std::chrono::sys_days{local_date}.time_since_epoch().count();
    m_special[day] = SpecialDay{std::move(hours), holiday};
}

bool BusinessCalendar::always_open() const
{
    if (!m_special.empty())
        return false;
    return std::all_of(m_weekly.begin(), m_weekly.end(), [](const DayHours& h) {
        return h.size() == 1 && h.front().begin == Seconds{0} && h.front().end == Seconds{k_day};
    });
}

bool BusinessCalendar::has_weekly_hours() const
{
    return std::any_of(m_weekly.begin(), m_weekly.end(), [](const DayHours& h) { return !h.empty(); });
}

const DayHours& BusinessCalendar::hours_on(std::chrono::year_month_day local_date) const
{
    return hours_on_day(std::chrono::sys_days{local_date}.time_since_epoch().count());
}

const DayHours& BusinessCalendar::hours_on_day(LocalDay day) const
{
    if (auto it = m_special.find(day); it != m_special.end())
        return it->second.hours;
    return m_weekly[weekday_of(day)];
}

BusinessCalendar::LocalDay BusinessCalendar::local_day_of(TimePoint t) const
{
    long local = m_zone ? long(m_zone->to_local(t).time_since_epoch().count()) : long(t.time_since_epoch().count());
    return floor_div(local, k_day);
}

Seconds BusinessCalendar::local_time_of_day(TimePoint t) const
{
    long local = m_zone ? long(m_zone->to_local(t).time_since_epoch().count()) : long(t.time_since_epoch().count());
    return Seconds{local - floor_div(local, k_day) * k_day};
}

TimePoint BusinessCalendar::to_utc(LocalDay day, Seconds time_of_day, bool latest) const
{
    Seconds local{day * k_day + time_of_day.count()};
    if (!m_zone)
        return TimePoint{local};
    // Wall-clock times that do not exist (the hour skipped in spring) map to the moment of the change;
    // times that happen twice (the hour repeated in autumn) open at the first and close at the second,
    // so a period that spans the repeated hour gets its full real length.
    return m_zone->to_sys(date::local_seconds{local}, latest ? date::choose::latest : date::choose::earliest);
}

std::vector<BusinessCalendar::Window> BusinessCalendar::windows_on(LocalDay day) const
{
    std::vector<Window> out;
    for (auto& p : hours_on_day(day)) {
        Window w{to_utc(day, p.begin, false), to_utc(day, p.end, true)};
        if (!out.empty())
            w.begin = std::max(w.begin, out.back().end);
        // A period that lies wholly in the skipped spring hour has no real time in it.
        if (w.end > w.begin)
            out.push_back(w);
    }
    return out;
}

bool BusinessCalendar::is_open(TimePoint t) const
{
    LocalDay day = local_day_of(t);
    for (LocalDay d = day - 1; d <= day; ++d)
        for (auto& w : windows_on(d))
            if (w.begin <= t && t < w.end)
                return true;
    return false;
}

TimePoint BusinessCalendar::add(TimePoint start, Seconds amount) const
{
    if (amount <= Seconds{0})
        return start;
    if (always_open())
        return start + amount;
    Seconds remaining = amount;
    // Start a day early: around a change of offset a window of the previous local day can reach
    // past `start`.
    int closed_days = 0;
    for (LocalDay day = local_day_of(start) - 1;; ++day) {
        auto windows = windows_on(day);
        closed_days = windows.empty() ? closed_days + 1 : 0;
        never_runs_out(closed_days);
        for (auto& w : windows) {
            if (w.end <= start)
                continue;
            TimePoint from = std::max(w.begin, start);
            Seconds available = w.end - from;
            if (available >= remaining)
                return from + remaining;
            remaining -= available;
        }
    }
}

TimePoint BusinessCalendar::subtract(TimePoint end, Seconds amount) const
{
    if (amount <= Seconds{0})
        return end;
    if (always_open())
        return end - amount;
    Seconds remaining = amount;
    int closed_days = 0;
    for (LocalDay day = local_day_of(end) + 1;; --day) {
        auto windows = windows_on(day);
        closed_days = windows.empty() ? closed_days + 1 : 0;
        never_runs_out(closed_days);
        for (auto w = windows.rbegin(); w != windows.rend(); ++w) {
            if (w->begin >= end)
                continue;
            TimePoint to = std::min(w->end, end);
            Seconds available = to - w->begin;
            if (available >= remaining)
                return to - remaining;
            remaining -= available;
        }
    }
}

Seconds BusinessCalendar::between(TimePoint from, TimePoint to) const
{
    if (to <= from)
        return Seconds{0};
    if (always_open())
        return to - from;
    Seconds total{0};
    TimePoint covered = from;
    LocalDay last = local_day_of(to) + 1;
    for (LocalDay day = local_day_of(from) - 1; day <= last; ++day)
        for (auto& w : windows_on(day)) {
            TimePoint b = std::max(w.begin, covered);
            TimePoint e = std::min(w.end, to);
            if (e > b) {
                total += e - b;
                covered = e;
            }
        }
    return total;
}

TimePoint BusinessCalendar::next_open(TimePoint t) const
{
    if (always_open())
        return t;
    int closed_days = 0;
    for (LocalDay day = local_day_of(t) - 1;; ++day) {
        auto windows = windows_on(day);
        closed_days = windows.empty() ? closed_days + 1 : 0;
        never_runs_out(closed_days);
        for (auto& w : windows)
            if (w.end > t)
                return std::max(w.begin, t);
    }
}

TimePoint BusinessCalendar::place_on_day(LocalDay day, Seconds time_of_day) const
{
    const DayHours& hours = hours_on_day(day);
    for (auto& p : hours)
        if (p.begin <= time_of_day && time_of_day <= p.end)
            return to_utc(day, time_of_day, time_of_day == p.end);
    const OpenPeriod* before = nullptr;
    for (auto& p : hours)
        if (p.end < time_of_day)
            before = &p;
    if (before)
        return to_utc(day, before->end, true);
    return to_utc(day, hours.front().begin, false);
}

TimePoint BusinessCalendar::add_days(TimePoint start, int days) const
{
    if (days <= 0)
        return start;
    TimePoint anchor = next_open(start);
    LocalDay day = local_day_of(anchor);
    Seconds time_of_day = local_time_of_day(anchor);
    for (int n = 0; n < days; ++n) {
        int closed_days = 0;
        do {
            ++day;
            never_runs_out(++closed_days);
        } while (hours_on_day(day).empty());
    }
    return place_on_day(day, time_of_day);
}

TimePoint BusinessCalendar::subtract_days(TimePoint end, int days) const
{
    if (days <= 0)
        return end;
    // Anchor on the last business moment at or before `end`: `end` itself inside (or at the close of)
    // a period, else the closing time before it.
    TimePoint anchor = end;
    if (!always_open()) {
        bool found = false;
        int closed_days = 0;
        for (LocalDay d = local_day_of(end) + 1; !found; --d) {
            auto windows = windows_on(d);
            closed_days = windows.empty() ? closed_days + 1 : 0;
            never_runs_out(closed_days);
            for (auto w = windows.rbegin(); w != windows.rend() && !found; ++w)
                if (w->begin <= end) {
                    anchor = std::min(w->end, end);
                    found = true;
                }
        }
    }
    LocalDay day = local_day_of(anchor);
    Seconds time_of_day = local_time_of_day(anchor);
    for (int n = 0; n < days; ++n) {
        int closed_days = 0;
        do {
            --day;
            never_runs_out(++closed_days);
        } while (hours_on_day(day).empty());
    }
    return place_on_day(day, time_of_day);
}

LocalTime BusinessCalendar::local_time(TimePoint t) const
{
    LocalTime out;
    out.zone_abbreviation = "UTC";
    if (m_zone) {
        auto info = m_zone->get_info(t);
        out.utc_offset = info.offset;
        out.zone_abbreviation = info.abbrev;
    }
    long local = long((t + out.utc_offset).time_since_epoch().count());
    long day = floor_div(local, k_day);
    out.date = std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{day}}};
    out.time_of_day = Seconds{local - day * k_day};
    out.weekday = weekday_of(day);
    return out;
}

std::string BusinessCalendar::format_local(TimePoint t) const
{
    LocalTime lt = local_time(t);
    long day = std::chrono::sys_days{lt.date}.time_since_epoch().count();
    return format_date(day) + " " + format_hhmm(lt.time_of_day) + " " + lt.zone_abbreviation;
}

std::string BusinessCalendar::format_local_day(TimePoint t) const
{
    LocalDay day = local_day_of(t);
    return std::string(k_weekday_names[weekday_of(day)]) + " " + format_date(day);
}

std::string BusinessCalendar::breakdown(TimePoint from, TimePoint to, int max_days) const
{
    if (to <= from)
        return "no time";
    std::string out;
    LocalDay first = local_day_of(from), last = local_day_of(to);
    // A deadline at midnight ends the day before; do not list the next day with nothing in it.
    if (local_time_of_day(to) == Seconds{0} && last > first)
        --last;
    for (LocalDay day = first; day <= last; ++day) {
        if (day - first >= max_days) {
            out += ", ...";
            break;
        }
        if (!out.empty())
            out += ", ";
        out += std::string(k_weekday_names[weekday_of(day)]) + " " + format_date(day) + " ";
        auto special = m_special.find(day);
        if (special != m_special.end() && special->second.holiday) {
            out += "holiday";
            continue;
        }
        if (hours_on_day(day).empty()) {
            out += "closed";
            continue;
        }
        Seconds sum{0};
        for (auto& w : windows_on(day)) {
            TimePoint b = std::max(w.begin, from), e = std::min(w.end, to);
            if (e > b)
                sum += e - b;
        }
        out += sum == Seconds{0} ? std::string("0m") : "";
        if (sum > Seconds{0}) {
            long long s = sum.count();
            if (s >= 3600)
                out += std::to_string(s / 3600) + "h";
            if (s % 3600 >= 60)
                out += std::to_string(s % 3600 / 60) + "m";
            if (s < 60)
                out += std::to_string(s) + "s";
        }
        if (special != m_special.end())
            out += " (special hours " + format_day_hours(special->second.hours) + ")";
    }
    return out;
}

std::vector<std::string> BusinessCalendar::describe() const
{
    std::vector<std::string> lines;
    if (always_open()) {
        lines.push_back("open around the clock, time zone " + m_zone_name);
        return lines;
    }
    lines.push_back("time zone " + m_zone_name + "; hours are local wall-clock time");
    // Runs of days with the same hours read better: "Mon-Fri 09:00-18:00; Sat-Sun closed".
    constexpr std::array<unsigned, 7> monday_first{1, 2, 3, 4, 5, 6, 0};
    std::string week;
    for (std::size_t i = 0; i < monday_first.size();) {
        std::size_t j = i;
        while (j + 1 < monday_first.size() && m_weekly[monday_first[j + 1]] == m_weekly[monday_first[i]])
            ++j;
        if (!week.empty())
            week += "; ";
        week += k_weekday_names[monday_first[i]];
        if (j > i)
            week += std::string("-") + k_weekday_names[monday_first[j]];
        week += " " + format_day_hours(m_weekly[monday_first[i]]);
        i = j + 1;
    }
    lines.push_back(week);
    std::string holidays, special;
    for (auto& [day, sd] : m_special) {
        if (sd.holiday)
            holidays += (holidays.empty() ? "" : ", ") + format_date(day);
        else
            special += (special.empty() ? "" : ", ") + format_date(day) + " " + format_day_hours(sd.hours);
    }
    if (!holidays.empty())
        lines.push_back("holidays: " + holidays);
    if (!special.empty())
        lines.push_back("special days: " + special);
    return lines;
}

}  // namespace redress::sla
