// What a form sent, whichever way the browser encoded it, and who sent it through a proxy on this
// machine.

#include "http/form.hpp"

#include <gtest/gtest.h>

using namespace redress;

TEST(Form, ReadsAnUrlencodedBody)
{
    auto fields = http::urlencoded_fields("score=5&comment=Thank+you%21+%D0%B4%D0%B0&empty=&score=1&bad=%zz");
    EXPECT_EQ(fields["score"], "5");  // the first of a repeated field counts
    EXPECT_EQ(fields["comment"], "Thank you! да");
    EXPECT_EQ(fields["empty"], "");
    EXPECT_EQ(fields["bad"], "%zz");  // a malformed escape stays as written
}

TEST(Form, ReadsMultipartFieldsAndFilesApart)
{
    http::Request r;
    r.body = "ignored=1";
    r.parts = {{"details", "", "", "It broke"},
               {"files", "a.jpg", "image/jpeg", "AAA"},
               {"files", "", "application/octet-stream", ""},  // a file input left empty
               {"files", "b.pdf", "application/pdf", "BBBB"}};
    auto fields = http::form_fields(r);
    EXPECT_EQ(fields.size(), 1u);
    EXPECT_EQ(fields["details"], "It broke");
    auto files = http::form_files(r, "files");
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].filename, "a.jpg");
    EXPECT_EQ(files[1].content, "BBBB");
    EXPECT_TRUE(http::form_files(r, "other").empty());
}

TEST(Form, TakesTheClientFromXForwardedForOnlyWhenAProxyOnThisMachineSendsIt)
{
    http::Request r;
    r.remote_address = "127.0.0.1";
    EXPECT_EQ(http::client_address(r), "127.0.0.1");
    r.headers.emplace("X-Forwarded-For", "10.0.0.9, 203.0.113.7");
    EXPECT_EQ(http::client_address(r), "203.0.113.7");  // the one our proxy added, not the client's claim
    r.remote_address = "::ffff:127.0.0.1";
    EXPECT_EQ(http::client_address(r), "203.0.113.7");
    // From elsewhere the header is anyone's word: the peer counts.
    r.remote_address = "198.51.100.4";
    EXPECT_EQ(http::client_address(r), "198.51.100.4");
    http::Request blank;
    blank.remote_address = "::1";
    blank.headers.emplace("x-forwarded-for", " ");
    EXPECT_EQ(http::client_address(blank), "::1");
    EXPECT_TRUE(http::is_loopback_address("127.8.0.1"));
    EXPECT_FALSE(http::is_loopback_address("128.0.0.1"));
}
