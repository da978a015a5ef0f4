// Telegram by long polling, `redress chat setup`, each chat's state in /healthz and Telegram's edits,
// against `redress serve` as a real process and two stand-in Bot APIs on loopback
// (tests/connectors/chat_service.*: getUpdates served by offset and held as Telegram holds it;
// sendMessage, setWebhook, deleteWebhook and getWebhookInfo recorded). One bot polls (chat "tgpoll"),
// the other takes webhooks (chat "tg"). Covers a Russian complaint by polling answered in Russian as
// a reply, the offset written after the store and resumed after a restart, the same update twice,
// getUpdates failing (500, then a webhook still set: 409) shown in /healthz and recovered, the setup
// command for each kind of chat checked against what the stand-ins recorded, and an edit that makes
// no second ticket and no second acknowledgement.

#include "chat_fixtures.hpp"
#include "chat_service.hpp"
#include "daemon_fixtures.hpp"
#include "daemon_process.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <sqlite3.h>

#include <csignal>
#include <regex>

namespace redress::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using nlohmann::json;

ChatReply bot_reply(int status, std::string body)
{
    ChatReply reply;
    reply.status = status;
    reply.body = std::move(body);
    return reply;
}

const std::string k_public_url = "http://127.0.0.1:8025";
const std::string k_poll_token = "555:POLLTOKEN";
const std::string k_hook_token = "777:HOOKTOKEN";

// A fixture's update under another update id (and, when given, another chat and message).
std::string update_from(const std::string& name, long long update_id, long long chat_id = 0, int message_id = 0)
{
    json u = json::parse(fixture(name));
    u["update_id"] = update_id;
    json& m = u.contains("message") ? u["message"] : u["edited_message"];
    if (chat_id != 0) {
        m["chat"]["id"] = chat_id;
        m["from"]["id"] = chat_id;
    }
    if (message_id != 0)
        m["message_id"] = message_id;
    return u.dump();
}

// One value of the daemon's connector state, read beside it (SQLite in WAL mode lets a reader in).
std::string stored_state(const fs::path& data_dir, const std::string& key)
{
    sqlite3* db = nullptr;
    std::string value;
    if (sqlite3_open_v2((data_dir / "redress.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT value FROM state WHERE key = ?1", -1, &statement, nullptr) == SQLITE_OK) {
            sqlite3_bind_text(statement, 1, key.c_str(), -1, SQLITE_TRANSIENT);
            if (sqlite3_step(statement) == SQLITE_ROW)
                value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
        }
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return value;
}

class ChatPollDaemon : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_poll_bot.start());
        ASSERT_TRUE(m_hook_bot.start());
        m_data = m_scratch / "data";
        m_config = m_scratch / "redress.json";
        write_file(m_config, config_text(m_poll_bot.base_url(), m_hook_bot.base_url(), k_public_url));
    }

    void TearDown() override
    {
        if (m_daemon && m_daemon->running())
            stop();
    }

    static std::string config_text(const std::string& poll_base, const std::string& hook_base,
                                   const std::string& public_url, const std::string& hook_secret = k_tg_secret)
    {
        json config{{"company", {{"name", "Kettle Shop"}, {"support_address", "Support <support@shop.test>"}}},
                    {"http", {{"listen", "127.0.0.1:0"}, {"public_url", public_url}}},
                    {"chats", json::array({{{"name", "tgpoll"},
                                            {"type", "telegram"},
                                            {"mode", "poll"},
                                            {"bot_token", k_poll_token},
                                            {"api_base", poll_base}},
                                           {{"name", "tg"},
                                            {"type", "telegram"},
                                            {"bot_token", k_hook_token},
                                            {"api_base", hook_base},
                                            {"secret_token", hook_secret}},
                                           {{"name", "slack"},
                                            {"type", "slack"},
                                            {"bot_token", "xoxb-test"},
                                            {"api_base", hook_base},
                                            {"signing_secret", "slack-signing-secret-0123456789"}},
                                           {{"name", "web"},
                                            {"type", "webhook"},
                                            {"url", hook_base + "/hook"},
                                            {"signing_secret", "web-signing-secret-0123456789"}}})}};
        if (hook_secret.empty())
            config["chats"][1].erase("secret_token");
        return config.dump(2);
    }

    void start()
    {
        m_daemon = std::make_unique<DaemonProcess>(m_scratch / ("daemon" + std::to_string(++m_starts) + ".log"));
        ASSERT_TRUE(m_daemon->serve(m_data, m_config)) << m_daemon->log();
        m_port = listening_port(*m_daemon);
        ASSERT_GT(m_port, 0) << m_daemon->log();
    }

    void stop()
    {
        EXPECT_EQ(m_daemon->terminate(), 0) << m_daemon->log();
        std::string log = m_daemon->log();
        for (const std::string* secret : {&k_tg_secret, &k_poll_token, &k_hook_token})
            EXPECT_EQ(log.find(*secret), std::string::npos) << "a chat secret is in the log";
    }

    json healthz()
    {
        httplib::Client client("127.0.0.1", m_port);
        auto res = client.Get("/healthz");
        if (!res)
            return json();
        json j = json::parse(res->body, nullptr, false);
        j["_status"] = res->status;
        return j;
    }

    json chat_state(const std::string& name)
    {
        json h = healthz();
        if (h.contains("chats"))
            for (const auto& c : h["chats"])
                if (c["name"] == name)
                    return c;
        return json();
    }

    std::vector<ChatRequest> sent_by(const ChatService& bot, std::size_t n, std::chrono::milliseconds limit = 20s)
    {
        std::vector<ChatRequest> found;
        wait_until(
            [&] {
                found = bot.requests();
                return found.size() >= n;
            },
            limit);
        return found;
    }

    bool offset_reaches(const std::string& value)
    {
        return wait_until([&] { return stored_state(m_data, "chat:tgpoll:offset") == value; }, 20s);
    }

    CommandResult setup(const std::string& name, const fs::path& config = {})
    {
        return run_redress({"chat", "setup", name, "--config", (config.empty() ? m_config : config).string()});
    }

    ScratchDir m_scratch;
    ChatService m_poll_bot;
    ChatService m_hook_bot;
    fs::path m_data;
    fs::path m_config;
    std::unique_ptr<DaemonProcess> m_daemon;
    int m_port = 0;
    int m_starts = 0;
};

}  // namespace

TEST_F(ChatPollDaemon, ARussianComplaintByPollingOpensOneTicketAndIsAnsweredInRussianAsAReply)
{
    start();
    m_poll_bot.add_update(fixture("telegram_message_ru.json"));
    auto sent = sent_by(m_poll_bot, 1);
    ASSERT_EQ(sent.size(), 1u) << m_daemon->log();
    EXPECT_EQ(sent[0].path, "/bot" + k_poll_token + "/sendMessage");
    json message = json::parse(sent[0].body);
    EXPECT_EQ(message["chat_id"], 123456);
    EXPECT_EQ(message["reply_to_message_id"], 42);
    std::string text = message["text"].get<std::string>();
    EXPECT_TRUE(std::regex_search(text, std::regex("[А-Яа-я]{4,}"))) << "not Russian: " << text;

    auto tickets = list_tickets(m_data, m_config);
    ASSERT_TRUE(tickets);
    ASSERT_EQ(tickets->size(), 1u);
    const json& ticket = (*tickets)[0];
    std::string number = ticket["number"].get<std::string>();
    EXPECT_NE(text.find(number), std::string::npos) << text;
    EXPECT_EQ(ticket["language"], "ru");
    EXPECT_EQ(ticket["conversation"], "tgpoll:123456");
    EXPECT_EQ(ticket["source"], "tgpoll");
    EXPECT_TRUE(offset_reaches("10000002"));

    // getUpdates as the daemon asked for it: a long poll for messages and their edits.
    auto asked = m_poll_bot.bot_calls("getUpdates");
    ASSERT_FALSE(asked.empty());
    json body = json::parse(asked.back().body);
    EXPECT_EQ(body["allowed_updates"], json::array({"message", "edited_message"}));
    EXPECT_EQ(body["timeout"], 25);
    EXPECT_EQ(m_poll_bot.webhook_url(), "") << "polling sets no webhook";
}

TEST_F(ChatPollDaemon, AnEditOpensNoSecondTicketAndSendsNoSecondAcknowledgement)
{
    start();
    m_poll_bot.add_update(fixture("telegram_message_ru.json"));
    ASSERT_TRUE(offset_reaches("10000002")) << m_daemon->log();
    auto before = list_tickets(m_data, m_config);
    ASSERT_TRUE(before && before->size() == 1u);
    std::string number = (*before)[0]["number"].get<std::string>();

    // The customer edits message 42 (update 10000002).
    m_poll_bot.add_update(fixture("telegram_edited_message.json"));
    ASSERT_TRUE(offset_reaches("10000003")) << m_daemon->log();
    auto after = list_tickets(m_data, m_config);
    ASSERT_TRUE(after);
    ASSERT_EQ(after->size(), 1u) << after->dump(2);
    // Deadlines and status stay: an edit is no new message from the customer.
    for (const char* field : {"status", "first_response_due", "resolution_due", "awaiting_customer"})
        EXPECT_EQ((*after)[0][field], (*before)[0][field]) << field;

    auto shown = show_ticket(m_data, number, m_config);
    ASSERT_TRUE(shown);
    ASSERT_EQ((*shown)["messages"].size(), 2u);
    const json& edit = (*shown)["messages"][1];
    EXPECT_EQ(edit["subject"], "(edited)");
    EXPECT_EQ(edit["text"], "Чайник сломался, прошу замену.");
    EXPECT_EQ(edit["classification"]["edit_of"], "tgpoll:123456:42");
    EXPECT_EQ(edit["classification"]["edited_message"], (*shown)["messages"][0]["id"]);
    EXPECT_EQ((*shown)["letters"].size(), 1u) << "one acknowledgement only";
    bool audited = false;
    for (const auto& a : (*shown)["audit"])
        audited = audited || a["action"] == "message.edited";
    EXPECT_TRUE(audited);

    // The acknowledgement went once; give a second one time to show up if it were queued.
    ASSERT_EQ(sent_by(m_poll_bot, 1).size(), 1u);
    EXPECT_FALSE(wait_until([&] { return m_poll_bot.requests().size() > 1; }, 1500ms));
}

TEST_F(ChatPollDaemon, TheOffsetIsWrittenAfterTheStoreAndResumedAfterARestart)
{
    start();
    m_poll_bot.add_update(update_from("telegram_message_ru.json", 900, 111));
    ASSERT_TRUE(offset_reaches("901")) << m_daemon->log();
    EXPECT_EQ(ticket_count(m_data, m_config), 1u);
    stop();

    // While the daemon is down: a message from another customer.
    m_poll_bot.add_update(update_from("telegram_message_ru.json", 901, 222));
    std::size_t asked_before = m_poll_bot.bot_calls("getUpdates").size();
    start();
    ASSERT_TRUE(offset_reaches("902")) << m_daemon->log();
    auto asked = m_poll_bot.bot_calls("getUpdates");
    ASSERT_GT(asked.size(), asked_before);
    EXPECT_EQ(json::parse(asked[asked_before].body)["offset"], 901) << "the first question after the restart";
    EXPECT_EQ(ticket_count(m_data, m_config), 2u);
    EXPECT_EQ(sent_by(m_poll_bot, 2).size(), 2u);
}

TEST_F(ChatPollDaemon, TheSameUpdateTwiceMakesOneTicketAndOneReply)
{
    start();
    std::string update = update_from("telegram_message_ru.json", 910, 333);
    m_poll_bot.add_update(update);
    ASSERT_TRUE(offset_reaches("911")) << m_daemon->log();
    // Telegram gives it again (a restart before the offset was confirmed, an overlap of two polls).
    m_poll_bot.offer_again(update);
    ASSERT_TRUE(wait_until([&] { return chat_state("tgpoll")["updates_received"] == 2; }, 20s))
        << chat_state("tgpoll").dump() << m_daemon->log();
    EXPECT_EQ(ticket_count(m_data, m_config), 1u);
    EXPECT_EQ(stored_state(m_data, "chat:tgpoll:offset"), "911");
    ASSERT_EQ(sent_by(m_poll_bot, 1).size(), 1u);
    EXPECT_FALSE(wait_until([&] { return m_poll_bot.requests().size() > 1; }, 1500ms)) << "a second reply";
}

TEST_F(ChatPollDaemon, GetUpdatesFailingIsShownInHealthzAndRecovers)
{
    m_poll_bot.reply_next_bot("getUpdates",
                              bot_reply(500, R"({"ok":false,"error_code":500,"description":"Internal Server Error"})"));
    m_poll_bot.reply_next_bot("getUpdates",
                              bot_reply(500, R"({"ok":false,"error_code":500,"description":"Internal Server Error"})"));
    start();
    ASSERT_TRUE(wait_until([&] { return chat_state("tgpoll")["consecutive_failures"] >= 1; }, 20s)) << healthz().dump();
    json failing = chat_state("tgpoll");
    EXPECT_NE(failing["last_error"].get<std::string>().find("HTTP 500: Internal Server Error"), std::string::npos)
        << failing.dump();
    EXPECT_TRUE(failing["last_error_at"].is_string());

    // The backoff passes, the next getUpdates is answered: recovered.
    ASSERT_TRUE(wait_until([&] { return chat_state("tgpoll")["consecutive_failures"] == 0; }, 20s)) << healthz().dump();
    json recovered = chat_state("tgpoll");
    EXPECT_TRUE(recovered["last_error"].is_null()) << recovered.dump();
    EXPECT_EQ(metric(m_port, R"(redress_chat_failures_total{chat="tgpoll"})"), 2);
    EXPECT_GE(m_daemon->count_log("chat.poll_failed"), 2);
    EXPECT_GE(m_daemon->count_log("chat.poll_recovered"), 1);
    m_poll_bot.add_update(fixture("telegram_message_ru.json"));
    EXPECT_TRUE(offset_reaches("10000002")) << m_daemon->log();
    EXPECT_EQ(healthz()["status"], "ok");
}

TEST_F(ChatPollDaemon, AWebhookLeftSetIsReportedAndChatSetupOfThePollChatDeletesIt)
{
    // The bot still has a webhook from before: Telegram refuses getUpdates with 409.
    m_poll_bot.set_webhook_url("https://old.example.com/telegram");
    m_poll_bot.add_update(fixture("telegram_message_ru.json"));
    start();
    ASSERT_TRUE(wait_until(
        [&] {
            json s = chat_state("tgpoll");
            return s["last_error"].is_string() &&
                   s["last_error"].get<std::string>().find("telegram.webhook_active") != std::string::npos;
        },
        20s))
        << healthz().dump();
    EXPECT_NE(chat_state("tgpoll")["last_error"].get<std::string>().find("redress chat setup"), std::string::npos);

    auto r = setup("tgpoll");
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    auto deleted = m_poll_bot.bot_calls("deleteWebhook");
    ASSERT_EQ(deleted.size(), 1u);
    EXPECT_EQ(deleted[0].path, "/bot" + k_poll_token + "/deleteWebhook");
    EXPECT_EQ(json::parse(deleted[0].body)["drop_pending_updates"], false) << "waiting updates are kept";
    EXPECT_EQ(m_poll_bot.webhook_url(), "");
    EXPECT_EQ(m_poll_bot.bot_calls("getWebhookInfo").size(), 1u);
    EXPECT_NE(r.out.find("getUpdates"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("url"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("(none)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("pending updates   1"), std::string::npos) << r.out;

    // The poller's next round after its backoff takes the waiting message.
    EXPECT_TRUE(offset_reaches("10000002")) << m_daemon->log();
    EXPECT_EQ(ticket_count(m_data, m_config), 1u);
    EXPECT_TRUE(wait_until([&] { return chat_state("tgpoll")["consecutive_failures"] == 0; }, 20s));
}

TEST_F(ChatPollDaemon, ChatSetupRegistersTheWebhookWithTheSecretAndPrintsItsInfo)
{
    // Telegram's answer after setWebhook: our URL, and a failure it had with an earlier delivery.
    json info{{"ok", true},
              {"result",
               {{"url", k_public_url + "/hooks/tg"},
                {"has_custom_certificate", false},
                {"pending_update_count", 2},
                {"last_error_date", 1764500000},
                {"last_error_message", "Wrong response from the webhook: 503 Service Unavailable"},
                {"max_connections", 40},
                {"allowed_updates", {"message", "edited_message"}}}}};
    m_hook_bot.reply_next_bot("getWebhookInfo", bot_reply(200, info.dump()));
    auto r = setup("tg");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

    auto set = m_hook_bot.bot_calls("setWebhook");
    ASSERT_EQ(set.size(), 1u);
    EXPECT_EQ(set[0].path, "/bot" + k_hook_token + "/setWebhook");
    json asked = json::parse(set[0].body);
    EXPECT_EQ(asked["url"], k_public_url + "/hooks/tg");
    EXPECT_EQ(asked["secret_token"], k_tg_secret);
    EXPECT_EQ(asked["allowed_updates"], json::array({"message", "edited_message"}));
    EXPECT_EQ(m_hook_bot.bot_calls("getWebhookInfo").size(), 1u);
    EXPECT_TRUE(m_hook_bot.bot_calls("deleteWebhook").empty());

    EXPECT_NE(r.out.find("url               " + k_public_url + "/hooks/tg"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("pending updates   2"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("2025-11-30T10:53:20Z: Wrong response from the webhook: 503 Service Unavailable"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("message, edited_message"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find(k_tg_secret), std::string::npos) << "the secret is not printed";
    EXPECT_EQ(r.out.find(k_hook_token), std::string::npos) << "the token is not printed";
    // The poll bot was not touched.
    EXPECT_TRUE(m_poll_bot.bot_calls("setWebhook").empty());
}

TEST_F(ChatPollDaemon, ChatSetupRefusesWhatTelegramCouldNotUse)
{
    // No secret_token: the daemon would refuse every delivery.
    fs::path no_secret = m_scratch / "no-secret.json";
    write_file(no_secret, config_text(m_poll_bot.base_url(), m_hook_bot.base_url(), k_public_url, ""));
    auto r = setup("tg", no_secret);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no secret_token"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;

    // An http:// public URL with the real Telegram: refused before anything is sent (nothing leaves
    // this machine: the refusal comes first).
    json real = json::parse(config_text(m_poll_bot.base_url(), m_hook_bot.base_url(), "http://support.example.com"));
    real["chats"][1]["api_base"] = "https://api.telegram.org";
    fs::path plain = m_scratch / "plain.json";
    write_file(plain, real.dump());
    r = setup("tg", plain);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("Telegram only posts to https:// URLs"), std::string::npos) << r.err;

    // Telegram refuses the call: its words, and a non-zero exit.
    m_hook_bot.reply_next_bot(
        "setWebhook",
        bot_reply(400,
                  R"({"ok":false,"error_code":400,"description":"Bad Request: bad webhook: Failed to resolve host"})"));
    r = setup("tg");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("Failed to resolve host"), std::string::npos) << r.err;

    r = setup("nosuchchat");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no chat named \"nosuchchat\""), std::string::npos) << r.err;
    EXPECT_TRUE(m_hook_bot.bot_calls("getWebhookInfo").empty());
}

TEST_F(ChatPollDaemon, ChatSetupSaysWhatToDoForSlackAndWebhookChats)
{
    auto slack = setup("slack");
    EXPECT_EQ(slack.exit_code, 0) << slack.err;
    EXPECT_NE(slack.out.find("Event Subscriptions"), std::string::npos) << slack.out;
    EXPECT_NE(slack.out.find(k_public_url + "/hooks/slack"), std::string::npos) << slack.out;
    auto web = setup("web");
    EXPECT_EQ(web.exit_code, 0) << web.err;
    EXPECT_NE(web.out.find(k_public_url + "/hooks/web"), std::string::npos) << web.out;
    EXPECT_NE(web.out.find("X-Redress-Signature"), std::string::npos) << web.out;
    EXPECT_TRUE(m_hook_bot.requests().empty());
}

TEST_F(ChatPollDaemon, HealthzShowsEachChat)
{
    // Telegram has our webhook for "tg" already: the daemon's check at start finds it.
    m_hook_bot.set_webhook_url(k_public_url + "/hooks/tg");
    start();
    ASSERT_TRUE(wait_until([&] { return chat_state("tg")["webhook_registered"] == true; }, 20s)) << healthz().dump();
    json h = healthz();
    EXPECT_EQ(h["_status"], 200);
    ASSERT_EQ(h["chats"].size(), 4u) << h.dump(2);
    json poll = chat_state("tgpoll");
    EXPECT_EQ(poll["type"], "telegram");
    EXPECT_EQ(poll["mode"], "poll");
    EXPECT_TRUE(poll["webhook_registered"].is_null());
    EXPECT_TRUE(poll["last_update"].is_null());
    EXPECT_EQ(poll["updates_received"], 0);
    json slack = chat_state("slack");
    EXPECT_EQ(slack["type"], "slack");
    EXPECT_EQ(slack["mode"], "webhook");
    EXPECT_TRUE(slack["webhook_registered"].is_null());
    for (const char* key : {"name", "type", "mode", "last_update", "last_error", "consecutive_failures",
                            "updates_received", "webhook_registered"})
        EXPECT_TRUE(poll.contains(key)) << key;

    // A webhook delivery counts for its chat; a refused one is its last error.
    httplib::Client client("127.0.0.1", m_port);
    auto posted = client.Post("/hooks/tg", {{"X-Telegram-Bot-Api-Secret-Token", k_tg_secret}},
                              fixture("telegram_message_ru.json"), "application/json");
    ASSERT_TRUE(posted);
    ASSERT_EQ(posted->status, 200) << posted->body;
    json tg = chat_state("tg");
    EXPECT_EQ(tg["updates_received"], 1);
    EXPECT_TRUE(tg["last_update"].is_string());
    EXPECT_TRUE(tg["last_error"].is_null());
    auto refused = client.Post("/hooks/tg", {{"X-Telegram-Bot-Api-Secret-Token", "wrong"}},
                               fixture("telegram_message_ru.json"), "application/json");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401);
    tg = chat_state("tg");
    EXPECT_EQ(tg["consecutive_failures"], 1);
    EXPECT_NE(tg["last_error"].get<std::string>().find("signature"), std::string::npos) << tg.dump();
    EXPECT_EQ(tg["updates_received"], 1);
    EXPECT_EQ(metric(m_port, R"(redress_chat_updates_total{chat="tg"})"), 1);
    // A poll chat takes no webhooks.
    auto to_poll_chat = client.Post("/hooks/tgpoll", fixture("telegram_message_ru.json"), "application/json");
    ASSERT_TRUE(to_poll_chat);
    EXPECT_EQ(to_poll_chat->status, 404);

    // A webhook that is not ours: false.
    stop();
    m_hook_bot.set_webhook_url("https://someone-else.example.com/hook");
    start();
    ASSERT_TRUE(wait_until([&] { return chat_state("tg")["webhook_registered"] == false; }, 20s)) << healthz().dump();
    EXPECT_TRUE(m_daemon->wait_for_log("chat.webhook_not_registered", 5s));
}

TEST_F(ChatPollDaemon, AnEditByWebhookIsRecordedOnTheTicketWithoutALetter)
{
    start();
    httplib::Client client("127.0.0.1", m_port);
    httplib::Headers secret{{"X-Telegram-Bot-Api-Secret-Token", k_tg_secret}};
    auto first = client.Post("/hooks/tg", secret, fixture("telegram_message_ru.json"), "application/json");
    ASSERT_TRUE(first);
    json created = json::parse(first->body);
    ASSERT_EQ(created["action"], "created") << first->body;
    auto edit = client.Post("/hooks/tg", secret, fixture("telegram_edited_message.json"), "application/json");
    ASSERT_TRUE(edit);
    ASSERT_EQ(edit->status, 200) << edit->body;
    json edited = json::parse(edit->body);
    EXPECT_EQ(edited["action"], "updated") << edit->body;
    EXPECT_EQ(edited["ticket"], created["ticket"]);
    EXPECT_TRUE(edited["letters"].empty()) << edit->body;
    EXPECT_EQ(ticket_count(m_data, m_config), 1u);
}

TEST_F(ChatPollDaemon, StoppingDoesNotWaitForTheLongPoll)
{
    start();
    // The stand-in holds getUpdates for its whole 25 seconds, as Telegram does when nothing comes.
    ASSERT_TRUE(m_poll_bot.wait_for_bot_calls("getUpdates", 1, 10s));
    EXPECT_EQ(m_daemon->terminate(5s), 0) << m_daemon->log();
    EXPECT_EQ(m_daemon->count_log("chat.poller_stopped"), 1);
}

// A reload follows the chats: the poll chat given a new token polls with it (and answers with it),
// the webhook chat switched to poll mode starts polling, and a reload that changes nothing keeps
// both pollers running.
TEST_F(ChatPollDaemon, AReloadPollsWithANewTokenAndPollsAChatSwitchedToPolling)
{
    const std::string new_token = "555:NEWPOLLTOKEN";
    auto polled_with = [](const ChatService& bot, const std::string& token) {
        std::size_t n = 0;
        for (const auto& call : bot.bot_calls("getUpdates"))
            if (call.path == "/bot" + token + "/getUpdates")
                ++n;
        return n;
    };
    start();
    ASSERT_TRUE(m_poll_bot.wait_for_bot_calls("getUpdates", 1, 10s)) << m_daemon->log();
    ASSERT_TRUE(m_hook_bot.wait_for_bot_calls("getWebhookInfo", 1, 10s)) << m_daemon->log();
    EXPECT_EQ(polled_with(m_hook_bot, k_hook_token), 0u) << "a webhook chat is not polled";

    json config = json::parse(config_text(m_poll_bot.base_url(), m_hook_bot.base_url(), k_public_url));
    config["chats"][0]["bot_token"] = new_token;
    config["chats"][1]["mode"] = "poll";
    write_file(m_config, config.dump(2));
    m_daemon->signal(SIGHUP);
    ASSERT_TRUE(m_daemon->wait_for_log("chat.started chat=tgpoll watch=poll why=changed", 20s)) << m_daemon->log();
    ASSERT_TRUE(m_daemon->wait_for_log("chat.started chat=tg watch=poll why=changed", 20s)) << m_daemon->log();
    EXPECT_EQ(m_daemon->count_log("chat.stopped chat=tg watch=webhook_check why=changed"), 1) << m_daemon->log();
    // The old pollers were joined before these lines: the old token asks no more from here on.
    std::size_t old_token_calls = polled_with(m_poll_bot, k_poll_token);
    ASSERT_TRUE(wait_until([&] { return polled_with(m_poll_bot, new_token) >= 1; }, 20s)) << m_daemon->log();
    ASSERT_TRUE(wait_until([&] { return polled_with(m_hook_bot, k_hook_token) >= 1; }, 20s)) << m_daemon->log();
    // The switched chat knows nothing of a webhook now.
    EXPECT_TRUE(chat_state("tg")["webhook_registered"].is_null()) << healthz().dump();

    // A customer writes to the chat with the new token: a ticket, answered with the new token.
    m_poll_bot.add_update(fixture("telegram_message_ru.json"));
    auto sent = sent_by(m_poll_bot, 1);
    ASSERT_EQ(sent.size(), 1u) << m_daemon->log();
    EXPECT_EQ(sent[0].path, "/bot" + new_token + "/sendMessage");
    EXPECT_TRUE(offset_reaches("10000002")) << m_daemon->log();
    EXPECT_EQ(ticket_count(m_data, m_config), 1u);
    EXPECT_EQ(polled_with(m_poll_bot, k_poll_token), old_token_calls);

    // The same config again: both pollers run on, no poller stops or starts.
    int started = m_daemon->count_log("chat.poller_started");
    m_daemon->signal(SIGHUP);
    ASSERT_TRUE(m_daemon->wait_for_log("daemon.reloaded", 20s, 2)) << m_daemon->log();
    EXPECT_EQ(m_daemon->count_log("chat.kept chat=tgpoll watch=poll"), 1) << m_daemon->log();
    EXPECT_EQ(m_daemon->count_log("chat.kept chat=tg watch=poll"), 1) << m_daemon->log();
    EXPECT_EQ(m_daemon->count_log("chat.poller_started"), started) << m_daemon->log();
    EXPECT_EQ(m_daemon->log().find(new_token), std::string::npos) << "a chat secret is in the log";
}

}  // namespace redress::testing
