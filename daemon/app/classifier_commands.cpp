// The classifier's subcommands (see classifier_commands.hpp).

#include "classifier_commands.hpp"

#include "classify/classifier.hpp"
#include "classify/corrections.hpp"
#include "classify/labelled_data.hpp"
#include "classify/linear_model.hpp"
#include "classify/parity.hpp"
#include "classify/rule_set.hpp"
#include "classify/trainer.hpp"
#include "config/config.hpp"
#include "mime/parser.hpp"
#include "model_commands.hpp"
#include "pipeline/runtime.hpp"
#include "store/open_store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

namespace redress::app {

namespace {

using nlohmann::json;
namespace cls = redress::classify;

std::filesystem::path rules_dir_or_default(const std::optional<std::filesystem::path>& given,
                                           const std::filesystem::path& install_dir)
{
    return given ? *given : install_dir / "config" / "rules";
}

std::filesystem::path model_or_default(const std::optional<std::filesystem::path>& given,
                                       const std::filesystem::path& install_dir)
{
    return given ? *given : install_dir / "config" / "model" / std::string(cls::k_model_file_name);
}

json classification_json(const Classification& c)
{
    return json{{"kind", to_string(c.kind)},
                {"severity", to_string(c.severity)},
                {"language", c.language},
                {"confidence", std::round(c.confidence * 1000) / 1000},
                {"bulk", c.bulk},
                {"reasons", c.reasons}};
}

// What the corrections command needs from the installation: the config (model_path, rules_dir)
// and the corrections kept in its store.
struct StoredCorrections {
    std::filesystem::path model_path;
    std::filesystem::path rules_dir;
    cls::CorrectionExamples examples;
    std::size_t tickets = 0;
};

Result<StoredCorrections> stored_corrections(const std::optional<std::filesystem::path>& config_file,
                                             const std::optional<std::filesystem::path>& data_dir,
                                             const std::filesystem::path& install_dir)
{
    auto loaded = config::load_config(config_file, install_dir);
    if (!loaded.config) {
        std::string problems;
        for (auto& p : loaded.problems)
            problems += (problems.empty() ? "" : "\n") + p.to_string();
        return make_error(ErrorKind::invalid, "config.invalid", problems);
    }
    config::Config config = std::move(*loaded.config);
    if (data_dir)
        config.data_dir = *data_dir;
    auto store = TRY(store::open_store(config, store::OpenMode::existing));
    auto corrections = TRY(store->corrections());
    StoredCorrections out;
    out.model_path = config.model_path;
    out.rules_dir = config.rules_dir;
    out.examples = cls::correction_examples(corrections);
    out.tickets = out.examples.training.size() + out.examples.held_out.size();
    return out;
}

}  // namespace

int run_classify(const ClassifyCommandOptions& options, std::istream& in, std::ostream& out, std::ostream& err,
                 const std::filesystem::path& install_dir)
{
    std::optional<std::filesystem::path> rules_dir = options.rules_dir;
    std::optional<std::filesystem::path> model = options.model;
    if (options.config_file) {
        auto loaded = config::load_config(options.config_file, install_dir);
        if (!loaded.config) {
            for (auto& p : loaded.problems)
                err << "redress classify: " << p.to_string() << "\n";
            return 1;
        }
        if (!rules_dir)
            rules_dir = loaded.config->rules_dir;
        if (!model)
            model = loaded.config->model_path;
    }
    auto classifier =
        cls::Classifier::load(rules_dir_or_default(rules_dir, install_dir), model_or_default(model, install_dir));
    if (!classifier) {
        err << "redress classify: " << classifier.error().message << "\n";
        return 1;
    }
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    Message message;
    if (options.plain) {
        message.text = std::move(bytes);
    } else {
        auto parsed = mime::parse_message(bytes);
        if (!parsed) {
            err << "redress classify: cannot read the message on standard input (" << parsed.error().code
                << "): " << parsed.error().message << "\nFor text that is not an email, use --plain.\n";
            return 2;
        }
        message = std::move(parsed).value();
    }
    if (!options.explain) {
        out << classification_json(classifier->classify(message)).dump(2) << "\n";
        return 0;
    }
    auto e = classifier->explain(message);
    auto j = classification_json(e.classification);
    json logits = json::object(), bonus = json::object();
    for (auto& [kind, z] : e.model_logits)
        logits[std::string(to_string(kind))] = std::round(z * 1000) / 1000;
    for (auto& [kind, z] : e.rule_bonus)
        bonus[std::string(to_string(kind))] = std::round(z * 1000) / 1000;
    j["model_log_odds"] = logits;
    j["rule_log_odds"] = bonus;
    json top = json::array();
    for (auto& c : e.top_features)
        top.push_back({{"feature", c.feature}, {"weight", std::round(c.weight * 10000) / 10000}});
    j["top_features"] = top;
    out << j.dump(2) << "\n";
    return 0;
}

int run_train(const TrainCommandOptions& options, std::ostream& out, std::ostream& err,
              const std::filesystem::path& install_dir)
{
    if (options.data.empty()) {
        err << "redress train: give at least one --data FILE.csv (columns id,text,label[,kind,severity,language])\n";
        return 1;
    }
    std::vector<cls::LabelledText> data;
    json sources = json::array();
    for (auto& path : options.data) {
        auto part = cls::load_labelled_csv(path);
        if (!part) {
            err << "redress train: " << part.error().message << "\n";
            return 1;
        }
        sources.push_back({{"file", path.filename().string()}, {"n", part->size()}});
        data.insert(data.end(), std::make_move_iterator(part->begin()), std::make_move_iterator(part->end()));
    }
    std::optional<std::filesystem::path> out_path = options.out;
    json corrections_used;
    if (options.with_corrections) {
        auto stored = stored_corrections(options.config_file, options.data_dir, install_dir);
        if (!stored) {
            err << "redress train: " << stored.error().message << "\n";
            return 1;
        }
        auto& examples = stored->examples.training;
        if (examples.empty()) {
            err << "redress train: no corrections to train on yet (" << stored->examples.held_out.size()
                << " held out for redress eval --corrections); correct tickets with `redress tickets reclassify` "
                   "or the staff page first\n";
            return 1;
        }
        corrections_used = {{"tickets", stored->tickets},
                            {"training", examples.size()},
                            {"held_out", stored->examples.held_out.size()}};
        sources.push_back({{"file", "corrections"}, {"n", examples.size()}});
        data.insert(data.end(), examples.begin(), examples.end());
        // A model trained on the company's corrections is a candidate until someone promotes it.
        if (!out_path)
            out_path = candidate_model_path(stored->model_path);
    }
    cls::TrainOptions train;
    if (options.l2 > 0)
        train.l2 = options.l2;
    if (options.nb_alpha >= 0)
        train.nb_alpha = options.nb_alpha;
    if (options.nb_floor >= 0)
        train.nb_floor = options.nb_floor;
    if (options.bucket_bits > 0) {
        if (options.bucket_bits < 12 || options.bucket_bits > 24) {
            err << "redress train: --bits must be from 12 to 24\n";
            return 1;
        }
        train.features.bucket_bits = static_cast<std::uint32_t>(options.bucket_bits);
    }
    if (options.char_min >= 0)
        train.features.char_min = static_cast<std::uint8_t>(options.char_min);
    if (options.char_max >= 0)
        train.features.char_max = static_cast<std::uint8_t>(options.char_max);
    if (train.features.char_max > 8 ||
        (train.features.char_max > 0 &&
         (train.features.char_min == 0 || train.features.char_min > train.features.char_max))) {
        err << "redress train: character n-grams need 1 <= --char-min <= --char-max <= 8 (or --char-max 0)\n";
        return 1;
    }
    train.features.word_bigrams = !options.no_bigrams;
    train.features.use_stems = !options.no_stems;
    train.balance_classes = !options.no_balance;
    train.features.cues = !options.no_cues;
    if (options.word_weight > 0)
        train.features.word_weight = static_cast<float>(options.word_weight);
    if (options.char_weight > 0)
        train.features.char_weight = static_cast<float>(options.char_weight);
    if (options.cue_weight > 0)
        train.features.cue_weight = static_cast<float>(options.cue_weight);
    if (options.threshold_folds >= 0)
        train.threshold_folds = options.threshold_folds;
    if (options.max_tokens > 0)
        train.features.max_tokens = static_cast<std::uint16_t>(std::min(options.max_tokens, 65535));
    train.two_views = options.two_views;
    train.nb_complaint_only = options.nb_complaint_only;
    if (options.view_cues == "words")
        train.view_cues = cls::CueView::words;
    else if (options.view_cues == "chars")
        train.view_cues = cls::CueView::chars;
    else if (options.view_cues != "both") {
        err << "redress train: --view-cues is words, chars or both\n";
        return 1;
    }
    if (options.word_view_share >= 0) {
        if (options.word_view_share > 1) {
            err << "redress train: --word-view-share must be from 0 to 1\n";
            return 1;
        }
        train.word_view_share = options.word_view_share;
    }
    train.folds = options.folds;
    train.runs = std::max(1, options.runs);

    json result;
    result["data"] = sources;
    if (!corrections_used.is_null())
        result["corrections"] = corrections_used;
    result["options"] = {
        {"l2", train.l2},
        {"bucket_bits", train.features.bucket_bits},
        {"char_ngrams", {train.features.char_min, train.features.char_max}},
        {"word_bigrams", train.features.word_bigrams},
        {"stems", train.features.use_stems},
        {"balance_classes", train.balance_classes},
        {"nb_alpha", train.nb_alpha},
        {"nb_floor", train.nb_floor},
        {"nb_complaint_only", train.nb_complaint_only},
        {"cues", train.features.cues},
        {"family_weights", {train.features.word_weight, train.features.char_weight, train.features.cue_weight}},
        {"threshold_folds", train.threshold_folds},
        {"max_tokens", train.features.max_tokens},
        {"two_views", train.two_views}};
    if (train.two_views) {
        result["options"]["view_cues"] = options.view_cues;
        result["options"]["word_view_share"] = train.word_view_share;
    }
    if (options.folds > 1) {
        auto rules = cls::RuleBook::load(rules_dir_or_default(options.rules_dir, install_dir));
        if (!rules) {
            err << "redress train: " << rules.error().message << "\n";
            return 1;
        }
        auto cv = cls::cross_validate(data, train, std::make_shared<const cls::RuleBook>(std::move(rules).value()));
        result["cross_validation"] = cv.to_json();
    }
    auto model = cls::train_model(data, train);
    model.set_info(result.dump());
    auto path = model_or_default(out_path, install_dir);
    if (auto saved = model.save(path); !saved) {
        err << "redress train: " << saved.error().message << "\n";
        return 1;
    }
    result["model"] = {{"file", path.string()},
                       {"bytes", std::filesystem::file_size(path)},
                       {"nonzero_weights", model.nonzero_weights()}};
    if (options.with_corrections)
        result["next"] = "compare it with `redress eval --corrections`, then `redress model promote`";
    out << result.dump(2) << "\n";
    return 0;
}

namespace {

// Every regular file under `folder`, hidden ones skipped, in name order (so reports are stable).
std::vector<std::filesystem::path> mail_files(const std::filesystem::path& folder, std::error_code& ec)
{
    std::vector<std::filesystem::path> files;
    std::filesystem::recursive_directory_iterator it(folder, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        auto name = it->path().filename().string();
        if (!name.empty() && name.front() == '.') {
            if (it->is_directory())
                it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file())
            files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

double share_of(std::size_t a, std::size_t b)
{
    return b == 0 ? 0.0 : std::round(static_cast<double>(a) / static_cast<double>(b) * 10000) / 10000;
}

// How a folder of mail nobody labelled is classified: the share called complaint and major is the
// figure for mail that holds no complaint (mailing lists, newsletters).
Result<json> survey_mail(const cls::Classifier& classifier, const std::filesystem::path& folder, bool show_files)
{
    std::error_code ec;
    auto files = mail_files(folder, ec);
    if (ec)
        return make_error("eval.mail", folder.string() + ": cannot read the folder (" + ec.message() + ")");
    if (files.empty())
        return make_error("eval.mail", folder.string() + ": no files; give a folder of raw messages (.eml)");
    std::map<std::string, std::size_t> kinds;
    std::size_t n = 0, unreadable = 0, major = 0, bulk = 0, major_complaint = 0;
    json listed = json::array();
    for (auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        auto message = mime::parse_message(bytes);
        if (!message) {
            ++unreadable;
            continue;
        }
        auto c = classifier.classify(*message);
        ++n;
        ++kinds[std::string(to_string(c.kind))];
        major += c.severity == Severity::major ? 1 : 0;
        major_complaint += c.severity == Severity::major && c.kind == Kind::complaint ? 1 : 0;
        bulk += c.bulk ? 1 : 0;
        if (show_files)
            listed.push_back({{"file", std::filesystem::relative(file, folder).string()},
                              {"kind", to_string(c.kind)},
                              {"severity", to_string(c.severity)},
                              {"bulk", c.bulk},
                              {"reasons", c.reasons}});
    }
    json shares = json::object();
    for (auto& [kind, count] : kinds)
        shares[kind] = share_of(count, n);
    json j{{"folder", folder.string()},
           {"n", n},
           {"unreadable", unreadable},
           {"kinds", kinds},
           {"kind_shares", shares},
           {"complaint_share", share_of(kinds["complaint"], n)},
           {"major", major},
           {"major_share", share_of(major, n)},
           {"major_complaint_share", share_of(major_complaint, n)},
           {"bulk_share", share_of(bulk, n)}};
    if (show_files)
        j["files"] = listed;
    return j;
}

// The corrections held out, scored by the model at `model` read with the rules at `rules`; the
// reason on `err` and nullopt when that model cannot be read.
std::optional<json> corrections_score(const std::filesystem::path& rules, const std::filesystem::path& model,
                                      const std::vector<cls::LabelledText>& held_out, std::ostream& err)
{
    auto loaded = cls::Classifier::load(rules, model);
    if (!loaded) {
        err << "redress eval: " << loaded.error().message << "\n";
        return std::nullopt;
    }
    const cls::Classifier& classifier = *loaded;
    auto reports = cls::evaluate(classifier, held_out);
    const auto& r = reports.front();
    std::size_t severity_right = 0;
    for (const auto& t : held_out) {
        auto c = classifier.classify_text({}, t.text);
        severity_right += t.severity && c.severity == *t.severity ? 1 : 0;
    }
    return json{{"model", model.string()},
                {"n", held_out.size()},
                {"kind_accuracy", std::round(r.kinds.accuracy() * 10000) / 10000},
                {"severity_accuracy", share_of(severity_right, held_out.size())},
                {"complaint", r.to_json()}};
}

// The corrections held out, scored by the live model and by the candidate.
int eval_corrections(const EvalCommandOptions& options, std::ostream& out, std::ostream& err,
                     const std::filesystem::path& install_dir)
{
    auto stored = stored_corrections(options.config_file, options.data_dir, install_dir);
    if (!stored) {
        err << "redress eval: " << stored.error().message << "\n";
        return 1;
    }
    const auto& held_out = stored->examples.held_out;
    if (held_out.empty()) {
        err << "redress eval: no corrections are held out yet (" << stored->examples.training.size()
            << " for training; one ticket in five is held out, by its number)\n";
        return 1;
    }
    auto rules = options.rules_dir ? *options.rules_dir : stored->rules_dir;
    auto live = options.model ? *options.model : stored->model_path;
    auto candidate = options.candidate ? *options.candidate : candidate_model_path(stored->model_path);
    json report{{"corrections",
                 {{"tickets", stored->tickets},
                  {"training", stored->examples.training.size()},
                  {"held_out", held_out.size()}}}};
    auto current = corrections_score(rules, live, held_out, err);
    if (!current)
        return 1;
    report["current"] = std::move(*current);
    report["candidate"] = nullptr;
    if (std::filesystem::exists(candidate)) {
        auto trained = corrections_score(rules, candidate, held_out, err);
        if (!trained)
            return 1;
        report["candidate"] = std::move(*trained);
        double now = report["current"]["kind_accuracy"].get<double>();
        double then = report["candidate"]["kind_accuracy"].get<double>();
        report["verdict"] = then > now    ? "the candidate does better on the corrections held out"
                            : then == now ? "the candidate does as well as the live model"
                                          : "the candidate does worse: keep the live model";
    } else {
        report["verdict"] =
            "no candidate at " + candidate.string() + "; train one with redress train --with-corrections";
    }
    out << report.dump(2) << "\n";
    return 0;
}

}  // namespace

int run_eval(const EvalCommandOptions& options, std::ostream& out, std::ostream& err,
             const std::filesystem::path& install_dir)
{
    int given = (options.data ? 1 : 0) + (options.parity ? 1 : 0) + (options.mail.empty() ? 0 : 1) +
                (options.corrections ? 1 : 0);
    if (given != 1) {
        err << "redress eval: give one of --data FILE.csv, --parity FILE.csv, --mail FOLDER or --corrections\n";
        return 1;
    }
    if (options.corrections)
        return eval_corrections(options, out, err, install_dir);
    auto classifier = cls::Classifier::load(rules_dir_or_default(options.rules_dir, install_dir),
                                            model_or_default(options.model, install_dir));
    if (!classifier) {
        err << "redress eval: " << classifier.error().message << "\n";
        return 1;
    }
    if (options.parity) {
        auto texts = cls::load_parity_csv(*options.parity);
        if (!texts) {
            err << "redress eval: " << texts.error().message << "\n";
            return 1;
        }
        if (texts->empty()) {
            err << "redress eval: " << options.parity->string() << " has a header but no rows\n";
            return 1;
        }
        auto report = cls::evaluate_parity(*classifier, *texts, options.parity->string());
        if (options.json)
            out << report.to_json().dump(2) << "\n";
        else
            out << report.to_text();
        return 0;
    }
    if (!options.mail.empty()) {
        json folders = json::array();
        for (auto& folder : options.mail) {
            auto survey = survey_mail(*classifier, folder, options.show_files);
            if (!survey) {
                err << "redress eval: " << survey.error().message << "\n";
                return 1;
            }
            folders.push_back(std::move(survey).value());
        }
        out << json{{"mail", folders}}.dump(2) << "\n";
        return 0;
    }
    auto data = cls::load_labelled_csv(*options.data);
    if (!data) {
        err << "redress eval: " << data.error().message << "\n";
        return 1;
    }
    if (data->empty()) {
        err << "redress eval: " << options.data->string() << " has a header but no rows\n";
        return 1;
    }
    // One file, so one report: its source is that file.
    auto reports = cls::evaluate(*classifier, *data);
    out << reports.front().to_json().dump() << "\n";
    return 0;
}

void register_classifier_commands(CLI::App& app, const std::filesystem::path& install_dir)
{
    auto classify_options = std::make_shared<ClassifyCommandOptions>();
    auto* classify = app.add_subcommand("classify", "Classify one message read from standard input; print JSON");
    classify->add_flag("--explain", classify_options->explain, "Also print the model's log-odds and top features");
    classify->add_flag("--plain", classify_options->plain, "Standard input is plain text, not an email");
    classify->add_option("--rules", classify_options->rules_dir,
                         "Folder of concepts.json and <lang>.json rules (default config/rules)");
    classify->add_option("--model", classify_options->model, "Weights file (default config/model/classifier.bin)");
    classify->add_option("--config", classify_options->config_file,
                         "JSON config file: use its model_path and rules_dir (the daemon's model)");
    classify->callback([classify_options, install_dir] {
        std::exit(run_classify(*classify_options, std::cin, std::cout, std::cerr, install_dir));
    });

    auto train_options = std::make_shared<TrainCommandOptions>();
    auto* train = app.add_subcommand("train", "Train the classifier's weights; print cross-validation JSON");
    train
        ->add_option("--data", train_options->data, "Labelled CSV (id,text,label[,kind,severity,language]); repeatable")
        ->required();
    train->add_option("--out", train_options->out, "Where to write the weights (default config/model/classifier.bin)");
    train->add_option("--rules", train_options->rules_dir, "Rules used during cross-validation (default config/rules)");
    train->add_option("--folds", train_options->folds, "Cross-validation folds; 0 skips it")->capture_default_str();
    train->add_option("--runs", train_options->runs, "Cross-validation repetitions with other splits")
        ->capture_default_str();
    train->add_option("--l2", train_options->l2, "L2 penalty (default 1e-4)");
    train->add_option("--bits", train_options->bucket_bits, "Hashed buckets = 2^bits (default 18)");
    train->add_option("--char-min", train_options->char_min, "Shortest character n-gram (default 3)");
    train->add_option("--char-max", train_options->char_max, "Longest character n-gram; 0 turns them off (default 5)");
    train->add_option("--nb-alpha", train_options->nb_alpha,
                      "Naive-Bayes feature scaling smoothing (default 0: off; try 1)");
    train->add_option("--nb-floor", train_options->nb_floor, "Added to each naive-Bayes ratio (default 0)");
    train->add_flag("--no-bigrams", train_options->no_bigrams, "No word bigrams");
    train->add_flag("--no-stems", train_options->no_stems, "Words as written (folded), not stems");
    train->add_flag("--no-balance", train_options->no_balance, "Do not weigh classes equally");
    train->add_flag("--no-cues", train_options->no_cues, "No cue features (lexicon counts, caps, emoticons, length)");
    train->add_option("--word-weight", train_options->word_weight, "Multiplier of word feature values (default 1)");
    train->add_option("--char-weight", train_options->char_weight, "Multiplier of character n-gram values (default 1)");
    train->add_option("--cue-weight", train_options->cue_weight, "Multiplier of cue feature values (default 1)");
    train->add_option("--threshold-folds", train_options->threshold_folds,
                      "Tune the complaint threshold by this many inner folds of the training data; 0 turns it off");
    train->add_option("--max-tokens", train_options->max_tokens, "Tokens of a message the model reads (default 200)");
    train->add_flag("--nb-complaint-only", train_options->nb_complaint_only,
                    "Naive-Bayes scaling in the complaint head only (the other heads learn from few examples)");
    train->add_flag("--two-views", train_options->two_views,
                    "Train word features and character n-grams apart and average their log-odds");
    train->add_option("--view-cues", train_options->view_cues,
                      "With --two-views: the view(s) the cues join: words, "
                      "chars or both (default both)");
    train->add_option("--word-view-share", train_options->word_view_share,
                      "With --two-views: weight of the word view in the average (default 0.5)");
    train->add_flag("--with-corrections", train_options->with_corrections,
                    "Also train on the corrections people made (not those held out); writes the candidate model "
                    "beside the config's model_path unless --out");
    train->add_option("--config", train_options->config_file, "With --with-corrections: the JSON config file");
    train->add_option("--data-dir", train_options->data_dir, "With --with-corrections: the data folder");
    train->callback(
        [train_options, install_dir] { std::exit(run_train(*train_options, std::cout, std::cerr, install_dir)); });

    auto eval_options = std::make_shared<EvalCommandOptions>();
    auto* eval = app.add_subcommand(
        "eval", "Score the classifier on a labelled CSV, a parity set or folders of mail nobody labelled");
    eval->add_option("--data", eval_options->data,
                     "Labelled CSV (id,text,label[,kind,severity,language]); prints JSON");
    eval->add_option("--parity", eval_options->parity,
                     "Parity set (situation,lang,text,kind,severity): accuracy per language and agreement across "
                     "languages");
    eval->add_option("--mail", eval_options->mail,
                     "Folder of raw messages: the share called each kind, major and bulk; prints JSON; repeatable");
    eval->add_flag("--corrections", eval_options->corrections,
                   "The corrections held out: accuracy of the live model and of the candidate; prints JSON");
    eval->add_option("--candidate", eval_options->candidate,
                     "With --corrections: the candidate weights (default beside the config's model_path)");
    eval->add_option("--config", eval_options->config_file, "With --corrections: the JSON config file");
    eval->add_option("--data-dir", eval_options->data_dir, "With --corrections: the data folder");
    eval->add_flag("--json", eval_options->json, "With --parity: print JSON instead of a table");
    eval->add_flag("--show-files", eval_options->show_files, "With --mail: list each file's kind, severity, reasons");
    eval->add_option("--rules", eval_options->rules_dir,
                     "Folder of concepts.json and <lang>.json rules (default config/rules)");
    eval->add_option("--model", eval_options->model, "Weights file (default config/model/classifier.bin)");
    eval->callback(
        [eval_options, install_dir] { std::exit(run_eval(*eval_options, std::cout, std::cerr, install_dir)); });
}

}  // namespace redress::app
