#pragma once
// Bytes in a declared (or undeclared) charset to UTF-8. iconv does the conversion; an alias table
// covers the names mail clients write that iconv does not know; uchardet guesses undeclared 8-bit text.
// iconv descriptors are opened once per charset per thread and reused.

#include <cstddef>
#include <string>
#include <string_view>

namespace redress::mime {

struct CharsetReport {
    bool unknown_charset = false;  // the declared name is not one iconv or the alias table knows
    std::size_t replaced = 0;      // bytes that became U+FFFD
    std::string guessed;           // charset chosen by uchardet, when the declaration did not say
};

class CharsetDecoder {
public:
    // Appends `bytes` converted from `charset` to UTF-8 onto `out`. An empty charset, "default",
    // "unknown-8bit" and friends mean "guess". Never fails: what cannot be converted becomes U+FFFD.
    static void to_utf8(std::string_view bytes, std::string_view charset, std::string& out, CharsetReport& report);

    // The name to hand to iconv: "ks_c_5601-1987" -> "CP949"; "" when the charset must be guessed.
    static std::string iconv_name(std::string_view charset);

    // uchardet's guess for 8-bit text ("WINDOWS-1251"); "" when it has no opinion.
    static std::string guess(std::string_view bytes);
};

}  // namespace redress::mime
