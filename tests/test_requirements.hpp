#pragma once
// What a test needs from outside the build: a real server (Dovecot, aiosmtpd) or a corpus of mail
// or text that is not in the repository. Without it a developer's quick run (ctest alone) skips the
// test and says why; CI (scripts/test) sets REDRESS_REQUIRE_SERVERS=1 and REDRESS_REQUIRE_CORPORA=1,
// and then the same absence fails the test with the same reason, so nothing in CI passes by skipping.
//
// Use it where the test would start, before anything else (in SetUp or at the top of the test):
//     if (auto why = DovecotServer::unavailable())
//         REDRESS_REQUIRE_OR_SKIP(Requirement::servers, *why);

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <string_view>

namespace redress::testing {

enum class Requirement { servers, corpora };

// The environment variable that makes a missing requirement a failure.
inline const char* requirement_switch(Requirement what)
{
    return what == Requirement::servers ? "REDRESS_REQUIRE_SERVERS" : "REDRESS_REQUIRE_CORPORA";
}

// Whether this run must have it: the switch is set to anything but "" or "0".
inline bool required(Requirement what)
{
    const char* value = std::getenv(requirement_switch(what));
    return value != nullptr && std::string_view(value) != "" && std::string_view(value) != "0";
}

}  // namespace redress::testing

// A macro, not a function: GTEST_SKIP and GTEST_FAIL return from the function they are written in,
// which must be the test (or its SetUp) for the test to stop there.
#define REDRESS_REQUIRE_OR_SKIP(what, why)                                                                             \
    do {                                                                                                               \
        if (::redress::testing::required(what))                                                                        \
            GTEST_FAIL() << "missing, and " << ::redress::testing::requirement_switch(what)                            \
                         << "=1 makes it required: " << (why);                                                         \
        GTEST_SKIP() << (why) << " (skipped; " << ::redress::testing::requirement_switch(what)                         \
                     << "=1 makes this a failure, as in scripts/test)";                                                \
    } while (false)
