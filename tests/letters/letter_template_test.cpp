#include "letters/letter_template.hpp"

#include <gtest/gtest.h>

namespace redress::letters {
namespace {

// Parses a template that must be valid, failing the test with its problems otherwise.
LetterTemplate parse_ok(std::string_view text)
{
    auto parsed = LetterTemplate::parse(text, "t/en/x.txt");
    std::string all;
    for (const auto& p : parsed.problems)
        all += p + "\n";
    EXPECT_TRUE(parsed.letter.has_value()) << all;
    if (!parsed.letter)
        throw std::runtime_error("template did not parse: " + all);
    return std::move(*parsed.letter);
}

std::vector<std::string> problems_of(std::string_view text)
{
    return LetterTemplate::parse(text, "t/ru/x.txt").problems;
}

TEST(LetterTemplate, InsertsValuesWithWhitespaceInsideBraces)
{
    auto letter = parse_ok("Subject: [{{ ticket.number }}] Hello {{ customer.name }}\n\nDear {{customer.name}}, ticket "
                           "{{  ticket.number\t}}.\n");
    auto rendered = letter.render({{"customer.name", "Anna"}, {"ticket.number", "RD-000123"}});
    ASSERT_TRUE(rendered) << rendered.error().message;
    EXPECT_EQ(rendered->subject, "[RD-000123] Hello Anna");
    EXPECT_EQ(rendered->body, "Dear Anna, ticket RD-000123.\n");
}

TEST(LetterTemplate, SectionShowsOnlyWhenValueIsNotEmpty)
{
    auto letter = parse_ok(
        "Subject: s\n\nA{{#ticket.url}} see {{ticket.url}}{{/ticket.url}}{{^ticket.url}} no link{{/ticket.url}}.\n");
    EXPECT_EQ(letter.render({{"ticket.url", "http://x/1"}})->body, "A see http://x/1.\n");
    EXPECT_EQ(letter.render({})->body, "A no link.\n");
    EXPECT_EQ(letter.render({{"ticket.url", ""}})->body, "A no link.\n");
}

TEST(LetterTemplate, SectionTagAloneOnItsLineTakesTheLineWithIt)
{
    auto letter = parse_ok("Subject: s\n\n"
                           "First.\n"
                           "  {{#ticket.first_response_due}}  \n"
                           "By {{ticket.first_response_due}}.\n"
                           "{{/ticket.first_response_due}}\n"
                           "{{^ticket.first_response_due}}\n"
                           "Soon.\n"
                           "{{/ticket.first_response_due}}\n"
                           "{{! a note for whoever edits this template }}\n"
                           "Last.\n");
    EXPECT_EQ(letter.render({{"ticket.first_response_due", "26 November 2026, 12:25 (Europe/Moscow)"}})->body,
              "First.\nBy 26 November 2026, 12:25 (Europe/Moscow).\nLast.\n");
    EXPECT_EQ(letter.render({})->body, "First.\nSoon.\nLast.\n");
}

TEST(LetterTemplate, MissingOrEmptyValueIsAnErrorNamingEveryPlaceholder)
{
    auto letter = parse_ok("Subject: [{{ticket.number}}] s\n\nDear {{customer.name}}, {{company.name}}\n");
    auto rendered = letter.render({{"customer.name", ""}, {"company.name", "Acme"}});
    ASSERT_FALSE(rendered);
    EXPECT_EQ(rendered.error().code, "letters.missing_value");
    EXPECT_NE(rendered.error().message.find("customer.name"), std::string::npos);
    EXPECT_NE(rendered.error().message.find("ticket.number"), std::string::npos);
    EXPECT_EQ(rendered.error().message.find("company.name"), std::string::npos);
}

TEST(LetterTemplate, ValueInsideAShownSectionIsRequired)
{
    auto letter =
        parse_ok("Subject: s\n\n{{#owner.email}}Write to {{owner.name}} at {{owner.email}}.{{/owner.email}}\n");
    EXPECT_TRUE(letter.render({}));  // section hidden: owner.name is not needed
    auto rendered = letter.render({{"owner.email", "boss@example.com"}});
    ASSERT_FALSE(rendered);
    EXPECT_NE(rendered.error().message.find("owner.name"), std::string::npos);
    EXPECT_EQ(letter.required(), std::vector<std::string>{});
    EXPECT_EQ(letter.used(), (std::vector<std::string>{"owner.email", "owner.name"}));
}

TEST(LetterTemplate, LineBreaksInASubjectValueCannotStartAHeader)
{
    // A customer's subject ends up in staff alerts; "\r\nBcc: ..." must stay in the subject line.
    auto letter = parse_ok("Subject: [{{ticket.number}}] {{ticket.subject}}\n\nBody {{ticket.number}}\n");
    auto rendered =
        letter.render({{"ticket.number", "RD-000001"}, {"ticket.subject", "Broken\r\nBcc: victim@example.com"}});
    ASSERT_TRUE(rendered);
    EXPECT_EQ(rendered->subject, "[RD-000001] Broken Bcc: victim@example.com");
    EXPECT_EQ(rendered->subject.find('\n'), std::string::npos);
}

TEST(LetterTemplate, WindowsLineEndsAndByteOrderMarkAreAccepted)
{
    auto letter = parse_ok("\xEF\xBB\xBFSubject: s {{company.name}}\r\n\r\nLine one\r\nLine two\r\n");
    auto rendered = letter.render({{"company.name", "Acme"}});
    EXPECT_EQ(rendered->subject, "s Acme");
    EXPECT_EQ(rendered->body, "Line one\nLine two\n");
}

TEST(LetterTemplate, TrailingBlankLinesCollapseToOneLineEnd)
{
    auto letter = parse_ok("Subject: s\n\nText\n{{#survey.url}}\n\n{{survey.url}}\n{{/survey.url}}\n\n\n");
    EXPECT_EQ(letter.render({})->body, "Text\n");
}

TEST(LetterTemplate, UnknownPlaceholderIsReportedWithFileLineAndSuggestion)
{
    auto problems = problems_of("Subject: s\n\nline three\nDear {{customer.nmae}},\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].rfind("t/ru/x.txt:4: unknown placeholder {{customer.nmae}}", 0), 0u) << problems[0];
    EXPECT_NE(problems[0].find("did you mean {{customer.name}}"), std::string::npos) << problems[0];
}

TEST(LetterTemplate, EveryUnknownPlaceholderIsReportedNotOnlyTheFirst)
{
    auto problems = problems_of("Subject: {{foo}}\n\n{{bar}}\n{{#baz}}x{{/baz}}\n");
    ASSERT_EQ(problems.size(), 4u);  // foo, bar, the opening and the closing baz
    EXPECT_EQ(problems[0].rfind("t/ru/x.txt:1:", 0), 0u);
    EXPECT_EQ(problems[1].rfind("t/ru/x.txt:3:", 0), 0u);
    EXPECT_EQ(problems[2].rfind("t/ru/x.txt:4:", 0), 0u);
}

TEST(LetterTemplate, MissingSubjectLineIsReportedAtLineOne)
{
    auto problems = problems_of("Dear {{customer.name}},\n\nThanks.\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].rfind("t/ru/x.txt:1: the first line must be the subject", 0), 0u) << problems[0];
}

TEST(LetterTemplate, SubjectMustBeFollowedByAnEmptyLine)
{
    auto problems = problems_of("Subject: s\nBody right away\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].rfind("t/ru/x.txt:2:", 0), 0u) << problems[0];
}

TEST(LetterTemplate, EmptySubjectAndEmptyBodyAreReported)
{
    EXPECT_EQ(problems_of("Subject:   \n\nBody\n").at(0).rfind("t/ru/x.txt:1: the subject is empty", 0), 0u);
    EXPECT_EQ(problems_of("Subject: s\n\n").at(0).rfind("t/ru/x.txt:2: the body is missing", 0), 0u);
}

TEST(LetterTemplate, SectionErrorsNameWhereTheSectionOpened)
{
    auto unclosed = problems_of("Subject: s\n\nA\n{{#survey.url}}\nB\n");
    ASSERT_EQ(unclosed.size(), 1u);
    EXPECT_EQ(unclosed[0].rfind("t/ru/x.txt:4: section {{#survey.url}} is never closed", 0), 0u) << unclosed[0];

    auto crossed = problems_of("Subject: s\n\n{{#survey.url}}\n{{#ticket.url}}\n{{/survey.url}}\n{{/ticket.url}}\n");
    ASSERT_FALSE(crossed.empty());
    EXPECT_EQ(crossed[0].rfind("t/ru/x.txt:5: {{/survey.url}} closes {{#ticket.url}} opened on line 4", 0), 0u)
        << crossed[0];

    auto stray = problems_of("Subject: s\n\ntext {{/survey.url}}\n");
    ASSERT_EQ(stray.size(), 1u);
    EXPECT_EQ(stray[0].rfind("t/ru/x.txt:3: {{/survey.url}} closes a section that was never opened", 0), 0u)
        << stray[0];
}

TEST(LetterTemplate, SectionsDoNotCrossFromSubjectIntoBody)
{
    auto problems = problems_of("Subject: {{#ticket.url}}s\n\nbody{{/ticket.url}}\n");
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0].rfind("t/ru/x.txt:1:", 0), 0u) << problems[0];
    EXPECT_EQ(problems[1].rfind("t/ru/x.txt:3:", 0), 0u) << problems[1];
}

TEST(LetterTemplate, MalformedTagsAreReportedOnTheirLine)
{
    EXPECT_EQ(
        problems_of("Subject: s\n\nok\nDear {{customer.name,\n").at(0).rfind("t/ru/x.txt:4: '{{' is not closed", 0),
        0u);
    EXPECT_EQ(problems_of("Subject: s\n\n{{{customer.name}}}\n").at(0).rfind("t/ru/x.txt:3: triple braces", 0), 0u);
    EXPECT_EQ(problems_of("Subject: s\n\n{{Customer Name}}\n")
                  .at(0)
                  .rfind("t/ru/x.txt:3: '{{Customer Name}}' is not a placeholder name", 0),
              0u);
    EXPECT_EQ(problems_of("Subject: s\n\n{{}}\n").at(0).rfind("t/ru/x.txt:3: '{{}}' is not a placeholder name", 0), 0u);
}

TEST(LetterTemplate, InvalidUtf8IsReportedWithItsLine)
{
    // A template saved in windows-1251 by a manager's editor: "Привет" as single bytes.
    auto problems = problems_of("Subject: s\n\n\xCF\xF0\xE8\xE2\xE5\xF2\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0], "t/ru/x.txt:3: the line is not valid UTF-8; save the file in UTF-8");
}

TEST(LetterTemplate, TicketLetterNeedsTheTagAtAnEndOfTheSubject)
{
    auto middle = problems_of("Subject: Your ticket [{{ticket.number}}] is open\n\nBody\n");
    ASSERT_EQ(middle.size(), 1u);
    EXPECT_EQ(middle[0].rfind("t/ru/x.txt:1: the subject must start or end with [{{ticket.number}}]", 0), 0u)
        << middle[0];

    auto in_body_only = problems_of("Subject: Your ticket\n\nNumber {{ticket.number}}\n");
    ASSERT_EQ(in_body_only.size(), 1u);

    EXPECT_TRUE(parse_ok("Subject: [{{ ticket.number }}] Opened\n\nx\n").subject_has_ticket_tag());
    EXPECT_TRUE(parse_ok("Subject: Opened [{{ticket.number}}]\n\nx\n").subject_has_ticket_tag());
    EXPECT_FALSE(parse_ok("Subject: Opened\n\nx\n").subject_has_ticket_tag());
}

TEST(LetterTemplate, RequiredListsOnlyPlaceholdersOutsideSections)
{
    auto letter =
        parse_ok("Subject: [{{ticket.number}}] "
                 "{{company.name}}\n\n{{#customer.name}}{{customer.name}}{{/customer.name}} {{company.name}}\n");
    EXPECT_EQ(letter.required(), (std::vector<std::string>{"company.name", "ticket.number"}));
}

}  // namespace
}  // namespace redress::letters
