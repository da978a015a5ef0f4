// The Telegram poller against the stand-in Bot API on loopback (a real HTTP server answering getUpdates
// as Telegram does, tests/connectors/chat_service.*), with the connector state in memory and a test
// clock: each update read by the webhook's reader and taken, the offset written only after that, an
// update not stored asked for again, a refused one kept aside and passed over, every kind of failure
// counted with its reason, and a long poll that a stop ends at once. Then the Bot API's answers read
// without sockets.

#include "chat/telegram_poller.hpp"
#include "chat_service.hpp"
#include "memory_state_store.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <future>
#include <sstream>
#include <thread>

using namespace redress;
using namespace redress::connectors;
using namespace redress::connectors::chat;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

redress::testing::ChatReply bot_reply(int status, std::string body)
{
    redress::testing::ChatReply reply;
    reply.status = status;
    reply.body = std::move(body);
    return reply;
}

const TimePoint k_start{Seconds{1'764'500'100}};

std::string fixture(const std::string& name)
{
    std::ifstream in(std::string(REDRESS_FIXTURES_DIR) + "/chat/" + name, std::ios::binary);
    if (!in)
        throw std::runtime_error("missing fixture " + name);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The Russian complaint (update 10000001) under another update and message id.
std::string message_update(long long update_id, int message_id)
{
    json u = json::parse(fixture("telegram_message_ru.json"));
    u["update_id"] = update_id;
    u["message"]["message_id"] = message_id;
    return u.dump();
}

class TelegramPollerTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_service.start());
        m_chat.name = "tg";
        m_chat.type = config::ChatType::telegram;
        m_chat.mode = config::ChatMode::poll;
        m_chat.bot_token = "123:TEST";
        m_chat.api_base = m_service.base_url();
        // No long poll in these tests unless one asks for it: an empty answer comes at once.
        m_options.long_poll = Seconds{0};
    }

    TelegramPoller poller(TelegramPoller::TakeFn take = {})
    {
        if (!take)
            take = [this](chat_in::HookUpdate& update) -> Result<void> {
                m_taken.push_back(update.source_key);
                return {};
            };
        return TelegramPoller(
            m_chat, m_state, take,
            [this](const pipeline::RawMessage& raw, std::string_view reason) -> Result<void> {
                m_quarantined.emplace_back(raw.source_key, std::string(reason));
                return {};
            },
            m_health, m_clock, m_options);
    }

    json asked(std::size_t call)
    {
        auto calls = m_service.bot_calls("getUpdates");
        return call < calls.size() ? json::parse(calls[call].body) : json();
    }

    redress::testing::ChatService m_service;
    redress::testing::MemoryStateStore m_state;
    config::Chat m_chat;
    TelegramPollerOptions m_options;
    ChatHealth m_health;
    ManualTimeSource m_clock{k_start};
    std::vector<std::string> m_taken;
    std::vector<std::pair<std::string, std::string>> m_quarantined;
};

}  // namespace

TEST_F(TelegramPollerTest, TakesEachUpdateAndWritesItsOffsetOnlyAfterItWasTaken)
{
    m_service.add_update(message_update(500, 42));
    m_service.add_update(message_update(501, 43));
    std::vector<std::string> offset_when_taken;
    auto p = poller([&](chat_in::HookUpdate& update) -> Result<void> {
        offset_when_taken.push_back(m_state.get("chat:tg:offset"));
        m_taken.push_back(update.source_key);
        EXPECT_EQ(update.kind, chat_in::HookUpdate::Kind::message);
        EXPECT_EQ(update.raw->channel, "chat");
        EXPECT_EQ(update.raw->parsed->chat->conversation, "tg:123456");
        // Deadlines start when the customer wrote (the message's date), not when we asked.
        EXPECT_EQ(update.raw->received_at, TimePoint{Seconds{1764500000}});
        return {};
    });
    auto round = p.poll_once();
    ASSERT_TRUE(round) << round.error().message;
    EXPECT_EQ(round->updates, 2u);
    EXPECT_EQ(round->taken, 2u);
    EXPECT_EQ(m_taken, (std::vector<std::string>{"tg:500", "tg:501"}));
    // The offset of each update is written after it was taken, never before.
    EXPECT_EQ(offset_when_taken, (std::vector<std::string>{"", "501"}));
    EXPECT_EQ(m_state.get("chat:tg:offset"), "502");

    json first = asked(0);
    EXPECT_FALSE(first.contains("offset")) << first;
    EXPECT_EQ(first["allowed_updates"], json::array({"message", "edited_message"}));
    EXPECT_EQ(first["timeout"], 0);
    EXPECT_EQ(m_service.bot_calls("getUpdates")[0].path, "/bot123:TEST/getUpdates");

    // The next round asks from the offset, which confirms the two: Telegram forgets them.
    ASSERT_TRUE(p.poll_once());
    EXPECT_EQ(asked(1)["offset"], 502);
    EXPECT_EQ(m_taken.size(), 2u);
    auto health = m_health.state();
    EXPECT_EQ(health.updates_received, 2);
    EXPECT_EQ(health.last_update, k_start);
    EXPECT_EQ(health.consecutive_failures, 0);
}

TEST_F(TelegramPollerTest, ANewPollerResumesFromTheStoredOffset)
{
    ASSERT_TRUE(m_state.set_state("chat:tg:offset", "700"));
    m_service.add_update(message_update(699, 41));  // taken before the restart, not yet forgotten
    m_service.add_update(message_update(700, 42));
    auto p = poller();
    ASSERT_TRUE(p.poll_once());
    EXPECT_EQ(asked(0)["offset"], 700);
    EXPECT_EQ(m_taken, (std::vector<std::string>{"tg:700"}));
    EXPECT_EQ(m_state.get("chat:tg:offset"), "701");
}

TEST_F(TelegramPollerTest, AnUpdateThatWasNotStoredIsAskedForAgain)
{
    m_service.add_update(message_update(500, 42));
    int calls = 0;
    auto p = poller([&](chat_in::HookUpdate& update) -> Result<void> {
        if (++calls == 1)
            return make_error(ErrorKind::transient, "store.busy", "the database is busy");
        m_taken.push_back(update.source_key);
        return {};
    });
    auto failed = p.poll_once();
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, "store.busy");
    EXPECT_EQ(m_state.get("chat:tg:offset"), "");
    EXPECT_EQ(m_health.state().consecutive_failures, 1);
    EXPECT_EQ(m_health.state().updates_received, 0);

    ASSERT_TRUE(p.poll_once());
    EXPECT_EQ(m_taken, (std::vector<std::string>{"tg:500"}));
    EXPECT_EQ(m_state.get("chat:tg:offset"), "501");
    EXPECT_EQ(m_health.state().consecutive_failures, 0);
    EXPECT_EQ(m_health.state().last_error, "");
}

TEST_F(TelegramPollerTest, AnUpdateTheReaderRefusesIsKeptAsideAndPassedOver)
{
    json broken = json::parse(message_update(500, 42));
    broken["message"].erase("chat");
    m_service.add_update(broken.dump());
    m_service.add_update(message_update(501, 43));
    auto p = poller();
    auto round = p.poll_once();
    ASSERT_TRUE(round);
    EXPECT_EQ(round->quarantined, 1u);
    ASSERT_EQ(m_quarantined.size(), 1u);
    EXPECT_EQ(m_quarantined[0].first, "tg:500");
    EXPECT_EQ(m_quarantined[0].second, "chat.missing: the update has no message.chat");
    EXPECT_EQ(m_taken, (std::vector<std::string>{"tg:501"}));
    EXPECT_EQ(m_state.get("chat:tg:offset"), "502");
}

TEST_F(TelegramPollerTest, AnUpdateOfferedAgainIsTakenAgainAndTheOffsetNeverGoesBack)
{
    // Telegram gives an update again when its offset was not confirmed (a restart before the offset
    // was written): the taker sees the same source key, which the pipeline knows already.
    m_service.add_update(message_update(500, 42));
    auto p = poller();
    ASSERT_TRUE(p.poll_once());
    m_service.offer_again(message_update(500, 42));
    ASSERT_TRUE(p.poll_once());
    EXPECT_EQ(m_taken, (std::vector<std::string>{"tg:500", "tg:500"}));
    EXPECT_EQ(m_state.get("chat:tg:offset"), "501");
}

TEST_F(TelegramPollerTest, FailuresAreCountedWithTheirReasonUntilARoundSucceeds)
{
    m_options.long_poll = Seconds{25};  // every answer below comes at once: scripted, or with an update
    m_service.reply_next_bot("getUpdates",
                             bot_reply(500, R"({"ok":false,"error_code":500,"description":"Internal Server Error"})"));
    m_service.reply_next_bot("getUpdates",
                             bot_reply(401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})"));
    m_service.reply_next_bot("getUpdates", bot_reply(200, "<html>a proxy's page</html>"));
    m_service.reply_next_bot(
        "getUpdates", bot_reply(429, R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7",)"
                                     R"("parameters":{"retry_after":7}})"));
    auto p = poller();

    auto server = p.poll_once();
    ASSERT_FALSE(server);
    EXPECT_EQ(server.error().code, "telegram.server");
    EXPECT_TRUE(server.error().is(ErrorKind::transient));
    m_clock.advance(Seconds{1});
    auto token = p.poll_once();
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().code, "telegram.unauthorized");
    EXPECT_TRUE(token.error().is(ErrorKind::refused));
    auto junk = p.poll_once();
    ASSERT_FALSE(junk);
    EXPECT_EQ(junk.error().code, "telegram.bad_answer");
    auto limited = p.poll_once();
    ASSERT_FALSE(limited);
    EXPECT_TRUE(limited.error().is(ErrorKind::limited));
    EXPECT_EQ(limited.error().retry_after_seconds, 7);

    // A webhook is still set: Telegram refuses getUpdates with 409 and says so.
    m_service.set_webhook_url("https://support.example.com/hooks/tg");
    auto webhook = p.poll_once();
    ASSERT_FALSE(webhook);
    EXPECT_EQ(webhook.error().code, "telegram.webhook_active");
    EXPECT_NE(webhook.error().message.find("redress chat setup"), std::string::npos) << webhook.error().message;

    auto health = m_health.state();
    EXPECT_EQ(health.consecutive_failures, 5);
    EXPECT_EQ(health.failures, 5);
    EXPECT_EQ(health.last_error_at, k_start + Seconds{1});
    EXPECT_NE(health.last_error.find("telegram.webhook_active"), std::string::npos) << health.last_error;
    EXPECT_EQ(m_state.get("chat:tg:offset"), "");

    m_service.set_webhook_url("");
    m_service.add_update(message_update(500, 42));
    ASSERT_TRUE(p.poll_once());
    // Only the first question held; after a failure Telegram is asked to answer at once, so that
    // the recovery shows without waiting out a long poll.
    EXPECT_EQ(asked(0)["timeout"], 25);
    EXPECT_EQ(asked(1)["timeout"], 0);
    EXPECT_EQ(asked(5)["timeout"], 0);
    health = m_health.state();
    EXPECT_EQ(health.consecutive_failures, 0);
    EXPECT_EQ(health.last_error, "");
    EXPECT_EQ(health.failures, 5);
    EXPECT_EQ(health.updates_received, 1);
}

TEST_F(TelegramPollerTest, NoErrorTextCarriesTheBotToken)
{
    // A wrong api_base that echoes the request's path, as some proxies do.
    m_service.reply_next_bot("getUpdates", bot_reply(404, "Cannot POST /bot123:TEST/getUpdates"));
    auto p = poller();
    auto r = p.poll_once();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message.find("123:TEST"), std::string::npos) << r.error().message;
    EXPECT_EQ(m_health.state().last_error.find("123:TEST"), std::string::npos);

    // No server at all: the transport's words name the host, not the path.
    m_chat.api_base = "http://127.0.0.1:1";
    auto q = poller();
    auto down = q.poll_once();
    ASSERT_FALSE(down);
    EXPECT_EQ(down.error().code, "telegram.unreachable");
    EXPECT_EQ(down.error().message.find("123:TEST"), std::string::npos) << down.error().message;
}

TEST_F(TelegramPollerTest, AStopEndsALongPollAtOnce)
{
    // The stand-in holds getUpdates as Telegram does, here for the whole 25 seconds.
    m_options.long_poll = Seconds{25};
    auto p = poller();
    std::promise<void> ended;
    auto done = ended.get_future();
    std::jthread thread([&](std::stop_token stop) {
        p.run(stop);
        ended.set_value();
    });
    ASSERT_TRUE(m_service.wait_for_bot_calls("getUpdates", 1, 10s));
    EXPECT_EQ(asked(0)["timeout"], 25);
    thread.request_stop();
    // Far less than the long poll: the request in flight was ended, not waited out.
    EXPECT_EQ(done.wait_for(5s), std::future_status::ready);
    thread.join();
    EXPECT_EQ(m_health.state().consecutive_failures, 0) << "a stop is no failure";
}

TEST_F(TelegramPollerTest, AnUpdateThatComesDuringALongPollIsTakenAtOnce)
{
    m_options.long_poll = Seconds{25};
    auto p = poller();
    std::jthread thread([&](std::stop_token stop) { p.run(stop); });
    ASSERT_TRUE(m_service.wait_for_bot_calls("getUpdates", 1, 10s));
    m_service.add_update(message_update(500, 42));
    // The held request answers with the update; the next one asks from past it.
    ASSERT_TRUE(m_service.wait_for_bot_calls("getUpdates", 2, 10s));
    thread.request_stop();
    thread.join();
    EXPECT_EQ(m_taken, (std::vector<std::string>{"tg:500"}));
    EXPECT_EQ(asked(1)["offset"], 501);
}

TEST(PollBackoff, DoublesFromTheFirstUpToTheCapAndWaitsWhatTelegramAsks)
{
    TelegramPollerOptions options;
    options.backoff_first = 1'000ms;
    options.backoff_cap = 60'000ms;
    Error plain = make_error(ErrorKind::transient, "telegram.server", "HTTP 502");
    EXPECT_EQ(poll_backoff(1, plain, options), 1'000ms);
    EXPECT_EQ(poll_backoff(2, plain, options), 2'000ms);
    EXPECT_EQ(poll_backoff(4, plain, options), 8'000ms);
    EXPECT_EQ(poll_backoff(7, plain, options), 60'000ms);
    EXPECT_EQ(poll_backoff(40, plain, options), 60'000ms);
    Error limited = make_error(ErrorKind::limited, "telegram.limited", "HTTP 429");
    limited.retry_after_seconds = 90;
    EXPECT_EQ(poll_backoff(1, limited, options), 90'000ms);
}

TEST(BotApiReply, EachAnswerHasItsKind)
{
    auto ok = interpret_bot_api_reply("getUpdates", 200, R"({"ok":true,"result":[]})", "");
    ASSERT_TRUE(ok);
    EXPECT_TRUE(ok->is_array());
    auto down = interpret_bot_api_reply("getUpdates", 0, "", "Failed to connect to 127.0.0.1 port 1");
    ASSERT_FALSE(down);
    EXPECT_EQ(down.error().code, "telegram.unreachable");
    EXPECT_NE(down.error().message.find("Failed to connect"), std::string::npos);
    auto refused = interpret_bot_api_reply(
        "setWebhook", 400,
        R"({"ok":false,"error_code":400,"description":"Bad Request: bad webhook: HTTPS url must be provided for webhook"})",
        "");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "telegram.refused");
    EXPECT_NE(refused.error().message.find("HTTPS url must be provided"), std::string::npos);
    auto not_ok = interpret_bot_api_reply("deleteWebhook", 200, R"({"ok":false,"description":"odd"})", "");
    ASSERT_FALSE(not_ok);
    EXPECT_EQ(not_ok.error().code, "telegram.refused");
}

TEST(WebhookInfo, IsReadFromGetWebhookInfo)
{
    // core.telegram.org/bots/api#webhookinfo, a webhook that failed once.
    json result = json::parse(R"({"url":"https://support.example.com/hooks/tg","has_custom_certificate":false,
        "pending_update_count":3,"last_error_date":1764500000,"last_error_message":"Wrong response from the webhook: 503 Service Unavailable",
        "max_connections":40,"allowed_updates":["message","edited_message"]})");
    WebhookInfo info = webhook_info_of(result);
    EXPECT_EQ(info.url, "https://support.example.com/hooks/tg");
    EXPECT_EQ(info.pending_update_count, 3);
    EXPECT_EQ(info.last_error_date, TimePoint{Seconds{1764500000}});
    EXPECT_EQ(info.last_error_message, "Wrong response from the webhook: 503 Service Unavailable");
    EXPECT_EQ(info.allowed_updates, (std::vector<std::string>{"message", "edited_message"}));
    EXPECT_EQ(info.max_connections, 40);
    EXPECT_EQ(webhook_url("https://support.example.com/", "tg"), "https://support.example.com/hooks/tg");
}
