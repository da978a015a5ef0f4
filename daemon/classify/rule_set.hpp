#pragma once
// Keyword rules that managers edit, one JSON file per language (config/rules/<lang>.json; the
// format is in config/rules/README.md). Rules add weight to the model's kinds, can force a kind,
// and decide severity: major severity is rules only, tuned for recall.

#include "common/result.hpp"
#include "linear_model.hpp"
#include "model/classification.hpp"
#include "text_analysis.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace redress::classify {

struct RuleMatches {
    HeadScores kind_bonus{};  // log-odds added to each head
    std::optional<Kind> forced_kind;
    bool major = false;
    std::vector<std::string> reasons;  // "rule en/complaint: refund (+1.5)", "severity ru/legal: суд"
    void clear()
    {
        kind_bonus = {};
        forced_kind.reset();
        major = false;
        reasons.clear();
    }
};

class RuleSet {
public:
    // `origin` names the file in error messages. Phrases are folded and stemmed here, once.
    static Result<RuleSet> parse(std::string_view json_text, std::string_view origin);

    const std::string& language() const { return m_language; }
    std::size_t pattern_count() const { return m_patterns.size(); }

    // Pure; adds to `out`. Each phrase counts once per message.
    void apply(const TextAnalysis& analysis, RuleMatches& out) const;

private:
    struct PatternToken {
        std::string value;  // a stem, a folded prefix, or the text of a special token ("?", "<url>")
        bool prefix = false;
        bool word = true;
    };
    enum class Action { kind, force, severity };
    struct Pattern {
        std::vector<PatternToken> tokens;
        std::string text;  // as written, for reasons
        Action action = Action::kind;
        std::size_t head = 0;
        double weight = 0;
        Kind kind = Kind::other;
        std::string category;  // severity category ("legal")
        bool negatable = true;
    };
    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    using Index = std::unordered_map<std::string, std::vector<std::uint32_t>, StringHash, std::equal_to<>>;

    Result<void> add_pattern(std::string_view phrase, Pattern pattern, std::string_view origin, std::string_view where);
    bool matches_at(const TextAnalysis& analysis, std::size_t at, const Pattern& pattern) const;
    bool negated_at(const TextAnalysis& analysis, std::size_t at) const;
    void fire(const Pattern& pattern, bool negated, RuleMatches& out) const;

    std::string m_language;
    std::vector<Pattern> m_patterns;
    Index m_by_first;                           // first token exact (stem or special text)
    Index m_by_prefix;                          // first token a prefix
    std::vector<std::size_t> m_prefix_lengths;  // distinct byte lengths in m_by_prefix
    std::vector<std::string> m_negations;       // folded
    int m_negation_window = 4;
    double m_severity_complaint_weight = 1.5;  // a threat or an injury also speaks for a complaint
};

// All rule files of a folder, by language.
class RuleBook {
public:
    // Reads every *.json in `dir`. A missing folder is an error; an empty one is allowed (the
    // model alone then decides kinds, and severity stays normal).
    static Result<RuleBook> load(const std::filesystem::path& dir);

    void add(RuleSet rules);
    const RuleSet* find(std::string_view language) const;
    std::vector<std::string> languages() const;

private:
    std::map<std::string, RuleSet, std::less<>> m_sets;
};

}  // namespace redress::classify
