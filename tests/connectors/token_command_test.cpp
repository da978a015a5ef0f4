#include "imap/token_command.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using redress::connectors::imap::run_token_command;

TEST(TokenCommand, ReturnsThePrintedTokenWithoutTheLineEnd)
{
    auto token = run_token_command("printf 'ya29.a0AfH6SM\\n'", 10s);
    ASSERT_TRUE(token.ok()) << token.error().message;
    EXPECT_EQ(*token, "ya29.a0AfH6SM");
}

TEST(TokenCommand, FailsWhenTheCommandFailsOrPrintsNothing)
{
    auto failed = run_token_command("echo token; exit 3", 10s);
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().code, "imap.token");
    EXPECT_TRUE(failed.error().is(redress::ErrorKind::transient)) << redress::to_string(failed.error().kind);
    EXPECT_FALSE(run_token_command("true", 10s).ok());
    // Two lines mean the command printed something besides the token (a prompt, a warning).
    EXPECT_FALSE(run_token_command("echo please log in; echo token", 10s).ok());
}

TEST(TokenCommand, KillsACommandThatHangs)
{
    auto hung = run_token_command("sleep 30", 200ms);
    ASSERT_FALSE(hung.ok());
    EXPECT_NE(hung.error().message.find("in time"), std::string::npos);
    EXPECT_TRUE(hung.error().is(redress::ErrorKind::timeout));
}
