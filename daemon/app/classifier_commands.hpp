#pragma once
// `redress classify`, `redress train` and `redress eval`: the classifier from the command line.
// Each run_* function takes its streams so tests can call it; register_* wires them into CLI11.

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace redress::app {

struct ClassifyCommandOptions {
    std::optional<std::filesystem::path> rules_dir;  // default install_dir/config/rules
    std::optional<std::filesystem::path> model;      // default install_dir/config/model/classifier.bin
    // The config's model_path and rules_dir (the daemon's model: a promoted one), unless --model
    // or --rules name others.
    std::optional<std::filesystem::path> config_file;
    bool explain = false;
    bool plain = false;  // standard input is plain text, not a message (no headers)
};

struct TrainCommandOptions {
    std::vector<std::filesystem::path> data;
    std::optional<std::filesystem::path> out;
    std::optional<std::filesystem::path> rules_dir;  // rules used while cross-validating
    int folds = 10;                                  // 0 skips cross-validation
    int runs = 1;
    double l2 = 0;  // 0 keeps the default of redress::classify::TrainOptions
    int bucket_bits = 0;
    double nb_alpha = -1;  // < 0 keeps the default
    double nb_floor = -1;
    int char_min = -1;
    int char_max = -1;
    bool no_bigrams = false;
    bool no_stems = false;
    bool no_balance = false;
    bool no_cues = false;
    double word_weight = 0;  // 0 keeps the default (1)
    double char_weight = 0;
    double cue_weight = 0;
    int threshold_folds = -1;  // < 0 keeps the default
    int max_tokens = 0;        // 0 keeps the default
    bool two_views = false;
    bool nb_complaint_only = false;
    std::string view_cues = "both";  // words, chars or both
    double word_view_share = -1;     // < 0 keeps the default (0.5)
    // Also the corrections people made (the store of --config / --data-dir), those not held out;
    // the weights go to the candidate beside the config's model_path unless --out says otherwise.
    bool with_corrections = false;
    std::optional<std::filesystem::path> config_file;
    std::optional<std::filesystem::path> data_dir;
};

// One of data, parity, mail or corrections says what to score.
struct EvalCommandOptions {
    std::optional<std::filesystem::path> data;    // labelled CSV: complaint, kind, severity, language scores
    std::optional<std::filesystem::path> parity;  // parity set: per language, and agreement across languages
    std::vector<std::filesystem::path> mail;      // folders of raw mail: the share of each kind, major, bulk
    bool json = false;                            // --parity: JSON instead of a table (--data and --mail print JSON)
    bool show_files = false;                      // --mail: also each file's kind, severity and reasons
    std::optional<std::filesystem::path> rules_dir;
    std::optional<std::filesystem::path> model;
    // The corrections held out (the store of --config / --data-dir): the live model (the config's
    // model_path, or --model) against the candidate (beside it, or --candidate).
    bool corrections = false;
    std::optional<std::filesystem::path> candidate;
    std::optional<std::filesystem::path> config_file;
    std::optional<std::filesystem::path> data_dir;
};

// Exit codes: 0 done, 1 bad input or files, 2 the message could not be parsed.
int run_classify(const ClassifyCommandOptions& options, std::istream& in, std::ostream& out, std::ostream& err,
                 const std::filesystem::path& install_dir);
int run_train(const TrainCommandOptions& options, std::ostream& out, std::ostream& err,
              const std::filesystem::path& install_dir);
int run_eval(const EvalCommandOptions& options, std::ostream& out, std::ostream& err,
             const std::filesystem::path& install_dir);

void register_classifier_commands(CLI::App& app, const std::filesystem::path& install_dir);

}  // namespace redress::app
