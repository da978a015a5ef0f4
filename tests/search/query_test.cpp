// The search box's language: what each piece of a query becomes, and the reasons a query is refused.

#include "search/query.hpp"

#include <gtest/gtest.h>

using namespace redress;
using namespace redress::search;

namespace {

Query parsed(std::string_view text)
{
    auto q = parse_query(text);
    EXPECT_TRUE(q.ok()) << text << ": " << (q.ok() ? "" : q.error().message);
    return q.ok() ? *q : Query{};
}

std::string refusal(std::string_view text)
{
    auto q = parse_query(text);
    EXPECT_FALSE(q.ok()) << text << " was accepted";
    if (q.ok())
        return {};
    EXPECT_EQ(q.error().kind, ErrorKind::invalid);
    return q.error().message;
}

}  // namespace

TEST(SearchQuery, WordsAreClausesThatMustAllMatch)
{
    auto q = parsed("refund  courier");
    ASSERT_EQ(q.clauses.size(), 2u);
    EXPECT_EQ(q.clauses[0].any[0].words, std::vector<std::string>{"refund"});
    EXPECT_EQ(q.clauses[1].any[0].words, std::vector<std::string>{"courier"});
    EXPECT_FALSE(q.clauses[0].exclude);
}

TEST(SearchQuery, QuotedWordsAreOnePhrase)
{
    auto q = parsed("\"late courier\" kettle");
    ASSERT_EQ(q.clauses.size(), 2u);
    EXPECT_EQ(q.clauses[0].any[0].words, (std::vector<std::string>{"late", "courier"}));
}

TEST(SearchQuery, AWordWithPunctuationInsideIsAPhrase)
{
    auto q = parsed("e-mail");
    ASSERT_EQ(q.clauses.size(), 1u);
    EXPECT_EQ(q.clauses[0].any[0].words, (std::vector<std::string>{"e", "mail"}));
}

TEST(SearchQuery, MinusExcludesAWordOrAPhrase)
{
    auto q = parsed("kettle -refund -\"no answer\"");
    ASSERT_EQ(q.clauses.size(), 3u);
    EXPECT_TRUE(q.clauses[1].exclude);
    EXPECT_TRUE(q.clauses[2].exclude);
    EXPECT_EQ(q.clauses[2].any[0].words, (std::vector<std::string>{"no", "answer"}));
}

TEST(SearchQuery, OrJoinsAlternativesIntoOneClause)
{
    auto q = parsed("kettle OR toaster \"broken lid\" OR cracked");
    ASSERT_EQ(q.clauses.size(), 2u);
    EXPECT_EQ(q.clauses[0].any.size(), 2u);
    EXPECT_EQ(q.clauses[1].any.size(), 2u);
    EXPECT_EQ(q.clauses[1].any[0].words, (std::vector<std::string>{"broken", "lid"}));
    // Lower-case "or" is a word.
    EXPECT_EQ(parsed("kettle or toaster").clauses.size(), 3u);
}

TEST(SearchQuery, ReadsEveryFilter)
{
    auto q = parsed("from:anna@example.com status:investigating kind:complaint lang:uk channel:chat:tg "
                    "after:2026-11-01 before:2026-11-30T12:00:00Z refund");
    EXPECT_EQ(q.filters.from, "anna@example.com");
    EXPECT_EQ(q.filters.status, TicketStatus::investigating);
    EXPECT_EQ(q.filters.ticket_kind, Kind::complaint);
    EXPECT_FALSE(q.filters.record);
    EXPECT_EQ(q.filters.language, "uk");
    EXPECT_EQ(q.filters.channel, "chat:tg");
    EXPECT_EQ(q.filters.after, parse_iso8601("2026-11-01T00:00:00Z"));
    EXPECT_EQ(q.filters.before, parse_iso8601("2026-11-30T12:00:00Z"));
    ASSERT_EQ(q.clauses.size(), 1u);
    EXPECT_EQ(parsed("kind:note refund").filters.record, RecordKind::note);
    EXPECT_EQ(parsed("from:\"Anna K\" refund").filters.from, "Anna K");
}

TEST(SearchQuery, FiltersAloneAreAQuery)
{
    auto q = parsed("status:closed lang:de");
    EXPECT_FALSE(q.has_words());
    EXPECT_TRUE(parsed("status:closed -refund").clauses[0].exclude);
}

TEST(SearchQuery, AnUnknownNameBeforeAColonIsText)
{
    auto q = parsed("re:order");
    ASSERT_EQ(q.clauses.size(), 1u);
    EXPECT_EQ(q.clauses[0].any[0].words, (std::vector<std::string>{"re", "order"}));
}

TEST(SearchQuery, RefusesWhatItCannotReadWithTheReason)
{
    EXPECT_NE(refusal("").find("empty"), std::string::npos);
    EXPECT_NE(refusal("   ").find("empty"), std::string::npos);
    EXPECT_NE(refusal("\"late courier").find("never closed"), std::string::npos);
    EXPECT_NE(refusal("late\"courier\"").find("inside a word"), std::string::npos);
    EXPECT_NE(refusal("OR kettle").find("before it"), std::string::npos);
    EXPECT_NE(refusal("kettle OR").find("after it"), std::string::npos);
    EXPECT_NE(refusal("kettle OR OR toaster").find("OR OR"), std::string::npos);
    EXPECT_NE(refusal("kettle OR -toaster").find("exclusion"), std::string::npos);
    EXPECT_NE(refusal("-kettle").find("only exclusions"), std::string::npos);
    EXPECT_NE(refusal("status:lost").find("not a status"), std::string::npos);
    EXPECT_NE(refusal("kind:grumble").find("neither a record"), std::string::npos);
    EXPECT_NE(refusal("lang:english").find("two-letter"), std::string::npos);
    EXPECT_NE(refusal("after:yesterday").find("not a date"), std::string::npos);
    EXPECT_NE(refusal("before:2026-13-45").find("not a date"), std::string::npos);
    EXPECT_NE(refusal("from: kettle").find("needs a value"), std::string::npos);
    EXPECT_NE(refusal("-status:closed kettle").find("cannot be excluded"), std::string::npos);
    EXPECT_NE(refusal("\"\" kettle").find("no words"), std::string::npos);
    EXPECT_NE(refusal(std::string(1001, 'a')).find("longer than"), std::string::npos);
    std::string many;
    for (int i = 0; i < 17; ++i)
        many += "w" + std::to_string(i) + " ";
    EXPECT_NE(refusal(many).find("more than 16"), std::string::npos);
}
