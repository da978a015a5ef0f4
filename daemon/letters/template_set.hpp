#pragma once
// All letter templates, by language and name: templates/<lang>/<name>.txt. Loaded at start-up
// (and on SIGHUP); rendering afterwards is pure.

#include "letter_template.hpp"

#include "common/result.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::letters {

// The templates the product sends. Customer letters and letters to staff about a ticket must carry
// the ticket tag; delivery_failure may concern a letter that belongs to no ticket.
// To customers, in every language: acknowledgement, question_received, suggestion_received,
// gratitude_received, apology, unjustified, resolution, survey, reply.
const std::vector<std::string_view>& customer_templates();
// To staff, in English and Russian at least: escalation, deadline_warning, major_complaint,
// second_level, delivery_failure, ticket_assigned, action_overdue, customer_wrote.
const std::vector<std::string_view>& alert_templates();
// The chat variants of the customer letters, "chat_" + each name above: the same letter, short
// and in plain text, for a customer who wrote to a chat (no subject line, no "reply to this
// letter"). Required in English like the others; see TemplateSet::name_for_channel.
const std::vector<std::string_view>& chat_templates();
inline constexpr std::string_view k_chat_prefix = "chat_";
inline constexpr std::string_view k_fallback_language = "en";

// "acknowledgement" -> "chat_acknowledgement".
std::string chat_variant(std::string_view name);
// True for a channel that is a chat ("chat:tg"), false for "email", "drop", ...
bool is_chat_channel(std::string_view channel);

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
    // Errors: "letters.no_template" (not_found) when neither exists, "letters.missing_value" when a
    // value the template needs is missing or empty. Rendered::language says which language was used.
    // The words for codes (ticket.status_text from ticket.status, ..., see add_code_words) are added
    // in that language.
    Result<Rendered> render(std::string_view name, std::string_view language, const Values& values) const;

    // The same, with values built for the language of the template actually used: `values_for`
    // is called once with that language ("en" after a fallback), so the times it writes
    // (format_time_for_letter) are in the letter's language, never in the customer's when the
    // letter fell back to English.
    using ValuesFor = std::function<Values(std::string_view letter_language)>;
    Result<Rendered> render(std::string_view name, std::string_view language, const ValuesFor& values_for) const;

    // The language render() would use for `name` asked in `language` ("uk" -> "en" when uk/ lacks
    // it), or nullopt when no template of that name exists.
    std::optional<std::string> language_used(std::string_view name, std::string_view language) const;

    // The template to render for letter `name` to a customer writing in `language` on `channel`.
    // On a chat channel ("chat:<name>"), the chat variant (chat_<name>) in the customer's language
    // when it exists there; else the email template when that exists in the customer's language
    // (their own language matters more than the shorter form); else the English chat variant; else
    // `name`. On any other channel, `name` itself. A region ("pt-BR") counts as its base language,
    // as in render().
    std::string name_for_channel(std::string_view name, std::string_view language, std::string_view channel) const;

    // The template that render() would use, or nullptr.
    const LetterTemplate* find(std::string_view name, std::string_view language) const;
    bool has(std::string_view name, std::string_view language) const;
    // The same set with some templates replaced or added (a manager's edits kept in the database),
    // checked exactly as files are: the report names every problem, with its line.
    LoadReport with_replaced(const std::vector<TemplateSource>& replacements) const;
    // The text a template was loaded from (exactly this language), or nullptr.
    const TemplateSource* source(std::string_view name,
                                 std::string_view language) const;  // exactly this language, no fallback

    std::vector<std::string> languages() const;  // sorted
    std::vector<std::string> names() const;      // sorted, over all languages

private:
    struct Found {
        const LetterTemplate* letter = nullptr;
        std::string language;
    };
    Found lookup(std::string_view name, std::string_view language) const;
    // Whether `name` exists in `language` itself or its base language, without the English fallback.
    bool has_own(std::string_view name, std::string_view language) const;

    // language -> name -> template
    std::map<std::string, std::map<std::string, LetterTemplate, std::less<>>, std::less<>> m_templates;
    std::vector<TemplateSource> m_sources;  // what the templates were parsed from, for with_replaced()
};

struct LoadReport {
    std::optional<TemplateSet> templates;  // set only when problems is empty
    std::vector<std::string> problems;     // "<file>:<line>: what is wrong; the fix", every one found
};

}  // namespace redress::letters
