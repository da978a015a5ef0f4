// The classifier's decision procedure (see classifier.hpp).

#include "classifier.hpp"

#include "automatic_mail.hpp"
#include "feature_extractor.hpp"
#include "linear_model.hpp"
#include "rule_set.hpp"
#include "text_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace redress::classify {

struct Classifier::Impl {
    std::shared_ptr<const RuleBook> rules;
    std::shared_ptr<const LinearModel> model;
};

namespace {

double sigmoid(double z)
{
    return 1.0 / (1.0 + std::exp(-z));
}

// Log-odds added to the complaint head when kinds compete (only among kinds past even odds).
constexpr double k_complaint_head_start = 3.0;
// Below even odds, a non-complaint kind is still named when it is this likely (p = 0.35).
const double k_weak_kind_logit = std::log(0.35 / 0.65);

std::string format_weight(double w)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.1f", w);
    return buf;
}

std::string format_probability(double p)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2f", p);
    return buf;
}

struct Scores {
    HeadScores model{};
    HeadScores total{};
    RuleMatches rules;
};

// Per-thread buffers: a message costs no allocation once a thread has seen one of similar size.
struct Scratch {
    TextAnalysis analysis;
    FeatureVector features;
    Scores scores;
};

Scratch& scratch()
{
    thread_local Scratch s;
    return s;
}

void score(const Classifier& classifier, const TextAnalysis& analysis, FeatureVector& features, Scores& out)
{
    extract_features(analysis, classifier.model().features(), features);
    out.model = classifier.model().score(features);
    out.rules.clear();
    if (auto* rules = classifier.rules().find(analysis.language))
        rules->apply(analysis, out.rules);
    for (std::size_t h = 0; h < k_head_count; ++h)
        out.total[h] = out.model[h] + out.rules.kind_bonus[h];
}

// Rules-only signals (rule_set.hpp): automatic-reply wording worth this many points makes a
// message automatic when no header did (two cues at least: "out of the office" and "until ...";
// one alone may be a customer saying they are away), and bulk wording and shape worth this many
// mark it as bulk mail as List-Id would ("unsubscribe" and "you are receiving this newsletter").
constexpr double k_automatic_threshold = 3.0;
constexpr double k_bulk_threshold = 2.0;
// The shape of a newsletter, in points toward the bulk threshold: a letter with this many links
// (1 point; 2 from k_many_links on), or this many words (1 point). A customer's letter rarely has
// either; mailing-list digests and newsletters usually have both.
constexpr std::size_t k_some_links = 4;
constexpr std::size_t k_many_links = 8;
constexpr std::size_t k_long_text_words = 1000;
// Bulk mail (by its headers, wording or shape) is a complaint only when it says so clearly (the
// model and the rules together past 4 log-odds, p > 0.98): mailing lists and newsletters are full
// of "broken", "doesn't work" and "police" and address nobody here. Measured on the SpamAssassin
// ham in docs/classifier.md.
constexpr double k_bulk_complaint_penalty = 4.0;

// bulk_headers: the headers say list or bulk mail (a newsletter's "fraud alert" is nobody's grievance).
void decide(const TextAnalysis& analysis, const Scores& s, Classification& c, bool bulk_headers)
{
    c.language = analysis.language;
    auto z = s.total;
    double bulk_words = s.rules.signal(RuleSignal::bulk);
    // Newsletters are long and full of links; a customer's letter rarely is.
    std::size_t links = 0, words = 0;
    for (const auto& t : analysis.tokens) {
        links += t.type == TokenType::url ? 1 : 0;
        words += t.type == TokenType::word ? 1 : 0;
    }
    double structure = (links >= k_many_links   ? 2.0
                        : links >= k_some_links ? 1.0
                                                : 0.0) +
                       (words >= k_long_text_words ? 1.0 : 0.0);
    bool bulk = bulk_headers || bulk_words + structure >= k_bulk_threshold;
    if (bulk) {
        z[head_of(Kind::complaint)] -= k_bulk_complaint_penalty;
        std::string why = bulk_headers ? "its headers" : "its wording and shape";
        c.reasons.push_back("bulk mail by " + why + " (" + std::to_string(links) + " links, " + std::to_string(words) +
                            " words): complaint " + format_weight(-k_bulk_complaint_penalty));
    }
    // In bulk mail a major cue counts only with an I or a you in its clause: "my card was stolen",
    // not "police said the suspect stole ...".
    bool major = s.rules.major && (!bulk || s.rules.major_personal);
    if (s.rules.major && !major)
        c.reasons.push_back("bulk mail: its major cues speak of third parties (no I or you in their clause), "
                            "not counted");
    auto model_reason = [&](Kind k) {
        auto h = head_of(k);
        return "model " + std::string(to_string(k)) + " " + format_probability(sigmoid(s.model[h])) + ", with rules " +
               format_probability(sigmoid(z[h]));
    };

    double automatic = s.rules.signal(RuleSignal::automatic);
    if (s.rules.forced_kind) {
        c.kind = *s.rules.forced_kind;
        auto h = head_of(c.kind);
        c.confidence = h < k_head_count ? std::max(0.9, sigmoid(z[h])) : 0.9;
    } else if (automatic >= k_automatic_threshold && !major) {
        // An auto-reply that came without its headers (pasted, forwarded, or from a system that sets
        // none): it answers nobody's grievance. A major matter is never set aside this way.
        c.kind = Kind::automatic;
        c.confidence = std::min(1.0, 0.5 + automatic / (4 * k_automatic_threshold));
        c.reasons.push_back("automatic-reply wording (" + format_weight(automatic) + ", at least " +
                            format_weight(k_automatic_threshold) + ")");
    } else {
        // The most likely kind past even odds wins; a complaint gets a head start, so a complaint
        // that also asks a question or thanks in advance stays a complaint.
        Kind best = Kind::other;
        double best_z = 0;
        for (std::size_t h = 0; h < k_head_count; ++h) {
            double v = z[h] + (k_model_kinds[h] == Kind::complaint ? k_complaint_head_start : 0.0);
            if (z[h] >= 0 && v > best_z) {
                best = k_model_kinds[h];
                best_z = v;
            }
        }
        if (best == Kind::other) {
            // Nothing is sure: take the likeliest kind other than a complaint if it is close (the
            // complaint threshold stays at even odds, as measured), else "other".
            for (Kind k : {Kind::question, Kind::suggestion, Kind::gratitude, Kind::spam}) {
                double v = z[head_of(k)];
                if (v >= k_weak_kind_logit && (best == Kind::other || v > z[head_of(best)]))
                    best = k;
            }
        }
        // Recall first for what the law, safety or money touch: a message the rules call major that
        // no head claims (a bare "I will see you in court") is handled as a complaint, so it gets a
        // ticket, an owner and deadlines rather than sitting as "other".
        if ((best == Kind::other || best == Kind::question) && major && !bulk) {
            best = Kind::complaint;
            c.reasons.push_back("no kind past even odds, but a major matter: taken for a complaint");
        }
        c.kind = best;
        if (best == Kind::other) {
            double top = 0;
            for (auto v : z)
                top = std::max(top, sigmoid(v));
            c.confidence = 1.0 - top;
        } else {
            c.confidence = sigmoid(z[head_of(best)]);
        }
    }
    if (head_of(c.kind) < k_head_count)
        c.reasons.push_back(model_reason(c.kind));
    else if (c.kind == Kind::other)
        c.reasons.push_back("no kind past even odds (best " + format_probability(1.0 - c.confidence) + ")");
    c.reasons.insert(c.reasons.end(), s.rules.reasons.begin(), s.rules.reasons.end());
    // Major is a complaint's severity: a thank-you for a refund, a question about returns, spam and
    // machine mail carry no grievance to escalate, whatever words they use.
    c.severity = major && c.kind == Kind::complaint ? Severity::major : Severity::normal;
    c.reasons.push_back("language " + analysis.language + " (" + analysis.language_reason + ")");
}

}  // namespace

Result<Classifier> Classifier::load(const std::filesystem::path& rules_dir, const std::filesystem::path& model_path)
{
    auto rules = RuleBook::load(rules_dir);
    if (!rules)
        return rules.error();
    auto model = LinearModel::load(model_path);
    if (!model)
        return model.error();
    return create(std::make_shared<const RuleBook>(std::move(rules).value()),
                  std::make_shared<const LinearModel>(std::move(model).value()));
}

Classifier Classifier::create(std::shared_ptr<const RuleBook> rules, std::shared_ptr<const LinearModel> model)
{
    auto impl = std::make_shared<Impl>();
    impl->rules = std::move(rules);
    impl->model = std::move(model);
    return Classifier(std::move(impl));
}

const LinearModel& Classifier::model() const
{
    return *m_impl->model;
}
const RuleBook& Classifier::rules() const
{
    return *m_impl->rules;
}

Classification Classifier::classify_text(std::string_view subject, std::string_view text) const
{
    auto& s = scratch();
    analyze_text(subject, text, s.analysis);
    score(*this, s.analysis, s.features, s.scores);
    Classification c;
    decide(s.analysis, s.scores, c, false);
    return c;
}

Classification Classifier::classify(const Message& message) const
{
    auto verdict = inspect_headers(message);
    if (verdict.automatic) {
        Classification c;
        c.kind = Kind::automatic;
        c.confidence = 1.0;
        c.bulk = verdict.bulk;
        c.reasons = std::move(verdict.reasons);
        // The language still matters for the ticket record; only the model is skipped.
        auto& s = scratch();
        analyze_text(message.subject, message.text, s.analysis);
        c.language = s.analysis.language;
        return c;
    }
    auto& s = scratch();
    analyze_text(message.subject, message.text, s.analysis);
    score(*this, s.analysis, s.features, s.scores);
    Classification c;
    decide(s.analysis, s.scores, c, verdict.bulk);
    c.bulk = verdict.bulk;
    c.reasons.insert(c.reasons.begin(), verdict.reasons.begin(), verdict.reasons.end());
    return c;
}

Explanation Classifier::explain(const Message& message, std::size_t top) const
{
    Explanation e;
    e.classification = classify(message);
    TextAnalysis analysis;
    analyze_text(message.subject, message.text, analysis);
    FeatureVector features;
    Scores scores;
    score(*this, analysis, features, scores);
    for (std::size_t h = 0; h < k_head_count; ++h) {
        e.model_logits.emplace_back(k_model_kinds[h], scores.model[h]);
        e.rule_bonus.emplace_back(k_model_kinds[h], scores.rules.kind_bonus[h]);
    }
    auto head = head_of(e.classification.kind);
    if (head == k_head_count)
        head = head_of(Kind::complaint);  // for automatic and other, show what spoke for a complaint
    std::vector<std::string> names;
    extract_features(analysis, model().features(), features, &names);
    std::vector<Explanation::Contribution> all;
    for (std::size_t i = 0; i < features.indices.size(); ++i) {
        double w = model().weight(features.indices[i], head) * features.scale_of(i);
        if (w == 0)
            continue;
        auto same = std::find_if(all.begin(), all.end(), [&](auto& c) { return c.feature == names[i]; });
        if (same != all.end())
            same->weight += w;
        else
            all.push_back({names[i], w});
    }
    std::sort(all.begin(), all.end(), [](auto& a, auto& b) { return std::abs(a.weight) > std::abs(b.weight); });
    if (all.size() > top)
        all.resize(top);
    e.top_features = std::move(all);
    return e;
}

}  // namespace redress::classify
