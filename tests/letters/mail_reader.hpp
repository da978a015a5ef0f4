#pragma once
// A deliberately small reader of the messages compose_email writes, independent of the code under
// test: it checks the wire rules (CRLF, folding, line lengths) and decodes RFC 2047 words and
// quoted-printable / base64 bodies with its own code, so a round trip proves something.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace redress::letters::testing {

struct ReadMessage {
    std::vector<std::pair<std::string, std::string>> headers;  // name, unfolded raw value
    std::string raw_body;
    std::vector<std::string> problems;  // wire rules broken: bare LF, long lines, bad folding
    std::size_t longest_header_line = 0;

    // The unfolded raw value of the first header of that name (case-insensitive), or "".
    std::string header(std::string_view name) const;
    int count(std::string_view name) const;
};

ReadMessage read_message(std::string_view bytes);

// RFC 2047 decoding of an unstructured value: encoded words in utf-8 (B or Q); whitespace between
// two adjacent encoded words dropped (RFC 2047 6.2).
std::string decode_words(std::string_view value);

std::string decode_base64(std::string_view text);
std::string decode_quoted_printable(std::string_view text);

// The body decoded according to Content-Transfer-Encoding, with CRLF turned into LF.
std::string decoded_body(const ReadMessage& message);

}  // namespace redress::letters::testing
