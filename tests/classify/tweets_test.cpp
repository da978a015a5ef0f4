// Cross-validation on the shared complaint tweets (English, labelled 1 complaint / 0 not). The data
// lives outside the repository (../shared); without it the test is skipped with the reason, or
// failed under REDRESS_REQUIRE_CORPORA=1 (scripts/test sets it).

#include "../test_requirements.hpp"
#include "classify/trainer.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace redress;
using namespace redress::classify;

// Measured on the tweets alone with shipped rules: 10 folds x 3 runs macro-F1 0.816 (runs 0.812 to
// 0.819) with the cue features; before them 0.805, F1 0.750, accuracy 0.821, and this test's
// setting (5 folds, one run) gave macro-F1 0.807 and accuracy 0.823. Floors: the older figures
// minus 0.04.
TEST(TweetsCrossValidation, MacroF1AboveFloor)
{
    std::filesystem::path file = std::filesystem::path(REDRESS_SHARED_DIR) / "corpora/complaints-twitter/train.csv";
    if (!std::filesystem::exists(file))
        REDRESS_REQUIRE_OR_SKIP(redress::testing::Requirement::corpora,
                                "no shared tweets at " + file.string() + " (set -DREDRESS_SHARED_DIR=... to run this)");
    auto data = load_labelled_csv(file);
    ASSERT_TRUE(data) << data.error().message;
    EXPECT_EQ(data->size(), 2745U);
    auto rules = RuleBook::load(std::string(REDRESS_SOURCE_DIR) + "/config/rules");
    ASSERT_TRUE(rules);
    TrainOptions options;
    options.folds = 5;
    auto report = cross_validate(*data, options, std::make_shared<const RuleBook>(std::move(rules).value()));
    const auto& r = report.with_rules.at(0);
    EXPECT_GE(r.complaint.macro_f1(), 0.767);
    EXPECT_GE(r.complaint.accuracy(), 0.783);
}
