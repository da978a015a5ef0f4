#pragma once
// The terms of a complaint for finding recurring problems: the words and two-word phrases of its
// subject and first message after the classifier's own normalisation (case folding and the
// language's stemmer, daemon/classify), without the language's function words ("the", "и", "der")
// and without numbers, addresses and links. A phrase is two neighbouring words (function words between
// and words of one or two letters between them skipped; punctuation and numbers end it), its stems in alphabetical
// order, so "rude courier" and "the courier was rude" share it. A term is its stems ("kettl lid"), so complaints in two
// languages share a term only when their stems are the same string ("iphone").

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace redress::reports {

struct TicketTerms {
    std::string language;
    std::vector<std::string> terms;               // sorted, each once
    std::map<std::string, std::string> surfaces;  // term -> the folded words it came from
    std::map<std::string, int> first_at;          // term -> the place of its first word (0: the subject's first)
};

// `language` is the ticket's (ISO 639-1); a language without a stemmer keeps whole words.
TicketTerms terms_of(std::string_view language, std::string_view subject, std::string_view text);

// Whether a phrase (two stems joined by a space) rather than a single stem.
inline bool is_phrase(std::string_view term)
{
    return term.find(' ') != std::string_view::npos;
}

}  // namespace redress::reports
