#pragma once
// Reads a Message and decides kind, severity and language, keeping the reasons that fired.
// Loading reads files; classify() is pure and safe to call from several threads.
//
// Order of decisions: headers first (automatic mail never reaches the model; bulk is only
// marked); then language; then the linear model's log-odds per kind plus the keyword rules of that
// language; then severity from the rules alone. See docs/classifier.md.

#include "common/result.hpp"
#include "model/classification.hpp"
#include "model/message.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace redress::classify {

class LinearModel;
class RuleBook;

// What --explain prints: the decision, the model's log-odds per kind and the features that pushed
// the chosen kind hardest.
struct Explanation {
    struct Contribution {
        std::string feature;  // "w:refund", "b:want|refund", "c:^ref"
        double weight = 0;    // contribution to the chosen kind's log-odds
    };
    Classification classification;
    std::vector<std::pair<Kind, double>> model_logits;  // per model head, before rules
    std::vector<std::pair<Kind, double>> rule_bonus;    // per model head, from rules
    std::vector<Contribution> top_features;             // strongest first, both signs
};

class Classifier {
public:
    // rules_dir holds <lang>.json keyword rules (config/rules); model_path the trained weights.
    // Errors name the file, the place in it and the fix.
    static Result<Classifier> load(const std::filesystem::path& rules_dir, const std::filesystem::path& model_path);

    // For training and tests: an in-memory model and rules.
    static Classifier create(std::shared_ptr<const RuleBook> rules, std::shared_ptr<const LinearModel> model);

    Classification classify(const Message& message) const;

    // The same decision for text that did not come as mail (a tweet, a chat line): no headers.
    Classification classify_text(std::string_view subject, std::string_view text) const;

    Explanation explain(const Message& message, std::size_t top = 15) const;

    const LinearModel& model() const;
    const RuleBook& rules() const;

private:
    struct Impl;
    explicit Classifier(std::shared_ptr<const Impl> impl)
        : m_impl(std::move(impl))
    {
    }
    std::shared_ptr<const Impl> m_impl;
};

// The file name of the shipped weights inside config/model/.
inline constexpr std::string_view k_model_file_name = "classifier.bin";

}  // namespace redress::classify
