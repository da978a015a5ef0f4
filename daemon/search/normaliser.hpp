#pragma once
// The words the search index holds: each word of a text, case-folded, stemmed in the text's language
// with the classifier's stemmers (Snowball; ours for Ukrainian and Belarusian), and with the marks of
// Latin letters taken off after stemming ("reclamação" and "reclamacao" meet). Each term keeps the
// byte offsets of the word it came from, so snippets show the words as written, not their stems.
//
// A document is stemmed in one language, the one it is detected to be in (the classifier's detector,
// run on the text itself, so the same text always gives the same terms: the index can delete and
// rebuild a row from its text alone). A query's language is not known (two words are too few to
// tell), so a query word is normalised in each of the seven languages and matches a document whose
// word shares any of those forms (query_forms).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::search {

// The languages search normalises for; a text detected as another language keeps its words unstemmed.
inline constexpr std::string_view k_languages[] = {"en", "ru", "uk", "be", "pt", "de", "es"};

// A stem this long or longer matches as a prefix of this many letters ("доставили" -> "достав",
// "доставка" -> "доставк": both reach "достав*"). Snowball leaves such derivations apart, and
// people searching want them together; shorter stems match exactly ("суд" does not find "судно").
inline constexpr std::size_t k_prefix_letters = 6;

// Words longer than this (in bytes) are not indexed: hashes and base64 runs, not words.
inline constexpr std::size_t k_max_word_bytes = 64;

struct Term {
    std::string_view text;  // the normalised form; valid until the next call back
    std::uint32_t begin = 0;
    std::uint32_t end = 0;  // byte offsets of the word in the original text
};

// The language a document is stemmed in: one of k_languages, or "" (words kept unstemmed).
std::string document_language(std::string_view text);

// Calls `each` for every word of `text`, normalised for `language` ("" for none).
void for_each_term(std::string_view text, std::string_view language, const std::function<void(const Term&)>& each);

// The words of `text` as written (split as for_each_term splits them), for the query parser.
std::vector<std::string> split_words(std::string_view text);

// One way a query word may appear in the index.
struct QueryForm {
    std::string text;
    bool prefix = false;  // matches every term that starts with `text`
    bool operator==(const QueryForm&) const = default;
};

// The distinct forms of one query word over every language of k_languages, and unstemmed.
std::vector<QueryForm> query_forms(std::string_view word);

// The form of one query word in one language ("" for unstemmed).
QueryForm query_form(std::string_view word, std::string_view language);

}  // namespace redress::search
