// Hashed features (see feature_extractor.hpp).

#include "feature_extractor.hpp"

#include <algorithm>
#include <cmath>

namespace redress::classify {

namespace {

// FNV-1a over the bytes, seeded per feature family so "w:x" and "c:x" land apart, then a final
// avalanche (from MurmurHash3's fmix64) because the low bits of FNV mix poorly.
class FeatureHash {
public:
    explicit FeatureHash(std::uint64_t family) : m_h(0xcbf29ce484222325ULL ^ (family * 0x9E3779B97F4A7C15ULL)) { }
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

enum Family : std::uint64_t { k_unigram = 1, k_bigram = 2, k_chargram = 3 };

bool is_feature_token(const Token& t) { return t.type != TokenType::stop; }

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
    auto inverse_sqrt = [](std::size_t n) { return n == 0 ? 1.0F : static_cast<float>(1.0 / std::sqrt(double(n))); };
    out.word_scale = inverse_sqrt(out.word_count);
    out.char_scale = inverse_sqrt(out.indices.size() - out.word_count);
}

}  // namespace redress::classify
