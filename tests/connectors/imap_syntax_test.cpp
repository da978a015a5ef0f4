#include "imap/imap_syntax.hpp"

#include <gtest/gtest.h>

using namespace redress::connectors::imap;

TEST(ImapUrl, TakesTheFolderFromThePathAndDefaultsToInbox)
{
    auto url = parse_imap_url("imaps://imap.gmail.com:993/Support%20Inbox");
    ASSERT_TRUE(url.ok());
    EXPECT_EQ(url->server, "imaps://imap.gmail.com:993");
    EXPECT_EQ(url->folder, "Support Inbox");
    EXPECT_TRUE(url->implicit_tls);

    auto plain = parse_imap_url("imap://127.0.0.1:1143");
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(plain->folder, "INBOX");
    EXPECT_FALSE(plain->implicit_tls);

    // Gmail's folders live under "[Gmail]/", written with a slash separator.
    auto gmail = parse_imap_url("imaps://imap.gmail.com/%5BGmail%5D/All%20Mail/");
    ASSERT_TRUE(gmail.ok());
    EXPECT_EQ(gmail->folder, "[Gmail]/All Mail");
}

TEST(ImapUrl, RefusesOtherSchemesParametersAndUsersInTheUrl)
{
    EXPECT_FALSE(parse_imap_url("pop3://host/INBOX").ok());
    EXPECT_FALSE(parse_imap_url("imap://host/INBOX;UID=5").ok());
    EXPECT_FALSE(parse_imap_url("imap://user@host/INBOX").ok());
    EXPECT_FALSE(parse_imap_url("imap://host/IN%2").ok());
    EXPECT_TRUE(parse_imap_url("imap://user@host/INBOX").error().is(redress::ErrorKind::invalid));
}

TEST(ImapMailboxName, EncodesNonAsciiInModifiedUtf7)
{
    // RFC 3501 section 5.1.3's own example, and an ampersand.
    EXPECT_EQ(encode_mailbox_name("~peter/mail/台北/日本語"), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
    EXPECT_EQ(encode_mailbox_name("R&D"), "R&-D");
    EXPECT_EQ(encode_mailbox_name("Входящие"), "&BBIERQQ+BDQETwRJBDgENQ-");
    EXPECT_EQ(encode_mailbox_name("INBOX"), "INBOX");
}

TEST(ImapMailboxName, QuotesAndEscapes)
{
    EXPECT_EQ(quote_mailbox("Done"), "\"Done\"");
    EXPECT_EQ(quote_mailbox("a\"b\\c"), "\"a\\\"b\\\\c\"");
}

TEST(ImapCapabilities, ReadsUntaggedAndResponseCodeForms)
{
    auto caps = parse_capabilities("CAPABILITY IMAP4rev1 idle MOVE UIDPLUS");
    EXPECT_EQ(caps, (std::vector<std::string>{"IMAP4REV1", "IDLE", "MOVE", "UIDPLUS"}));
    auto code = capability_response_code("[CAPABILITY IMAP4rev1 IDLE] Logged in");
    ASSERT_TRUE(code);
    EXPECT_EQ(code->size(), 2u);
    EXPECT_FALSE(capability_response_code("Logged in"));
}

TEST(ImapResponseCodes, ReadsNumbersAndNames)
{
    EXPECT_EQ(numeric_response_code("OK [UIDVALIDITY 1795655100] UIDs valid", "UIDVALIDITY"), 1795655100u);
    EXPECT_EQ(numeric_response_code("OK [UIDNEXT 3] Predicted next UID", "UIDNEXT"), 3u);
    EXPECT_FALSE(numeric_response_code("OK [UIDNEXT 3] Predicted next UID", "UIDVALIDITY"));
    EXPECT_TRUE(has_response_code("[TRYCREATE] Mailbox doesn't exist: Done", "TRYCREATE"));
    EXPECT_TRUE(has_response_code("[ALREADYEXISTS] Mailbox already exists", "ALREADYEXISTS"));
    EXPECT_FALSE(has_response_code("Mailbox doesn't exist", "TRYCREATE"));
}

TEST(ImapSearch, ReadsUidsAndTheEmptyAnswer)
{
    EXPECT_EQ(parse_search("SEARCH 4 7 9"), (std::vector<std::uint32_t>{4, 7, 9}));
    EXPECT_EQ(parse_search("SEARCH"), std::vector<std::uint32_t>{});
    EXPECT_FALSE(parse_search("SEARCHRES"));
    EXPECT_FALSE(parse_search("3 EXISTS"));
    EXPECT_EQ(parse_exists("3 EXISTS"), 3u);
    EXPECT_FALSE(parse_exists("3 RECENT"));
}

TEST(ImapFetch, ReadsUidSizeDateAndTheBodyLiteral)
{
    ImapResponse response;
    response.text = "7 FETCH (UID 42 RFC822.SIZE 1234 INTERNALDATE \" 6-Nov-2026 09:15:00 +0300\" BODY[] {5})";
    response.literals = {"hello"};
    auto data = parse_fetch(response);
    ASSERT_TRUE(data);
    EXPECT_EQ(data->sequence, 7u);
    EXPECT_EQ(data->uid, 42u);
    EXPECT_EQ(data->size, 1234u);
    EXPECT_EQ(data->internal_date, " 6-Nov-2026 09:15:00 +0300");
    EXPECT_EQ(data->body, "hello");
}

TEST(ImapFetch, CountsLiteralsInsideListsBeforeTheBody)
{
    // An ENVELOPE whose subject came as a literal precedes the body; the body is the second literal.
    ImapResponse response;
    response.text = "1 FETCH (ENVELOPE (NIL {3} NIL) FLAGS (\\Seen $Junk) UID 5 BODY[HEADER] {4})";
    response.literals = {"sub", "head"};
    auto data = parse_fetch(response);
    ASSERT_TRUE(data);
    EXPECT_EQ(data->uid, 5u);
    EXPECT_EQ(data->body, "head");
    EXPECT_EQ(data->flags, (std::vector<std::string>{"\\SEEN", "$JUNK"}));
}

TEST(ImapFetch, ReadsAQuotedBodyAndRefusesOtherResponses)
{
    ImapResponse response;
    response.text = "2 FETCH (UID 9 BODY[] \"short \\\"one\\\"\")";
    auto data = parse_fetch(response);
    ASSERT_TRUE(data);
    EXPECT_EQ(data->body, "short \"one\"");

    ImapResponse other;
    other.text = "2 EXPUNGE";
    EXPECT_FALSE(parse_fetch(other));
}

TEST(ImapInternalDate, ConvertsToUtc)
{
    auto t = parse_internal_date(" 6-Nov-2026 09:15:00 +0300");
    ASSERT_TRUE(t);
    EXPECT_EQ(redress::format_iso8601_utc(*t), "2026-11-06T06:15:00Z");
    auto west = parse_internal_date("26-Nov-2026 23:30:00 -0500");
    ASSERT_TRUE(west);
    EXPECT_EQ(redress::format_iso8601_utc(*west), "2026-11-27T04:30:00Z");
    EXPECT_FALSE(parse_internal_date("31-Feb-2026 10:00:00 +0000"));
    EXPECT_FALSE(parse_internal_date("yesterday"));
}
