#pragma once
// The trained weights: one logistic-regression head per kind over hashed features, stored as
// 16-bit integers with one scale per head (the file holds only non-zero buckets).

#include "common/result.hpp"
#include "feature_extractor.hpp"
#include "model/classification.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace redress::classify {

// The kinds the model scores; "automatic" comes from headers and "other" from no head being sure.
inline constexpr std::array<Kind, 5> k_model_kinds{Kind::complaint, Kind::gratitude, Kind::question, Kind::suggestion,
                                                   Kind::spam};
inline constexpr std::size_t k_head_count = k_model_kinds.size();
using HeadScores = std::array<double, k_head_count>;  // log-odds per head

// Index of a kind in k_model_kinds, or k_head_count if the model has no head for it.
std::size_t head_of(Kind kind);

class LinearModel {
public:
    LinearModel()
        : LinearModel(FeatureConfig{})
    {
    }
    explicit LinearModel(const FeatureConfig& config);

    const FeatureConfig& features() const { return m_config; }
    bool trained(std::size_t head) const { return m_trained[head]; }
    double bias(std::size_t head) const { return m_bias[head]; }
    double weight(std::uint32_t index, std::size_t head) const
    {
        return m_weights[std::size_t{index} * k_head_count + head] * double{m_scale[head]};
    }

    // Replaces one head. `weights` are (bucket, weight) pairs; they are quantised here exactly as
    // the file stores them, so a model scores the same before and after a save.
    void set_head(std::size_t head, double bias, const std::vector<std::pair<std::uint32_t, double>>& weights);

    // Log-odds per head. An untrained head answers k_untrained_logit, so only rules can raise it.
    HeadScores score(const FeatureVector& features) const;

    // Free text kept in the file (training data, options, cross-validation figures).
    const std::string& info() const { return m_info; }
    void set_info(std::string info) { m_info = std::move(info); }

    std::size_t nonzero_weights() const;
    // Bytes the weights take in memory (the file keeps only the non-zero ones).
    std::size_t memory_bytes() const { return m_weights.size() * sizeof(std::int16_t); }

    std::string serialize() const;
    // `origin` names the file in error messages.
    static Result<LinearModel> parse(std::string_view bytes, std::string_view origin);
    static Result<LinearModel> load(const std::filesystem::path& path);
    Result<void> save(const std::filesystem::path& path) const;

    static constexpr double k_untrained_logit = -3.0;

private:
    FeatureConfig m_config;
    std::vector<std::int16_t> m_weights;  // [bucket * k_head_count + head]: one cache line per feature
    std::array<float, k_head_count> m_scale{};
    std::array<float, k_head_count> m_bias{};
    std::array<bool, k_head_count> m_trained{};
    std::string m_info;
};

}  // namespace redress::classify
