#pragma once
// Stems one case-folded word. Snowball (libstemmer) for the languages it has; a small suffix
// stripper of our own for Ukrainian and Belarusian, which Snowball lacks.

#include <string>
#include <string_view>

namespace redress::classify {

// Returns the stem of `word` (already case-folded UTF-8) in `language` (ISO 639-1). The result
// points into `scratch` or into `word`. Unknown languages return the word unchanged.
// Thread-safe: each thread keeps its own Snowball stemmers, because an sb_stemmer is not.
std::string_view stem_word(std::string_view language, std::string_view word, std::string& scratch);

// The suffix stripper used for "uk" and "be", exposed for tests.
std::string_view strip_slavic_suffix(std::string_view language, std::string_view word);

}  // namespace redress::classify
