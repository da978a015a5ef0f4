// The IMAP poller against a real Dovecot 2.3 on loopback (tests/servers/dovecot.sh).

#include "../test_requirements.hpp"
#include "imap/imap_client.hpp"
#include "imap/mailbox_poller.hpp"
#include "memory_state_store.hpp"
#include "test_servers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <mutex>
#include <thread>

using namespace std::chrono_literals;
using redress::Error;
using redress::Result;
using redress::config::AfterStore;
using redress::config::MailboxConfig;
using redress::connectors::imap::ImapClient;
using redress::connectors::imap::ImapClientOptions;
using redress::connectors::imap::MailboxPoller;
using redress::connectors::imap::PollerOptions;
using redress::pipeline::IngestOutcome;
using redress::pipeline::RawMessage;
using redress::testing::DovecotServer;
using redress::testing::MemoryStateStore;
using redress::testing::sample_message;

namespace {

// Dovecot's capabilities after login, less IDLE and MOVE: a server like the older ones some
// hosting companies still run.
constexpr const char* k_no_idle_no_move =
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT NAMESPACE UIDPLUS LITERAL+ CHILDREN LIST-EXTENDED";

// What the pipeline would be: records what it was given, and can be told to fail.
class FakePipeline {
public:
    MailboxPoller::IngestFn ingest()
    {
        return [this](const RawMessage& raw) -> Result<IngestOutcome> {
            std::lock_guard lock(m_mutex);
            if (on_ingest)
                on_ingest(raw);
            if (m_failures_left > 0) {
                --m_failures_left;
                return redress::make_error("store.busy", "database is locked");
            }
            m_ingested.push_back(raw);
            return IngestOutcome{};
        };
    }

    MailboxPoller::QuarantineFn quarantine()
    {
        return [this](const RawMessage& raw, std::string_view reason) -> Result<void> {
            std::lock_guard lock(m_mutex);
            m_quarantined.emplace_back(raw, std::string(reason));
            return {};
        };
    }

    void fail_next(int count)
    {
        std::lock_guard lock(m_mutex);
        m_failures_left = count;
    }

    std::vector<RawMessage> ingested()
    {
        std::lock_guard lock(m_mutex);
        return m_ingested;
    }

    std::vector<std::pair<RawMessage, std::string>> quarantined()
    {
        std::lock_guard lock(m_mutex);
        return m_quarantined;
    }

    std::function<void(const RawMessage&)> on_ingest;

private:
    std::mutex m_mutex;
    int m_failures_left = 0;
    std::vector<RawMessage> m_ingested;
    std::vector<std::pair<RawMessage, std::string>> m_quarantined;
};

// Waits for a condition, generously; the tests assert outcomes, never how fast they came.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit = 10s)
{
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (condition())
            return true;
        std::this_thread::sleep_for(20ms);
    }
    return condition();
}

std::string subject_of(const RawMessage& raw)
{
    auto pos = raw.bytes.find("Subject: ");
    if (pos == std::string::npos)
        return {};
    auto end = raw.bytes.find("\r\n", pos);
    return raw.bytes.substr(pos + 9, end - pos - 9);
}

class ImapIntegration : public ::testing::Test {
protected:
    void SetUp() override { start_server(); }

    void start_server(int tls_port = 0, const std::string& capability = {})
    {
        if (auto why = DovecotServer::unavailable())
            REDRESS_REQUIRE_OR_SKIP(redress::testing::Requirement::servers, *why);
        ASSERT_TRUE(m_server.start(tls_port, capability)) << "dovecot.sh start failed";
    }

    MailboxConfig mailbox(const std::string& folder = "INBOX")
    {
        MailboxConfig config;
        config.name = "support";
        config.url = m_server.url(folder);
        config.user = "support";
        config.password = "password";
        config.poll_interval = std::chrono::seconds(1);
        return config;
    }

    static PollerOptions fast_options()
    {
        PollerOptions timing;
        timing.backoff_first = 100ms;
        timing.backoff_cap = 1s;
        timing.connect_timeout = 5s;
        timing.response_timeout = 10s;
        return timing;
    }

    std::unique_ptr<MailboxPoller> poller(const MailboxConfig& config)
    {
        return std::make_unique<MailboxPoller>(config, m_state, m_pipeline.ingest(), m_pipeline.quarantine(),
                                               fast_options());
    }

    void save(int n, const std::string& folder = "INBOX")
    {
        ASSERT_TRUE(m_server.save(
            sample_message("m" + std::to_string(n) + "@example.org", "message " + std::to_string(n)), folder));
    }

    DovecotServer m_server;
    MemoryStateStore m_state;
    FakePipeline m_pipeline;
};

}  // namespace

TEST_F(ImapIntegration, FetchesNewMessagesByUidInOrderAndMarksThemSeen)
{
    for (int n = 1; n <= 3; ++n)
        save(n);
    auto p = poller(mailbox());
    auto round = p->poll_once();
    ASSERT_TRUE(round.ok()) << round.error().message;
    EXPECT_EQ(round->ingested, 3u);

    auto got = m_pipeline.ingested();
    ASSERT_EQ(got.size(), 3u);
    auto validity = std::to_string(m_server.uidvalidity());
    for (int n = 1; n <= 3; ++n) {
        auto& raw = got[static_cast<std::size_t>(n - 1)];
        EXPECT_EQ(raw.channel, "email");
        EXPECT_EQ(raw.source, "support");
        EXPECT_EQ(raw.source_key, "imap:support:" + validity + ":" + std::to_string(n));
        EXPECT_EQ(subject_of(raw), "message " + std::to_string(n));
        EXPECT_NE(raw.received_at.time_since_epoch().count(), 0);
    }
    for (auto& [uid, flags] : m_server.flags())
        EXPECT_NE(flags.find("\\Seen"), std::string::npos) << "UID " << uid;
    EXPECT_EQ(m_state.get("imap/support/last_uid"), "3");
    EXPECT_EQ(m_state.get("imap/support/uidvalidity"), validity);
}

TEST_F(ImapIntegration, ReturnsTheMessageBytesExactlyEvenWithLinesThatLookLikeResponses)
{
    // curl's own IMAP layer passes body lines starting with "* " on as responses and drops the rest.
    std::string message =
        sample_message("star@example.org", "stars", "* 1 EXISTS\r\n* BYE not really\r\nR1 OK no\r\n.");
    ASSERT_TRUE(m_server.save(message));
    auto p = poller(mailbox());
    ASSERT_TRUE(p->poll_once().ok());
    auto got = m_pipeline.ingested();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].bytes, message);
}

TEST_F(ImapIntegration, TakesMailSomeoneAlreadyRead)
{
    save(1);
    ASSERT_EQ(m_server.doveadm("flags add -u support '\\Seen' mailbox INBOX all"), 0);
    auto p = poller(mailbox());
    auto round = p->poll_once();
    ASSERT_TRUE(round.ok()) << round.error().message;
    EXPECT_EQ(m_pipeline.ingested().size(), 1u);
}

TEST_F(ImapIntegration, ARestartedPollerDoesNotFetchAgain)
{
    auto config = mailbox();
    config.after_store = AfterStore::keep;  // nothing on the server says what was taken: only the state does
    for (int n = 1; n <= 3; ++n)
        save(n);
    ASSERT_TRUE(poller(config)->poll_once().ok());
    ASSERT_EQ(m_pipeline.ingested().size(), 3u);

    auto restarted = poller(config);
    auto round = restarted->poll_once();
    ASSERT_TRUE(round.ok()) << round.error().message;
    EXPECT_EQ(round->ingested, 0u);
    save(4);
    round = restarted->poll_once();
    ASSERT_TRUE(round.ok());
    EXPECT_EQ(round->ingested, 1u);
    auto got = m_pipeline.ingested();
    ASSERT_EQ(got.size(), 4u);
    EXPECT_EQ(subject_of(got[3]), "message 4");
    // Kept means kept: nothing was marked.
    for (auto& [uid, flags] : m_server.flags())
        EXPECT_EQ(flags.find("\\Seen"), std::string::npos) << "UID " << uid;
}

TEST_F(ImapIntegration, CanStartAfterTheMailAlreadyThereOnFirstSight)
{
    save(1);
    save(2);
    auto options = fast_options();
    options.skip_existing_on_first_sync = true;
    MailboxPoller p(mailbox(), m_state, m_pipeline.ingest(), m_pipeline.quarantine(), options);
    auto round = p.poll_once();
    ASSERT_TRUE(round.ok()) << round.error().message;
    EXPECT_EQ(round->ingested, 0u);
    save(3);
    round = p.poll_once();
    ASSERT_TRUE(round.ok());
    auto got = m_pipeline.ingested();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(subject_of(got[0]), "message 3");
}

TEST_F(ImapIntegration, AChangedUidvalidityReadsTheFolderAgain)
{
    ASSERT_EQ(m_server.doveadm("mailbox create -u support Support"), 0);
    save(1, "Support");
    save(2, "Support");
    auto p = poller(mailbox("Support"));
    ASSERT_TRUE(p->poll_once().ok());
    auto old_validity = m_server.uidvalidity("Support");

    // The folder is deleted and made again (RFC 3501 2.3.1.1): UIDs start over under a new UIDVALIDITY.
    p->disconnect();
    ASSERT_EQ(m_server.doveadm("mailbox delete -u support Support"), 0);
    ASSERT_EQ(m_server.doveadm("mailbox create -u support Support"), 0);
    save(1, "Support");
    save(2, "Support");
    auto new_validity = m_server.uidvalidity("Support");
    ASSERT_NE(old_validity, new_validity);

    auto round = p->poll_once();
    ASSERT_TRUE(round.ok()) << round.error().message;
    EXPECT_TRUE(round->rescanned);
    EXPECT_EQ(round->ingested, 2u);
    auto got = m_pipeline.ingested();
    ASSERT_EQ(got.size(), 4u);
    EXPECT_EQ(got[2].source_key, "imap:support:" + std::to_string(new_validity) + ":1");
    EXPECT_EQ(m_state.get("imap/support/uidvalidity"), std::to_string(new_validity));
}

TEST_F(ImapIntegration, MarksSeenOnlyAfterTheIngestSucceeded)
{
    save(1);
    save(2);
    std::vector<std::string> flags_during_ingest;
    m_pipeline.on_ingest = [&](const RawMessage&) {
        for (auto& [uid, flags] : m_server.flags())
            flags_during_ingest.push_back(flags);
    };
    m_pipeline.fail_next(1);
    auto p = poller(mailbox());

    auto failed = p->poll_once();
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().code, "store.busy");
    EXPECT_TRUE(m_pipeline.ingested().empty());
    for (auto& [uid, flags] : m_server.flags())
        EXPECT_EQ(flags.find("\\Seen"), std::string::npos) << "UID " << uid << " was marked though not stored";
    EXPECT_NE(m_state.get("imap/support/last_uid"), "1");

    auto round = p->poll_once();
    ASSERT_TRUE(round.ok()) << round.error().message;
    EXPECT_EQ(round->ingested, 2u);
    for (auto& [uid, flags] : m_server.flags())
        EXPECT_NE(flags.find("\\Seen"), std::string::npos) << "UID " << uid;
    // Fetching (BODY.PEEK[]) never set \Seen on its own: every look from inside the ingest saw none
    // on the message being stored.
    ASSERT_FALSE(flags_during_ingest.empty());
    EXPECT_EQ(flags_during_ingest[0].find("\\Seen"), std::string::npos);
}

TEST_F(ImapIntegration, MovesStoredMailToAFolderItCreatesWhenMissing)
{
    save(1);
    save(2);
    auto config = mailbox();
    config.after_store = AfterStore::move;
    config.move_to = "Done";  // does not exist: the server answers [TRYCREATE]
    auto p = poller(config);
    auto round = p->poll_once();
    ASSERT_TRUE(round.ok()) << round.error().message;
    EXPECT_EQ(round->ingested, 2u);
    EXPECT_TRUE(m_server.flags("INBOX").empty());
    EXPECT_EQ(m_server.flags("Done").size(), 2u);
}

TEST_F(ImapIntegration, MovesIntoAFolderWithANonAsciiName)
{
    save(1);
    auto config = mailbox();
    config.after_store = AfterStore::move;
    config.move_to = "Обработано";
    auto p = poller(config);
    ASSERT_TRUE(p->poll_once().ok());
    EXPECT_TRUE(m_server.flags("INBOX").empty());
    // doveadm speaks UTF-8 names: the folder has the name the config gave, not mojibake.
    EXPECT_EQ(m_server.flags("Обработано").size(), 1u);
}

TEST_F(ImapIntegration, QuarantinesAHugeMessageAndGoesOnWithTheRest)
{
    save(1);
    ASSERT_TRUE(m_server.save(sample_message("huge@example.org", "huge", std::string(20000, 'x'))));
    save(3);
    auto config = mailbox();
    config.max_message_size = 4096;
    auto p = poller(config);
    auto round = p->poll_once();
    ASSERT_TRUE(round.ok()) << round.error().message;
    EXPECT_EQ(round->ingested, 2u);
    EXPECT_EQ(round->quarantined, 1u);

    auto quarantined = m_pipeline.quarantined();
    ASSERT_EQ(quarantined.size(), 1u);
    EXPECT_NE(quarantined[0].second.find("too_large"), std::string::npos);
    EXPECT_NE(quarantined[0].first.bytes.find("Subject: huge"), std::string::npos);
    EXPECT_EQ(quarantined[0].first.bytes.find("xxxx"), std::string::npos) << "only the header is handed over";
    EXPECT_NE(quarantined[0].first.source_key.find(":2"), std::string::npos);
    auto got = m_pipeline.ingested();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(subject_of(got[1]), "message 3");
    EXPECT_EQ(m_state.get("imap/support/last_uid"), "3");
}

TEST_F(ImapIntegration, IdleBringsNewMailWithoutWaitingForThePollInterval)
{
    auto config = mailbox();
    config.poll_interval = std::chrono::seconds(3600);
    auto p = poller(config);
    {
        std::jthread thread([&](std::stop_token stop) { p->run(stop); });
        ASSERT_TRUE(eventually([&] { return p->status().push; })) << p->status().last_error;
        // The poll interval is an hour, so a message that arrives within the (generous) wait came
        // through IDLE. A failed IDLE reconnects, and the round after that would find the message
        // without IDLE: last_failure (which a success does not clear) says none happened.
        save(1);
        EXPECT_TRUE(eventually([&] { return m_pipeline.ingested().size() == 1; }, 60s)) << p->status().last_error;
        save(2);
        EXPECT_TRUE(eventually([&] { return m_pipeline.ingested().size() == 2; }, 60s)) << p->status().last_error;
        EXPECT_FALSE(p->status().last_failure.has_value()) << p->status().last_error;
        // Leaving the scope requests a stop while the poller sits in IDLE; the join must return.
    }
    EXPECT_FALSE(p->status().connected);
}

class ImapOldServerIntegration : public ImapIntegration {
protected:
    void SetUp() override { start_server(0, k_no_idle_no_move); }
};

TEST_F(ImapOldServerIntegration, PollsWhenTheServerOffersNoIdleAndMovesWithoutMove)
{
    save(1);
    auto config = mailbox();
    config.after_store = AfterStore::move;
    config.move_to = "Archive";
    auto p = poller(config);
    std::jthread thread([&](std::stop_token stop) { p->run(stop); });
    ASSERT_TRUE(eventually([&] { return m_pipeline.ingested().size() == 1; })) << p->status().last_error;
    save(2);
    ASSERT_TRUE(eventually([&] { return m_pipeline.ingested().size() == 2; })) << p->status().last_error;
    EXPECT_FALSE(p->status().push);
    // COPY + \Deleted + UID EXPUNGE (UIDPLUS) did what MOVE would have. The move follows the
    // ingest, so wait for it rather than stop the poller in between.
    EXPECT_TRUE(eventually([&] { return m_server.flags("Archive").size() == 2; }));
    EXPECT_TRUE(m_server.flags("INBOX").empty());
}

TEST_F(ImapIntegration, BacksOffWhileTheServerIsDownAndResumesWhenItIsBack)
{
    save(1);
    auto p = poller(mailbox());
    std::jthread thread([&](std::stop_token stop) { p->run(stop); });
    ASSERT_TRUE(eventually([&] { return m_pipeline.ingested().size() == 1; }));

    m_server.stop();
    ASSERT_TRUE(eventually([&] { return p->status().consecutive_failures >= 2; }, 20s));
    auto down = p->status();
    EXPECT_FALSE(down.last_error.empty());
    EXPECT_TRUE(down.last_failure.has_value());

    ASSERT_TRUE(m_server.restart());
    save(2);
    ASSERT_TRUE(eventually([&] { return m_pipeline.ingested().size() == 2; }, 20s)) << p->status().last_error;
    EXPECT_TRUE(eventually([&] { return p->status().consecutive_failures == 0; }));
    EXPECT_TRUE(p->status().last_error.empty());
}

TEST_F(ImapIntegration, AWrongPasswordIsReportedAsAnAuthError)
{
    auto config = mailbox();
    config.password = "wrong";
    auto p = poller(config);
    auto round = p->poll_once();
    ASSERT_FALSE(round.ok());
    EXPECT_EQ(round.error().code, "imap.auth");
    EXPECT_TRUE(round.error().is(redress::ErrorKind::refused)) << redress::to_string(round.error().kind);
}

TEST_F(ImapIntegration, AStopRequestEndsAConnectionAttemptOrIdleAtOnce)
{
    ImapClientOptions options;
    options.url = m_server.url();
    options.user = "support";
    options.password = "password";
    std::stop_source stop;
    ImapClient client(options, stop.get_token());
    ASSERT_TRUE(client.connect().ok());
    ASSERT_TRUE(client.select("INBOX").ok());
    std::jthread stopper([&] {
        std::this_thread::sleep_for(300ms);
        stop.request_stop();
    });
    // Without the stop this would wait for an hour.
    auto idled = client.idle(std::chrono::hours(1));
    ASSERT_TRUE(idled.ok()) << idled.error().message;
    EXPECT_EQ(*idled, redress::connectors::imap::IdleResult::stopped);
}

class ImapTlsIntegration : public ImapIntegration {
protected:
    void SetUp() override { start_server(redress::testing::free_port()); }

    ImapClientOptions tls_options(bool implicit_tls)
    {
        ImapClientOptions options;
        options.url = implicit_tls ? "imaps://127.0.0.1:" + std::to_string(m_server.tls_port())
                                   : "imap://127.0.0.1:" + std::to_string(m_server.port());
        options.user = "support";
        options.password = "password";
        options.starttls = !implicit_tls;
        options.connect_timeout = 5s;
        return options;
    }
};

TEST_F(ImapTlsIntegration, ImapsWithTheServersCaFileConnects)
{
    auto options = tls_options(true);
    options.ca_file = m_server.ca_file().string();
    ImapClient client(options);
    auto connected = client.connect();
    ASSERT_TRUE(connected.ok()) << connected.error().message;
    EXPECT_TRUE(client.select("INBOX").ok());
}

TEST_F(ImapTlsIntegration, AnUnknownCertificateIsRefusedByDefault)
{
    ImapClient client(tls_options(true));
    auto connected = client.connect();
    ASSERT_FALSE(connected.ok());
    EXPECT_EQ(connected.error().code, "imap.tls");
    EXPECT_TRUE(connected.error().is(redress::ErrorKind::refused)) << redress::to_string(connected.error().kind);
}

TEST_F(ImapTlsIntegration, StartTlsUpgradesThePlainPortBeforeLogin)
{
    save(1);
    auto config = mailbox();
    config.starttls = true;
    config.ca_file = m_server.ca_file().string();
    auto p = poller(config);
    auto round = p->poll_once();
    ASSERT_TRUE(round.ok()) << round.error().message;
    EXPECT_EQ(round->ingested, 1u);
}
