// Deadlines on real timers: a policy of seconds instead of hours, no calendar (around the clock),
// and the owner's alerts read back from the file outbox and from `redress tickets show --json`.

#include "chat_service.hpp"
#include "daemon_fixtures.hpp"
#include "daemon_process.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <thread>

namespace redress::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// First response due 3 s after arrival (warning at 2 s), resolution at 6 s (warning at 5 s).
const std::string k_fast_policy =
    R"({"name": "fast", "match": {"kind": "complaint"}, "first_response": "PT3S", "resolution": "PT6S", "warn_before": "PT1S"})";
// Deadlines far enough away that no timer fires while a test runs.
const std::string k_slow_policy =
    R"({"name": "slow", "match": {}, "first_response": "PT1H", "resolution": "P3D", "warn_before": "PT10M"})";

std::string sla_config(const std::string& policy)
{
    return R"({"company": {"name": "Kettle Shop", "support_address": "Support <support@shop.test>"},)"
           R"( "owner": {"name": "Olga", "email": "olga@shop.test"},)"
           R"( "sla": {"policies": [)" +
           policy + "]}}";
}

// The same, with a Telegram chat at `api_base` and Olga's chat address there (tg:4242).
std::string sla_config_with_chat(const std::string& policy, const std::string& api_base,
                                 const std::string& chat_extra = "")
{
    return R"({"company": {"name": "Kettle Shop", "support_address": "Support <support@shop.test>"},)"
           R"( "chats": [{"name": "tg", "type": "telegram", "bot_token": "42:test", "api_base": ")" +
           api_base + "\"" + chat_extra +
           "}],"
           R"( "owner": {"name": "Olga", "email": "olga@shop.test", "chat": "tg:4242"},)"
           R"( "sla": {"policies": [)" +
           policy + "]}}";
}

std::map<std::string, int> template_counts(const nlohmann::json& ticket)
{
    std::map<std::string, int> counts;
    for (auto& l : ticket["letters"])
        ++counts[l["template"].get<std::string>()];
    return counts;
}

// How often each alert was queued, by its key ("first_response:warning", "resolution:breach", ...).
std::map<std::string, int> alert_counts(const nlohmann::json& ticket)
{
    std::map<std::string, int> counts;
    for (auto& a : ticket["audit"])
        if (a["action"] == "alert.queued" && a["detail"].is_object())
            ++counts[a["detail"].value("alert", std::string("?"))];
    return counts;
}

std::string describe(const std::optional<nlohmann::json>& ticket)
{
    if (!ticket)
        return "(no ticket)";
    nlohmann::json brief = nlohmann::json::array();
    for (auto& l : (*ticket)["letters"])
        brief.push_back({l["template"], l["recipient"], l["status"], l["subject"]});
    return brief.dump(1);
}

class SlaDaemon : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_data = m_scratch / "data";
        m_config = m_scratch / "redress.json";
    }
    std::optional<nlohmann::json> ticket(const std::string& number) { return show_ticket(m_data, number, m_config); }

    ScratchDir m_scratch;
    fs::path m_data;
    fs::path m_config;
};

TEST_F(SlaDaemon, WarningsAndBreachesGoToTheOwnerOnceEachAcrossARestart)
{
    write_file(m_config, sla_config(k_fast_policy));
    DaemonProcess first(m_scratch / "daemon-1.log");
    ASSERT_TRUE(first.serve(m_data, m_config)) << first.log();

    drop_message(m_data / "inbox", "c1.eml", complaint_message(1, "sla"));
    ASSERT_TRUE(first.wait_for_log("action=created", 15s)) << first.log();
    // Within ~10 s: warning and breach for the first response, then for the resolution.
    auto a_done = [&] {
        auto t = ticket("RD-000001");
        return t && template_counts(*t)["escalation"] >= 2;
    };
    ASSERT_TRUE(wait_until(a_done, 20s, 250ms)) << describe(ticket("RD-000001")) << first.log();
    std::this_thread::sleep_for(1500ms);  // time for a second copy to show up, if there were one

    auto a = ticket("RD-000001");
    ASSERT_TRUE(a);
    auto templates = template_counts(*a);
    EXPECT_EQ(templates["acknowledgement"], 1) << describe(a);
    EXPECT_EQ(templates["deadline_warning"], 2) << describe(a);
    EXPECT_EQ(templates["escalation"], 2) << describe(a);
    auto alerts = alert_counts(*a);
    for (const char* key :
         {"first_response:warning", "first_response:breach", "resolution:warning", "resolution:breach"})
        EXPECT_EQ(alerts[key], 1) << key << " in " << a->dump(1);
    for (auto& l : (*a)["letters"]) {
        if (l["template"] != "acknowledgement") {
            EXPECT_EQ(l["recipient"], "olga@shop.test") << l.dump();
        }
    }

    // On disk: each alert is a letter to Olga that names the ticket in the subject and in X-Redress-Ticket.
    int alert_files = 0;
    for (auto& letter : letters_in(m_data / "outbox")) {
        if (letter.header("To").find("olga@shop.test") == std::string::npos)
            continue;
        ++alert_files;
        EXPECT_EQ(letter.header("X-Redress-Ticket"), "RD-000001") << letter.file;
        EXPECT_NE(letter.header("Subject").find("[RD-000001]"), std::string::npos) << letter.header("Subject");
        EXPECT_TRUE(letter.mail.problems.empty()) << letter.file << ": " << letter.mail.problems.front();
    }
    EXPECT_EQ(alert_files, 4);
    std::size_t letters_of_a = (*a)["letters"].size();

    // A second ticket, then a stop before any of its deadlines: its alerts fall due while the daemon
    // is down, and the restarted daemon must send what is due without repeating anything for the first.
    drop_message(m_data / "inbox", "c2.eml", complaint_message(2, "sla"));
    ASSERT_TRUE(first.wait_for_log("action=created", 15s, 2)) << first.log();
    EXPECT_EQ(first.terminate(), 0) << first.log();
    std::this_thread::sleep_for(7s);  // past both deadlines of RD-000002

    DaemonProcess second(m_scratch / "daemon-2.log");
    ASSERT_TRUE(second.serve(m_data, m_config)) << second.log();
    auto b_done = [&] {
        auto t = ticket("RD-000002");
        return t && template_counts(*t)["escalation"] >= 2;
    };
    EXPECT_TRUE(wait_until(b_done, 15s, 250ms)) << describe(ticket("RD-000002")) << second.log();
    std::this_thread::sleep_for(2s);
    EXPECT_EQ(second.terminate(), 0) << second.log();

    auto a_after = ticket("RD-000001");
    ASSERT_TRUE(a_after);
    EXPECT_EQ((*a_after)["letters"].size(), letters_of_a) << describe(a_after);
    for (auto& [key, n] : alert_counts(*a_after))
        EXPECT_EQ(n, 1) << key;
    auto b = ticket("RD-000002");
    ASSERT_TRUE(b);
    auto b_alerts = alert_counts(*b);
    EXPECT_EQ(b_alerts["first_response:breach"], 1) << b->dump(1);
    EXPECT_EQ(b_alerts["resolution:breach"], 1) << b->dump(1);
    for (auto& [key, n] : b_alerts)
        EXPECT_EQ(n, 1) << key;
    // Every letter of both tickets reached the outbox, each once.
    std::size_t expected_files = letters_of_a + (*b)["letters"].size();
    auto files = letters_in(m_data / "outbox");
    EXPECT_EQ(files.size(), expected_files);
    for (auto& [id, n] : message_id_counts(files))
        EXPECT_EQ(n, 1) << id;
    for (auto* t : {&*a_after, &*b})
        for (auto& l : (*t)["letters"])
            EXPECT_EQ(l["status"], "sent") << l.dump();
}

TEST_F(SlaDaemon, MajorComplaintAlertsTheOwnerAtOnceAndOnlyOnce)
{
    write_file(m_config, sla_config(k_slow_policy));
    DaemonProcess first(m_scratch / "daemon-1.log");
    ASSERT_TRUE(first.serve(m_data, m_config)) << first.log();

    auto alert_letters = [&] {
        int n = 0;
        for (auto& l : letters_in(m_data / "outbox"))
            if (l.header("To").find("olga@shop.test") != std::string::npos)
                ++n;
        return n;
    };
    drop_message(m_data / "inbox", "major.eml", major_complaint_message("fire-court@example.net"));
    ASSERT_TRUE(wait_until([&] { return alert_letters() >= 1; }, 15s)) << first.log();
    auto t = ticket("RD-000001");
    ASSERT_TRUE(t);
    EXPECT_EQ((*t)["severity"], "major") << t->dump(1);
    EXPECT_EQ(template_counts(*t)["major_complaint"], 1) << describe(t);

    // The same message again, and a restart (the scheduler's own arrival alert shares the dedup key).
    drop_message(m_data / "inbox", "major-again.eml", major_complaint_message("fire-court@example.net"));
    ASSERT_TRUE(first.wait_for_log("action=duplicate", 15s)) << first.log();
    EXPECT_EQ(first.terminate(), 0) << first.log();
    DaemonProcess second(m_scratch / "daemon-2.log");
    ASSERT_TRUE(second.serve(m_data, m_config)) << second.log();
    std::this_thread::sleep_for(2s);
    EXPECT_EQ(second.terminate(), 0) << second.log();

    t = ticket("RD-000001");
    ASSERT_TRUE(t);
    EXPECT_EQ(template_counts(*t)["major_complaint"], 1) << describe(t);
    EXPECT_EQ(alert_letters(), 1);
    EXPECT_EQ(ticket_count(m_data, m_config), 1u);
}

// Escalations by chat: the owner and the second level have Telegram addresses; the Bot API is a
// real HTTP server in this test process (tests/connectors/chat_service.*), which turns the first
// message away with a flood wait, as Telegram does.
TEST_F(SlaDaemon, EscalationsAlsoReachTheOwnerAndTheSecondLevelByChatOnceEach)
{
    ChatService telegram;
    ASSERT_TRUE(telegram.start());
    telegram.reply_next(
        {429,
         R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}})",
         {}});
    // Major complaint: first response due in 3 s, resolution in 6 s; the second level 2 s after each breach.
    write_file(m_config, sla_config_with_chat(
                             R"({"name": "fast", "match": {"kind": "complaint"}, "first_response": "PT3S",)"
                             R"( "resolution": "PT6S", "warn_before": "PT1S", "second_level_after": "PT2S",)"
                             R"( "second_level": {"name": "Dmitri", "email": "dmitri@shop.test", "chat": "tg:777"}})",
                             telegram.base_url(), R"(, "first_retry": "PT1S")"));
    DaemonProcess first(m_scratch / "daemon-1.log");
    ASSERT_TRUE(first.serve(m_data, m_config)) << first.log();
    drop_message(m_data / "inbox", "major.eml", major_complaint_message("chat-major@example.net"));

    // Arrival, two breaches to Olga and two second-level alerts to Dmitri; one request more for the flood wait.
    ASSERT_TRUE(telegram.wait_for(6, 30s)) << telegram.requests().size() << " requests\n"
                                           << describe(ticket("RD-000001")) << first.log();
    std::this_thread::sleep_for(2s);  // time for a second copy to show up, if there were one
    EXPECT_EQ(first.terminate(), 0) << first.log();
    DaemonProcess second(m_scratch / "daemon-2.log");
    ASSERT_TRUE(second.serve(m_data, m_config)) << second.log();
    std::this_thread::sleep_for(2s);
    EXPECT_EQ(second.terminate(), 0) << second.log();

    auto requests = telegram.requests();
    ASSERT_EQ(requests.size(), 6u);
    // The flood wait is kept: nothing reaches the chat for 3 s (first_retry alone would be 1 s).
    // Times are whole seconds, so the gap is more than 2 s.
    EXPECT_GT(requests[1].at - requests[0].at, std::chrono::seconds(2));
    std::map<std::string, int> per_text;
    std::map<long long, int> per_chat;
    for (const auto& r : requests) {
        EXPECT_EQ(r.path, "/bot42:test/sendMessage");
        auto body = nlohmann::json::parse(r.body);
        std::string text = body["text"];
        EXPECT_NE(text.find("RD-000001"), std::string::npos) << text;
        EXPECT_EQ(text.find("Message-ID:"), std::string::npos) << "plain text, not a mail: " << text;
        if (body["chat_id"] == 777) {
            EXPECT_NE(text.find("Hello Dmitri"), std::string::npos) << text;
        }
        if (++per_text[std::to_string(body["chat_id"].get<long long>()) + "\n" + text] == 1)
            ++per_chat[body["chat_id"].get<long long>()];
    }
    // The flood-waited message is the only one sent twice.
    EXPECT_EQ(per_text.size(), 5u);
    int twice = 0;
    for (auto& [text, n] : per_text) {
        EXPECT_LE(n, 2) << text;
        twice += n == 2;
    }
    EXPECT_EQ(twice, 1);
    EXPECT_EQ(per_chat[4242], 3);
    EXPECT_EQ(per_chat[777], 2);

    auto t = ticket("RD-000001");
    ASSERT_TRUE(t);
    int chat_letters = 0;
    for (auto& l : (*t)["letters"]) {
        EXPECT_EQ(l["status"], "sent") << l.dump();
        if (l["channel"] == "chat:tg") {
            ++chat_letters;
            EXPECT_NE(l["template"], "deadline_warning") << "warnings stay in mail";
        }
    }
    EXPECT_EQ(chat_letters, 5) << describe(t);
    auto alerts = alert_counts(*t);
    for (const char* key :
         {"first_response:breach", "resolution:breach", "first_response:second_level", "resolution:second_level"})
        EXPECT_EQ(alerts[key], 2) << key << ": one email and one chat message";
}

// A chat that refuses for good (the owner blocked the bot): the chat letter fails, once, and the
// owner learns of it by email; the email alert itself went out as usual.
TEST_F(SlaDaemon, AChatThatRefusesForGoodIsReportedToTheOwnerByEmail)
{
    ChatService telegram;
    ASSERT_TRUE(telegram.start());
    telegram.reply_next(
        {403, R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})", {}});
    write_file(m_config, sla_config_with_chat(k_slow_policy, telegram.base_url()));
    DaemonProcess daemon(m_scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(m_data, m_config)) << daemon.log();
    drop_message(m_data / "inbox", "major.eml", major_complaint_message("blocked@example.net"));
    auto reported = [&] {
        auto t = ticket("RD-000001");
        return t && template_counts(*t)["delivery_failure"] >= 1;
    };
    ASSERT_TRUE(wait_until(reported, 20s, 250ms)) << describe(ticket("RD-000001")) << daemon.log();
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(daemon.terminate(), 0) << daemon.log();

    EXPECT_EQ(telegram.requests().size(), 1u);
    auto t = ticket("RD-000001");
    ASSERT_TRUE(t);
    for (auto& l : (*t)["letters"]) {
        if (l["channel"] == "chat:tg") {
            EXPECT_EQ(l["status"], "failed") << l.dump();
        } else {
            EXPECT_EQ(l["status"], "sent") << l.dump();
        }
    }
    EXPECT_EQ(template_counts(*t)["delivery_failure"], 1) << describe(t);
    bool told = false;
    for (auto& letter : letters_in(m_data / "outbox"))
        if (letter.header("To").find("olga@shop.test") != std::string::npos &&
            letter.body().find("bot was blocked") != std::string::npos)
            told = true;
    EXPECT_TRUE(told) << "a delivery_failure email to Olga that quotes Telegram's reason";
}

// A chat added to the config of a running daemon: SIGHUP, and the next alert goes there too.
TEST_F(SlaDaemon, AChatAddedOnReloadGetsTheNextAlerts)
{
    ChatService telegram;
    ASSERT_TRUE(telegram.start());
    write_file(m_config, sla_config(k_slow_policy));
    DaemonProcess daemon(m_scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(m_data, m_config)) << daemon.log();
    drop_message(m_data / "inbox", "m1.eml", major_complaint_message("before-reload@example.net"));
    ASSERT_TRUE(daemon.wait_for_log("action=created", 15s)) << daemon.log();

    write_file(m_config, sla_config_with_chat(k_slow_policy, telegram.base_url()));
    daemon.signal(SIGHUP);
    ASSERT_TRUE(daemon.wait_for_log("daemon.reloaded", 15s)) << daemon.log();
    drop_message(m_data / "inbox", "m2.eml", major_complaint_message("after-reload@example.net"));
    EXPECT_TRUE(telegram.wait_for(1, 15s)) << daemon.log();
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(daemon.terminate(), 0) << daemon.log();

    auto requests = telegram.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_NE(nlohmann::json::parse(requests[0].body)["text"].get<std::string>().find("RD-000002"), std::string::npos);
}

// `redress tickets assign` on the daemon's data: the warning goes to the assignee, the breach still
// to the owner. The ticket is made (`redress ingest`) and assigned before the daemon starts, so the
// assignment comes before the warning however slow the machine is; the daemon's scheduler reads the
// assignee from the store when the warning falls due (5 s after arrival, or at once on start if that
// has passed). The breach, 20 s after arrival, leaves the set-up commands that long.
TEST_F(SlaDaemon, AnAssignedTicketsWarningGoesToTheAssignee)
{
    write_file(m_config,
               sla_config(R"({"name": "fast", "match": {}, "first_response": "PT20S", "warn_before": "PT15S"})"));
    write_file(m_scratch / "c1.eml", complaint_message(1, "assign"));
    auto ingested = run_redress(
        {"ingest", "--config", m_config.string(), "--data-dir", m_data.string(), (m_scratch / "c1.eml").string()});
    ASSERT_EQ(ingested.exit_code, 0) << ingested.out << ingested.err;
    ASSERT_NE(ingested.out.find(R"("action":"created")"), std::string::npos) << ingested.out;
    auto manager = run_redress({"user", "add", "olga", "--role", "manager", "--password-stdin", "--config",
                                m_config.string(), "--data-dir", m_data.string()},
                               std::chrono::seconds(60), "olga's long password\n");
    ASSERT_EQ(manager.exit_code, 0) << manager.out << manager.err;
    auto bad = run_redress({"tickets", "assign", "RD-000001", "Ivan", "--by", "olga", "--config", m_config.string(),
                            "--data-dir", m_data.string()});
    EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;
    EXPECT_NE(bad.err.find("There is no user \"Ivan\""), std::string::npos) << bad.err;
    auto assigned = run_redress({"tickets", "assign", "RD-000001", "Ivan Petrov <ivan@shop.test>", "--by", "olga",
                                 "--json", "--config", m_config.string(), "--data-dir", m_data.string()});
    ASSERT_EQ(assigned.exit_code, 0) << assigned.out << assigned.err;
    EXPECT_EQ(nlohmann::json::parse(assigned.out)["ticket"]["assignee"], "Ivan Petrov <ivan@shop.test>");

    DaemonProcess daemon(m_scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(m_data, m_config)) << daemon.log();
    auto breached = [&] {
        auto t = ticket("RD-000001");
        return t && template_counts(*t)["escalation"] >= 1;
    };
    ASSERT_TRUE(wait_until(breached, 60s, 250ms)) << describe(ticket("RD-000001")) << daemon.log();
    EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
    auto t = ticket("RD-000001");
    ASSERT_TRUE(t);
    for (auto& l : (*t)["letters"]) {
        if (l["template"] == "deadline_warning") {
            EXPECT_EQ(l["recipient"], "ivan@shop.test") << l.dump();
        } else if (l["template"] == "escalation") {
            EXPECT_EQ(l["recipient"], "olga@shop.test") << l.dump();
        }
    }
    EXPECT_EQ(template_counts(*t)["deadline_warning"], 1) << describe(t);
}

// The outbox has a lane for mail and one for chats: a chat service that hangs does not hold up the
// customer's acknowledgement or the owner's email.
TEST_F(SlaDaemon, AChatThatHangsDoesNotHoldUpTheMail)
{
    ChatService telegram;
    ASSERT_TRUE(telegram.start());
    telegram.reply_next({200, R"({"ok":true,"result":{"message_id":1}})", {}, 8s});
    write_file(m_config, sla_config_with_chat(k_slow_policy, telegram.base_url()));
    DaemonProcess daemon(m_scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(m_data, m_config)) << daemon.log();
    drop_message(m_data / "inbox", "major.eml", major_complaint_message("hanging-chat@example.net"));

    ASSERT_TRUE(telegram.wait_for(1, 15s)) << daemon.log();
    // The chat request now hangs for 8 s; both emails leave meanwhile.
    auto emails_out = [&] { return letters_in(m_data / "outbox").size() >= 2; };
    EXPECT_TRUE(wait_until(emails_out, 5s, 100ms)) << daemon.log();
    auto all_sent = [&] {
        auto t = ticket("RD-000001");
        if (!t)
            return false;
        for (auto& l : (*t)["letters"])
            if (l["status"] != "sent")
                return false;
        return true;
    };
    EXPECT_TRUE(wait_until(all_sent, 20s, 250ms)) << describe(ticket("RD-000001")) << daemon.log();
    EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
    EXPECT_EQ(telegram.requests().size(), 1u);
}

// A chat letter queued under one config, and a daemon started with a config that no longer has that
// chat: the letter fails with the reason (it would otherwise wait forever) and the owner is told.
TEST_F(SlaDaemon, ALetterForAChatNoLongerConfiguredFailsWithTheReason)
{
    auto with_chat = m_scratch / "with-chat.json";
    write_file(with_chat, sla_config_with_chat(k_slow_policy, "http://127.0.0.1:9"));
    auto message = m_scratch / "major.eml";
    write_file(message, major_complaint_message("removed-chat@example.net"));
    auto ingested =
        run_redress({"ingest", "--config", with_chat.string(), "--data-dir", m_data.string(), message.string()});
    ASSERT_EQ(ingested.exit_code, 0) << ingested.out << ingested.err;

    write_file(m_config, sla_config(k_slow_policy));  // no chats
    DaemonProcess daemon(m_scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(m_data, m_config)) << daemon.log();
    auto reported = [&] {
        auto t = ticket("RD-000001");
        return t && template_counts(*t)["delivery_failure"] >= 1;
    };
    ASSERT_TRUE(wait_until(reported, 15s, 250ms)) << describe(ticket("RD-000001")) << daemon.log();
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
    auto t = ticket("RD-000001");
    ASSERT_TRUE(t);
    for (auto& l : (*t)["letters"]) {
        if (l["channel"] == "chat:tg") {
            EXPECT_EQ(l["status"], "failed") << l.dump();
            EXPECT_NE(l["last_error"].get<std::string>().find("no sender for channel \"chat:tg\""), std::string::npos)
                << l.dump();
        } else {
            EXPECT_EQ(l["status"], "sent") << l.dump();
        }
    }
    EXPECT_EQ(template_counts(*t)["delivery_failure"], 1) << describe(t);
}

}  // namespace
}  // namespace redress::testing
