// Chat customers over real HTTP on loopback against `redress serve`: Telegram webhooks, Slack events
// and the signed JSON webhook posted to /hooks/{chat}, with a stand-in for Telegram's Bot API, Slack's
// Web API and the webhook receiver on loopback (tests/connectors/chat_service.*) recording what the
// daemon sends back. Covers a Russian complaint by Telegram answered in Russian as a reply to the
// customer's message, /start, the same update twice, Slack's url_verification, a signed event, its
// retry and a thread reply answered in the thread, a webhook round trip with the signed answer
// checked, and every refusal with its count in /metrics and nothing stored.

#include "auth/secrets.hpp"
#include "chat_fixtures.hpp"
#include "chat_service.hpp"
#include "daemon_fixtures.hpp"
#include "daemon_process.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <functional>
#include <future>
#include <optional>
#include <regex>
#include <sstream>

namespace redress::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using nlohmann::json;

// An environment variable for the daemons started while this lives (they inherit ours).
class ScopedEnvironment {
public:
    ScopedEnvironment(const char* name, const std::string& value)
        : m_name(name)
    {
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnvironment() { ::unsetenv(m_name); }
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

private:
    const char* m_name;
};

class ChatDaemon : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_service.start());
        m_data = m_scratch / "data";
        m_config = m_scratch / "redress.json";
        std::string base = m_service.base_url();
        // A chat's failed letter is tried again after a second (first_retry), not the default 30 s.
        write_file(m_config, three_chats_config(base, json::object(), json::object({{"first_retry", "PT1S"}})));
        m_daemon = std::make_unique<DaemonProcess>(m_scratch / "daemon.log");
        // Only the first daemon of a test gets the fault point; a restarted one runs without it.
        std::optional<ScopedEnvironment> fault;
        if (!fault_point().empty())
            fault.emplace("REDRESS_FAULT", fault_point());
        start_daemon();
    }

    // REDRESS_FAULT for the first daemon (daemon/app/fault_point.hpp); none by default.
    virtual std::string fault_point() const { return {}; }

    // `redress serve` on the test's data folder and config, and the port it listens on.
    void start_daemon()
    {
        ASSERT_TRUE(m_daemon->serve(m_data, m_config)) << m_daemon->log();
        m_port = listening_port(*m_daemon);
        ASSERT_GT(m_port, 0) << m_daemon->log();
    }

    void TearDown() override
    {
        if (!m_daemon)
            return;
        EXPECT_EQ(m_daemon->terminate(), 0) << m_daemon->log();
        std::string log = m_daemon->log();
        for (const std::string* secret : {&k_tg_secret, &k_slack_secret, &k_web_secret})
            EXPECT_EQ(log.find(*secret), std::string::npos) << "a chat secret is in the log";
    }

    // The requests the stand-in got on paths ending with `suffix`, once there are `n` of them.
    std::vector<ChatRequest> sent_to(const std::string& suffix, std::size_t n)
    {
        std::vector<ChatRequest> found;
        wait_until(
            [&] {
                found.clear();
                for (auto& r : m_service.requests())
                    if (r.path.ends_with(suffix))
                        found.push_back(r);
                return found.size() >= n;
            },
            20s);
        return found;
    }

    // The acknowledgement letters of the one ticket there is, once each is recorded as sent: a
    // letter recorded as sent is never sent again, so what the stand-in got then is all it gets.
    std::vector<json> sent_acknowledgements()
    {
        std::vector<json> acks;
        wait_until(
            [&] {
                acks.clear();
                auto list = list_tickets(m_data, m_config);
                if (!list || list->size() != 1)
                    return false;
                auto shown = show_ticket(m_data, (*list)[0]["number"].get<std::string>(), m_config);
                if (!shown)
                    return false;
                bool all_sent = true;
                for (const auto& letter : (*shown)["letters"])
                    if (letter["template"] == "acknowledgement") {
                        acks.push_back(letter);
                        all_sent = all_sent && letter["status"] == "sent";
                    }
                return !acks.empty() && all_sent;
            },
            20s, 200ms);
        return acks;
    }

    Reply telegram(const std::string& body, const std::string& secret = k_tg_secret)
    {
        httplib::Headers headers;
        if (!secret.empty())
            headers.emplace("X-Telegram-Bot-Api-Secret-Token", secret);
        return post(m_port, "/hooks/tg", body, headers);
    }

    ScratchDir m_scratch;
    ChatService m_service;
    fs::path m_data;
    fs::path m_config;
    std::unique_ptr<DaemonProcess> m_daemon;
    int m_port = 0;
};

}  // namespace

TEST_F(ChatDaemon, ARussianComplaintByTelegramOpensATicketAndIsAnsweredInRussianAsAReply)
{
    std::string body = fixture("telegram_message_ru.json");
    Reply first = telegram(body);
    ASSERT_EQ(first.status, 200) << first;
    json outcome = first.body_json();
    EXPECT_EQ(outcome["action"], "created") << first;
    EXPECT_EQ(outcome["language"], "ru") << first;
    std::string number = outcome["ticket"].get<std::string>();

    auto sent = sent_to("/sendMessage", 1);
    ASSERT_EQ(sent.size(), 1u) << m_daemon->log();
    EXPECT_EQ(sent[0].path, "/bot123:TEST/sendMessage");
    json message = json::parse(sent[0].body);
    EXPECT_EQ(message["chat_id"], 123456);
    EXPECT_EQ(message["reply_to_message_id"], 42);
    std::string text = message["text"].get<std::string>();
    EXPECT_NE(text.find(number), std::string::npos) << text;
    EXPECT_TRUE(std::regex_search(text, std::regex("[А-Яа-я]{4,}"))) << "not Russian: " << text;

    // Telegram resends an update it got no answer to: the same update is stored once, answered once.
    Reply again = telegram(body);
    ASSERT_EQ(again.status, 200) << again;
    EXPECT_EQ(again.body_json()["action"], "duplicate") << again;
    EXPECT_TRUE(again.body_json()["letters"].empty());
    EXPECT_EQ(ticket_count(m_data, m_config), 1u);

    // The customer writes on in the same chat: the same ticket.
    std::string more = body;
    more.replace(more.find("10000001"), 8, "10000011");
    more.replace(more.find("\"message_id\": 42"), 16, "\"message_id\": 45");
    Reply next = telegram(more);
    ASSERT_EQ(next.status, 200) << next;
    EXPECT_EQ(next.body_json()["action"], "updated") << next;
    EXPECT_EQ(next.body_json()["ticket"], number);

    auto shown = show_ticket(m_data, number, m_config);
    ASSERT_TRUE(shown);
    EXPECT_EQ(ticket_count(m_data, m_config), 1u);
}

TEST_F(ChatDaemon, StartIsGreetedInTheChatAndOpensNoTicket)
{
    Reply r = telegram(fixture("telegram_start.json"));
    ASSERT_EQ(r.status, 200) << r;
    EXPECT_EQ(r.body_json()["greeted"], true) << r;
    auto sent = sent_to("/sendMessage", 1);
    ASSERT_EQ(sent.size(), 1u) << m_daemon->log();
    json message = json::parse(sent[0].body);
    EXPECT_EQ(message["chat_id"], 123456);
    EXPECT_NE(message["text"].get<std::string>().find("Kettle Shop"), std::string::npos);
    EXPECT_EQ(ticket_count(m_data, m_config), 0u);
}

TEST_F(ChatDaemon, ARedeliveredStartIsGreetedOnce)
{
    // Telegram sends the same /start again (our answer was lost): the greeting is queued once, by its
    // update's dedup key.
    std::string start = fixture("telegram_start.json");
    Reply first = telegram(start);
    ASSERT_EQ(first.status, 200) << first;
    Reply again = telegram(start);
    ASSERT_EQ(again.status, 200) << again;
    EXPECT_EQ(again.body_json()["greeted"], true) << again;
    // Then the customer writes: the chat lane sends its letters in the order they were queued, so
    // once the acknowledgement is out, a second greeting would have gone out before it.
    Reply complaint = telegram(fixture("telegram_message_ru.json"));
    ASSERT_EQ(complaint.status, 200) << complaint;
    ASSERT_EQ(complaint.body_json()["action"], "created") << complaint;
    std::string number = complaint.body_json()["ticket"].get<std::string>();
    auto sent = sent_to("/sendMessage", 2);
    ASSERT_EQ(sent.size(), 2u) << m_daemon->log();
    EXPECT_NE(json::parse(sent[0].body)["text"].get<std::string>().find("Kettle Shop"), std::string::npos);
    EXPECT_NE(json::parse(sent[1].body)["text"].get<std::string>().find(number), std::string::npos);
    EXPECT_EQ(sent_acknowledgements().size(), 1u);
    EXPECT_EQ(sent_to("/sendMessage", 2).size(), 2u) << m_daemon->log();
}

TEST_F(ChatDaemon, SlackVerifiesTheUrlTakesASignedEventOnceAndAnswersInTheThread)
{
    std::string verification = fixture("slack_url_verification.json");
    Reply challenge = post(m_port, "/hooks/slack", verification, slack_headers(verification));
    ASSERT_EQ(challenge.status, 200) << challenge;
    EXPECT_EQ(challenge.body, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");

    std::string event = fixture("slack_message.json");
    Reply first = post(m_port, "/hooks/slack", event, slack_headers(event));
    ASSERT_EQ(first.status, 200) << first;
    EXPECT_EQ(first.body_json()["action"], "created") << first;
    std::string number = first.body_json()["ticket"].get<std::string>();

    // Slack's retry of the same delivery (X-Slack-Retry-Num), signed anew: the same event_id.
    httplib::Headers retry = slack_headers(event);
    retry.emplace("X-Slack-Retry-Num", "1");
    retry.emplace("X-Slack-Retry-Reason", "http_timeout");
    Reply second = post(m_port, "/hooks/slack", event, retry);
    ASSERT_EQ(second.status, 200) << second;
    EXPECT_EQ(second.body_json()["action"], "duplicate") << second;

    auto posted = sent_to("/chat.postMessage", 1);
    ASSERT_EQ(posted.size(), 1u) << m_daemon->log();
    json answer = json::parse(posted[0].body);
    EXPECT_EQ(answer["channel"], "C0CUSTOMERS");
    EXPECT_EQ(answer["thread_ts"], "1764500400.000100");
    EXPECT_EQ(posted[0].headers["authorization"], "Bearer xoxb-test");

    // A reply in the thread joins the ticket.
    std::string reply = fixture("slack_thread_reply.json");
    Reply in_thread = post(m_port, "/hooks/slack", reply, slack_headers(reply));
    ASSERT_EQ(in_thread.status, 200) << in_thread;
    EXPECT_EQ(in_thread.body_json()["action"], "updated") << in_thread;
    EXPECT_EQ(in_thread.body_json()["ticket"], number);

    // Our own answer echoed back as an event, and a bot's post: nothing stored.
    for (const char* name : {"slack_own_message.json", "slack_bot_message.json"}) {
        std::string noise = fixture(name);
        Reply r = post(m_port, "/hooks/slack", noise, slack_headers(noise));
        ASSERT_EQ(r.status, 200) << r;
        EXPECT_TRUE(r.body_json().contains("ignored")) << r;
    }
    EXPECT_EQ(ticket_count(m_data, m_config), 1u);
}

TEST_F(ChatDaemon, AWebhookMessageIsAnsweredSignedAtTheConfiguredUrl)
{
    std::string body = fixture("webhook_message.json");
    Reply r = post(m_port, "/hooks/web", body, web_headers(body));
    ASSERT_EQ(r.status, 200) << r;
    EXPECT_EQ(r.body_json()["action"], "created") << r;

    auto sent = sent_to("/hook", 1);
    ASSERT_EQ(sent.size(), 1u) << m_daemon->log();
    const ChatRequest& answer = sent[0];
    std::string ts = answer.headers.at("x-redress-timestamp");
    EXPECT_EQ(answer.headers.at("x-redress-signature"),
              "sha256=" + auth::hmac_sha256_hex(k_web_secret, ts + "." + answer.body));
    json letter = json::parse(answer.body);
    EXPECT_EQ(letter["channel"], "chat:web");
    EXPECT_EQ(letter["recipient"], "conv-77");
    EXPECT_NE(letter["text"].get<std::string>().find(r.body_json()["ticket"].get<std::string>()), std::string::npos);
}

TEST_F(ChatDaemon, RefusalsStoreNothingAndAreCountedByChatAndReason)
{
    std::string tg = fixture("telegram_message_ru.json");
    EXPECT_EQ(telegram(tg, "").status, 401);
    EXPECT_EQ(telegram(tg, "wrong-secret").status, 401);
    EXPECT_EQ(telegram("{not json", k_tg_secret).status, 400);

    std::string event = fixture("slack_message.json");
    EXPECT_EQ(post(m_port, "/hooks/slack", event, slack_headers(event, now_seconds(), "another secret")).status, 401);
    EXPECT_EQ(post(m_port, "/hooks/slack", event, slack_headers(event, now_seconds() - 600)).status, 401);

    std::string partial = fixture("webhook_no_conversation.json");
    EXPECT_EQ(post(m_port, "/hooks/web", partial, web_headers(partial)).status, 400);
    EXPECT_EQ(post(m_port, "/hooks/nosuchchat", tg).status, 404);
    std::string huge(1024 * 1024 + 10, 'x');
    EXPECT_EQ(post(m_port, "/hooks/tg", huge, {{"X-Telegram-Bot-Api-Secret-Token", k_tg_secret}}).status, 413);

    EXPECT_EQ(metric(m_port, R"(redress_chat_refusals_total{chat="tg",reason="signature"})"), 2);
    EXPECT_EQ(metric(m_port, R"(redress_chat_refusals_total{chat="tg",reason="malformed"})"), 1);
    EXPECT_EQ(metric(m_port, R"(redress_chat_refusals_total{chat="slack",reason="signature"})"), 1);
    EXPECT_EQ(metric(m_port, R"(redress_chat_refusals_total{chat="slack",reason="timestamp"})"), 1);
    EXPECT_EQ(metric(m_port, R"(redress_chat_refusals_total{chat="web",reason="missing"})"), 1);
    EXPECT_EQ(metric(m_port, R"x(redress_chat_refusals_total{chat="(unknown)",reason="unknown_chat"})x"), 1);
    EXPECT_EQ(metric(m_port, R"(redress_chat_refusals_total{chat="tg",reason="too_large"})"), 1);
    // Not the API's refusals: those are people's tokens and sign-ins.
    EXPECT_EQ(metric(m_port, R"(redress_api_refusals_total{status="401"})"), 0);
    EXPECT_EQ(ticket_count(m_data, m_config), 0u);
    EXPECT_TRUE(m_service.requests().empty());
    EXPECT_EQ(m_daemon->log().find("Здравствуйте"), std::string::npos) << "a refused body is in the log";
}

// The daemon killed between the store and the answer: REDRESS_FAULT=chat_hook_after_commit ends the
// first daemon with _exit right after the pipeline committed the delivery and before it answered.
// The platform got no answer, so it sends the same delivery again, to the daemon started anew on the
// same data: that is one ticket, one answer "duplicate", and one acknowledgement in the chat (queued
// in the message's own transaction, so the restarted daemon's outbox sends it).
namespace {

constexpr int k_fault_exit = 86;  // daemon/app/fault_point.hpp k_fault_exit_code

class ChatDaemonKilledAfterCommit : public ChatDaemon {
protected:
    std::string fault_point() const override { return "chat_hook_after_commit"; }

    // The first delivery: committed, unanswered, the daemon gone; then the daemon is started again.
    void deliver_and_die(const std::function<Reply()>& deliver)
    {
        Reply first = deliver();
        EXPECT_EQ(first.status, -1) << "answered, though the daemon was to end before the answer: " << first;
        EXPECT_EQ(m_daemon->wait_exit(20s), k_fault_exit) << m_daemon->log();
        EXPECT_EQ(m_daemon->count_log("fault.reached"), 1) << m_daemon->log();
        // Committed before the end: the ticket is there while no daemon runs.
        EXPECT_EQ(ticket_count(m_data, m_config), 1u);
        start_daemon();
        EXPECT_EQ(m_daemon->count_log("fault.armed"), 1) << "the restarted daemon must run without the fault";
    }

    // After the retry: one ticket whose one acknowledgement went to the chat once.
    void expect_one_ticket_and_one_acknowledgement(const std::string& path_suffix)
    {
        auto acks = sent_acknowledgements();
        ASSERT_EQ(acks.size(), 1u) << m_daemon->log();
        EXPECT_EQ(acks[0]["status"], "sent") << acks[0];
        EXPECT_EQ(sent_to(path_suffix, 1).size(), 1u) << m_daemon->log();
        EXPECT_EQ(ticket_count(m_data, m_config), 1u);
    }
};

}  // namespace

TEST_F(ChatDaemonKilledAfterCommit, TelegramsRetryToTheRestartedDaemonIsOneTicketAndOneAcknowledgement)
{
    std::string body = fixture("telegram_message_ru.json");
    deliver_and_die([&] { return telegram(body); });
    // Telegram sends an update again until it is answered.
    Reply retry = telegram(body);
    ASSERT_EQ(retry.status, 200) << retry;
    EXPECT_EQ(retry.body_json()["action"], "duplicate") << retry;
    expect_one_ticket_and_one_acknowledgement("/sendMessage");
    json message = json::parse(sent_to("/sendMessage", 1).at(0).body);
    EXPECT_EQ(message["reply_to_message_id"], 42);
}

TEST_F(ChatDaemonKilledAfterCommit, TheJsonWebhooksRetryToTheRestartedDaemonIsOneTicketAndOneAcknowledgement)
{
    std::string body = fixture("webhook_message.json");
    deliver_and_die([&] { return post(m_port, "/hooks/web", body, web_headers(body)); });
    // The bridge signs its retry anew (a later timestamp); the message id makes it the same message.
    Reply retry = post(m_port, "/hooks/web", body, web_headers(body, now_seconds() + 1));
    ASSERT_EQ(retry.status, 200) << retry;
    EXPECT_EQ(retry.body_json()["action"], "duplicate") << retry;
    expect_one_ticket_and_one_acknowledgement("/hook");
}

TEST_F(ChatDaemonKilledAfterCommit, SlacksRetryToTheRestartedDaemonIsOneTicketAndOneAcknowledgement)
{
    std::string event = fixture("slack_message.json");
    deliver_and_die([&] { return post(m_port, "/hooks/slack", event, slack_headers(event)); });
    // Slack's retry of a delivery it got no answer to: X-Slack-Retry-Num, the same event_id.
    httplib::Headers retry_headers = slack_headers(event);
    retry_headers.emplace("X-Slack-Retry-Num", "1");
    retry_headers.emplace("X-Slack-Retry-Reason", "http_error");
    Reply retry = post(m_port, "/hooks/slack", event, retry_headers);
    ASSERT_EQ(retry.status, 200) << retry;
    EXPECT_EQ(retry.body_json()["action"], "duplicate") << retry;
    expect_one_ticket_and_one_acknowledgement("/chat.postMessage");
}

// The daemon killed after the answer, before the acknowledgement reached the chat: the answer came
// after the commit, and the acknowledgement was queued in that same transaction, so nothing of it
// lives only in the dead process. Here the webhook's receiver refuses the first attempt (503), the
// daemon is killed (SIGKILL) right after it, and the daemon started again sends the letter, once.
TEST_F(ChatDaemon, AnAcknowledgementNotYetDeliveredWhenTheDaemonIsKilledGoesOutAfterTheRestart)
{
    ChatReply refused;
    refused.status = 503;
    refused.body = R"({"error":"try later"})";
    refused.path = "/hook";
    m_service.reply_next(refused);
    std::string body = fixture("webhook_message.json");
    Reply r = post(m_port, "/hooks/web", body, web_headers(body));
    ASSERT_EQ(r.status, 200) << r;
    EXPECT_EQ(r.body_json()["action"], "created") << r;
    ASSERT_EQ(sent_to("/hook", 1).size(), 1u) << m_daemon->log();
    m_daemon->kill_hard();

    start_daemon();
    // The refused attempt and the one after the restart (whether the dead daemon recorded its retry
    // or the new one gave its claim back), and no more once the letter is recorded as sent.
    auto acks = sent_acknowledgements();
    ASSERT_EQ(acks.size(), 1u) << m_daemon->log();
    auto sent = sent_to("/hook", 2);
    ASSERT_EQ(sent.size(), 2u) << m_daemon->log();
    EXPECT_EQ(sent[0].body, sent[1].body);
    EXPECT_EQ(sent[0].headers.at("idempotency-key"), sent[1].headers.at("idempotency-key"));
    EXPECT_EQ(ticket_count(m_data, m_config), 1u);
}

// Slack's events name the user by id only. The daemon answers the webhook without waiting, then asks
// users.info (the stand-in's, with the bot token) and puts the name on the ticket; the name is cached,
// so the customer's next message is greeted by it with no second request.
namespace {

const std::string k_anna = R"({"id": "U024BE7LH", "name": "anna.p", "real_name": "Anna Petrova", "is_bot": false,)"
                           R"( "profile": {"real_name": "Anna Petrova", "display_name": "anna.p",)"
                           R"( "email": "anna.petrova@example.org"}})";

// The fixture's message as another top-level message of the same user: its own thread and event.
std::string another_slack_message(const std::string& event_id, const std::string& ts)
{
    std::string body = fixture("slack_message.json");
    body.replace(body.find("Ev0PV52K21"), 10, event_id);
    for (auto at = body.find("1764500400.000100"); at != std::string::npos; at = body.find("1764500400.000100"))
        body.replace(at, 17, ts);
    return body;
}

}  // namespace

TEST_F(ChatDaemon, ASlackCustomersNameIsLookedUpAfterTheAnswerAndCachedForTheirNextMessage)
{
    // users.info is held until the test lets it go: the webhook must be answered meanwhile.
    std::promise<void> release;
    ChatReply held;
    held.body = R"({"ok": true, "user": )" + k_anna + "}";
    held.hold = release.get_future().share();
    held.path = "/users.info";
    m_service.reply_next(held);

    std::string event = fixture("slack_message.json");
    Reply r = post(m_port, "/hooks/slack", event, slack_headers(event));
    std::vector<ChatRequest> asked = sent_to("/users.info", 1);
    release.set_value();
    ASSERT_EQ(r.status, 200) << r;
    EXPECT_EQ(r.body_json()["action"], "created") << r;
    std::string number = r.body_json()["ticket"].get<std::string>();
    ASSERT_EQ(asked.size(), 1u) << m_daemon->log();
    EXPECT_EQ(asked[0].method, "GET");
    EXPECT_EQ(asked[0].query["user"], "U024BE7LH");
    EXPECT_EQ(asked[0].headers["authorization"], "Bearer xoxb-test");

    // The acknowledgement was written before the name was known: no name, and never the bare id.
    auto posted = sent_to("/chat.postMessage", 1);
    ASSERT_EQ(posted.size(), 1u) << m_daemon->log();
    EXPECT_EQ(posted[0].body.find("U024BE7LH"), std::string::npos) << posted[0].body;

    // The name reaches the ticket; the profile's address is kept unverified and is not the customer's.
    json shown;
    ASSERT_TRUE(wait_until(
        [&] {
            auto t = show_ticket(m_data, number, m_config);
            shown = t ? *t : json();
            return t && (*t)["customer"]["name"] == "Anna Petrova";
        },
        20s, 200ms))
        << shown.dump(1) << m_daemon->log();
    EXPECT_EQ(shown["customer"]["email"], "");
    EXPECT_EQ(shown["customer"]["chat"], "slack:U024BE7LH");
    bool audited = false;
    for (const auto& a : shown["audit"])
        if (a["action"] == "customer.named") {
            audited = true;
            EXPECT_EQ(a["detail"]["contact"]["email"], "anna.petrova@example.org") << a;
            EXPECT_EQ(a["detail"]["contact"]["verified"], false) << a;
        }
    EXPECT_TRUE(audited) << shown["audit"].dump(1);

    // Her next message, in a thread of its own: a new ticket, greeted by name, without asking Slack again.
    std::string next = another_slack_message("Ev0PV52K99", "1764500999.000200");
    Reply second = post(m_port, "/hooks/slack", next, slack_headers(next));
    ASSERT_EQ(second.status, 200) << second;
    EXPECT_EQ(second.body_json()["action"], "created") << second;
    EXPECT_NE(second.body_json()["ticket"], number);
    posted = sent_to("/chat.postMessage", 2);
    ASSERT_EQ(posted.size(), 2u) << m_daemon->log();
    EXPECT_NE(posted[1].body.find("Anna Petrova"), std::string::npos) << posted[1].body;
    auto again = show_ticket(m_data, second.body_json()["ticket"].get<std::string>(), m_config);
    ASSERT_TRUE(again);
    EXPECT_EQ((*again)["customer"]["name"], "Anna Petrova");
    EXPECT_EQ(sent_to("/users.info", 1).size(), 1u);
    EXPECT_EQ(metric(m_port, R"(redress_chat_user_lookups_total{chat="slack",result="ok"})"), 1);
    EXPECT_EQ(metric(m_port, R"(redress_chat_user_lookups_total{chat="slack",result="named"})"), 1);
    EXPECT_EQ(metric(m_port, R"(redress_chat_user_lookups_total{chat="slack",result="failed"})"), 0);
}

TEST_F(ChatDaemon, AFailingUsersInfoIsLoggedAndCountedAndTheMessageStaysStored)
{
    // The stand-in knows no such user: Slack's {"ok": false, "error": "user_not_found"}.
    std::string event = fixture("slack_message.json");
    Reply r = post(m_port, "/hooks/slack", event, slack_headers(event));
    ASSERT_EQ(r.status, 200) << r;
    EXPECT_EQ(r.body_json()["action"], "created") << r;
    ASSERT_TRUE(m_daemon->wait_for_log("chat.user_lookup_failed", 20s)) << m_daemon->log();
    EXPECT_EQ(metric(m_port, R"(redress_chat_user_lookups_total{chat="slack",result="failed"})"), 1);
    auto shown = show_ticket(m_data, r.body_json()["ticket"].get<std::string>(), m_config);
    ASSERT_TRUE(shown);
    EXPECT_EQ((*shown)["customer"]["name"], "");
    EXPECT_EQ((*shown)["customer"]["chat"], "slack:U024BE7LH");

    // Slack down (HTTP 500): the same, and the next message asks again.
    ChatReply down;
    down.status = 500;
    down.body = "oops";
    down.path = "/users.info";
    m_service.reply_next(down);
    std::string next = another_slack_message("Ev0PV52K98", "1764500998.000300");
    Reply second = post(m_port, "/hooks/slack", next, slack_headers(next));
    ASSERT_EQ(second.status, 200) << second;
    ASSERT_TRUE(m_daemon->wait_for_log("chat.user_lookup_failed", 20s, 2)) << m_daemon->log();
    EXPECT_EQ(metric(m_port, R"(redress_chat_user_lookups_total{chat="slack",result="failed"})"), 2);
    EXPECT_EQ(sent_to("/users.info", 2).size(), 2u);
}

}  // namespace redress::testing
