#include "mime/transfer_decoder.hpp"

#include <gtest/gtest.h>

using redress::mime::TransferDecoder;
using redress::mime::TransferDecodeReport;
using redress::mime::TransferEncoding;

TEST(TransferDecoder, DecodesBase64AcrossLinesAndCountsJunk)
{
    std::string out;
    TransferDecodeReport r;
    TransferDecoder::decode_base64("SGVs\r\nbG8=\r\n", out, r);
    EXPECT_EQ(out, "Hello");
    EXPECT_EQ(r.invalid, 0u);
    out.clear();
    TransferDecoder::decode_base64("SGV*sbG8", out, r);
    EXPECT_EQ(out, "Hello");
    EXPECT_EQ(r.invalid, 1u);
}

TEST(TransferDecoder, StrictBase64RefusesJunkAndACutQuantum)
{
    EXPECT_EQ(TransferDecoder::decode_base64_strict("SGVsbG8="), "Hello");
    EXPECT_EQ(TransferDecoder::decode_base64_strict("SGVs\r\nbG8"), "Hello");  // wrapped, unpadded
    EXPECT_EQ(TransferDecoder::decode_base64_strict(""), "");
    EXPECT_FALSE(TransferDecoder::decode_base64_strict("SGV*sbG8"));
    EXPECT_FALSE(TransferDecoder::decode_base64_strict("SGVsb"));  // six bits left over
    EXPECT_FALSE(TransferDecoder::decode_base64_strict("not base64 at all!"));
}

TEST(TransferDecoder, QuotedPrintableSoftBreaksAndTrailingBlanks)
{
    std::string out;
    TransferDecodeReport r;
    TransferDecoder::decode_quoted_printable("caf=C3=A9 is=\r\n hot   \r\nx=3d1 =ZZ=\n", out, r);
    EXPECT_EQ(out, "café is hot\nx=1 =ZZ");
    EXPECT_EQ(r.invalid, 1u);
}

TEST(TransferDecoder, DecodedSizeMatchesDecoding)
{
    std::string out;
    TransferDecodeReport r;
    std::string_view encoded = "AAECAwQFBgc=\r\nAAE=";
    TransferDecoder::decode_base64(encoded, out, r);
    EXPECT_EQ(TransferDecoder::decoded_size(TransferEncoding::base64, encoded), out.size());
    EXPECT_EQ(out.size(), 10u);
}

TEST(TransferDecoder, ParsesEncodingNames)
{
    EXPECT_EQ(TransferDecoder::parse(" BASE64 "), TransferEncoding::base64);
    EXPECT_EQ(TransferDecoder::parse("Quoted-Printable"), TransferEncoding::quoted_printable);
    EXPECT_EQ(TransferDecoder::parse("8bit"), TransferEncoding::identity);
    EXPECT_EQ(TransferDecoder::parse(""), TransferEncoding::identity);
}
