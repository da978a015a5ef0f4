#pragma once
// The header section of a message (RFC 5322 2.2), split into fields without copying the input.
// mimetic rewrites Content-Type values when it reads them (quoted parameters with ';' are lost),
// so the top-level header section is read here, from the original bytes.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::mime {

struct RawField {
    std::string_view name;
    std::string value;  // unfolded (RFC 5322 2.2.3): each line break and its indentation become one space
    bool cut = false;   // the unfolded value was longer than HeaderBlock::k_max_field_bytes and was cut
};

class HeaderBlock {
public:
    // RFC 5322 2.1.1: a line must not exceed 998 characters. Longer lines are read, but a field
    // keeps at most k_max_field_bytes of its unfolded value (far more than any person writes) and
    // the section at most k_max_fields fields, so one hostile field cannot make a later stage
    // (mimetic grows its field buffer 128 bytes at a time: quadratic) cost more than the input.
    static constexpr std::size_t k_max_line = 998;
    static constexpr std::size_t k_max_field_bytes = 8 * 1024;
    // References and In-Reply-To: about 800 Message-IDs. mimetic's cost for one such field is still
    // a few milliseconds (its buffer is reused across fields, so only the longest one counts).
    static constexpr std::size_t k_max_id_list_bytes = 64 * 1024;
    static constexpr std::size_t k_max_fields = 1000;

    // One pass, linear in the input.
    static HeaderBlock scan(std::string_view bytes);

    const std::vector<RawField>& fields() const { return m_fields; }
    // Where the body starts: after the empty line, or at the first line that is not a field.
    std::size_t body_offset() const { return m_body_offset; }
    // The first line was a well-formed field ("Name: value" with a token name).
    bool starts_with_field() const { return m_starts_with_field; }
    const std::string* find(std::string_view name) const;

    // Fields whose value was cut, and fields left out after the first k_max_fields (or with a name
    // longer than a line may be).
    std::size_t cut_fields() const { return m_cut_fields; }
    std::size_t dropped_fields() const { return m_dropped_fields; }
    // Whether mimetic must be given rewrite() instead of the original bytes: something was cut or
    // dropped, or a line of the section (or the first body line, when the blank line is missing)
    // is longer than k_max_line.
    bool needs_rewrite() const { return m_cut_fields > 0 || m_dropped_fields > 0 || m_long_line; }
    // The fields as kept ("Name: value" lines, unfolded), an empty line, then the body of `bytes`
    // (the same bytes scan() read).
    std::string rewrite(std::string_view bytes) const;

private:
    std::vector<RawField> m_fields;
    std::size_t m_cut_fields = 0;
    std::size_t m_dropped_fields = 0;
    bool m_long_line = false;
    std::size_t m_body_offset = 0;
    bool m_starts_with_field = false;
};

// The header sections inside a body: after each boundary-like line ("--" and at most 200 bytes,
// RFC 2046 5.1.1 boundaries are at most 70 characters), and the header of a message/* part. mimetic
// reads them with the same quadratic buffer as the top level, so a field longer than
// HeaderBlock::k_max_field_bytes (unfolded; k_max_id_list_bytes for References and In-Reply-To) is cut there too, and
// an overlong line that is no field (mimetic would read it as a field name) gets an empty line before it, which makes
// it body as mimetic would have made it. Lines of the body that merely follow a "--" line and are longer than 8 KiB may
// be cut as well: a price paid for staying linear.
struct BoundedParts {
    std::string bytes;      // the body, changed
    std::size_t cut = 0;    // fields cut
    std::size_t ended = 0;  // header sections ended early before an overlong line
};
// nullopt when nothing needed changing (the usual case: nothing is copied).
std::optional<BoundedParts> bound_part_headers(std::string_view body);

}  // namespace redress::mime
