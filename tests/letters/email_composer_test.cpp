#include "mail_reader.hpp"

#include "letters/body_encoding.hpp"
#include "letters/email_composer.hpp"
#include "letters/header_encoding.hpp"

#include "common/text.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace redress::letters {
namespace {

using testing::decode_words;
using testing::decoded_body;
using testing::read_message;

const std::string k_russian_body =
    "Здравствуйте, Анна Петрова!\n\n"
    "Ваша жалоба зарегистрирована под номером RD-000123.\n"
    "Наш сотрудник лично свяжется с Вами не позднее 26 ноября 2026, 12:25 (Europe/Moscow).\n";

EmailDraft russian_acknowledgement()
{
    EmailDraft d;
    d.from = {"Служба заботы о клиентах «Пример»", "support@example.ru"};
    d.to = {"Анна Петрова", "anna@example.ru"};
    d.subject = "[RD-000123] Ваша жалоба получена";
    d.body = k_russian_body;
    d.message_id = make_message_id("letter.42.acknowledgement", "example.ru");
    d.in_reply_to = "CAF=abc123@mail.example.ru";
    d.references = {"<first@mail.example.ru>"};
    d.date = *parse_iso8601("2026-11-26T08:46:00Z");
    d.language = "ru";
    d.extra_headers = automatic_headers(AutoSubmitted::auto_replied, "RD-000123");
    return d;
}

bool all_lines_within(std::string_view text, std::size_t limit)
{
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find("\r\n", start);
        if (end == std::string_view::npos)
            end = text.size();
        if (end - start > limit)
            return false;
        start = end + 2;
    }
    return true;
}

TEST(ComposeEmail, RussianAcknowledgementParsesBack)
{
    std::string bytes = compose_email(russian_acknowledgement());
    auto m = read_message(bytes);
    EXPECT_TRUE(m.problems.empty()) << m.problems.front();
    EXPECT_LE(m.longest_header_line, 78u);

    EXPECT_EQ(decode_words(m.header("Subject")), "[RD-000123] Ваша жалоба получена");
    EXPECT_EQ(m.header("Subject").rfind("[RD-000123] =?utf-8?", 0), 0u)
        << "the tag stays readable: " << m.header("Subject");
    EXPECT_EQ(decode_words(m.header("From")), "Служба заботы о клиентах «Пример» <support@example.ru>");
    EXPECT_EQ(decode_words(m.header("To")), "Анна Петрова <anna@example.ru>");
    EXPECT_NE(m.header("To").find(" <anna@example.ru>"), std::string::npos) << "the address is never encoded";
    EXPECT_EQ(m.header("Date"), "Thu, 26 Nov 2026 08:46:00 +0000");
    EXPECT_EQ(m.header("Message-ID"), "<letter.42.acknowledgement@example.ru>");
    EXPECT_EQ(m.header("In-Reply-To"), "<CAF=abc123@mail.example.ru>");
    EXPECT_EQ(m.header("References"), "<first@mail.example.ru> <CAF=abc123@mail.example.ru>");
    EXPECT_EQ(m.header("Auto-Submitted"), "auto-replied");
    EXPECT_EQ(m.header("X-Auto-Response-Suppress"), "All");
    EXPECT_EQ(m.header("X-Redress-Ticket"), "RD-000123");
    EXPECT_EQ(m.header("Content-Language"), "ru");
    EXPECT_EQ(m.header("MIME-Version"), "1.0");
    EXPECT_EQ(m.header("Content-Type"), "text/plain; charset=utf-8");
    EXPECT_EQ(m.header("Content-Transfer-Encoding"), "base64");
    for (const char* once : {"From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"})
        EXPECT_EQ(m.count(once), 1) << once;

    EXPECT_EQ(decoded_body(m), k_russian_body);
    EXPECT_TRUE(all_lines_within(m.raw_body, 76));
}

TEST(ComposeEmail, SameDraftGivesTheSameBytes)
{
    // Pure: a retried letter is byte for byte the letter first queued.
    EXPECT_EQ(compose_email(russian_acknowledgement()), compose_email(russian_acknowledgement()));
}

TEST(ComposeEmail, AsciiBodyGoesAs7bitWithCrlf)
{
    EmailDraft d;
    d.from = {"Support", "support@example.com"};
    d.to = {"", "bob@example.com"};
    d.subject = "[RD-000007] We have received your complaint";
    d.body = "Dear Bob,\n\nThank you.\r\nBye\n";
    d.message_id = "x@example.com";
    auto m = read_message(compose_email(d));
    EXPECT_TRUE(m.problems.empty());
    EXPECT_EQ(m.header("Content-Transfer-Encoding"), "7bit");
    EXPECT_EQ(m.header("To"), "bob@example.com");
    EXPECT_EQ(m.header("Subject"), "[RD-000007] We have received your complaint");
    EXPECT_EQ(m.raw_body, "Dear Bob,\r\n\r\nThank you.\r\nBye\r\n");
    EXPECT_EQ(m.count("In-Reply-To"), 0);
    EXPECT_EQ(m.count("References"), 0);
}

TEST(ComposeEmail, LatinBodyGoesQuotedPrintableAndDecodesToTheSameText)
{
    EmailDraft d;
    d.from = {"Apoio ao Cliente", "apoio@example.pt"};
    d.to = {"João Gonçalves", "joao@example.pt"};
    d.subject = "[RD-000124] Recebemos a sua reclamação";
    // A long line (soft breaks), a trailing space (must be encoded), '=' and a line starting "From ".
    d.body =
        "Olá, João Gonçalves,\n\n"
        "A sua reclamação foi registada em 26 de novembro de 2026, 09:25 (Europe/Lisbon) com o número RD-000124, "
        "e um membro da nossa equipa entrará em contacto consigo pessoalmente até 27 de novembro de 2026, 09:25.   \n"
        "Custo = 0 €\n"
        "From the team\n";
    auto m = read_message(compose_email(d));
    EXPECT_TRUE(m.problems.empty());
    EXPECT_EQ(m.header("Content-Transfer-Encoding"), "quoted-printable");
    EXPECT_EQ(decoded_body(m), d.body);
    EXPECT_TRUE(all_lines_within(m.raw_body, 76)) << m.raw_body;
    EXPECT_EQ(m.raw_body.find(" \r\n"), std::string::npos) << "trailing whitespace is encoded (RFC 2045 6.7(3))";
    EXPECT_EQ(m.raw_body.find("\r\nFrom "), std::string::npos);
    EXPECT_EQ(decode_words(m.header("To")), "João Gonçalves <joao@example.pt>");
    EXPECT_EQ(decode_words(m.header("Subject")), d.subject);
}

TEST(ComposeEmail, LongCyrillicSubjectIsFoldedIntoShortEncodedWords)
{
    EmailDraft d = russian_acknowledgement();
    d.subject = "[RD-000123] Жалоба на задержку доставки заказа № 5531, повреждённую упаковку и грубость курьера, "
                "который отказался подняться на этаж и оставил коробку у подъезда под дождём";
    auto m = read_message(compose_email(d));
    EXPECT_TRUE(m.problems.empty());
    EXPECT_LE(m.longest_header_line, 78u);
    EXPECT_EQ(decode_words(m.header("Subject")), d.subject);
    std::string raw = compose_email(d);
    auto subject_at = raw.find("Subject:");
    auto folds = 0;
    for (auto pos = raw.find("\r\n ", subject_at); pos != std::string::npos && pos < raw.find("\r\nDate:");
         pos = raw.find("\r\n ", pos + 1))
        ++folds;
    EXPECT_GE(folds, 3) << raw.substr(subject_at, 600);
}

TEST(ComposeEmail, SpacesInsideEncodedTextSurviveTheRoundTrip)
{
    // Decoders drop the space between two adjacent encoded words (RFC 2047 6.2); the encoder must
    // carry real spaces inside the encoded text.
    for (const char* subject :
         {"Привет мир", "Жалоба  с  двойными пробелами", "«Пример» — ООО", "a Ж b Ж c", "Ж 😀 emoji ✓"}) {
        EmailDraft d = russian_acknowledgement();
        d.subject = subject;
        auto m = read_message(compose_email(d));
        std::string expected;
        for (char c : std::string(subject))
            if (!(c == ' ' && !expected.empty() && expected.back() == ' '))
                expected += c;
        EXPECT_EQ(decode_words(m.header("Subject")), expected);
    }
}

TEST(ComposeEmail, SubjectLineBreakCannotInjectAHeader)
{
    EmailDraft d = russian_acknowledgement();
    d.subject = "[RD-000123] Hello\r\nBcc: victim@example.com";
    d.to.name = "Eve\r\nBcc: other@example.com";
    auto m = read_message(compose_email(d));
    EXPECT_TRUE(m.problems.empty());
    EXPECT_EQ(m.count("Bcc"), 0);
    EXPECT_EQ(m.header("Subject"), "[RD-000123] Hello Bcc: victim@example.com");
}

TEST(ComposeEmail, DisplayNameWithSpecialsIsQuoted)
{
    EXPECT_EQ(format_mailbox({"Example Ltd.", "support@example.com"}), "\"Example Ltd.\" <support@example.com>");
    EXPECT_EQ(format_mailbox({"Say \"hi\"", "a@example.com"}), "\"Say \\\"hi\\\"\" <a@example.com>");
    EXPECT_EQ(format_mailbox({"Plain Name", "a@example.com"}), "Plain Name <a@example.com>");
    EXPECT_EQ(format_mailbox({"", "<a@example.com>"}), "a@example.com");
    EXPECT_EQ(format_mailbox({"=?utf-8?Q?x?=", "a@example.com"}).rfind("=?utf-8?Q?=3D=3Futf-8=3FQ=3Fx=3F=3D?=", 0), 0u);
}

TEST(ComposeEmail, AnAddressCannotAddARecipientOrBreakTheToHeader)
{
    // Whatever reached the recipient's address (a customer's From header, a config typo), the To
    // header names one mailbox: structure in the address is quoted, line breaks are gone.
    EXPECT_EQ(format_mailbox({"", "anna@example.com, victim@example.net"}), "\"anna@example.com, victim\"@example.net");
    EXPECT_EQ(format_mailbox({"Anna", "a,b@example.com"}), "Anna <\"a,b\"@example.com>");
    EXPECT_EQ(format_mailbox({"", "a\"b@example.com"}), "\"a\\\"b\"@example.com");
    EmailDraft d = russian_acknowledgement();
    d.to = {"Eve", "eve@example.com\r\nBcc: other@example.com"};
    auto m = read_message(compose_email(d));
    EXPECT_TRUE(m.problems.empty());
    EXPECT_EQ(m.count("Bcc"), 0);
    std::string to = m.header("To");
    EXPECT_EQ(to.find(','), std::string::npos) << to;
    EXPECT_EQ(to.find('\n'), std::string::npos) << to;
}

TEST(ComposeEmail, NoHeaderLinePassesTheHardLimit)
{
    EmailDraft d = russian_acknowledgement();
    d.references.clear();
    d.references.push_back(std::string(1200, 'a') + "@example.com");  // longer than any line may be: dropped
    for (int i = 0; i < 30; ++i)
        d.references.push_back("ref" + std::to_string(i) + "@example.com");
    d.extra_headers.push_back({"X-Long", std::string(2000, 'x')});
    d.subject = std::string(1500, 'y');
    auto m = read_message(compose_email(d));
    EXPECT_TRUE(m.problems.empty()) << m.problems.front();
    EXPECT_LE(m.longest_header_line, 998u);
    EXPECT_EQ(decode_words(m.header("Subject")), d.subject);
    // First reference kept, then the last 19 (the parent last).
    std::string refs = m.header("References");
    EXPECT_EQ(refs.rfind("<ref0@example.com> <ref12@example.com>", 0), 0u) << refs;
    EXPECT_NE(refs.find("<ref29@example.com> <CAF=abc123@mail.example.ru>"), std::string::npos) << refs;
    EXPECT_EQ(refs.find("aaaa"), std::string::npos);
}

TEST(ComposeEmail, HeadersTheComposerWritesCannotComeTwice)
{
    EmailDraft d = russian_acknowledgement();
    d.extra_headers.push_back({"subject", "second"});
    EXPECT_THROW(compose_email(d), std::invalid_argument);
    d.extra_headers.back() = {"Bad Name", "x"};
    EXPECT_THROW(compose_email(d), std::invalid_argument);
}

TEST(ComposeEmail, AlertsAreAutoGenerated)
{
    auto headers = automatic_headers(AutoSubmitted::auto_generated, "");
    ASSERT_EQ(headers.size(), 2u);
    EXPECT_EQ(headers[0].name, "Auto-Submitted");
    EXPECT_EQ(headers[0].value, "auto-generated");
}

TEST(ComposeEmail, FilesMakeAMultipartMessageWithTheTextFirst)
{
    EmailDraft d = russian_acknowledgement();
    d.attachments = {{"photo.jpg", "Image/JPEG", "abc"},
                     {"чек \"1\".pdf", "application/pdf", "%PDF"},
                     {"../../etc/passwd", "not a type", ""}};
    std::string bytes = compose_email(d);
    auto m = read_message(bytes);
    EXPECT_TRUE(m.problems.empty()) << m.problems.front();
    EXPECT_EQ(m.header("Content-Type"), "multipart/mixed; boundary=\"=_redress_3\"");
    EXPECT_EQ(m.count("Content-Transfer-Encoding"), 0) << "the parts say their own";
    // RFC 2046 5.1.1: the text, then the files, then the closing delimiter.
    auto text = m.raw_body.find("--=_redress_3\r\nContent-Type: text/plain; charset=utf-8\r\n");
    auto photo = m.raw_body.find("Content-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n"
                                 "Content-Disposition: attachment; filename=\"photo.jpg\"\r\n\r\nYWJj\r\n");
    auto receipt = m.raw_body.find("Content-Disposition: attachment; filename*=utf-8''%D1%87%D0%B5%D0%BA%201.pdf");
    auto other = m.raw_body.find("Content-Type: application/octet-stream\r\n");
    ASSERT_NE(text, std::string::npos) << m.raw_body;
    ASSERT_NE(photo, std::string::npos) << m.raw_body;
    ASSERT_NE(receipt, std::string::npos) << m.raw_body;
    ASSERT_NE(other, std::string::npos) << m.raw_body;
    EXPECT_LT(text, photo);
    EXPECT_LT(photo, receipt);
    EXPECT_NE(m.raw_body.find("filename=\"....etcpasswd\""), std::string::npos) << "no path in a name";
    EXPECT_TRUE(m.raw_body.ends_with("--=_redress_3--\r\n"));

    // Text that holds the boundary gets a longer one.
    d.body = "plain\n--=_redress_3\n";
    EXPECT_NE(compose_email(d).find("boundary=\"=_redress_3_\""), std::string::npos);
}

TEST(MessageId, EscapesWhatADotAtomCannotHold)
{
    EXPECT_EQ(make_message_id("letter.42.ack", "Example.RU"), "letter.42.ack@example.ru");
    EXPECT_EQ(make_message_id("a b<c>", "example.com"), "a=20b=3Cc=3E@example.com");
    EXPECT_EQ(make_message_id(".a..b.", "example.com"), "=2Ea.=2Eb=2E@example.com");
    EXPECT_EQ(make_message_id("x", ""), "x@redress.invalid");
    EXPECT_NE(make_message_id("a b", "d"), make_message_id("a-b", "d"));
}

TEST(HeaderEncoding, AsciiTextComesBackUnchanged)
{
    EXPECT_EQ(encode_header_word("[RD-000123] We have received your complaint"),
              "[RD-000123] We have received your complaint");
    EXPECT_EQ(encode_header_word("tabs\tand\r\nbreaks"), "tabs and breaks");
}

TEST(HeaderEncoding, MostlyLatinTextUsesQAndCyrillicUsesB)
{
    EXPECT_EQ(encode_header_word("Reclamação"), "=?utf-8?Q?Reclama=C3=A7=C3=A3o?=");
    EXPECT_EQ(encode_header_word("Жалоба"), "=?utf-8?B?0JbQsNC70L7QsdCw?=");
}

TEST(HeaderEncoding, EncodedWordsNeverSplitACharacter)
{
    // 40 three-byte characters: every encoded word must decode to whole UTF-8 on its own.
    std::string text;
    for (int i = 0; i < 40; ++i)
        text += "€";
    std::string encoded = encode_header_word(text);
    std::size_t start = 0;
    std::string joined;
    while (start < encoded.size()) {
        auto end = encoded.find(' ', start);
        std::string word = encoded.substr(start, end == std::string::npos ? std::string::npos : end - start);
        EXPECT_LE(word.size(), 75u);
        std::string decoded = decode_words(word);
        EXPECT_EQ(decoded.size() % 3, 0u) << word;
        joined += decoded;
        start = end == std::string::npos ? encoded.size() : end + 1;
    }
    EXPECT_EQ(joined, text);
}

TEST(HeaderEncoding, FoldKeepsTheValueAndShortLines)
{
    std::string value;
    for (int i = 0; i < 40; ++i)
        value += "<id" + std::to_string(i) + "@example.com> ";
    value.pop_back();
    std::string folded = fold_header("References", value);
    EXPECT_TRUE(all_lines_within(folded, 78));
    EXPECT_EQ(folded.substr(folded.size() - 2), "\r\n");
    std::string unfolded;
    for (std::size_t i = 0; i < folded.size(); ++i) {
        if (folded.compare(i, 2, "\r\n") == 0) {
            ++i;
            continue;
        }
        unfolded += folded[i];
    }
    EXPECT_EQ(unfolded, "References: " + value);
}

TEST(BodyEncoding, ChoosesTheSmallerEncoding)
{
    EXPECT_EQ(encode_body("plain\n").encoding, TransferEncoding::seven_bit);
    EXPECT_EQ(encode_body(std::string(100, 'a') + "\n").encoding,
              TransferEncoding::quoted_printable);  // too long for 7bit
    EXPECT_EQ(encode_body("tab\tok but bell \a\n").encoding, TransferEncoding::quoted_printable);
    EXPECT_EQ(encode_body("Mit freundlichen Grüßen aus München\n").encoding, TransferEncoding::quoted_printable);
    EXPECT_EQ(encode_body("Grüße aus München\n").encoding,
              TransferEncoding::base64);  // so short that base64 is smaller
    EXPECT_EQ(encode_body("Добрый день\n").encoding, TransferEncoding::base64);
}

TEST(BodyEncoding, QuotedPrintableRoundTripsEveryByte)
{
    std::string bytes;
    for (int i = 0; i < 256; ++i)
        if (i != '\r' && i != '\n')
            bytes += static_cast<char>(i);
    bytes += "\nend \t\n";
    std::string encoded = encode_quoted_printable(bytes);
    EXPECT_TRUE(all_lines_within(encoded, 76)) << encoded;
    std::string decoded = testing::decode_quoted_printable(encoded);
    std::string expected = bytes;
    // Hard line breaks come back as CRLF.
    std::string crlf;
    for (char c : expected) {
        if (c == '\n')
            crlf += '\r';
        crlf += c;
    }
    EXPECT_EQ(decoded, crlf);
}

TEST(BodyEncoding, QuotedPrintableKeepsEachCharacterOnOneLine)
{
    // Soft breaks fall between characters, so each encoded line decodes to valid UTF-8 by itself.
    std::string text =
        "Olá, Анна Петрова, obrigado por nos ter escrito; lamentamos muito o incómodo causado pela entrega "
        "e já estamos a tratar do assunto com a transportadora — €€€ ✓✓✓ 😀😀😀 fim.\n";
    std::string encoded = encode_quoted_printable(text);
    std::size_t start = 0;
    int lines = 0;
    while (start < encoded.size()) {
        auto end = encoded.find("\r\n", start);
        std::string line = encoded.substr(start, end - start);
        if (!line.empty() && line.back() == '=')
            line.pop_back();
        std::string decoded = testing::decode_quoted_printable(line);
        EXPECT_TRUE(is_valid_utf8(decoded)) << line;
        EXPECT_LE(encoded.find("\r\n", start) - start, 76u);
        start = end + 2;
        ++lines;
    }
    EXPECT_GT(lines, 3);
}

}  // namespace
}  // namespace redress::letters
