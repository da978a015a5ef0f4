// Builds a TextAnalysis (see text_analysis.hpp).

#include "text_analysis.hpp"

#include "language_detector.hpp"
#include "stemmer.hpp"

#include <algorithm>

namespace redress::classify {

void stem_tokens(TextAnalysis& out)
{
    out.stems.clear();
    thread_local std::string scratch;
    for (auto& t : out.tokens) {
        std::string_view stem = out.text_of(t);
        if (t.type == TokenType::word)
            stem = stem_word(out.language, stem, scratch);
        t.stem_begin = static_cast<std::uint32_t>(out.stems.size());
        t.stem_size = static_cast<std::uint32_t>(stem.size());
        out.stems.append(stem);
    }
}

void analyze_text(std::string_view subject, std::string_view body, TextAnalysis& out)
{
    out.clear();
    if (subject.empty()) {
        auto guess = detect_language(body);
        out.language = std::move(guess.code);
        out.language_reason = std::move(guess.reason);
    } else {
        // CLD2 wants one buffer; the subject alone is often too short to tell ("Re: заказ").
        thread_local std::string joined;
        joined.assign(subject);
        joined.push_back('\n');
        joined.append(body.substr(0, std::min(body.size(), k_language_bytes)));
        auto guess = detect_language(joined);
        out.language = std::move(guess.code);
        out.language_reason = std::move(guess.reason);
    }
    tokenize(subject, out);
    if (!subject.empty() && !body.empty()) {
        // A clause boundary between subject and body, so negation and bigrams do not straddle them.
        Token t;
        t.begin = static_cast<std::uint32_t>(out.folded.size());
        t.size = 1;
        t.type = TokenType::stop;
        out.folded.push_back('.');
        out.tokens.push_back(t);
    }
    tokenize(body, out);
    stem_tokens(out);
}

}  // namespace redress::classify
