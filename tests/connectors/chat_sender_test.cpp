// The chat sender against a real HTTP server on loopback that answers as Telegram's Bot API,
// Slack's Web API and a JSON webhook do, and the pure reading of their replies; Slack's users.info.

#include "chat/chat_sender.hpp"
#include "chat/slack_users.hpp"
#include "chat_service.hpp"
#include "common/text.hpp"
#include "test_servers.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace redress;
using namespace redress::connectors;
using namespace redress::connectors::chat;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

Letter alert_letter(std::string recipient)
{
    Letter l;
    l.id = 7;
    l.channel = "chat:tg";
    l.template_name = "escalation";
    l.recipient = std::move(recipient);
    l.subject = "[RD-000001] Deadline missed";
    l.content = "[RD-000001] Deadline missed\n\nThe first response to RD-000001 is overdue.";
    l.message_id = "rd-000001.escalation.redress.0123@shop.test";
    return l;
}

config::Chat chat_of(config::ChatType type, const redress::testing::ChatService& service)
{
    config::Chat chat;
    chat.name = "tg";
    chat.type = type;
    chat.bot_token = "123456:ABC-def";
    chat.api_base = service.base_url();
    chat.url = service.base_url() + "/hook";
    return chat;
}

class ChatSenderTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(m_service.start()); }
    redress::testing::ChatService m_service;
};

}  // namespace

TEST_F(ChatSenderTest, TelegramGetsSendMessageWithTheChatIdAndPlainText)
{
    ChatSender sender(chat_of(config::ChatType::telegram, m_service));
    auto result = sender.send(alert_letter("4242"));
    EXPECT_EQ(result.status, SendResult::Status::sent) << result.detail;
    auto channel_post = sender.send(alert_letter("@shop_alerts"));
    EXPECT_EQ(channel_post.status, SendResult::Status::sent) << channel_post.detail;

    auto requests = m_service.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].path, "/bot123456:ABC-def/sendMessage");
    EXPECT_NE(requests[0].headers["content-type"].find("application/json"), std::string::npos);
    json body = json::parse(requests[0].body);
    EXPECT_EQ(body["chat_id"], 4242);  // a number, as Telegram's ids are
    EXPECT_EQ(body["text"], alert_letter("").content);
    EXPECT_FALSE(body.contains("parse_mode"));  // plain text: nothing is read as markup
    EXPECT_EQ(json::parse(requests[1].body)["chat_id"], "@shop_alerts");
}

TEST_F(ChatSenderTest, TelegramRefusalsArePermanentAndFloodWaitsAreRetriedAfterTheirDelay)
{
    ChatSender sender(chat_of(config::ChatType::telegram, m_service));
    m_service.reply_next({400, R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})", {}});
    m_service.reply_next(
        {429,
         R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}})",
         {}});
    m_service.reply_next({502, "<html>Bad Gateway</html>", {}});
    m_service.reply_next({401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})", {}});

    auto not_found = sender.send(alert_letter("1"));
    EXPECT_EQ(not_found.status, SendResult::Status::permanent_failure);
    EXPECT_EQ(not_found.detail, "HTTP 400: Bad Request: chat not found");
    auto flood = sender.send(alert_letter("1"));
    EXPECT_EQ(flood.status, SendResult::Status::temporary_failure);
    ASSERT_TRUE(flood.retry_after);
    EXPECT_EQ(*flood.retry_after, Seconds{7});
    auto gateway = sender.send(alert_letter("1"));
    EXPECT_EQ(gateway.status, SendResult::Status::temporary_failure);
    auto bad_token = sender.send(alert_letter("1"));
    EXPECT_EQ(bad_token.status, SendResult::Status::permanent_failure);
    // The token is in the URL's path; a reply that echoes the path does not carry it into the detail.
    m_service.reply_next({404, "Cannot POST /bot123456:ABC-def/sendMessage", {}});
    auto echoed = sender.send(alert_letter("1"));
    EXPECT_EQ(echoed.status, SendResult::Status::permanent_failure);
    EXPECT_EQ(echoed.detail, "HTTP 404: Cannot POST /bot<secret>/sendMessage");
    for (const auto& r : {not_found, flood, gateway, bad_token, echoed})
        EXPECT_EQ(r.detail.find("ABC-def"), std::string::npos) << r.detail;
}

TEST_F(ChatSenderTest, SlackGetsABearerTokenAndItsOkFalseErrorsAreSorted)
{
    ChatSender sender(chat_of(config::ChatType::slack, m_service));
    EXPECT_EQ(sender.send(alert_letter("C0123")).status, SendResult::Status::sent);
    auto requests = m_service.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].path, "/chat.postMessage");
    EXPECT_EQ(requests[0].headers["authorization"], "Bearer 123456:ABC-def");
    json body = json::parse(requests[0].body);
    EXPECT_EQ(body["channel"], "C0123");
    EXPECT_EQ(body["text"], alert_letter("").content);

    m_service.reply_next({200, R"({"ok":false,"error":"channel_not_found"})", {}});
    m_service.reply_next({200, R"({"ok":false,"error":"ratelimited"})", {}});
    m_service.reply_next({429, R"({"ok":false,"error":"ratelimited"})", {{"Retry-After", "3"}}});
    auto missing = sender.send(alert_letter("C9"));
    EXPECT_EQ(missing.status, SendResult::Status::permanent_failure);
    EXPECT_EQ(missing.detail, "HTTP 200: channel_not_found");
    EXPECT_EQ(sender.send(alert_letter("C9")).status, SendResult::Status::temporary_failure);
    auto limited = sender.send(alert_letter("C9"));
    EXPECT_EQ(limited.status, SendResult::Status::temporary_failure);
    ASSERT_TRUE(limited.retry_after);
    EXPECT_EQ(*limited.retry_after, Seconds{3});
}

TEST_F(ChatSenderTest, AWebhookGetsTheLetterAsJsonSignedWithTheSecret)
{
    auto chat = chat_of(config::ChatType::webhook, m_service);
    chat.signing_secret = "k3y";
    // Signed at the time of the sender's clock, in Unix seconds.
    ManualTimeSource clock(parse_iso8601("2026-11-26T09:00:00Z").value());
    ChatSender sender(chat, ChatTiming{}, clock);
    auto letter = alert_letter("ops-room");
    letter.channel = "chat:ops";
    EXPECT_EQ(sender.send(letter).status, SendResult::Status::sent);
    auto requests = m_service.requests();
    ASSERT_EQ(requests.size(), 1u);
    auto& r = requests[0];
    EXPECT_EQ(r.path, "/hook");
    json body = json::parse(r.body);
    EXPECT_EQ(body["channel"], "chat:ops");
    EXPECT_EQ(body["recipient"], "ops-room");
    EXPECT_EQ(body["template"], "escalation");
    EXPECT_EQ(body["subject"], letter.subject);
    EXPECT_EQ(body["text"], letter.content);
    EXPECT_EQ(r.headers["idempotency-key"], letter.message_id);
    EXPECT_EQ(r.headers["x-redress-timestamp"], "1795683600");
    // The receiver checks the signature over "<timestamp>.<body>" with the shared secret.
    EXPECT_EQ(r.headers["x-redress-signature"], webhook_signature("k3y", r.headers["x-redress-timestamp"], r.body));
    EXPECT_NE(r.headers["x-redress-signature"], webhook_signature("other", r.headers["x-redress-timestamp"], r.body));

    m_service.reply_next({404, "no such hook", {}});
    m_service.reply_next({503, "", {{"Retry-After", "20"}}});
    EXPECT_EQ(sender.send(letter).status, SendResult::Status::permanent_failure);
    auto busy = sender.send(letter);
    EXPECT_EQ(busy.status, SendResult::Status::temporary_failure);
    ASSERT_TRUE(busy.retry_after);
    EXPECT_EQ(*busy.retry_after, Seconds{20});
}

TEST_F(ChatSenderTest, SlackTextHasItsControlCharactersEscaped)
{
    // Slack reads <...> as links and mentions (<!channel> pings everyone) and & as an entity, even
    // with mrkdwn off: a customer's words must arrive as written, not as a mention.
    ChatSender sender(chat_of(config::ChatType::slack, m_service));
    auto letter = alert_letter("C0123");
    letter.content = "Tom & Jerry <!channel> <https://evil.test|your bank> 1 < 2 > 0 &amp;";
    EXPECT_EQ(sender.send(letter).status, SendResult::Status::sent);
    auto requests = m_service.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(json::parse(requests[0].body)["text"],
              "Tom &amp; Jerry &lt;!channel&gt; &lt;https://evil.test|your bank&gt; 1 &lt; 2 &gt; 0 &amp;amp;");
    // Telegram (plain text, no parse_mode) and webhooks get the text unchanged.
    auto plain = build_request(chat_of(config::ChatType::telegram, m_service), letter, TimePoint{});
    EXPECT_EQ(json::parse(plain.body)["text"], letter.content);
}

namespace {

// The chat service over https with a certificate from a CA made for the test.
class ChatSenderTlsTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = redress::testing::make_temp_dir();
        std::string why;
        auto made = redress::testing::make_test_certificates(m_dir, &why);
        ASSERT_TRUE(made) << why;
        m_certificates = *made;
        ASSERT_TRUE(m_service.start_tls(m_certificates.server_cert, m_certificates.server_key));
        ASSERT_EQ(m_service.base_url().rfind("https://", 0), 0u);
    }
    void TearDown() override
    {
        m_service.stop();
        std::error_code ignored;
        std::filesystem::remove_all(m_dir, ignored);
    }

    config::Chat telegram(const std::filesystem::path& ca_file) const
    {
        auto chat = chat_of(config::ChatType::telegram, m_service);
        chat.ca_file = ca_file.string();
        return chat;
    }

    std::filesystem::path m_dir;
    redress::testing::TestCertificates m_certificates;
    redress::testing::ChatService m_service;
};

}  // namespace

TEST_F(ChatSenderTlsTest, TelegramOverHttpsWithTheConfiguredCaDelivers)
{
    ChatSender sender(telegram(m_certificates.ca), ChatTiming{5000ms, 10000ms});
    auto result = sender.send(alert_letter("4242"));
    EXPECT_EQ(result.status, SendResult::Status::sent) << result.detail;
    auto requests = m_service.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].path, "/bot123456:ABC-def/sendMessage");
}

TEST_F(ChatSenderTlsTest, ACertificateFromAnotherCaIsRefusedAndTheTokenStaysOutOfTheError)
{
    // Not the service the config trusts: nothing is sent (the token is in the request's path). The
    // letter waits for the operator's fix like any transport failure, so the failure is temporary.
    for (const auto& ca : {m_certificates.other_ca, std::filesystem::path()}) {
        ChatSender sender(telegram(ca), ChatTiming{5000ms, 10000ms});
        auto result = sender.send(alert_letter("4242"));
        EXPECT_EQ(result.status, SendResult::Status::temporary_failure) << ca << ": " << result.detail;
        EXPECT_FALSE(result.detail.empty());
        EXPECT_EQ(result.detail.find("ABC-def"), std::string::npos) << result.detail;
        EXPECT_EQ(result.detail.find("123456"), std::string::npos) << result.detail;
    }
    EXPECT_TRUE(m_service.requests().empty());
}

TEST(ChatSignature, IsHmacSha256OfTimestampDotBodyInHex)
{
    // printf '%s' '1700000000.{"text":"hi"}' | openssl dgst -sha256 -hmac k3y
    EXPECT_EQ(webhook_signature("k3y", "1700000000", R"({"text":"hi"})"),
              "sha256=bb11c9bc143a45facac9fe89ab6e1fcfafcbb2dadc7deefc1e1998e1d907a269");
}

TEST(ChatSender, AServiceThatIsDownIsATemporaryFailure)
{
    config::Chat chat;
    chat.type = config::ChatType::telegram;
    chat.bot_token = "1:x";
    chat.api_base = "http://127.0.0.1:" + std::to_string(redress::testing::free_port());
    ChatSender sender(chat, ChatTiming{2000ms, 5000ms});
    auto result = sender.send(alert_letter("1"));
    EXPECT_EQ(result.status, SendResult::Status::temporary_failure);
    EXPECT_FALSE(result.detail.empty());
}

TEST(ChatReplies, ALongReplyIsCutWithoutBreakingACharacter)
{
    std::string body = "<html>";
    while (body.size() < 400)
        body += "\xD0\x9E\xD1\x88\xD0\xB8\xD0\xB1\xD0\xBA\xD0\xB0 ";  // "Ошибка ", two bytes a letter
    for (int shift = 0; shift < 2; ++shift) {
        HttpReply reply{502, std::string(shift, 'x') + body, std::nullopt, ""};
        auto result = interpret_reply(config::ChatType::webhook, reply);
        EXPECT_TRUE(is_valid_utf8(result.detail)) << result.detail;
        EXPECT_LT(result.detail.size(), 320u);
    }
}

TEST(ChatReplies, AnOkStatusWithoutTheServicesJsonIsNotTakenForDelivery)
{
    HttpReply proxy_page{200, "<html>captive portal</html>", std::nullopt, ""};
    EXPECT_EQ(interpret_reply(config::ChatType::telegram, proxy_page).status, SendResult::Status::temporary_failure);
    HttpReply not_ok{200, R"({"ok":false,"description":"Forbidden: bot was blocked by the user"})", std::nullopt, ""};
    EXPECT_EQ(interpret_reply(config::ChatType::telegram, not_ok).status, SendResult::Status::permanent_failure);
    HttpReply moved{301, "", std::nullopt, ""};
    EXPECT_EQ(interpret_reply(config::ChatType::webhook, moved).status, SendResult::Status::permanent_failure);
    HttpReply created{201, "", std::nullopt, ""};
    EXPECT_EQ(interpret_reply(config::ChatType::webhook, created).status, SendResult::Status::sent);
}

TEST(ChatRequests, TelegramAnswersQuoteTheCustomersMessageWhenTheRecipientNamesOne)
{
    config::Chat chat;
    chat.name = "tg";
    chat.type = config::ChatType::telegram;
    chat.bot_token = "1:x";
    chat.api_base = "http://127.0.0.1:9";
    json answer = json::parse(build_request(chat, alert_letter("123456#42"), TimePoint{}).body);
    EXPECT_EQ(answer["chat_id"], 123456);
    EXPECT_EQ(answer["reply_to_message_id"], 42);
    EXPECT_EQ(answer["allow_sending_without_reply"], true);
    json alert = json::parse(build_request(chat, alert_letter("123456"), TimePoint{}).body);
    EXPECT_FALSE(alert.contains("reply_to_message_id"));
}

TEST(ChatRequests, SlackAnswersGoIntoTheConversationsThread)
{
    config::Chat chat;
    chat.name = "slack";
    chat.type = config::ChatType::slack;
    chat.bot_token = "xoxb-1";
    chat.api_base = "http://127.0.0.1:9";
    json answer = json::parse(build_request(chat, alert_letter("C0123:1700000000.000100"), TimePoint{}).body);
    EXPECT_EQ(answer["channel"], "C0123");
    EXPECT_EQ(answer["thread_ts"], "1700000000.000100");
    json alert = json::parse(build_request(chat, alert_letter("C0123"), TimePoint{}).body);
    EXPECT_EQ(alert["channel"], "C0123");
    EXPECT_FALSE(alert.contains("thread_ts"));
}

// Slack's users.info (api.slack.com/methods/users.info): the name a customer goes by in letters, and
// what each failure means for the lookup.
TEST(SlackUsersInfo, ReadsTheRealNameFirstAndTheProfileEmail)
{
    HttpReply reply;
    reply.status = 200;
    reply.body = R"({"ok": true, "user": {"id": "W012A3CDE", "name": "spengler", "real_name": "Egon Spengler",
                     "profile": {"real_name": "Egon Spengler", "display_name": "spengler",
                                 "email": "spengler@ghostbusters.example.com"}}})";
    auto user = read_users_info(reply);
    ASSERT_TRUE(user) << user.error().message;
    EXPECT_EQ(user->id, "W012A3CDE");
    EXPECT_EQ(user->name, "Egon Spengler");
    EXPECT_EQ(user->email, "spengler@ghostbusters.example.com");
    // Without the users:read.email scope there is no email; without a real name, the display name.
    reply.body = R"({"ok": true, "user": {"id": "U1", "name": "anna.p", "profile": {"display_name": "Anna P."}}})";
    user = read_users_info(reply);
    ASSERT_TRUE(user);
    EXPECT_EQ(user->name, "Anna P.");
    EXPECT_EQ(user->email, "");
    reply.body = R"({"ok": true, "user": {"id": "U2", "name": "anna.p", "profile": {"real_name": "  "}}})";
    EXPECT_EQ(read_users_info(reply)->name, "anna.p");
}

TEST(SlackUsersInfo, FailuresCarryTheirKind)
{
    HttpReply reply;
    reply.status = 200;
    reply.body = R"({"ok": false, "error": "user_not_found"})";
    EXPECT_TRUE(read_users_info(reply).error().is(ErrorKind::not_found));
    reply.body = R"({"ok": false, "error": "missing_scope", "needed": "users:read"})";
    EXPECT_TRUE(read_users_info(reply).error().is(ErrorKind::refused));
    reply.body = R"({"ok": false, "error": "ratelimited"})";
    EXPECT_TRUE(read_users_info(reply).error().is(ErrorKind::transient));
    reply.status = 429;
    reply.retry_after = Seconds{30};
    auto limited = read_users_info(reply);
    EXPECT_TRUE(limited.error().is(ErrorKind::transient));
    EXPECT_EQ(limited.error().retry_after_seconds, 30);
    reply = HttpReply{};
    reply.transport_error = "Failed to connect to 127.0.0.1 port 9";
    EXPECT_TRUE(read_users_info(reply).error().is(ErrorKind::transient));
    reply = HttpReply{};
    reply.status = 200;
    reply.body = "<html>";
    EXPECT_TRUE(read_users_info(reply).error().is(ErrorKind::refused));
}

TEST_F(ChatSenderTest, SlackUsersAreLookedUpWithTheBotTokenOnTheApiBase)
{
    config::Chat chat = chat_of(config::ChatType::slack, m_service);
    chat.bot_token = "xoxb-test-token";
    SlackUsers users(chat);
    auto unknown = users.look_up("U024BE7LH");  // the stand-in knows no user
    ASSERT_FALSE(unknown);
    EXPECT_TRUE(unknown.error().is(ErrorKind::not_found)) << unknown.error().message;
    auto requests = m_service.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "GET");
    EXPECT_EQ(requests[0].path, "/users.info");
    EXPECT_EQ(requests[0].query["user"], "U024BE7LH");
    EXPECT_EQ(requests[0].headers["authorization"], "Bearer xoxb-test-token");
    EXPECT_EQ(users_info_request(chat, "U 1&x").url, m_service.base_url() + "/users.info?user=U%201%26x");
}
