// `redress classify`, `train` and `eval` through their run_* functions.

#include "app/classifier_commands.hpp"

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
