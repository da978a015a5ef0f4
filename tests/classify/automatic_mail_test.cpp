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
    EXPECT_TRUE(
        inspect_headers(with_header("auto-submitted", "auto-generated")).automatic);  // names are case-insensitive
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
    for (auto [name, value] :
         {std::pair{"Precedence", "bulk"}, std::pair{"Precedence", "list"}, std::pair{"Precedence", "junk"},
          std::pair{"List-Id", "<news.example.org>"}, std::pair{"List-Unsubscribe", "<mailto:leave@example.org>"}}) {
        auto v = inspect_headers(with_header(name, value));
        EXPECT_TRUE(v.bulk) << name;
        EXPECT_FALSE(v.automatic) << name;
        ASSERT_EQ(v.reasons.size(), 1U);
        EXPECT_EQ(v.reasons[0], std::string("header ") + name + ": " + value);
    }
}

// Defect 13: out-of-office replies that carry no header still say what they are in the subject,
// in each language we answer in.
TEST(AutomaticMail, AutoReplySubjectsAreRecognisedInTheSevenLanguages)
{
    using redress::classify::auto_reply_subject;
    const char* subjects[] = {
        // en
        "Automatic reply: Your ticket RD-000042",
        "Out of Office: Re: [RD-000042] Broken kettle",
        "Auto: Re: order 5",
        "Auto: [RD-000042] Broken kettle",
        "AUTOMATIC REPLY",
        "Out of the office: back on Monday",
        // ru
        "Автоответ: Re: [RD-000042] Жалоба",
        "Автоматический ответ: Жалоба",
        "АВТООТВЕТ",
        // uk
        "Автовідповідь: Re: [RD-000042] Скарга",
        "Автоматична відповідь: Скарга",
        // be
        "Аўтаматычны адказ: Скарга",
        "Аўтаадказ: Re: скарга",
        // pt
        "Resposta automática: Reclamação",
        "Ausente: Re: [RD-000042]",
        // de
        "Automatische Antwort: Beschwerde",
        "Abwesenheitsnotiz: Ihre Anfrage",
        // es
        "Respuesta automática: Reclamación",
        "Fuera de la oficina: Re: pedido",
    };
    for (const char* subject : subjects) {
        EXPECT_TRUE(auto_reply_subject(subject)) << subject;
        Message m;
        m.from.address = "anna@example.org";
        m.subject = subject;
        auto v = inspect_headers(m);
        EXPECT_TRUE(v.automatic) << subject;
        ASSERT_EQ(v.reasons.size(), 1U) << subject;
        EXPECT_TRUE(v.reasons[0].starts_with("header Subject: ")) << v.reasons[0];
    }
}

TEST(AutomaticMail, ACustomersSubjectThatMerelyStartsLikeOneIsNotAnAutoReply)
{
    using redress::classify::auto_reply_subject;
    for (const char* subject : {"Out of office hours delivery broke my kettle", "Auto repair shop overcharged me",
                                "Auto: the brakes failed after your repair", "Ausente: o produto",
                                "Automatic replies from your shop are useless", "Ausentes os documentos",
                                "Re: Автоответ не помог", "Broken kettle", ""})
        EXPECT_FALSE(auto_reply_subject(subject)) << subject;
}

TEST(AutomaticMail, AHeaderVerdictIsNotRepeatedForTheSubject)
{
    Message m = with_header("Auto-Submitted", "auto-replied");
    m.subject = "Automatic reply: hello";
    auto v = inspect_headers(m);
    EXPECT_TRUE(v.automatic);
    EXPECT_EQ(v.reasons.size(), 1U);
}
