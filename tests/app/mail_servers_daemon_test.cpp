// `redress serve` against real servers on loopback: Dovecot for the customers' mailbox, aiosmtpd
// (delivering into a Maildir) for the letters. Both are started by tests/servers/*.sh. When either
// is not installed the tests skip with the reason, or fail with it under REDRESS_REQUIRE_SERVERS=1
// (scripts/test sets it).

#include "../test_requirements.hpp"
#include "daemon_fixtures.hpp"
#include "daemon_process.hpp"
#include "test_servers.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

namespace redress::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::string quote(const std::string& text)
{
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// aiosmtpd on a port the test chooses, so a test can point the daemon at a closed port first and
// open it later. Delivered letters land in DIR/maildir.
class SmtpSink {
public:
    explicit SmtpSink(fs::path dir)
        : m_dir(std::move(dir))
    {
        fs::create_directories(m_dir);
    }
    ~SmtpSink() { stop(); }
    bool start(int port)
    {
        m_running = run_command(quote(servers_dir() + "/smtp.sh") + " start " + quote(m_dir.string()) + " " +
                                std::to_string(port)) == 0;
        return m_running;
    }
    void stop()
    {
        if (m_running)
            run_command(quote(servers_dir() + "/smtp.sh") + " stop " + quote(m_dir.string()));
        m_running = false;
    }
    std::vector<StoredLetter> letters() const { return maildir_letters(m_dir / "maildir"); }

private:
    fs::path m_dir;
    bool m_running = false;
};

// `poll_interval` is how long the mailbox's poller sleeps between rounds when the server offers no
// IDLE (Dovecot does, so with IDLE on the poller only sleeps after a failure).
std::string mail_config(const DovecotServer* dovecot, int smtp_port, const std::string& mailbox_url = {},
                        const std::string& poll_interval = "PT5S")
{
    std::string json = R"({"company": {"name": "Kettle Shop", "support_address": "Support <support@shop.test>"})";
    if (dovecot) {
        json += R"(, "mailboxes": [{"name": "support", "url": ")" +
                (mailbox_url.empty() ? dovecot->url() : mailbox_url) +
                R"(", "user": "support", "password": "password", "after_store": "seen", "idle": true,)"
                R"( "poll_interval": ")" +
                poll_interval + R"("}])";
    }
    if (smtp_port > 0) {
        json += R"(, "smtp": {"url": "smtp://127.0.0.1:)" + std::to_string(smtp_port) +
                R"(", "first_retry": "PT1S", "max_attempts": 30})";
    }
    return json + "}";
}

// How many of the folder's messages carry \Seen.
std::size_t seen_count(const DovecotServer& dovecot, const std::string& folder = "INBOX")
{
    std::size_t n = 0;
    for (auto& [uid, flags] : dovecot.flags(folder))
        if (flags.find("\\Seen") != std::string::npos)
            ++n;
    return n;
}

// Every seeded complaint is answered exactly once: one letter whose In-Reply-To names it.
void expect_each_answered_once(const std::vector<StoredLetter>& letters, int count, const std::string& tag)
{
    std::map<std::string, int> answers;
    for (auto& l : letters)
        ++answers[l.header("In-Reply-To")];
    for (int i = 1; i <= count; ++i) {
        std::string id = "<" + complaint_message_id(i, tag) + ">";
        EXPECT_EQ(answers[id], 1) << "complaint " << i << " answered " << answers[id] << " times";
    }
    auto ids = message_id_counts(letters);
    EXPECT_EQ(ids.size(), letters.size()) << "the same letter was delivered twice";
    for (auto& [id, n] : ids)
        EXPECT_EQ(n, 1) << id;
}

class MailServersDaemon : public ::testing::Test {
protected:
    void SetUp() override
    {
        if (auto why = DovecotServer::unavailable())
            REDRESS_REQUIRE_OR_SKIP(Requirement::servers, *why);
        if (auto why = SmtpServer::unavailable())
            REDRESS_REQUIRE_OR_SKIP(Requirement::servers, *why);
        m_data = m_scratch / "data";
        m_config = m_scratch / "redress.json";
    }

    // One message goes in with `doveadm save`; a batch with one `doveadm import` (seed_mailbox.sh),
    // which is the same server-side delivery without half a second of doveadm start-up per message.
    bool seed(int count, const std::string& tag, int first = 1)
    {
        if (count == 1)
            return m_dovecot.save(complaint_message(first, tag));
        fs::path dir = m_scratch / ("seed-" + tag);
        fs::create_directories(dir);
        std::string command = quote(servers_dir() + "/seed_mailbox.sh") + " " + quote(m_dovecot.dir().string());
        for (int i = first; i < first + count; ++i) {
            fs::path file = dir / (std::to_string(i) + ".eml");
            write_file(file, complaint_message(i, tag));
            command += " " + quote(file.string());
        }
        return run_command(command) == 0;
    }

    ScratchDir m_scratch;
    fs::path m_data;
    fs::path m_config;
    DovecotServer m_dovecot;
};

TEST_F(MailServersDaemon, ThirtyMailboxComplaintsBecomeThirtyTicketsAndLettersEachOnce)
{
    constexpr int n = 30;
    ASSERT_TRUE(m_dovecot.start());
    SmtpSink smtp(m_scratch / "smtp");
    int smtp_port = free_port();
    ASSERT_TRUE(smtp.start(smtp_port));
    write_file(m_config, mail_config(&m_dovecot, smtp_port));
    DaemonProcess daemon(m_scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(m_data, m_config)) << daemon.log();

    auto started = std::chrono::steady_clock::now();
    ASSERT_TRUE(seed(n, "thirty"));
    EXPECT_TRUE(wait_until([&] { return ticket_count(m_data, m_config) >= n; }, 30s, 300ms)) << daemon.log();
    EXPECT_TRUE(wait_until([&] { return smtp.letters().size() >= n; }, 30s, 200ms)) << daemon.log();
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    std::printf("[ figures  ] %d complaints saved, ticketed and answered over SMTP in %lld ms\n", n,
                static_cast<long long>(elapsed.count()));
    EXPECT_TRUE(wait_until([&] { return seen_count(m_dovecot) >= n; }, 15s)) << daemon.log();

    EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
    // After the drain nothing more may arrive: still one letter per complaint.
    EXPECT_EQ(ticket_count(m_data, m_config), static_cast<std::size_t>(n));
    auto letters = smtp.letters();
    EXPECT_EQ(letters.size(), static_cast<std::size_t>(n));
    expect_each_answered_once(letters, n, "thirty");
    EXPECT_EQ(seen_count(m_dovecot), static_cast<std::size_t>(n));
    EXPECT_EQ(m_dovecot.flags().size(), static_cast<std::size_t>(n));
}

TEST_F(MailServersDaemon, CrashMidBatchThenRestartLosesNothingAndMakesNoSecondTicketOrLetter)
{
    constexpr int n = 40;
    ASSERT_TRUE(m_dovecot.start());
    SmtpSink smtp(m_scratch / "smtp");
    int smtp_port = free_port();
    ASSERT_TRUE(smtp.start(smtp_port));
    ASSERT_TRUE(seed(n, "crash"));
    write_file(m_config, mail_config(&m_dovecot, smtp_port));

    DaemonProcess first(m_scratch / "daemon-1.log");
    ASSERT_TRUE(first.start({"serve", "--data-dir", m_data.string(), "--config", m_config.string()}));
    // Kill as soon as the first message is stored: the batch is still being worked through.
    ASSERT_TRUE(first.wait_for_log("imap.ingested", 30s, 1)) << first.log();
    first.kill_hard();
    int ingested_before = first.count_log("imap.ingested");
    int sent_before = first.count_log("letter.sent");
    std::size_t tickets_before = ticket_count(m_data, m_config);
    std::size_t delivered_before = smtp.letters().size();
    std::printf(
        "[ figures  ] at SIGKILL: %d ingested lines, %d letter.sent lines, %zu tickets, %zu letters delivered\n",
        ingested_before, sent_before, tickets_before, delivered_before);
    // The store says the kill came mid-batch: some complaints were stored, not all, so the restart
    // below has work left over from a crash to finish (a kill after the whole batch proves nothing).
    ASSERT_GE(tickets_before, 1u) << first.log();
    ASSERT_LT(tickets_before, static_cast<std::size_t>(n)) << "the whole batch was done before the kill\n"
                                                           << first.log();
    EXPECT_LT(delivered_before, static_cast<std::size_t>(n));

    DaemonProcess second(m_scratch / "daemon-2.log");
    ASSERT_TRUE(second.serve(m_data, m_config)) << second.log();
    EXPECT_TRUE(wait_until([&] { return ticket_count(m_data, m_config) >= n; }, 30s, 300ms)) << second.log();
    EXPECT_TRUE(wait_until([&] { return smtp.letters().size() >= n; }, 30s, 200ms)) << second.log();
    EXPECT_TRUE(wait_until([&] { return seen_count(m_dovecot) >= n; }, 15s)) << second.log();
    EXPECT_EQ(second.terminate(), 0) << second.log();
    std::printf("[ figures  ] after restart: %d ingested lines (%d duplicates), %d letter.sent lines\n",
                second.count_log("imap.ingested"), second.count_log("action=duplicate"),
                second.count_log("letter.sent"));

    auto tickets = list_tickets(m_data, m_config);
    ASSERT_TRUE(tickets);
    EXPECT_EQ(tickets->size(), static_cast<std::size_t>(n));
    std::set<std::string> customers;
    for (auto& t : *tickets)
        customers.insert(t["customer"]["email"].get<std::string>());
    EXPECT_EQ(customers.size(), static_cast<std::size_t>(n));
    auto letters = smtp.letters();
    // Delivery is at least once: a kill after the SMTP server accepted a letter and before its
    // "sent" was stored sends that letter again on restart, with the same Message-ID (receivers
    // collapse such copies). The sender sends one letter at a time, so at most one is in flight:
    // every complaint is answered by exactly one letter, and at most one extra copy exists.
    auto ids = message_id_counts(letters);
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(n)) << "letters lost or a complaint answered by two letters";
    int extra_copies = 0;
    for (auto& [id, copies] : ids) {
        extra_copies += copies - 1;
        if (copies > 1)
            std::printf("[ figures  ] %s delivered %d times (same Message-ID)\n", id.c_str(), copies);
    }
    EXPECT_LE(extra_copies, 1) << "more copies than letters in flight at the kill";
    std::map<std::string, std::set<std::string>> letters_per_complaint;
    for (auto& l : letters)
        letters_per_complaint[l.header("In-Reply-To")].insert(l.header("Message-ID"));
    for (int i = 1; i <= n; ++i) {
        std::string id = "<" + complaint_message_id(i, "crash") + ">";
        EXPECT_EQ(letters_per_complaint[id].size(), 1u) << "complaint " << i;
    }
    EXPECT_EQ(seen_count(m_dovecot), static_cast<std::size_t>(n));
}

TEST_F(MailServersDaemon, LettersWaitWhileSmtpIsDownAndGoOnceItIsUp)
{
    constexpr int n = 3;
    // Nothing listens on this port yet: every attempt is refused, a temporary failure.
    int smtp_port = free_port();
    write_file(m_config, mail_config(nullptr, smtp_port));
    DaemonProcess daemon(m_scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(m_data, m_config)) << daemon.log();
    for (int i = 1; i <= n; ++i)
        drop_message(m_data / "inbox", "c" + std::to_string(i) + ".eml", complaint_message(i, "down"));
    ASSERT_TRUE(wait_until([&] { return ticket_count(m_data, m_config) >= n; }, 15s, 200ms)) << daemon.log();

    auto first_letter = [&] {
        auto t = show_ticket(m_data, "RD-000001", m_config);
        return t && !(*t)["letters"].empty() ? std::optional<nlohmann::json>((*t)["letters"][0]) : std::nullopt;
    };
    ASSERT_TRUE(wait_until(
        [&] {
            auto l = first_letter();
            return l && (*l)["attempts"].get<int>() >= 1;
        },
        15s, 300ms))
        << daemon.log();
    auto queued = *first_letter();
    EXPECT_EQ(queued["status"], "queued") << queued.dump(2);
    EXPECT_FALSE(queued["last_error"].get<std::string>().empty()) << queued.dump(2);
    EXPECT_GE(daemon.count_log("letter.retry"), 1) << daemon.log();

    SmtpSink smtp(m_scratch / "smtp");
    ASSERT_TRUE(smtp.start(smtp_port));
    EXPECT_TRUE(wait_until([&] { return smtp.letters().size() >= n; }, 30s, 200ms)) << daemon.log();
    EXPECT_EQ(daemon.terminate(), 0) << daemon.log();

    auto letters = smtp.letters();
    EXPECT_EQ(letters.size(), static_cast<std::size_t>(n));
    expect_each_answered_once(letters, n, "down");
    auto sent = first_letter();
    ASSERT_TRUE(sent);
    EXPECT_EQ((*sent)["status"], "sent") << sent->dump(2);
    // The Message-ID does not change across retries (it comes from the letter's dedup key).
    EXPECT_EQ(message_id_counts(letters).count("<" + (*sent)["message_id"].get<std::string>() + ">"), 1u)
        << sent->dump(2);
}

TEST_F(MailServersDaemon, MailboxServerRestartIsRiddenOut)
{
    ASSERT_TRUE(m_dovecot.start());
    write_file(m_config, mail_config(&m_dovecot, 0));
    DaemonProcess daemon(m_scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(m_data, m_config)) << daemon.log();
    ASSERT_TRUE(seed(1, "restart"));
    ASSERT_TRUE(daemon.wait_for_log("imap.ingested", 15s)) << daemon.log();

    m_dovecot.stop();
    // The daemon notices the dropped connection (in IDLE or on the next round), then finds the port
    // closed at least once (a refused connect) and backs off: 2 s, 4 s, ...
    EXPECT_TRUE(wait_until([&] { return daemon.count_log("imap.round_failed") >= 1; }, 30s)) << daemon.log();
    ASSERT_TRUE(m_dovecot.restart());
    auto restarted = std::chrono::steady_clock::now();
    ASSERT_TRUE(seed(1, "restart", 2));
    EXPECT_TRUE(daemon.wait_for_log("imap.ingested", 30s, 2)) << daemon.log();
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - restarted);
    std::printf("[ figures  ] new mail after the IMAP server restart became a ticket in %lld ms\n",
                static_cast<long long>(elapsed.count()));
    EXPECT_TRUE(daemon.running()) << daemon.log();
    EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
    EXPECT_EQ(ticket_count(m_data, m_config), 2u);
    EXPECT_EQ(seen_count(m_dovecot), 2u);
}

TEST_F(MailServersDaemon, IdleDeliversNewMailWithoutWaitingForThePollInterval)
{
    ASSERT_TRUE(m_dovecot.start());
    // A poll interval of an hour: within this test a message can only arrive through IDLE.
    write_file(m_config, mail_config(&m_dovecot, 0, {}, "PT1H"));
    DaemonProcess daemon(m_scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(m_data, m_config)) << daemon.log();
    ASSERT_TRUE(daemon.wait_for_log("imap.connected", 15s)) << daemon.log();
    EXPECT_NE(daemon.log().find("idle=yes"), std::string::npos) << "Dovecot offers IDLE: " << daemon.log();

    // Polling would take an hour, so a message stored within the (generous) wait came through IDLE.
    // The latency is printed, not asserted: these machines are shared and noisy. Two figures per
    // message: from starting `doveadm save` (which itself takes a few hundred ms to start up here)
    // and from its return, each until the daemon logs the stored ticket.
    std::string figures;
    for (int i = 1; i <= 3; ++i) {
        std::this_thread::sleep_for(300ms);  // the poller goes back into IDLE after its round
        auto before_save = std::chrono::steady_clock::now();
        ASSERT_TRUE(seed(1, "idle", i));
        auto after_save = std::chrono::steady_clock::now();
        ASSERT_TRUE(daemon.wait_for_log("imap.ingested", 60s, i)) << "message " << i << " did not come through IDLE\n"
                                                                  << daemon.log();
        auto stored = std::chrono::steady_clock::now();
        using std::chrono::duration_cast, std::chrono::milliseconds;
        figures += " " + std::to_string(duration_cast<milliseconds>(stored - before_save).count()) + "/" +
                   std::to_string(duration_cast<milliseconds>(stored - after_save).count());
    }
    std::printf("[ figures  ] IDLE latency, ms from save started/finished to ticket stored:%s\n", figures.c_str());
    // A failed IDLE or round reconnects, and the round after a reconnect would find the message
    // without IDLE: the one connection must have carried all three.
    EXPECT_EQ(daemon.count_log("imap.connected"), 1) << daemon.log();
    EXPECT_EQ(daemon.count_log("imap.idle_failed"), 0) << daemon.log();
    EXPECT_EQ(daemon.count_log("imap.round_failed"), 0) << daemon.log();
    EXPECT_EQ(ticket_count(m_data, m_config), 3u);
    EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
}

// The daemon's config with these mailboxes of the test user, each {name, folder, poll_interval}.
struct TestMailbox {
    std::string name;
    std::string folder;
    std::string poll_interval = "PT5S";
};

std::string mailboxes_config(const DovecotServer& dovecot, const std::vector<TestMailbox>& mailboxes)
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : mailboxes)
        list.push_back({{"name", m.name},
                        {"url", dovecot.url(m.folder)},
                        {"user", "support"},
                        {"password", "password"},
                        {"idle", true},
                        {"poll_interval", m.poll_interval}});
    nlohmann::json config{{"company", {{"name", "Kettle Shop"}, {"support_address", "Support <support@shop.test>"}}},
                          {"mailboxes", list}};
    return config.dump(2);
}

// A reload follows the mailboxes: one added is polled (its mail becomes a ticket) while the one
// already there keeps its connection; one changed reconnects with its new settings; one removed stops.
TEST_F(MailServersDaemon, AReloadStartsAnAddedMailboxRestartsAChangedOneAndStopsARemovedOne)
{
    ASSERT_TRUE(m_dovecot.start());
    ASSERT_EQ(m_dovecot.doveadm("mailbox create -u support Sales"), 0);
    write_file(m_config, mailboxes_config(m_dovecot, {{"support", "INBOX"}}));
    DaemonProcess daemon(m_scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(m_data, m_config)) << daemon.log();
    ASSERT_TRUE(daemon.wait_for_log("imap.connected", 15s)) << daemon.log();

    // Added: "sales" on another folder.
    write_file(m_config, mailboxes_config(m_dovecot, {{"support", "INBOX"}, {"sales", "Sales"}}));
    daemon.signal(SIGHUP);
    ASSERT_TRUE(daemon.wait_for_log("mailbox.started mailbox=sales why=added", 15s)) << daemon.log();
    EXPECT_EQ(daemon.count_log("mailbox.kept mailbox=support"), 1) << daemon.log();
    ASSERT_TRUE(daemon.wait_for_log("imap.connected", 15s, 2)) << daemon.log();
    ASSERT_TRUE(m_dovecot.save(complaint_message(1, "reload"), "Sales"));
    EXPECT_TRUE(wait_until([&] { return ticket_count(m_data, m_config) >= 1; }, 30s, 200ms)) << daemon.log();
    ASSERT_TRUE(wait_until([&] { return seen_count(m_dovecot, "Sales") == 1; }, 15s)) << daemon.log();
    // The mailbox that was there went on on its connection: no stop, no second connect.
    EXPECT_EQ(daemon.count_log("imap.poller_stopped"), 0) << daemon.log();
    EXPECT_EQ(daemon.count_log("imap.connected"), 2) << daemon.log();

    // Changed: "sales" polls at another interval, so its poller starts again; "support" removed.
    write_file(m_config, mailboxes_config(m_dovecot, {{"sales", "Sales", "PT7S"}}));
    daemon.signal(SIGHUP);
    ASSERT_TRUE(daemon.wait_for_log("mailbox.started mailbox=sales why=changed", 15s)) << daemon.log();
    EXPECT_EQ(daemon.count_log("mailbox.stopped mailbox=sales why=changed"), 1) << daemon.log();
    EXPECT_EQ(daemon.count_log("mailbox.stopped mailbox=support why=removed"), 1) << daemon.log();
    EXPECT_EQ(daemon.count_log("imap.poller_stopped"), 2) << daemon.log();
    ASSERT_TRUE(daemon.wait_for_log("imap.connected", 15s, 3)) << daemon.log();
    ASSERT_TRUE(m_dovecot.save(complaint_message(2, "reload"), "Sales"));
    EXPECT_TRUE(wait_until([&] { return ticket_count(m_data, m_config) >= 2; }, 30s, 200ms)) << daemon.log();
    // The changed poller went on from the UID it had reached: message 1 was not taken again.
    EXPECT_EQ(daemon.count_log("imap.ingested"), 2) << daemon.log();

    EXPECT_EQ(daemon.count_log("imap.poller_stopped mailbox=support"), 1) << daemon.log();

    EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
    EXPECT_EQ(ticket_count(m_data, m_config), 2u);
    EXPECT_EQ(seen_count(m_dovecot, "Sales"), 2u);
}

}  // namespace
}  // namespace redress::testing
