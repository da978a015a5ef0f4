#include "header_block.hpp"

#include "common/text.hpp"

namespace redress::mime {

namespace {

bool is_name_char(char c)
{
    // RFC 5322 3.6.8 ftext is any printable ASCII but ':'.
    return c > 32 && c < 127 && c != ':';
}

bool is_token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

}  // namespace

HeaderBlock HeaderBlock::scan(std::string_view bytes)
{
    HeaderBlock block;
    block.m_fields.reserve(32);
    std::size_t pos = 0;
    const std::size_t n = bytes.size();
    bool first = true;
    while (pos < n) {
        std::size_t eol = bytes.find('\n', pos);
        std::size_t next = eol == std::string_view::npos ? n : eol + 1;
        std::string_view line = bytes.substr(pos, (eol == std::string_view::npos ? n : eol) - pos);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty()) {
            block.m_body_offset = next;
            return block;
        }
        if ((line[0] == ' ' || line[0] == '\t') && !block.m_fields.empty()) {
            std::string& v = block.m_fields.back().value;
            std::string_view more = trim(line);
            if (!more.empty()) {
                if (!v.empty())
                    v.push_back(' ');
                v.append(more);
            }
            pos = next;
            first = false;
            continue;
        }
        std::size_t colon = line.find(':');
        std::size_t name_end = colon;
        // "Subject : x" (blanks before the colon) is tolerated, as mimetic does.
        while (name_end != std::string_view::npos && name_end > 0 && (line[name_end - 1] == ' ' || line[name_end - 1] == '\t'))
            --name_end;
        bool ok = colon != std::string_view::npos && name_end > 0;
        for (std::size_t k = 0; ok && k < name_end; ++k)
            ok = is_name_char(line[k]);
        if (!ok) {
            // Not a field: the blank line before the body is missing (mimetic reads this line as body too).
            block.m_body_offset = pos;
            return block;
        }
        if (first) {
            bool token = true;
            for (std::size_t k = 0; k < name_end; ++k)
                token = token && is_token_char(line[k]);
            block.m_starts_with_field = token;
        }
        block.m_fields.push_back(RawField{line.substr(0, name_end), std::string(trim(line.substr(colon + 1)))});
        first = false;
        pos = next;
    }
    block.m_body_offset = n;
    return block;
}

const std::string* HeaderBlock::find(std::string_view name) const
{
    for (auto& f : m_fields)
        if (iequals(f.name, name))
            return &f.value;
    return nullptr;
}

}  // namespace redress::mime
