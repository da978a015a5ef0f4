#include "business_duration.hpp"

#include "common/text.hpp"

namespace redress::sla {

Result<BusinessDuration> parse_business_duration(std::string_view text)
{
    // The common parser validates the whole text and gives the config author a precise message; the
    // date part (before T) and the time part are then read apart so days keep their own meaning.
    auto total = parse_iso8601_duration(text);
    if (!total)
        return total.error();
    std::string_view s = trim(text);
    if (s.find('-') != std::string_view::npos || total->count() < 0)
        return make_error("duration.negative",
                          "\"" + std::string(text) + "\" is negative; an SLA target must be zero or more (PT4H, P3D)");
    BusinessDuration out;
    out.text = std::string(s);
    std::size_t t = s.find('T');
    std::string_view date_part = s.substr(0, t);  // "P3D" or "P"
    if (date_part.size() > 1) {
        auto days = parse_iso8601_duration(date_part);
        if (!days)
            return days.error();
        out.days = int(days->count() / 86400);
    }
    if (t != std::string_view::npos) {
        auto time = parse_iso8601_duration("P" + std::string(s.substr(t)));
        if (!time)
            return time.error();
        out.time = *time;
    }
    return out;
}

TimePoint add_duration(const BusinessCalendar& calendar, TimePoint start, const BusinessDuration& duration)
{
    TimePoint t = calendar.add_days(start, duration.days);
    return calendar.add(t, duration.time);
}

TimePoint subtract_duration(const BusinessCalendar& calendar, TimePoint end, const BusinessDuration& duration)
{
    TimePoint t = calendar.subtract(end, duration.time);
    return calendar.subtract_days(t, duration.days);
}

std::string describe(const BusinessDuration& duration, const BusinessCalendar& calendar)
{
    if (calendar.always_open())
        return duration.text + " (around the clock)";
    if (duration.days == 0)
        return duration.text + " (business time)";
    std::string days = std::to_string(duration.days) + (duration.days == 1 ? " business day" : " business days");
    if (duration.time == Seconds{0})
        return duration.text + " (" + days + ", same time of day)";
    return duration.text + " (" + days + ", then " + format_span(duration.time) + " business time)";
}

std::string format_span(Seconds span)
{
    // Hours, never days: a "day" of business time would be read as a calendar day.
    long long s = span.count();
    std::string out = s < 0 ? "-" : "";
    if (s < 0)
        s = -s;
    long long h = s / 3600, m = s % 3600 / 60, sec = s % 60;
    if (h > 0)
        out += std::to_string(h) + "h";
    if (m > 0)
        out += std::to_string(m) + "m";
    if (sec > 0 && h == 0)
        out += std::to_string(sec) + "s";
    if (h == 0 && m == 0 && sec == 0)
        out += "0m";
    return out;
}

}  // namespace redress::sla
