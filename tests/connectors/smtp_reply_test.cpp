#include "smtp/smtp_reply.hpp"

#include <gtest/gtest.h>

using namespace redress::connectors;
using namespace redress::connectors::smtp;

TEST(SmtpReply, MapsFiveHundredsToPermanentAndKeepsTheServerText)
{
    SmtpAttempt attempt;
    attempt.transport = SmtpAttempt::Transport::other;  // curl says CURLE_SEND_ERROR for a refused RCPT
    attempt.reply_code = 550;
    attempt.failure_reply = "550 5.1.1 <nobody@example.com>: Recipient address rejected";
    auto result = classify_smtp_attempt(attempt);
    EXPECT_EQ(result.status, SendResult::Status::permanent_failure);
    EXPECT_NE(result.detail.find("5.1.1 <nobody@example.com>: Recipient address rejected"), std::string::npos);
}

TEST(SmtpReply, MapsFourHundredsAndConnectionFailuresToTemporary)
{
    SmtpAttempt deferred;
    deferred.transport = SmtpAttempt::Transport::other;
    deferred.reply_code = 451;
    deferred.failure_reply = "451 4.7.1 Greylisted, try again later";
    EXPECT_EQ(classify_smtp_attempt(deferred).status, SendResult::Status::temporary_failure);

    SmtpAttempt down;
    down.transport = SmtpAttempt::Transport::connect_failed;
    down.transport_error = "Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server";
    auto result = classify_smtp_attempt(down);
    EXPECT_EQ(result.status, SendResult::Status::temporary_failure);
    EXPECT_NE(result.detail.find("Couldn't connect"), std::string::npos);
}

TEST(SmtpReply, TreatsARefusedLoginAsTemporarySoLettersSurviveAConfigFix)
{
    SmtpAttempt attempt;
    attempt.transport = SmtpAttempt::Transport::auth_failed;
    attempt.reply_code = 535;
    attempt.failure_reply = "535 5.7.8 Authentication credentials invalid";
    EXPECT_EQ(classify_smtp_attempt(attempt).status, SendResult::Status::temporary_failure);
}

TEST(SmtpReply, ATlsFailureAfterStartTlsNamesTheCertificateProblemNotTheLastReply)
{
    SmtpAttempt attempt;
    attempt.transport = SmtpAttempt::Transport::tls_failed;
    attempt.reply_code = 220;
    attempt.last_reply = "220 Ready to start TLS";
    attempt.transport_error = "SSL certificate problem: unable to get local issuer certificate";
    auto result = classify_smtp_attempt(attempt);
    EXPECT_EQ(result.status, SendResult::Status::temporary_failure);
    EXPECT_NE(result.detail.find("unable to get local issuer certificate"), std::string::npos) << result.detail;
    EXPECT_NE(result.detail.find("ca_file"), std::string::npos) << result.detail;
}

TEST(SmtpReply, SuccessIsSent)
{
    SmtpAttempt attempt;
    attempt.reply_code = 250;
    attempt.last_reply = "250 OK";
    auto result = classify_smtp_attempt(attempt);
    EXPECT_EQ(result.status, SendResult::Status::sent);
    EXPECT_EQ(result.detail, "250 OK");
}

TEST(SmtpData, NormalisesLineEndsToCrlf)
{
    EXPECT_EQ(to_crlf("a\nb\r\nc\rd"), "a\r\nb\r\nc\r\nd");
    EXPECT_EQ(to_crlf("already\r\n\r\n"), "already\r\n\r\n");
}

TEST(SmtpEnvelope, BracketsBareAndNamedAddresses)
{
    EXPECT_EQ(envelope_address("support@example.com"), "<support@example.com>");
    EXPECT_EQ(envelope_address("Support <support@example.com>"), "<support@example.com>");
    EXPECT_EQ(envelope_address(" <a@b.c> "), "<a@b.c>");
}
