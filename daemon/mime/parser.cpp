#include "parser.hpp"

namespace redress::mime {
Result<Message> parse_message(std::string_view, const ParseOptions&)
{
    return make_error("mime.unimplemented", "the MIME parser is being written");
}
}  // namespace redress::mime
