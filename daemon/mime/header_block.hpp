#pragma once
// The header section of a message (RFC 5322 2.2), split into fields without copying the input.
// mimetic rewrites Content-Type values when it reads them (quoted parameters with ';' are lost),
// so the top-level header section is read here, from the original bytes.

#include <string>
#include <string_view>
#include <vector>

namespace redress::mime {

struct RawField {
    std::string_view name;
    std::string value;  // unfolded (RFC 5322 2.2.3): each line break and its indentation become one space
};

class HeaderBlock {
public:
    static HeaderBlock scan(std::string_view bytes);

    const std::vector<RawField>& fields() const { return m_fields; }
    // Where the body starts: after the empty line, or at the first line that is not a field.
    std::size_t body_offset() const { return m_body_offset; }
    // The first line was a well-formed field ("Name: value" with a token name).
    bool starts_with_field() const { return m_starts_with_field; }
    const std::string* find(std::string_view name) const;

private:
    std::vector<RawField> m_fields;
    std::size_t m_body_offset = 0;
    bool m_starts_with_field = false;
};

}  // namespace redress::mime
