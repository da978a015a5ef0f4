#pragma once
// Header text for outgoing mail: RFC 2047 encoded words for non-ASCII text, display names as
// RFC 5322 phrases, and folding (RFC 5322 2.2.3).

#include "model/message.hpp"

#include <string>
#include <string_view>

namespace redress::letters {

// Unstructured header text (a Subject) ready to follow "Name: ". ASCII words stay readable; each run
// of words that needs it (non-ASCII, a lookalike "=?", a word too long to fold) becomes UTF-8
// encoded words of at most 68 characters (RFC 2047 2 allows 75), split only between characters
// (RFC 2047 5), separated by spaces so fold_header can put each on its own line. B encoding for
// mostly non-ASCII runs (Cyrillic), Q for mostly ASCII ones. Control characters and runs of
// whitespace become one space: a header value is one line. Pure ASCII input comes back unchanged.
std::string encode_header_word(std::string_view utf8);

// "Анна Петрова" <anna@example.ru> as a header value: an RFC 2047 phrase when the name is not
// ASCII, a quoted string when it holds specials, the bare address when there is no name. The
// address is never encoded (RFC 2047 5 forbids it); control characters are removed, and an address
// that is not a plain addr-spec gets its local part quoted and its domain cut to dot-atom
// characters, so no comma, bracket or colon from the input acts as structure in the header.
std::string format_mailbox(const Mailbox& mailbox);

// "Name: value\r\n", folded at spaces so lines stay within 78 characters where the words allow and
// never exceed 998 (RFC 5322 2.1.1); a word that alone would pass 998 is cut, which never happens
// to values from encode_header_word.
std::string fold_header(std::string_view name, std::string_view value);

}  // namespace redress::letters
