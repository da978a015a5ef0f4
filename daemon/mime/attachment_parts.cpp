#include "attachment_parts.hpp"

#include "message_builder.hpp"

namespace redress::mime {

Result<std::vector<AttachmentPart>> attachment_parts(std::string_view bytes, const ParseOptions& options)
{
    if (bytes.size() > options.max_size)
        return make_error("mime.too_large", "the message is " + std::to_string(bytes.size()) +
                                                " bytes, more than the limit of " + std::to_string(options.max_size) +
                                                " bytes");
    std::vector<AttachmentPart> parts;
    MessageBuilder builder(options, 0);
    builder.keep_parts(parts);
    TRY(builder.build(bytes));
    return parts;
}

}  // namespace redress::mime
