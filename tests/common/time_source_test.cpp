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

TEST(SystemTimeSource, ReadsTheSystemClock)
{
    TimePoint before = to_seconds(Clock::now());
    TimePoint read = system_time().now();
    EXPECT_GE(read, before);
    EXPECT_LE(read, to_seconds(Clock::now()));
}

}  // namespace
}  // namespace redress
