#include "letters/letter_words.hpp"

#include "model/ticket.hpp"

#include <gtest/gtest.h>

#include <set>

namespace redress::letters {
namespace {

const char* k_languages[] = {"en", "ru", "uk", "be", "pt", "de", "es"};

TEST(LetterWords, EveryStatusHasItsOwnWordsInEveryLanguage)
{
    for (auto status :
         {TicketStatus::new_ticket, TicketStatus::acknowledged, TicketStatus::investigating, TicketStatus::justified,
          TicketStatus::unjustified, TicketStatus::action_planned, TicketStatus::resolved, TicketStatus::closed}) {
        std::string code(to_string(status));
        std::set<std::string> seen;
        for (const char* lang : k_languages) {
            std::string words = words_for_code("ticket.status", code, lang);
            EXPECT_FALSE(words.empty()) << code << " in " << lang;
            EXPECT_EQ(words.find('_'), std::string::npos) << code << " in " << lang << ": " << words;
            if (std::string_view(lang) != "en" && std::string_view(lang) != "pt" && std::string_view(lang) != "de" &&
                std::string_view(lang) != "es") {
                EXPECT_NE(words, words_for_code("ticket.status", code, "en"))
                    << code << " is not translated into " << lang;
            }
            seen.insert(words);
        }
    }
    EXPECT_EQ(words_for_code("ticket.status", "action_planned", "en"), "corrective actions planned");
    EXPECT_EQ(words_for_code("ticket.status", "action_planned", "ru"), "намечены меры по исправлению");
    EXPECT_EQ(words_for_code("ticket.status", "unjustified", "de"), "Beschwerde als unberechtigt eingestuft");
}

TEST(LetterWords, SeverityKindAndAlertLevelInWords)
{
    EXPECT_EQ(words_for_code("ticket.severity", "major", "en"), "major (law, safety or money)");
    EXPECT_EQ(words_for_code("ticket.severity", "normal", "ru"), "обычная");
    EXPECT_EQ(words_for_code("ticket.kind", "gratitude", "uk"), "подяка");
    EXPECT_EQ(words_for_code("ticket.kind", "question", "es"), "pregunta");
    EXPECT_EQ(words_for_code("alert.level", "second_level", "en"),
              "second level: the first escalation brought no answer");
    EXPECT_EQ(words_for_code("alert.level", "breach", "ru"), "срок пропущен");
    for (const char* level : {"arrival", "warning", "breach", "second_level"})
        for (const char* lang : k_languages)
            EXPECT_EQ(words_for_code("alert.level", level, lang).find('_'), std::string::npos)
                << level << " in " << lang;
}

TEST(LetterWords, RegionalAndUnknownLanguagesFallBack)
{
    EXPECT_EQ(words_for_code("ticket.kind", "complaint", "pt-BR"), "reclamação");
    EXPECT_EQ(words_for_code("ticket.kind", "complaint", "fr"), "complaint");
    EXPECT_EQ(words_for_code("ticket.kind", "complaint", ""), "complaint");
    EXPECT_EQ(letter_language("RU"), LetterLanguage::ru);
    EXPECT_EQ(letter_language("be-BY"), LetterLanguage::be);
    EXPECT_EQ(letter_language("xx"), LetterLanguage::en);
}

TEST(LetterWords, ACodeTheTableLacksIsStillReadable)
{
    // A status the workflow adds later must not print an underscore to staff before it gets words.
    EXPECT_EQ(words_for_code("ticket.status", "waiting_for_parts", "ru"), "waiting for parts");
    EXPECT_EQ(words_for_code("no.such", "a_b", "en"), "a b");
}

TEST(LetterWords, AddsWordsForTheCodesPresentAndLeavesTheRest)
{
    Values v{{"ticket.status", "resolved"},
             {"ticket.severity", "major"},
             {"alert.level", "warning"},
             {"ticket.kind_text", "caller's"}};
    add_code_words(v, "ru");
    EXPECT_EQ(v["ticket.status_text"], "решено");
    EXPECT_EQ(v["ticket.severity_text"], "серьёзная (закон, безопасность или деньги)");
    EXPECT_EQ(v["alert.level_text"], "срок скоро истекает");
    // No ticket.kind: the caller's words stay.
    EXPECT_EQ(v["ticket.kind_text"], "caller's");

    // Words already there in another language are replaced by the letter's.
    add_code_words(v, "en");
    EXPECT_EQ(v["ticket.status_text"], "resolved");
    for (const CodeWords& pair : code_words()) {
        EXPECT_TRUE(is_known_placeholder(pair.code_placeholder)) << pair.code_placeholder;
        EXPECT_TRUE(is_known_placeholder(pair.text_placeholder)) << pair.text_placeholder;
    }
}

TEST(LetterWords, DeadlineNamesInWords)
{
    EXPECT_EQ(deadline_words("first_response", "en"), "first response");
    EXPECT_EQ(deadline_words("first_response", "ru"), "первый ответ");
    EXPECT_EQ(deadline_words("resolution", "de"), "Lösung");
    EXPECT_EQ(deadline_words("resolution", "be"), "вырашэнне пытання");
}

TEST(LetterWords, BulletListIsOneItemALine)
{
    EXPECT_EQ(bullet_list({"law: mentions a court", "", "money: asks for a refund"}),
              "- law: mentions a court\n- money: asks for a refund");
    EXPECT_EQ(bullet_list({}), "");
    EXPECT_EQ(bullet_list({""}), "");
}

}  // namespace
}  // namespace redress::letters
