// The weights file: round trip, damage detection, and the shipped model.

#include "classify/linear_model.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace redress;
using namespace redress::classify;

namespace {

LinearModel small_model()
{
    FeatureConfig config;
    config.bucket_bits = 12;
    LinearModel model(config);
    model.set_head(head_of(Kind::complaint), -0.5, {{7, 1.25}, {4000, -0.75}, {100, 0.001}});
    model.set_head(head_of(Kind::spam), 0.25, {{7, -2.0}});
    model.set_info("{\"test\":true}");
    return model;
}

}  // namespace

TEST(LinearModel, ScoresWithBiasAndScaledWeights)
{
    auto model = small_model();
    FeatureVector f;
    f.indices = {7, 4000};
    f.word_count = 2;
    f.word_scale = 0.5F;
    auto z = model.score(f);
    EXPECT_NEAR(z[head_of(Kind::complaint)], -0.5 + (1.25 - 0.75) * 0.5, 1e-3);
    EXPECT_NEAR(z[head_of(Kind::spam)], 0.25 - 2.0 * 0.5, 1e-3);
    EXPECT_DOUBLE_EQ(z[head_of(Kind::question)], LinearModel::k_untrained_logit);
}

TEST(LinearModel, SurvivesSerialisation)
{
    auto model = small_model();
    auto bytes = model.serialize();
    auto back = LinearModel::parse(bytes, "mem");
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->features(), model.features());
    EXPECT_EQ(back->info(), "{\"test\":true}");
    EXPECT_EQ(back->nonzero_weights(), model.nonzero_weights());
    for (std::uint32_t index : {7U, 100U, 4000U})
        EXPECT_DOUBLE_EQ(back->weight(index, head_of(Kind::complaint)), model.weight(index, head_of(Kind::complaint)));
    EXPECT_TRUE(back->trained(head_of(Kind::spam)));
    EXPECT_FALSE(back->trained(head_of(Kind::gratitude)));
    EXPECT_EQ(back->serialize(), bytes);
}

TEST(LinearModel, DamagedFilesAreRefusedWithTheFix)
{
    auto bytes = small_model().serialize();
    auto truncated = LinearModel::parse(std::string_view(bytes).substr(0, bytes.size() - 3), "config/model/x.bin");
    ASSERT_FALSE(truncated);
    EXPECT_NE(truncated.error().message.find("config/model/x.bin"), std::string::npos);
    EXPECT_NE(truncated.error().message.find("redress train"), std::string::npos);
    EXPECT_FALSE(LinearModel::parse("not a model at all", "x"));
    EXPECT_FALSE(LinearModel::parse(bytes + "extra", "x"));
    EXPECT_EQ(LinearModel::load("/nonexistent/model.bin").error().code, "classify.model_missing");
}

TEST(LinearModel, ShippedModelLoadsAndIsSmall)
{
    auto path = std::filesystem::path(REDRESS_SOURCE_DIR) / "config/model/classifier.bin";
    auto model = LinearModel::load(path);
    ASSERT_TRUE(model) << model.error().message;
    EXPECT_LT(std::filesystem::file_size(path), 2U * 1024 * 1024);
    for (std::size_t h = 0; h < k_head_count; ++h)
        EXPECT_TRUE(model->trained(h)) << h;
    EXPECT_GT(model->nonzero_weights(), 1000U);
}
