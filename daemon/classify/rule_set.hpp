#pragma once
// Keyword rules. The shipped cues are one list of concepts (config/rules/concepts.json: a refund
// demand, a court, an injury, a thank-you ... each with its terms in every supported language side
// by side), and each language may add the managers' own rules (config/rules/<lang>.json). The
// format of both is in config/rules/README.md. Rules add weight to the model's kinds, score
// automatic-reply and bulk-mail wording, can force a kind, and decide severity: major severity is
// rules only, tuned for recall.

#include "common/result.hpp"
#include "linear_model.hpp"
#include "model/classification.hpp"
#include "text_analysis.hpp"

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace redress::classify {

// What rules score beside the model's heads, by rules alone: the wording of automatic replies ("I
// am out of the office until ...") and of bulk mail ("you are receiving this newsletter because
// ..."). The classifier compares each with a threshold (docs/classifier.md).
enum class RuleSignal : std::uint8_t { automatic, bulk };
inline constexpr std::size_t k_signal_count = 2;

// The weights one phrase adds: log-odds per model head, and points per signal.
struct RuleWeights {
    HeadScores heads{};
    std::array<double, k_signal_count> signals{};
};

struct RuleMatches {
    HeadScores kind_bonus{};                       // log-odds added to each head
    std::array<double, k_signal_count> signals{};  // automatic-reply and bulk wording, summed
    std::optional<Kind> forced_kind;
    bool major = false;
    // A major cue with a first- or second-person word in its clause ("my son was injured", "I will
    // see you in court"), not a report about third parties ("police said ..."). Bulk mail needs it.
    bool major_personal = false;
    std::vector<std::string> reasons;  // "rule en/complaint: refund (+1.5)", "severity ru/legal: суд"
    double signal(RuleSignal s) const { return signals[static_cast<std::size_t>(s)]; }
    void clear()
    {
        kind_bonus = {};
        signals = {};
        forced_kind.reset();
        major = major_personal = false;
        reasons.clear();
    }
};

class RuleSet {
public:
    explicit RuleSet(std::string language = {})
        : m_language(std::move(language))
    {
    }

    // A language file on its own (no concept list). `origin` names the file in error messages.
    // Phrases are folded and stemmed here, once.
    static Result<RuleSet> parse(std::string_view json_text, std::string_view origin);

    // Adds a language file (the managers' own rules) to what is there, e.g. the concepts' terms of
    // that language. The file's "language" must be this set's.
    Result<void> extend(std::string_view json_text, std::string_view origin);

    // Each adds one phrase; `origin` and `where` name the file and the place for errors. `label`
    // names the rule in reasons ("complaint" in "rule en/complaint: refund (+1.5)"). The terms of one
    // `concept` count once per message together, however many of them a language lists; a phrase
    // without a concept counts once on its own.
    Result<void> add_weighted(std::string_view phrase, const RuleWeights& weights, std::string label,
                              std::string_view origin, std::string_view where, std::string concept_name = {});
    Result<void> add_force(std::string_view phrase, Kind kind, std::string_view origin, std::string_view where);
    // `in_questions` false: the phrase does not count in a clause that ends with '?' ("can I get my
    // money back?" asks; "give me my money back" demands).
    Result<void> add_severity(std::string_view phrase, std::string category, bool negatable, bool in_questions,
                              std::string_view origin, std::string_view where);
    // One word each; a word ending in '*' is a prefix ("наш*").
    Result<void> add_negation(std::string_view word, std::string_view origin, std::string_view where);
    Result<void> add_person(std::string_view word, std::string_view origin, std::string_view where);
    void set_negation_window(int words) { m_negation_window = words; }
    void set_severity_complaint_weight(double w) { m_severity_complaint_weight = w; }

    const std::string& language() const { return m_language; }
    std::size_t pattern_count() const { return m_patterns.size(); }

    // Pure; adds to `out`. Each phrase counts once per message.
    void apply(const TextAnalysis& analysis, RuleMatches& out) const;

private:
    struct PatternToken {
        std::string value;  // a stem, a folded prefix, or the text of a special token ("?", "<url>")
        bool prefix = false;
        bool word = true;
        bool gap = false;  // "~": up to k_max_gap tokens of the same sentence
    };
    enum class Action { weighted, force, severity };
    struct Pattern {
        std::vector<PatternToken> tokens;
        std::string text;  // as written, for reasons
        Action action = Action::weighted;
        RuleWeights weights;
        std::string label;         // the kind or signal named in reasons
        std::string concept_name;  // weighted terms of one concept count once together
        Kind kind = Kind::other;
        std::string category;  // severity category ("legal")
        bool negatable = true;
        bool in_questions = true;
    };
    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    using Index = std::unordered_map<std::string, std::vector<std::uint32_t>, StringHash, std::equal_to<>>;
    struct WordMatch {
        std::string value;  // folded
        bool prefix = false;
    };

    Result<void> add_pattern(std::string_view phrase, Pattern pattern, std::string_view origin, std::string_view where);
    static Result<void> add_word(std::vector<WordMatch>& list, std::string_view word, std::string_view what,
                                 std::string_view origin, std::string_view where);
    static bool word_in(const std::vector<WordMatch>& list, std::string_view folded);
    bool matches_at(const TextAnalysis& analysis, std::size_t at, const Pattern& pattern) const;
    static bool matches_from(const TextAnalysis& analysis, std::size_t at, const std::vector<PatternToken>& tokens,
                             std::size_t k);
    bool negated_at(const TextAnalysis& analysis, std::size_t at) const;
    bool personal_at(const TextAnalysis& analysis, std::size_t at, std::size_t length) const;
    static bool clause_asks(const TextAnalysis& analysis, std::size_t at);
    void fire(const Pattern& pattern, bool negated, bool personal, RuleMatches& out) const;

    std::string m_language;
    std::vector<Pattern> m_patterns;
    Index m_by_first;                           // first token exact (stem or special text)
    Index m_by_prefix;                          // first token a prefix
    std::vector<std::size_t> m_prefix_lengths;  // distinct byte lengths in m_by_prefix
    std::vector<WordMatch> m_negations;
    std::vector<WordMatch> m_persons;  // first- and second-person words: I, my, we, you, your ...
    int m_negation_window = 4;
    double m_severity_complaint_weight = 1.5;  // a threat or an injury also speaks for a complaint
};

// The concept list (config/rules/concepts.json): its languages, and each concept's terms in each.
class ConceptList {
public:
    // Every concept must have terms in every language the list names, and so must negations and
    // persons: a concept cannot exist in one language and be missing in another. All gaps are
    // reported at once, one line each.
    static Result<ConceptList> parse(std::string_view json_text, std::string_view origin);

    const std::vector<std::string>& languages() const { return m_languages; }
    std::size_t concept_count() const { return m_concept_count; }
    // The rules of one language built from the concepts (empty for a language the list lacks).
    const RuleSet* rules_for(std::string_view language) const;

private:
    std::vector<std::string> m_languages;
    std::size_t m_concept_count = 0;
    std::map<std::string, RuleSet, std::less<>> m_sets;
};

// The file name of the concept list inside the rules folder.
inline constexpr std::string_view k_concepts_file_name = "concepts.json";

// All rules of a folder, by language: concepts.json when it is there, then each <lang>.json on top.
class RuleBook {
public:
    // A missing folder is an error; an empty one is allowed (the model alone then decides kinds,
    // and severity stays normal).
    static Result<RuleBook> load(const std::filesystem::path& dir);

    void add(RuleSet rules);
    const RuleSet* find(std::string_view language) const;
    std::vector<std::string> languages() const;

private:
    std::map<std::string, RuleSet, std::less<>> m_sets;
};

}  // namespace redress::classify
