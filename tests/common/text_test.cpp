#include "common/text.hpp"

#include <gtest/gtest.h>

using namespace redress;

TEST(Utf8, ReplacesInvalidBytesAndCountsThem)
{
    std::string s = "ok \xC3\xA9 bad \xFF\xFE end \xE2\x82";
    EXPECT_FALSE(is_valid_utf8(s));
    EXPECT_EQ(sanitize_utf8(s), 4u);
    EXPECT_TRUE(is_valid_utf8(s));
    EXPECT_EQ(s, "ok \xC3\xA9 bad \xEF\xBF\xBD\xEF\xBF\xBD end \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Utf8, RefusesOverlongsAndSurrogates)
{
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));
    EXPECT_TRUE(is_valid_utf8("\xD0\x96\xF0\x9F\x98\x80"));
}

TEST(AsciiText, ComparesCaseInsensitivelyAndTrims)
{
    EXPECT_TRUE(iequals("Content-Type", "content-TYPE"));
    EXPECT_TRUE(istarts_with("Multipart/Report; x", "multipart/"));
    EXPECT_TRUE(icontains("MAILER-DAEMON@host", "mailer-daemon"));
    EXPECT_EQ(trim("  a b \r\n"), "a b");
    EXPECT_EQ(split("a,,b", ',').size(), 3u);
}

TEST(Utf8Cut, NeverSplitsASequence)
{
    std::string s = "ab\xD0\xAF\xE2\x82\xAC";  // "ab", a two-byte letter, a three-byte sign
    EXPECT_EQ(utf8_cut(s, 0), 0u);
    EXPECT_EQ(utf8_cut(s, 2), 2u);
    EXPECT_EQ(utf8_cut(s, 3), 2u);  // inside the two-byte letter
    EXPECT_EQ(utf8_cut(s, 4), 4u);
    EXPECT_EQ(utf8_cut(s, 6), 4u);  // inside the three-byte sign
    EXPECT_EQ(utf8_cut(s, 7), 7u);
    EXPECT_EQ(utf8_cut(s, 100), 7u);
}

TEST(HexDigitValue, ReadsBothCasesAndRefusesTheRest)
{
    EXPECT_EQ(redress::hex_digit_value('0'), 0);
    EXPECT_EQ(redress::hex_digit_value('9'), 9);
    EXPECT_EQ(redress::hex_digit_value('a'), 10);
    EXPECT_EQ(redress::hex_digit_value('F'), 15);
    EXPECT_EQ(redress::hex_digit_value('g'), -1);
    EXPECT_EQ(redress::hex_digit_value('%'), -1);
}
