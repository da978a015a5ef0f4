#include "fixture.hpp"

#include "mime/header_block.hpp"
#include "mime/parser.hpp"

#include "common/text.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using redress::Message;
using redress::mime::parse_message;
using redress::mime::ParseOptions;
using redress::mime::test::read_fixture;

namespace {

Message parse_fixture(const std::string& name)
{
    auto result = parse_message(read_fixture(name));
    if (!result)
        throw std::runtime_error(name + ": " + result.error().code + " " + result.error().message);
    return std::move(result).value();
}

bool has_warning_containing(const Message& m, std::string_view needle)
{
    return std::any_of(m.warnings.begin(), m.warnings.end(),
                       [&](const std::string& w) { return w.find(needle) != std::string::npos; });
}

}  // namespace

TEST(MimeParser, ReadsUtf8BodyAndEncodedSubject)
{
    Message m = parse_fixture("utf8_8bit.eml");
    EXPECT_EQ(m.subject, "Жалоба на доставку");
    EXPECT_EQ(m.from.name, "Anna Petrova");
    EXPECT_EQ(m.from.address, "anna@example.ru");
    ASSERT_EQ(m.to.size(), 2u);
    EXPECT_EQ(m.to[0].name, "Support");
    EXPECT_EQ(m.to[1].address, "billing@shop.example");
    EXPECT_EQ(m.text, "Здравствуйте! Заказ №123 пришёл разбитым.");
    EXPECT_EQ(m.message_id, "utf8-1@example.ru");
    ASSERT_TRUE(m.date.has_value());
    EXPECT_EQ(redress::format_iso8601_utc(*m.date), "2026-03-03T07:15:00Z");
    EXPECT_EQ(m.content_type, "text/plain");
    EXPECT_TRUE(m.warnings.empty());
}

TEST(MimeParser, KeepsAllTopLevelHeadersInOrderDecoded)
{
    Message m = parse_fixture("utf8_8bit.eml");
    ASSERT_GE(m.headers.size(), 7u);
    EXPECT_EQ(m.headers[0].name, "From");
    EXPECT_EQ(m.headers[2].name, "Subject");
    EXPECT_EQ(m.headers[2].value, "Жалоба на доставку");
    ASSERT_NE(m.header("content-type"), nullptr);
    EXPECT_EQ(*m.header("content-type"), "text/plain; charset=utf-8");
}

TEST(MimeParser, DecodesWindows1251QuotedPrintableWithSoftBreaks)
{
    Message m = parse_fixture("windows1251_qp.eml");
    EXPECT_EQ(m.subject, "Опоздание курьера");
    EXPECT_EQ(m.from.name, "Иван Сидоров");
    EXPECT_EQ(m.text, "Добрый день. Курьер опоздал на три часа и нагрубил мне по телефону, прошу разобраться.");
}

TEST(MimeParser, DecodesKoi8rBase64)
{
    Message m = parse_fixture("koi8r_base64.eml");
    EXPECT_EQ(m.from.name, "Ольга");
    EXPECT_EQ(m.subject, "Возврат денег");
    EXPECT_EQ(m.text, "Прошу вернуть деньги за товар.");
}

TEST(MimeParser, ReadsLatin1LabelWithWindowsQuotes)
{
    Message m = parse_fixture("latin1_8bit.eml");
    EXPECT_EQ(m.subject, "Café frío");
    EXPECT_EQ(m.from.name, "José");
    EXPECT_EQ(m.text, "El café llegó frío, “muy mal”.");
}

TEST(MimeParser, MapsKsc5601LabelToCp949)
{
    Message m = parse_fixture("ks_c_5601.eml");
    EXPECT_EQ(m.subject, "배송 문의");
    EXPECT_EQ(m.text, "배송이 늦었습니다.");
    EXPECT_TRUE(m.warnings.empty());
}

TEST(MimeParser, UnknownCharsetIsDecodedWithAWarning)
{
    Message m = parse_fixture("unknown_charset.eml");
    EXPECT_TRUE(redress::is_valid_utf8(m.text));
    EXPECT_NE(m.text.find("plain start"), std::string::npos);
    EXPECT_TRUE(has_warning_containing(m, "x-klingon-1"));
}

TEST(MimeParser, JoinsBase64WordsThatSplitACharacter)
{
    Message m = parse_fixture("split_multibyte_subject.eml");
    EXPECT_EQ(m.subject, "Заказ не доставлен");
    EXPECT_EQ(m.from.name, "María López");
}

TEST(MimeParser, TurnsHtmlOnlyMailIntoText)
{
    Message m = parse_fixture("html_only.eml");
    EXPECT_TRUE(m.text_from_html);
    EXPECT_EQ(m.text, "Hello & good day,\n\nMy order #42 is late.\nPlease help.\n\n- first item\n- second item\n\n"
                      "See the tracking page <now>.\n\nCafé é");
}

TEST(MimeParser, PrefersPlainPartOfAlternative)
{
    Message m = parse_fixture("alternative.eml");
    EXPECT_FALSE(m.text_from_html);
    EXPECT_EQ(m.text, "The plain version wins.");
    EXPECT_EQ(m.content_type, "multipart/alternative");
    EXPECT_TRUE(m.attachments.empty());
}

TEST(MimeParser, ListsAttachmentsWithRfc2231AndRfc2047Names)
{
    Message m = parse_fixture("attachments_rfc2231.eml");
    EXPECT_EQ(m.text, "Photos attached.");
    ASSERT_EQ(m.attachments.size(), 3u);
    EXPECT_EQ(m.attachments[0].filename, "Чек №5.pdf");
    EXPECT_EQ(m.attachments[0].content_type, "application/pdf");
    EXPECT_EQ(m.attachments[0].size, 36u);
    EXPECT_EQ(m.attachments[1].filename, "заметка.txt");
    EXPECT_EQ(m.attachments[1].content_type, "text/plain");
    EXPECT_EQ(m.attachments[2].filename, "фото.png");
    EXPECT_EQ(m.attachments[2].content_type, "image/png");
    EXPECT_EQ(m.attachments[2].size, 28u);
}

TEST(MimeParser, ParsesForwardedMessageIntoEmbedded)
{
    Message m = parse_fixture("forwarded_rfc822.eml");
    EXPECT_EQ(m.text, "Forwarding the customer's letter below.");
    ASSERT_EQ(m.embedded.size(), 1u);
    const Message& inner = m.embedded[0];
    EXPECT_EQ(inner.subject, "Сломанный чайник");
    EXPECT_EQ(inner.from.address, "customer@example.net");
    EXPECT_EQ(inner.message_id, "inner-1@example.net");
    EXPECT_EQ(inner.text, "Чайник сломался через день.");
}

TEST(MimeParser, DigestEntriesWithoutContentTypeAreMessages)
{
    Message m = parse_fixture("digest.eml");
    ASSERT_EQ(m.embedded.size(), 2u);
    EXPECT_EQ(m.embedded[0].subject, "First entry");
    EXPECT_EQ(m.embedded[0].text, "Body of the first entry.");
    EXPECT_EQ(m.embedded[1].from.address, "second@example.org");
}

TEST(MimeParser, SkipsMboxFromLine)
{
    Message m = parse_fixture("mbox_from_line.eml");
    EXPECT_EQ(m.subject, "mbox separator first");
    EXPECT_EQ(m.return_path, "<customer@example.com>");
    EXPECT_EQ(m.text, "The first line of this file is an mbox separator.");
}

TEST(MimeParser, MissingContentTypeMeansPlainText)
{
    Message m = parse_fixture("missing_content_type.eml");
    EXPECT_EQ(m.content_type, "text/plain");
    EXPECT_EQ(m.text, "No MIME headers at all; RFC 2045 5.2 says text/plain; charset=us-ascii.");
}

TEST(MimeParser, GuessesMissingBoundary)
{
    Message m = parse_fixture("missing_boundary.eml");
    EXPECT_EQ(m.content_type, "multipart/mixed");
    EXPECT_EQ(m.text, "Text of a multipart whose header forgot the boundary.");
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_EQ(m.attachments[0].filename, "data.bin");
    EXPECT_EQ(m.attachments[0].size, 8u);
    EXPECT_TRUE(has_warning_containing(m, "no boundary"));
}

TEST(MimeParser, TruncatedMessageKeepsWhatArrived)
{
    Message m = parse_fixture("truncated.eml");
    EXPECT_EQ(m.text, "Текст письма, которое оборвалось.");
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_EQ(m.attachments[0].filename, "scan.pdf");
    EXPECT_TRUE(has_warning_containing(m, "truncated"));
}

TEST(MimeParser, BrokenBase64DecodesTheRestWithAWarning)
{
    Message m = parse_fixture("broken_base64.eml");
    EXPECT_EQ(m.text, "Hello there, the parcel is damaged.");
    EXPECT_TRUE(has_warning_containing(m, "broken base64"));
}

TEST(MimeParser, ReadsBounceReport)
{
    Message m = parse_fixture("bounce_report.eml");
    EXPECT_EQ(m.return_path, "<>");
    EXPECT_EQ(m.content_type, "multipart/report");
    EXPECT_NE(m.text.find("could not be delivered"), std::string::npos);
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_EQ(m.attachments[0].content_type, "message/delivery-status");
    ASSERT_EQ(m.embedded.size(), 1u);
    EXPECT_EQ(m.embedded[0].message_id, "letter-42@shop.example");
}

TEST(MimeParser, KeepsAutoSubmittedAndThreadHeaders)
{
    Message m = parse_fixture("auto_reply.eml");
    ASSERT_NE(m.header("Auto-Submitted"), nullptr);
    EXPECT_EQ(*m.header("Auto-Submitted"), "auto-replied");
    EXPECT_EQ(m.in_reply_to, "letter-42@shop.example");
    EXPECT_EQ(m.references, (std::vector<std::string>{"letter-41@shop.example", "letter-42@shop.example"}));
    EXPECT_EQ(*m.header("References"), "<letter-41@shop.example> <letter-42@shop.example>");
}

TEST(MimeParser, SeparatesEnglishHistoryAndSignature)
{
    Message m = parse_fixture("reply_english.eml");
    EXPECT_EQ(m.from.name, "Smith, John");
    EXPECT_TRUE(m.cc.empty());
    ASSERT_TRUE(m.reply_to.has_value());
    EXPECT_EQ(m.reply_to->address, "john.smith@example.com");
    EXPECT_EQ(m.reply_to->name, "John Smith");
    EXPECT_EQ(m.text, "Still no refund after two weeks.\nThis is unacceptable.");
    EXPECT_EQ(m.signature, "John Smith\n+1 555 0100");
    EXPECT_EQ(m.quoted.substr(0, 3), "On ");
    EXPECT_NE(m.quoted.find("> We will reply soon."), std::string::npos);
}

TEST(MimeParser, SeparatesRussianHistory)
{
    Message m = parse_fixture("reply_russian.eml");
    EXPECT_EQ(m.subject, "Re: Ваше обращение");
    EXPECT_EQ(m.text, "Деньги так и не вернули.");
    EXPECT_NE(m.quoted.find("написал(а):"), std::string::npos);
    EXPECT_NE(m.quoted.find("> Мы ответим"), std::string::npos);
}

TEST(MimeParser, RefusesMessageOverTheSizeCap)
{
    std::string bytes = read_fixture("utf8_8bit.eml");
    ParseOptions options;
    options.max_size = bytes.size() - 1;
    auto result = parse_message(bytes, options);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, "mime.too_large");

    std::string huge = "From: a@example.com\r\nSubject: big\r\n\r\n" + std::string(26 * 1024 * 1024, 'x');
    auto big = parse_message(huge);
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error().code, "mime.too_large");
}

TEST(MimeParser, RefusesEmptyAndNonMessageInput)
{
    EXPECT_EQ(parse_message("").error().code, "mime.empty");
    EXPECT_EQ(parse_message("\r\n\r\n").error().code, "mime.empty");
    EXPECT_EQ(parse_message("just some text without any header\n").error().code, "mime.not_a_message");
    EXPECT_EQ(parse_message(std::string("\x89PNG\r\n\x1a\n\0\0\0", 11)).error().code, "mime.not_a_message");
    EXPECT_EQ(parse_message("{\"id\":\"00247\",\"text\":\"From: a\"}").error().code, "mime.not_a_message");
}

TEST(MimeParser, HeaderOnlyMessageHasEmptyText)
{
    auto result = parse_message("From: a@example.com\r\nSubject: only headers");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->subject, "only headers");
    EXPECT_EQ(result->text, "");
}

TEST(MimeParser, RespectsDepthLimit)
{
    std::string nested = "From: a@example.com\r\nSubject: deep\r\nContent-Type: message/rfc822\r\n\r\n";
    std::string tail;
    for (int i = 0; i < 30; ++i)
        nested += "From: b@example.com\r\nContent-Type: message/rfc822\r\n\r\n";
    nested += "From: c@example.com\r\n\r\ninnermost\r\n";
    ParseOptions options;
    options.max_depth = 4;
    auto result = parse_message(nested, options);
    ASSERT_TRUE(result);
    int depth = 0;
    const Message* m = &*result;
    while (!m->embedded.empty()) {
        m = &m->embedded[0];
        ++depth;
    }
    EXPECT_LE(depth, 4);
    EXPECT_FALSE(m->warnings.empty());
}

TEST(MimeParser, ManyNestedMultipartsDoNotExhaustTheStack)
{
    std::string bytes = "From: a@example.com\r\nSubject: bomb\r\n";
    for (int i = 0; i < 3000; ++i)
        bytes += "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(i) + "\"\r\n\r\n--b" +
                 std::to_string(i) + "\r\n";
    bytes += "Content-Type: text/plain\r\n\r\nleaf\r\n";
    auto result = parse_message(bytes);
    ASSERT_TRUE(result);
    EXPECT_FALSE(result->warnings.empty());
}

TEST(MimeParser, MultipartWithoutBoundaryOrPartsIsReadAsText)
{
    auto result =
        parse_message("From: a@example.com\r\nContent-Type: multipart/mixed\r\n\r\nno dashes here -- at all\r\n");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->text, "no dashes here -- at all");
    EXPECT_FALSE(result->warnings.empty());
}

// Truncating at every 97th byte of every fixture stands in for arbitrary network cuts: the parser
// must always return a value (a Message or an Error with a message) and never crash.
TEST(MimeParser, TruncationAtEvery97thByteNeverCrashes)
{
    const char* names[] = {"utf8_8bit.eml",        "windows1251_qp.eml",   "attachments_rfc2231.eml",
                           "forwarded_rfc822.eml", "digest.eml",           "bounce_report.eml",
                           "html_only.eml",        "missing_boundary.eml", "split_multibyte_subject.eml",
                           "reply_english.eml",    "koi8r_base64.eml",     "ks_c_5601.eml"};
    std::size_t parsed = 0;
    for (const char* name : names) {
        std::string bytes = read_fixture(name);
        for (std::size_t cut = 1; cut < bytes.size(); cut += 97) {
            auto result = parse_message(std::string_view(bytes).substr(0, cut));
            if (result) {
                ++parsed;
                EXPECT_TRUE(redress::is_valid_utf8(result->text)) << name << " cut at " << cut;
                EXPECT_TRUE(redress::is_valid_utf8(result->subject)) << name << " cut at " << cut;
            } else {
                EXPECT_FALSE(result.error().message.empty()) << name << " cut at " << cut;
            }
        }
    }
    EXPECT_GT(parsed, 20u);
}

// Defect 9: PHP's mb_encode_mimeheader and many web forms encode the whole "Name <address>".
TEST(MimeParser, ReadsTheAddressOfAFromThatIsOneBase64EncodedWord)
{
    Message m = parse_fixture("encoded_whole_from.eml");
    EXPECT_EQ(m.from.address, "ivan@example.org");
    EXPECT_EQ(m.from.name, "Иван Петров");
    EXPECT_EQ(m.subject, "Жалоба с сайта");
    EXPECT_TRUE(has_warning_containing(m, "the whole From field was an encoded word")) << m.warnings.size();
}

TEST(MimeParser, ReadsTheAddressOfAFromThatIsOneQuotedPrintableEncodedWord)
{
    std::string bytes =
        "From: =?utf-8?Q?=D0=98=D0=B2=D0=B0=D0=BD_=D0=9F=D0=B5=D1=82=D1=80=D0=BE=D0=B2_=3Civan=40example.org=3E?=\r\n"
        "Reply-To: =?UTF-8?B?0JjQstCw0L0sINC+0YTQuNGBIDxvZmZpY2VAZXhhbXBsZS5vcmc+?=\r\n"
        "Subject: test\r\n\r\nbody\r\n";
    auto m = parse_message(bytes);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->from.address, "ivan@example.org");
    EXPECT_EQ(m->from.name, "Иван Петров");
    // A comma inside the decoded name does not split it: "Иван, офис <office@example.org>".
    ASSERT_TRUE(m->reply_to);
    EXPECT_EQ(m->reply_to->address, "office@example.org");
    EXPECT_EQ(m->reply_to->name, "Иван, офис");
    EXPECT_TRUE(has_warning_containing(*m, "the whole Reply-To field was an encoded word"));
}

TEST(MimeParser, AnEncodedDisplayNameWithAnAddressNeedsNoSecondReading)
{
    auto m = parse_message("From: =?UTF-8?B?0JjQstCw0L0=?= <ivan@example.org>\r\nSubject: x\r\n\r\nbody\r\n");
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->from.address, "ivan@example.org");
    EXPECT_EQ(m->from.name, "Иван");
    EXPECT_FALSE(has_warning_containing(*m, "encoded word"));
    // An encoded word that holds no address either leaves the field as it was.
    auto n = parse_message("From: =?UTF-8?B?0JjQstCw0L0=?=\r\nSubject: x\r\n\r\nbody\r\n");
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(n->from.address.find('@'), std::string::npos);
    EXPECT_FALSE(has_warning_containing(*n, "the whole From field"));
}

// Defect 8: mimetic's header loader is quadratic in a field's length; the pre-pass bounds fields
// so the parse is linear. Timings are in bench/README.md; here the sizes show the bound.
TEST(MimeParser, AFiveMegabyteSubjectIsCutAndTheCutIsRecorded)
{
    std::string bytes =
        "From: anna@example.org\r\nSubject: " + std::string(5 * 1024 * 1024, 'x') +
        "\r\nMessage-ID: <long@example.org>\r\nContent-Type: text/plain\r\n\r\nThe kettle is broken.\r\n";
    auto m = parse_message(bytes);
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_EQ(m->subject.size(), redress::mime::HeaderBlock::k_max_field_bytes);
    EXPECT_EQ(m->message_id, "long@example.org");
    EXPECT_EQ(m->text, "The kettle is broken.");
    ASSERT_FALSE(m->warnings.empty());
    EXPECT_TRUE(has_warning_containing(
        *m, "1 header field(s) over the limit (8192 bytes; 65536 for References and In-Reply-To) were cut (Subject)"))
        << m->warnings[0];
}

TEST(MimeParser, ALongThreadsReferencesKeepItsNewestIds)
{
    // 300 ids (about 20 KiB): more than a person's field may have, far less than an id list may.
    std::string references;
    for (int i = 0; i < 300; ++i)
        references +=
            (i ? "\r\n <" : "<") + std::to_string(i) + ".abcdefghijklmnopqrstuvwxyz.0123456789@mail.example.org>";
    auto m = parse_message("From: anna@example.org\r\nSubject: Re: thread\r\nReferences: " + references +
                           "\r\n\r\nbody\r\n");
    ASSERT_TRUE(m.ok());
    ASSERT_EQ(m->references.size(), 300u);
    EXPECT_EQ(m->references.back(), "299.abcdefghijklmnopqrstuvwxyz.0123456789@mail.example.org");
    EXPECT_FALSE(has_warning_containing(*m, "were cut"));
}

TEST(MimeParser, AnOverlongReferencesKeepsItsNewestIdsWhole)
{
    // 3,000 ids (about 200 KiB), past the id-list bound: the oldest go, the newest stay, none cut.
    std::string references;
    for (int i = 0; i < 3000; ++i)
        references +=
            (i ? "\r\n <" : "<") + std::to_string(i) + ".abcdefghijklmnopqrstuvwxyz.0123456789@mail.example.org>";
    auto m = parse_message("From: anna@example.org\r\nSubject: Re: thread\r\nReferences: " + references +
                           "\r\n\r\nbody\r\n");
    ASSERT_TRUE(m.ok());
    ASSERT_FALSE(m->references.empty());
    EXPECT_LT(m->references.size(), 3000u);
    EXPECT_EQ(m->references.back(), "2999.abcdefghijklmnopqrstuvwxyz.0123456789@mail.example.org");
    for (const auto& id : m->references)
        EXPECT_NE(id.find(".abcdefghijklmnopqrstuvwxyz.0123456789@mail.example.org"), std::string::npos) << id;
    EXPECT_TRUE(has_warning_containing(*m, "were cut"));
}

TEST(MimeParser, AFoldedSubjectIsBoundedUnfoldedAndCutOnACharacterBoundary)
{
    std::string subject = "Subject: =?UTF-8?B?0JY=?=";
    for (int i = 0; i < 20000; ++i)
        subject += "\r\n жалоба";
    auto m = parse_message("From: anna@example.org\r\n" + subject + "\r\n\r\nbody\r\n");
    ASSERT_TRUE(m.ok());
    EXPECT_LE(m->subject.size(), redress::mime::HeaderBlock::k_max_field_bytes);
    EXPECT_GT(m->subject.size(), 8000u);
    EXPECT_TRUE(redress::is_valid_utf8(m->subject));
    EXPECT_TRUE(has_warning_containing(*m, "were cut (Subject)")) << (m->warnings.empty() ? "" : m->warnings[0]);
}

TEST(MimeParser, AHundredThousandHeaderLinesKeepTheFirstThousandFields)
{
    std::string bytes = "From: anna@example.org\r\nSubject: many fields\r\n";
    for (int i = 0; i < 100000; ++i)
        bytes += "X-Filler-" + std::to_string(i) + ": v\r\n";
    bytes += "\r\nbody\r\n";
    auto m = parse_message(bytes);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->headers.size(), redress::mime::HeaderBlock::k_max_fields);
    EXPECT_EQ(m->subject, "many fields");
    EXPECT_EQ(m->text, "body");
    EXPECT_TRUE(has_warning_containing(*m, "99002 header field(s) beyond the first 1000"));
}

TEST(MimeParser, AnOverlongFirstBodyLineWithoutABlankLineBeforeItIsBody)
{
    // No blank line: the long line is the start of the body; mimetic would have read it as a name.
    auto m =
        parse_message("From: anna@example.org\r\nSubject: x\r\n" + std::string(2 * 1024 * 1024, 'a') + "\r\nmore\r\n");
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->subject, "x");
    EXPECT_EQ(m->text, std::string(2 * 1024 * 1024, 'a') + "\nmore");
}

TEST(MimeParser, AnOverlongFieldInAPartHeaderIsCutToo)
{
    std::string folded;
    for (int i = 0; i < 20000; ++i)
        folded += "\r\n more words of a folded description";
    std::string bytes =
        "From: anna@example.org\r\nSubject: parts\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
        "--b\r\nContent-Type: text/plain\r\nContent-Description: " +
        std::string(3 * 1024 * 1024, 'd') +
        "\r\n\r\nThe kettle is broken.\r\n"
        "--b\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\nContent-Description: x" +
        folded + "\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n";
    auto m = parse_message(bytes);
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_EQ(m->text, "The kettle is broken.");
    ASSERT_EQ(m->attachments.size(), 1u);
    EXPECT_EQ(m->attachments[0].filename, "a.pdf");
    EXPECT_TRUE(has_warning_containing(*m, "2 header field(s) of MIME parts over the limit (8192 bytes) were cut"));
}

TEST(MimeParser, AnOverlongLineWhereAPartHeaderShouldBeIsReadAsBody)
{
    std::string bytes =
        "From: anna@example.org\r\nSubject: parts\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
        "--b\r\n" +
        std::string(2 * 1024 * 1024, 'a') + "\r\n--b--\r\n";
    auto m = parse_message(bytes);
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_EQ(m->text, std::string(2 * 1024 * 1024, 'a'));
    EXPECT_TRUE(has_warning_containing(*m, "1 overlong line(s) in the header of MIME parts"));
}

TEST(MimeParser, OrdinaryPartsAreLeftAsTheyAre)
{
    Message m = parse_fixture("attachments_rfc2231.eml");
    EXPECT_FALSE(has_warning_containing(m, "MIME parts"));
}
