// The daemon's own /healthz and /metrics (daemon/app/status_routes.cpp), read over real HTTP from
// `redress serve` with an "http" section on a loopback port the kernel chose: the counters after
// messages went through, the Prometheus text format, and a mailbox's state as Dovecot comes and goes.

#include "../test_requirements.hpp"
#include "daemon_fixtures.hpp"
#include "daemon_process.hpp"
#include "test_servers.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace redress::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// The config of each test: the embedded defaults plus an HTTP server on port 0 (the daemon logs the
// port it got) and, when given, a mailbox on `dovecot`.
std::string http_config(const DovecotServer* dovecot = nullptr)
{
    std::string json = R"({"company": {"name": "Kettle Shop", "support_address": "Support <support@shop.test>"},)"
                       R"( "http": {"listen": "127.0.0.1:0"})";
    if (dovecot) {
        json += R"(, "mailboxes": [{"name": "support", "url": ")" + dovecot->url() +
                R"(", "user": "support", "password": "password", "after_store": "seen", "idle": true,)"
                R"( "poll_interval": "PT1H"}])";
    }
    return json + "}";
}

// The port from the daemon's "http.listening ... port=N" line, or 0.
int listening_port(const DaemonProcess& daemon)
{
    std::smatch m;
    std::string log = daemon.log();
    if (std::regex_search(log, m, std::regex(R"(http\.listening\b.*\bport=(\d+))")))
        return std::stoi(m[1].str());
    return 0;
}

struct Reply {
    int status = 0;
    std::string content_type;
    std::string body;
};

std::optional<Reply> get(int port, const std::string& path)
{
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    auto res = client.Get(path);
    if (!res)
        return std::nullopt;
    return Reply{res->status, res->get_header_value("Content-Type"), res->body};
}

std::optional<nlohmann::json> healthz(int port)
{
    auto reply = get(port, "/healthz");
    if (!reply || reply->content_type.rfind("application/json", 0) != 0)
        return std::nullopt;
    auto body = nlohmann::json::parse(reply->body, nullptr, false);
    if (body.is_discarded())
        return std::nullopt;
    body["http_status"] = reply->status;
    return body;
}

// A /metrics body read as the Prometheus text format (exposition format 0.0.4): every line is a
// "# HELP name text", a "# TYPE name counter|gauge|..." or a sample "name{label="value",...} number";
// each sample's metric has its TYPE line before it. Returns the problems found, and the samples by
// their name with labels as written.
struct Exposition {
    std::vector<std::string> problems;
    std::map<std::string, double> samples;
    std::map<std::string, std::string> types;
};

Exposition read_exposition(const std::string& body)
{
    static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+)");
    static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
    static const std::regex sample(
        R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*")*\})? (-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?))");
    Exposition e;
    if (body.empty() || body.back() != '\n')
        e.problems.push_back("the body does not end with a line feed");
    std::istringstream in(body);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
        if (std::regex_match(line, m, type)) {
            if (e.types.count(m[1].str()))
                e.problems.push_back("a second TYPE line for " + m[1].str());
            e.types[m[1].str()] = m[2].str();
        } else if (std::regex_match(line, m, help)) {
            continue;
        } else if (std::regex_match(line, m, sample)) {
            if (!e.types.count(m[1].str()))
                e.problems.push_back("a sample before its TYPE line: " + line);
            std::string key = m[1].str() + m[2].str();
            if (e.samples.count(key))
                e.problems.push_back("the same sample twice: " + key);
            e.samples[key] = std::stod(m[3].str());
        } else {
            e.problems.push_back("not a Prometheus text line: \"" + line + "\"");
        }
    }
    return e;
}

// "2026-11-30T09:00:00Z", as the daemon writes times.
bool is_utc_time(const nlohmann::json& value)
{
    return value.is_string() &&
           std::regex_match(value.get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"));
}

std::string join(const std::vector<std::string>& lines)
{
    std::string out;
    for (auto& l : lines)
        out += l + "\n";
    return out;
}

class StatusRoutesDaemon : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_data = m_scratch / "data";
        m_config = m_scratch / "redress.json";
    }

    ScratchDir m_scratch;
    fs::path m_data;
    fs::path m_config;
};

}  // namespace

TEST_F(StatusRoutesDaemon, HealthzAndMetricsCountWhatTheDropFolderBrought)
{
    write_file(m_config, http_config());
    DaemonProcess daemon(m_scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(m_data, m_config)) << daemon.log();
    int port = listening_port(daemon);
    ASSERT_GT(port, 0) << daemon.log();

    // Before any mail: all zero, healthy, no mailboxes.
    auto fresh = healthz(port);
    ASSERT_TRUE(fresh) << daemon.log();
    EXPECT_EQ((*fresh)["http_status"], 200) << fresh->dump(2);
    EXPECT_EQ((*fresh)["status"], "ok") << fresh->dump(2);
    EXPECT_EQ((*fresh)["messages"]["created"], 0) << fresh->dump(2);
    EXPECT_EQ((*fresh)["mailboxes"], nlohmann::json::array()) << fresh->dump(2);
    EXPECT_TRUE(is_utc_time((*fresh)["started_at"])) << fresh->dump(2);

    // A complaint, the same bytes again, a second complaint and an empty file (a copy that failed
    // half-way): two created, one duplicate, one quarantined; each new ticket's acknowledgement
    // goes to the file outbox.
    drop_message(m_data / "inbox", "c1.eml", complaint_message(1, "status"));
    ASSERT_TRUE(daemon.wait_for_log("action=created", 15s)) << daemon.log();
    drop_message(m_data / "inbox", "c1-again.eml", complaint_message(1, "status"));
    ASSERT_TRUE(daemon.wait_for_log("action=duplicate", 15s)) << daemon.log();
    drop_message(m_data / "inbox", "c2.eml", complaint_message(2, "status"));
    ASSERT_TRUE(daemon.wait_for_log("action=created", 15s, 2)) << daemon.log();
    drop_message(m_data / "inbox", "empty.eml", "");
    ASSERT_TRUE(daemon.wait_for_log("message.quarantined", 15s)) << daemon.log();
    auto both_sent = [&] {
        auto h = healthz(port);
        return h && (*h)["letters"]["sent"] == 2;
    };
    ASSERT_TRUE(wait_until(both_sent, 15s, 100ms))
        << (healthz(port) ? healthz(port)->dump(2) : "no /healthz") << daemon.log();

    auto health = healthz(port);
    ASSERT_TRUE(health);
    EXPECT_EQ((*health)["http_status"], 200);
    EXPECT_EQ((*health)["status"], "ok");
    EXPECT_EQ(
        (*health)["messages"],
        (nlohmann::json{
            {"created", 2}, {"updated", 0}, {"recorded", 0}, {"duplicates", 1}, {"quarantined", 1}, {"failed", 0}}))
        << health->dump(2);
    EXPECT_EQ((*health)["letters"], (nlohmann::json{{"sent", 2}, {"retried", 0}, {"failed", 0}})) << health->dump(2);

    auto metrics = get(port, "/metrics");
    ASSERT_TRUE(metrics) << daemon.log();
    EXPECT_EQ(metrics->status, 200);
    // The content type Prometheus asks for (exposition format 0.0.4).
    EXPECT_EQ(metrics->content_type, "text/plain; version=0.0.4") << metrics->content_type;
    auto e = read_exposition(metrics->body);
    EXPECT_TRUE(e.problems.empty()) << join(e.problems) << metrics->body;
    EXPECT_EQ(e.types["redress_messages_total"], "counter") << metrics->body;
    EXPECT_EQ(e.types["redress_letters_total"], "counter") << metrics->body;
    EXPECT_EQ(e.samples[R"(redress_messages_total{outcome="created"})"], 2) << metrics->body;
    EXPECT_EQ(e.samples[R"(redress_messages_total{outcome="duplicate"})"], 1) << metrics->body;
    EXPECT_EQ(e.samples[R"(redress_messages_total{outcome="quarantined"})"], 1) << metrics->body;
    EXPECT_EQ(e.samples[R"(redress_letters_total{result="sent"})"], 2) << metrics->body;
    EXPECT_EQ(e.samples[R"(redress_letters_total{result="failed"})"], 0) << metrics->body;
    // No mailbox configured: no mailbox series.
    for (auto& [key, value] : e.samples)
        EXPECT_EQ(key.rfind("redress_mailbox_", 0), std::string::npos) << key;

    auto missing = get(port, "/nothing-here");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);

    EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
    EXPECT_FALSE(get(port, "/healthz")) << "the HTTP server outlived the daemon";
}

// Mailbox names come from the config and may hold quotes and backslashes; in /metrics they are label
// values, escaped as the text format says, or the scraper rejects the whole page.
TEST_F(StatusRoutesDaemon, MetricsEscapeAMailboxNameWithQuotesAndBackslashes)
{
    const std::string name = "Support \"EU\" \\ desk";
    // Nothing listens on the port: the mailbox exists and fails, and no server is needed.
    nlohmann::json config = nlohmann::json::parse(http_config());
    config["mailboxes"] = nlohmann::json::array({{{"name", name},
                                                  {"url", "imap://127.0.0.1:" + std::to_string(free_port())},
                                                  {"user", "support"},
                                                  {"password", "password"}}});
    write_file(m_config, config.dump());
    DaemonProcess daemon(m_scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(m_data, m_config)) << daemon.log();
    int port = listening_port(daemon);
    ASSERT_GT(port, 0) << daemon.log();

    auto metrics = get(port, "/metrics");
    ASSERT_TRUE(metrics) << daemon.log();
    auto e = read_exposition(metrics->body);
    EXPECT_TRUE(e.problems.empty()) << join(e.problems) << metrics->body;
    EXPECT_EQ(e.samples.count(R"(redress_mailbox_consecutive_failures{mailbox="Support \"EU\" \\ desk"})"), 1u)
        << metrics->body;
    auto health = healthz(port);
    ASSERT_TRUE(health) << daemon.log();
    ASSERT_EQ((*health)["mailboxes"].size(), 1u) << health->dump(2);
    EXPECT_EQ((*health)["mailboxes"][0]["name"], name) << health->dump(2);
    EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
}

TEST_F(StatusRoutesDaemon, AMailboxThatKeepsFailingMakesTheDaemonDegraded)
{
    if (auto why = DovecotServer::unavailable())
        REDRESS_REQUIRE_OR_SKIP(Requirement::servers, *why);
    DovecotServer dovecot;
    ASSERT_TRUE(dovecot.start());
    write_file(m_config, http_config(&dovecot));
    DaemonProcess daemon(m_scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(m_data, m_config)) << daemon.log();
    int port = listening_port(daemon);
    ASSERT_GT(port, 0) << daemon.log();

    // Connected and idling; one message in makes one ticket and counts on the mailbox.
    ASSERT_TRUE(dovecot.save(complaint_message(1, "mailbox")));
    auto mailbox_took_it = [&] {
        auto h = healthz(port);
        return h && (*h)["mailboxes"].size() == 1 && (*h)["mailboxes"][0]["messages_ingested"] == 1 &&
               (*h)["mailboxes"][0]["push"] == true;
    };
    ASSERT_TRUE(wait_until(mailbox_took_it, 30s, 100ms))
        << (healthz(port) ? healthz(port)->dump(2) : "no /healthz") << daemon.log();
    auto up = healthz(port);
    ASSERT_TRUE(up);
    EXPECT_EQ((*up)["http_status"], 200);
    EXPECT_EQ((*up)["status"], "ok");
    const auto& box = (*up)["mailboxes"][0];
    EXPECT_EQ(box["name"], "support") << up->dump(2);
    EXPECT_EQ(box["connected"], true) << up->dump(2);
    EXPECT_EQ(box["consecutive_failures"], 0) << up->dump(2);
    EXPECT_EQ(box["last_error"], "") << up->dump(2);
    EXPECT_TRUE(is_utc_time(box["last_success"])) << up->dump(2);
    EXPECT_EQ((*up)["messages"]["created"], 1) << up->dump(2);
    auto metrics = get(port, "/metrics");
    ASSERT_TRUE(metrics);
    auto e = read_exposition(metrics->body);
    EXPECT_TRUE(e.problems.empty()) << join(e.problems) << metrics->body;
    EXPECT_EQ(e.types["redress_mailbox_consecutive_failures"], "gauge") << metrics->body;
    ASSERT_EQ(e.samples.count(R"(redress_mailbox_consecutive_failures{mailbox="support"})"), 1u) << metrics->body;
    EXPECT_EQ(e.samples[R"(redress_mailbox_consecutive_failures{mailbox="support"})"], 0) << metrics->body;

    // The server goes away: after three failed rounds in a row the daemon reports itself degraded
    // (503, so a load balancer or a monitor sees it), with the mailbox's error.
    dovecot.stop();
    auto degraded = [&] {
        auto h = healthz(port);
        return h && (*h)["http_status"] == 503;
    };
    ASSERT_TRUE(wait_until(degraded, 60s, 200ms))
        << (healthz(port) ? healthz(port)->dump(2) : "no /healthz") << daemon.log();
    auto down = healthz(port);
    ASSERT_TRUE(down);
    EXPECT_EQ((*down)["status"], "degraded");
    EXPECT_GE((*down)["mailboxes"][0]["consecutive_failures"].get<int>(), 3) << down->dump(2);
    EXPECT_EQ((*down)["mailboxes"][0]["connected"], false) << down->dump(2);
    EXPECT_FALSE((*down)["mailboxes"][0]["last_error"].get<std::string>().empty()) << down->dump(2);
    metrics = get(port, "/metrics");
    ASSERT_TRUE(metrics);
    e = read_exposition(metrics->body);
    EXPECT_GE(e.samples[R"(redress_mailbox_consecutive_failures{mailbox="support"})"], 3) << metrics->body;

    EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
}

}  // namespace redress::testing
