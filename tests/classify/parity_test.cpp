// The parity set: the same situation written in each supported language must get the same
// treatment. tests/data/parity.csv is held out of training; this file reads it, checks its shape,
// and holds the shipped classifier to the aim.

#include "classify/classifier.hpp"
#include "classify/labelled_data.hpp"
#include "classify/parity.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace redress;
using namespace redress::classify;

namespace {

const std::filesystem::path k_parity = std::filesystem::path(REDRESS_SOURCE_DIR) / "tests/data/parity.csv";

const Classifier& shipped()
{
    static const Classifier classifier = [] {
        auto c = Classifier::load(std::string(REDRESS_SOURCE_DIR) + "/config/rules",
                                  std::string(REDRESS_SOURCE_DIR) + "/config/model/classifier.bin");
        if (!c)
            throw std::runtime_error(c.error().message);
        return std::move(c).value();
    }();
    return classifier;
}

}  // namespace

TEST(ParityCsv, ReadsSituationsInAnyColumnOrder)
{
    auto texts = parse_parity_csv("lang,situation,kind,severity,text\n"
                                  "en,thanks,gratitude,normal,\"Thanks, all good\"\n"
                                  "ru,thanks,gratitude,normal,\"Спасибо, всё хорошо\"\n",
                                  "p.csv");
    ASSERT_TRUE(texts) << texts.error().message;
    ASSERT_EQ(texts->size(), 2U);
    EXPECT_EQ((*texts)[1].situation, "thanks");
    EXPECT_EQ((*texts)[1].language, "ru");
    EXPECT_EQ((*texts)[1].text, "Спасибо, всё хорошо");
    EXPECT_EQ((*texts)[1].kind, Kind::gratitude);
}

TEST(ParityCsv, RefusesWhatWouldMakeTheReportMeaningless)
{
    auto no_column = parse_parity_csv("situation,lang,text,kind\nx,en,hi,other\n", "p.csv");
    ASSERT_FALSE(no_column);
    EXPECT_NE(no_column.error().message.find("situation, lang, text, kind and severity"), std::string::npos);

    auto two_verdicts = parse_parity_csv("situation,lang,text,kind,severity\n"
                                         "x,en,I will sue,complaint,major\n"
                                         "x,de,Ich klage,complaint,normal\n",
                                         "p.csv");
    ASSERT_FALSE(two_verdicts);
    EXPECT_NE(two_verdicts.error().message.find("one expected verdict"), std::string::npos);

    auto twice = parse_parity_csv("situation,lang,text,kind,severity\n"
                                  "x,en,Thanks,gratitude,normal\n"
                                  "x,en,Thank you,gratitude,normal\n",
                                  "p.csv");
    ASSERT_FALSE(twice);
    EXPECT_NE(twice.error().message.find("second text in en"), std::string::npos);

    auto bad_kind = parse_parity_csv("situation,lang,text,kind,severity\nx,en,Hi,anger,normal\n", "p.csv");
    ASSERT_FALSE(bad_kind);
    EXPECT_NE(bad_kind.error().message.find("unknown kind"), std::string::npos);
}

TEST(ParityCsv, IsHeldOutOfTraining)
{
    // The trainer reads labelled CSV only; it names the parity set and refuses it.
    auto as_training = load_labelled_csv(k_parity);
    ASSERT_FALSE(as_training);
    EXPECT_NE(as_training.error().message.find("held-out test set"), std::string::npos) << as_training.error().message;
}

TEST(ParityReport, CountsAgreementPerSituation)
{
    auto texts = parse_parity_csv("situation,lang,text,kind,severity\n"
                                  "court,en,I will see you in court,complaint,major\n"
                                  "court,ru,Я подам на вас в суд,complaint,major\n"
                                  "thanks,en,Thank you so much for the quick delivery!,gratitude,normal\n"
                                  "thanks,ru,\"Спасибо большое, всё пришло вовремя!\",gratitude,normal\n"
                                  "mixed,en,Thank you so much for the quick delivery!,complaint,normal\n"
                                  "mixed,ru,Я подам на вас в суд,complaint,normal\n",
                                  "p.csv");
    ASSERT_TRUE(texts) << texts.error().message;
    auto report = evaluate_parity(shipped(), *texts, "p.csv");
    ASSERT_EQ(report.situations.size(), 3U);
    EXPECT_TRUE(report.situations[0].kind_agrees());
    EXPECT_TRUE(report.situations[0].major_agrees());
    EXPECT_TRUE(report.situations[0].all_right());
    // Two different texts under one name: gratitude against a complaint, normal against major.
    EXPECT_FALSE(report.situations[2].kind_agrees());
    EXPECT_FALSE(report.situations[2].major_agrees());
    EXPECT_EQ(report.kind_agreeing(), 2U);
    EXPECT_EQ(report.major_agreeing(), 2U);
    EXPECT_EQ(report.by_language.at("en").n, 3U);
    EXPECT_EQ(report.all.n, 6U);

    auto j = report.to_json();
    EXPECT_EQ(j["situations"], 3);
    EXPECT_EQ(j["disagreeing"].size(), 1U);
    EXPECT_EQ(j["disagreeing"][0]["situation"], "mixed");
    EXPECT_EQ(j["disagreeing"][0]["got"]["ru"]["severity"], "major");
    auto text = report.to_text();
    EXPECT_NE(text.find("situations whose languages disagree:\n  mixed"), std::string::npos) << text;
    EXPECT_NE(text.find("kind 2/3"), std::string::npos) << text;
}

TEST(ParitySet, HasEverySituationInSevenLanguages)
{
    auto texts = load_parity_csv(k_parity);
    ASSERT_TRUE(texts) << texts.error().message;
    std::map<std::string, std::set<std::string>> languages;
    std::set<Kind> kinds;
    std::size_t major = 0;
    for (auto& t : *texts) {
        languages[t.situation].insert(t.language);
        kinds.insert(t.kind);
        major += t.severity == Severity::major ? 1 : 0;
    }
    EXPECT_GE(languages.size(), 40U);
    for (auto& [situation, seen] : languages)
        EXPECT_EQ(seen, (std::set<std::string>{"en", "ru", "uk", "be", "pt", "de", "es"})) << situation;
    for (Kind k : {Kind::complaint, Kind::gratitude, Kind::question, Kind::suggestion, Kind::spam, Kind::automatic})
        EXPECT_TRUE(kinds.contains(k)) << to_string(k);
    EXPECT_GE(major / 7, 12U) << "major situations of every reason";
}

// The aim: a customer's language does not decide how seriously we take them. The major
// decision agrees in every language for every situation, and the kind agrees for at least 95% of
// the situations. On failure the report lists the situations that disagree.
TEST(ParitySet, ShippedClassifierTreatsEveryLanguageAlike)
{
    auto texts = load_parity_csv(k_parity);
    ASSERT_TRUE(texts) << texts.error().message;
    auto report = evaluate_parity(shipped(), *texts, k_parity.string());
    EXPECT_EQ(report.major_agreeing(), report.situations.size()) << report.to_text();
    EXPECT_GE(report.kind_agreement(), 0.95) << report.to_text();
    // Agreement on the wrong answer would pass the two checks above; the severity must be right too.
    for (auto& [language, counts] : report.by_language)
        EXPECT_EQ(counts.severity_right, counts.n) << language << "\n" << report.to_text();
}
