#pragma once
// The files a mail carries, with their bytes: what the attachment store keeps (issue 18). parse_message
// lists attachments by name and size only; this reads the same parts again and decodes them.
// Pure: bytes in, values out.

#include "parser.hpp"

#include "common/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace redress::mime {

struct AttachmentPart {
    std::string filename;      // decoded (RFC 2231 / RFC 2047), may be empty
    std::string content_type;  // as declared, lower case ("image/png")
    std::string content_id;    // without angle brackets: what an HTML body's "cid:" names (RFC 2392)
    bool inline_part = false;  // Content-Disposition: inline (RFC 2183), an HTML mail's picture
    std::string bytes;         // the transfer encoding undone (RFC 2045 6)
};

// The top-level message's attachments in the order parse_message lists them (the parts of an
// embedded message/rfc822 stay inside it). Errors as parse_message's.
Result<std::vector<AttachmentPart>> attachment_parts(std::string_view bytes, const ParseOptions& options = {});

}  // namespace redress::mime
