#pragma once
// Shared by the SLA tests: times written with their offset, and settings read from config text the
// way the daemon reads them.

#include "sla/sla.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace redress::sla::test {

// "2026-11-27T17:30:00+03:00": the local time a person would read, with the zone's offset.
inline TimePoint at(const char* text)
{
    auto t = parse_iso8601(text);
    EXPECT_TRUE(t.has_value()) << text;
    return t.value_or(TimePoint{});
}

// Reads an "sla" section and fails the test on any problem.
inline Settings settings_from(const std::string& json_text)
{
    std::vector<SettingsProblem> problems;
    Settings s = parse_settings(nlohmann::json::parse(json_text), problems);
    for (auto& p : problems)
        ADD_FAILURE() << to_string(p);
    return s;
}

// A Moscow office, Monday to Friday 09:00-18:00, as most of the tests use.
inline const char* k_moscow_office =
    R"({"calendar": {"time_zone": "Europe/Moscow", "hours": {"mon-fri": "09:00-18:00"}}})";

inline BusinessCalendar calendar_from(const std::string& calendar_json)
{
    return settings_from(R"({"calendar": )" + calendar_json + "}").calendar;
}

}  // namespace redress::sla::test
