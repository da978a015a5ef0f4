#pragma once
// text/html to readable plain text through an HTML5 parser (gumbo): a tag-stripping regex breaks on
// real mail. Paragraphs, <br>, headings, table rows and list items become line breaks ("- " before
// an item); links keep their text; script, style and head are dropped; entities are decoded by the
// parser. <blockquote> lines get "> " so quoted history is recognised as in plain text.

#include <cstddef>
#include <string>
#include <string_view>

namespace redress::mime {

class HtmlToText {
public:
    // Only this much HTML is parsed; the rest is dropped. Gumbo needs 0.1-0.2 s per MiB here,
    // and the text a customer wrote sits at the top: a larger document is a newsletter or an
    // attack on the parser, not a longer complaint.
    static constexpr std::size_t k_max_input = 256 * 1024;

    // `html` must be UTF-8. Returns text with "\n" line ends, no trailing blank lines.
    static std::string convert(std::string_view html);

    // The charset an HTML document declares in <meta charset> or <meta http-equiv>, "" if none.
    // Used only when the MIME header did not say (RFC 2045 5.2 default would be us-ascii).
    static std::string meta_charset(std::string_view html);
};

}  // namespace redress::mime
