#include "common/time.hpp"

#include <gtest/gtest.h>

using namespace redress;

TEST(Iso8601Duration, ParsesHoursDaysAndMixedForms)
{
    EXPECT_EQ(parse_iso8601_duration("PT4H").value(), Seconds{4 * 3600});
    EXPECT_EQ(parse_iso8601_duration("P3D").value(), Seconds{3 * 86400});
    EXPECT_EQ(parse_iso8601_duration("P1DT12H30M5S").value(), Seconds{86400 + 12 * 3600 + 30 * 60 + 5});
    EXPECT_EQ(parse_iso8601_duration("PT2S").value(), Seconds{2});
    EXPECT_EQ(parse_iso8601_duration("P1W").value(), Seconds{7 * 86400});
}

TEST(Iso8601Duration, RefusesMonthsAndGarbageWithAHint)
{
    auto months = parse_iso8601_duration("P1M");
    ASSERT_FALSE(months.ok());
    EXPECT_NE(months.error().message.find("days"), std::string::npos);
    EXPECT_FALSE(parse_iso8601_duration("4 hours").ok());
    EXPECT_FALSE(parse_iso8601_duration("PT").ok());
    EXPECT_FALSE(parse_iso8601_duration("PT4").ok());
}

TEST(Iso8601Duration, FormatsBackToTheSameValue)
{
    for (auto text : {"PT4H", "P3D", "P1DT12H30M5S", "PT1S"})
        EXPECT_EQ(format_iso8601_duration(parse_iso8601_duration(text).value()), text);
}

TEST(Iso8601Time, RoundTripsAndHonoursOffsets)
{
    auto t = parse_iso8601("2026-11-26T09:15:00Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(format_iso8601_utc(*t), "2026-11-26T09:15:00Z");
    auto moscow = parse_iso8601("2026-11-26T12:15:00+03:00");
    ASSERT_TRUE(moscow);
    EXPECT_EQ(*moscow, *t);
    EXPECT_FALSE(parse_iso8601("2026-02-30T00:00:00Z"));
}

TEST(Rfc5322Date, ParsesCommonAndObsoleteForms)
{
    auto expected = parse_iso8601("2026-11-26T09:15:00Z").value();
    EXPECT_EQ(parse_rfc5322_date("Thu, 26 Nov 2026 12:15:00 +0300"), expected);
    EXPECT_EQ(parse_rfc5322_date("26 Nov 2026 04:15:00 EST"), expected);
    EXPECT_EQ(parse_rfc5322_date("Thu, 26 Nov 26 09:15 +0000"), expected);
    EXPECT_FALSE(parse_rfc5322_date("yesterday"));
    EXPECT_EQ(format_rfc5322_date(expected), "Thu, 26 Nov 2026 09:15:00 +0000");
}
