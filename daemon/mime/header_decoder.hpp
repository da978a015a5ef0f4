#pragma once
// Header text to UTF-8: RFC 2047 encoded words, RFC 2231 parameter values, and raw 8-bit bytes
// (RFC 6532 allows UTF-8; older mailers wrote their local charset, which we guess).

#include "charset_decoder.hpp"

#include <string>
#include <string_view>

namespace redress::mime {

class HeaderDecoder {
public:
    // `fallback_charset` is used for raw 8-bit header bytes that are not UTF-8: usually the
    // charset the message declares for its body. Empty means: ask uchardet.
    explicit HeaderDecoder(std::string fallback_charset = {})
        : m_fallback(std::move(fallback_charset))
    {
    }

    // Decodes encoded words in unstructured text (Subject, display names, filenames).
    // RFC 2047 6.2: whitespace between two adjacent encoded words is dropped. The bytes of adjacent
    // words in the same charset are joined before conversion so that a multibyte character split
    // across two base64 words still decodes.
    std::string decode(std::string_view raw, CharsetReport& report) const;

    // RFC 2231 section 4: "charset'language'percent-encoded" to UTF-8.
    std::string decode_extended_value(std::string_view value, CharsetReport& report) const;

    // Raw bytes in `charset` (or the fallback when empty) to UTF-8, appended to out.
    void append_raw(std::string_view bytes, std::string_view charset, std::string& out, CharsetReport& report) const;

    const std::string& fallback_charset() const { return m_fallback; }

private:
    std::string m_fallback;
};

}  // namespace redress::mime
