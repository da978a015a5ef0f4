#include "template_set.hpp"

#include "common/text.hpp"
#include "letter_words.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace redress::letters {

namespace {

bool valid_language_dir(std::string_view name)
{
    // ISO 639-1 code, optionally with a region ("pt-br"); lower case so lookups are exact.
    auto letters = [](std::string_view s) {
        return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    };
    if (name.size() == 2)
        return letters(name);
    return name.size() == 5 && name[2] == '-' && letters(name.substr(0, 2)) && letters(name.substr(3));
}

bool valid_template_name(std::string_view name)
{
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

}  // namespace

const std::vector<std::string_view>& customer_templates()
{
    static const std::vector<std::string_view> k_names{"acknowledgement",
                                                       "question_received",
                                                       "suggestion_received",
                                                       "gratitude_received",
                                                       "apology",
                                                       "unjustified",
                                                       "resolution",
                                                       "survey",
                                                       "reply"};
    return k_names;
}

const std::vector<std::string_view>& alert_templates()
{
    static const std::vector<std::string_view> k_names{"escalation",     "deadline_warning", "major_complaint",
                                                       "second_level",   "delivery_failure", "ticket_assigned",
                                                       "action_overdue", "customer_wrote"};
    return k_names;
}

const std::vector<std::string_view>& chat_templates()
{
    static const std::vector<std::string> k_owned = [] {
        std::vector<std::string> names;
        for (std::string_view name : customer_templates())
            names.push_back(chat_variant(name));
        return names;
    }();
    static const std::vector<std::string_view> k_names(k_owned.begin(), k_owned.end());
    return k_names;
}

std::string chat_variant(std::string_view name)
{
    return std::string(k_chat_prefix) + std::string(name);
}

bool is_chat_channel(std::string_view channel)
{
    return channel.starts_with("chat:");
}

std::string base_language(std::string_view language)
{
    std::string lower = ascii_lower(trim(language));
    auto cut = lower.find_first_of("-_");
    if (cut != std::string::npos)
        lower.erase(cut);
    return lower;
}

LoadReport TemplateSet::from_sources(const std::vector<TemplateSource>& sources, RequireProductTemplates require,
                                     std::string_view root)
{
    LoadReport report;
    TemplateSet set;
    for (const TemplateSource& source : sources) {
        if (!valid_language_dir(source.language)) {
            report.problems.push_back(source.origin + ":1: the folder '" + source.language +
                                      "' is not a language code; name it by ISO 639-1, like 'ru' or 'pt'");
            continue;
        }
        if (!valid_template_name(source.name)) {
            report.problems.push_back(source.origin + ":1: '" + source.name +
                                      "' is not a template name; use lower-case letters, digits and '_'");
            continue;
        }
        auto parsed = LetterTemplate::parse(source.text, source.origin);
        report.problems.insert(report.problems.end(), parsed.problems.begin(), parsed.problems.end());
        if (!parsed.letter)
            continue;
        const auto& required = parsed.letter->required();
        // A chat variant (chat_<name>) follows the rule of the letter it stands for.
        std::string_view letter = source.name;
        if (letter.starts_with(k_chat_prefix))
            letter.remove_prefix(k_chat_prefix.size());
        bool ticket_letter =
            std::find(alert_templates().begin(), alert_templates().end(), letter) != alert_templates().end() ||
            std::find(customer_templates().begin(), customer_templates().end(), letter) != customer_templates().end();
        if (ticket_letter && letter != "delivery_failure" &&
            std::find(required.begin(), required.end(), "ticket.number") == required.end()) {
            report.problems.push_back(source.origin +
                                      ":1: this letter belongs to a ticket; start or end the subject with "
                                      "[{{ticket.number}}] and name the number in the body");
            continue;
        }
        set.m_templates[source.language].emplace(source.name, std::move(*parsed.letter));
        set.m_sources.push_back(source);
    }
    if (require == RequireProductTemplates::yes) {
        for (const auto* list : {&customer_templates(), &alert_templates(), &chat_templates()}) {
            for (std::string_view name : *list) {
                if (!set.has(name, k_fallback_language) &&
                    std::none_of(sources.begin(), sources.end(), [&](const TemplateSource& s) {
                        return s.language == k_fallback_language && s.name == name;
                    }))
                    report.problems.push_back(
                        (std::filesystem::path(root) / "en" / std::string(name)).string() +
                        ".txt:1: missing; every product letter needs an English version, the fallback for "
                        "languages without their own");
            }
        }
    }
    if (report.problems.empty())
        report.templates = std::move(set);
    return report;
}

LoadReport TemplateSet::with_replaced(const std::vector<TemplateSource>& replacements) const
{
    std::vector<TemplateSource> sources = m_sources;
    for (const auto& r : replacements) {
        auto same = std::find_if(sources.begin(), sources.end(),
                                 [&](const TemplateSource& s) { return s.language == r.language && s.name == r.name; });
        if (same == sources.end())
            sources.push_back(r);
        else
            *same = r;
    }
    return from_sources(sources, RequireProductTemplates::yes);
}

const TemplateSource* TemplateSet::source(std::string_view name, std::string_view language) const
{
    for (const auto& s : m_sources)
        if (s.name == name && s.language == language)
            return &s;
    return nullptr;
}

LoadReport TemplateSet::load(const std::filesystem::path& dir)
{
    namespace fs = std::filesystem;
    std::vector<TemplateSource> sources;
    std::vector<std::string> problems;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        LoadReport report;
        report.problems.push_back(
            dir.string() +
            ":1: not a folder of templates; set templates_dir in the config to the folder that holds en/, ru/, ...");
        return report;
    }
    std::vector<fs::path> files;
    for (const auto& lang : fs::directory_iterator(dir, ec)) {
        if (!lang.is_directory())
            continue;  // README.md and other notes beside the language folders
        for (const auto& file : fs::directory_iterator(lang.path(), ec)) {
            if (file.is_regular_file() && file.path().extension() == ".txt")
                files.push_back(file.path());
        }
    }
    if (ec)
        problems.push_back(dir.string() + ":1: cannot list the folder: " + ec.message());
    // Sorted, so problems come out in the same order on every machine.
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        if (!in) {
            problems.push_back(path.string() + ":1: cannot read the file; check its permissions");
            continue;
        }
        sources.push_back(
            TemplateSource{path.parent_path().filename().string(), path.stem().string(), path.string(), content.str()});
    }
    LoadReport report = from_sources(sources, RequireProductTemplates::yes, dir.string());
    if (!problems.empty()) {
        report.problems.insert(report.problems.begin(), problems.begin(), problems.end());
        report.templates.reset();
    }
    return report;
}

TemplateSet::Found TemplateSet::lookup(std::string_view name, std::string_view language) const
{
    std::string wanted = ascii_lower(trim(language));
    // The exact language with its region ("pt-br") first, then the base language, then English.
    for (const std::string& lang : {wanted, base_language(wanted), std::string(k_fallback_language)}) {
        auto by_lang = m_templates.find(lang);
        if (by_lang == m_templates.end())
            continue;
        auto it = by_lang->second.find(name);
        if (it != by_lang->second.end())
            return Found{&it->second, lang};
    }
    return {};
}

bool TemplateSet::has_own(std::string_view name, std::string_view language) const
{
    std::string wanted = ascii_lower(trim(language));
    return has(name, wanted) || has(name, base_language(wanted));
}

std::string TemplateSet::name_for_channel(std::string_view name, std::string_view language,
                                          std::string_view channel) const
{
    if (!is_chat_channel(channel))
        return std::string(name);
    std::string chat = chat_variant(name);
    if (has_own(chat, language))
        return chat;
    if (has_own(name, language))
        return std::string(name);
    if (has(chat, k_fallback_language))
        return chat;
    return std::string(name);
}

const LetterTemplate* TemplateSet::find(std::string_view name, std::string_view language) const
{
    return lookup(name, language).letter;
}

bool TemplateSet::has(std::string_view name, std::string_view language) const
{
    auto by_lang = m_templates.find(language);
    return by_lang != m_templates.end() && by_lang->second.find(name) != by_lang->second.end();
}

Result<Rendered> TemplateSet::render(std::string_view name, std::string_view language, const Values& values) const
{
    return render(name, language, [&](std::string_view) { return values; });
}

Result<Rendered> TemplateSet::render(std::string_view name, std::string_view language,
                                     const ValuesFor& values_for) const
{
    Found found = lookup(name, language);
    if (!found.letter)
        return make_error(ErrorKind::not_found, "letters.no_template",
                          "no template '" + std::string(name) + "' in '" + std::string(language) +
                              "' nor in English; add templates/en/" + std::string(name) + ".txt");
    Values values = values_for(found.language);
    add_code_words(values, found.language);
    Rendered rendered = TRY(found.letter->render(values));
    rendered.language = found.language;
    return rendered;
}

std::optional<std::string> TemplateSet::language_used(std::string_view name, std::string_view language) const
{
    Found found = lookup(name, language);
    if (!found.letter)
        return std::nullopt;
    return found.language;
}

std::vector<std::string> TemplateSet::languages() const
{
    std::vector<std::string> out;
    for (const auto& [lang, _] : m_templates)
        out.push_back(lang);
    return out;
}

std::vector<std::string> TemplateSet::names() const
{
    std::set<std::string> all;
    for (const auto& [_, by_name] : m_templates)
        for (const auto& [name, __] : by_name)
            all.insert(name);
    return {all.begin(), all.end()};
}

}  // namespace redress::letters
