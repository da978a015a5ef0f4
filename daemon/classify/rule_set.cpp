// Keyword rules (see rule_set.hpp and config/rules/README.md).

#include "rule_set.hpp"

#include "stemmer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace redress::classify {

namespace {

using nlohmann::json;

Error rule_error(std::string_view origin, std::string_view where, std::string what)
{
    std::string message(origin);
    if (!where.empty())
        message.append(": at ").append(where);
    message.append(": ").append(what);
    return make_error("classify.rules", std::move(message));
}

std::string format_weight(double w)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.1f", w);
    return buf;
}

std::string_view trim_ascii(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

}  // namespace

Result<void> RuleSet::add_pattern(std::string_view phrase, Pattern pattern, std::string_view origin,
                                  std::string_view where)
{
    pattern.text = std::string(trim_ascii(phrase));
    TextAnalysis scratch;
    std::string stem_buffer;
    std::size_t i = 0;
    while (i < phrase.size()) {
        while (i < phrase.size() && phrase[i] == ' ')
            ++i;
        auto start = i;
        while (i < phrase.size() && phrase[i] != ' ')
            ++i;
        if (start == i)
            break;
        auto piece = phrase.substr(start, i - start);
        if (piece == "~") {
            // Free word order: "верн* ~ деньг*" also matches "верните мне деньги".
            if (pattern.tokens.empty())
                return rule_error(origin, where,
                                  "\"" + std::string(phrase) + "\": '~' stands between two words (\"refund ~ now\")");
            PatternToken gap;
            gap.gap = true;
            gap.word = false;
            pattern.tokens.push_back(std::move(gap));
            continue;
        }
        bool prefix = piece.size() > 1 && piece.back() == '*';
        if (prefix)
            piece.remove_suffix(1);
        scratch.clear();
        tokenize(piece, scratch);
        if (prefix && (scratch.tokens.size() != 1 || scratch.tokens[0].type != TokenType::word))
            return rule_error(origin, where,
                              "\"" + std::string(phrase) + "\": a '*' may only end a single word (\"refund*\")");
        for (auto& t : scratch.tokens) {
            if (t.type == TokenType::stop)
                continue;  // "thank you." and "thank you" are one phrase
            PatternToken pt;
            pt.prefix = prefix;
            pt.word = t.type == TokenType::word;
            auto text = scratch.text_of(t);
            pt.value = (pt.word && !prefix) ? std::string(stem_word(m_language, text, stem_buffer)) : std::string(text);
            pattern.tokens.push_back(std::move(pt));
        }
    }
    if (pattern.tokens.empty())
        return rule_error(origin, where, "\"" + std::string(phrase) + "\" has no words; remove it or write a word");
    if (pattern.tokens.back().gap)
        return rule_error(origin, where,
                          "\"" + std::string(phrase) + "\": '~' stands between two words (\"refund ~ now\")");
    // Inflected forms listed side by side ("суд", "суда", "судом") stem alike: keep the first, so
    // one word in a message fires once.
    for (auto& other : m_patterns) {
        bool same_tokens =
            other.tokens.size() == pattern.tokens.size() &&
            std::equal(other.tokens.begin(), other.tokens.end(), pattern.tokens.begin(), [](auto& a, auto& b) {
                return a.value == b.value && a.prefix == b.prefix && a.word == b.word && a.gap == b.gap;
            });
        if (same_tokens && other.action == pattern.action && other.label == pattern.label &&
            other.kind == pattern.kind && other.category == pattern.category &&
            other.concept_name == pattern.concept_name)
            return {};
    }
    auto index = static_cast<std::uint32_t>(m_patterns.size());
    auto& first = pattern.tokens.front();
    if (first.prefix) {
        m_by_prefix[first.value].push_back(index);
        if (std::find(m_prefix_lengths.begin(), m_prefix_lengths.end(), first.value.size()) == m_prefix_lengths.end()) {
            m_prefix_lengths.push_back(first.value.size());
            std::sort(m_prefix_lengths.begin(), m_prefix_lengths.end());
        }
    } else {
        m_by_first[first.value].push_back(index);
    }
    m_patterns.push_back(std::move(pattern));
    return {};
}

Result<void> RuleSet::add_weighted(std::string_view phrase, const RuleWeights& weights, std::string label,
                                   std::string_view origin, std::string_view where, std::string concept_name)
{
    Pattern pattern;
    pattern.action = Action::weighted;
    pattern.weights = weights;
    pattern.label = std::move(label);
    pattern.concept_name = std::move(concept_name);
    return add_pattern(phrase, std::move(pattern), origin, where);
}

Result<void> RuleSet::add_force(std::string_view phrase, Kind kind, std::string_view origin, std::string_view where)
{
    Pattern pattern;
    pattern.action = Action::force;
    pattern.kind = kind;
    return add_pattern(phrase, std::move(pattern), origin, where);
}

Result<void> RuleSet::add_severity(std::string_view phrase, std::string category, bool negatable, bool in_questions,
                                   std::string_view origin, std::string_view where)
{
    Pattern pattern;
    pattern.action = Action::severity;
    pattern.category = std::move(category);
    pattern.negatable = negatable;
    pattern.in_questions = in_questions;
    return add_pattern(phrase, std::move(pattern), origin, where);
}

Result<void> RuleSet::add_word(std::vector<WordMatch>& list, std::string_view word, std::string_view what,
                               std::string_view origin, std::string_view where)
{
    WordMatch match;
    match.prefix = word.size() > 1 && word.back() == '*';
    if (match.prefix)
        word.remove_suffix(1);
    TextAnalysis scratch;
    tokenize(word, scratch);
    if (scratch.tokens.size() != 1 || scratch.tokens[0].type != TokenType::word)
        return rule_error(origin, where, "\"" + std::string(word) + "\" must be one word (" + std::string(what) + ")");
    match.value = std::string(scratch.text_of(scratch.tokens[0]));
    if (!word_in(list, match.value))
        list.push_back(std::move(match));
    return {};
}

Result<void> RuleSet::add_negation(std::string_view word, std::string_view origin, std::string_view where)
{
    return add_word(m_negations, word, "\"not\", \"не\"", origin, where);
}

Result<void> RuleSet::add_person(std::string_view word, std::string_view origin, std::string_view where)
{
    return add_word(m_persons, word, "\"my\", \"ваш*\"", origin, where);
}

bool RuleSet::word_in(const std::vector<WordMatch>& list, std::string_view folded)
{
    for (auto& w : list)
        if (w.prefix ? folded.substr(0, w.value.size()) == w.value && folded.size() >= w.value.size()
                     : folded == w.value)
            return true;
    return false;
}

namespace {

// The kinds a rule file may name: the model's heads, and the two signals scored by rules alone.
std::optional<std::size_t> weight_slot(std::string_view name)
{
    if (name == "automatic")
        return k_head_count + static_cast<std::size_t>(RuleSignal::automatic);
    if (name == "bulk")
        return k_head_count + static_cast<std::size_t>(RuleSignal::bulk);
    auto kind = kind_from_string(name);
    auto head = kind ? head_of(*kind) : k_head_count;
    if (head == k_head_count)
        return std::nullopt;
    return head;
}

void set_slot(RuleWeights& w, std::size_t slot, double value)
{
    if (slot < k_head_count)
        w.heads[slot] = value;
    else
        w.signals[slot - k_head_count] = value;
}

constexpr std::string_view k_kind_names = "complaint, gratitude, question, suggestion, spam, automatic or bulk";

}  // namespace

Result<void> RuleSet::extend(std::string_view json_text, std::string_view origin)
{
    json doc;
    try {
        doc = json::parse(json_text.begin(), json_text.end());
    } catch (const json::parse_error& e) {
        return rule_error(origin, "byte " + std::to_string(e.byte), std::string("not valid JSON: ") + e.what());
    }
    if (!doc.is_object())
        return rule_error(origin, "", "the file must hold one JSON object; see config/rules/README.md");

    auto language = doc.find("language");
    if (language == doc.end() || !language->is_string() || language->get<std::string>().empty())
        return rule_error(origin, "\"language\"", "missing; write the ISO 639-1 code, e.g. \"language\": \"en\"");
    if (m_language.empty())
        m_language = language->get<std::string>();
    else if (m_language != language->get<std::string>())
        return rule_error(origin, "\"language\"",
                          "says \"" + language->get<std::string>() + "\" but adds to the rules of \"" + m_language +
                              "\"");

    for (auto it = doc.begin(); it != doc.end(); ++it) {
        static const std::vector<std::string> known{"language", "negations", "negation_window",           "kinds",
                                                    "force",    "severity",  "severity_complaint_weight", "persons",
                                                    "comment"};
        if (std::find(known.begin(), known.end(), it.key()) == known.end())
            return rule_error(origin, "\"" + it.key() + "\"",
                              "unknown key; known keys are language, negations, negation_window, persons, kinds, "
                              "force, severity, severity_complaint_weight, comment");
    }

    for (auto [key, list] : {std::pair{"negations", &m_negations}, std::pair{"persons", &m_persons}}) {
        auto n = doc.find(key);
        if (n == doc.end())
            continue;
        auto where = "\"" + std::string(key) + "\"";
        if (!n->is_array())
            return rule_error(origin, where, "must be a list of words");
        for (auto& word : *n) {
            if (!word.is_string())
                return rule_error(origin, where, "must be a list of words (strings)");
            TRY(add_word(*list, word.get<std::string>(),
                         key == std::string_view("negations") ? "\"not\", \"не\"" : "\"my\", \"ваш*\"", origin, where));
        }
    }
    if (auto w = doc.find("negation_window"); w != doc.end()) {
        if (!w->is_number_integer() || w->get<int>() < 0 || w->get<int>() > 10)
            return rule_error(origin, "\"negation_window\"", "must be a whole number from 0 to 10 (words looked back)");
        m_negation_window = w->get<int>();
    }
    if (auto w = doc.find("severity_complaint_weight"); w != doc.end()) {
        if (!w->is_number())
            return rule_error(origin, "\"severity_complaint_weight\"", "must be a number (log-odds, e.g. 1.5)");
        m_severity_complaint_weight = w->get<double>();
    }
    if (auto kinds = doc.find("kinds"); kinds != doc.end()) {
        if (!kinds->is_object())
            return rule_error(origin, "\"kinds\"", "must map a kind to {\"phrase\": weight, ...}");
        for (auto it = kinds->begin(); it != kinds->end(); ++it) {
            auto slot = weight_slot(it.key());
            if (!slot)
                return rule_error(origin, "\"kinds\"/\"" + it.key() + "\"",
                                  "unknown kind; use " + std::string(k_kind_names));
            if (!it->is_object())
                return rule_error(origin, "\"kinds\"/\"" + it.key() + "\"", "must be {\"phrase\": weight, ...}");
            for (auto p = it->begin(); p != it->end(); ++p) {
                auto where = "\"kinds\"/\"" + it.key() + "\"/\"" + p.key() + "\"";
                if (!p->is_number())
                    return rule_error(origin, where, "the weight must be a number (log-odds, e.g. 1.5 or -2)");
                RuleWeights weights;
                set_slot(weights, *slot, p->get<double>());
                TRY(add_weighted(p.key(), weights, it.key(), origin, where));
            }
        }
    }

    if (auto force = doc.find("force"); force != doc.end()) {
        if (!force->is_object())
            return rule_error(origin, "\"force\"", "must map a phrase to a kind: {\"unsubscribe me\": \"spam\"}");
        for (auto p = force->begin(); p != force->end(); ++p) {
            auto where = "\"force\"/\"" + p.key() + "\"";
            auto kind = p->is_string() ? kind_from_string(p->get<std::string>()) : std::nullopt;
            if (!kind || *kind == Kind::automatic)
                return rule_error(origin, where,
                                  "must name a kind: complaint, gratitude, question, suggestion, spam or other");
            TRY(add_force(p.key(), *kind, origin, where));
        }
    }

    if (auto severity = doc.find("severity"); severity != doc.end()) {
        if (!severity->is_object())
            return rule_error(origin, "\"severity\"",
                              "must map a category to {\"negatable\": bool, \"phrases\": [...]}");
        for (auto c = severity->begin(); c != severity->end(); ++c) {
            auto where = "\"severity\"/\"" + c.key() + "\"";
            if (!c->is_object() || !c->contains("phrases") || !(*c)["phrases"].is_array())
                return rule_error(origin, where, "must be {\"negatable\": true|false, \"phrases\": [\"...\"]}");
            bool negatable = true, in_questions = true;
            for (auto [key, target] : {std::pair{"negatable", &negatable}, std::pair{"in_questions", &in_questions}}) {
                if (auto n = c->find(key); n != c->end()) {
                    if (!n->is_boolean())
                        return rule_error(origin, where + "/\"" + key + "\"", "must be true or false");
                    *target = n->get<bool>();
                }
            }
            for (auto& phrase : (*c)["phrases"]) {
                if (!phrase.is_string())
                    return rule_error(origin, where, "phrases must be strings");
                TRY(add_severity(phrase.get<std::string>(), c.key(), negatable, in_questions, origin,
                                 where + "/\"" + phrase.get<std::string>() + "\""));
            }
        }
    }
    return {};
}

Result<RuleSet> RuleSet::parse(std::string_view json_text, std::string_view origin)
{
    RuleSet rules;
    TRY(rules.extend(json_text, origin));
    return rules;
}

namespace {

// How many words "~" may stand for.
constexpr std::size_t k_max_gap = 3;

// A sentence ends at '.', ';', ':', '?' or '!' (a comma only ends a clause).
bool ends_sentence(const TextAnalysis& analysis, const Token& t)
{
    if (t.type == TokenType::question_mark || t.type == TokenType::exclamation)
        return true;
    return t.type == TokenType::stop && analysis.text_of(t) != ",";
}

}  // namespace

bool RuleSet::matches_from(const TextAnalysis& analysis, std::size_t at, const std::vector<PatternToken>& tokens,
                           std::size_t k)
{
    for (; k < tokens.size(); ++k, ++at) {
        const auto& want = tokens[k];
        if (want.gap) {
            // Up to k_max_gap words (commas between them are free) before the rest matches.
            for (std::size_t p = at, skipped = 0; p < analysis.tokens.size(); ++p) {
                if (matches_from(analysis, p, tokens, k + 1))
                    return true;
                const auto& t = analysis.tokens[p];
                if (ends_sentence(analysis, t))
                    return false;
                if (t.type != TokenType::stop && ++skipped > k_max_gap)
                    return false;
            }
            return false;
        }
        if (at >= analysis.tokens.size())
            return false;
        const auto& have = analysis.tokens[at];
        if (want.word != (have.type == TokenType::word))
            return false;
        if (want.prefix) {
            auto text = analysis.text_of(have);
            if (text.size() < want.value.size() || text.substr(0, want.value.size()) != want.value)
                return false;
        } else if (analysis.stem_of(have) != want.value) {
            return false;
        }
    }
    return true;
}

bool RuleSet::matches_at(const TextAnalysis& analysis, std::size_t at, const Pattern& pattern) const
{
    return matches_from(analysis, at, pattern.tokens, 0);
}

bool RuleSet::negated_at(const TextAnalysis& analysis, std::size_t at) const
{
    std::size_t looked = 0;
    for (std::size_t j = at; j > 0 && looked < static_cast<std::size_t>(m_negation_window); --j, ++looked) {
        const auto& t = analysis.tokens[j - 1];
        if (t.type == TokenType::stop || t.type == TokenType::question_mark || t.type == TokenType::exclamation)
            return false;
        if (t.type != TokenType::word)
            continue;
        if (word_in(m_negations, analysis.text_of(t)))
            return true;
    }
    return false;
}

// A first- or second-person word in the same clause, up to 12 words either side of the phrase.
bool RuleSet::personal_at(const TextAnalysis& analysis, std::size_t at, std::size_t length) const
{
    constexpr std::size_t k_reach = 12;
    auto boundary = [](const Token& t) {
        return t.type == TokenType::stop || t.type == TokenType::question_mark || t.type == TokenType::exclamation;
    };
    for (std::size_t j = at, looked = 0; j > 0 && looked < k_reach; --j, ++looked) {
        const auto& t = analysis.tokens[j - 1];
        if (boundary(t))
            break;
        if (t.type == TokenType::word && word_in(m_persons, analysis.text_of(t)))
            return true;
    }
    for (std::size_t j = at; j < at + length && j < analysis.tokens.size(); ++j)
        if (analysis.tokens[j].type == TokenType::word && word_in(m_persons, analysis.text_of(analysis.tokens[j])))
            return true;
    for (std::size_t j = at + length, looked = 0; j < analysis.tokens.size() && looked < k_reach; ++j, ++looked) {
        const auto& t = analysis.tokens[j];
        if (boundary(t))
            break;
        if (t.type == TokenType::word && word_in(m_persons, analysis.text_of(t)))
            return true;
    }
    return false;
}

// Whether the sentence holding token `at` ends with a question mark ("if it does not fit, can I
// get my money back, or ...?").
bool RuleSet::clause_asks(const TextAnalysis& analysis, std::size_t at)
{
    for (std::size_t j = at; j < analysis.tokens.size(); ++j) {
        const auto& t = analysis.tokens[j];
        if (t.type == TokenType::question_mark)
            return true;
        if (ends_sentence(analysis, t))
            return false;
    }
    return false;
}

void RuleSet::fire(const Pattern& pattern, bool negated, bool personal, RuleMatches& out) const
{
    switch (pattern.action) {
    case Action::weighted: {
        std::string reason = "rule " + m_language + "/" + pattern.label + ": " + pattern.text;
        if (negated) {
            out.reasons.push_back(reason + " (negated, ignored)");
            return;
        }
        std::string weights;
        auto add = [&](std::string_view name, double w) {
            if (w == 0)
                return;
            if (!weights.empty())
                weights += ", ";
            if (name != pattern.label)
                weights.append(name).append(" ");
            weights += format_weight(w);
        };
        auto signal_name = [](std::size_t s) {
            return s == static_cast<std::size_t>(RuleSignal::automatic) ? "automatic" : "bulk";
        };
        // The labelled kind's weight first: "(+2.5, complaint -1.0)".
        for (bool own : {true, false}) {
            for (std::size_t h = 0; h < k_head_count; ++h)
                if ((to_string(k_model_kinds[h]) == pattern.label) == own)
                    add(to_string(k_model_kinds[h]), pattern.weights.heads[h]);
            for (std::size_t s = 0; s < k_signal_count; ++s)
                if ((signal_name(s) == pattern.label) == own)
                    add(signal_name(s), pattern.weights.signals[s]);
        }
        for (std::size_t h = 0; h < k_head_count; ++h)
            out.kind_bonus[h] += pattern.weights.heads[h];
        for (std::size_t s = 0; s < k_signal_count; ++s)
            out.signals[s] += pattern.weights.signals[s];
        out.reasons.push_back(reason + " (" + weights + ")");
        return;
    }
    case Action::force:
        if (negated || out.forced_kind)
            return;
        out.forced_kind = pattern.kind;
        out.reasons.push_back("rule " + m_language + "/force " + std::string(to_string(pattern.kind)) + ": " +
                              pattern.text);
        return;
    case Action::severity: {
        std::string reason = "severity " + m_language + "/" + pattern.category + ": " + pattern.text;
        if (negated && pattern.negatable) {
            out.reasons.push_back(reason + " (negated, ignored)");
            return;
        }
        if (!out.major)
            out.kind_bonus[head_of(Kind::complaint)] += m_severity_complaint_weight;
        out.major = true;
        out.major_personal = out.major_personal || personal;
        if (negated)
            reason += " (negated, kept: a threat even when denied)";
        out.reasons.push_back(std::move(reason));
        return;
    }
    }
}

void RuleSet::apply(const TextAnalysis& analysis, RuleMatches& out) const
{
    thread_local std::vector<std::uint32_t> fired;
    thread_local std::vector<std::string_view> concepts;
    fired.clear();
    concepts.clear();
    auto consider = [&](const std::vector<std::uint32_t>& candidates, std::size_t at) {
        for (auto index : candidates) {
            if (std::find(fired.begin(), fired.end(), index) != fired.end())
                continue;
            const auto& pattern = m_patterns[index];
            if (!matches_at(analysis, at, pattern))
                continue;
            if (pattern.action == Action::severity && !pattern.in_questions && clause_asks(analysis, at))
                continue;  // "can I get my money back?" asks, it does not demand
            if (!pattern.concept_name.empty()) {
                if (std::find(concepts.begin(), concepts.end(), pattern.concept_name) != concepts.end())
                    continue;  // another term of the same concept already counted
                if (!negated_at(analysis, at))
                    concepts.push_back(pattern.concept_name);
            }
            fired.push_back(index);
            bool personal = pattern.action == Action::severity && personal_at(analysis, at, pattern.tokens.size());
            fire(pattern, negated_at(analysis, at), personal, out);
        }
    };
    for (std::size_t i = 0; i < analysis.tokens.size(); ++i) {
        const auto& t = analysis.tokens[i];
        if (auto it = m_by_first.find(analysis.stem_of(t)); it != m_by_first.end())
            consider(it->second, i);
        if (t.type != TokenType::word || m_prefix_lengths.empty())
            continue;
        auto text = analysis.text_of(t);
        for (auto length : m_prefix_lengths) {
            if (length > text.size())
                break;
            if (auto it = m_by_prefix.find(text.substr(0, length)); it != m_by_prefix.end())
                consider(it->second, i);
        }
    }
}

void RuleBook::add(RuleSet rules)
{
    auto language = rules.language();
    m_sets.insert_or_assign(language, std::move(rules));
}

const RuleSet* RuleBook::find(std::string_view language) const
{
    auto it = m_sets.find(language);
    return it == m_sets.end() ? nullptr : &it->second;
}

std::vector<std::string> RuleBook::languages() const
{
    std::vector<std::string> out;
    for (auto& [language, rules] : m_sets)
        out.push_back(language);
    return out;
}

namespace {

Result<std::string> read_rule_file(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof())
        return make_error("classify.rules", file.string() + ": cannot read");
    return text.str();
}

std::string joined(const std::vector<std::string>& list)
{
    std::string out;
    for (auto& item : list)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

}  // namespace

const RuleSet* ConceptList::rules_for(std::string_view language) const
{
    auto it = m_sets.find(language);
    return it == m_sets.end() ? nullptr : &it->second;
}

Result<ConceptList> ConceptList::parse(std::string_view json_text, std::string_view origin)
{
    json doc;
    try {
        doc = json::parse(json_text.begin(), json_text.end());
    } catch (const json::parse_error& e) {
        return rule_error(origin, "byte " + std::to_string(e.byte), std::string("not valid JSON: ") + e.what());
    }
    if (!doc.is_object())
        return rule_error(origin, "", "the file must hold one JSON object; see config/rules/README.md");
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        static const std::vector<std::string> known{
            "comment", "languages", "negation_window", "severity_complaint_weight", "negations", "persons", "concepts"};
        if (std::find(known.begin(), known.end(), it.key()) == known.end())
            return rule_error(origin, "\"" + it.key() + "\"",
                              "unknown key; known keys are comment, languages, negation_window, "
                              "severity_complaint_weight, negations, persons, concepts");
    }

    ConceptList list;
    auto languages = doc.find("languages");
    if (languages == doc.end() || !languages->is_array() || languages->empty())
        return rule_error(
            origin, "\"languages\"",
            "must list the supported languages, e.g. [\"en\", \"ru\", \"uk\", \"be\", \"pt\", \"de\", \"es\"]");
    for (auto& l : *languages) {
        if (!l.is_string() || l.get<std::string>().empty())
            return rule_error(origin, "\"languages\"", "must be ISO 639-1 codes (strings)");
        list.m_languages.push_back(l.get<std::string>());
        list.m_sets.emplace(l.get<std::string>(), RuleSet(l.get<std::string>()));
    }
    int window = 4;
    if (auto w = doc.find("negation_window"); w != doc.end()) {
        if (!w->is_number_integer() || w->get<int>() < 0 || w->get<int>() > 10)
            return rule_error(origin, "\"negation_window\"", "must be a whole number from 0 to 10 (words looked back)");
        window = w->get<int>();
    }
    double severity_weight = 1.5;
    if (auto w = doc.find("severity_complaint_weight"); w != doc.end()) {
        if (!w->is_number())
            return rule_error(origin, "\"severity_complaint_weight\"", "must be a number (log-odds, e.g. 1.5)");
        severity_weight = w->get<double>();
    }
    for (auto& [language, rules] : list.m_sets) {
        rules.set_negation_window(window);
        rules.set_severity_complaint_weight(severity_weight);
    }

    // Every gap, one line each, so `redress check` shows them all at once.
    std::vector<std::string> missing;
    auto terms_by_language = [&](const json& terms, const std::string& where, const std::string& name,
                                 auto&& add) -> Result<void> {
        if (!terms.is_object())
            return rule_error(origin, where,
                              "must map each language to a list of terms: {\"en\": [...], \"ru\": [...]}");
        for (auto it = terms.begin(); it != terms.end(); ++it)
            if (!list.m_sets.contains(it.key()))
                return rule_error(origin, where + "/\"" + it.key() + "\"",
                                  "not a language of \"languages\" (" + joined(list.m_languages) +
                                      "); add it there or remove these terms");
        for (auto& language : list.m_languages) {
            auto it = terms.find(language);
            if (it == terms.end() || (it->is_array() && it->empty())) {
                missing.push_back(std::string(origin) + ": " + name + " has no terms for " + language +
                                  "; every concept needs terms in every language of \"languages\" (" +
                                  joined(list.m_languages) + ")");
                continue;
            }
            if (!it->is_array())
                return rule_error(origin, where + "/\"" + language + "\"", "must be a list of terms (strings)");
            for (auto& term : *it) {
                if (!term.is_string())
                    return rule_error(origin, where + "/\"" + language + "\"", "terms must be strings");
                TRY(add(list.m_sets.find(language)->second, term.get<std::string>(),
                        where + "/\"" + language + "\"/\"" + term.get<std::string>() + "\""));
            }
        }
        return {};
    };

    for (auto key : {"negations", "persons"}) {
        auto it = doc.find(key);
        if (it == doc.end()) {
            missing.push_back(std::string(origin) + ": \"" + key + "\" is missing; list its words for each of " +
                              joined(list.m_languages));
            continue;
        }
        bool negations = std::string_view(key) == "negations";
        TRY(terms_by_language(*it, "\"" + std::string(key) + "\"", "\"" + std::string(key) + "\"",
                              [&](RuleSet& rules, const std::string& word, const std::string& where) {
                                  return negations ? rules.add_negation(word, origin, where)
                                                   : rules.add_person(word, origin, where);
                              }));
    }

    auto concepts = doc.find("concepts");
    if (concepts == doc.end() || !concepts->is_object())
        return rule_error(origin, "\"concepts\"", "must map a concept's name to {\"terms\": {...}, ...}");
    for (auto c = concepts->begin(); c != concepts->end(); ++c) {
        auto where = "\"concepts\"/\"" + c.key() + "\"";
        auto name = "concept \"" + c.key() + "\"";
        if (!c->is_object() || !c->contains("terms"))
            return rule_error(origin, where,
                              "must be {\"weights\" or \"severity\" or \"force\": ..., \"terms\": {...}}");
        for (auto it = c->begin(); it != c->end(); ++it) {
            static const std::vector<std::string> known{"comment", "weights",   "severity",    "force",
                                                        "terms",   "negatable", "in_questions"};
            if (std::find(known.begin(), known.end(), it.key()) == known.end())
                return rule_error(origin, where + "/\"" + it.key() + "\"",
                                  "unknown key; known keys are comment, weights, severity, negatable, in_questions, "
                                  "force, terms");
        }
        int actions =
            (c->contains("weights") ? 1 : 0) + (c->contains("severity") ? 1 : 0) + (c->contains("force") ? 1 : 0);
        if (actions != 1)
            return rule_error(origin, where,
                              "give exactly one of \"weights\" ({\"complaint\": 1.5}), \"severity\" (\"legal\") or "
                              "\"force\" (\"spam\")");
        auto& terms = (*c)["terms"];
        ++list.m_concept_count;
        if (auto w = c->find("weights"); w != c->end()) {
            if (!w->is_object() || w->empty())
                return rule_error(origin, where + "/\"weights\"", "must map a kind to a weight: {\"suggestion\": 2.0}");
            RuleWeights weights;
            std::string label;
            double strongest = 0;
            for (auto k = w->begin(); k != w->end(); ++k) {
                auto slot = weight_slot(k.key());
                if (!slot)
                    return rule_error(origin, where + "/\"weights\"/\"" + k.key() + "\"",
                                      "unknown kind; use " + std::string(k_kind_names));
                if (!k->is_number())
                    return rule_error(origin, where + "/\"weights\"/\"" + k.key() + "\"",
                                      "the weight must be a number (log-odds, e.g. 1.5 or -2)");
                set_slot(weights, *slot, k->get<double>());
                if (label.empty() || k->get<double>() > strongest) {
                    label = k.key();
                    strongest = k->get<double>();
                }
            }
            TRY(terms_by_language(terms, where + "/\"terms\"", name,
                                  [&](RuleSet& rules, const std::string& term, const std::string& at) {
                                      return rules.add_weighted(term, weights, label, origin, at, c.key());
                                  }));
        } else if (auto f = c->find("force"); f != c->end()) {
            auto kind = f->is_string() ? kind_from_string(f->get<std::string>()) : std::nullopt;
            if (!kind || *kind == Kind::automatic)
                return rule_error(origin, where + "/\"force\"",
                                  "must name a kind: complaint, gratitude, question, suggestion, spam or other");
            TRY(terms_by_language(terms, where + "/\"terms\"", name,
                                  [&](RuleSet& rules, const std::string& term, const std::string& at) {
                                      return rules.add_force(term, *kind, origin, at);
                                  }));
        } else {
            auto& category = (*c)["severity"];
            if (!category.is_string() || category.get<std::string>().empty())
                return rule_error(origin, where + "/\"severity\"",
                                  "must name the category shown in reasons and alerts (\"legal\", \"safety\", ...)");
            bool negatable = true, in_questions = true;
            for (auto [key, target] : {std::pair{"negatable", &negatable}, std::pair{"in_questions", &in_questions}}) {
                if (auto n = c->find(key); n != c->end()) {
                    if (!n->is_boolean())
                        return rule_error(origin, where + "/\"" + key + "\"", "must be true or false");
                    *target = n->get<bool>();
                }
            }
            TRY(terms_by_language(
                terms, where + "/\"terms\"", name, [&](RuleSet& rules, const std::string& term, const std::string& at) {
                    return rules.add_severity(term, category.get<std::string>(), negatable, in_questions, origin, at);
                }));
        }
    }
    if (!missing.empty()) {
        std::string message;
        for (auto& line : missing)
            message += (message.empty() ? "" : "\n") + line;
        return make_error("classify.concept_missing", std::move(message));
    }
    return list;
}

Result<RuleBook> RuleBook::load(const std::filesystem::path& dir)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        return make_error("classify.rules_missing", dir.string() +
                                                        ": not a folder of rule files; check the path (--rules DIR, "
                                                        "default config/rules)");
    std::vector<std::filesystem::path> files;
    for (auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".json" &&
            entry.path().filename() != k_concepts_file_name)
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    RuleBook book;
    auto concepts_file = dir / k_concepts_file_name;
    if (std::filesystem::exists(concepts_file, ec)) {
        auto text = read_rule_file(concepts_file);
        if (!text)
            return text.error();
        auto concepts = ConceptList::parse(*text, concepts_file.string());
        if (!concepts)
            return concepts.error();
        for (auto& language : concepts->languages())
            book.add(*concepts->rules_for(language));
    }
    for (auto& file : files) {
        auto text = read_rule_file(file);
        if (!text)
            return text.error();
        auto language = file.stem().string();
        if (auto it = book.m_sets.find(language); it != book.m_sets.end()) {
            TRY(it->second.extend(*text, file.string()));
            continue;
        }
        auto rules = RuleSet::parse(*text, file.string());
        if (!rules)
            return rules.error();
        if (rules->language() != language)
            return rule_error(file.string(), "\"language\"",
                              "says \"" + rules->language() + "\" but the file is named " + file.filename().string() +
                                  "; name the file <language>.json");
        book.add(std::move(rules).value());
    }
    return book;
}

}  // namespace redress::classify
