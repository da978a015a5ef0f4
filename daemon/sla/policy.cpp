#include "policy.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <stdexcept>

namespace redress::sla {

namespace {

BusinessDuration duration(const char* text)
{
    auto d = parse_business_duration(text);
    // The built-in table is code, so a bad entry is a programming error.
    if (!d)
        throw std::logic_error("bad built-in SLA duration " + std::string(text));
    return *d;
}

std::string_view name_of(Kind k)
{
    return to_string(k);
}
std::string_view name_of(Severity s)
{
    return to_string(s);
}
std::string_view name_of(const std::string& s)
{
    return s;
}

template <class T> std::string join_names(const std::vector<T>& values)
{
    std::string out;
    for (auto& v : values) {
        if (!out.empty())
            out += " or ";
        out += std::string(name_of(v));
    }
    return out;
}

}  // namespace

bool Policy::matches(Kind kind, Severity severity, std::string_view channel) const
{
    if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
        return false;
    if (!severities.empty() && std::find(severities.begin(), severities.end(), severity) == severities.end())
        return false;
    if (!channels.empty() &&
        std::none_of(channels.begin(), channels.end(), [&](const std::string& c) { return iequals(c, channel); }))
        return false;
    return true;
}

std::string Policy::describe_match() const
{
    std::string out = kinds.empty() ? "any kind" : "kind " + join_names(kinds);
    out += severities.empty() ? ", any severity" : ", severity " + join_names(severities);
    out += channels.empty() ? ", any channel" : ", channel " + join_names(channels);
    return out;
}

const Policy* select_policy(const std::vector<Policy>& policies, Kind kind, Severity severity, std::string_view channel)
{
    for (auto& p : policies)
        if (p.matches(kind, severity, channel))
            return &p;
    return nullptr;
}

std::vector<Policy> default_policies()
{
    std::vector<Policy> out;
    auto add = [&](std::string name, std::vector<Kind> kinds, std::vector<Severity> severities, const char* first,
                   const char* resolution, const char* warn_first, const char* warn_resolution) -> Policy& {
        Policy p;
        p.name = std::move(name);
        p.kinds = std::move(kinds);
        p.severities = std::move(severities);
        if (first)
            p.first_response = duration(first);
        if (resolution)
            p.resolution = duration(resolution);
        if (warn_first)
            p.warn_before_first_response = duration(warn_first);
        if (warn_resolution)
            p.warn_before_resolution = duration(warn_resolution);
        out.push_back(std::move(p));
        return out.back();
    };
    add("major complaint", {Kind::complaint}, {Severity::major}, "PT2H", "P3D", "PT30M", "PT4H")
        .alert_owner_on_arrival = true;
    add("complaint", {Kind::complaint}, {}, "PT4H", "P10D", "PT1H", "P1D");
    add("question", {Kind::question}, {}, "PT8H", "P5D", "PT1H", "P1D");
    add("suggestion", {Kind::suggestion}, {}, "P1D", "P10D", "PT2H", "P1D");
    // A thank-you gets its acknowledgement; a deadline for a further answer would only ever breach.
    add("gratitude", {Kind::gratitude}, {}, nullptr, nullptr, nullptr, nullptr);
    add("no reply expected", {Kind::spam, Kind::automatic}, {}, nullptr, nullptr, nullptr, nullptr);
    add("other", {}, {}, "PT8H", "P5D", "PT1H", "P1D");
    return out;
}

}  // namespace redress::sla
