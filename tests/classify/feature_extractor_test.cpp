// Tweet normalisation and the cue features (the second round of the classifier).

#include "classify/feature_extractor.hpp"
#include "classify/text_analysis.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace redress::classify;

namespace {

std::vector<std::string> feature_names(std::string_view text)
{
    TextAnalysis analysis;
    analyze_text({}, text, analysis);
    FeatureVector features;
    std::vector<std::string> names;
    extract_features(analysis, FeatureConfig{}, features, &names);
    return names;
}

bool has(const std::vector<std::string>& names, std::string_view name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

// Stretched words in tweets ("sooooo", "pleeeease") meet the usual spelling once cut to two.
TEST(Tokenizer, StretchedLettersAreKeptTwice)
{
    TextAnalysis analysis;
    analyze_text({}, "Sooooo slowwww, order 1000", analysis);
    ASSERT_GE(analysis.tokens.size(), 4U);
    EXPECT_EQ(analysis.text_of(analysis.tokens[0]), "soo");
    EXPECT_EQ(analysis.text_of(analysis.tokens[1]), "sloww");
    EXPECT_EQ(analysis.tokens.back().type, TokenType::number);
}

// Capitals, emoticons and emoji are lost by folding, so the tokenizer counts them.
TEST(Tokenizer, CountsCapitalsAndEmoticons)
{
    TextAnalysis analysis;
    analyze_text({}, "NEVER AGAIN @acme :( I waited \xF0\x9F\x98\xA1 but :) thanks", analysis);
    EXPECT_EQ(analysis.caps_words, 2U);  // "I" is one letter, not shouting
    EXPECT_EQ(analysis.emoticons_sad, 2U);
    EXPECT_EQ(analysis.emoticons_happy, 1U);
}

TEST(FeatureExtractor, CuesBucketLexiconAndShape)
{
    auto names = feature_names("@acme still waiting for my refund, worst service ever!!! NEVER AGAIN");
    EXPECT_TRUE(has(names, "k:complaint_words=3+"));  // still, waiting, refund, worst, never, again
    EXPECT_TRUE(has(names, "k:users=1"));
    EXPECT_TRUE(has(names, "k:exclamations=1"));  // "!!!" is one token
    EXPECT_TRUE(has(names, "k:caps_words=2"));
    EXPECT_TRUE(has(names, "k:length=<12"));
    auto thanks = feature_names("thanks, love it");
    EXPECT_TRUE(has(thanks, "k:positive_words=2"));
    EXPECT_TRUE(has(thanks, "k:complaint_words=0"));
}

// The model reads only the first max_tokens tokens, so a long letter costs it no more.
TEST(FeatureExtractor, LongTextIsCutAtMaxTokens)
{
    std::string text;
    for (int i = 0; i < 1000; ++i)
        text += "word" + std::string(1, char('a' + i % 26)) + " ";
    TextAnalysis analysis;
    analyze_text({}, text, analysis);
    FeatureVector features;
    FeatureConfig config;
    extract_features(analysis, config, features);
    EXPECT_EQ(features.word_count, 2U * config.max_tokens - 1);  // unigrams and bigrams
    EXPECT_EQ(features.cue_count, 11U);
}
