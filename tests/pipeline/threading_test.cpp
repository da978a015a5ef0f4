#include "common/text.hpp"
#include "pipeline/bounce.hpp"
#include "pipeline/letter_writer.hpp"
#include "pipeline/loop_guard.hpp"
#include "pipeline/threading.hpp"

#include <gtest/gtest.h>

using namespace redress;
using namespace redress::pipeline;

TEST(TicketTag, FindsTheNumberInARepliedSubject)
{
    EXPECT_EQ(ticket_tag("Re: [RD-000123] Broken kettle", "RD"), "RD-000123");
    EXPECT_EQ(ticket_tag("AW: Fwd: [rd-000042] x", "RD"), "RD-000042");
    EXPECT_EQ(ticket_tag("[RD-42]", "RD"), "RD-000042");
    EXPECT_EQ(ticket_tag("[AC-000001] other prefix", "RD"), std::nullopt);
    EXPECT_EQ(ticket_tag("[RD-12a] not digits", "RD"), std::nullopt);
    EXPECT_EQ(ticket_tag("RD-000123 without brackets", "RD"), std::nullopt);
    EXPECT_EQ(ticket_tag("[RDX-000123]", "RD"), std::nullopt);
}

TEST(TicketTag, TagsASubjectOnce)
{
    EXPECT_EQ(tagged_subject("Broken kettle", "RD-000001"), "[RD-000001] Broken kettle");
    EXPECT_EQ(tagged_subject("Re: [RD-000001] Broken kettle", "RD-000001"), "Re: [RD-000001] Broken kettle");
    EXPECT_EQ(tagged_subject("", "RD-000001"), "[RD-000001]");
}

TEST(Threading, ListsReferencesThenInReplyToWithoutRepeats)
{
    Message m;
    m.references = {"a@x", "b@x"};
    m.in_reply_to = "b@x";
    EXPECT_EQ(thread_message_ids(m), (std::vector<std::string>{"a@x", "b@x"}));
    m.in_reply_to = "c@x";
    EXPECT_EQ(thread_message_ids(m), (std::vector<std::string>{"a@x", "b@x", "c@x"}));
}

namespace {
config::Config company()
{
    config::Config c;
    c.company.support_address = Mailbox{"Support", "support@shop.test"};
    c.company.message_id_domain = "shop.test";
    return c;
}
Message customer_mail()
{
    Message m;
    m.from = Mailbox{"Anna", "anna@customer.test"};
    m.message_id = "1@customer.test";
    return m;
}
Classification complaint()
{
    Classification c;
    c.kind = Kind::complaint;
    return c;
}
}  // namespace

TEST(LoopGuard, AllowsAnAnswerToAPersonsComplaint)
{
    EXPECT_EQ(automatic_reply_refusal(customer_mail(), complaint(), company()), std::nullopt);
}

TEST(LoopGuard, RefusesAutomaticBulkNoReplyOwnAndNullSenderMail)
{
    auto c = company();
    auto automatic = complaint();
    automatic.kind = Kind::automatic;
    EXPECT_TRUE(automatic_reply_refusal(customer_mail(), automatic, c));
    auto bulk = complaint();
    bulk.bulk = true;
    EXPECT_TRUE(automatic_reply_refusal(customer_mail(), bulk, c));

    auto noreply = customer_mail();
    noreply.from.address = "No-Reply@bank.test";
    EXPECT_TRUE(automatic_reply_refusal(noreply, complaint(), c));
    auto ours = customer_mail();
    ours.headers.push_back(Header{"X-Redress-Loop", "shop.test"});
    EXPECT_TRUE(automatic_reply_refusal(ours, complaint(), c));
    EXPECT_TRUE(is_own_letter(ours, c));
    auto null_sender = customer_mail();
    null_sender.return_path = "<>";
    EXPECT_TRUE(automatic_reply_refusal(null_sender, complaint(), c));
    auto self = customer_mail();
    self.from.address = "SUPPORT@shop.test";
    EXPECT_TRUE(automatic_reply_refusal(self, complaint(), c));
}

TEST(LoopGuard, AnswersReplyToWhenGiven)
{
    auto m = customer_mail();
    m.reply_to = Mailbox{"", "anna.private@customer.test"};
    EXPECT_EQ(reply_address(m).address, "anna.private@customer.test");
}

TEST(Bounce, RecognisesADeliveryReportAndTheLetterItIsAbout)
{
    Message report;
    report.content_type = "multipart/report";
    report.headers.push_back(Header{"Content-Type", "multipart/report; report-type=delivery-status; boundary=x"});
    report.from = Mailbox{"Mail Delivery System", "MAILER-DAEMON@mx.test"};
    Message original;
    original.message_id = "rd-000001.acknowledgement.redress.00ff@shop.test";
    report.embedded.push_back(original);
    EXPECT_TRUE(
        is_delivery_failure(report, "Final-Recipient: rfc822; a@b.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"));
    auto ids = bounced_message_ids(report);
    ASSERT_FALSE(ids.empty());
    EXPECT_EQ(ids[0], original.message_id);
}

TEST(Bounce, FindsTheMessageIdInReturnedHeadersGivenAsText)
{
    Message report;
    report.from = Mailbox{"", "postmaster@mx.test"};
    report.return_path = "<>";
    report.subject = "Undelivered Mail Returned to Sender";
    report.text = "The mail system could not deliver.\n\nFrom: support@shop.test\nMessage-ID: <abc@shop.test>\n";
    EXPECT_TRUE(is_delivery_failure(report, ""));
    EXPECT_EQ(bounced_message_ids(report), std::vector<std::string>{"abc@shop.test"});
}

TEST(Bounce, APersonWritingFromPostmasterIsNotABounce)
{
    Message m;
    m.from = Mailbox{"", "postmaster@partner.test"};
    m.subject = "Question about our contract";
    EXPECT_FALSE(is_delivery_failure(m, ""));
}

TEST(Bounce, DelayNoticesAndReadReceiptsAreNotFailures)
{
    Message delayed;
    delayed.content_type = "multipart/report";
    delayed.headers.push_back(Header{"Content-Type", "multipart/report; report-type=delivery-status; boundary=B"});
    EXPECT_FALSE(
        is_delivery_failure(delayed, "Final-Recipient: rfc822; a@b.test\r\nAction: delayed\r\nStatus: 4.4.1\r\n"));
    Message receipt;
    receipt.content_type = "multipart/report";
    receipt.headers.push_back(
        Header{"Content-Type", "multipart/report; report-type=disposition-notification; boundary=B"});
    EXPECT_FALSE(is_delivery_failure(receipt, "Disposition: manual-action/MDN-sent-manually; displayed\r\n"));
}

TEST(ChatText, IsTheSubjectABlankLineAndTheBody)
{
    EXPECT_EQ(chat_text("[RD-000001] Deadline missed", "The first response is overdue.\n\n"),
              "[RD-000001] Deadline missed\n\nThe first response is overdue.");
}

// The limit is counted as Telegram counts (UTF-16 code units), not in bytes: a Russian letter of
// 3,000 characters is 6,000 bytes and goes whole.
static std::size_t utf16_length(std::string_view text)
{
    std::size_t units = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80)
            units += c >= 0xF0 ? 2 : 1;
    return units;
}

TEST(ChatText, ALongLetterIsCutAtALineOrCharacterBoundary)
{
    std::string body;
    for (int i = 0; i < 200; ++i)
        body += "Строка номер " + std::to_string(i) + " письма.\n";  // Cyrillic: two bytes a letter
    std::string text = chat_text("Subject", body, 1000);
    EXPECT_LE(utf16_length(text), 1000u);
    EXPECT_GT(text.size(), 1000u);  // characters, not bytes
    EXPECT_TRUE(text.ends_with("\n[...]")) << text;
    EXPECT_TRUE(is_valid_utf8(text));
    // Cut at the end of a line: the last kept line is whole.
    std::string kept = text.substr(0, text.size() - 6);
    EXPECT_TRUE(kept.ends_with(" письма.")) << kept.substr(kept.size() - 40);

    std::string one_line(3000, 'x');
    one_line.replace(995, 2, "\xD0\xAF");  // a two-byte letter across the cut
    std::string cut = chat_text("S", one_line, 1000);
    EXPECT_LE(utf16_length(cut), 1000u);
    EXPECT_TRUE(is_valid_utf8(cut));

    // An emoji is two UTF-16 units: 600 of them are 1,200 units, over a limit of 1,000.
    std::string emoji;
    for (int i = 0; i < 600; ++i)
        emoji += "\xF0\x9F\x99\x82";
    std::string smiles = chat_text("S", emoji, 1000);
    EXPECT_LE(utf16_length(smiles), 1000u);
    EXPECT_TRUE(smiles.ends_with("[...]"));
    EXPECT_TRUE(is_valid_utf8(smiles));
}

// A chat customer has no email where the rest of a letter could be: a letter is cut only where the
// platform itself could not carry it (Telegram 4,096 characters, Slack 40,000, a webhook never).
TEST(ChatText, ALetterIsCutOnlyAtItsPlatformsOwnLimit)
{
    std::string russian;
    while (utf16_length(russian) < 3000)
        russian += "Мы вернём вам деньги за чайник в течение трёх рабочих дней.\n";
    ASSERT_GT(russian.size(), 5000u);
    std::string telegram = chat_text("[RD-000001] Ответ", russian, chat_text_limit(config::ChatType::telegram));
    EXPECT_FALSE(telegram.ends_with("[...]"));
    EXPECT_NE(telegram.find(std::string(trim(russian)).substr(russian.size() - 200)), std::string::npos);

    std::string longer = russian + russian;  // over 6,000 characters
    std::string cut = chat_text("S", longer, chat_text_limit(config::ChatType::telegram));
    EXPECT_TRUE(cut.ends_with("\n[...]"));
    EXPECT_LE(utf16_length(cut), 4096u);
    EXPECT_GT(utf16_length(cut), 3600u);
    EXPECT_FALSE(chat_text("S", longer, chat_text_limit(config::ChatType::slack)).ends_with("[...]"));
    std::string huge;
    while (huge.size() < 100000)
        huge += longer;
    EXPECT_EQ(chat_text("S", huge, chat_text_limit(config::ChatType::webhook)).size(),
              std::string(trim("S\n\n" + huge)).size());
    EXPECT_LE(utf16_length(chat_text("S", huge, chat_text_limit(config::ChatType::slack))), 40000u);
}
