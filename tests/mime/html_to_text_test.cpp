#include "mime/html_to_text.hpp"

#include <gtest/gtest.h>

using redress::mime::HtmlToText;

TEST(HtmlToText, BlockquoteBecomesQuotedLines)
{
    EXPECT_EQ(HtmlToText::convert("<div>New text</div><blockquote><p>old line one<br>old line two</p></blockquote>"),
              "New text\n\n> old line one\n> old line two");
}

TEST(HtmlToText, CollapsesWhitespaceButKeepsPre)
{
    EXPECT_EQ(HtmlToText::convert("<p>a   b\n c</p><pre>x  y\nz</pre>"), "a b c\n\nx  y\nz");
}

TEST(HtmlToText, FindsMetaCharset)
{
    EXPECT_EQ(HtmlToText::meta_charset(
                  "<html><head><META http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">"),
              "windows-1251");
    EXPECT_EQ(HtmlToText::meta_charset("<meta charset='koi8-r'>"), "koi8-r");
    EXPECT_EQ(HtmlToText::meta_charset("<p>no meta</p>"), "");
}

TEST(HtmlToText, SurvivesDeepNesting)
{
    std::string html;
    for (int i = 0; i < 5000; ++i)
        html += "<div>";
    html += "deep";
    EXPECT_EQ(HtmlToText::convert(html), "deep");
}

TEST(HtmlToText, AQuotedGreaterThanInsideAnAttributeDoesNotEndTheTag)
{
    // The attribute-dropping pre-pass must follow quoting as the HTML tokenizer does.
    EXPECT_EQ(HtmlToText::convert(R"(<p title="a > b" class='x>y'>Broken kettle</p>)"), "Broken kettle");
}

TEST(HtmlToText, OddCommentsAndSelfClosedBreaksKeepTheText)
{
    EXPECT_EQ(HtmlToText::convert("<p>one<!-->two<br/>three<!-- x --!>four</p>"), "onetwo\nthreefour");
}

TEST(HtmlToText, StyleAndTitleContentIsNotText)
{
    EXPECT_EQ(HtmlToText::convert("<title>Shop</title><style>p { color: red }</style><p>Hello</p>"), "Hello");
}

TEST(HtmlToText, ReadsOnlyTheCappedPrefixOfAHugeBody)
{
    std::string html = "<p>start</p>";
    while (html.size() < HtmlToText::k_max_input + 4096)
        html += "<p>filler text</p>";
    html += "<p>tail-marker</p>";
    std::string text = HtmlToText::convert(html);
    EXPECT_EQ(text.rfind("start", 0), 0u);
    EXPECT_EQ(text.find("tail-marker"), std::string::npos);
}
