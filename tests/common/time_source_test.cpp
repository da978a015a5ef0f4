#include "common/time_source.hpp"

#include <gtest/gtest.h>

namespace redress {
namespace {

TEST(ManualTimeSource, StandsStillUntilMoved)
{
    TimePoint start = *parse_iso8601("2026-11-30T09:00:00Z");
    ManualTimeSource clock(start);
    EXPECT_EQ(clock.now(), start);
    clock.advance(Seconds{90});
    EXPECT_EQ(format_iso8601_utc(clock.now()), "2026-11-30T09:01:30Z");
    clock.set(start);
    EXPECT_EQ(clock.now(), start);
}

TEST(TimeSource, PreciseNowIsTheSameSecondWithItsFraction)
{
    ManualTimeSource manual(*parse_iso8601("2026-11-30T09:00:00Z"));
    EXPECT_EQ(manual.precise_now(), Clock::time_point(manual.now()));
    auto precise = system_time().precise_now();
    auto whole = system_time().now();
    EXPECT_LE(to_seconds(precise), whole);
    EXPECT_LT(whole - to_seconds(precise), Seconds{2});
}

TEST(SystemTimeSource, ReadsTheSystemClock)
{
    TimePoint before = to_seconds(Clock::now());
    TimePoint read = system_time().now();
    EXPECT_GE(read, before);
    EXPECT_LE(read, to_seconds(Clock::now()));
}

}  // namespace
}  // namespace redress
