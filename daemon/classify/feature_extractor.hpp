#pragma once
// Turns a TextAnalysis into hashed feature indices for the linear model: word unigrams and
// bigrams (stems), and character n-grams of each folded word. The same code runs in training
// and in the daemon, so a model and its features cannot drift apart.

#include "text_analysis.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace redress::classify {

struct FeatureConfig {
    std::uint32_t bucket_bits = 20;  // 2^bits hashed buckets
    bool word_unigrams = true;
    bool word_bigrams = true;
    bool use_stems = true;           // words as stems (else folded surface forms)
    std::uint8_t char_min = 3;       // character n-grams of folded words, char_min..char_max
    std::uint8_t char_max = 5;       // code points; 0 disables
    std::uint16_t max_tokens = 400;  // the rest of a long message adds no features

    bool operator==(const FeatureConfig&) const = default;
};

// Every index once per occurrence (duplicates add up in the dot product). Word features come
// first, then character n-grams; each family is normalised on its own (value 1/sqrt(count) of
// that family), so the many n-grams do not drown the few words, and long and short messages
// weigh alike.
struct FeatureVector {
    std::vector<std::uint32_t> indices;
    std::uint32_t word_count = 0;  // indices[0, word_count) are word features
    float word_scale = 1.0F;
    float char_scale = 1.0F;
    float scale_of(std::size_t i) const { return i < word_count ? word_scale : char_scale; }
    void clear()
    {
        indices.clear();
        word_count = 0;
        word_scale = char_scale = 1.0F;
    }
};

// Fills `out` (reusing its buffer). With `names`, also records each feature's readable name in
// step with out.indices ("w:refund", "b:want|refund", "c:^ref"): for --explain only.
void extract_features(const TextAnalysis& analysis, const FeatureConfig& config, FeatureVector& out,
                      std::vector<std::string>* names = nullptr);

}  // namespace redress::classify
