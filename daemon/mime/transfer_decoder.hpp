#pragma once
// Content-Transfer-Encoding (RFC 2045 section 6) decoders, lenient: real mail carries broken
// base64 and sloppy quoted-printable, and a complaint must still be read.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace redress::mime {

enum class TransferEncoding { identity, base64, quoted_printable, uuencode };

struct TransferDecodeReport {
    std::size_t invalid = 0;  // characters skipped or kept literally because they were not valid
};

class TransferDecoder {
public:
    // Reads a Content-Transfer-Encoding value; unknown tokens ("8bit", "binary", "x-foo") mean identity.
    static TransferEncoding parse(std::string_view header_value);

    // Appends the decoded bytes of `encoded` to `out`.
    static void decode(TransferEncoding encoding, std::string_view encoded, std::string& out,
                       TransferDecodeReport& report);

    // RFC 2045 6.8, decoding what can be: characters outside the alphabet are skipped and counted,
    // padding in the middle (concatenated base64 blocks) restarts a quantum, a dangling tail of two
    // or three characters still yields its bytes.
    static void decode_base64(std::string_view encoded, std::string& out, TransferDecodeReport& report);

    // The same, strict: any character outside the alphabet (line breaks and blanks aside) or a cut
    // quantum makes it nullopt. For base64 a client sends us in JSON (a file of a reply or a chat
    // message), where a broken value is refused rather than read as far as it goes.
    static std::optional<std::string> decode_base64_strict(std::string_view encoded);

    // RFC 2045 6.7: "=XX" escapes, "=" at line end is a soft break, trailing blanks on a line are
    // dropped; a bad escape is kept literally (rule 6.7 note: robust decoders pass it through).
    static void decode_quoted_printable(std::string_view encoded, std::string& out, TransferDecodeReport& report);

    // RFC 2047 4.2 "Q" encoding: like quoted-printable, with "_" for a space and no line structure.
    static void decode_q(std::string_view encoded, std::string& out);

    // Decoded size without keeping the bytes (attachments are listed, not stored).
    static std::size_t decoded_size(TransferEncoding encoding, std::string_view encoded);
};

}  // namespace redress::mime
