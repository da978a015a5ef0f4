#pragma once
// Which language a customer wrote in: CLD2 for longer text, letter rules for the short Cyrillic
// and Latin messages where CLD2 guesses (ў is only Belarusian; ї, є, ґ only Ukrainian; ъ only
// Russian; і is not Russian; и and щ are not Belarusian; ы, э, ё are not Ukrainian).

#include <cstddef>
#include <string>
#include <string_view>

namespace redress::classify {

struct LanguageGuess {
    std::string code;    // ISO 639-1 ("en", "ru", "uk", "be", "pt", "de", "es", ...)
    std::string reason;  // "cld2 ru 97%", "letters ў", "default en"
};

// How much of a text the language is told from.
inline constexpr std::size_t k_language_bytes = 4096;

// Pure. Reads at most the first k_language_bytes. Text without letters is "en" (the default for replies).
LanguageGuess detect_language(std::string_view utf8);

}  // namespace redress::classify
