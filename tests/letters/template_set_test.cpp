#include "letters/letter_time.hpp"
#include "letters/template_set.hpp"

#include "common/time.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace redress::letters {
namespace {

const std::filesystem::path k_shipped = std::filesystem::path(REDRESS_SOURCE_DIR) / "templates";
const std::filesystem::path k_data = std::filesystem::path(REDRESS_SOURCE_DIR) / "tests" / "letters" / "data";
const std::vector<std::string> k_languages{"be", "de", "en", "es", "pt", "ru", "uk"};

const TemplateSet& shipped()
{
    static const LoadReport report = TemplateSet::load(k_shipped);
    if (!report.templates) {
        std::string all;
        for (const auto& p : report.problems)
            all += p + "\n";
        throw std::runtime_error("shipped templates do not load:\n" + all);
    }
    return *report.templates;
}

// A value for every known placeholder, with times written the way the caller will write them.
Values full_values(std::string_view language)
{
    auto at = [&](const char* iso) { return format_time_for_letter(*parse_iso8601(iso), language, "Europe/Moscow"); };
    Values v;
    for (std::string_view name : known_placeholders())
        v[std::string(name)] = "<" + std::string(name) + ">";
    v["ticket.number"] = "RD-000123";
    v["ticket.received_at"] = at("2026-11-26T08:45:00Z");
    v["ticket.first_response_due"] = at("2026-11-26T09:25:00Z");
    v["ticket.resolution_due"] = at("2026-11-28T15:00:00Z");
    v["alert.due"] = at("2026-11-26T09:25:00Z");
    v["customer.name"] = "Анна Петрова";
    v["message.excerpt"] = "> Заказ 5531 пришёл разбитым.\n> Прошу заменить.";
    return v;
}

// Only the values a template cannot do without: the sections must carry the rest.
Values required_values(const LetterTemplate& letter, std::string_view language)
{
    Values full = full_values(language);
    Values v;
    for (const auto& name : letter.required())
        v[name] = full[name];
    return v;
}

std::vector<std::string> all_names()
{
    std::vector<std::string> names;
    for (const auto* list : {&customer_templates(), &alert_templates()})
        for (std::string_view n : *list)
            names.emplace_back(n);
    return names;
}

bool contains(std::string_view haystack, std::string_view needle)
{
    return haystack.find(needle) != std::string_view::npos;
}

TEST(TemplateSet, ShippedTemplatesLoadWithoutProblems)
{
    auto report = TemplateSet::load(k_shipped);
    for (const auto& problem : report.problems)
        ADD_FAILURE() << problem;
    ASSERT_TRUE(report.templates);
    EXPECT_EQ(report.templates->languages(), k_languages);
}

TEST(TemplateSet, CustomerLettersExistInEverySupportedLanguageAndAlertsInEnglishAndRussian)
{
    for (const auto& lang : k_languages)
        for (std::string_view name : customer_templates())
            EXPECT_TRUE(shipped().has(name, lang)) << lang << "/" << name;
    for (const auto& lang : {"en", "ru"})
        for (std::string_view name : alert_templates())
            EXPECT_TRUE(shipped().has(name, lang)) << lang << "/" << name;
}

TEST(TemplateSet, EveryTemplateRendersInEveryLanguageWithAFullSetOfValues)
{
    int rendered_count = 0;
    for (const auto& lang : k_languages) {
        for (const auto& name : all_names()) {
            auto rendered = shipped().render(name, lang, full_values(lang));
            ASSERT_TRUE(rendered) << lang << "/" << name << ": " << rendered.error().message;
            ++rendered_count;
            SCOPED_TRACE(lang + "/" + name);
            EXPECT_EQ(rendered->language, shipped().has(name, lang) ? lang : "en");
            EXPECT_FALSE(contains(rendered->subject, "{{"));
            EXPECT_FALSE(contains(rendered->body, "{{"));
            EXPECT_FALSE(contains(rendered->body, "\n\n\n")) << rendered->body;
            EXPECT_FALSE(contains(rendered->body, " \n")) << "trailing space in\n" << rendered->body;
            EXPECT_EQ(rendered->subject.rfind("[RD-000123]", 0), 0u) << rendered->subject;
            EXPECT_TRUE(contains(rendered->body, "RD-000123")) << "the body names the ticket number";
        }
    }
    EXPECT_EQ(rendered_count, 7 * 10);
}

TEST(TemplateSet, EveryTemplateRendersWithOnlyItsRequiredValues)
{
    for (const auto& lang : k_languages) {
        for (const auto& name : all_names()) {
            const LetterTemplate* letter = shipped().find(name, lang);
            ASSERT_NE(letter, nullptr) << lang << "/" << name;
            auto rendered = shipped().render(name, lang, required_values(*letter, lang));
            ASSERT_TRUE(rendered) << lang << "/" << name << ": " << rendered.error().message;
            EXPECT_FALSE(contains(rendered->body, "\n\n\n")) << lang << "/" << name << "\n" << rendered->body;
            EXPECT_FALSE(contains(rendered->body, " \n")) << lang << "/" << name << "\n" << rendered->body;
        }
    }
}

TEST(TemplateSet, CustomerLettersNeedNoMoreThanTheTicketAndTheCompany)
{
    // What the pipeline always has: a letter must not fail for want of a manager's note.
    for (const auto& lang : k_languages) {
        for (std::string_view name : customer_templates()) {
            for (const auto& required : shipped().find(name, lang)->required())
                EXPECT_TRUE(required.rfind("ticket.", 0) == 0 || required.rfind("company.", 0) == 0)
                    << lang << "/" << name << " requires " << required;
        }
    }
}

TEST(TemplateSet, AcknowledgementPromisesTheConcreteFirstResponseTime)
{
    Values v = full_values("ru");
    v["ticket.first_response_due"] = format_time_for_letter(*parse_iso8601("2026-11-26T09:25:00Z"), "ru", "Europe/Moscow");
    auto ru = shipped().render("acknowledgement", "ru", v);
    ASSERT_TRUE(ru);
    EXPECT_TRUE(contains(ru->body, "не позднее 26 ноября 2026, 12:25 (Europe/Moscow)")) << ru->body;
    EXPECT_TRUE(contains(ru->body, "под номером RD-000123")) << ru->body;

    Values en_values = full_values("en");
    auto en = shipped().render("acknowledgement", "en", en_values);
    EXPECT_TRUE(contains(en->body, "by 26 November 2026, 12:25 (Europe/Moscow) at the latest")) << en->body;

    // No deadline known: no invented time, a plain promise instead.
    v.erase("ticket.first_response_due");
    auto vague = shipped().render("acknowledgement", "ru", v);
    ASSERT_TRUE(vague);
    EXPECT_FALSE(contains(vague->body, "не позднее"));
    EXPECT_TRUE(contains(vague->body, "в ближайшее время"));
}

TEST(TemplateSet, GreetsByNameOnlyWhenTheNameIsKnown)
{
    Values v = full_values("de");
    auto named = shipped().render("acknowledgement", "de", v);
    EXPECT_EQ(named->body.rfind("Guten Tag Анна Петрова,\n", 0), 0u) << named->body;
    v.erase("customer.name");
    auto anonymous = shipped().render("acknowledgement", "de", v);
    EXPECT_EQ(anonymous->body.rfind("Guten Tag,\n\nvielen Dank", 0), 0u) << anonymous->body;
}

TEST(TemplateSet, FallsBackToEnglishWhenTheLanguageLacksTheTemplate)
{
    auto rendered = shipped().render("escalation", "de", full_values("de"));
    ASSERT_TRUE(rendered);
    EXPECT_EQ(rendered->language, "en");
    EXPECT_TRUE(contains(rendered->subject, "Deadline missed"));

    auto unknown_language = shipped().render("acknowledgement", "fr", full_values("fr"));
    ASSERT_TRUE(unknown_language);
    EXPECT_EQ(unknown_language->language, "en");
}

TEST(TemplateSet, RegionalLanguageUsesItsBaseLanguage)
{
    auto rendered = shipped().render("acknowledgement", "pt-BR", full_values("pt"));
    ASSERT_TRUE(rendered);
    EXPECT_EQ(rendered->language, "pt");
    EXPECT_TRUE(contains(rendered->subject, "reclamação"));
    EXPECT_EQ(shipped().render("survey", " RU ", full_values("ru"))->language, "ru");
}

TEST(TemplateSet, UnknownTemplateIsAnError)
{
    auto rendered = shipped().render("no_such_letter", "ru", full_values("ru"));
    ASSERT_FALSE(rendered);
    EXPECT_EQ(rendered.error().code, "letters.no_template");
}

TEST(TemplateSet, MissingValueIsAnError)
{
    auto rendered = shipped().render("acknowledgement", "en", {{"ticket.number", "RD-000001"}});
    ASSERT_FALSE(rendered);
    EXPECT_EQ(rendered.error().code, "letters.missing_value");
    EXPECT_TRUE(contains(rendered.error().message, "company.name"));
}

TEST(TemplateSet, LoadReportsEveryBrokenFileWithFileAndLine)
{
    // data/broken: en/acknowledgement.txt has a misspelt placeholder on line 5, ru/apology.txt
    // starts without its Subject line, notes.md beside the language folders is ignored.
    auto report = TemplateSet::load(k_data / "broken");
    EXPECT_FALSE(report.templates);
    std::string all;
    for (const auto& p : report.problems)
        all += p + "\n";
    auto has = [&](std::string_view what) { return contains(all, what); };
    EXPECT_TRUE(has((k_data / "broken" / "en" / "acknowledgement.txt").string() + ":5: unknown placeholder {{ticket.numbr}}")) << all;
    EXPECT_TRUE(has("did you mean {{ticket.number}}")) << all;
    EXPECT_TRUE(has((k_data / "broken" / "ru" / "apology.txt").string() + ":1: the first line must be the subject")) << all;
    EXPECT_TRUE(has((k_data / "broken" / "en" / "survey.txt").string() + ":1: missing")) << all;
}

TEST(TemplateSet, LoadReportsAMissingFolder)
{
    auto report = TemplateSet::load(k_data / "does-not-exist");
    EXPECT_FALSE(report.templates);
    ASSERT_EQ(report.problems.size(), 1u);
    EXPECT_TRUE(contains(report.problems[0], "not a folder of templates"));
}

TEST(TemplateSet, FromSourcesChecksLanguageFoldersAndTicketTags)
{
    std::vector<TemplateSource> sources{
        {"russian", "acknowledgement", "x/russian/acknowledgement.txt", "Subject: [{{ticket.number}}] a\n\nb\n"},
        {"en", "Bad Name", "x/en/Bad Name.txt", "Subject: a\n\nb\n"},
        {"en", "apology", "x/en/apology.txt", "Subject: Sorry\n\nWe are sorry.\n"},
        {"en", "thanks", "x/en/thanks.txt", "Subject: Thanks\n\nThank you, {{customer.name}}.\n"},
    };
    auto report = TemplateSet::from_sources(sources, TemplateSet::RequireProductTemplates::no);
    ASSERT_EQ(report.problems.size(), 3u);
    EXPECT_TRUE(contains(report.problems[0], "x/russian/acknowledgement.txt:1: the folder 'russian' is not a language code"));
    EXPECT_TRUE(contains(report.problems[1], "x/en/Bad Name.txt:1: 'Bad Name' is not a template name"));
    EXPECT_TRUE(contains(report.problems[2], "x/en/apology.txt:1: this letter belongs to a ticket"));

    // A letter of the company's own (not a product letter) may do without a ticket.
    auto ok = TemplateSet::from_sources({sources[3]}, TemplateSet::RequireProductTemplates::no);
    ASSERT_TRUE(ok.templates);
    EXPECT_EQ(ok.templates->names(), std::vector<std::string>{"thanks"});
}

TEST(TemplateSet, RequiresEnglishVersionsOfProductLetters)
{
    std::vector<TemplateSource> only_russian{
        {"ru", "acknowledgement", "t/ru/acknowledgement.txt", "Subject: [{{ticket.number}}] Получено\n\nНомер {{ticket.number}}.\n"}};
    auto report = TemplateSet::from_sources(only_russian, TemplateSet::RequireProductTemplates::yes, "t");
    EXPECT_FALSE(report.templates);
    EXPECT_EQ(report.problems.size(), customer_templates().size() + alert_templates().size());
    EXPECT_TRUE(contains(report.problems.front(), "t/en/acknowledgement.txt:1: missing"));
}

TEST(TemplateSet, ReadmeDocumentsEveryPlaceholder)
{
    std::ifstream in(k_shipped / "README.md");
    std::stringstream readme;
    readme << in.rdbuf();
    for (std::string_view name : known_placeholders())
        EXPECT_TRUE(contains(readme.str(), "`" + std::string(name) + "`")) << name << " is not in templates/README.md";
}

}  // namespace
}  // namespace redress::letters
