// The concept list (config/rules/concepts.json): every concept in every language, terms counted once
// per concept, free word order, questions, first- and second-person context, and the managers' own
// rules added per language.

#include "classify/rule_set.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

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

// Two languages, each concept in both.
const char* k_concepts = R"({
  "languages": ["en", "ru"],
  "negations": {"en": ["not", "no"], "ru": ["не"]},
  "persons": {"en": ["i", "my", "you", "your"], "ru": ["я", "мой", "мне", "ваш*"]},
  "concepts": {
    "thanks": {"weights": {"gratitude": 1.5, "complaint": -0.5},
               "terms": {"en": ["thank", "thanks", "grateful"], "ru": ["спасибо", "благодар*"]}},
    "refund_demand": {"severity": "money", "negatable": false, "in_questions": false,
                      "terms": {"en": ["money back"], "ru": ["верн* ~ деньг*"]}},
    "injury": {"severity": "safety", "terms": {"en": ["injur*"], "ru": ["травм*"]}},
    "away": {"weights": {"automatic": 1.5}, "terms": {"en": ["on holiday until"], "ru": ["в отпуске до"]}},
    "unsubscribe": {"weights": {"bulk": 1.5}, "terms": {"en": ["unsubscribe"], "ru": ["отписаться"]}}
  }
})";

std::filesystem::path temp_dir(const std::string& name)
{
    auto dir = std::filesystem::temp_directory_path() / ("redress-concepts-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

}  // namespace

TEST(ConceptList, BuildsTheRulesOfEveryLanguage)
{
    auto list = ConceptList::parse(k_concepts, "concepts.json");
    ASSERT_TRUE(list) << list.error().message;
    EXPECT_EQ(list->languages(), (std::vector<std::string>{"en", "ru"}));
    EXPECT_EQ(list->concept_count(), 5U);
    ASSERT_NE(list->rules_for("ru"), nullptr);
    EXPECT_EQ(list->rules_for("de"), nullptr);
    auto m = apply(*list->rules_for("ru"), "Спасибо за помощь");
    EXPECT_DOUBLE_EQ(m.kind_bonus[head_of(Kind::gratitude)], 1.5);
    EXPECT_DOUBLE_EQ(m.kind_bonus[head_of(Kind::complaint)], -0.5);
    ASSERT_EQ(m.reasons.size(), 1U);
    EXPECT_EQ(m.reasons[0], "rule ru/gratitude: спасибо (+1.5, complaint -0.5)");
}

TEST(ConceptList, AConceptMissingALanguageIsReportedWithEveryOtherGap)
{
    auto text = nlohmann::json::parse(k_concepts);
    text["concepts"]["injury"]["terms"].erase("ru");
    text["concepts"]["thanks"]["terms"]["ru"] = nlohmann::json::array();
    text["persons"].erase("en");
    auto list = ConceptList::parse(text.dump(), "config/rules/concepts.json");
    ASSERT_FALSE(list);
    EXPECT_EQ(list.error().code, "classify.concept_missing");
    const auto& message = list.error().message;
    EXPECT_NE(message.find("config/rules/concepts.json: concept \"injury\" has no terms for ru"), std::string::npos)
        << message;
    EXPECT_NE(message.find("concept \"thanks\" has no terms for ru"), std::string::npos) << message;
    EXPECT_NE(message.find("\"persons\" has no terms for en"), std::string::npos) << message;
    EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 2) << "one line per gap: " << message;
}

TEST(ConceptList, MistakesNameThePlaceAndTheFix)
{
    auto text = nlohmann::json::parse(k_concepts);
    text["concepts"]["injury"]["terms"]["de"] = {"verletz*"};
    auto unknown_language = ConceptList::parse(text.dump(), "concepts.json");
    ASSERT_FALSE(unknown_language);
    EXPECT_NE(unknown_language.error().message.find("\"injury\"/\"terms\"/\"de\""), std::string::npos);
    EXPECT_NE(unknown_language.error().message.find("not a language of \"languages\""), std::string::npos);

    text = nlohmann::json::parse(k_concepts);
    text["concepts"]["injury"]["weights"] = {{"complaint", 1}};
    auto two_actions = ConceptList::parse(text.dump(), "concepts.json");
    ASSERT_FALSE(two_actions);
    EXPECT_NE(two_actions.error().message.find("exactly one of"), std::string::npos);

    text = nlohmann::json::parse(k_concepts);
    text["concepts"]["thanks"]["weights"] = {{"anger", 1}};
    auto bad_kind = ConceptList::parse(text.dump(), "concepts.json");
    ASSERT_FALSE(bad_kind);
    EXPECT_NE(bad_kind.error().message.find("unknown kind"), std::string::npos);

    text = nlohmann::json::parse(k_concepts);
    text["concepts"]["refund_demand"]["terms"]["en"] = {"~ refund"};
    auto loose_gap = ConceptList::parse(text.dump(), "concepts.json");
    ASSERT_FALSE(loose_gap);
    EXPECT_NE(loose_gap.error().message.find("'~' stands between two words"), std::string::npos);
}

TEST(ConceptList, TermsOfOneConceptCountOnce)
{
    auto list = ConceptList::parse(k_concepts, "concepts.json");
    ASSERT_TRUE(list);
    // Three English terms of "thanks" in one message weigh what one Russian term does.
    auto m = apply(*list->rules_for("en"), "Thanks! I am so grateful, thank you");
    EXPECT_DOUBLE_EQ(m.kind_bonus[head_of(Kind::gratitude)], 1.5);
    EXPECT_EQ(m.reasons.size(), 1U);
}

TEST(ConceptList, GapMatchesFreeWordOrderWithinASentence)
{
    auto list = ConceptList::parse(k_concepts, "concepts.json");
    ASSERT_TRUE(list);
    const auto& ru = *list->rules_for("ru");
    EXPECT_TRUE(apply(ru, "Верните деньги").major);
    EXPECT_TRUE(apply(ru, "Верните мне, пожалуйста, деньги").major);  // a comma does not end the sentence
    EXPECT_FALSE(apply(ru, "Верните мне пожалуйста все эти деньги").major) << "more than three words apart";
    EXPECT_FALSE(apply(ru, "Верните коробку. Деньги не нужны").major) << "a sentence ends in between";
}

TEST(ConceptList, ADemandCountsButAQuestionDoesNot)
{
    auto list = ConceptList::parse(k_concepts, "concepts.json");
    ASSERT_TRUE(list);
    const auto& en = *list->rules_for("en");
    EXPECT_TRUE(apply(en, "I want my money back.").major);
    EXPECT_FALSE(apply(en, "If it does not fit, can I get my money back, or only an exchange?").major);
    // A question later in the message does not undo a demand made before it.
    EXPECT_TRUE(apply(en, "Give me my money back. Why is this so hard?").major);
    // Severity concepts without in_questions count in questions too.
    EXPECT_TRUE(apply(en, "My son was injured, who pays?").major);
}

TEST(ConceptList, MajorTermsKnowWhetherTheyConcernTheWriter)
{
    auto list = ConceptList::parse(k_concepts, "concepts.json");
    ASSERT_TRUE(list);
    const auto& en = *list->rules_for("en");
    auto personal = apply(en, "My son was injured by the heater");
    EXPECT_TRUE(personal.major);
    EXPECT_TRUE(personal.major_personal);
    auto reported = apply(en, "Three workers were injured at the plant, the agency said.");
    EXPECT_TRUE(reported.major);
    EXPECT_FALSE(reported.major_personal);
}

TEST(ConceptList, AutomaticAndBulkWordingAreScoredApart)
{
    auto list = ConceptList::parse(k_concepts, "concepts.json");
    ASSERT_TRUE(list);
    auto m = apply(*list->rules_for("ru"), "Я в отпуске до понедельника. Чтобы отписаться, нажмите здесь");
    EXPECT_DOUBLE_EQ(m.signal(RuleSignal::automatic), 1.5);
    EXPECT_DOUBLE_EQ(m.signal(RuleSignal::bulk), 1.5);
    for (auto v : m.kind_bonus)
        EXPECT_DOUBLE_EQ(v, 0.0);
}

TEST(RuleBook, LanguageFilesAddTheManagersOwnTermsToTheConcepts)
{
    auto dir = temp_dir("book");
    std::ofstream(dir / "concepts.json") << k_concepts;
    std::ofstream(dir / "en.json") << R"({"language": "en", "kinds": {"complaint": {"leaky tap": 1.5}},
                                          "severity": {"safety": {"phrases": ["carbon monoxide"]}}})";
    std::ofstream(dir / "it.json") << R"({"language": "it", "kinds": {"gratitude": {"grazie": 1.5}}})";
    auto book = RuleBook::load(dir);
    ASSERT_TRUE(book) << book.error().message;
    EXPECT_EQ(book->languages(), (std::vector<std::string>{"en", "it", "ru"}));
    const auto& en = *book->find("en");
    auto m = apply(en, "Thanks, but the leaky tap is back and we smell carbon monoxide");
    EXPECT_DOUBLE_EQ(m.kind_bonus[head_of(Kind::complaint)], 1.5 - 0.5 + 1.5);  // tap, thanks, major
    EXPECT_TRUE(m.major);
    EXPECT_TRUE(apply(*book->find("it"), "grazie mille").kind_bonus[head_of(Kind::gratitude)] > 0);

    // A language file must speak of its own language.
    std::ofstream(dir / "ru.json") << R"({"language": "en"})";
    auto mixed = RuleBook::load(dir);
    ASSERT_FALSE(mixed);
    EXPECT_NE(mixed.error().message.find("ru.json"), std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST(RuleBook, AMissingTermStopsTheLoadWithTheConceptNamed)
{
    auto dir = temp_dir("gap");
    auto text = nlohmann::json::parse(k_concepts);
    text["concepts"]["refund_demand"]["terms"].erase("en");
    std::ofstream(dir / "concepts.json") << text.dump();
    auto book = RuleBook::load(dir);
    ASSERT_FALSE(book);
    EXPECT_NE(book.error().message.find("concept \"refund_demand\" has no terms for en"), std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST(ConceptList, ShippedListHasEveryConceptInSevenLanguages)
{
    std::ifstream in(std::string(REDRESS_SOURCE_DIR) + "/config/rules/concepts.json");
    std::stringstream text;
    text << in.rdbuf();
    auto list = ConceptList::parse(text.str(), "concepts.json");
    ASSERT_TRUE(list) << list.error().message;
    EXPECT_EQ(list->languages(), (std::vector<std::string>{"en", "ru", "uk", "be", "pt", "de", "es"}));
    EXPECT_GE(list->concept_count(), 40U);
    // The shipped per-language files hold only the managers' own additions: none yet.
    for (auto language : list->languages()) {
        std::ifstream file(std::string(REDRESS_SOURCE_DIR) + "/config/rules/" + language + ".json");
        auto j = nlohmann::json::parse(file);
        for (auto key : {"kinds", "force", "severity"})
            EXPECT_TRUE(!j.contains(key) || j[key].empty()) << language << ".json has shipped " << key;
    }
}
