#include "digest.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <cmath>
#include <cstdio>

namespace redress::reports {

using nlohmann::json;

namespace {

const date::time_zone* zone_or_utc(std::string_view name)
{
    try {
        return date::locate_zone(std::string(name.empty() ? "UTC" : name));
    } catch (const std::exception&) {
        return date::locate_zone("UTC");
    }
}

// The instant of a local day's time of day (a time a DST change skips moves to after the change; a
// repeated one takes the earlier).
TimePoint at_local(const date::time_zone* zone, date::local_days day, Seconds time)
{
    date::local_seconds local{day.time_since_epoch() + time};
    auto info = zone->get_info(local);
    if (info.result == date::local_info::nonexistent)
        return TimePoint{std::chrono::duration_cast<Seconds>(info.second.begin.time_since_epoch())};
    return TimePoint{local.time_since_epoch() - info.first.offset};
}

std::string format_day(date::local_days day)
{
    date::year_month_day ymd{day};
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buffer;
}

DigestWeek week_of(const date::time_zone* zone, date::local_days day, Seconds time)
{
    DigestWeek w;
    w.at = at_local(zone, day, time);
    w.from = format_day(day - date::days{7});
    w.to = format_day(day - date::days{1});
    w.dedup_key = "digest:" + w.to;
    return w;
}

bool russian(std::string_view language)
{
    return language == "ru";
}

std::string span_text(const json& seconds, std::string_view language)
{
    if (!seconds.is_number())
        return "-";
    long long s = seconds.get<long long>();
    long long hours = s / 3600, minutes = s % 3600 / 60;
    const char* h = russian(language) ? " ч" : " h";
    const char* m = russian(language) ? " мин" : " min";
    if (hours == 0)
        return std::to_string(minutes) + m;
    return std::to_string(hours) + h + (minutes ? " " + std::to_string(minutes) + m : "");
}

std::string percent_text(const json& share)
{
    if (!share.is_number())
        return "-";
    return std::to_string(static_cast<int>(std::lround(share.get<double>() * 100.0))) + "%";
}

std::string average_text(const json& value)
{
    if (!value.is_number())
        return "-";
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%.1f", value.get<double>());
    return buffer;
}

}  // namespace

DigestWeek latest_digest(const DigestSchedule& schedule, std::string_view time_zone, TimePoint now)
{
    const date::time_zone* zone = zone_or_utc(time_zone);
    auto today = date::floor<date::days>(zone->to_local(date::sys_seconds{now.time_since_epoch()}));
    // Back from today to the schedule's weekday, and a week further when today's moment is still ahead.
    unsigned today_weekday = date::weekday{today}.c_encoding();
    auto day = today - date::days{(today_weekday + 7 - schedule.weekday) % 7};
    if (at_local(zone, day, schedule.time) > now)
        day -= date::days{7};
    return week_of(zone, day, schedule.time);
}

TimePoint next_digest(const DigestSchedule& schedule, std::string_view time_zone, TimePoint now)
{
    const date::time_zone* zone = zone_or_utc(time_zone);
    DigestWeek latest = latest_digest(schedule, time_zone, now);
    auto day = date::floor<date::days>(zone->to_local(date::sys_seconds{latest.at.time_since_epoch()}));
    return at_local(zone, day + date::days{7}, schedule.time);
}

std::map<std::string, std::string, std::less<>> digest_values(const json& summary, std::string_view language)
{
    std::map<std::string, std::string, std::less<>> v;
    v["digest.from"] = summary["period"]["from"].get<std::string>();
    v["digest.to"] = summary["period"]["to"].get<std::string>();
    v["digest.tickets"] = std::to_string(summary["tickets"].get<long long>());
    v["digest.first_response"] = span_text(summary["first_response_median_s"], language);
    v["digest.resolution"] = span_text(summary["resolution_median_s"], language);
    v["digest.deadlines_kept"] = percent_text(summary["deadlines_kept_share"]);
    v["digest.justified"] = percent_text(summary["justified_share"]);
    v["digest.satisfaction"] = average_text(summary["satisfaction_avg"]);
    v["digest.open_actions"] = std::to_string(summary["open_actions"]["count"].get<long long>());
    // Lists: one line each, "name: before -> now"; empty lists leave their section out.
    std::string rising;
    for (const auto& g : summary["recurring"])
        if (g["rising"].get<bool>())
            rising += "- " + g["name"].get<std::string>() + ": " + std::to_string(g["previous"].get<int>()) + " -> " +
                      std::to_string(g["size"].get<int>()) + "\n";
    std::string failing, working;
    for (const auto& a : summary["actions"]) {
        std::string line = "- " + a["ticket"].get<std::string>() + " " + a["text"].get<std::string>() + ": " +
                           std::to_string(a["before"].get<int>()) + " -> " + std::to_string(a["after"].get<int>()) +
                           "\n";
        if (a["verdict"] == "keeps_coming")
            failing += line;
        else if (a["verdict"] == "worked")
            working += line;
    }
    auto trimmed = [](std::string s) {
        if (!s.empty() && s.back() == '\n')
            s.pop_back();
        return s;
    };
    if (!rising.empty())
        v["digest.rising"] = trimmed(rising);
    if (!failing.empty())
        v["digest.fixes_failing"] = trimmed(failing);
    if (!working.empty())
        v["digest.fixes_working"] = trimmed(working);
    return v;
}

}  // namespace redress::reports
