// What an attachment is, read from its bytes, and how it is handed to staff: the served type, a safe
// name, Content-Disposition with RFC 6266 / RFC 8187 filename*.

#include "attachments/file_type.hpp"

#include <gtest/gtest.h>

using namespace redress::attachments;

namespace {

TEST(SniffType, ReadsCommonFormatsFromTheirMagicBytes)
{
    EXPECT_EQ(sniff_type(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)), "image/png");
    EXPECT_EQ(sniff_type("\xff\xd8\xff\xe0\x00\x10JFIF"), "image/jpeg");
    EXPECT_EQ(sniff_type("GIF89a\x01\x00"), "image/gif");
    EXPECT_EQ(sniff_type(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)), "image/webp");
    EXPECT_EQ(sniff_type("%PDF-1.7\n"), "application/pdf");
    EXPECT_EQ(sniff_type(std::string("PK\x03\x04\x14\0", 6)), "application/zip");
    EXPECT_EQ(sniff_type("Order 77: the lid is cracked.\n"), "text/plain");
    EXPECT_EQ(sniff_type(std::string("\x7f"
                                     "ELF\x02\x01\x01\0",
                                     8)),
              "application/octet-stream");
    EXPECT_EQ(sniff_type(""), "application/octet-stream");
}

TEST(SniffType, FindsMarkupWhateverTheFileIsCalled)
{
    EXPECT_EQ(sniff_type("<!DOCTYPE html><html><body>hi</body></html>"), "text/html");
    EXPECT_EQ(sniff_type("  \n<HTML>"), "text/html");
    EXPECT_EQ(sniff_type("some words then <script>alert(1)</script>"), "text/html");
    EXPECT_EQ(sniff_type("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"), "text/html");
}

TEST(ServedType, NeverHtmlOrScript)
{
    EXPECT_EQ(served_type("text/html"), "application/octet-stream");
    EXPECT_EQ(served_type("application/octet-stream"), "application/octet-stream");
    EXPECT_EQ(served_type("image/png"), "image/png");
    EXPECT_EQ(served_type("application/pdf"), "application/pdf");
    EXPECT_EQ(served_type("text/plain"), "text/plain; charset=utf-8");
}

TEST(InlineImage, OnlyTheFourImageTypes)
{
    EXPECT_TRUE(is_inline_image("image/png"));
    EXPECT_TRUE(is_inline_image("image/jpeg"));
    EXPECT_TRUE(is_inline_image("image/gif"));
    EXPECT_TRUE(is_inline_image("image/webp"));
    EXPECT_FALSE(is_inline_image("image/svg+xml"));
    EXPECT_FALSE(is_inline_image("image/bmp"));
    EXPECT_FALSE(is_inline_image("text/html"));
}

TEST(SafeFilename, KeepsTheLastComponentWithoutControlsQuotesOrOverrides)
{
    EXPECT_EQ(safe_filename("../../etc/passwd"), "passwd");
    EXPECT_EQ(safe_filename("C:\\Users\\anna\\photo.jpg"), "photo.jpg");
    EXPECT_EQ(safe_filename("a\"b\r\nc.txt"), "abc.txt");
    EXPECT_EQ(safe_filename("invoice\u202Egpj.exe"), "invoicegpj.exe");
    EXPECT_EQ(safe_filename(".."), "attachment");
    EXPECT_EQ(safe_filename(""), "attachment");
    std::string longer(300, 'a');
    std::string cut = safe_filename(longer + ".pdf");
    EXPECT_LE(cut.size(), 120u);
    EXPECT_TRUE(cut.ends_with(".pdf"));
}

TEST(ContentDisposition, AttachmentWithAnAsciiFallbackAndTheUtf8Name)
{
    EXPECT_EQ(content_disposition("photo.jpg", false),
              "attachment; filename=\"photo.jpg\"; filename*=UTF-8''photo.jpg");
    EXPECT_EQ(content_disposition("чек 1.pdf", false), "attachment; filename=\"___ 1.pdf\"; "
                                                       "filename*=UTF-8''%D1%87%D0%B5%D0%BA%201.pdf");
    EXPECT_EQ(content_disposition("kettle.png", true), "inline; filename=\"kettle.png\"; filename*=UTF-8''kettle.png");
    // Nothing that could end the header or the parameter survives.
    std::string hostile = content_disposition("x\"; filename=evil.html\r\nSet-Cookie: a=b", false);
    EXPECT_EQ(hostile.find('\r'), std::string::npos);
    EXPECT_EQ(hostile.find('\n'), std::string::npos);
    EXPECT_EQ(hostile.find("\"; filename=evil"), std::string::npos);
}

}  // namespace
