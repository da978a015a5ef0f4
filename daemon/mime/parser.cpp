#include "parser.hpp"

#include "message_builder.hpp"

namespace redress::mime {

Result<Message> parse_message(std::string_view bytes, const ParseOptions& options)
{
    if (bytes.size() > options.max_size)
        return make_error("mime.too_large", "the message is " + std::to_string(bytes.size()) +
                                                " bytes, more than the limit of " + std::to_string(options.max_size) +
                                                " bytes");
    if (bytes.empty())
        return make_error("mime.empty", "the message is empty");
    return MessageBuilder(options, 0).build(bytes);
}

}  // namespace redress::mime
