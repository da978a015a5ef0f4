// Chat deliveries read without sockets: Telegram updates, Slack events and the generic JSON webhook
// from fixtures written from the platforms' documentation (tests/fixtures/chat/*.json, each saying in
// its "_case" which documented case it is), with their secrets and signatures checked.

#include "auth/secrets.hpp"
#include "chat_in/chat_hook.hpp"
#include "chat_in/slack_event.hpp"
#include "chat_in/telegram_update.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace redress;
using namespace redress::connectors::chat_in;

namespace {

const TimePoint k_now{Seconds{1'764'500'500}};

std::string fixture(const std::string& name)
{
    std::ifstream in(std::string(REDRESS_FIXTURES_DIR) + "/chat/" + name, std::ios::binary);
    if (!in)
        throw std::runtime_error("missing fixture " + name);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

config::Chat telegram()
{
    config::Chat c;
    c.name = "tg";
    c.type = config::ChatType::telegram;
    c.secret_token = "s3cret-token_1";
    return c;
}

config::Chat slack()
{
    config::Chat c;
    c.name = "slack";
    c.type = config::ChatType::slack;
    c.signing_secret = "8f742231b10e8888abcd99yyyzzz85a5";
    return c;
}

config::Chat webhook()
{
    config::Chat c;
    c.name = "web";
    c.type = config::ChatType::webhook;
    c.signing_secret = "widget-secret";
    return c;
}

HookHeaders telegram_headers(std::string token = "s3cret-token_1")
{
    return {{"x-telegram-bot-api-secret-token", std::move(token)}};
}

HookHeaders slack_headers(const std::string& body, TimePoint at = k_now, std::string secret = slack().signing_secret)
{
    std::string ts = std::to_string(at.time_since_epoch().count());
    return {{"x-slack-request-timestamp", ts}, {"x-slack-signature", slack_signature(secret, ts, body)}};
}

HookHeaders webhook_headers(const std::string& body, TimePoint at = k_now, std::string secret = "widget-secret")
{
    std::string ts = std::to_string(at.time_since_epoch().count());
    return {{"x-redress-timestamp", ts},
            {"x-redress-signature", "sha256=" + auth::hmac_sha256_hex(secret, ts + "." + body)}};
}

const HookUpdate& update_of(const HookResult& r)
{
    if (const auto* refusal = std::get_if<Refusal>(&r))
        throw std::runtime_error("refused: " + refusal->detail);
    return std::get<HookUpdate>(r);
}

RefusalReason refusal_of(const HookResult& r)
{
    if (!std::holds_alternative<Refusal>(r))
        throw std::runtime_error("not refused");
    return std::get<Refusal>(r).reason;
}

}  // namespace

TEST(TelegramUpdate, AMessageBecomesARawMessageOfItsConversationWithTheSendersLanguageAndContacts)
{
    std::string body = fixture("telegram_message_ru.json");
    auto u = update_of(read_hook(telegram(), telegram_headers(), body, k_now));
    ASSERT_EQ(u.kind, HookUpdate::Kind::message);
    ASSERT_TRUE(u.raw && u.raw->parsed && u.raw->parsed->chat);
    EXPECT_EQ(u.raw->channel, "chat");
    EXPECT_EQ(u.raw->source, "tg");
    EXPECT_EQ(u.raw->source_key, "tg:10000001");
    EXPECT_EQ(u.raw->bytes, body);
    const Message& m = *u.raw->parsed;
    EXPECT_EQ(m.from.name, "Анна Петрова");
    EXPECT_EQ(m.from.address, "tg:98765");
    EXPECT_EQ(m.date, TimePoint{Seconds{1764500000}});
    EXPECT_TRUE(m.text.starts_with("Здравствуйте!"));
    EXPECT_EQ(m.chat->conversation, "tg:123456");
    EXPECT_EQ(m.chat->user_id, "tg:98765");
    EXPECT_EQ(m.chat->reply_to, "42");
    EXPECT_EQ(m.chat->language_hint, "ru");
    EXPECT_EQ(m.chat->email, "anna@example.ru");
    EXPECT_EQ(m.chat->phone, "+79123456789");
}

TEST(TelegramUpdate, AnEditIsAMessageOfItsOwnInTheSameConversation)
{
    auto u = update_of(read_hook(telegram(), telegram_headers(), fixture("telegram_edited_message.json"), k_now));
    ASSERT_EQ(u.kind, HookUpdate::Kind::message);
    EXPECT_EQ(u.raw->parsed->chat->conversation, "tg:123456");
    EXPECT_EQ(u.raw->parsed->message_id, "tg:123456:42:edit:1764500060");
    EXPECT_EQ(u.raw->source_key, "tg:10000002");
    // It names the message it edits, so the pipeline records it there as an edit.
    EXPECT_EQ(u.raw->parsed->chat->edit_of, "tg:123456:42");
    auto first = update_of(read_hook(telegram(), telegram_headers(), fixture("telegram_message_ru.json"), k_now));
    EXPECT_EQ(first.raw->parsed->chat->edit_of, "");
}

TEST(TelegramUpdate, APolledUpdateIsReadAsAWebhookDeliveryIsWithoutTheSecret)
{
    // getUpdates carries no secret header: the update object alone is read, by the same reader.
    config::Chat chat = telegram();
    chat.mode = config::ChatMode::poll;
    chat.secret_token.clear();
    std::string body = fixture("telegram_message_ru.json");
    auto polled = update_of(read_telegram_update_object(chat, nlohmann::json::parse(body), body));
    auto posted = update_of(read_hook(telegram(), telegram_headers(), body, k_now));
    ASSERT_EQ(polled.kind, HookUpdate::Kind::message);
    EXPECT_EQ(polled.raw->source_key, posted.raw->source_key);
    EXPECT_EQ(polled.raw->parsed->message_id, posted.raw->parsed->message_id);
    EXPECT_EQ(polled.raw->parsed->text, posted.raw->parsed->text);
    EXPECT_EQ(polled.raw->bytes, body);

    auto refused = read_telegram_update_object(chat, nlohmann::json::array(), "[]");
    ASSERT_TRUE(std::holds_alternative<Refusal>(refused));
    EXPECT_EQ(std::get<Refusal>(refused).reason, RefusalReason::malformed);
}

TEST(TelegramUpdate, AChatThatPollsTakesNoWebhooks)
{
    config::Chat chat = telegram();
    chat.mode = config::ChatMode::poll;
    auto read = read_hook(chat, telegram_headers(), fixture("telegram_message_ru.json"), k_now);
    ASSERT_TRUE(std::holds_alternative<Refusal>(read));
    EXPECT_EQ(std::get<Refusal>(read).reason, RefusalReason::unknown_chat);
}

TEST(TelegramUpdate, StartIsGreetedAndOpensNothing)
{
    auto u = update_of(read_hook(telegram(), telegram_headers(), fixture("telegram_start.json"), k_now));
    EXPECT_EQ(u.kind, HookUpdate::Kind::greeting);
    EXPECT_EQ(u.greet_conversation, "tg:123456");
    EXPECT_EQ(u.greet_language, "ru");
    EXPECT_FALSE(u.raw);
}

TEST(TelegramUpdate, BotsAndUpdatesWithoutAMessageAreIgnored)
{
    auto bot = update_of(read_hook(telegram(), telegram_headers(), fixture("telegram_from_bot.json"), k_now));
    EXPECT_EQ(bot.kind, HookUpdate::Kind::ignored);
    EXPECT_EQ(bot.why, "a message from a bot");
    auto button = update_of(read_hook(telegram(), telegram_headers(), fixture("telegram_callback_query.json"), k_now));
    EXPECT_EQ(button.kind, HookUpdate::Kind::ignored);
}

TEST(TelegramUpdate, PhotosAndDocumentsAreListedAsAttachmentsWithTheirFileIds)
{
    auto photo = update_of(read_hook(telegram(), telegram_headers(), fixture("telegram_photo_caption.json"), k_now));
    ASSERT_EQ(photo.kind, HookUpdate::Kind::message);
    const Message& p = *photo.raw->parsed;
    EXPECT_EQ(p.text, "The kettle arrived with a cracked lid, see the photo.");  // the caption
    ASSERT_EQ(p.attachments.size(), 1u);
    EXPECT_EQ(p.attachments[0].file_id, "AgACAgIAAxkBAAIBlarge");  // the largest size
    EXPECT_EQ(p.attachments[0].size, 84211u);
    EXPECT_EQ(p.attachments[0].content_type, "image/jpeg");

    auto doc = update_of(read_hook(telegram(), telegram_headers(), fixture("telegram_document.json"), k_now));
    ASSERT_EQ(doc.kind, HookUpdate::Kind::message);  // no text, but a file: still a message to us
    const Attachment& a = doc.raw->parsed->attachments.at(0);
    EXPECT_EQ(a.filename, "receipt.pdf");
    EXPECT_EQ(a.content_type, "application/pdf");
    EXPECT_EQ(a.size, 20480u);
    EXPECT_EQ(a.file_id, "BQACAgIAAxkBAAIBdoc");
}

TEST(TelegramUpdate, AMissingOrWrongSecretTokenIsRefusedBeforeTheBodyIsRead)
{
    std::string body = fixture("telegram_message_ru.json");
    EXPECT_EQ(refusal_of(read_hook(telegram(), {}, body, k_now)), RefusalReason::signature);
    EXPECT_EQ(refusal_of(read_hook(telegram(), telegram_headers("s3cret-token_2"), body, k_now)),
              RefusalReason::signature);
    EXPECT_EQ(refusal_of(read_hook(telegram(), telegram_headers(), "not json", k_now)), RefusalReason::malformed);
    config::Chat open = telegram();
    open.secret_token.clear();  // no secret configured: no webhooks at all
    EXPECT_EQ(refusal_of(read_hook(open, telegram_headers(""), body, k_now)), RefusalReason::signature);
    EXPECT_EQ(refusal_of(read_hook(telegram(), telegram_headers(), R"({"message":{"chat":{"id":1}}})", k_now)),
              RefusalReason::missing);
    EXPECT_EQ(
        refusal_of(read_hook(telegram(), telegram_headers(), R"({"update_id":5,"message":{"message_id":1}})", k_now)),
        RefusalReason::missing);
}

TEST(SlackEvent, UrlVerificationIsAnsweredWithTheChallenge)
{
    std::string body = fixture("slack_url_verification.json");
    auto u = update_of(read_hook(slack(), slack_headers(body), body, k_now));
    EXPECT_EQ(u.kind, HookUpdate::Kind::challenge);
    EXPECT_EQ(u.challenge, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
}

TEST(SlackEvent, AMessageOpensAThreadConversationKeyedByItsEventId)
{
    std::string body = fixture("slack_message.json");
    auto u = update_of(read_hook(slack(), slack_headers(body), body, k_now));
    ASSERT_EQ(u.kind, HookUpdate::Kind::message);
    EXPECT_EQ(u.raw->source_key, "slack:Ev0PV52K21");
    const Message& m = *u.raw->parsed;
    EXPECT_EQ(m.chat->conversation, "slack:C0CUSTOMERS:1764500400.000100");  // its own ts starts the thread
    EXPECT_EQ(m.chat->user_id, "slack:U024BE7LH");
    // The event has no name: unknown (not the id, which a letter would greet) until users.info tells.
    EXPECT_EQ(m.from.name, "");
    EXPECT_EQ(m.from.address, "slack:U024BE7LH");
    EXPECT_EQ(m.text,
              "My order 1234 arrived broken and nobody answers my emails. I want a refund, this is unacceptable.");
    EXPECT_EQ(m.chat->phone, "");  // "1234" is an order number
}

TEST(SlackEvent, AThreadReplyBelongsToItsParentsConversation)
{
    std::string body = fixture("slack_thread_reply.json");
    auto u = update_of(read_hook(slack(), slack_headers(body), body, k_now));
    ASSERT_EQ(u.kind, HookUpdate::Kind::message);
    EXPECT_EQ(u.raw->parsed->chat->conversation, "slack:C0CUSTOMERS:1764500400.000100");
}

TEST(SlackEvent, BotPostsOurOwnMessagesAndEditsAreIgnored)
{
    for (const char* name : {"slack_bot_message.json", "slack_own_message.json", "slack_message_changed.json"}) {
        std::string body = fixture(name);
        auto u = update_of(read_hook(slack(), slack_headers(body), body, k_now));
        EXPECT_EQ(u.kind, HookUpdate::Kind::ignored) << name;
        EXPECT_FALSE(u.why.empty()) << name;
    }
}

TEST(SlackEvent, ASignatureThatIsWrongOldOrMissingIsRefused)
{
    std::string body = fixture("slack_message.json");
    EXPECT_EQ(refusal_of(read_hook(slack(), {}, body, k_now)), RefusalReason::signature);
    EXPECT_EQ(refusal_of(read_hook(slack(), slack_headers(body, k_now, "another secret"), body, k_now)),
              RefusalReason::signature);
    // The body changed after signing (one byte).
    std::string changed = body;
    changed[changed.find("1234")] = '9';
    EXPECT_EQ(refusal_of(read_hook(slack(), slack_headers(body), changed, k_now)), RefusalReason::signature);
    // Signed six minutes ago, or six minutes ahead: a replay, whatever the signature.
    EXPECT_EQ(refusal_of(read_hook(slack(), slack_headers(body, k_now - Seconds{360}), body, k_now)),
              RefusalReason::timestamp);
    EXPECT_EQ(refusal_of(read_hook(slack(), slack_headers(body, k_now + Seconds{360}), body, k_now)),
              RefusalReason::timestamp);
    // Four minutes is within the window.
    EXPECT_EQ(update_of(read_hook(slack(), slack_headers(body, k_now - Seconds{240}), body, k_now)).kind,
              HookUpdate::Kind::message);
}

TEST(SlackEvent, TheSignatureIsTheDocumentedV0Hmac)
{
    // api.slack.com/authentication/verifying-requests-from-slack: "v0=" + hex HMAC-SHA256 of
    // "v0:<timestamp>:<body>"; checked here against OpenSSL through auth::hmac_sha256_hex.
    EXPECT_EQ(slack_signature("key", "1531420618", "body"), "v0=" + auth::hmac_sha256_hex("key", "v0:1531420618:body"));
    EXPECT_EQ(slack_signature("key", "1", "b").size(), 3u + 64u);
}

TEST(JsonWebhook, ASignedMessageBecomesARawMessageWithTheBridgesUnverifiedContacts)
{
    std::string body = fixture("webhook_message.json");
    auto u = update_of(read_hook(webhook(), webhook_headers(body), body, k_now));
    ASSERT_EQ(u.kind, HookUpdate::Kind::message);
    EXPECT_EQ(u.raw->source_key, "web:m-1001");
    const Message& m = *u.raw->parsed;
    EXPECT_EQ(m.from.name, "Jan Novak");
    EXPECT_EQ(m.chat->conversation, "web:conv-77");
    EXPECT_EQ(m.chat->user_id, "web:visitor-5");
    EXPECT_EQ(m.chat->email, "jan@example.cz");
    EXPECT_EQ(m.chat->phone, "+420 601 123 456");
    EXPECT_EQ(m.chat->language_hint, "en");
    ASSERT_TRUE(m.date);
    EXPECT_EQ(*m.date, *parse_iso8601("2026-11-30T10:00:00Z"));
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_EQ(m.attachments[0].filename, "blender.jpg");
}

TEST(JsonWebhook, RefusesBadSignaturesOldTimestampsAndMissingFields)
{
    std::string body = fixture("webhook_message.json");
    EXPECT_EQ(refusal_of(read_hook(webhook(), {}, body, k_now)), RefusalReason::signature);
    EXPECT_EQ(refusal_of(read_hook(webhook(), webhook_headers(body, k_now, "wrong"), body, k_now)),
              RefusalReason::signature);
    EXPECT_EQ(refusal_of(read_hook(webhook(), webhook_headers(body, k_now - Seconds{301}), body, k_now)),
              RefusalReason::timestamp);
    std::string partial = fixture("webhook_no_conversation.json");
    EXPECT_EQ(refusal_of(read_hook(webhook(), webhook_headers(partial), partial, k_now)), RefusalReason::missing);
    std::string broken = "{\"message_id\": ";
    EXPECT_EQ(refusal_of(read_hook(webhook(), webhook_headers(broken), broken, k_now)), RefusalReason::malformed);
}

TEST(ContactDetails, FindsAnAddressAndAPhoneButNotDatesOrOrderNumbers)
{
    auto c = contact_details_in("Write to me at anna.p@example.ru. Or call 8 (912) 345-67-89!");
    EXPECT_EQ(c.email, "anna.p@example.ru");
    EXPECT_EQ(c.phone, "89123456789");
    auto none = contact_details_in("Order 123456 of 2026-11-30 at 10:00, see @support");
    EXPECT_EQ(none.email, "");
    EXPECT_EQ(none.phone, "");
}

TEST(RefusalReasons, MapToTheDocumentedStatuses)
{
    EXPECT_EQ(http_status(RefusalReason::signature), 401);
    EXPECT_EQ(http_status(RefusalReason::timestamp), 401);
    EXPECT_EQ(http_status(RefusalReason::malformed), 400);
    EXPECT_EQ(http_status(RefusalReason::missing), 400);
    EXPECT_EQ(http_status(RefusalReason::too_large), 413);
    EXPECT_EQ(http_status(RefusalReason::unknown_chat), 404);
}
