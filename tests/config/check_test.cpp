// `redress check` reads through pipeline::load_runtime: the config, then the SLA settings, the
// templates and the classifier. A mistake in one section must not hide one in another.
#include "pipeline/runtime.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

using namespace redress;

namespace {

std::string joined(const std::vector<std::string>& problems)
{
    std::string out;
    for (const auto& p : problems)
        out += p + "\n";
    return out;
}

std::size_t count(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

}  // namespace

TEST(RedressCheck, ReportsConfigAndSlaMistakesTogetherEachOnce)
{
    auto file = std::filesystem::temp_directory_path() / ("redress-check-test-" + std::to_string(::getpid()) + ".json");
    std::ofstream(file) << R"({
      "compnay": {"name": "Acme"},
      "company": {"time_zone": "MSK"},
      "sla": {"calendar": {"time_zone": "Europe/Moskow"},
              "policies": [{"name": "p", "first_response": "four hours", "warn_befor": "PT1H"},
                           {"name": "q", "resolution": "P3X"}]}
    })";
    auto load = pipeline::load_runtime(file, REDRESS_SOURCE_DIR, std::nullopt);
    std::filesystem::remove(file);
    ASSERT_FALSE(load.runtime);
    std::string text = joined(load.problems);
    for (const char* expected : {"/compnay: expected one of the known keys, did you mean \"company\"?",
                                 "/company/time_zone: expected an IANA time zone name", "/sla/calendar/time_zone",
                                 "/sla/policies/0/first_response", "/sla/policies/1/resolution"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
    // The misspelt key inside /sla is named once, by the config loader, with its suggestion.
    EXPECT_EQ(count(text, "/sla/policies/0/warn_befor:"), 1u) << text;
    EXPECT_NE(text.find("did you mean \"warn_before\"?"), std::string::npos) << text;
    EXPECT_NE(text.find(file.string()), std::string::npos) << text;
}
