// `redress serve` with http.public_listen: the routes the internet must reach (the chat webhooks,
// the customer pages and their files) on the public address and not on http.listen; the API,
// /metrics and /healthz on http.listen and not on the public address; and without public_listen,
// everything on http.listen. Over real HTTP on loopback ports the kernel chose; a complaint from the
// drop folder is acknowledged with a status link that opens on the public address. Every answer of
// both servers carries the security headers.

#include "daemon_fixtures.hpp"
#include "daemon_process.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <regex>

namespace redress::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

int logged_port(const DaemonProcess& daemon, const std::string& event)
{
    std::smatch m;
    std::string log = daemon.log();
    if (std::regex_search(log, m, std::regex(event + R"(\b.*\bport=(\d+))")))
        return std::stoi(m[1].str());
    return 0;
}

struct Reply {
    int status = 0;
    httplib::Headers headers;
    std::string body;
    std::string header(const std::string& name) const
    {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

Reply call(int port, const std::string& method, const std::string& path)
{
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    auto res = method == "POST" ? client.Post(path, "{}", "application/json") : client.Get(path);
    if (!res)
        return Reply{-1, {}, httplib::to_string(res.error())};
    return Reply{res->status, res->headers, res->body};
}

// Whether a route is there: anything but the router's 404 (a GET on a POST-only route is 405).
bool routed(int port, const std::string& method, const std::string& path)
{
    Reply r = call(port, method, path);
    EXPECT_NE(r.status, -1) << r.body;
    EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff") << method << " " << path;
    EXPECT_TRUE(r.header("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos)
        << method << " " << path;
    EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer") << method << " " << path;
    return r.status != 404 || r.body.find("\"not_found\"") == std::string::npos;
}

class PublicPrivateDaemon : public ::testing::Test {
protected:
    void start(const std::string& http)
    {
        m_data = m_scratch / "data";
        m_config = m_scratch / "redress.json";
        write_file(m_config, R"({"company": {"name": "Kettle Shop", "support_address": "Support <support@shop.test>"},)"
                             R"( "http": )" +
                                 http + "}");
        m_daemon = std::make_unique<DaemonProcess>(m_scratch / "daemon.log");
        ASSERT_TRUE(m_daemon->serve(m_data, m_config)) << m_daemon->log();
        m_private = logged_port(*m_daemon, R"(http\.listening)");
        ASSERT_GT(m_private, 0) << m_daemon->log();
    }

    ScratchDir m_scratch;
    fs::path m_data;
    fs::path m_config;
    std::unique_ptr<DaemonProcess> m_daemon;
    int m_private = 0;
};

TEST_F(PublicPrivateDaemon, ThePublicAddressHasOnlyWhatTheInternetMustReach)
{
    start(R"({"listen": "127.0.0.1:0", "public_listen": "127.0.0.1:0", "public_url": "https://help.shop.test"})");
    int open = logged_port(*m_daemon, R"(http\.public_listening)");
    ASSERT_GT(open, 0) << m_daemon->log();
    ASSERT_NE(open, m_private);

    for (auto [method, path] : std::vector<std::pair<std::string, std::string>>{{"GET", "/complain"},
                                                                                {"GET", "/customer/customer.css"},
                                                                                {"GET", "/status/RD-000001/x"},
                                                                                {"GET", "/survey/RD-000001/x"},
                                                                                {"POST", "/hooks/tg"}}) {
        EXPECT_TRUE(routed(open, method, path)) << "public " << method << " " << path;
        EXPECT_FALSE(routed(m_private, method, path)) << "private " << method << " " << path;
    }
    EXPECT_EQ(call(open, "GET", "/complain").status, 200);
    EXPECT_EQ(call(open, "GET", "/hooks/tg").status, 405);
    for (auto [method, path] : std::vector<std::pair<std::string, std::string>>{{"GET", "/healthz"},
                                                                                {"GET", "/metrics"},
                                                                                {"GET", "/api/v1/openapi.json"},
                                                                                {"GET", "/api/v1/tickets"},
                                                                                {"POST", "/api/v1/session"}}) {
        EXPECT_TRUE(routed(m_private, method, path)) << "private " << method << " " << path;
        EXPECT_FALSE(routed(open, method, path)) << "public " << method << " " << path;
    }
    EXPECT_EQ(call(open, "GET", "/api/v1/tickets").status, 404) << "not even a 401: nothing there";
    EXPECT_EQ(call(m_private, "GET", "/metrics").status, 200);

    // A complaint by mail: its acknowledgement's status link opens on the public address.
    drop_message(m_data / "inbox", "c.eml", complaint_message(1));
    std::string path;
    ASSERT_TRUE(wait_until(
        [&] {
            std::smatch m;
            for (auto& l : letters_in(m_data / "outbox")) {
                std::string body = l.body();
                if (std::regex_search(body, m,
                                      std::regex(R"(https://help\.shop\.test(/status/RD-\d+/[A-Za-z0-9_-]+))"))) {
                    path = m[1].str();
                    return true;
                }
            }
            return false;
        },
        20s))
        << m_daemon->log();
    Reply page = call(open, "GET", path);
    EXPECT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("Complaint RD-"), std::string::npos);
    EXPECT_EQ(call(m_private, "GET", path).status, 404);
    EXPECT_EQ(m_daemon->terminate(), 0);
}

TEST_F(PublicPrivateDaemon, WithoutAPublicAddressEveryRouteIsOnTheOne)
{
    start(R"({"listen": "127.0.0.1:0"})");
    EXPECT_EQ(logged_port(*m_daemon, R"(http\.public_listening)"), 0);
    for (auto [method, path] : std::vector<std::pair<std::string, std::string>>{{"GET", "/complain"},
                                                                                {"GET", "/customer/complain.js"},
                                                                                {"POST", "/hooks/tg"},
                                                                                {"GET", "/healthz"},
                                                                                {"GET", "/metrics"},
                                                                                {"GET", "/api/v1/openapi.json"}})
        EXPECT_TRUE(routed(m_private, method, path)) << method << " " << path;
    EXPECT_EQ(call(m_private, "GET", "/complain").status, 200);
    EXPECT_EQ(m_daemon->terminate(), 0);
}

TEST_F(PublicPrivateDaemon, APublicAddressThatCannotBeHadStopsTheStart)
{
    // 192.0.2.1 (TEST-NET-1, RFC 5737) is no address of this machine: binding to it fails, and no
    // packet is sent anywhere.
    m_config = m_scratch / "redress.json";
    write_file(m_config, R"({"http": {"listen": "127.0.0.1:0", "public_listen": "192.0.2.1:8026"}})");
    DaemonProcess daemon(m_scratch / "daemon.log");
    ASSERT_TRUE(daemon.start({"serve", "--data-dir", (m_scratch / "data").string(), "--config", m_config.string()}));
    EXPECT_EQ(daemon.wait_exit(20s), 2) << daemon.log();
    EXPECT_NE(daemon.log().find("http.public_listen: cannot listen on 192.0.2.1:8026"), std::string::npos)
        << daemon.log();
}

}  // namespace
}  // namespace redress::testing
