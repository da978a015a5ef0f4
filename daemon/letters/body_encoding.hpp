#pragma once
// The body of a plain-text letter as MIME wants it (RFC 2045): 7bit when it already is, otherwise
// quoted-printable or base64 of its UTF-8, whichever comes out smaller.

#include <string>
#include <string_view>

namespace redress::letters {

enum class TransferEncoding { seven_bit, quoted_printable, base64 };

std::string_view to_string(TransferEncoding encoding);  // "7bit", "quoted-printable", "base64"

struct EncodedBody {
    TransferEncoding encoding = TransferEncoding::seven_bit;
    std::string text;  // CRLF line ends, every line at most 76 characters (7bit: 78), ends in CRLF
};

// `utf8` may end lines in LF, CRLF or CR. 7bit when it is ASCII without control characters and
// every line fits 78 characters; quoted-printable when at most a sixth of the bytes are non-ASCII
// (Latin-script letters stay readable); base64 otherwise (Cyrillic: a third smaller than QP).
EncodedBody encode_body(std::string_view utf8);

// RFC 2045 6.7, with CRLF hard line breaks and soft breaks keeping lines within 76 characters.
std::string encode_quoted_printable(std::string_view bytes);
// RFC 4648 4 (the alphabet of RFC 2045 6.8), padded, on one line: for encoded words (RFC 2047) and
// whatever else wants it unbroken.
void append_base64(std::string_view bytes, std::string& out);
// RFC 2045 6.8, in lines of 76 characters.
std::string encode_base64_lines(std::string_view bytes);

}  // namespace redress::letters
