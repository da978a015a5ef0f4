// The parity set and its report (see parity.hpp).

#include "parity.hpp"

#include "labelled_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

namespace redress::classify {

namespace {

Error parity_error(std::string_view origin, std::string what)
{
    return make_error("classify.parity", std::string(origin) + ": " + std::move(what));
}

double share(std::size_t a, std::size_t b)
{
    return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}

double round4(double v)
{
    return std::round(v * 10000.0) / 10000.0;
}

std::string fixed3(double v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

std::string verdict(Kind kind, Severity severity)
{
    return std::string(to_string(kind)) + "/" + std::string(to_string(severity));
}

nlohmann::json counts_json(const ParityReport::Counts& c)
{
    return {{"n", c.n},
            {"kind_accuracy", round4(share(c.kind_right, c.n))},
            {"severity_accuracy", round4(share(c.severity_right, c.n))},
            {"language_accuracy", round4(share(c.language_right, c.n))}};
}

}  // namespace

Result<std::vector<ParityText>> parse_parity_csv(std::string_view csv, std::string_view origin)
{
    if (csv.size() >= 3 && csv.substr(0, 3) == "\xEF\xBB\xBF")
        csv.remove_prefix(3);
    std::vector<std::vector<std::string>> records;
    std::size_t bad_line = 0;
    if (!split_csv(csv, records, bad_line))
        return parity_error(origin, "line " + std::to_string(bad_line) + ": a quoted field is never closed");
    if (records.empty())
        return parity_error(origin, "empty; expected the header situation,lang,text,kind,severity");
    const auto& header = records[0];
    auto column = [&](std::string_view name) -> int {
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == name)
                return static_cast<int>(i);
        return -1;
    };
    int situation = column("situation"), lang = column("lang"), text = column("text"), kind = column("kind"),
        severity = column("severity");
    if (situation < 0 || lang < 0 || text < 0 || kind < 0 || severity < 0)
        return parity_error(origin, "the header must name the columns situation, lang, text, kind and severity");

    std::vector<ParityText> out;
    std::map<std::string, std::size_t> first_of;  // situation -> index in out of its first text
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& rec = records[r];
        auto row = "record " + std::to_string(r + 1);
        if (rec.size() != header.size())
            return parity_error(origin, row + " has " + std::to_string(rec.size()) + " fields, the header " +
                                            std::to_string(header.size()) + "; quote fields with commas");
        auto field = [&](int c) -> const std::string& { return rec[static_cast<std::size_t>(c)]; };
        ParityText t;
        t.situation = field(situation);
        t.language = field(lang);
        t.text = field(text);
        if (t.situation.empty() || t.language.empty() || t.text.empty())
            return parity_error(origin, row + ": situation, lang and text must not be empty");
        auto k = kind_from_string(field(kind));
        if (!k)
            return parity_error(origin, row + " (" + t.situation + "): unknown kind \"" + field(kind) +
                                            "\"; use complaint, gratitude, question, suggestion, spam, "
                                            "automatic or other");
        auto s = severity_from_string(field(severity));
        if (!s)
            return parity_error(origin, row + " (" + t.situation + "): severity must be normal or major, not \"" +
                                            field(severity) + "\"");
        t.kind = *k;
        t.severity = *s;
        if (!seen.insert({t.situation, t.language}).second)
            return parity_error(origin, row + ": situation " + t.situation + " has a second text in " + t.language +
                                            "; give each language one version");
        if (auto first = first_of.find(t.situation); first != first_of.end()) {
            const auto& f = out[first->second];
            if (f.kind != t.kind || f.severity != t.severity)
                return parity_error(origin, row + ": situation " + t.situation + " is " + verdict(f.kind, f.severity) +
                                                " in " + f.language + " but " + verdict(t.kind, t.severity) + " in " +
                                                t.language + "; a situation has one expected verdict");
        } else {
            first_of.emplace(t.situation, out.size());
        }
        out.push_back(std::move(t));
    }
    return out;
}

Result<std::vector<ParityText>> load_parity_csv(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return make_error("classify.parity", path.string() + ": cannot open; check the path given to --parity");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_parity_csv(text.str(), path.string());
}

bool ParityReport::Situation::kind_agrees() const
{
    return std::all_of(got.begin(), got.end(), [&](const Got& g) { return g.kind == got.front().kind; });
}

bool ParityReport::Situation::major_agrees() const
{
    return std::all_of(got.begin(), got.end(), [&](const Got& g) { return g.severity == got.front().severity; });
}

bool ParityReport::Situation::all_right() const
{
    return std::all_of(got.begin(), got.end(), [&](const Got& g) { return g.kind == kind && g.severity == severity; });
}

std::size_t ParityReport::kind_agreeing() const
{
    return static_cast<std::size_t>(
        std::count_if(situations.begin(), situations.end(), [](const Situation& s) { return s.kind_agrees(); }));
}

std::size_t ParityReport::major_agreeing() const
{
    return static_cast<std::size_t>(
        std::count_if(situations.begin(), situations.end(), [](const Situation& s) { return s.major_agrees(); }));
}

double ParityReport::kind_agreement() const
{
    return share(kind_agreeing(), situations.size());
}

double ParityReport::major_agreement() const
{
    return share(major_agreeing(), situations.size());
}

std::vector<std::string> ParityReport::languages() const
{
    std::vector<std::string> out;
    for (const auto& [language, counts] : by_language)
        out.push_back(language);
    return out;
}

nlohmann::json ParityReport::to_json() const
{
    nlohmann::json j;
    j["source"] = source;
    j["situations"] = situations.size();
    j["texts"] = all.n;
    j["all"] = counts_json(all);
    j["by_language"] = nlohmann::json::object();
    for (const auto& [language, counts] : by_language)
        j["by_language"][language] = counts_json(counts);
    j["agreement"] = {{"kind", round4(kind_agreement())},
                      {"kind_agreeing", kind_agreeing()},
                      {"major", round4(major_agreement())},
                      {"major_agreeing", major_agreeing()}};
    auto situation_json = [](const Situation& s) {
        nlohmann::json got = nlohmann::json::object();
        for (const auto& g : s.got)
            got[g.language] = {
                {"kind", to_string(g.kind)}, {"severity", to_string(g.severity)}, {"detected", g.detected}};
        return nlohmann::json{{"situation", s.name},
                              {"expected", {{"kind", to_string(s.kind)}, {"severity", to_string(s.severity)}}},
                              {"kind_agrees", s.kind_agrees()},
                              {"major_agrees", s.major_agrees()},
                              {"got", got}};
    };
    j["disagreeing"] = nlohmann::json::array();
    j["agreeing_but_wrong"] = nlohmann::json::array();
    for (const auto& s : situations) {
        if (!s.kind_agrees() || !s.major_agrees())
            j["disagreeing"].push_back(situation_json(s));
        else if (!s.all_right())
            j["agreeing_but_wrong"].push_back(situation_json(s));
    }
    return j;
}

std::string ParityReport::to_text() const
{
    std::ostringstream out;
    out << "parity set " << source << ": " << situations.size() << " situations, " << all.n << " texts\n\n";
    char line[160];
    std::snprintf(line, sizeof line, "%-8s %5s %8s %9s %9s\n", "language", "texts", "kind", "severity", "detected");
    out << line;
    auto row = [&](const std::string& name, const Counts& c) {
        std::snprintf(line, sizeof line, "%-8s %5zu %8s %9s %9s\n", name.c_str(), c.n,
                      fixed3(share(c.kind_right, c.n)).c_str(), fixed3(share(c.severity_right, c.n)).c_str(),
                      fixed3(share(c.language_right, c.n)).c_str());
        out << line;
    };
    for (const auto& [language, counts] : by_language)
        row(language, counts);
    row("all", all);
    out << "\nagreement across languages: kind " << kind_agreeing() << "/" << situations.size() << " ("
        << fixed3(kind_agreement()) << "), major " << major_agreeing() << "/" << situations.size() << " ("
        << fixed3(major_agreement()) << ")\n";
    auto list = [&](const Situation& s) {
        out << "  " << s.name << " (expected " << verdict(s.kind, s.severity) << "):";
        for (const auto& g : s.got) {
            out << " " << g.language << " " << verdict(g.kind, g.severity);
            if (g.detected != g.language)
                out << " (read as " << g.detected << ")";
            out << ";";
        }
        out << "\n";
    };
    bool any = false;
    for (const auto& s : situations)
        if (!s.kind_agrees() || !s.major_agrees()) {
            if (!any)
                out << "\nsituations whose languages disagree:\n";
            any = true;
            list(s);
        }
    any = false;
    for (const auto& s : situations)
        if (s.kind_agrees() && s.major_agrees() && !s.all_right()) {
            if (!any)
                out << "\nsituations that agree but are wrong:\n";
            any = true;
            list(s);
        }
    return out.str();
}

ParityReport evaluate_parity(const Classifier& classifier, const std::vector<ParityText>& texts, std::string source)
{
    ParityReport report;
    report.source = std::move(source);
    std::map<std::string, std::size_t> index;
    for (const auto& t : texts) {
        auto c = classifier.classify_text({}, t.text);
        auto [it, added] = index.emplace(t.situation, report.situations.size());
        if (added)
            report.situations.push_back({t.situation, t.kind, t.severity, {}});
        report.situations[it->second].got.push_back({t.language, c.kind, c.severity, c.language});
        for (auto* counts : {&report.by_language[t.language], &report.all}) {
            ++counts->n;
            counts->kind_right += c.kind == t.kind ? 1 : 0;
            counts->severity_right += c.severity == t.severity ? 1 : 0;
            counts->language_right += c.language == t.language ? 1 : 0;
        }
    }
    return report;
}

}  // namespace redress::classify
