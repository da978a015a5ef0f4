#include "mime/address_parser.hpp"

#include <gtest/gtest.h>

using redress::mime::AddressParser;
using redress::mime::CharsetReport;
using redress::mime::HeaderDecoder;

namespace {
std::vector<redress::Mailbox> parse(std::string_view raw)
{
    CharsetReport r;
    return AddressParser::parse_list(raw, HeaderDecoder(), r);
}
}  // namespace

TEST(AddressParser, ReadsQuotedNamesWithCommas)
{
    auto list = parse("\"Petrova, Anna\" <anna@example.ru>, bob@example.com");
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].name, "Petrova, Anna");
    EXPECT_EQ(list[0].address, "anna@example.ru");
    EXPECT_EQ(list[1].name, "");
    EXPECT_EQ(list[1].address, "bob@example.com");
}

TEST(AddressParser, UsesCommentAsNameInObsoleteForm)
{
    auto list = parse("anna@example.ru (Anna Petrova)");
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].name, "Anna Petrova");
    EXPECT_EQ(list[0].address, "anna@example.ru");
}

TEST(AddressParser, ListsGroupMembersAndDropsEmptyGroups)
{
    auto list = parse("Team: a@example.com, \"B\" <b@example.com>;, undisclosed-recipients:;");
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[1].name, "B");
}

TEST(AddressParser, DecodesEncodedDisplayNames)
{
    auto list = parse("=?utf-8?B?0JDQvdC90LA=?= <anna@example.ru>, \"=?utf-8?Q?Jos=C3=A9?=\" <jose@example.es>");
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].name, "Анна");
    EXPECT_EQ(list[1].name, "José");
}

TEST(AddressParser, ReadsSloppyNameBeforeBareAddress)
{
    auto list = parse("Anna Petrova anna@example.ru");
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].name, "Anna Petrova");
    EXPECT_EQ(list[0].address, "anna@example.ru");
}
