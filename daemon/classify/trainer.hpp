#pragma once
// Training the linear model (L2-regularised logistic regression per kind, solved with L-BFGS),
// cross-validation and evaluation. Used by `redress train`, `redress eval` and the tests.

#include "classifier.hpp"
#include "feature_extractor.hpp"
#include "labelled_data.hpp"
#include "linear_model.hpp"
#include "rule_set.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace redress::classify {

// Which view of a two-view model sees the cue features.
enum class CueView { words, chars, both };

struct TrainOptions {
    FeatureConfig features;
    double l2 = 1e-4;                // penalty on the mean weighted loss
    bool balance_classes = true;     // weigh each class of a head equally (macro-F1 is the target)
    int max_iterations = 300;        // L-BFGS iterations per head
    double nb_alpha = 0;             // > 0: scale features by naive-Bayes log-count ratios (NB-LR), this smoothing
    double nb_floor = 0;             // added to |ratio| so no feature is switched off entirely
    bool nb_complaint_only = false;  // NB scaling in the complaint head only (the others learn from few rows)
    // Two views: each head is trained twice, once on word features and once on character n-grams
    // (cues in the views `view_cues` names), and the two log-odds are averaged, the word view
    // weighing `word_view_share`. Both are linear over the same values, so the average is one
    // set of weights and the model file and scoring do not change. NB scaling applies to the
    // word view only.
    bool two_views = false;
    CueView view_cues = CueView::both;
    double word_view_share = 0.5;
    double kind_data_weight = 3;  // weight of examples with a kind (written mail) against tweets in the complaint head
    int threshold_folds = 0;      // > 1: tune the complaint threshold for macro-F1 by inner CV on the training rows
    int folds = 10;
    int runs = 1;  // repetitions of cross-validation with other fold splits
    std::uint64_t seed = 20240601;
};

// Which examples teach which head: every example teaches the complaint head (label); only
// examples with a kind teach the others (a tweet labelled "not a complaint" may be a question).
LinearModel train_model(const std::vector<LabelledText>& data, const TrainOptions& options);

struct BinaryCounts {
    std::size_t tp = 0, fp = 0, tn = 0, fn = 0;
    void add(bool truth, bool predicted);
    std::size_t n() const { return tp + fp + tn + fn; }
    double accuracy() const;
    double precision() const;
    double recall() const;
    double f1() const;
    double macro_f1() const;  // mean of the F1 of both classes
};

struct KindCounts {
    std::map<std::pair<Kind, Kind>, std::size_t> confusion;  // (truth, predicted)
    void add(Kind truth, Kind predicted) { ++confusion[{truth, predicted}]; }
    std::size_t n() const;
    double accuracy() const;
    double macro_f1() const;  // over the kinds that occur in the truth
};

// Scores of one data set (one source file).
struct EvalReport {
    std::string source;
    BinaryCounts complaint;
    KindCounts kinds;       // where the data has kinds
    BinaryCounts major;     // where the data has severities
    BinaryCounts language;  // tp = right, fn = wrong, where the data has languages
    nlohmann::json to_json() const;
};

std::vector<EvalReport> evaluate(const Classifier& classifier, const std::vector<LabelledText>& data);

struct CrossValidationReport {
    int folds = 0;
    int runs = 0;
    std::vector<EvalReport> with_rules;                       // summed over folds and runs, by source
    std::vector<EvalReport> with_rules_by_language;           // the same by source and language ("x.csv/ru")
    std::vector<EvalReport> model_only;                       // the same folds with an empty rule book
    std::map<std::string, std::vector<double>> run_macro_f1;  // complaint macro-F1 per source, per run
    nlohmann::json to_json() const;
};

CrossValidationReport cross_validate(const std::vector<LabelledText>& data, const TrainOptions& options,
                                     std::shared_ptr<const RuleBook> rules);

}  // namespace redress::classify
