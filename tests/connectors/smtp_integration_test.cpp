// The SMTP sender against a real aiosmtpd on loopback (tests/servers/smtp.sh).

#include "../test_requirements.hpp"
#include "smtp/smtp_sender.hpp"
#include "test_servers.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using redress::Letter;
using redress::config::Smtp;
using redress::connectors::SendResult;
using redress::connectors::smtp::SmtpSender;
using redress::connectors::smtp::SmtpTiming;
using redress::testing::SmtpServer;

namespace {

Letter letter_to(const std::string& recipient, const std::string& message_id)
{
    Letter letter;
    letter.id = 7;
    letter.recipient = recipient;
    letter.message_id = message_id;
    // A line with a leading dot must survive SMTP's dot-stuffing (RFC 5321 4.5.2), and a bare LF
    // from a template must arrive as a proper line end.
    letter.content = "From: Support <support@example.com>\r\n"
                     "To: " + recipient + "\r\n"
                     "Subject: =?UTF-8?B?0JLQsNGI0LAg0LbQsNC70L7QsdCw?= RD-000001\r\n"
                     "Message-ID: <" + message_id + ">\r\n"
                     "MIME-Version: 1.0\r\n"
                     "Content-Type: text/plain; charset=utf-8\r\n"
                     "\r\n"
                     "We have your complaint.\n"
                     ".signature line that starts with a dot\r\n";
    return letter;
}

class SmtpIntegration : public ::testing::Test {
protected:
    void SetUp() override
    {
        if (auto why = SmtpServer::unavailable())
            REDRESS_REQUIRE_OR_SKIP(redress::testing::Requirement::servers, *why);
        ASSERT_TRUE(m_server.start());
    }

    Smtp config() const
    {
        Smtp smtp;
        smtp.url = m_server.url();
        return smtp;
    }

    static SmtpTiming fast()
    {
        SmtpTiming timing;
        timing.connect_timeout = 5s;
        timing.total_timeout = 20s;
        return timing;
    }

    SmtpServer m_server;
};

}  // namespace

TEST_F(SmtpIntegration, DeliversTheLetterWithItsHeadersIntact)
{
    SmtpSender sender(config(), "support@example.com", fast());
    auto result = sender.send(letter_to("anna@example.org", "letter-1@example.com"));
    ASSERT_EQ(result.status, SendResult::Status::sent) << result.detail;
    auto delivered = m_server.delivered();
    ASSERT_EQ(delivered.size(), 1u);
    auto& text = delivered[0];
    EXPECT_NE(text.find("Message-ID: <letter-1@example.com>"), std::string::npos);
    EXPECT_NE(text.find("Subject: =?UTF-8?B?0JLQsNGI0LAg0LbQsNC70L7QsdCw?= RD-000001"), std::string::npos);
    // aiosmtpd's Mailbox handler records the envelope: ours is the support address.
    EXPECT_NE(text.find("X-MailFrom: support@example.com"), std::string::npos);
    EXPECT_NE(text.find("X-RcptTo: anna@example.org"), std::string::npos);
    EXPECT_NE(text.find("\n.signature line that starts with a dot"), std::string::npos);
    EXPECT_EQ(text.find("\n..signature"), std::string::npos);
}

TEST_F(SmtpIntegration, ARejectedRecipientIsAPermanentFailureWithTheServerReply)
{
    SmtpSender sender(config(), "support@example.com", fast());
    auto result = sender.send(letter_to("reject@example.org", "letter-2@example.com"));
    EXPECT_EQ(result.status, SendResult::Status::permanent_failure);
    EXPECT_NE(result.detail.find("550"), std::string::npos) << result.detail;
    EXPECT_NE(result.detail.find("Recipient address rejected"), std::string::npos) << result.detail;
    EXPECT_TRUE(m_server.delivered().empty());
}

TEST_F(SmtpIntegration, ADeferredRecipientIsATemporaryFailure)
{
    SmtpSender sender(config(), "support@example.com", fast());
    auto result = sender.send(letter_to("defer@example.org", "letter-3@example.com"));
    EXPECT_EQ(result.status, SendResult::Status::temporary_failure);
    EXPECT_NE(result.detail.find("451"), std::string::npos) << result.detail;
}

TEST_F(SmtpIntegration, LettersAfterARejectionStillGoOut)
{
    SmtpSender sender(config(), "support@example.com", fast());
    EXPECT_EQ(sender.send(letter_to("first@example.org", "a@example.com")).status, SendResult::Status::sent);
    EXPECT_EQ(sender.send(letter_to("reject@example.org", "b@example.com")).status, SendResult::Status::permanent_failure);
    EXPECT_EQ(sender.send(letter_to("third@example.org", "c@example.com")).status, SendResult::Status::sent);
    EXPECT_EQ(m_server.delivered().size(), 2u);
}

TEST_F(SmtpIntegration, AServerThatIsDownIsATemporaryFailure)
{
    m_server.stop();
    SmtpSender sender(config(), "support@example.com", fast());
    auto result = sender.send(letter_to("anna@example.org", "letter-4@example.com"));
    EXPECT_EQ(result.status, SendResult::Status::temporary_failure);
    EXPECT_FALSE(result.detail.empty());
}

TEST_F(SmtpIntegration, RequiredStartTlsThatTheServerLacksSendsNothing)
{
    auto smtp = config();
    smtp.starttls = true;
    SmtpSender sender(smtp, "support@example.com", fast());
    auto result = sender.send(letter_to("anna@example.org", "letter-5@example.com"));
    EXPECT_EQ(result.status, SendResult::Status::temporary_failure);
    EXPECT_TRUE(m_server.delivered().empty());
}
