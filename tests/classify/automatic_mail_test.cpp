// Automatic and bulk mail decided from headers (RFC 3834, RFC 3464/6522, RFC 5321, RFC 2369/2919).

#include "classify/automatic_mail.hpp"

#include <gtest/gtest.h>

using redress::Message;
using redress::classify::inspect_headers;

namespace {

Message with_header(std::string name, std::string value)
{
    Message m;
    m.from.address = "anna@example.org";
    m.headers.push_back({std::move(name), std::move(value)});
    return m;
}

}  // namespace

TEST(AutomaticMail, PlainMessageIsNeitherAutomaticNorBulk)
{
    Message m;
    m.from.address = "anna@example.org";
    auto v = inspect_headers(m);
    EXPECT_FALSE(v.automatic);
    EXPECT_FALSE(v.bulk);
    EXPECT_TRUE(v.reasons.empty());
}

TEST(AutomaticMail, AutoSubmittedAnythingButNoIsAutomatic)
{
    auto v = inspect_headers(with_header("Auto-Submitted", "auto-replied; owner-email=\"x@example.org\""));
    EXPECT_TRUE(v.automatic);
    ASSERT_EQ(v.reasons.size(), 1U);
    EXPECT_EQ(v.reasons[0], "header Auto-Submitted: auto-replied; owner-email=\"x@example.org\"");
    EXPECT_TRUE(inspect_headers(with_header("auto-submitted", "auto-generated")).automatic);  // names are case-insensitive
    EXPECT_FALSE(inspect_headers(with_header("Auto-Submitted", "no")).automatic);
    EXPECT_FALSE(inspect_headers(with_header("Auto-Submitted", " No (a person wrote this)")).automatic);
}

TEST(AutomaticMail, NullReturnPathIsAutomatic)
{
    Message m;
    m.return_path = "<>";
    EXPECT_TRUE(inspect_headers(m).automatic);
    EXPECT_TRUE(inspect_headers(with_header("Return-Path", " <> ")).automatic);
    EXPECT_FALSE(inspect_headers(with_header("Return-Path", "<anna@example.org>")).automatic);
}

TEST(AutomaticMail, DeliveryReportIsAutomatic)
{
    Message m;
    m.content_type = "multipart/report";
    auto v = inspect_headers(m);
    EXPECT_TRUE(v.automatic);
    EXPECT_EQ(v.reasons.at(0), "header Content-Type: multipart/report");
}

TEST(AutomaticMail, VendorAutoreplyHeadersAreAutomatic)
{
    EXPECT_TRUE(inspect_headers(with_header("X-Autoreply", "yes")).automatic);
    EXPECT_TRUE(inspect_headers(with_header("X-Autorespond", "Out of office")).automatic);
    EXPECT_TRUE(inspect_headers(with_header("X-Loop", "helpdesk@example.org")).automatic);
    EXPECT_TRUE(inspect_headers(with_header("Precedence", "auto_reply")).automatic);
}

TEST(AutomaticMail, OnlyAutoReplyValuesOfExchangeSuppressCount)
{
    EXPECT_TRUE(inspect_headers(with_header("X-Auto-Response-Suppress", "All")).automatic);
    EXPECT_TRUE(inspect_headers(with_header("X-Auto-Response-Suppress", "DR, OOF")).automatic);
    EXPECT_TRUE(inspect_headers(with_header("X-Auto-Response-Suppress", "autoreply")).automatic);
    // Outlook puts "DR, RN, NRN" on ordinary mail too.
    EXPECT_FALSE(inspect_headers(with_header("X-Auto-Response-Suppress", "DR, RN, NRN")).automatic);
}

TEST(AutomaticMail, MailerDaemonAndPostmasterAreAutomatic)
{
    Message m;
    m.from.address = "MAILER-DAEMON@mx.example.org";
    EXPECT_TRUE(inspect_headers(m).automatic);
    m.from.address = "postmaster@example.org";
    EXPECT_TRUE(inspect_headers(m).automatic);
    m.from.address = "postmaster.fan@example.org";
    EXPECT_FALSE(inspect_headers(m).automatic);
}

TEST(AutomaticMail, ListsAndBulkAreMarkedButNotAutomatic)
{
    for (auto [name, value] : {std::pair{"Precedence", "bulk"}, std::pair{"Precedence", "list"},
                               std::pair{"Precedence", "junk"}, std::pair{"List-Id", "<news.example.org>"},
                               std::pair{"List-Unsubscribe", "<mailto:leave@example.org>"}}) {
        auto v = inspect_headers(with_header(name, value));
        EXPECT_TRUE(v.bulk) << name;
        EXPECT_FALSE(v.automatic) << name;
        ASSERT_EQ(v.reasons.size(), 1U);
        EXPECT_EQ(v.reasons[0], std::string("header ") + name + ": " + value);
    }
}
