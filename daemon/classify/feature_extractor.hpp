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
    std::uint32_t bucket_bits = 18;  // 2^bits hashed buckets (2^18 x 5 heads x 2 bytes = 2.5 MiB)
    bool word_unigrams = true;
    bool word_bigrams = true;
    bool use_stems = true;      // words as stems (else folded surface forms)
    std::uint8_t char_min = 3;  // character n-grams of folded words, char_min..char_max
    std::uint8_t char_max = 5;  // code points; 0 disables
    // The model reads the first tokens only (about 1.2 KB of prose): intent sits at the top, and
    // a long letter then costs the model no more than a short one. Rules still read the whole text.
    std::uint16_t max_tokens = 200;
    bool cues = true;  // dense cues of our own (lexicon counts, caps, emoticons, length)
    // Multipliers of each family's values: under one L2 penalty a larger value is a weaker penalty
    // for that family, so these tune regularisation per family.
    float word_weight = 1.0F;
    float char_weight = 1.0F;
    float cue_weight = 1.0F;

    bool operator==(const FeatureConfig&) const = default;
};

// Every index once per occurrence (duplicates add up in the dot product). Word features come
// first, then character n-grams, then cues; words and n-grams are each normalised on their own
// (value 1/sqrt(count) of that family), so the many n-grams do not drown the few words, and long
// and short messages weigh alike. Cues are counts already bounded, so their value is constant.
struct FeatureVector {
    std::vector<std::uint32_t> indices;
    std::uint32_t word_count = 0;  // indices[0, word_count) are word features
    std::uint32_t cue_count = 0;   // the last cue_count indices are cues
    float word_scale = 1.0F;
    float char_scale = 1.0F;
    float cue_scale = 1.0F;
    std::size_t cue_begin() const { return indices.size() - cue_count; }
    float scale_of(std::size_t i) const
    {
        return i < word_count ? word_scale : i < cue_begin() ? char_scale : cue_scale;
    }
    void clear()
    {
        indices.clear();
        word_count = cue_count = 0;
        word_scale = char_scale = cue_scale = 1.0F;
    }
};

// Fills `out` (reusing its buffer). With `names`, also records each feature's readable name in
// step with out.indices ("w:refund", "b:want|refund", "c:^ref"): for --explain only.
void extract_features(const TextAnalysis& analysis, const FeatureConfig& config, FeatureVector& out,
                      std::vector<std::string>* names = nullptr);

}  // namespace redress::classify
