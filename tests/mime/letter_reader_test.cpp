// Our own letters read back for a person (`redress letters show`): headers decoded from RFC 2047,
// bodies from base64 and quoted-printable, charsets converted to UTF-8.

#include "mime/letter_reader.hpp"

#include <gtest/gtest.h>

using redress::mime::read_letter;

TEST(LetterReader, DecodesAnEncodedSubjectAndABase64Body)
{
    // "Здравствуйте" in UTF-8, base64; the subject is "Обращение" as an RFC 2047 B word.
    auto letter = read_letter("From: Shop Support <support@shop.test>\r\n"
                              "To: =?utf-8?B?0JDQvdC90LA=?= <anna@customer.test>\r\n"
                              "Subject: [RD-000001] =?utf-8?B?0J7QsdGA0LDRidC10L3QuNC1?=\r\n"
                              "Content-Type: text/plain; charset=utf-8\r\n"
                              "Content-Transfer-Encoding: base64\r\n"
                              "\r\n"
                              "0JfQtNGA0LDQstGB0YLQstGD0LnRgtC1\r\n");
    ASSERT_NE(letter.header("subject"), nullptr);
    EXPECT_EQ(*letter.header("Subject"), "[RD-000001] Обращение");
    EXPECT_EQ(*letter.header("To"), "Анна <anna@customer.test>");
    EXPECT_EQ(letter.body, "Здравствуйте");
    EXPECT_TRUE(letter.warnings.empty());
}

TEST(LetterReader, UndoesQuotedPrintableSoftBreaksAndKeepsLinesAsLineFeeds)
{
    auto letter = read_letter("Subject: Hello\r\n"
                              "Content-Type: text/plain; charset=utf-8\r\n"
                              "Content-Transfer-Encoding: quoted-printable\r\n"
                              "\r\n"
                              "Hello Olga,\r\n"
                              "\r\n"
                              "Ticket RD-000001 has missed a dead=\r\n"
                              "line. Caf=C3=A9.\r\n");
    EXPECT_EQ(letter.body, "Hello Olga,\n\nTicket RD-000001 has missed a deadline. Café.\n");
}

TEST(LetterReader, ConvertsTheDeclaredCharsetToUtf8)
{
    // "Привет" in windows-1251, 8bit.
    auto letter = read_letter("Subject: =?windows-1251?B?z/Do4uXy?=\r\n"
                              "Content-Type: text/plain; charset=windows-1251\r\n"
                              "Content-Transfer-Encoding: 8bit\r\n"
                              "\r\n"
                              "\xCF\xF0\xE8\xE2\xE5\xF2\r\n");
    EXPECT_EQ(*letter.header("Subject"), "Привет");
    EXPECT_EQ(letter.body, "Привет\n");
}

TEST(LetterReader, ALetterWithoutContentTypeIsPlainAscii)
{
    auto letter = read_letter("Subject: Plain\r\n\r\nJust text.\r\n");
    EXPECT_EQ(letter.body, "Just text.\n");
    EXPECT_EQ(letter.headers.size(), 1u);
}
