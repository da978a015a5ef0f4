// Training options beyond the defaults: two views (word and character models averaged) and
// naive-Bayes scaling in the complaint head only.

#include "classify/text_analysis.hpp"
#include "classify/trainer.hpp"

#include <gtest/gtest.h>

using namespace redress;
using namespace redress::classify;

namespace {

std::vector<LabelledText> multilingual()
{
    auto data = load_labelled_csv(std::string(REDRESS_SOURCE_DIR) + "/tests/data/multilingual.csv");
    if (!data)
        throw std::runtime_error(data.error().message);
    return std::move(data).value();
}

// Largest difference, over heads and buckets, between `model` and share * a + (1 - share) * b,
// relative to the largest weight of the head.
double largest_mix_error(const LinearModel& model, const LinearModel& a, const LinearModel& b, double share)
{
    double worst = 0;
    std::uint32_t buckets = 1U << model.features().bucket_bits;
    for (std::size_t h = 0; h < k_head_count; ++h) {
        double largest = 0, error = std::abs(model.bias(h) - (share * a.bias(h) + (1 - share) * b.bias(h)));
        for (std::uint32_t i = 0; i < buckets; ++i) {
            largest = std::max(largest, std::abs(model.weight(i, h)));
            double mixed = share * a.weight(i, h) + (1 - share) * b.weight(i, h);
            error = std::max(error, std::abs(model.weight(i, h) - mixed));
        }
        worst = std::max(worst, error / std::max(largest, 1e-9));
    }
    return worst;
}

TrainOptions small_options()
{
    TrainOptions options;
    options.features.bucket_bits = 20;
    options.nb_alpha = 1;
    options.nb_floor = 1;
    return options;
}

}  // namespace

// The two-view model is the mean of a words-and-cues model and a character n-gram model trained on
// their own, weight by weight (up to the 16-bit weights), so its log-odds are the mean of theirs.
TEST(TrainerViews, TwoViewsAverageWordAndCharacterModels)
{
    auto data = multilingual();
    auto word_options = small_options();
    word_options.features.char_max = 0;
    auto words = train_model(data, word_options);
    auto char_options = small_options();
    char_options.features.word_unigrams = false;
    char_options.features.word_bigrams = false;
    char_options.features.cues = false;
    auto chars = train_model(data, char_options);

    auto options = small_options();
    options.two_views = true;
    options.view_cues = CueView::words;
    for (double share : {0.5, 0.25, 1.0}) {
        options.word_view_share = share;
        auto both = train_model(data, options);
        EXPECT_EQ(both.features(), options.features);  // the file keeps the full feature settings
        for (std::size_t h = 0; h < k_head_count; ++h)
            EXPECT_TRUE(both.trained(h));
        EXPECT_LT(largest_mix_error(both, words, chars, share), 1e-3) << "share " << share;
    }
}

TEST(TrainerViews, CuesJoinTheViewsAsked)
{
    auto data = multilingual();
    auto options = small_options();
    options.two_views = true;
    options.view_cues = CueView::both;
    auto both = train_model(data, options);
    options.view_cues = CueView::chars;
    auto in_chars = train_model(data, options);
    options.view_cues = CueView::words;
    auto in_words = train_model(data, options);
    // The cue features score differently when the cues move: each setting trains what it says.
    TextAnalysis analysis;
    FeatureVector features;
    analyze_text({}, "STILL no refund?! Worst service ever :(", analysis);
    extract_features(analysis, options.features, features);
    auto complaint = head_of(Kind::complaint);
    auto z_both = both.score(features)[complaint];
    EXPECT_NE(z_both, in_chars.score(features)[complaint]);
    EXPECT_NE(z_both, in_words.score(features)[complaint]);
}

TEST(TrainerViews, NaiveBayesInTheComplaintHeadOnly)
{
    auto data = multilingual();
    auto options = small_options();
    options.nb_complaint_only = true;
    auto model = train_model(data, options);
    auto plain_options = small_options();
    plain_options.nb_alpha = 0;
    auto plain = train_model(data, plain_options);
    auto scaled = train_model(data, small_options());

    std::size_t complaint = head_of(Kind::complaint);
    std::uint32_t buckets = 1U << options.features.bucket_bits;
    for (std::size_t h = 0; h < k_head_count; ++h) {
        const auto& expected = h == complaint ? scaled : plain;
        EXPECT_FLOAT_EQ(model.bias(h), expected.bias(h)) << "head " << h;
        std::size_t differ = 0;
        for (std::uint32_t b = 0; b < buckets; ++b)
            differ += model.weight(b, h) != expected.weight(b, h);
        EXPECT_EQ(differ, 0U) << "head " << h;
    }
    // And the scaling did something: the complaint heads of the scaled and plain models differ.
    std::size_t differ = 0;
    for (std::uint32_t b = 0; b < buckets; ++b)
        differ += scaled.weight(b, complaint) != plain.weight(b, complaint);
    EXPECT_GT(differ, 100U);
}
