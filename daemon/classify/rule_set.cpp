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
    // Inflected forms listed side by side ("суд", "суда", "судом") stem alike: keep the first, so
    // one word in a message fires once.
    for (auto& other : m_patterns) {
        bool same_tokens =
            other.tokens.size() == pattern.tokens.size() &&
            std::equal(other.tokens.begin(), other.tokens.end(), pattern.tokens.begin(),
                       [](auto& a, auto& b) { return a.value == b.value && a.prefix == b.prefix && a.word == b.word; });
        if (same_tokens && other.action == pattern.action && other.head == pattern.head && other.kind == pattern.kind &&
            other.category == pattern.category)
            return {};
    }
    auto index = static_cast<std::uint32_t>(m_patterns.size());
    auto& first = pattern.tokens.front();
    if (first.prefix) {
        m_by_prefix[first.value].push_back(index);
        if (std::find(m_prefix_lengths.begin(), m_prefix_lengths.end(), first.value.size()) == m_prefix_lengths.end())
            m_prefix_lengths.push_back(first.value.size());
    } else {
        m_by_first[first.value].push_back(index);
    }
    m_patterns.push_back(std::move(pattern));
    return {};
}

Result<RuleSet> RuleSet::parse(std::string_view json_text, std::string_view origin)
{
    json doc;
    try {
        doc = json::parse(json_text.begin(), json_text.end());
    } catch (const json::parse_error& e) {
        return rule_error(origin, "byte " + std::to_string(e.byte), std::string("not valid JSON: ") + e.what());
    }
    if (!doc.is_object())
        return rule_error(origin, "", "the file must hold one JSON object; see config/rules/README.md");

    RuleSet rules;
    auto language = doc.find("language");
    if (language == doc.end() || !language->is_string() || language->get<std::string>().empty())
        return rule_error(origin, "\"language\"", "missing; write the ISO 639-1 code, e.g. \"language\": \"en\"");
    rules.m_language = language->get<std::string>();

    for (auto it = doc.begin(); it != doc.end(); ++it) {
        static const std::vector<std::string> known{"language", "negations", "negation_window",           "kinds",
                                                    "force",    "severity",  "severity_complaint_weight", "comment"};
        if (std::find(known.begin(), known.end(), it.key()) == known.end())
            return rule_error(origin, "\"" + it.key() + "\"",
                              "unknown key; known keys are language, negations, negation_window, kinds, force, "
                              "severity, severity_complaint_weight, comment");
    }

    if (auto n = doc.find("negations"); n != doc.end()) {
        if (!n->is_array())
            return rule_error(origin, "\"negations\"", "must be a list of words");
        for (auto& word : *n) {
            if (!word.is_string())
                return rule_error(origin, "\"negations\"", "must be a list of words (strings)");
            TextAnalysis scratch;
            tokenize(word.get<std::string>(), scratch);
            if (scratch.tokens.size() != 1 || scratch.tokens[0].type != TokenType::word)
                return rule_error(origin, "\"negations\"",
                                  "\"" + word.get<std::string>() + "\" must be one word (\"not\", \"не\")");
            rules.m_negations.emplace_back(scratch.text_of(scratch.tokens[0]));
        }
    }
    if (auto w = doc.find("negation_window"); w != doc.end()) {
        if (!w->is_number_integer() || w->get<int>() < 0 || w->get<int>() > 10)
            return rule_error(origin, "\"negation_window\"", "must be a whole number from 0 to 10 (words looked back)");
        rules.m_negation_window = w->get<int>();
    }

    if (auto w = doc.find("severity_complaint_weight"); w != doc.end()) {
        if (!w->is_number())
            return rule_error(origin, "\"severity_complaint_weight\"", "must be a number (log-odds, e.g. 1.5)");
        rules.m_severity_complaint_weight = w->get<double>();
    }
    if (auto kinds = doc.find("kinds"); kinds != doc.end()) {
        if (!kinds->is_object())
            return rule_error(origin, "\"kinds\"", "must map a kind to {\"phrase\": weight, ...}");
        for (auto it = kinds->begin(); it != kinds->end(); ++it) {
            auto kind = kind_from_string(it.key());
            auto head = kind ? head_of(*kind) : k_head_count;
            if (head == k_head_count)
                return rule_error(origin, "\"kinds\"/\"" + it.key() + "\"",
                                  "unknown kind; use complaint, gratitude, question, suggestion or spam");
            if (!it->is_object())
                return rule_error(origin, "\"kinds\"/\"" + it.key() + "\"", "must be {\"phrase\": weight, ...}");
            for (auto p = it->begin(); p != it->end(); ++p) {
                auto where = "\"kinds\"/\"" + it.key() + "\"/\"" + p.key() + "\"";
                if (!p->is_number())
                    return rule_error(origin, where, "the weight must be a number (log-odds, e.g. 1.5 or -2)");
                Pattern pattern;
                pattern.action = Action::kind;
                pattern.head = head;
                pattern.weight = p->get<double>();
                TRY(rules.add_pattern(p.key(), std::move(pattern), origin, where));
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
            Pattern pattern;
            pattern.action = Action::force;
            pattern.kind = *kind;
            TRY(rules.add_pattern(p.key(), std::move(pattern), origin, where));
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
            bool negatable = true;
            if (auto n = c->find("negatable"); n != c->end()) {
                if (!n->is_boolean())
                    return rule_error(origin, where + "/\"negatable\"", "must be true or false");
                negatable = n->get<bool>();
            }
            for (auto& phrase : (*c)["phrases"]) {
                if (!phrase.is_string())
                    return rule_error(origin, where, "phrases must be strings");
                Pattern pattern;
                pattern.action = Action::severity;
                pattern.category = c.key();
                pattern.negatable = negatable;
                TRY(rules.add_pattern(phrase.get<std::string>(), std::move(pattern), origin,
                                      where + "/\"" + phrase.get<std::string>() + "\""));
            }
        }
    }
    std::sort(rules.m_prefix_lengths.begin(), rules.m_prefix_lengths.end());
    return rules;
}

bool RuleSet::matches_at(const TextAnalysis& analysis, std::size_t at, const Pattern& pattern) const
{
    if (at + pattern.tokens.size() > analysis.tokens.size())
        return false;
    for (std::size_t k = 0; k < pattern.tokens.size(); ++k) {
        const auto& want = pattern.tokens[k];
        const auto& have = analysis.tokens[at + k];
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

bool RuleSet::negated_at(const TextAnalysis& analysis, std::size_t at) const
{
    std::size_t looked = 0;
    for (std::size_t j = at; j > 0 && looked < static_cast<std::size_t>(m_negation_window); --j, ++looked) {
        const auto& t = analysis.tokens[j - 1];
        if (t.type == TokenType::stop || t.type == TokenType::question_mark || t.type == TokenType::exclamation)
            return false;
        if (t.type != TokenType::word)
            continue;
        auto text = analysis.text_of(t);
        for (auto& n : m_negations)
            if (n == text)
                return true;
    }
    return false;
}

void RuleSet::fire(const Pattern& pattern, bool negated, RuleMatches& out) const
{
    switch (pattern.action) {
    case Action::kind: {
        auto kind = to_string(k_model_kinds[pattern.head]);
        std::string reason = "rule " + m_language + "/" + std::string(kind) + ": " + pattern.text;
        if (negated) {
            out.reasons.push_back(reason + " (negated, ignored)");
            return;
        }
        out.kind_bonus[pattern.head] += pattern.weight;
        out.reasons.push_back(reason + " (" + format_weight(pattern.weight) + ")");
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
        out.reasons.push_back(negated ? reason + " (negated, kept: a threat even when denied)" : reason);
        return;
    }
    }
}

void RuleSet::apply(const TextAnalysis& analysis, RuleMatches& out) const
{
    thread_local std::vector<std::uint32_t> fired;
    fired.clear();
    auto consider = [&](const std::vector<std::uint32_t>& candidates, std::size_t at) {
        for (auto index : candidates) {
            if (std::find(fired.begin(), fired.end(), index) != fired.end())
                continue;
            const auto& pattern = m_patterns[index];
            if (!matches_at(analysis, at, pattern))
                continue;
            fired.push_back(index);
            fire(pattern, negated_at(analysis, at), out);
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

Result<RuleBook> RuleBook::load(const std::filesystem::path& dir)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        return make_error("classify.rules_missing", dir.string() +
                                                        ": not a folder of rule files; check the path (--rules DIR, "
                                                        "default config/rules)");
    std::vector<std::filesystem::path> files;
    for (auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".json")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    RuleBook book;
    for (auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in && !in.eof())
            return make_error("classify.rules", file.string() + ": cannot read");
        auto rules = RuleSet::parse(text.str(), file.string());
        if (!rules)
            return rules.error();
        if (rules->language() != file.stem().string())
            return rule_error(file.string(), "\"language\"",
                              "says \"" + rules->language() + "\" but the file is named " + file.filename().string() +
                                  "; name the file <language>.json");
        book.add(std::move(rules).value());
    }
    return book;
}

}  // namespace redress::classify
