#pragma once
// RFC 5322 / MIME (RFC 2045-2049) bytes to a Message. Pure: bytes in, value out.

#include "common/result.hpp"
#include "model/message.hpp"

#include <cstddef>
#include <string_view>

namespace redress::mime {

struct ParseOptions {
    std::size_t max_size = 25 * 1024 * 1024;  // larger messages are refused (error "mime.too_large")
    int max_depth = 16;                       // nesting of multiparts and message/rfc822 parts
};

// Errors are for messages that cannot be read at all (too large, no header section, not text);
// everything recoverable (unknown charset, broken base64, missing boundary) yields a Message with
// a sentence in Message::warnings.
Result<Message> parse_message(std::string_view bytes, const ParseOptions& options = {});

}  // namespace redress::mime
