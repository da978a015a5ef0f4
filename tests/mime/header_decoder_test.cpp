#include "mime/header_decoder.hpp"
#include "mime/header_parameters.hpp"

#include <gtest/gtest.h>

using redress::mime::CharsetReport;
using redress::mime::HeaderDecoder;
using redress::mime::HeaderParameters;

TEST(HeaderDecoder, DropsWhitespaceBetweenAdjacentEncodedWords)
{
    CharsetReport r;
    // RFC 2047 section 8 examples.
    EXPECT_EQ(HeaderDecoder().decode("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", r), "(ab)");
    EXPECT_EQ(HeaderDecoder().decode("(=?ISO-8859-1?Q?a?=\t  =?ISO-8859-1?Q?b?=)", r), "(ab)");
    EXPECT_EQ(HeaderDecoder().decode("(=?ISO-8859-1?Q?a_b?=)", r), "(a b)");
    EXPECT_EQ(HeaderDecoder().decode("(=?ISO-8859-1?Q?a?= b)", r), "(a b)");
    EXPECT_EQ(HeaderDecoder().decode("plain text only", r), "plain text only");
}

TEST(HeaderDecoder, JoinsBytesOfAdjacentWordsBeforeConverting)
{
    CharsetReport r;
    // "Ж" is D0 96; the first word ends after D0, the second starts with 96.
    EXPECT_EQ(HeaderDecoder().decode("=?utf-8?B?0A==?= =?utf-8?B?lg==?=", r), "Ж");
    EXPECT_EQ(r.replaced, 0u);
}

TEST(HeaderDecoder, LeavesMalformedWordsAlone)
{
    CharsetReport r;
    EXPECT_EQ(HeaderDecoder().decode("=?utf-8?X?abc?= and =?broken", r), "=?utf-8?X?abc?= and =?broken");
}

TEST(HeaderDecoder, GuessesRawEightBitHeaderWithFallbackCharset)
{
    CharsetReport r;
    std::string raw = "\xcf\xf0\xe8\xe2\xe5\xf2";  // "Привет" in windows-1251
    EXPECT_EQ(HeaderDecoder("windows-1251").decode(raw, r), "Привет");
}

TEST(HeaderParameters, ReadsQuotedValuesAndComments)
{
    CharsetReport r;
    auto p = HeaderParameters::parse("Text/Plain (comment); charset=\"UTF-8\"; name=\"a;b \\\"c\\\".txt\"",
                                     HeaderDecoder(), r);
    EXPECT_EQ(p.value(), "text/plain");
    ASSERT_NE(p.get("CHARSET"), nullptr);
    EXPECT_EQ(*p.get("charset"), "UTF-8");
    EXPECT_EQ(*p.get("name"), "a;b \"c\".txt");
    EXPECT_EQ(p.get("boundary"), nullptr);
}

TEST(HeaderParameters, JoinsRfc2231ContinuationsInSectionOrder)
{
    CharsetReport r;
    auto p = HeaderParameters::parse(
        "attachment; filename*1=\"rt.pdf\"; filename*0*=utf-8'en'%D0%9E%D1%82%D1%87%D1%91; x=1", HeaderDecoder(), r);
    EXPECT_EQ(p.value(), "attachment");
    EXPECT_EQ(*p.get("filename"), "Отчёrt.pdf");
}

TEST(HeaderParameters, DecodesExtendedValueInLegacyCharset)
{
    CharsetReport r;
    auto p = HeaderParameters::parse("attachment; filename*=windows-1251''%CF%F0%E8%EA%E0%E7.doc", HeaderDecoder(), r);
    EXPECT_EQ(*p.get("filename"), "Приказ.doc");
}

TEST(HeaderParameters, KeepsApostrophesInPlainContinuations)
{
    CharsetReport r;
    auto p =
        HeaderParameters::parse("attachment; filename*0=\"O'Brien's \"; filename*1=\"100%.txt\"", HeaderDecoder(), r);
    EXPECT_EQ(*p.get("filename"), "O'Brien's 100%.txt");
}
