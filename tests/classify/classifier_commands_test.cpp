// `redress classify`, `train` and `eval` through their run_* functions.

#include "app/classifier_commands.hpp"
#include "app/commands.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

using namespace redress::app;

namespace {

const std::filesystem::path k_source = REDRESS_SOURCE_DIR;

std::filesystem::path temp_dir()
{
    auto dir = std::filesystem::temp_directory_path() / ("redress-classify-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir;
}

}  // namespace

TEST(ClassifyCommand, PlainTextPrintsJsonWithReasons)
{
    std::istringstream in("Я не буду обращаться в суд, просто верните деньги за сломанный пылесос.");
    std::ostringstream out, err;
    ClassifyCommandOptions options;
    options.plain = true;
    ASSERT_EQ(run_classify(options, in, out, err, k_source), 0) << err.str();
    auto j = nlohmann::json::parse(out.str());
    EXPECT_EQ(j["kind"], "complaint");
    EXPECT_EQ(j["severity"], "major");
    EXPECT_EQ(j["language"], "ru");
    EXPECT_EQ(j["bulk"], false);
    EXPECT_FALSE(j["reasons"].empty());
    EXPECT_FALSE(j.contains("top_features"));
}

TEST(ClassifyCommand, ExplainAddsTopFeatures)
{
    std::istringstream in("Thank you so much for the quick delivery!");
    std::ostringstream out, err;
    ClassifyCommandOptions options;
    options.plain = true;
    options.explain = true;
    ASSERT_EQ(run_classify(options, in, out, err, k_source), 0) << err.str();
    auto j = nlohmann::json::parse(out.str());
    EXPECT_EQ(j["kind"], "gratitude");
    ASSERT_TRUE(j["top_features"].is_array());
    EXPECT_FALSE(j["top_features"].empty());
    EXPECT_TRUE(j["model_log_odds"].contains("gratitude"));
}

TEST(ClassifyCommand, MissingModelIsAClearError)
{
    std::istringstream in("x");
    std::ostringstream out, err;
    ClassifyCommandOptions options;
    options.plain = true;
    options.model = "/nonexistent/classifier.bin";
    EXPECT_EQ(run_classify(options, in, out, err, k_source), 1);
    EXPECT_NE(err.str().find("/nonexistent/classifier.bin"), std::string::npos);
    EXPECT_NE(err.str().find("redress train"), std::string::npos);
}

TEST(TrainAndEvalCommands, TrainWritesWeightsThatEvalReads)
{
    auto dir = temp_dir();
    TrainCommandOptions train;
    train.data = {k_source / "tests/data/multilingual.csv"};
    train.out = dir / "model.bin";
    train.folds = 3;
    std::ostringstream out, err;
    ASSERT_EQ(run_train(train, out, err, k_source), 0) << err.str();
    auto j = nlohmann::json::parse(out.str());
    EXPECT_EQ(j["cross_validation"]["folds"], 3);
    EXPECT_GT(j["model"]["bytes"].get<std::size_t>(), 0U);
    ASSERT_TRUE(std::filesystem::exists(dir / "model.bin"));

    // A tweet-style file: id,text,label only.
    std::ofstream(dir / "eval.csv") << "id,text,label\n1,\"My parcel never arrived and nobody answers, terrible\",1\n"
                                       "2,\"Thank you, lovely service\",0\n";
    EvalCommandOptions eval;
    eval.data = dir / "eval.csv";
    eval.model = dir / "model.bin";
    std::ostringstream eval_out, eval_err;
    ASSERT_EQ(run_eval(eval, eval_out, eval_err, k_source), 0) << eval_err.str();
    auto e = nlohmann::json::parse(eval_out.str());
    EXPECT_EQ(e["n"], 2);
    for (auto key : {"accuracy", "precision", "recall", "f1", "macro_f1"})
        EXPECT_TRUE(e.contains(key)) << key;
    EXPECT_EQ(e["accuracy"], 1.0);
    std::filesystem::remove_all(dir);
}

TEST(TrainAndEvalCommands, BadDataNamesTheFile)
{
    TrainCommandOptions train;
    train.data = {"/nonexistent/data.csv"};
    std::ostringstream out, err;
    EXPECT_EQ(run_train(train, out, err, k_source), 1);
    EXPECT_NE(err.str().find("/nonexistent/data.csv"), std::string::npos);
}

TEST(TrainAndEvalCommands, TwoViewOptionsAreCheckedAndRecorded)
{
    auto dir = temp_dir();
    TrainCommandOptions train;
    train.data = {k_source / "tests/data/multilingual.csv"};
    train.out = dir / "model.bin";
    train.folds = 0;
    train.two_views = true;
    train.view_cues = "neither";
    std::ostringstream out, err;
    EXPECT_EQ(run_train(train, out, err, k_source), 1);
    EXPECT_NE(err.str().find("--view-cues"), std::string::npos);

    train.view_cues = "words";
    train.word_view_share = 1.5;
    EXPECT_EQ(run_train(train, out, err, k_source), 1);
    EXPECT_NE(err.str().find("--word-view-share"), std::string::npos);

    train.word_view_share = 0.5;
    train.nb_alpha = 1;
    train.nb_floor = 1;
    train.nb_complaint_only = true;
    std::ostringstream ok_out, ok_err;
    ASSERT_EQ(run_train(train, ok_out, ok_err, k_source), 0) << ok_err.str();
    auto options = nlohmann::json::parse(ok_out.str())["options"];
    EXPECT_EQ(options["two_views"], true);
    EXPECT_EQ(options["view_cues"], "words");
    EXPECT_EQ(options["word_view_share"], 0.5);
    EXPECT_EQ(options["nb_complaint_only"], true);
    std::filesystem::remove_all(dir);
}

TEST(EvalCommand, ParityPrintsATablePerLanguageAndTheSituationsThatDisagree)
{
    auto dir = temp_dir();
    std::ofstream(dir / "parity.csv") << "situation,lang,text,kind,severity\n"
                                         "court,en,I will see you in court,complaint,major\n"
                                         "court,de,Wir sehen uns vor Gericht,complaint,major\n"
                                         "mixed,en,Thank you so much for the quick delivery!,gratitude,normal\n"
                                         "mixed,de,Wir sehen uns vor Gericht,gratitude,normal\n";
    EvalCommandOptions eval;
    eval.parity = dir / "parity.csv";
    std::ostringstream out, err;
    ASSERT_EQ(run_eval(eval, out, err, k_source), 0) << err.str();
    auto text = out.str();
    EXPECT_NE(text.find("2 situations, 4 texts"), std::string::npos) << text;
    EXPECT_NE(text.find("agreement across languages: kind 1/2 (0.500), major 1/2 (0.500)"), std::string::npos) << text;
    EXPECT_NE(text.find("  mixed (expected gratitude/normal): en gratitude/normal; de complaint/major;"),
              std::string::npos)
        << text;

    eval.json = true;
    std::ostringstream json_out;
    ASSERT_EQ(run_eval(eval, json_out, err, k_source), 0) << err.str();
    auto j = nlohmann::json::parse(json_out.str());
    EXPECT_EQ(j["agreement"]["major"], 0.5);
    EXPECT_EQ(j["by_language"]["de"]["kind_accuracy"], 0.5);
    EXPECT_EQ(j["by_language"]["en"]["severity_accuracy"], 1.0);
    ASSERT_EQ(j["disagreeing"].size(), 1U);
    EXPECT_EQ(j["disagreeing"][0]["situation"], "mixed");
    std::filesystem::remove_all(dir);
}

TEST(EvalCommand, MailFolderGivesTheShareOfEachKind)
{
    auto dir = temp_dir() / "mail";
    std::filesystem::create_directories(dir / "sub");
    std::ofstream(dir / "a.eml") << "From: a@example.org\r\nSubject: Broken\r\n\r\n"
                                    "My kettle arrived broken and nobody answers my emails. Terrible.\r\n";
    std::ofstream(dir / "sub" / "b.eml") << "From: b@example.org\r\nSubject: Hi\r\nList-Id: <l.example.org>\r\n\r\n"
                                            "Thanks a lot for the lovely evening, see you all next week!\r\n";
    std::ofstream(dir / ".hidden") << "not mail";
    EvalCommandOptions eval;
    eval.mail = {dir};
    eval.show_files = true;
    std::ostringstream out, err;
    ASSERT_EQ(run_eval(eval, out, err, k_source), 0) << err.str();
    auto folder = nlohmann::json::parse(out.str())["mail"][0];
    EXPECT_EQ(folder["n"], 2);
    EXPECT_EQ(folder["kinds"]["complaint"], 1);
    EXPECT_EQ(folder["complaint_share"], 0.5);
    EXPECT_EQ(folder["bulk_share"], 0.5);
    ASSERT_EQ(folder["files"].size(), 2U);
    EXPECT_EQ(folder["files"][1]["file"], "sub/b.eml");

    EvalCommandOptions empty;
    empty.mail = {temp_dir() / "nothing-here"};
    std::ostringstream no_out, no_err;
    EXPECT_EQ(run_eval(empty, no_out, no_err, k_source), 1);
    EXPECT_NE(no_err.str().find("nothing-here"), std::string::npos) << no_err.str();
    std::filesystem::remove_all(dir);
}

TEST(EvalCommand, NeedsExactlyOneThingToScore)
{
    EvalCommandOptions eval;
    std::ostringstream out, err;
    EXPECT_EQ(run_eval(eval, out, err, k_source), 1);
    EXPECT_NE(err.str().find("--parity"), std::string::npos);
    eval.data = k_source / "tests/data/multilingual.csv";
    eval.parity = k_source / "tests/data/parity.csv";
    EXPECT_EQ(run_eval(eval, out, err, k_source), 1);
}

TEST(TrainAndEvalCommands, TheParitySetIsNeverTrainedOn)
{
    TrainCommandOptions train;
    train.data = {k_source / "tests/data/multilingual.csv", k_source / "tests/data/parity.csv"};
    train.folds = 0;
    train.out = temp_dir() / "never.bin";
    std::ostringstream out, err;
    EXPECT_EQ(run_train(train, out, err, k_source), 1);
    EXPECT_NE(err.str().find("held-out test set"), std::string::npos) << err.str();
    EXPECT_FALSE(std::filesystem::exists(*train.out));
}

TEST(CheckCommand, ReportsEveryConceptMissingALanguage)
{
    auto dir = temp_dir() / "check";
    std::filesystem::create_directories(dir / "rules");
    std::ifstream shipped(k_source / "config/rules/concepts.json");
    auto concepts = nlohmann::json::parse(shipped);
    concepts["concepts"]["court"]["terms"].erase("be");
    concepts["concepts"]["would_be_nice"]["terms"].erase("pt");
    std::ofstream(dir / "rules" / "concepts.json") << concepts.dump(2);
    std::ofstream(dir / "config.json") << R"({"rules_dir": ")" + (dir / "rules").string() + R"("})";
    CommonOptions options;
    options.config_file = dir / "config.json";
    options.data_dir = dir / "data";
    ::testing::internal::CaptureStdout();
    int code = run_check(options, k_source);
    auto printed = ::testing::internal::GetCapturedStdout();
    EXPECT_EQ(code, 1) << printed;
    EXPECT_NE(printed.find("concept \"court\" has no terms for be"), std::string::npos) << printed;
    EXPECT_NE(printed.find("concept \"would_be_nice\" has no terms for pt"), std::string::npos) << printed;
    EXPECT_NE(printed.find("2 problems found"), std::string::npos) << printed;
    std::filesystem::remove_all(dir);
}
