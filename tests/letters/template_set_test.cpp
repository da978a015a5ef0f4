#include "letters/letter_time.hpp"
#include "letters/letter_words.hpp"
#include "letters/template_set.hpp"

#include "common/time.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
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
    for (const auto* list : {&customer_templates(), &alert_templates(), &chat_templates()})
        for (std::string_view n : *list)
            names.emplace_back(n);
    return names;
}

// The customer letters and their chat variants.
std::vector<std::string> customer_names()
{
    std::vector<std::string> names;
    for (const auto* list : {&customer_templates(), &chat_templates()})
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
    EXPECT_EQ(rendered_count, 7 * static_cast<int>(all_names().size()));
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
        for (const std::string& name : customer_names()) {
            for (const auto& required : shipped().find(name, lang)->required()) {
                // A person's reply carries what the person wrote; nothing else is needed.
                if ((name == "reply" || name == "chat_reply") && required == "reply.text")
                    continue;
                EXPECT_TRUE(required.rfind("ticket.", 0) == 0 || required.rfind("company.", 0) == 0)
                    << lang << "/" << name << " requires " << required;
            }
        }
    }
}

TEST(TemplateSet, AcknowledgementPromisesTheConcreteFirstResponseTime)
{
    Values v = full_values("ru");
    v["ticket.first_response_due"] =
        format_time_for_letter(*parse_iso8601("2026-11-26T09:25:00Z"), "ru", "Europe/Moscow");
    auto ru = shipped().render("acknowledgement", "ru", v);
    ASSERT_TRUE(ru);
    EXPECT_TRUE(contains(ru->body, "не позднее 26 ноября 2026, 12:25 по московскому времени (UTC+3)")) << ru->body;
    EXPECT_TRUE(contains(ru->body, "под номером RD-000123")) << ru->body;

    Values en_values = full_values("en");
    auto en = shipped().render("acknowledgement", "en", en_values);
    EXPECT_TRUE(contains(en->body, "by 26 November 2026, 12:25 Moscow time (UTC+3) at the latest")) << en->body;

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
    EXPECT_TRUE(
        has((k_data / "broken" / "en" / "acknowledgement.txt").string() + ":5: unknown placeholder {{ticket.numbr}}"))
        << all;
    EXPECT_TRUE(has("did you mean {{ticket.number}}")) << all;
    EXPECT_TRUE(has((k_data / "broken" / "ru" / "apology.txt").string() + ":1: the first line must be the subject"))
        << all;
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
    EXPECT_TRUE(
        contains(report.problems[0], "x/russian/acknowledgement.txt:1: the folder 'russian' is not a language code"));
    EXPECT_TRUE(contains(report.problems[1], "x/en/Bad Name.txt:1: 'Bad Name' is not a template name"));
    EXPECT_TRUE(contains(report.problems[2], "x/en/apology.txt:1: this letter belongs to a ticket"));

    // A letter of the company's own (not a product letter) may do without a ticket.
    auto ok = TemplateSet::from_sources({sources[3]}, TemplateSet::RequireProductTemplates::no);
    ASSERT_TRUE(ok.templates);
    EXPECT_EQ(ok.templates->names(), std::vector<std::string>{"thanks"});
}

TEST(TemplateSet, RequiresEnglishVersionsOfProductLetters)
{
    std::vector<TemplateSource> only_russian{{"ru", "acknowledgement", "t/ru/acknowledgement.txt",
                                              "Subject: [{{ticket.number}}] Получено\n\nНомер {{ticket.number}}.\n"}};
    auto report = TemplateSet::from_sources(only_russian, TemplateSet::RequireProductTemplates::yes, "t");
    EXPECT_FALSE(report.templates);
    EXPECT_EQ(report.problems.size(), customer_templates().size() + alert_templates().size() + chat_templates().size());
    EXPECT_TRUE(contains(report.problems.front(), "t/en/acknowledgement.txt:1: missing"));
}

// A value for each code placeholder as the pipeline fills it: the model's codes.
Values with_codes(Values v)
{
    v["ticket.status"] = "action_planned";
    v["ticket.severity"] = "major";
    v["ticket.kind"] = "complaint";
    v["alert.level"] = "second_level";
    v["alert.deadline"] = "first response";
    return v;
}

TEST(TemplateSet, EveryCustomerGetsAnAnswerWhateverTheyWrote)
{
    for (const auto& lang : k_languages) {
        for (const char* name : {"question_received", "suggestion_received", "gratitude_received", "reply"}) {
            EXPECT_TRUE(shipped().has(name, lang)) << lang << "/" << name;
            // Each in its own words: not the complaint acknowledgement under another name.
            EXPECT_NE(shipped().find(name, lang)->origin(), shipped().find("acknowledgement", lang)->origin());
        }
    }
}

TEST(TemplateSet, QuestionAcknowledgementNamesTheTimeAPersonAnswers)
{
    for (const auto& lang : k_languages) {
        Values v = full_values(lang);
        auto rendered = shipped().render("question_received", lang, v);
        ASSERT_TRUE(rendered) << lang << ": " << rendered.error().message;
        EXPECT_TRUE(contains(rendered->body, v["ticket.first_response_due"])) << lang << "\n" << rendered->body;
        EXPECT_TRUE(contains(rendered->body, "RD-000123")) << lang;
    }
    Values v = full_values("ru");
    auto ru = shipped().render("question_received", "ru", v);
    EXPECT_TRUE(contains(ru->body, "не позднее 26 ноября 2026, 12:25 по московскому времени (UTC+3)")) << ru->body;
    v.erase("ticket.first_response_due");
    auto vague = shipped().render("question_received", "ru", v);
    ASSERT_TRUE(vague);
    EXPECT_FALSE(contains(vague->body, "не позднее")) << vague->body;
    EXPECT_FALSE(contains(vague->body, "\n\n\n")) << vague->body;
}

TEST(TemplateSet, ThankYouPromisesToPassItOnWithoutADeadline)
{
    for (const auto& lang : k_languages) {
        Values v = full_values(lang);
        auto rendered = shipped().render("gratitude_received", lang, v);
        ASSERT_TRUE(rendered) << lang;
        EXPECT_FALSE(contains(rendered->body, v["ticket.first_response_due"])) << lang << "\n" << rendered->body;
        EXPECT_FALSE(contains(rendered->body, v["ticket.resolution_due"])) << lang << "\n" << rendered->body;
    }
    auto en = shipped().render("gratitude_received", "en", full_values("en"));
    EXPECT_TRUE(contains(en->body, "pass your words on")) << en->body;
}

TEST(TemplateSet, SuggestionWithoutADeadlineLeavesNoGap)
{
    for (const auto& lang : k_languages) {
        Values v = full_values(lang);
        v.erase("ticket.first_response_due");
        auto rendered = shipped().render("suggestion_received", lang, v);
        ASSERT_TRUE(rendered) << lang;
        EXPECT_FALSE(contains(rendered->body, "\n\n\n")) << lang << "\n" << rendered->body;
    }
}

TEST(TemplateSet, ReplyIsThePersonsTextThenTheirNameAndSignature)
{
    Values v{{"ticket.number", "RD-000123"},
             {"company.name", "Shop"},
             {"company.support_address", "care@shop.test"},
             {"ticket.subject", "Broken parcel"},
             {"reply.text", "Dear Anna,\n\nWe are sending a new vase today.\n\nBest wishes,"},
             {"agent.name", "Olga"},
             {"agent.signature", "Olga Ivanova, customer care\n+351 21 000 0000"}};
    auto rendered = shipped().render("reply", "en", v);
    ASSERT_TRUE(rendered) << rendered.error().message;
    EXPECT_EQ(rendered->subject, "[RD-000123] Shop: Broken parcel");
    EXPECT_EQ(rendered->body.rfind("Dear Anna,\n\nWe are sending a new vase today.\n\nBest wishes,\n\nOlga\nOlga "
                                   "Ivanova, customer care\n+351 21 000 0000\n",
                                   0),
              0u)
        << rendered->body;
    EXPECT_TRUE(contains(rendered->body, "RD-000123"));
    EXPECT_FALSE(contains(rendered->body, "care@shop.test")) << "a signature replaces the team's";

    // Neither name nor signature: the team signs.
    v.erase("agent.name");
    v.erase("agent.signature");
    v.erase("ticket.subject");
    auto bare = shipped().render("reply", "ru", v);
    ASSERT_TRUE(bare);
    EXPECT_EQ(bare->subject, "[RD-000123] Shop: Ваше обращение");
    EXPECT_TRUE(contains(bare->body, "Best wishes,\n\nСлужба заботы о клиентах Shop\ncare@shop.test\n")) << bare->body;
    EXPECT_FALSE(contains(bare->body, "\n\n\n")) << bare->body;

    v.erase("reply.text");
    auto empty = shipped().render("reply", "en", v);
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().code, "letters.missing_value");
}

TEST(TemplateSet, StaffLettersExistInEnglishAndRussian)
{
    for (const char* lang : {"en", "ru"})
        for (const char* name : {"ticket_assigned", "action_overdue", "customer_wrote"})
            EXPECT_TRUE(shipped().has(name, lang)) << lang << "/" << name;
}

TEST(TemplateSet, StaffLettersCarryWordsNotInternalCodes)
{
    const char* staff[] = {"major_complaint",  "deadline_warning", "escalation",     "second_level",
                           "delivery_failure", "ticket_assigned",  "action_overdue", "customer_wrote"};
    for (const char* lang : {"en", "ru"}) {
        for (const char* name : staff) {
            Values v = with_codes(full_values(lang));
            // Only the codes, as the pipeline sends them: the words are the letters module's job.
            for (std::string_view text :
                 {"ticket.status_text", "ticket.severity_text", "ticket.kind_text", "alert.level_text"})
                v.erase(std::string(text));
            auto rendered = shipped().render(name, lang, v);
            ASSERT_TRUE(rendered) << lang << "/" << name << ": " << rendered.error().message;
            SCOPED_TRACE(std::string(lang) + "/" + name);
            for (const char* code : {"action_planned", "second_level", "new_ticket", ": major\n", "<ticket.status>",
                                     "<ticket.severity>", "<alert.level>", "_text>"})
                EXPECT_FALSE(contains(rendered->body, code)) << code << " in\n" << rendered->body;
        }
    }
    auto en = shipped().render("second_level", "en", with_codes(full_values("en")));
    EXPECT_TRUE(contains(en->body, "Status:    corrective actions planned\n")) << en->body;
    EXPECT_TRUE(contains(en->body, "Severity:  major (law, safety or money)\n")) << en->body;
    EXPECT_TRUE(contains(en->body, "Alert:     second level: the first escalation brought no answer\n")) << en->body;
    auto ru = shipped().render("escalation", "ru", with_codes(full_values("ru")));
    EXPECT_TRUE(contains(ru->body, "Статус:    намечены меры по исправлению\n")) << ru->body;
    EXPECT_TRUE(contains(ru->body, "Важность:  серьёзная (закон, безопасность или деньги)\n")) << ru->body;
}

TEST(TemplateSet, AlertReasonsAreAListWhenThereAreSeveral)
{
    Values v = with_codes(full_values("en"));
    v["alert.reasons"] = bullet_list({"law: mentions a court", "money: asks for a refund of 900 EUR"});
    auto rendered = shipped().render("major_complaint", "en", v);
    ASSERT_TRUE(rendered);
    EXPECT_TRUE(
        contains(rendered->body,
                 "Why it looks major:\n- law: mentions a court\n- money: asks for a refund of 900 EUR\nCustomer:"))
        << rendered->body;
    EXPECT_FALSE(contains(rendered->body, "<alert.reason>")) << "the list replaces the single reason";

    v.erase("alert.reasons");
    v["alert.reason"] = "law: mentions a court";
    auto single = shipped().render("major_complaint", "ru", v);
    ASSERT_TRUE(single);
    EXPECT_TRUE(contains(single->body, "Почему:    law: mentions a court\n")) << single->body;
}

TEST(TemplateSet, TicketAssignedTellsTheAssigneeWhatAndByWhen)
{
    Values v = with_codes(full_values("en"));
    v["recipient.name"] = "Olga";
    v["ticket.url"] = "https://redress.shop.test/tickets/RD-000123";
    auto rendered = shipped().render("ticket_assigned", "en", v);
    ASSERT_TRUE(rendered);
    EXPECT_EQ(rendered->subject, "[RD-000123] Assigned to you: <ticket.subject>");
    for (const char* part :
         {"Hello Olga,", "Ticket RD-000123", "Анна Петрова", "Answer by: 26 November 2026, 12:25 Moscow time (UTC+3)",
          "Open:      https://redress.shop.test/tickets/RD-000123", "> Заказ 5531 пришёл разбитым."})
        EXPECT_TRUE(contains(rendered->body, part)) << part << " in\n" << rendered->body;
}

TEST(TemplateSet, ActionOverdueNamesTheActionItsOwnerAndDate)
{
    Values v = with_codes(full_values("ru"));
    v["action.text"] = "Заменить упаковку для стекла";
    v["action.responsible"] = "Склад, Пётр";
    v["action.due"] = format_time_for_letter(*parse_iso8601("2026-11-30T09:00:00Z"), "ru", "Europe/Moscow");
    auto rendered = shipped().render("action_overdue", "ru", v);
    ASSERT_TRUE(rendered);
    for (const char* part : {"Что сделать: Заменить упаковку для стекла", "Кто:       Склад, Пётр",
                             "Срок:      30 ноября 2026, 12:00 по московскому времени (UTC+3)", "RD-000123"})
        EXPECT_TRUE(contains(rendered->body, part)) << part << " in\n" << rendered->body;
    v.erase("action.responsible");
    auto nobody = shipped().render("action_overdue", "ru", v);
    ASSERT_TRUE(nobody);
    EXPECT_FALSE(contains(nobody->body, "Кто:")) << nobody->body;
}

TEST(TemplateSet, CustomerWroteQuotesTheNewMessageToTheAssignee)
{
    Values v = with_codes(full_values("en"));
    v["recipient.name"] = "Olga";
    auto rendered = shipped().render("customer_wrote", "en", v);
    ASSERT_TRUE(rendered);
    EXPECT_TRUE(
        contains(rendered->body, "Анна Петрова has written again about ticket RD-000123, which is assigned to you."))
        << rendered->body;
    EXPECT_TRUE(contains(rendered->body, "> Прошу заменить.")) << rendered->body;
    v.erase("customer.name");
    auto anonymous = shipped().render("customer_wrote", "en", v);
    EXPECT_TRUE(contains(anonymous->body, "The customer has written again")) << anonymous->body;
}

// A staff letter asked for in Ukrainian falls back to English: its dates must be English too.
TEST(TemplateSet, DatesAreWrittenInTheLanguageOfTheTemplateUsed)
{
    std::vector<std::string> asked_for;
    auto values_for = [&](std::string_view letter_language) {
        asked_for.emplace_back(letter_language);
        Values v = with_codes(full_values(letter_language));
        v["alert.due"] = format_time_for_letter(*parse_iso8601("2026-11-30T09:00:00Z"), letter_language, "Europe/Kyiv");
        return v;
    };
    auto rendered = shipped().render("escalation", "uk", values_for);
    ASSERT_TRUE(rendered) << rendered.error().message;
    EXPECT_EQ(rendered->language, "en");
    EXPECT_EQ(asked_for, std::vector<std::string>{"en"});
    EXPECT_TRUE(contains(rendered->body, "30 November 2026, 11:00 Kyiv time (UTC+2)")) << rendered->body;
    EXPECT_TRUE(contains(rendered->body, "Received:  26 November 2026, 11:45 Moscow time (UTC+3)")) << rendered->body;
    EXPECT_FALSE(contains(rendered->body, "листопада")) << rendered->body;
    // The words for codes follow the same language.
    EXPECT_TRUE(contains(rendered->body, "Status:    corrective actions planned")) << rendered->body;

    // A customer letter that exists in Ukrainian is written in Ukrainian, dates included.
    auto uk = shipped().render("acknowledgement", "uk", values_for);
    ASSERT_TRUE(uk);
    EXPECT_EQ(uk->language, "uk");
    EXPECT_TRUE(contains(uk->body, "26 листопада 2026, 11:45 за московським часом (UTC+3)")) << uk->body;

    EXPECT_EQ(shipped().language_used("escalation", "uk").value_or(""), "en");
    EXPECT_EQ(shipped().language_used("escalation", "ru").value_or(""), "ru");
    EXPECT_EQ(shipped().language_used("acknowledgement", "pt-BR").value_or(""), "pt");
    EXPECT_FALSE(shipped().language_used("no_such_letter", "en"));
}

// The plain overload adds the words too, in the language of the template used, replacing words
// a caller may have written in the customer's language.
TEST(TemplateSet, CodeWordsFollowTheTemplateLanguageEvenWithReadyValues)
{
    Values v = with_codes(full_values("uk"));
    v["ticket.status_text"] = "заплановано заходи з виправлення";
    auto rendered = shipped().render("escalation", "uk", v);
    ASSERT_TRUE(rendered);
    EXPECT_EQ(rendered->language, "en");
    EXPECT_TRUE(contains(rendered->body, "Status:    corrective actions planned")) << rendered->body;
}

// --- Chat variants: the same letters for a customer who wrote to a chat. ---

// Characters, not bytes: the subject is the first line of a chat message.
std::size_t utf8_length(std::string_view text)
{
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::size_t paragraphs(std::string_view body)
{
    std::size_t count = 1;
    for (std::size_t at = body.find("\n\n"); at != std::string_view::npos; at = body.find("\n\n", at + 2))
        ++count;
    return count;
}

// What a letter says that makes sense only in mail: a letter to reply to, a subject line to keep the
// number in, the salutation and sign-off of a letter. Checked in the template's own words, every
// value written as "X" (a Ukrainian or Belarusian November, "листопада" / "лістапада", begins like
// "letter", and an address may be an e-mail).
const std::map<std::string, std::vector<std::string>>& email_phrasing()
{
    static const std::map<std::string, std::vector<std::string>> k_words{
        {"en", {"letter", "subject", "Dear ", "regards", "e-mail", "email"}},
        {"ru", {"письм", "в теме", "теме ", "Уважаем", "С уважением", "ответьте на это"}},
        {"uk", {"цей лист", "листа", "листі", "у темі", "в темі", "Шановн", "З повагою"}},
        {"be", {"гэты ліст", "ліста", "лісце", "у тэме", "ў тэме", "Шаноўн", "З павагай"}},
        {"pt", {"carta", "assunto", "e-mail", "Caro ", "Cara ", "Prezad", "cumprimentos"}},
        {"de", {"E-Mail", "Betreff", "Brief", "Sehr geehrte", "freundlichen Grüßen"}},
        {"es", {"carta", "correo", "el asunto del", "en el asunto", "Estimad", "Atentamente"}},
    };
    return k_words;
}

TEST(TemplateSet, EveryCustomerLetterHasAChatVariantInEveryLanguage)
{
    ASSERT_EQ(chat_templates().size(), customer_templates().size());
    for (std::size_t i = 0; i < customer_templates().size(); ++i)
        EXPECT_EQ(chat_templates()[i], chat_variant(customer_templates()[i]));
    for (const auto& lang : k_languages)
        for (std::string_view name : customer_templates()) {
            EXPECT_TRUE(shipped().has(chat_variant(name), lang)) << lang << "/chat_" << name;
            // Its own words, not the email letter copied.
            if (const TemplateSource* chat = shipped().source(chat_variant(name), lang)) {
                EXPECT_NE(chat->text, shipped().source(name, lang)->text) << lang << "/chat_" << name;
            }
        }
}

TEST(TemplateSet, ChatVariantsAreShortAndFreeOfEmailPhrasing)
{
    for (const auto& lang : k_languages) {
        ASSERT_TRUE(email_phrasing().contains(lang)) << lang;
        for (std::string_view name : customer_templates()) {
            std::string chat_name = chat_variant(name);
            SCOPED_TRACE(lang + "/" + chat_name);
            for (bool full : {true, false}) {
                Values v = full_values(lang);
                if (!full)
                    v = required_values(*shipped().find(chat_name, lang), lang);
                auto chat = shipped().render(chat_name, lang, v);
                ASSERT_TRUE(chat) << chat.error().message;
                EXPECT_EQ(chat->language, lang);
                Values words_only = v;
                for (auto& [key, value] : words_only)
                    if (key != "ticket.number")
                        value = "X";
                auto plain = shipped().render(chat_name, lang, words_only);
                ASSERT_TRUE(plain) << plain.error().message;
                std::string text = plain->subject + "\n" + plain->body;
                for (const auto& word : email_phrasing().at(lang))
                    EXPECT_FALSE(contains(text, word)) << "'" << word << "' in\n" << text;
                EXPECT_LE(paragraphs(chat->body), 5u) << chat->body;
                EXPECT_FALSE(contains(chat->body, "\n\n\n")) << chat->body;
                EXPECT_EQ(chat->subject.rfind("[RD-000123] ", 0), 0u) << chat->subject;
                EXPECT_LE(utf8_length(chat->subject), 48u) << chat->subject;
                EXPECT_TRUE(contains(chat->body, "RD-000123")) << chat->body;
                if (full) {
                    // Shorter than the email letter it stands for.
                    auto email = shipped().render(name, lang, v);
                    ASSERT_TRUE(email);
                    EXPECT_LT(chat->body.size(), email->body.size()) << chat->body;
                }
            }
        }
    }
}

TEST(TemplateSet, TheEmailPhrasingListsCatchTheEmailLetters)
{
    // Guards the lists above: each would fail the email letters of its language.
    for (const auto& lang : k_languages) {
        int caught = 0;
        for (std::string_view name : customer_templates()) {
            const std::string& text = shipped().source(name, lang)->text;
            caught += std::any_of(email_phrasing().at(lang).begin(), email_phrasing().at(lang).end(),
                                  [&](const std::string& word) { return contains(text, word); });
        }
        EXPECT_GE(caught, 7) << lang;
    }
}

TEST(TemplateSet, ChatGreetsByNameOnlyWhenTheNameIsKnown)
{
    Values v = full_values("ru");
    auto named = shipped().render("chat_acknowledgement", "ru", v);
    ASSERT_TRUE(named);
    EXPECT_EQ(named->body.rfind("Здравствуйте, Анна Петрова! Спасибо", 0), 0u) << named->body;
    v.erase("customer.name");
    auto anonymous = shipped().render("chat_acknowledgement", "ru", v);
    EXPECT_EQ(anonymous->body.rfind("Здравствуйте! Спасибо", 0), 0u) << anonymous->body;
    Values de = full_values("de");
    de.erase("customer.name");
    EXPECT_EQ(shipped().render("chat_apology", "de", de)->body.rfind("Guten Tag, wir haben", 0), 0u);
}

TEST(TemplateSet, ChatAcknowledgementsNameTheConcreteTimeAPersonAnswers)
{
    for (const auto& lang : k_languages) {
        for (const char* name : {"chat_acknowledgement", "chat_question_received"}) {
            SCOPED_TRACE(lang + "/" + name);
            EXPECT_TRUE(contains(shipped().source(name, lang)->text, "{{ticket.first_response_due}}"));
            Values v = full_values(lang);
            auto rendered = shipped().render(name, lang, v);
            ASSERT_TRUE(rendered) << rendered.error().message;
            EXPECT_TRUE(contains(rendered->body, v["ticket.first_response_due"])) << rendered->body;
            std::string due = v["ticket.first_response_due"];
            v.erase("ticket.first_response_due");
            auto vague = shipped().render(name, lang, v);
            ASSERT_TRUE(vague);
            EXPECT_FALSE(contains(vague->body, due)) << vague->body;
            EXPECT_FALSE(contains(vague->body, "\n\n\n")) << vague->body;
        }
    }
    auto ru = shipped().render("chat_acknowledgement", "ru", full_values("ru"));
    EXPECT_TRUE(contains(ru->body, "не позднее 26 ноября 2026, 12:25 по московскому времени (UTC+3)")) << ru->body;
    auto be = shipped().render("chat_acknowledgement", "be", full_values("be"));
    EXPECT_TRUE(contains(be->body, "не пазней за 26 лістапада 2026")) << be->body;
}

TEST(TemplateSet, ChatThanksAndSuggestionsPromiseNoInventedDeadline)
{
    for (const auto& lang : k_languages) {
        Values v = full_values(lang);
        auto thanks = shipped().render("chat_gratitude_received", lang, v);
        ASSERT_TRUE(thanks) << lang;
        EXPECT_FALSE(contains(thanks->body, v["ticket.first_response_due"])) << lang << "\n" << thanks->body;
        EXPECT_FALSE(contains(thanks->body, v["ticket.resolution_due"])) << lang << "\n" << thanks->body;
        v.erase("ticket.first_response_due");
        auto suggestion = shipped().render("chat_suggestion_received", lang, v);
        ASSERT_TRUE(suggestion) << lang;
        EXPECT_FALSE(contains(suggestion->body, "\n\n\n")) << lang << "\n" << suggestion->body;
    }
}

TEST(TemplateSet, ChatSurveyAsksForADigitAndOffersTheLinkWhenThereIsOne)
{
    for (const auto& lang : k_languages) {
        SCOPED_TRACE(lang);
        Values v = full_values(lang);
        v["survey.url"] = "https://shop.test/survey/RD-000123";
        auto with_link = shipped().render("chat_survey", lang, v);
        ASSERT_TRUE(with_link);
        EXPECT_TRUE(contains(with_link->body, "https://shop.test/survey/RD-000123")) << with_link->body;
        v.erase("survey.url");
        auto digits = shipped().render("chat_survey", lang, v);
        ASSERT_TRUE(digits);
        EXPECT_FALSE(contains(digits->body, "https://")) << digits->body;
        EXPECT_FALSE(contains(digits->body, "\n\n\n")) << digits->body;
        for (const char* digit : {"1", "5"})
            EXPECT_TRUE(contains(digits->body, digit)) << digits->body;
        EXPECT_TRUE(contains(digits->body, "5 ") && contains(digits->body, "1 ")) << digits->body;
    }
}

TEST(TemplateSet, ChatReplyIsThePersonsTextThenTheirName)
{
    Values v{{"ticket.number", "RD-000123"},
             {"company.name", "Shop"},
             {"company.support_address", "care@shop.test"},
             {"reply.text", "Anna, we are sending a new vase today."},
             {"agent.name", "Olga"},
             {"agent.signature", "Olga Ivanova, customer care\n+351 21 000 0000"}};
    auto rendered = shipped().render("chat_reply", "en", v);
    ASSERT_TRUE(rendered) << rendered.error().message;
    EXPECT_EQ(rendered->subject, "[RD-000123] Shop");
    EXPECT_EQ(rendered->body, "Anna, we are sending a new vase today.\n\nOlga, Shop customer care\nRequest number: "
                              "RD-000123\n");
    v.erase("agent.name");
    auto team = shipped().render("chat_reply", "uk", v);
    ASSERT_TRUE(team);
    EXPECT_TRUE(contains(team->body, "\n\nСлужба турботи про клієнтів Shop\nНомер звернення: RD-000123\n"))
        << team->body;
}

TEST(TemplateSet, NameForChannelPrefersTheChatVariantInTheCustomersLanguage)
{
    const TemplateSet& t = shipped();
    EXPECT_EQ(t.name_for_channel("acknowledgement", "ru", "email"), "acknowledgement");
    EXPECT_EQ(t.name_for_channel("acknowledgement", "ru", "drop"), "acknowledgement");
    EXPECT_EQ(t.name_for_channel("acknowledgement", "ru", "chat:tg"), "chat_acknowledgement");
    EXPECT_EQ(t.name_for_channel("survey", "pt-BR", "chat:slack"), "chat_survey");
    EXPECT_EQ(t.name_for_channel("reply", "fr", "chat:tg"), "chat_reply");  // no French at all: English chat
    // A letter with no chat variant (a staff alert copied to the owner's chat) stays itself.
    EXPECT_EQ(t.name_for_channel("major_complaint", "ru", "chat:tg"), "major_complaint");
    EXPECT_EQ(t.name_for_channel("no_such_letter", "ru", "chat:tg"), "no_such_letter");

    // Without the chat variant in the customer's language, their own language wins over the form:
    // the email letter in Russian, not the English chat message.
    auto letter = [](std::string lang, std::string name) {
        return TemplateSource{lang, name, lang + "/" + name,
                              "Subject: [{{ticket.number}}] " + name + "\n\n" + lang + " {{ticket.number}}\n"};
    };
    auto report = TemplateSet::from_sources(
        {letter("en", "apology"), letter("en", "chat_apology"), letter("ru", "apology"), letter("uk", "chat_apology")},
        TemplateSet::RequireProductTemplates::no);
    ASSERT_TRUE(report.templates);
    const TemplateSet& small = *report.templates;
    EXPECT_EQ(small.name_for_channel("apology", "ru", "chat:tg"), "apology");
    EXPECT_EQ(small.name_for_channel("apology", "uk", "chat:tg"), "chat_apology");
    EXPECT_EQ(small.name_for_channel("apology", "de", "chat:tg"), "chat_apology");
    EXPECT_EQ(small.render("chat_apology", "de", Values{{"ticket.number", "RD-1"}})->language, "en");
    EXPECT_EQ(small.name_for_channel("apology", "ru", "email"), "apology");
}

TEST(TemplateSet, ChatVariantsAreCheckedLikeTheLettersTheyStandFor)
{
    // A chat variant without the ticket tag is refused, as its email letter would be.
    std::vector<TemplateSource> untagged{
        {"ru", "chat_apology", "t/ru/chat_apology.txt", "Subject: Извините\n\nНам жаль.\n"}};
    auto report = TemplateSet::from_sources(untagged, TemplateSet::RequireProductTemplates::no);
    ASSERT_EQ(report.problems.size(), 1u);
    EXPECT_TRUE(contains(report.problems[0], "t/ru/chat_apology.txt:1: this letter belongs to a ticket"));

    // Every chat variant must exist in English: `redress check` names the missing file.
    std::vector<TemplateSource> without_chat;
    for (const auto* list : {&customer_templates(), &alert_templates()})
        for (std::string_view name : *list)
            without_chat.push_back(*shipped().source(name, "en"));
    for (std::string_view name : chat_templates())
        if (name != "chat_survey")
            without_chat.push_back(*shipped().source(name, "en"));
    auto missing = TemplateSet::from_sources(without_chat, TemplateSet::RequireProductTemplates::yes, "t");
    EXPECT_FALSE(missing.templates);
    ASSERT_EQ(missing.problems.size(), 1u);
    EXPECT_TRUE(contains(missing.problems[0], "t/en/chat_survey.txt:1: missing")) << missing.problems[0];
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
