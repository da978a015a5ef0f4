#pragma once
// text/html to readable plain text through an HTML5 parser (gumbo): a tag-stripping regex breaks on
// real mail. Paragraphs, <br>, headings, table rows and list items become line breaks ("- " before
// an item); links keep their text; script, style and head are dropped; entities are decoded by the
// parser. <blockquote> lines get "> " so quoted history is recognised as in plain text.

#include <string>
#include <string_view>

namespace redress::mime {

class HtmlToText {
public:
    // `html` must be UTF-8. Returns text with "\n" line ends, no trailing blank lines.
    static std::string convert(std::string_view html);

    // The charset an HTML document declares in <meta charset> or <meta http-equiv>, "" if none.
    // Used only when the MIME header did not say (RFC 2045 5.2 default would be us-ascii).
    static std::string meta_charset(std::string_view html);
};

}  // namespace redress::mime
