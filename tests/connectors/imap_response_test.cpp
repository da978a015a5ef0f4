#include "imap/imap_response.hpp"

#include <gtest/gtest.h>

#include <random>

using redress::connectors::imap::ImapResponse;
using redress::connectors::imap::ImapResponseReader;
using redress::connectors::imap::trailing_literal_size;

namespace {

// A SELECT and a FETCH as Dovecot 2.3 sent them to curl in a trial run; the message body contains a
// line starting with "* ", which curl's own IMAP layer mistook for a response.
const std::string k_session = "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
                              "* OK [UIDVALIDITY 1795655100] UIDs valid\r\n"
                              "R1 OK [READ-WRITE] Select completed (0.002 + 0.000 + 0.001 secs).\r\n"
                              "* 2 FETCH (UID 2 BODY[] {56}\r\n"
                              "From: a@b.c\r\nSubject: two\r\n\r\n* not a header\r\nBody line\r\n"
                              ")\r\n"
                              "+ idling\r\n"
                              "R2 OK Fetch completed.\r\n";

std::vector<ImapResponse> read_all(ImapResponseReader& reader)
{
    std::vector<ImapResponse> out;
    for (;;) {
        auto next = reader.next();
        EXPECT_TRUE(next.ok());
        if (!next.ok() || !*next)
            return out;
        out.push_back(std::move(**next));
    }
}

void expect_session(const std::vector<ImapResponse>& responses)
{
    ASSERT_EQ(responses.size(), 6u);
    EXPECT_EQ(responses[0].kind, ImapResponse::Kind::untagged);
    EXPECT_EQ(responses[1].text, "OK [UIDVALIDITY 1795655100] UIDs valid");
    EXPECT_EQ(responses[2].kind, ImapResponse::Kind::tagged);
    EXPECT_EQ(responses[2].tag, "R1");
    EXPECT_EQ(responses[2].status(), "OK");
    EXPECT_EQ(responses[2].status_text(), "[READ-WRITE] Select completed (0.002 + 0.000 + 0.001 secs).");
    EXPECT_EQ(responses[3].text, "2 FETCH (UID 2 BODY[] {56})");
    ASSERT_EQ(responses[3].literals.size(), 1u);
    EXPECT_EQ(responses[3].literals[0], "From: a@b.c\r\nSubject: two\r\n\r\n* not a header\r\nBody line\r\n");
    EXPECT_EQ(responses[4].kind, ImapResponse::Kind::continuation);
    EXPECT_EQ(responses[4].text, "idling");
    EXPECT_EQ(responses[5].tag, "R2");
}

}  // namespace

TEST(ImapResponseReader, SplitsResponsesAndKeepsLiteralBytesApart)
{
    ImapResponseReader reader;
    reader.feed(k_session);
    expect_session(read_all(reader));
}

TEST(ImapResponseReader, GivesTheSameResponsesWhateverTheChunks)
{
    std::mt19937 random(20261126);
    for (int round = 0; round < 200; ++round) {
        ImapResponseReader reader;
        std::vector<ImapResponse> responses;
        std::size_t pos = 0;
        while (pos < k_session.size()) {
            std::size_t chunk = std::uniform_int_distribution<std::size_t>(1, 17)(random);
            reader.feed(std::string_view(k_session).substr(pos, chunk));
            pos += chunk;
            for (auto& r : read_all(reader))
                responses.push_back(std::move(r));
        }
        expect_session(responses);
    }
}

TEST(ImapResponseReader, WaitsForTheWholeLiteral)
{
    ImapResponseReader reader;
    reader.feed("* 1 FETCH (BODY[] {10}\r\n12345");
    auto next = reader.next();
    ASSERT_TRUE(next.ok());
    EXPECT_FALSE(next->has_value());
    reader.feed("67890)\r\n");
    next = reader.next();
    ASSERT_TRUE(next.ok());
    ASSERT_TRUE(next->has_value());
    EXPECT_EQ((*next)->literals.at(0), "1234567890");
}

TEST(ImapResponseReader, AcceptsAnEmptyLiteralAndSeveralLiteralsInOneResponse)
{
    ImapResponseReader reader;
    reader.feed("* 3 FETCH (BODY[HEADER] {0}\r\n BODY[TEXT] {3}\r\nabc)\r\n");
    auto next = reader.next();
    ASSERT_TRUE(next.ok());
    ASSERT_TRUE(next->has_value());
    ASSERT_EQ((*next)->literals.size(), 2u);
    EXPECT_EQ((*next)->literals[0], "");
    EXPECT_EQ((*next)->literals[1], "abc");
}

TEST(ImapResponseReader, RefusesALiteralLargerThanTheLimit)
{
    ImapResponseReader reader(1000);
    reader.feed("* 1 FETCH (BODY[] {5000}\r\n");
    auto next = reader.next();
    ASSERT_FALSE(next.ok());
    EXPECT_EQ(next.error().code, "imap.protocol");
    EXPECT_TRUE(next.error().is(redress::ErrorKind::invalid));
}

TEST(ImapResponseReader, ToleratesBareLineFeeds)
{
    ImapResponseReader reader;
    reader.feed("* 4 EXISTS\nR9 OK done\n");
    auto all = read_all(reader);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].text, "4 EXISTS");
    EXPECT_EQ(all[1].tag, "R9");
}

TEST(ImapResponse, FindsTheLiteralSizeAtTheEndOfALine)
{
    EXPECT_EQ(trailing_literal_size("* 1 FETCH (BODY[] {67}"), 67u);
    EXPECT_EQ(trailing_literal_size("A1 APPEND x {12+}"), 12u);
    EXPECT_FALSE(trailing_literal_size("* OK {not a literal}"));
    EXPECT_FALSE(trailing_literal_size("* OK done"));
}
