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
                     "To: " +
                     recipient +
                     "\r\n"
                     "Subject: =?UTF-8?B?0JLQsNGI0LAg0LbQsNC70L7QsdCw?= RD-000001\r\n"
                     "Message-ID: <" +
                     message_id +
                     ">\r\n"
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
    EXPECT_EQ(sender.send(letter_to("reject@example.org", "b@example.com")).status,
              SendResult::Status::permanent_failure);
    EXPECT_EQ(sender.send(letter_to("third@example.org", "c@example.com")).status, SendResult::Status::sent);
    EXPECT_EQ(m_server.delivered().size(), 2u);
}

TEST_F(SmtpIntegration, ARecipientWithALineBreakOrACommaIsRefusedBeforeTheServer)
{
    SmtpSender sender(config(), "support@example.com", fast());
    for (const char* recipient :
         {"anna@example.org\r\nRCPT TO:<victim@example.net>", "anna@example.org,victim@example.net"}) {
        auto result = sender.send(letter_to(recipient, "letter-6@example.com"));
        EXPECT_EQ(result.status, SendResult::Status::permanent_failure) << result.detail;
    }
    EXPECT_TRUE(m_server.delivered().empty());
    // The sender is still fine for the next letter.
    EXPECT_EQ(sender.send(letter_to("anna@example.org", "letter-7@example.com")).status, SendResult::Status::sent);
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

namespace {

using redress::testing::SmtpTls;
using redress::testing::TestCertificates;

// aiosmtpd over TLS with a CA and certificate made for the test, and AUTH required after TLS.
class SmtpTlsIntegration : public ::testing::Test {
protected:
    static constexpr const char* k_password = "s3cret-pw";

    void SetUp() override
    {
        if (auto why = SmtpServer::unavailable())
            REDRESS_REQUIRE_OR_SKIP(redress::testing::Requirement::servers, *why);
        std::string why;
        auto made = redress::testing::make_test_certificates(m_server.dir() / "tls", &why);
        ASSERT_TRUE(made) << why;
        m_certificates = *made;
    }

    void start(SmtpTls::Mode mode)
    {
        SmtpTls tls{mode, m_certificates.server_cert, m_certificates.server_key, std::string("redress:") + k_password};
        ASSERT_TRUE(m_server.start(tls));
    }

    Smtp config(SmtpTls::Mode mode) const
    {
        Smtp smtp;
        smtp.url = m_server.url();
        smtp.starttls = mode == SmtpTls::Mode::starttls;
        smtp.ca_file = m_certificates.ca.string();
        smtp.user = "redress";
        smtp.password = k_password;
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
    TestCertificates m_certificates;
};

}  // namespace

TEST_F(SmtpTlsIntegration, StartTlsWithTheConfiguredCaLogsInAndDelivers)
{
    start(SmtpTls::Mode::starttls);
    SmtpSender sender(config(SmtpTls::Mode::starttls), "support@example.com", fast());
    auto result = sender.send(letter_to("anna@example.org", "tls-1@example.com"));
    ASSERT_EQ(result.status, SendResult::Status::sent) << result.detail;
    auto delivered = m_server.delivered();
    ASSERT_EQ(delivered.size(), 1u);
    EXPECT_NE(delivered[0].find("Message-ID: <tls-1@example.com>"), std::string::npos);
}

TEST_F(SmtpTlsIntegration, ImplicitTlsWithTheConfiguredCaLogsInAndDelivers)
{
    start(SmtpTls::Mode::smtps);
    auto smtp = config(SmtpTls::Mode::smtps);
    ASSERT_EQ(smtp.url.rfind("smtps://", 0), 0u);
    SmtpSender sender(smtp, "support@example.com", fast());
    auto result = sender.send(letter_to("anna@example.org", "tls-2@example.com"));
    ASSERT_EQ(result.status, SendResult::Status::sent) << result.detail;
    EXPECT_EQ(m_server.delivered().size(), 1u);
}

TEST_F(SmtpTlsIntegration, ACertificateFromAnotherCaIsRefusedBeforeTheLogin)
{
    for (auto mode : {SmtpTls::Mode::starttls, SmtpTls::Mode::smtps}) {
        SmtpServer server;
        SmtpTls tls{mode, m_certificates.server_cert, m_certificates.server_key, std::string("redress:") + k_password};
        ASSERT_TRUE(server.start(tls));
        auto smtp = config(mode);
        smtp.url = server.url();
        smtp.ca_file = m_certificates.other_ca.string();
        SmtpSender sender(smtp, "support@example.com", fast());
        auto result = sender.send(letter_to("anna@example.org", "tls-3@example.com"));
        // A TLS failure is the configuration's, not the letter's: it waits for the fix (temporary).
        EXPECT_EQ(result.status, SendResult::Status::temporary_failure) << result.detail;
        EXPECT_NE(result.detail.find("certificate"), std::string::npos) << result.detail;
        EXPECT_EQ(result.detail.find(k_password), std::string::npos) << result.detail;
        EXPECT_TRUE(server.delivered().empty());
    }
}

TEST_F(SmtpTlsIntegration, AWrongPasswordIsRefusedAndNothingIsSent)
{
    start(SmtpTls::Mode::starttls);
    auto smtp = config(SmtpTls::Mode::starttls);
    smtp.password = "not-the-password";
    SmtpSender sender(smtp, "support@example.com", fast());
    auto result = sender.send(letter_to("anna@example.org", "tls-4@example.com"));
    EXPECT_EQ(result.status, SendResult::Status::temporary_failure) << result.detail;
    EXPECT_NE(result.detail.find("535"), std::string::npos) << result.detail;
    EXPECT_EQ(result.detail.find("not-the-password"), std::string::npos) << result.detail;
    EXPECT_TRUE(m_server.delivered().empty());
}

TEST_F(SmtpTlsIntegration, WithoutStartTlsNothingIsSent)
{
    // The server requires STARTTLS and offers AUTH only under TLS: a client told not to use it gets
    // no letter through, authenticated or not.
    start(SmtpTls::Mode::starttls);
    auto smtp = config(SmtpTls::Mode::starttls);
    smtp.starttls = false;
    SmtpSender sender(smtp, "support@example.com", fast());
    auto result = sender.send(letter_to("anna@example.org", "tls-5@example.com"));
    EXPECT_NE(result.status, SendResult::Status::sent) << result.detail;
    EXPECT_TRUE(m_server.delivered().empty());
}
