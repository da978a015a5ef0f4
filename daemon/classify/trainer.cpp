// Training, cross-validation and evaluation (see trainer.hpp).

#include "trainer.hpp"

#include "text_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>
#include <random>
#include <set>

namespace redress::classify {

namespace {

struct Prepared {
    std::vector<std::uint32_t> indices;
    std::vector<float> values;
    std::uint32_t word_count = 0;  // indices[0, word_count) are word features
    std::uint32_t cue_count = 0;   // the last cue_count indices are cues
};

// Feature families a head problem may be restricted to (two views).
constexpr unsigned k_word_family = 1, k_char_family = 2, k_cue_family = 4;
constexpr unsigned k_all_families = k_word_family | k_char_family | k_cue_family;

unsigned family_of(const Prepared& p, std::size_t i)
{
    return i < p.word_count ? k_word_family : i + p.cue_count < p.indices.size() ? k_char_family : k_cue_family;
}

std::vector<Prepared> prepare(const std::vector<LabelledText>& data, const FeatureConfig& config)
{
    std::vector<Prepared> out;
    out.reserve(data.size());
    TextAnalysis analysis;
    FeatureVector features;
    for (auto& t : data) {
        analyze_text({}, t.text, analysis);
        extract_features(analysis, config, features);
        Prepared p;
        p.indices = features.indices;
        p.word_count = features.word_count;
        p.cue_count = features.cue_count;
        p.values.resize(features.indices.size());
        for (std::size_t i = 0; i < features.indices.size(); ++i)
            p.values[i] = features.scale_of(i);
        out.push_back(std::move(p));
    }
    return out;
}

struct HeadFit {
    double bias = 0;
    std::vector<std::pair<std::uint32_t, double>> weights;
};

double dot(const std::vector<double>& a, const std::vector<double>& b)
{
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += a[i] * b[i];
    return s;
}

// Binary logistic regression, L2 on the weights (not the bias), minimised with L-BFGS (memory 10)
// and a backtracking Armijo line search. The loss is convex, so curvature pairs stay positive.
class HeadProblem {
public:
    HeadProblem(const std::vector<Prepared>& x, const std::vector<std::size_t>& rows, const std::vector<double>& y,
                const std::vector<double>& cost, double l2, std::uint32_t bucket_bits, double nb_alpha, double nb_floor,
                unsigned families = k_all_families)
        : m_y(y)
        , m_cost(cost)
        , m_l2(l2)
    {
        std::vector<std::int32_t> local(std::size_t{1} << bucket_bits, -1);
        for (auto r : rows) {
            const auto& p = x[r];
            std::vector<std::uint32_t> ids;
            std::vector<float> values;
            ids.reserve(p.indices.size());
            values.reserve(p.indices.size());
            std::uint32_t words = 0;
            for (std::size_t i = 0; i < p.indices.size(); ++i) {
                if ((family_of(p, i) & families) == 0)
                    continue;
                auto g = p.indices[i];
                if (local[g] < 0) {
                    local[g] = static_cast<std::int32_t>(m_global.size());
                    m_global.push_back(g);
                }
                ids.push_back(static_cast<std::uint32_t>(local[g]));
                values.push_back(p.values[i]);
                words += i < p.word_count;
            }
            m_rows.push_back(std::move(ids));
            m_values.push_back(std::move(values));
            m_word_counts.push_back(words);
        }
        m_cost_sum = std::accumulate(cost.begin(), cost.end(), 0.0);
        m_ratio.assign(m_global.size(), 1.0);
        if (nb_alpha > 0) {
            // Wang and Manning's NB-SVM idea with a logistic loss: each feature is scaled by how much
            // more often it occurs in the positive class. Under L2 that is a per-feature penalty, so
            // the product r*w is what the model file keeps. Only word features are scaled (as in
            // the paper): scaling n-grams and cues too over-fitted once the small multilingual set
            // joined the tweets.
            std::vector<double> pos(m_global.size(), nb_alpha), neg(m_global.size(), nb_alpha);
            std::vector<std::uint32_t> seen(m_global.size(), 0);
            std::vector<bool> is_word(m_global.size(), false);
            std::uint32_t stamp = 0;
            for (std::size_t i = 0; i < m_rows.size(); ++i) {
                ++stamp;
                for (std::size_t k = 0; k < m_word_counts[i]; ++k) {
                    auto j = m_rows[i][k];
                    is_word[j] = true;
                    if (seen[j] == stamp)
                        continue;
                    seen[j] = stamp;
                    (m_y[i] > 0 ? pos : neg)[j] += 1;
                }
            }
            double pos_sum = std::accumulate(pos.begin(), pos.end(), 0.0);
            double neg_sum = std::accumulate(neg.begin(), neg.end(), 0.0);
            for (std::size_t j = 0; j < m_global.size(); ++j)
                if (is_word[j])
                    m_ratio[j] = std::abs(std::log((pos[j] / pos_sum) / (neg[j] / neg_sum))) + nb_floor;
        }
    }

    std::size_t dimension() const { return m_global.size() + 1; }  // the last one is the bias

    double evaluate(const std::vector<double>& w, std::vector<double>& grad) const
    {
        std::size_t d = m_global.size();
        std::fill(grad.begin(), grad.end(), 0.0);
        double f = 0;
        for (std::size_t i = 0; i < m_rows.size(); ++i) {
            const auto& row = m_rows[i];
            const auto& values = m_values[i];
            double sum = w[d];
            for (std::size_t k = 0; k < row.size(); ++k)
                sum += w[row[k]] * values[k] * m_ratio[row[k]];
            double margin = m_y[i] * sum;
            double loss = margin > 0 ? std::log1p(std::exp(-margin)) : -margin + std::log1p(std::exp(margin));
            f += m_cost[i] * loss;
            // d loss / d score = -y * sigmoid(-margin)
            double g = -m_y[i] * m_cost[i] / (1.0 + std::exp(margin));
            for (std::size_t k = 0; k < row.size(); ++k)
                grad[row[k]] += g * values[k] * m_ratio[row[k]];
            grad[d] += g;
        }
        f /= m_cost_sum;
        for (auto& g : grad)
            g /= m_cost_sum;
        for (std::size_t j = 0; j < d; ++j) {
            f += 0.5 * m_l2 * w[j] * w[j];
            grad[j] += m_l2 * w[j];
        }
        return f;
    }

    HeadFit solve(int max_iterations) const
    {
        const std::size_t n = dimension();
        std::vector<double> w(n, 0.0), g(n), w_next(n), g_next(n), direction(n);
        double f = evaluate(w, g);
        std::deque<std::vector<double>> s_hist, y_hist;
        std::deque<double> rho_hist;
        constexpr std::size_t k_memory = 10;
        for (int iteration = 0; iteration < max_iterations; ++iteration) {
            // Two-loop recursion: direction = -H g.
            direction = g;
            std::vector<double> alpha(s_hist.size());
            for (std::size_t k = s_hist.size(); k-- > 0;) {
                alpha[k] = rho_hist[k] * dot(s_hist[k], direction);
                for (std::size_t i = 0; i < n; ++i)
                    direction[i] -= alpha[k] * y_hist[k][i];
            }
            double gamma = 1.0;
            if (!s_hist.empty())
                gamma = dot(s_hist.back(), y_hist.back()) / dot(y_hist.back(), y_hist.back());
            for (auto& v : direction)
                v *= gamma;
            for (std::size_t k = 0; k < s_hist.size(); ++k) {
                double beta = rho_hist[k] * dot(y_hist[k], direction);
                for (std::size_t i = 0; i < n; ++i)
                    direction[i] += s_hist[k][i] * (alpha[k] - beta);
            }
            for (auto& v : direction)
                v = -v;
            double slope = dot(g, direction);
            if (slope >= 0) {
                // Not a descent direction (rounding): restart from steepest descent.
                s_hist.clear();
                y_hist.clear();
                rho_hist.clear();
                for (std::size_t i = 0; i < n; ++i)
                    direction[i] = -g[i];
                slope = -dot(g, g);
            }
            double step = s_hist.empty() ? 1.0 / std::max(1.0, std::sqrt(-slope)) : 1.0;
            double f_next = 0;
            bool moved = false;
            for (int tries = 0; tries < 40; ++tries) {
                for (std::size_t i = 0; i < n; ++i)
                    w_next[i] = w[i] + step * direction[i];
                f_next = evaluate(w_next, g_next);
                if (f_next <= f + 1e-4 * step * slope) {
                    moved = true;
                    break;
                }
                step *= 0.5;
            }
            if (!moved)
                break;
            std::vector<double> s(n), yv(n);
            for (std::size_t i = 0; i < n; ++i) {
                s[i] = w_next[i] - w[i];
                yv[i] = g_next[i] - g[i];
            }
            double sy = dot(s, yv);
            if (sy > 1e-16) {
                s_hist.push_back(std::move(s));
                y_hist.push_back(std::move(yv));
                rho_hist.push_back(1.0 / sy);
                if (s_hist.size() > k_memory) {
                    s_hist.pop_front();
                    y_hist.pop_front();
                    rho_hist.pop_front();
                }
            }
            double decrease = f - f_next;
            w.swap(w_next);
            g.swap(g_next);
            f = f_next;
            double g_max = 0;
            for (auto v : g)
                g_max = std::max(g_max, std::abs(v));
            if (g_max < 1e-6 || decrease < 1e-9 * std::max(1.0, std::abs(f)))
                break;
        }
        HeadFit fit;
        fit.bias = w[n - 1];
        fit.weights.reserve(n - 1);
        for (std::size_t j = 0; j + 1 < n; ++j)
            fit.weights.emplace_back(m_global[j], w[j] * m_ratio[j]);
        return fit;
    }

private:
    std::vector<std::vector<std::uint32_t>> m_rows;
    std::vector<std::vector<float>> m_values;  // in step with m_rows
    std::vector<std::uint32_t> m_word_counts;
    std::vector<std::uint32_t> m_global;
    std::vector<double> m_ratio;  // naive-Bayes scaling per feature (1 when off)
    const std::vector<double>& m_y;
    const std::vector<double>& m_cost;
    double m_l2;
    double m_cost_sum = 1;
};

// One head: a single problem over every family, or (two views) a word view and a character view
// solved apart, their log-odds averaged into one set of weights.
HeadFit fit_head(const std::vector<Prepared>& x, const std::vector<std::size_t>& rows, const std::vector<double>& y,
                 const std::vector<double>& cost, const TrainOptions& options, bool complaint_head)
{
    bool nb = complaint_head || !options.nb_complaint_only;
    auto solve = [&](unsigned families) {
        HeadProblem problem(x, rows, y, cost, options.l2, options.features.bucket_bits, nb ? options.nb_alpha : 0.0,
                            options.nb_floor, families);
        return problem.solve(options.max_iterations);
    };
    if (!options.two_views)
        return solve(k_all_families);
    unsigned word_cues = options.view_cues != CueView::chars ? k_cue_family : 0;
    unsigned char_cues = options.view_cues != CueView::words ? k_cue_family : 0;
    double share = std::clamp(options.word_view_share, 0.0, 1.0);
    auto words = solve(k_word_family | word_cues);
    auto chars = solve(k_char_family | char_cues);
    HeadFit fit;
    fit.bias = share * words.bias + (1 - share) * chars.bias;
    fit.weights.reserve(words.weights.size() + chars.weights.size());
    for (auto& [b, w] : words.weights)
        fit.weights.emplace_back(b, share * w);
    for (auto& [b, w] : chars.weights)
        fit.weights.emplace_back(b, (1 - share) * w);
    // A bucket both views use (cues, or a hash collision) gets the sum of its two shares.
    std::sort(fit.weights.begin(), fit.weights.end());
    std::size_t out = 0;
    for (std::size_t i = 0; i < fit.weights.size(); ++i) {
        if (out > 0 && fit.weights[out - 1].first == fit.weights[i].first)
            fit.weights[out - 1].second += fit.weights[i].second;
        else
            fit.weights[out++] = fit.weights[i];
    }
    fit.weights.resize(out);
    return fit;
}

double macro_f1_at(const std::vector<std::pair<double, bool>>& scored, double threshold);

// The complaint head's decision threshold for macro-F1, chosen on out-of-fold scores inside the
// training rows only (nested: the caller's test fold is never seen). Returns the log-odds to
// subtract from the bias.
double tuned_threshold(const std::vector<Prepared>& x, const std::vector<std::size_t>& used,
                       const std::vector<double>& y, const std::vector<double>& cost, const TrainOptions& options)
{
    int folds = options.threshold_folds;
    std::mt19937_64 random(options.seed ^ 0x5DEECE66DULL);
    std::vector<int> fold_of(used.size());
    for (double label : {1.0, -1.0}) {
        std::vector<std::size_t> members;
        for (std::size_t i = 0; i < used.size(); ++i)
            if (y[i] == label)
                members.push_back(i);
        std::shuffle(members.begin(), members.end(), random);
        for (std::size_t k = 0; k < members.size(); ++k)
            fold_of[members[k]] = static_cast<int>(k % static_cast<std::size_t>(folds));
    }
    std::vector<std::pair<double, bool>> scored;
    std::vector<float> dense(std::size_t{1} << options.features.bucket_bits, 0.0F);
    for (int fold = 0; fold < folds; ++fold) {
        std::vector<std::size_t> rows;
        std::vector<double> inner_y, inner_cost;
        for (std::size_t i = 0; i < used.size(); ++i)
            if (fold_of[i] != fold) {
                rows.push_back(used[i]);
                inner_y.push_back(y[i]);
                inner_cost.push_back(cost[i]);
            }
        auto fit = fit_head(x, rows, inner_y, inner_cost, options, true);
        for (auto& [b, w] : fit.weights)
            dense[b] = static_cast<float>(w);
        for (std::size_t i = 0; i < used.size(); ++i) {
            if (fold_of[i] != fold)
                continue;
            const auto& p = x[used[i]];
            double z = fit.bias;
            for (std::size_t k = 0; k < p.indices.size(); ++k)
                z += dense[p.indices[k]] * p.values[k];
            scored.emplace_back(z, y[i] > 0);
        }
        for (auto& [b, w] : fit.weights)
            dense[b] = 0.0F;
    }
    // Candidate thresholds on a grid of log-odds; among equals the one nearest 0 wins (the least move).
    double best = 0, best_f1 = macro_f1_at(scored, 0);
    for (double t = -2.0; t <= 2.0001; t += 0.05) {
        double f1 = macro_f1_at(scored, t);
        if (f1 > best_f1 + 1e-9 || (std::abs(f1 - best_f1) <= 1e-9 && std::abs(t) < std::abs(best))) {
            best = t;
            best_f1 = f1;
        }
    }
    return best;
}

LinearModel train_prepared(const std::vector<LabelledText>& data, const std::vector<Prepared>& x,
                           const std::vector<std::size_t>& rows, const TrainOptions& options)
{
    LinearModel model(options.features);
    for (std::size_t h = 0; h < k_head_count; ++h) {
        Kind kind = k_model_kinds[h];
        std::vector<std::size_t> used;
        std::vector<double> y;
        for (auto r : rows) {
            const auto& t = data[r];
            if (kind == Kind::complaint) {
                used.push_back(r);
                y.push_back(t.complaint ? 1.0 : -1.0);
            } else if (t.kind) {
                used.push_back(r);
                y.push_back(*t.kind == kind ? 1.0 : -1.0);
            }
        }
        auto positives = static_cast<double>(std::count(y.begin(), y.end(), 1.0));
        auto negatives = static_cast<double>(y.size()) - positives;
        if (positives == 0 || negatives == 0)
            continue;  // nothing to learn: the head stays untrained and only rules can raise it
        std::vector<double> cost(y.size(), 1.0);
        if (options.balance_classes)
            for (std::size_t i = 0; i < y.size(); ++i)
                cost[i] = static_cast<double>(y.size()) / (2.0 * (y[i] > 0 ? positives : negatives));
        // The few written messages in seven languages would vanish among thousands of English
        // tweets in the complaint head; they are the mail Redress actually reads.
        if (kind == Kind::complaint)
            for (std::size_t i = 0; i < used.size(); ++i)
                if (data[used[i]].kind)
                    cost[i] *= options.kind_data_weight;
        auto fit = fit_head(x, used, y, cost, options, kind == Kind::complaint);
        if (kind == Kind::complaint && options.threshold_folds > 1 && positives >= options.threshold_folds &&
            negatives >= options.threshold_folds)
            fit.bias -= tuned_threshold(x, used, y, cost, options);
        model.set_head(h, fit.bias, fit.weights);
    }
    return model;
}

void accumulate(EvalReport& report, const LabelledText& t, const Classification& c)
{
    report.complaint.add(t.complaint, c.kind == Kind::complaint);
    if (t.kind)
        report.kinds.add(*t.kind, c.kind);
    if (t.severity)
        report.major.add(*t.severity == Severity::major, c.severity == Severity::major);
    if (!t.language.empty())
        report.language.add(true, c.language == t.language);
}

EvalReport& report_for(std::vector<EvalReport>& reports, const std::string& source)
{
    for (auto& r : reports)
        if (r.source == source)
            return r;
    reports.push_back({});
    reports.back().source = source;
    return reports.back();
}

double ratio(std::size_t a, std::size_t b)
{
    return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}

double f1_of(std::size_t tp, std::size_t fp, std::size_t fn)
{
    double p = ratio(tp, tp + fp), r = ratio(tp, tp + fn);
    return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

double round4(double v)
{
    return std::round(v * 10000.0) / 10000.0;
}

double macro_f1_at(const std::vector<std::pair<double, bool>>& scored, double threshold)
{
    BinaryCounts counts;
    for (auto& [z, truth] : scored)
        counts.add(truth, z >= threshold);
    return counts.macro_f1();
}

}  // namespace

LinearModel train_model(const std::vector<LabelledText>& data, const TrainOptions& options)
{
    auto x = prepare(data, options.features);
    std::vector<std::size_t> rows(data.size());
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    return train_prepared(data, x, rows, options);
}

void BinaryCounts::add(bool truth, bool predicted)
{
    if (truth && predicted)
        ++tp;
    else if (truth)
        ++fn;
    else if (predicted)
        ++fp;
    else
        ++tn;
}
double BinaryCounts::accuracy() const
{
    return ratio(tp + tn, n());
}
double BinaryCounts::precision() const
{
    return ratio(tp, tp + fp);
}
double BinaryCounts::recall() const
{
    return ratio(tp, tp + fn);
}
double BinaryCounts::f1() const
{
    return f1_of(tp, fp, fn);
}
double BinaryCounts::macro_f1() const
{
    return (f1_of(tp, fp, fn) + f1_of(tn, fn, fp)) / 2;
}

std::size_t KindCounts::n() const
{
    std::size_t total = 0;
    for (auto& [pair, count] : confusion)
        total += count;
    return total;
}

double KindCounts::accuracy() const
{
    std::size_t right = 0;
    for (auto& [pair, count] : confusion)
        if (pair.first == pair.second)
            right += count;
    return ratio(right, n());
}

double KindCounts::macro_f1() const
{
    std::set<Kind> kinds;
    for (auto& [pair, count] : confusion)
        kinds.insert(pair.first);
    if (kinds.empty())
        return 0;
    double sum = 0;
    for (auto k : kinds) {
        std::size_t tp = 0, fp = 0, fn = 0;
        for (auto& [pair, count] : confusion) {
            if (pair.first == k && pair.second == k)
                tp += count;
            else if (pair.first == k)
                fn += count;
            else if (pair.second == k)
                fp += count;
        }
        sum += f1_of(tp, fp, fn);
    }
    return sum / static_cast<double>(kinds.size());
}

nlohmann::json EvalReport::to_json() const
{
    nlohmann::json j;
    j["source"] = source;
    j["n"] = complaint.n();
    j["accuracy"] = round4(complaint.accuracy());
    j["precision"] = round4(complaint.precision());
    j["recall"] = round4(complaint.recall());
    j["f1"] = round4(complaint.f1());
    j["macro_f1"] = round4(complaint.macro_f1());
    if (kinds.n() > 0)
        j["kinds"] = {{"n", kinds.n()}, {"accuracy", round4(kinds.accuracy())}, {"macro_f1", round4(kinds.macro_f1())}};
    if (major.n() > 0)
        j["severity_major"] = {{"n", major.n()},
                               {"precision", round4(major.precision())},
                               {"recall", round4(major.recall())},
                               {"f1", round4(major.f1())}};
    if (language.n() > 0)
        j["language"] = {{"n", language.n()}, {"accuracy", round4(language.recall())}};
    return j;
}

std::vector<EvalReport> evaluate(const Classifier& classifier, const std::vector<LabelledText>& data)
{
    std::vector<EvalReport> reports;
    for (auto& t : data)
        accumulate(report_for(reports, t.source), t, classifier.classify_text({}, t.text));
    return reports;
}

nlohmann::json CrossValidationReport::to_json() const
{
    nlohmann::json j;
    j["folds"] = folds;
    j["runs"] = runs;
    j["with_rules"] = nlohmann::json::array();
    for (auto& r : with_rules)
        j["with_rules"].push_back(r.to_json());
    j["with_rules_by_language"] = nlohmann::json::array();
    for (auto& r : with_rules_by_language)
        j["with_rules_by_language"].push_back(r.to_json());
    j["model_only"] = nlohmann::json::array();
    for (auto& r : model_only)
        j["model_only"].push_back(r.to_json());
    nlohmann::json per_run = nlohmann::json::object();
    for (auto& [source, values] : run_macro_f1) {
        nlohmann::json list = nlohmann::json::array();
        for (auto v : values)
            list.push_back(round4(v));
        per_run[source] = list;
    }
    j["macro_f1_per_run"] = per_run;
    return j;
}

CrossValidationReport cross_validate(const std::vector<LabelledText>& data, const TrainOptions& options,
                                     std::shared_ptr<const RuleBook> rules)
{
    CrossValidationReport report;
    report.folds = std::max(2, options.folds);
    report.runs = std::max(1, options.runs);
    auto x = prepare(data, options.features);
    auto no_rules = std::make_shared<const RuleBook>();

    // Stratified by source and label, so every fold sees each data set and class in proportion.
    std::map<std::pair<std::string, int>, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < data.size(); ++i) {
        int label = data[i].kind ? static_cast<int>(*data[i].kind) : (data[i].complaint ? 100 : 101);
        groups[{data[i].source, label}].push_back(i);
    }
    for (int run = 0; run < report.runs; ++run) {
        std::mt19937_64 random(options.seed + static_cast<std::uint64_t>(run) * 7919);
        std::vector<int> fold_of(data.size());
        std::size_t offset = 0;
        for (auto& [key, members] : groups) {
            auto shuffled = members;
            std::shuffle(shuffled.begin(), shuffled.end(), random);
            for (std::size_t i = 0; i < shuffled.size(); ++i)
                fold_of[shuffled[i]] = static_cast<int>((i + offset) % static_cast<std::size_t>(report.folds));
            offset += shuffled.size();
        }
        std::vector<EvalReport> run_reports;
        for (int fold = 0; fold < report.folds; ++fold) {
            std::vector<std::size_t> train_rows, test_rows;
            for (std::size_t i = 0; i < data.size(); ++i)
                (fold_of[i] == fold ? test_rows : train_rows).push_back(i);
            auto model = std::make_shared<const LinearModel>(train_prepared(data, x, train_rows, options));
            auto with_rules = Classifier::create(rules, model);
            auto model_only = Classifier::create(no_rules, model);
            for (auto i : test_rows) {
                const auto& t = data[i];
                auto c = with_rules.classify_text({}, t.text);
                accumulate(report_for(report.with_rules, t.source), t, c);
                if (!t.language.empty())
                    accumulate(report_for(report.with_rules_by_language, t.source + "/" + t.language), t, c);
                accumulate(report_for(run_reports, t.source), t, c);
                accumulate(report_for(report.model_only, t.source), t, model_only.classify_text({}, t.text));
            }
        }
        for (auto& r : run_reports)
            report.run_macro_f1[r.source].push_back(r.complaint.macro_f1());
    }
    return report;
}

}  // namespace redress::classify
