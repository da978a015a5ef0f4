#pragma once
// One of our own letters as a person reads it: every header field with its RFC 2047 words decoded,
// and the body with its transfer encoding undone (RFC 2045 6.7, 6.8) and converted to UTF-8 from
// the charset its Content-Type declares. The outbox keeps letters as the RFC 5322 bytes that go on
// the wire; `redress letters show` prints them through this. Pure: bytes in, value out.

#include "model/message.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace redress::mime {

struct ReadableLetter {
    std::vector<Header> headers;        // in order, unfolded, decoded to UTF-8
    std::string body;                   // UTF-8, line breaks as "\n"
    std::vector<std::string> warnings;  // what could not be decoded cleanly, one sentence each

    // The first field of that name (case-insensitive), or nullptr.
    const std::string* header(std::string_view name) const;
};

// A single-part text letter is decoded as it stands, whatever its body says (quoted lines and
// signatures stay where they are: this is not a customer's message to split). A multipart letter
// shows the text parse_message finds in it.
ReadableLetter read_letter(std::string_view bytes);

}  // namespace redress::mime
