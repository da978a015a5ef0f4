// Hashed features (see feature_extractor.hpp).

#include "feature_extractor.hpp"

#include "stemmer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace redress::classify {

namespace {

// FNV-1a over the bytes, seeded per feature family so "w:x" and "c:x" land apart, then a final
// avalanche (from MurmurHash3's fmix64) because the low bits of FNV mix poorly.
class FeatureHash {
public:
    explicit FeatureHash(std::uint64_t family)
        : m_h(0xcbf29ce484222325ULL ^ (family * 0x9E3779B97F4A7C15ULL))
    {
    }
    void add(std::string_view bytes)
    {
        for (unsigned char c : bytes) {
            m_h ^= c;
            m_h *= 0x100000001b3ULL;
        }
    }
    void add_separator()
    {
        m_h ^= 0xFF;  // never a byte of UTF-8
        m_h *= 0x100000001b3ULL;
    }
    std::uint32_t bucket(std::uint32_t bits) const
    {
        auto h = m_h;
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53ULL;
        h ^= h >> 33;
        return static_cast<std::uint32_t>(h & ((std::uint64_t{1} << bits) - 1));
    }

private:
    std::uint64_t m_h;
};

enum Family : std::uint64_t { k_unigram = 1, k_bigram = 2, k_chargram = 3, k_cue = 4 };

bool is_feature_token(const Token& t)
{
    return t.type != TokenType::stop;
}

// English cue words of our own choosing, pooled so that rare words of one group lend each other
// strength (the model sees "the group fired twice", not only each word once).
constexpr std::string_view k_complaint_cues[] = {
    "still",     "again",   "waiting",    "waited",       "never",    "worst",   "refund",     "cancel",
    "cancelled", "nobody",  "ridiculous", "unacceptable", "useless",  "joke",    "disgusting", "disappointed",
    "terrible",  "awful",   "horrible",   "rude",         "broken",   "delayed", "late",       "lost",
    "wrong",     "charged", "complaint",  "fix",          "fail",     "failed",  "issue",      "problem",
    "hours",     "days",    "weeks",      "yet",          "pathetic", "shocking"};
constexpr std::string_view k_negative_words[] = {
    "bad",       "poor",    "hate",    "angry",   "annoyed",    "annoying", "frustrated", "frustrating", "sucks",
    "crap",      "shit",    "worse",   "fed",     "sick",       "tired",    "sad",        "upset",       "wtf",
    "seriously", "nothing", "cant",    "can't",   "won't",      "doesn't",  "didn't",     "isn't",       "not",
    "no",        "don't",   "why",     "unhappy", "stupid",     "mess",     "lies",       "lie",         "liar",
    "scam",      "cheated", "ignored", "ignore",  "apparently", "supposed", "nightmare",  "fuck",        "fucking"};
constexpr std::string_view k_positive_words[] = {
    "thanks", "thank",      "love",      "great",     "awesome",   "amazing",  "happy",
    "best",   "good",       "excellent", "perfect",   "nice",      "cool",     "brilliant",
    "glad",   "appreciate", "lovely",    "wonderful", "fantastic", "congrats", "enjoy",
    "fun",    "beautiful",  "win",       "excited",   "yay",       "lol",      "haha"};

struct Lexicon {
    std::vector<std::string> complaint, negative, positive;  // English stems, sorted
};

template <std::size_t N> std::vector<std::string> stems_of(const std::string_view (&words)[N])
{
    std::vector<std::string> out;
    std::string scratch;
    for (auto w : words)
        out.emplace_back(stem_word("en", w, scratch));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// Stemmed once, on first use (a function-local static is initialised once, thread-safely).
const Lexicon& lexicon()
{
    static const Lexicon k_lexicon{stems_of(k_complaint_cues), stems_of(k_negative_words), stems_of(k_positive_words)};
    return k_lexicon;
}

bool contains(const std::vector<std::string>& sorted, std::string_view stem)
{
    return std::binary_search(sorted.begin(), sorted.end(), stem,
                              [](std::string_view a, std::string_view b) { return a < b; });
}

// Names of the cue features. Counts are bucketed (0, 1, 2, 3+) so a long rant does not count
// ten times as much as a short one.
const char* bucket_name(std::uint32_t n)
{
    return n == 0 ? "0" : n == 1 ? "1" : n == 2 ? "2" : "3+";
}

}  // namespace

void extract_features(const TextAnalysis& analysis, const FeatureConfig& config, FeatureVector& out,
                      std::vector<std::string>* names)
{
    out.clear();
    if (names)
        names->clear();
    auto push = [&](const FeatureHash& h, auto&& name) {
        out.indices.push_back(h.bucket(config.bucket_bits));
        if (names)
            names->push_back(name());
    };
    auto word_of = [&](const Token& t) { return config.use_stems ? analysis.stem_of(t) : analysis.text_of(t); };

    std::size_t limit = std::min<std::size_t>(analysis.tokens.size(), config.max_tokens);
    const Token* previous = nullptr;
    for (std::size_t i = 0; i < limit; ++i) {
        const Token& t = analysis.tokens[i];
        if (!is_feature_token(t)) {
            previous = nullptr;
            continue;
        }
        auto word = word_of(t);
        if (config.word_unigrams) {
            FeatureHash h(k_unigram);
            h.add(word);
            push(h, [&] { return "w:" + std::string(word); });
        }
        if (config.word_bigrams && previous) {
            auto before = word_of(*previous);
            FeatureHash h(k_bigram);
            h.add(before);
            h.add_separator();
            h.add(word);
            push(h, [&] { return "b:" + std::string(before) + "|" + std::string(word); });
        }
        previous = &t;
    }
    out.word_count = static_cast<std::uint32_t>(out.indices.size());
    if (config.char_max > 0) {
        // Code point starts inside one padded word; kept per thread so the hot path does not allocate.
        thread_local std::vector<std::uint32_t> starts;
        thread_local std::string padded;
        for (std::size_t i = 0; i < limit; ++i) {
            const Token& t = analysis.tokens[i];
            if (t.type != TokenType::word)
                continue;
            // "^word$": the markers let n-grams tell a prefix or an ending from the middle of a word.
            padded.assign("^");
            padded.append(analysis.text_of(t));
            padded.push_back('$');
            starts.clear();
            for (std::uint32_t b = 0; b < padded.size(); ++b)
                if ((static_cast<unsigned char>(padded[b]) & 0xC0) != 0x80)
                    starts.push_back(b);
            starts.push_back(static_cast<std::uint32_t>(padded.size()));
            std::size_t points = starts.size() - 1;
            for (std::size_t n = config.char_min; n <= config.char_max && n <= points; ++n) {
                for (std::size_t s = 0; s + n <= points; ++s) {
                    auto gram = std::string_view(padded).substr(starts[s], starts[s + n] - starts[s]);
                    FeatureHash h(k_chargram);
                    h.add(gram);
                    push(h, [&] { return "c:" + std::string(gram); });
                }
            }
        }
    }
    auto char_count = out.indices.size() - out.word_count;
    if (config.cues) {
        std::array<std::uint32_t, 3> lexicon_hits{};  // complaint, negative, positive
        std::uint32_t questions = 0, exclamations = 0, users = 0, urls = 0, words = 0;
        bool english = analysis.language == "en";
        const auto& lex = lexicon();
        for (std::size_t i = 0; i < limit; ++i) {
            const Token& t = analysis.tokens[i];
            switch (t.type) {
            case TokenType::word: {
                ++words;
                if (!english)
                    break;
                auto stem = analysis.stem_of(t);
                lexicon_hits[0] += contains(lex.complaint, stem);
                lexicon_hits[1] += contains(lex.negative, stem);
                lexicon_hits[2] += contains(lex.positive, stem);
                break;
            }
            case TokenType::question_mark:
                ++questions;
                break;
            case TokenType::exclamation:
                ++exclamations;
                break;
            case TokenType::user:
                ++users;
                break;
            case TokenType::url:
                ++urls;
                break;
            default:
                break;
            }
        }
        auto cue = [&](std::string_view group, std::string_view value) {
            FeatureHash h(k_cue);
            h.add(group);
            h.add_separator();
            h.add(value);
            push(h, [&] { return "k:" + std::string(group) + "=" + std::string(value); });
        };
        cue("complaint_words", bucket_name(lexicon_hits[0]));
        cue("negative_words", bucket_name(lexicon_hits[1]));
        cue("positive_words", bucket_name(lexicon_hits[2]));
        cue("questions", bucket_name(questions));
        cue("exclamations", bucket_name(exclamations));
        cue("users", bucket_name(users));
        cue("urls", bucket_name(urls));
        cue("caps_words", bucket_name(analysis.caps_words));
        cue("happy", bucket_name(analysis.emoticons_happy));
        cue("sad", bucket_name(analysis.emoticons_sad));
        cue("length", words < 6 ? "<6" : words < 12 ? "<12" : words < 20 ? "<20" : words < 30 ? "<30" : "30+");
        out.cue_count = static_cast<std::uint32_t>(out.indices.size() - out.word_count - char_count);
    }
    auto inverse_sqrt = [](std::size_t n) { return n == 0 ? 1.0F : static_cast<float>(1.0 / std::sqrt(double(n))); };
    out.word_scale = inverse_sqrt(out.word_count) * config.word_weight;
    out.char_scale = inverse_sqrt(char_count) * config.char_weight;
    // Eleven cues, one of each group: the same normalisation the other families get.
    out.cue_scale = inverse_sqrt(out.cue_count) * config.cue_weight;
}

}  // namespace redress::classify
