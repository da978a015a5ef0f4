#pragma once
// Which language a customer wrote in: CLD2 for longer text, letter rules for the short Cyrillic
// and Latin messages where CLD2 guesses (ў is only Belarusian; ї, є, ґ only Ukrainian; ъ only
// Russian; і is not Russian; и and щ are not Belarusian; ы, э, ё are not Ukrainian).

#include <string>
#include <string_view>

namespace redress::classify {

struct LanguageGuess {
    std::string code;    // ISO 639-1 ("en", "ru", "uk", "be", "pt", "de", "es", ...)
    std::string reason;  // "cld2 ru 97%", "letters ў", "default en"
};

// Pure. Reads at most the first 64 KiB. Text without letters is "en" (the default for replies).
LanguageGuess detect_language(std::string_view utf8);

}  // namespace redress::classify
