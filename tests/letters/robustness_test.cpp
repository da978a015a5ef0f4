// Random inputs in fixed-seed batches: the parser and the encoders must never crash, and what they
// promise (problems or a template; a round trip) must hold for input nobody thought of.

#include "mail_reader.hpp"

#include "letters/email_composer.hpp"
#include "letters/header_encoding.hpp"
#include "letters/letter_template.hpp"

#include "common/text.hpp"

#include <gtest/gtest.h>

#include <random>

namespace redress::letters {
namespace {

TEST(Robustness, TemplateParserAnswersEveryInputWithATemplateOrProblems)
{
    // Pieces a confused editor might combine, including broken tags and stray bytes.
    const std::vector<std::string> pieces{"Subject: ",
                                          "[{{ticket.number}}]",
                                          "{{",
                                          "}}",
                                          "{{#",
                                          "{{/",
                                          "{{^",
                                          "{{!",
                                          "customer.name",
                                          "ticket.url",
                                          "x",
                                          " ",
                                          "\n",
                                          "\r\n",
                                          "Привет",
                                          "\xFF",
                                          "{{{",
                                          "}}}",
                                          "{{ticket.number}}"};
    std::mt19937 random(20261126);
    for (int round = 0; round < 3000; ++round) {
        std::string text = round % 2 ? "Subject: s\n\n" : "";
        int count = std::uniform_int_distribution<int>(0, 30)(random);
        for (int i = 0; i < count; ++i)
            text += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(random)];
        auto parsed = LetterTemplate::parse(text, "r.txt");
        ASSERT_NE(parsed.letter.has_value(), !parsed.problems.empty()) << text;
        for (const auto& problem : parsed.problems)
            ASSERT_EQ(problem.rfind("r.txt:", 0), 0u) << problem;
        if (parsed.letter) {
            auto rendered =
                parsed.letter->render({{"ticket.number", "RD-1"}, {"customer.name", "A"}, {"ticket.url", "u"}});
            if (rendered) {
                ASSERT_EQ(rendered->subject.find('\n'), std::string::npos);
            }
        }
    }
}

TEST(Robustness, RandomUnicodeSubjectsRoundTripAndFold)
{
    const std::vector<std::string> pieces{"a",           "Z",      " ",  "  ", "=?", "?=",  "_",
                                          "=",           "Жалоба", "ё",  "€",  "😀",  "ção", "ß",
                                          "[RD-000001]", "\t",     "\"", "<",  ">",  "@",   std::string(90, 'w')};
    std::mt19937 random(5322);
    for (int round = 0; round < 2000; ++round) {
        std::string subject;
        int count = std::uniform_int_distribution<int>(1, 25)(random);
        for (int i = 0; i < count; ++i)
            subject += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(random)];
        EmailDraft d;
        d.from = {subject, "support@example.com"};
        d.to = {"", "a@example.com"};
        d.subject = subject;
        d.body = subject + "\n";
        auto m = testing::read_message(compose_email(d));
        ASSERT_TRUE(m.problems.empty()) << subject << ": " << m.problems.front();
        ASSERT_LE(m.longest_header_line, 998u);
        // The value as a header can hold it: tabs to spaces, runs of spaces to one, ends trimmed.
        std::string expected;
        for (char c : subject) {
            if (c == '\t')
                c = ' ';
            if (c == ' ' && (expected.empty() || expected.back() == ' '))
                continue;
            expected += c;
        }
        while (!expected.empty() && expected.back() == ' ')
            expected.pop_back();
        ASSERT_EQ(testing::decode_words(m.header("Subject")), expected) << m.header("Subject");
        ASSERT_EQ(testing::decoded_body(m), subject + "\n");
    }
}

}  // namespace
}  // namespace redress::letters
