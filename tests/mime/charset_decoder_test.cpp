#include "mime/charset_decoder.hpp"

#include "common/text.hpp"

#include <gtest/gtest.h>

using redress::mime::CharsetDecoder;
using redress::mime::CharsetReport;

namespace {
std::string convert(std::string_view bytes, std::string_view charset, CharsetReport& r)
{
    std::string out;
    CharsetDecoder::to_utf8(bytes, charset, out, r);
    return out;
}
}  // namespace

TEST(CharsetDecoder, MapsNamesIconvLacks)
{
    EXPECT_EQ(CharsetDecoder::iconv_name("ks_c_5601-1987"), "CP949");
    EXPECT_EQ(CharsetDecoder::iconv_name("\"X-MAC-CYRILLIC\""), "MACCYRILLIC");
    EXPECT_EQ(CharsetDecoder::iconv_name("default"), "");
    EXPECT_EQ(CharsetDecoder::iconv_name("unknown-8bit"), "");
    EXPECT_EQ(CharsetDecoder::iconv_name(""), "");
    EXPECT_EQ(CharsetDecoder::iconv_name("Windows-1251"), "windows-1251");
}

TEST(CharsetDecoder, ConvertsMacCyrillicThroughAlias)
{
    CharsetReport r;
    EXPECT_EQ(convert("\x8f\xf0\xe8\xe2\xe5\xf2", "x-mac-cyrillic", r), "Привет");
    EXPECT_FALSE(r.unknown_charset);
}

TEST(CharsetDecoder, ReplacesInvalidBytesAndCountsThem)
{
    CharsetReport r;
    EXPECT_EQ(convert("ok \xff end", "utf-8", r), "ok \xEF\xBF\xBD end");
    EXPECT_EQ(r.replaced, 1u);
}

TEST(CharsetDecoder, GuessesUndeclaredEightBitText)
{
    CharsetReport r;
    std::string koi8 =
        "\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc1\xc7\xc1\xda\xc9\xce \xd0\xd2\xc9\xd3\xcc\xc1\xcc "
        "\xd3\xcc\xcf\xcd\xc1\xce\xce\xd9\xca "
        "\xd4\xcf\xd7\xc1\xd2 \xc9 \xce\xc5 \xcf\xd4\xd7\xc5\xde\xc1\xc5\xd4 \xce\xc1 \xd0\xc9\xd3\xd8\xcd\xc1.";
    std::string out = convert(koi8, "unknown-8bit", r);
    EXPECT_TRUE(redress::is_valid_utf8(out));
    EXPECT_FALSE(r.guessed.empty());
    EXPECT_EQ(out, "Привет, магазин прислал сломанный товар и не отвечает на письма.");
}

TEST(CharsetDecoder, UnknownCharsetIsReportedNotFatal)
{
    CharsetReport r;
    std::string out = convert("abc \xe9", "x-no-such-charset", r);
    EXPECT_TRUE(r.unknown_charset);
    EXPECT_TRUE(redress::is_valid_utf8(out));
    EXPECT_EQ(out.substr(0, 4), "abc ");
}

TEST(CharsetDecoder, StatefulIso2022JpIsFlushed)
{
    CharsetReport r;
    EXPECT_EQ(convert("\x1b$B$3$s$K$A$O\x1b(B!", "iso-2022-jp", r), "こんにちは!");
    EXPECT_EQ(r.replaced, 0u);
}
