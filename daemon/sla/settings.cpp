#include "settings.hpp"

#include "common/text.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <optional>

namespace redress::sla {

namespace {

using nlohmann::json;

constexpr long k_day = 86400;

class Reader {
public:
    explicit Reader(std::vector<SettingsProblem>& problems)
        : m_problems(problems)
    {
    }

    void problem(const std::string& pointer, std::string expected, const json* found)
    {
        m_problems.push_back(SettingsProblem{pointer, std::move(expected), found ? shorten(found->dump()) : "nothing"});
    }
    void problem(const std::string& pointer, std::string expected, std::string found)
    {
        m_problems.push_back(SettingsProblem{pointer, std::move(expected), std::move(found)});
    }

    // Flags keys that are not in `known`: a misspelt "first_reponse" would otherwise silently fall back
    // to a default.
    void check_keys(const json& object, const std::string& pointer, std::initializer_list<std::string_view> known)
    {
        for (auto& [key, value] : object.items())
            if (std::find(known.begin(), known.end(), key) == known.end()) {
                std::string list;
                for (auto k : known)
                    list += (list.empty() ? "" : ", ") + std::string(k);
                problem(pointer + "/" + escape(key), "one of the keys " + list, "unknown key \"" + key + "\"");
            }
    }

    std::optional<BusinessDuration> duration(const json& parent, const char* key, const std::string& pointer)
    {
        auto it = parent.find(key);
        if (it == parent.end() || it->is_null())
            return std::nullopt;
        return duration_value(*it, pointer + "/" + key);
    }

    std::optional<BusinessDuration> duration_value(const json& value, const std::string& pointer)
    {
        if (!value.is_string()) {
            problem(pointer, "an ISO 8601 duration such as PT4H or P3D", &value);
            return std::nullopt;
        }
        auto d = parse_business_duration(value.get<std::string>());
        if (!d) {
            problem(pointer, "an ISO 8601 duration such as PT4H or P3D (" + d.error().message + ")", &value);
            return std::nullopt;
        }
        return *d;
    }

    static std::string escape(const std::string& key)
    {
        // RFC 6901 section 3: "~" is written "~0" and "/" is written "~1".
        std::string out;
        for (char c : key)
            out += c == '~' ? "~0" : (c == '/' ? "~1" : std::string(1, c));
        return out;
    }

private:
    static std::string shorten(std::string s)
    {
        if (s.size() > 80)
            s = s.substr(0, 77) + "...";
        return s;
    }

    std::vector<SettingsProblem>& m_problems;
};

std::optional<Seconds> parse_clock(std::string_view s)
{
    s = trim(s);
    if (s.size() != 5 || s[2] != ':')
        return std::nullopt;
    for (std::size_t i : {0u, 1u, 3u, 4u})
        if (!std::isdigit(static_cast<unsigned char>(s[i])))
            return std::nullopt;
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return std::nullopt;
    return Seconds{h * 3600 + m * 60};
}

// "09:00-13:00,14:00-18:00", "closed", or an array of "HH:MM-HH:MM".
std::optional<DayHours> parse_day_hours(const json& value)
{
    std::vector<std::string> parts;
    if (value.is_string()) {
        std::string text = value.get<std::string>();
        std::string_view t = trim(text);
        if (t.empty() || iequals(t, "closed"))
            return DayHours{};
        for (auto p : split(t, ','))
            parts.emplace_back(p);
    } else if (value.is_array()) {
        for (auto& p : value) {
            if (!p.is_string())
                return std::nullopt;
            parts.push_back(p.get<std::string>());
        }
    } else {
        return std::nullopt;
    }
    DayHours hours;
    for (auto& part : parts) {
        auto dash = part.find('-');
        if (dash == std::string::npos)
            return std::nullopt;
        auto begin = parse_clock(std::string_view(part).substr(0, dash));
        auto end = parse_clock(std::string_view(part).substr(dash + 1));
        if (!begin || !end || *begin >= *end)
            return std::nullopt;
        hours.push_back(OpenPeriod{*begin, *end});
    }
    std::sort(hours.begin(), hours.end(), [](auto& a, auto& b) { return a.begin < b.begin; });
    for (std::size_t i = 1; i < hours.size(); ++i)
        if (hours[i].begin < hours[i - 1].end)
            return std::nullopt;
    return hours;
}

std::optional<std::chrono::year_month_day> parse_date(const json& value)
{
    if (!value.is_string())
        return std::nullopt;
    std::string s = value.get<std::string>();
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return std::nullopt;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (i != 4 && i != 7 && !std::isdigit(static_cast<unsigned char>(s[i])))
            return std::nullopt;
    std::chrono::year_month_day ymd{std::chrono::year{std::stoi(s.substr(0, 4))},
                                    std::chrono::month{unsigned(std::stoi(s.substr(5, 2)))},
                                    std::chrono::day{unsigned(std::stoi(s.substr(8, 2)))}};
    if (!ymd.ok())
        return std::nullopt;
    return ymd;
}

// "mon" .. "sun", full names, or a range "mon-fri" (wrapping ranges such as "sat-sun" are fine).
std::optional<std::vector<unsigned>> parse_weekdays(std::string_view key)
{
    static constexpr std::array<std::string_view, 7> short_names{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    static constexpr std::array<std::string_view, 7> long_names{"sunday",   "monday", "tuesday", "wednesday",
                                                                "thursday", "friday", "saturday"};
    auto one = [&](std::string_view name) -> std::optional<unsigned> {
        name = trim(name);
        for (unsigned i = 0; i < 7; ++i)
            if (iequals(name, short_names[i]) || iequals(name, long_names[i]))
                return i;
        return std::nullopt;
    };
    auto dash = key.find('-');
    if (dash == std::string_view::npos) {
        auto d = one(key);
        if (!d)
            return std::nullopt;
        return std::vector<unsigned>{*d};
    }
    auto first = one(key.substr(0, dash));
    auto last = one(key.substr(dash + 1));
    if (!first || !last)
        return std::nullopt;
    std::vector<unsigned> days;
    for (unsigned d = *first;; d = (d + 1) % 7) {
        days.push_back(d);
        if (d == *last)
            break;
    }
    return days;
}

BusinessCalendar parse_calendar(const json& j, Reader& r)
{
    const std::string at = "/sla/calendar";
    BusinessCalendar calendar;
    if (!j.is_object()) {
        r.problem(at, "an object with time_zone, hours, holidays", &j);
        return calendar;
    }
    r.check_keys(j, at, {"time_zone", "hours", "holidays", "special_days"});

    std::string zone_name = "UTC";
    if (auto it = j.find("time_zone"); it != j.end()) {
        if (it->is_string())
            zone_name = it->get<std::string>();
        else
            r.problem(at + "/time_zone", "an IANA time zone name such as Europe/Moscow", &*it);
    }
    if (zone_name == "UTC") {
        calendar.set_time_zone(nullptr, zone_name);
    } else {
        try {
            const date::time_zone* zone = date::locate_zone(zone_name);
            // Load the zone's transitions now, at start-up, so that the deadline arithmetic later only
            // reads memory.
            (void)zone->get_info(date::sys_seconds{});
            calendar.set_time_zone(zone, zone_name);
        } catch (const std::exception& e) {
            r.problem(at + "/time_zone",
                      "an IANA time zone name such as Europe/Moscow, known to the tz database in /usr/share/zoneinfo "
                      "(package tzdata)",
                      "\"" + zone_name + "\" (" + e.what() + ")");
        }
    }

    // Without hours, the usual office week.
    for (unsigned d = 0; d < 7; ++d)
        calendar.set_weekday_hours(d,
                                   d >= 1 && d <= 5 ? DayHours{{Seconds{9 * 3600}, Seconds{18 * 3600}}} : DayHours{});
    if (auto it = j.find("hours"); it != j.end()) {
        if (!it->is_object()) {
            r.problem(at + "/hours", "an object such as {\"mon-fri\": \"09:00-18:00\"}", &*it);
        } else {
            std::array<std::optional<DayHours>, 7> from_range, from_day;
            for (auto& [key, value] : it->items()) {
                std::string pointer = at + "/hours/" + Reader::escape(key);
                auto days = parse_weekdays(key);
                if (!days) {
                    r.problem(pointer, "a weekday (mon, tue, ..., sun) or a range such as mon-fri",
                              "unknown key \"" + key + "\"");
                    continue;
                }
                auto hours = parse_day_hours(value);
                if (!hours) {
                    r.problem(pointer,
                              "opening hours such as \"09:00-18:00\", \"09:00-13:00,14:00-18:00\" or \"closed\"",
                              &value);
                    continue;
                }
                for (unsigned d : *days)
                    (days->size() == 1 ? from_day : from_range)[d] = *hours;
            }
            for (unsigned d = 0; d < 7; ++d)
                calendar.set_weekday_hours(d, from_day[d] ? *from_day[d] : from_range[d] ? *from_range[d] : DayHours{});
            if (!calendar.has_weekly_hours())
                r.problem(at + "/hours", "opening hours on at least one weekday", &*it);
        }
    }

    std::vector<std::chrono::year_month_day> seen;
    auto once = [&](std::chrono::year_month_day ymd, const std::string& pointer, const json& value) {
        if (std::find(seen.begin(), seen.end(), ymd) != seen.end()) {
            r.problem(pointer, "each date once among holidays and special days", &value);
            return false;
        }
        seen.push_back(ymd);
        return true;
    };
    if (auto it = j.find("holidays"); it != j.end()) {
        if (!it->is_array()) {
            r.problem(at + "/holidays", "a list of dates such as [\"2026-12-31\"]", &*it);
        } else {
            for (std::size_t i = 0; i < it->size(); ++i) {
                std::string pointer = at + "/holidays/" + std::to_string(i);
                auto ymd = parse_date((*it)[i]);
                if (!ymd)
                    r.problem(pointer, "a date YYYY-MM-DD", &(*it)[i]);
                else if (once(*ymd, pointer, (*it)[i]))
                    calendar.set_special_day(*ymd, DayHours{}, true);
            }
        }
    }
    if (auto it = j.find("special_days"); it != j.end()) {
        if (!it->is_object()) {
            r.problem(at + "/special_days", "an object such as {\"2026-12-30\": \"09:00-16:00\"}", &*it);
        } else {
            for (auto& [key, value] : it->items()) {
                std::string pointer = at + "/special_days/" + Reader::escape(key);
                auto ymd = parse_date(json(key));
                auto hours = parse_day_hours(value);
                if (!ymd)
                    r.problem(pointer, "a date YYYY-MM-DD as the key", "\"" + key + "\"");
                else if (!hours)
                    r.problem(pointer, "opening hours such as \"09:00-16:00\" or \"closed\"", &value);
                else if (once(*ymd, pointer, value))
                    calendar.set_special_day(*ymd, *hours, false);
            }
        }
    }
    return calendar;
}

template <class E>
std::vector<E> parse_match_list(const json& j, const char* key, const std::string& pointer, Reader& r,
                                std::optional<E> (*from_string)(std::string_view), const char* expected)
{
    std::vector<E> out;
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return out;
    auto one = [&](const json& v, const std::string& p) {
        std::optional<E> e;
        if (v.is_string())
            e = from_string(ascii_lower(v.get<std::string>()));
        if (e)
            out.push_back(*e);
        else
            r.problem(p, expected, &v);
    };
    if (it->is_array())
        for (std::size_t i = 0; i < it->size(); ++i)
            one((*it)[i], pointer + "/" + key + "/" + std::to_string(i));
    else
        one(*it, pointer + "/" + key);
    return out;
}

std::optional<std::string> channel_from_string(std::string_view s)
{
    if (trim(s).empty())
        return std::nullopt;
    return std::string(trim(s));
}

Policy parse_policy(const json& j, const std::string& at, std::size_t index, Reader& r)
{
    Policy p;
    p.name = "policy " + std::to_string(index + 1);
    if (!j.is_object()) {
        r.problem(at, "an object with name, match, first_response, resolution", &j);
        return p;
    }
    r.check_keys(j, at,
                 {"name", "match", "first_response", "resolution", "warn_before", "second_level_after", "second_level",
                  "alert_owner_on_arrival"});
    if (auto it = j.find("name"); it != j.end()) {
        if (it->is_string() && !it->get<std::string>().empty())
            p.name = it->get<std::string>();
        else
            r.problem(at + "/name", "a non-empty name", &*it);
    }
    if (auto it = j.find("match"); it != j.end() && !it->is_null()) {
        if (!it->is_object()) {
            r.problem(at + "/match", "an object with kind, severity and channel (each optional)", &*it);
        } else {
            std::string m = at + "/match";
            r.check_keys(*it, m, {"kind", "severity", "channel"});
            p.kinds = parse_match_list<Kind>(*it, "kind", m, r, &kind_from_string,
                                             "complaint, gratitude, question, suggestion, spam, automatic or other");
            p.severities = parse_match_list<Severity>(*it, "severity", m, r, &severity_from_string, "normal or major");
            p.channels = parse_match_list<std::string>(*it, "channel", m, r, &channel_from_string,
                                                       "a channel name such as email, drop or chat");
        }
    }
    p.first_response = r.duration(j, "first_response", at);
    p.resolution = r.duration(j, "resolution", at);
    if (auto it = j.find("warn_before"); it != j.end() && !it->is_null()) {
        if (it->is_object()) {
            r.check_keys(*it, at + "/warn_before", {"first_response", "resolution"});
            p.warn_before_first_response = r.duration(*it, "first_response", at + "/warn_before");
            p.warn_before_resolution = r.duration(*it, "resolution", at + "/warn_before");
        } else {
            p.warn_before_first_response = r.duration_value(*it, at + "/warn_before");
            p.warn_before_resolution = p.warn_before_first_response;
        }
    }
    p.second_level_after = r.duration(j, "second_level_after", at);
    if (auto it = j.find("second_level"); it != j.end() && !it->is_null()) {
        std::string sl = at + "/second_level";
        if (!it->is_object()) {
            r.problem(sl, "an object such as {\"name\": \"Director\", \"email\": \"director@example.com\"}", &*it);
        } else {
            r.check_keys(*it, sl, {"name", "email", "chat"});
            Contact c;
            auto text = [&](const char* key, std::string& out) {
                if (auto f = it->find(key); f != it->end()) {
                    if (f->is_string())
                        out = f->get<std::string>();
                    else
                        r.problem(sl + "/" + key, "a string", &*f);
                }
            };
            text("name", c.name);
            text("email", c.email);
            text("chat", c.chat);
            if (c.email.empty() && c.chat.empty())
                r.problem(sl, "an email or a chat address to send the alert to", &*it);
            else
                p.second_level = c;
        }
    }
    if (p.second_level_after && !p.second_level && j.find("second_level") == j.end())
        r.problem(at + "/second_level", "a contact for the second level, since second_level_after is set", nullptr);
    if (p.second_level && !p.second_level_after)
        r.problem(at + "/second_level_after", "a delay such as PT4H, since second_level is set", nullptr);

    p.alert_owner_on_arrival = p.severities.size() == 1 && p.severities.front() == Severity::major;
    if (auto it = j.find("alert_owner_on_arrival"); it != j.end()) {
        if (it->is_boolean())
            p.alert_owner_on_arrival = it->get<bool>();
        else
            r.problem(at + "/alert_owner_on_arrival", "true or false", &*it);
    }
    return p;
}

}  // namespace

Settings parse_settings(const nlohmann::json& sla_json, std::vector<SettingsProblem>& problems)
{
    Reader r(problems);
    Settings settings;
    if (sla_json.is_null())
        return settings;
    if (!sla_json.is_object()) {
        r.problem("/sla", "an object with calendar and policies", &sla_json);
        return settings;
    }
    try {
        r.check_keys(sla_json, "/sla", {"calendar", "policies"});
        if (auto it = sla_json.find("calendar"); it != sla_json.end() && !it->is_null())
            settings.calendar = parse_calendar(*it, r);
        if (auto it = sla_json.find("policies"); it != sla_json.end() && !it->is_null()) {
            if (!it->is_array()) {
                r.problem("/sla/policies", "a list of policies", &*it);
            } else {
                settings.policies.clear();
                settings.policies_from_config = true;
                for (std::size_t i = 0; i < it->size(); ++i)
                    settings.policies.push_back(parse_policy((*it)[i], "/sla/policies/" + std::to_string(i), i, r));
            }
        }
    } catch (const std::exception& e) {
        // Defensive: nothing above should throw, but a config must never take the daemon down with an
        // exception from a JSON accessor.
        r.problem("/sla", "a readable sla section", std::string("an error: ") + e.what());
    }
    return settings;
}

std::string to_string(const SettingsProblem& problem)
{
    return problem.pointer + ": expected " + problem.expected + ", found " + problem.found;
}

}  // namespace redress::sla
