// The files of a mail with their bytes (what the attachment store keeps): each transfer encoding
// undone, names in RFC 2231 and RFC 2047 form decoded, nested multiparts walked, an HTML mail's inline
// picture with its Content-ID, and the same order as parse_message's list.

#include "mime/attachment_parts.hpp"
#include "mime/parser.hpp"

#include <gtest/gtest.h>

using namespace redress;
using namespace redress::mime;

namespace {

// "GIF89a" and a few bytes that are not text: 7bit would never carry them, base64 does.
const std::string k_gif("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04", 22);

std::string header(const std::string& content_type)
{
    return "From: Anna <anna@customer.test>\r\nTo: support@shop.test\r\nSubject: Broken kettle\r\n"
           "Message-ID: <a1@customer.test>\r\nMIME-Version: 1.0\r\nContent-Type: " +
           content_type + "\r\n\r\n";
}

TEST(AttachmentParts, DecodesBase64QuotedPrintableAnd7bit)
{
    std::string mail =
        header("multipart/mixed; boundary=\"b1\"") +
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe kettle is broken, photo attached.\r\n"
        "--b1\r\nContent-Type: image/gif; name=\"kettle.gif\"\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment; filename=\"kettle.gif\"\r\n\r\n"
        "R0lGODlhAQABAIAAAP///wAAACH5BA==\r\n"
        "--b1\r\nContent-Type: text/csv; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        "Content-Disposition: attachment; filename=\"order.csv\"\r\n\r\n"
        "order;price=3D12=\r\n,50\r\n"
        "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: 7bit\r\n"
        "Content-Disposition: attachment; filename=\"note.txt\"\r\n\r\n"
        "plain seven bit\r\n"
        "--b1--\r\n";
    auto parts = attachment_parts(mail);
    ASSERT_TRUE(parts.ok()) << parts.error().message;
    ASSERT_EQ(parts->size(), 3u);
    EXPECT_EQ((*parts)[0].filename, "kettle.gif");
    EXPECT_EQ((*parts)[0].content_type, "image/gif");
    EXPECT_EQ((*parts)[0].bytes, k_gif);
    EXPECT_EQ((*parts)[1].filename, "order.csv");
    EXPECT_EQ((*parts)[1].bytes, "order;price=12,50");
    EXPECT_EQ((*parts)[2].filename, "note.txt");
    EXPECT_EQ((*parts)[2].bytes, "plain seven bit");
    // The same list, in the same order, as the parsed message's.
    auto message = parse_message(mail).value();
    ASSERT_EQ(message.attachments.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(message.attachments[i].filename, (*parts)[i].filename);
        EXPECT_EQ(message.attachments[i].size, (*parts)[i].bytes.size()) << i;
    }
}

TEST(AttachmentParts, DecodesNamesInRfc2231AndEncodedWords)
{
    std::string mail = header("multipart/mixed; boundary=\"b1\"") +
                       "--b1\r\nContent-Type: text/plain\r\n\r\nSee the receipts.\r\n"
                       "--b1\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
                       "Content-Disposition: attachment;\r\n filename*0*=UTF-8''%D1%87%D0%B5%D0%BA;\r\n"
                       " filename*1=\".pdf\"\r\n\r\nJVBERi0xLjcK\r\n"
                       "--b1\r\nContent-Type: application/pdf; name=\"=?UTF-8?B?0LDQutGCLnBkZg==?=\"\r\n"
                       "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n"
                       "--b1--\r\n";
    auto parts = attachment_parts(mail);
    ASSERT_TRUE(parts.ok()) << parts.error().message;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].filename, "чек.pdf");
    EXPECT_EQ((*parts)[0].bytes, "%PDF-1.7\n");
    EXPECT_EQ((*parts)[1].filename, "акт.pdf");
    EXPECT_EQ((*parts)[1].bytes, "%PDF-1.4\n");
}

TEST(AttachmentParts, WalksNestedMultipartsAndKeepsInlinePicturesWithTheirContentId)
{
    // An HTML mail from a webmail: alternative inside related inside mixed, the picture referenced by
    // cid: from the HTML, and a file attached at the top.
    std::string mail =
        header("multipart/mixed; boundary=\"outer\"") +
        "--outer\r\nContent-Type: multipart/related; boundary=\"rel\"\r\n\r\n"
        "--rel\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
        "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe lid, see the picture.\r\n"
        "--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>The lid</p><img src=\"cid:lid@customer.test\">\r\n"
        "--alt--\r\n"
        "--rel\r\nContent-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <lid@customer.test>\r\n"
        "Content-Disposition: inline\r\n\r\nR0lGODlhAQABAIAAAP///wAAACH5BA==\r\n"
        "--rel--\r\n"
        "--outer\r\nContent-Type: application/pdf; name=\"receipt.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        "JVBERi0xLjcK\r\n"
        "--outer--\r\n";
    auto parts = attachment_parts(mail);
    ASSERT_TRUE(parts.ok()) << parts.error().message;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].content_id, "lid@customer.test");
    EXPECT_TRUE((*parts)[0].inline_part);
    EXPECT_EQ((*parts)[0].bytes, k_gif);
    EXPECT_EQ((*parts)[1].filename, "receipt.pdf");
    EXPECT_FALSE((*parts)[1].inline_part);
    EXPECT_EQ(parse_message(mail).value().text, "The lid, see the picture.");
}

TEST(AttachmentParts, NoneForAPlainMail)
{
    auto parts = attachment_parts(header("text/plain; charset=utf-8") + "Just words.\r\n");
    ASSERT_TRUE(parts.ok());
    EXPECT_TRUE(parts->empty());
}

TEST(AttachmentParts, RefusesWhatParseMessageRefuses)
{
    EXPECT_FALSE(attachment_parts("").ok());
    ParseOptions small;
    small.max_size = 10;
    EXPECT_FALSE(attachment_parts(header("text/plain") + "x", small).ok());
}

}  // namespace
