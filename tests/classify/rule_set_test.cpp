// The manager-editable keyword rules: format, matching by stem and prefix, negation, overrides.

#include "classify/rule_set.hpp"

#include <gtest/gtest.h>

using namespace redress;
using namespace redress::classify;

namespace {

RuleMatches apply(const RuleSet& rules, std::string_view text)
{
    TextAnalysis analysis;
    analyze_text({}, text, analysis);
    analysis.language = rules.language();
    stem_tokens(analysis);
    RuleMatches out;
    rules.apply(analysis, out);
    return out;
}

const char* k_rules = R"({
  "language": "en",
  "negations": ["not", "never"],
  "negation_window": 3,
  "kinds": {
    "complaint": {"refund": 1.5, "not working": 2, "disappoint*": 1},
    "gratitude": {"happy": 1}
  },
  "force": {"unsubscribe me": "spam"},
  "severity": {"legal": {"negatable": false, "phrases": ["lawyer", "lawyers"]},
               "safety": {"negatable": true, "phrases": ["injured"]}}
})";

}  // namespace

TEST(RuleSet, StemsMatchInflectedForms)
{
    auto rules = RuleSet::parse(k_rules, "en.json");
    ASSERT_TRUE(rules) << rules.error().message;
    auto m = apply(*rules, "I was refunded only half and I want the rest refunded too");
    EXPECT_DOUBLE_EQ(m.kind_bonus[head_of(Kind::complaint)], 1.5);  // one phrase counts once
    ASSERT_EQ(m.reasons.size(), 1U);
    EXPECT_EQ(m.reasons[0], "rule en/complaint: refund (+1.5)");
}

TEST(RuleSet, PrefixMatchesAnyEnding)
{
    auto rules = RuleSet::parse(k_rules, "en.json");
    ASSERT_TRUE(rules);
    EXPECT_DOUBLE_EQ(apply(*rules, "Deeply disappointing service").kind_bonus[head_of(Kind::complaint)], 1.0);
}

TEST(RuleSet, NegatedKindPhraseIsIgnoredButReported)
{
    auto rules = RuleSet::parse(k_rules, "en.json");
    ASSERT_TRUE(rules);
    auto m = apply(*rules, "I am not at all happy");
    EXPECT_DOUBLE_EQ(m.kind_bonus[head_of(Kind::gratitude)], 0.0);
    ASSERT_EQ(m.reasons.size(), 1U);
    EXPECT_EQ(m.reasons[0], "rule en/gratitude: happy (negated, ignored)");
    // A clause boundary stops negation.
    EXPECT_DOUBLE_EQ(apply(*rules, "Not bad. Happy now").kind_bonus[head_of(Kind::gratitude)], 1.0);
    // Beyond the window (3 words) the negation no longer reaches.
    EXPECT_DOUBLE_EQ(apply(*rules, "never thought I would be this happy").kind_bonus[head_of(Kind::gratitude)], 1.0);
}

TEST(RuleSet, MultiWordPhraseStartingWithNegationWordMatches)
{
    auto rules = RuleSet::parse(k_rules, "en.json");
    ASSERT_TRUE(rules);
    EXPECT_DOUBLE_EQ(apply(*rules, "the app is not working").kind_bonus[head_of(Kind::complaint)], 2.0);
}

TEST(RuleSet, ForceOverridesKind)
{
    auto rules = RuleSet::parse(k_rules, "en.json");
    ASSERT_TRUE(rules);
    auto m = apply(*rules, "Please unsubscribe me from this");
    ASSERT_TRUE(m.forced_kind.has_value());
    EXPECT_EQ(*m.forced_kind, Kind::spam);
}

TEST(RuleSet, InflectedDuplicatesFireOnce)
{
    auto rules = RuleSet::parse(k_rules, "en.json");
    ASSERT_TRUE(rules);
    auto m = apply(*rules, "My lawyer will call");
    EXPECT_TRUE(m.major);
    ASSERT_EQ(m.reasons.size(), 1U);  // "lawyer" and "lawyers" share a stem
    EXPECT_EQ(m.reasons[0], "severity en/legal: lawyer");
}

TEST(RuleSet, ErrorsNameTheFileThePlaceAndTheFix)
{
    auto bad_kind = RuleSet::parse(R"({"language": "en", "kinds": {"anger": {"x": 1}}})", "config/rules/en.json");
    ASSERT_FALSE(bad_kind);
    EXPECT_NE(bad_kind.error().message.find("config/rules/en.json"), std::string::npos);
    EXPECT_NE(bad_kind.error().message.find("\"anger\""), std::string::npos);
    EXPECT_NE(bad_kind.error().message.find("use complaint, gratitude"), std::string::npos);

    auto bad_weight = RuleSet::parse(R"({"language": "en", "kinds": {"complaint": {"x": "high"}}})", "en.json");
    ASSERT_FALSE(bad_weight);
    EXPECT_NE(bad_weight.error().message.find("weight must be a number"), std::string::npos);

    auto bad_json = RuleSet::parse("{\"language\": \"en\",", "en.json");
    ASSERT_FALSE(bad_json);
    EXPECT_NE(bad_json.error().message.find("not valid JSON"), std::string::npos);

    auto unknown_key = RuleSet::parse(R"({"language": "en", "kind": {}})", "en.json");
    ASSERT_FALSE(unknown_key);
    EXPECT_NE(unknown_key.error().message.find("unknown key"), std::string::npos);

    auto bad_star = RuleSet::parse(R"({"language": "en", "kinds": {"complaint": {"mal-educ*": 1}}})", "en.json");
    ASSERT_FALSE(bad_star);
}

TEST(RuleBook, ShippedRulesLoadForSevenLanguages)
{
    auto book = RuleBook::load(std::string(REDRESS_SOURCE_DIR) + "/config/rules");
    ASSERT_TRUE(book) << book.error().message;
    for (auto lang : {"en", "ru", "uk", "be", "pt", "de", "es"})
        EXPECT_NE(book->find(lang), nullptr) << lang;
}

TEST(RuleBook, MissingFolderIsAnError)
{
    auto book = RuleBook::load("/nonexistent/rules");
    ASSERT_FALSE(book);
    EXPECT_EQ(book.error().code, "classify.rules_missing");
}
