#include "time.hpp"

#include "text.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace redress {

using namespace std::chrono;

namespace {

constexpr std::array<const char*, 7> k_weekdays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 12> k_months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct Civil {
    int year;
    unsigned month, day;
    long hours, minutes, seconds;
    unsigned weekday;  // 0 = Sunday
};

Civil to_civil(TimePoint t)
{
    auto days = floor<std::chrono::days>(t);
    year_month_day ymd{days};
    hh_mm_ss hms{t - days};
    return Civil{int(ymd.year()),       unsigned(ymd.month()), unsigned(ymd.day()),       hms.hours().count(),
                 hms.minutes().count(), hms.seconds().count(), weekday{days}.c_encoding()};
}

std::optional<TimePoint> from_civil(int y, unsigned mo, unsigned d, long h, long mi, long s)
{
    year_month_day ymd{year{y}, month{mo}, day{d}};
    if (!ymd.ok() || h > 23 || mi > 59 || s > 60)
        return std::nullopt;
    return TimePoint{sys_days{ymd}.time_since_epoch() + hours{h} + minutes{mi} + Seconds{s}};
}

bool read_int(std::string_view& s, std::size_t digits, long& out)
{
    if (s.size() < digits)
        return false;
    long v = 0;
    for (std::size_t i = 0; i < digits; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i])))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    s.remove_prefix(digits);
    return true;
}

bool consume(std::string_view& s, char c)
{
    if (s.empty() || s.front() != c)
        return false;
    s.remove_prefix(1);
    return true;
}

}  // namespace

std::string format_iso8601_utc(TimePoint t)
{
    auto c = to_civil(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", c.year, c.month, c.day, c.hours, c.minutes,
                  c.seconds);
    return buf;
}

std::optional<TimePoint> parse_iso8601(std::string_view s)
{
    s = trim(s);
    long y, mo, d, h = 0, mi = 0, sec = 0;
    if (!read_int(s, 4, y) || !consume(s, '-') || !read_int(s, 2, mo) || !consume(s, '-') || !read_int(s, 2, d))
        return std::nullopt;
    if (!s.empty()) {
        if (s.front() != 'T' && s.front() != ' ')
            return std::nullopt;
        s.remove_prefix(1);
        if (!read_int(s, 2, h) || !consume(s, ':') || !read_int(s, 2, mi))
            return std::nullopt;
        if (consume(s, ':') && !read_int(s, 2, sec))
            return std::nullopt;
        if (consume(s, '.'))
            while (!s.empty() && std::isdigit(static_cast<unsigned char>(s.front())))
                s.remove_prefix(1);
    }
    auto t = from_civil(int(y), unsigned(mo), unsigned(d), h, mi, sec);
    if (!t)
        return std::nullopt;
    if (s.empty() || s == "Z" || s == "z")
        return t;
    int sign = s.front() == '+' ? 1 : (s.front() == '-' ? -1 : 0);
    if (sign == 0)
        return std::nullopt;
    s.remove_prefix(1);
    long oh, om = 0;
    if (!read_int(s, 2, oh))
        return std::nullopt;
    consume(s, ':');
    if (!s.empty() && !read_int(s, 2, om))
        return std::nullopt;
    if (!s.empty())
        return std::nullopt;
    return *t - sign * (hours{oh} + minutes{om});
}

Result<Seconds> parse_iso8601_duration(std::string_view text)
{
    auto bad = [&](std::string why) {
        return make_error("duration.invalid", "\"" + std::string(text) + "\" is not an ISO 8601 duration (" + why +
                                                  "); write for example PT4H, P3D or P1DT12H");
    };
    std::string_view s = trim(text);
    if (!consume(s, 'P'))
        return bad("it must start with P");
    if (s.empty())
        return bad("nothing after P");
    long long total = 0;
    bool in_time = false, any = false;
    while (!s.empty()) {
        if (consume(s, 'T')) {
            if (in_time)
                return bad("T appears twice");
            in_time = true;
            continue;
        }
        long long v = 0;
        auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc{} || ptr == s.data())
            return bad("expected a whole number");
        s.remove_prefix(static_cast<std::size_t>(ptr - s.data()));
        if (s.empty())
            return bad("a number without a unit");
        char unit = s.front();
        s.remove_prefix(1);
        if (!in_time && unit == 'W')
            total += v * 7 * 86400;
        else if (!in_time && unit == 'D')
            total += v * 86400;
        else if (in_time && unit == 'H')
            total += v * 3600;
        else if (in_time && unit == 'M')
            total += v * 60;
        else if (in_time && unit == 'S')
            total += v;
        else if (!in_time && (unit == 'Y' || unit == 'M'))
            return bad("years and months have no fixed length; use days");
        else
            return bad(std::string("unknown unit ") + unit);
        any = true;
    }
    if (!any)
        return bad("no amount");
    return Seconds{total};
}

std::string format_iso8601_duration(Seconds d)
{
    long long s = d.count();
    if (s == 0)
        return "PT0S";
    std::string out = s < 0 ? "-P" : "P";
    if (s < 0)
        s = -s;
    if (s >= 86400) {
        out += std::to_string(s / 86400) + "D";
        s %= 86400;
    }
    if (s > 0) {
        out += "T";
        if (s >= 3600) {
            out += std::to_string(s / 3600) + "H";
            s %= 3600;
        }
        if (s >= 60) {
            out += std::to_string(s / 60) + "M";
            s %= 60;
        }
        if (s > 0)
            out += std::to_string(s) + "S";
    }
    return out;
}

std::string format_rfc5322_date(TimePoint t)
{
    auto c = to_civil(t);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02ld:%02ld:%02ld +0000", k_weekdays[c.weekday], c.day,
                  k_months[c.month - 1], c.year, c.hours, c.minutes, c.seconds);
    return buf;
}

std::optional<TimePoint> parse_rfc5322_date(std::string_view s)
{
    // RFC 5322 3.3: [day-of-week ","] day month year hour ":" minute [":" second] zone.
    s = trim(s);
    if (auto comma = s.find(','); comma != std::string_view::npos && comma < 10)
        s = trim(s.substr(comma + 1));
    auto skip_space = [&] {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
            s.remove_prefix(1);
    };
    auto read_number = [&](long& out) {
        std::size_t n = 0;
        while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n])))
            ++n;
        if (n == 0 || n > 4)
            return false;
        std::string_view digits = s.substr(0, n);
        return read_int(s, digits.size(), out);
    };
    long day, year, h, mi, sec = 0;
    if (!read_number(day))
        return std::nullopt;
    skip_space();
    if (s.size() < 3)
        return std::nullopt;
    unsigned mon = 0;
    for (unsigned i = 0; i < 12; ++i)
        if (iequals(s.substr(0, 3), k_months[i]))
            mon = i + 1;
    if (mon == 0)
        return std::nullopt;
    s.remove_prefix(3);
    skip_space();
    std::size_t year_digits = 0;
    while (year_digits < s.size() && std::isdigit(static_cast<unsigned char>(s[year_digits])))
        ++year_digits;
    if (!read_number(year))
        return std::nullopt;
    // RFC 5322 4.3: two-digit years below 50 are 20xx, others 19xx; three digits add 1900.
    if (year_digits == 2)
        year += year < 50 ? 2000 : 1900;
    else if (year_digits == 3)
        year += 1900;
    skip_space();
    if (!read_number(h) || !consume(s, ':') || !read_number(mi))
        return std::nullopt;
    if (consume(s, ':') && !read_number(sec))
        return std::nullopt;
    skip_space();
    long offset_minutes = 0;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        int sign = s.front() == '+' ? 1 : -1;
        s.remove_prefix(1);
        long hh, mm;
        if (read_int(s, 2, hh) && read_int(s, 2, mm))
            offset_minutes = sign * (hh * 60 + mm);
    } else {
        // Obsolete zone names (RFC 5322 4.3); unknown military zones count as +0000.
        static constexpr std::pair<std::string_view, long> zones[] = {
            {"EDT", -4 * 60}, {"EST", -5 * 60}, {"CDT", -5 * 60}, {"CST", -6 * 60},
            {"MDT", -6 * 60}, {"MST", -7 * 60}, {"PDT", -7 * 60}, {"PST", -8 * 60}};
        for (auto [name, off] : zones)
            if (istarts_with(s, name))
                offset_minutes = off;
    }
    auto t = from_civil(int(year), mon, unsigned(day), h, mi, sec == 60 ? 59 : sec);
    if (!t)
        return std::nullopt;
    return *t - minutes{offset_minutes};
}

}  // namespace redress
