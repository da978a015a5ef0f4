#pragma once
// All letter templates, by language and name: templates/<lang>/<name>.txt. Loaded at start-up
// (and on SIGHUP); rendering afterwards is pure.

#include "letter_template.hpp"

#include "common/result.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::letters {

// The templates the product sends. Customer letters and alerts about a ticket must carry the
// ticket tag; delivery_failure may concern a letter that belongs to no ticket.
const std::vector<std::string_view>& customer_templates();  // acknowledgement, apology, resolution, unjustified, survey
const std::vector<std::string_view>& alert_templates();     // escalation, deadline_warning, major_complaint, second_level, delivery_failure
inline constexpr std::string_view k_fallback_language = "en";

// "pt-BR", "PT_br", " pt " -> "pt": templates are per base language.
std::string base_language(std::string_view language);

// One template file's content and where it came from, for loading without the file system.
struct TemplateSource {
    std::string language;  // directory name: "ru"
    std::string name;      // file name without ".txt": "acknowledgement"
    std::string origin;    // path for problems: "templates/ru/acknowledgement.txt"
    std::string text;
};

struct LoadReport;

class TemplateSet {
public:
    // Reads every <dir>/<lang>/*.txt. Also requires English versions of every product template
    // (the fallback of last resort).
    static LoadReport load(const std::filesystem::path& dir);
    // The same checks over sources already in memory (tests, or templates kept in the database).
    // `require_product_templates` asks for the English product templates too.
    enum class RequireProductTemplates { no, yes };
    // `root` names the folder in the problem about a missing English template.
    static LoadReport from_sources(const std::vector<TemplateSource>& sources, RequireProductTemplates require,
                                   std::string_view root = "templates");

    // Renders `name` in `language`, falling back to English when that language lacks the template.
    // Errors: "letters.no_template" when neither exists, "letters.missing_value" when a value the
    // template needs is missing or empty. Rendered::language says which language was used.
    Result<Rendered> render(std::string_view name, std::string_view language, const Values& values) const;

    // The template that render() would use, or nullptr.
    const LetterTemplate* find(std::string_view name, std::string_view language) const;
    bool has(std::string_view name, std::string_view language) const;  // exactly this language, no fallback

    std::vector<std::string> languages() const;  // sorted
    std::vector<std::string> names() const;      // sorted, over all languages

private:
    struct Found {
        const LetterTemplate* letter = nullptr;
        std::string language;
    };
    Found lookup(std::string_view name, std::string_view language) const;

    // language -> name -> template
    std::map<std::string, std::map<std::string, LetterTemplate, std::less<>>, std::less<>> m_templates;
};

struct LoadReport {
    std::optional<TemplateSet> templates;  // set only when problems is empty
    std::vector<std::string> problems;     // "<file>:<line>: what is wrong; the fix", every one found
};

}  // namespace redress::letters
