#pragma once
// The normalised form of a customer's text that rules and the model both read: case-folded tokens,
// their stems in the detected language, and that language. Built once per message.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace redress::classify {

enum class TokenType : std::uint8_t {
    word,
    number,         // a run of digits, folded to "<num>": order numbers carry no meaning
    url,            // "<url>"
    email,          // "<email>"
    user,           // "@handle" folded to "<user>": the company's own handle is in every tweet
    question_mark,  // "?" (runs collapsed)
    exclamation,    // "!" (runs collapsed)
    stop,           // . , ; : (a clause boundary: negation does not reach past it)
};

struct Token {
    std::uint32_t begin = 0;  // into TextAnalysis::folded
    std::uint32_t size = 0;
    std::uint32_t stem_begin = 0;  // into TextAnalysis::stems
    std::uint32_t stem_size = 0;
    TokenType type = TokenType::word;
};

struct TextAnalysis {
    std::string language = "en";  // ISO 639-1
    std::string language_reason;  // "cld2 ru 97%", "letter ў"
    std::string folded;           // every token's folded text back to back
    std::string stems;            // every token's stem back to back
    std::vector<Token> tokens;
    // Signals the folding loses, counted while tokenising for the model's cue features.
    std::uint32_t caps_words = 0;       // words of 2+ letters written all in capitals ("NEVER")
    std::uint32_t emoticons_happy = 0;  // :) :-) :D ;) and smiling emoji
    std::uint32_t emoticons_sad = 0;    // :( :-( :/ and frowning or angry emoji

    std::string_view text_of(const Token& t) const { return std::string_view(folded).substr(t.begin, t.size); }
    std::string_view stem_of(const Token& t) const { return std::string_view(stems).substr(t.stem_begin, t.stem_size); }
    void clear()
    {
        language = "en";
        language_reason.clear();
        folded.clear();
        stems.clear();
        tokens.clear();
        caps_words = emoticons_happy = emoticons_sad = 0;
    }
};

// Only this much of a message is read: intent and threats sit at the top, and a 20 MB paste must
// not cost milliseconds.
inline constexpr std::size_t k_max_analysed_bytes = 64 * 1024;

// Case-folds (Unicode, utf8proc) and splits UTF-8 text into tokens appended to `out`; stems are
// left empty. Invalid UTF-8 bytes are skipped. A letter repeated more than twice is kept twice
// ("sooooo" -> "soo"), so stretched words meet their usual spelling more often.
void tokenize(std::string_view utf8, TextAnalysis& out);

// Fills every token's stem using out.language (Snowball, or our Ukrainian/Belarusian suffix
// stripper). Tokens that are not words keep their folded text as the stem.
void stem_tokens(TextAnalysis& out);

// Detects the language of subject + body, tokenises both and stems. Reuses out's buffers, so a
// caller that keeps one TextAnalysis per thread allocates nothing in the steady state.
void analyze_text(std::string_view subject, std::string_view body, TextAnalysis& out);

}  // namespace redress::classify
