#include "http/http_server.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

using namespace redress;

TEST(HttpServer, ServesARouteOnAnEphemeralLoopbackPortAndStops)
{
    http::HttpServer server;
    server.get("/healthz", [] { return http::Response{200, "application/json", R"({"status":"ok"})"}; });
    auto started = server.start("127.0.0.1:0");
    ASSERT_TRUE(started.ok()) << started.error().message;
    ASSERT_GT(server.port(), 0);
    httplib::Client client("127.0.0.1", server.port());
    auto res = client.Get("/healthz");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, R"({"status":"ok"})");
    auto missing = client.Get("/nothing");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);
    server.stop();
    EXPECT_FALSE(client.Get("/healthz"));
}

TEST(HttpServer, RefusesAListenAddressWithoutAPort)
{
    http::HttpServer server;
    auto r = server.start("localhost");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("host:port"), std::string::npos);
}

TEST(HttpServer, PassesMethodBodyHeadersQueryAndParametersToTheRoute)
{
    http::HttpServer server;
    server.route("POST", "/api/v1/tickets/{number}/{step}", [](const http::Request& r) {
        std::string text = r.method + " " + r.param("number") + " " + r.param("step") + " " + r.body + " " +
                           r.header("X-Test").value_or("-") + " " + r.query_value("preview").value_or("-");
        return http::Response{201, "text/plain", text}.with_header("ETag", "\"7\"");
    });
    ASSERT_TRUE(server.start("127.0.0.1:0").ok());
    httplib::Client client("127.0.0.1", server.port());
    auto res = client.Post("/api/v1/tickets/RD-000001/take?preview=1", httplib::Headers{{"x-test", "yes"}}, "{}",
                           "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 201);
    EXPECT_EQ(res->body, "POST RD-000001 take {} yes 1");
    EXPECT_EQ(res->get_header_value("ETag"), "\"7\"");
    auto wrong_method = client.Get("/api/v1/tickets/RD-000001/take");
    ASSERT_TRUE(wrong_method);
    EXPECT_EQ(wrong_method->status, 405);
}

TEST(HttpServer, RefusesABodyOverTheLimit)
{
    http::HttpServer server;
    server.set_body_limit(1000);
    server.route("POST", "/hooks/{chat}", [](const http::Request&) { return http::Response{200, "text/plain", "ok"}; });
    ASSERT_TRUE(server.start("127.0.0.1:0").ok());
    httplib::Client client("127.0.0.1", server.port());
    auto small = client.Post("/hooks/tg", std::string(900, 'x'), "application/json");
    ASSERT_TRUE(small);
    EXPECT_EQ(small->status, 200);
    auto big = client.Post("/hooks/tg", std::string(5000, 'x'), "application/json");
    ASSERT_TRUE(big);
    EXPECT_EQ(big->status, 413);
}

TEST(HttpServer, EveryAnswerCarriesTheSecurityHeaders)
{
    http::HttpServer server;
    server.set_body_limit(100);
    server.get("/page", [] { return http::Response{200, "text/html", "<p>x</p>"}; });
    ASSERT_TRUE(server.start("127.0.0.1:0").ok());
    httplib::Client client("127.0.0.1", server.port());
    std::vector<httplib::Result> answers;
    answers.push_back(client.Get("/page"));
    answers.push_back(client.Get("/nothing"));                                      // 404 from the router
    answers.push_back(client.Post("/page", "{}", "application/json"));              // 405
    answers.push_back(client.Post("/page", std::string(5000, 'x'), "text/plain"));  // 413 from the server
    for (auto& res : answers) {
        ASSERT_TRUE(res);
        EXPECT_EQ(res->get_header_value("Content-Security-Policy"),
                  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
            << res->status;
        EXPECT_EQ(res->get_header_value_count("Content-Security-Policy"), 1u) << res->status;
        EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << res->status;
        EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer") << res->status;
    }
    EXPECT_EQ(answers[3]->status, 413);
}

TEST(HttpServer, APathMayTakeALargerBodyAndAnswerItsOwnRefusal)
{
    http::HttpServer server;
    server.set_body_limit(1000);
    auto size = [](const http::Request& r) {
        std::size_t bytes = r.body.size();
        for (const auto& p : r.parts)
            bytes += p.content.size();
        return http::Response{200, "text/plain", std::to_string(bytes) + " " + std::to_string(r.parts.size())};
    };
    server.route("POST", "/complain", size);
    server.route("POST", "/other", size);
    server.set_body_limit("/complain", 20000, [](const http::Request& r) {
        return http::Response{200, "text/html", "<p>too much for " + r.path + "</p>"};
    });
    ASSERT_TRUE(server.start("127.0.0.1:0").ok());
    httplib::Client client("127.0.0.1", server.port());

    // Files arrive as parts, in multipart/form-data.
    httplib::MultipartFormDataItems items{{"details", "It broke", "", ""},
                                          {"files", std::string(9000, 'a'), "a.jpg", "image/jpeg"}};
    auto form = client.Post("/complain", items);
    ASSERT_TRUE(form);
    EXPECT_EQ(form->status, 200);
    EXPECT_EQ(form->body, "9008 2");
    // The same body is too large elsewhere.
    auto other = client.Post("/other", items);
    ASSERT_TRUE(other);
    EXPECT_EQ(other->status, 413);
    // Over the path's own limit: its own answer, with 413.
    httplib::MultipartFormDataItems huge{{"files", std::string(30000, 'a'), "a.jpg", "image/jpeg"}};
    auto refused = client.Post("/complain", huge);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 413);
    EXPECT_EQ(refused->body, "<p>too much for /complain</p>");
    EXPECT_EQ(refused->get_header_value("X-Content-Type-Options"), "nosniff");
}

namespace {

// A client on a plain socket, for what httplib's client does not do: send a head without its body,
// send a body in pieces, and read the answer while the body is still being sent.
class RawConnection {
public:
    explicit RawConnection(int port)
        : m_fd(::socket(AF_INET, SOCK_STREAM, 0))
    {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        timeval wait{2, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
        ::setsockopt(m_fd, SOL_SOCKET, SO_SNDTIMEO, &wait, sizeof wait);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    }
    ~RawConnection() { ::close(m_fd); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    bool connected() const { return m_connected; }

    // False once a send fails; `last_error` says why (EPIPE or ECONNRESET: the server closed).
    bool send(std::string_view bytes)
    {
        while (!bytes.empty()) {
            ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0) {
                last_error = errno;
                return false;
            }
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }

    // Sends `total` bytes of a body in pieces of 64 KiB, each a chunk of its own when `chunked`;
    // returns how many went out before a send failed.
    std::size_t send_body(std::size_t total, bool chunked)
    {
        const std::string piece(64 * 1024, 'x');
        std::size_t sent = 0;
        while (sent < total) {
            std::string_view part(piece.data(), std::min(piece.size(), total - sent));
            bool ok = chunked ? send(chunk_size(part.size())) && send(part) && send("\r\n") : send(part);
            if (!ok)
                return sent;
            sent += part.size();
        }
        return sent;
    }

    static std::string chunk_size(std::size_t size)
    {
        char digits[32];
        auto end = std::to_chars(digits, digits + sizeof digits, size, 16).ptr;
        return std::string(digits, end) + "\r\n";
    }

    // The answer's head and as much of its body as its Content-Length says; what came when nothing
    // more comes within two seconds.
    std::string answer()
    {
        std::string answer;
        char buffer[4096];
        for (ssize_t n; (n = ::recv(m_fd, buffer, sizeof buffer, 0)) > 0;) {
            answer.append(buffer, static_cast<std::size_t>(n));
            auto end = answer.find("\r\n\r\n");
            auto length = answer.find("Content-Length: ");
            if (end != std::string::npos && length != std::string::npos &&
                answer.size() >= end + 4 + std::stoul(answer.substr(length + 16)))
                break;
        }
        return answer;
    }

    // What one read brings.
    std::string read_some()
    {
        char buffer[4096];
        ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
    }

    int last_error = 0;

private:
    int m_fd;
    bool m_connected = false;
};

// A server like the daemon's: 1000 bytes for every path but the form, which takes 20 MB.
struct LimitedServer {
    http::HttpServer server;
    std::vector<std::string> refused;

    LimitedServer()
    {
        server.set_body_limit(1000);
        server.on_too_large([this](const http::Request& r) { refused.push_back(r.path); });
        auto echo = [](const http::Request& r) { return http::Response{200, "text/plain", "got " + r.body}; };
        server.route("POST", "/hooks/{chat}", echo);
        server.route("POST", "/complain", echo);
        server.set_body_limit("/complain", 20'000'000, [](const http::Request& r) {
            return http::Response{200, "text/html", "<p>too much for " + r.path + "</p>"};
        });
    }
};

std::string head(const std::string& path, const std::string& fields)
{
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + fields + "\r\n";
}

constexpr std::size_t k_fifty_megabytes = 50'000'000;

}  // namespace

TEST(HttpServer, RefusesABodyAnnouncedOverItsPathsLimitBeforeReadingIt)
{
    LimitedServer s;
    ASSERT_TRUE(s.server.start("127.0.0.1:0").ok());

    // Content-Length says 50 MB and no byte of the body is sent: the answer comes at once all the same.
    RawConnection hook(s.server.port());
    ASSERT_TRUE(hook.connected());
    ASSERT_TRUE(hook.send(head("/hooks/tg", "Content-Length: 50000000\r\n")));
    std::string answer = hook.answer();
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 413")) << "answered: " << answer;
    EXPECT_NE(answer.find("http.too_large"), std::string::npos) << answer;
    EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
    // The client that sends its body all the same is cut off long before 50 MB: the server reads
    // and drops a little of it and closes.
    std::size_t sent = hook.send_body(k_fifty_megabytes, false);
    EXPECT_LT(sent, k_fifty_megabytes);
    EXPECT_TRUE(hook.last_error == EPIPE || hook.last_error == ECONNRESET) << std::strerror(hook.last_error);

    // The form's own refusal, for a body over even its limit.
    RawConnection form(s.server.port());
    ASSERT_TRUE(form.send(head("/complain", "Content-Length: 30000000\r\n")));
    answer = form.answer();
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 413")) << "answered: " << answer;
    EXPECT_NE(answer.find("too much for /complain"), std::string::npos) << answer;
    EXPECT_EQ(s.refused, (std::vector<std::string>{"/hooks/tg", "/complain"}));

    // Under its path's limit, a body is still read and routed, on one kept-alive connection.
    httplib::Client client("127.0.0.1", s.server.port());
    auto small = client.Post("/hooks/tg", std::string(900, 'x'), "application/json");
    ASSERT_TRUE(small);
    EXPECT_EQ(small->status, 200);
    auto form_body = client.Post("/complain", std::string(5000, 'x'), "text/plain");
    ASSERT_TRUE(form_body);
    EXPECT_EQ(form_body->status, 200);
    EXPECT_EQ(form_body->body, "got " + std::string(5000, 'x'));
}

TEST(HttpServer, AClientThatSendsItsWholeBodyBeforeReadingReadsTheRefusal)
{
    // Most clients (httplib's, the chat platforms') send the whole body before they read: the
    // server refuses on the head, then reads and drops the body so that the answer is not lost to
    // a reset connection.
    http::HttpServer server;
    server.route("POST", "/hooks/{chat}", [](const http::Request&) { return http::Response{200, "text/plain", "ok"}; });
    ASSERT_TRUE(server.start("127.0.0.1:0").ok());
    for (int round = 0; round < 5; ++round) {
        httplib::Client client("127.0.0.1", server.port());
        auto refused = client.Post("/hooks/tg", std::string(1024 * 1024 + 10, 'x'), "application/json");
        ASSERT_TRUE(refused) << "round " << round << ": " << httplib::to_string(refused.error());
        EXPECT_EQ(refused->status, 413);
        // A new connection after the refusal is served as usual.
        auto next = client.Post("/hooks/tg", "{}", "application/json");
        ASSERT_TRUE(next);
        EXPECT_EQ(next->status, 200);
    }
}

TEST(HttpServer, AChunkedBodyIsReadNoFurtherThanItsPathsLimit)
{
    LimitedServer s;
    ASSERT_TRUE(s.server.start("127.0.0.1:0").ok());

    // Under the limit: read and routed.
    RawConnection small(s.server.port());
    ASSERT_TRUE(
        small.send(head("/hooks/tg", "Transfer-Encoding: chunked\r\n") + "5\r\nhello\r\n3\r\n!!!\r\n0\r\n\r\n"));
    std::string answer = small.answer();
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << answer;
    EXPECT_TRUE(answer.ends_with("got hello!!!")) << answer;

    // Over it: refused once the limit is passed, and the rest is not read.
    RawConnection large(s.server.port());
    ASSERT_TRUE(large.send(head("/hooks/tg", "Transfer-Encoding: chunked\r\n")));
    ASSERT_EQ(large.send_body(64 * 1024, true), 64 * 1024);
    answer = large.answer();
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 413")) << "answered: " << answer;
    EXPECT_NE(answer.find("http.too_large"), std::string::npos) << answer;
    std::size_t sent = large.send_body(k_fifty_megabytes, true);
    EXPECT_LT(sent, k_fifty_megabytes);
    EXPECT_TRUE(large.last_error == EPIPE || large.last_error == ECONNRESET) << std::strerror(large.last_error);
    EXPECT_EQ(s.refused, std::vector<std::string>{"/hooks/tg"});
}

TEST(HttpServer, AClientThatAsksBeforeSendingIsRefusedWithoutContinue)
{
    LimitedServer s;
    ASSERT_TRUE(s.server.start("127.0.0.1:0").ok());
    RawConnection over(s.server.port());
    ASSERT_TRUE(over.send(head("/hooks/tg", "Content-Length: 5000\r\nExpect: 100-continue\r\n")));
    std::string answer = over.answer();
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 413")) << "answered: " << answer;

    RawConnection under(s.server.port());
    ASSERT_TRUE(under.send(head("/hooks/tg", "Content-Length: 2\r\nExpect: 100-continue\r\n")));
    EXPECT_TRUE(under.read_some().starts_with("HTTP/1.1 100 Continue\r\n\r\n"));
    ASSERT_TRUE(under.send("{}"));
    answer = under.answer();
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << answer;
    EXPECT_TRUE(answer.ends_with("got {}")) << answer;
    EXPECT_EQ(s.refused, std::vector<std::string>{"/hooks/tg"});
}

TEST(HttpServer, AnEndlessRequestLineIsRefusedWithoutReadingIt)
{
    LimitedServer s;
    ASSERT_TRUE(s.server.start("127.0.0.1:0").ok());
    RawConnection endless(s.server.port());
    ASSERT_TRUE(endless.connected());
    // A request line that never ends: past 8 KiB the server answers 414 and reads no further.
    ASSERT_TRUE(endless.send("GET /"));
    ASSERT_EQ(endless.send_body(16 * 1024, false), 16 * 1024);
    std::string answer = endless.answer();
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 414")) << "answered: " << answer;
    EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
    // The client that goes on sending is cut off long before 50 MB.
    std::size_t sent = endless.send_body(k_fifty_megabytes, false);
    EXPECT_LT(sent, k_fifty_megabytes);
    EXPECT_TRUE(endless.last_error == EPIPE || endless.last_error == ECONNRESET) << std::strerror(endless.last_error);

    // The next client is served as usual, a long field of its head included.
    httplib::Client client("127.0.0.1", s.server.port());
    auto next = client.Post("/hooks/tg", {{"X-Long", std::string(7000, 'y')}}, "{}", "application/json");
    ASSERT_TRUE(next);
    EXPECT_EQ(next->status, 200);
}

TEST(HttpServer, AnEndlessHeaderFieldIsRefusedWithoutReadingIt)
{
    LimitedServer s;
    ASSERT_TRUE(s.server.start("127.0.0.1:0").ok());
    RawConnection endless(s.server.port());
    ASSERT_TRUE(endless.send("POST /hooks/tg HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Endless: "));
    ASSERT_EQ(endless.send_body(16 * 1024, false), 16 * 1024);
    std::string answer = endless.answer();
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 431")) << "answered: " << answer;
    std::size_t sent = endless.send_body(k_fifty_megabytes, false);
    EXPECT_LT(sent, k_fifty_megabytes);
    EXPECT_TRUE(endless.last_error == EPIPE || endless.last_error == ECONNRESET) << std::strerror(endless.last_error);
    EXPECT_TRUE(s.refused.empty());
}

TEST(HttpServer, EndlesslyManyHeaderFieldsAreRefusedPastTheHeadsLimit)
{
    LimitedServer s;
    ASSERT_TRUE(s.server.start("127.0.0.1:0").ok());
    RawConnection many(s.server.port());
    ASSERT_TRUE(many.send("POST /hooks/tg HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    // Short fields, 100 KiB of them in all: each line is within its limit, the head is not.
    const std::string field = "X-Field: " + std::string(90, 'z') + "\r\n";
    bool sent_all = true;
    for (int i = 0; i < 1000 && sent_all; ++i)
        sent_all = many.send(field);
    std::string answer = many.answer();
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 431")) << "answered: " << answer;
    std::size_t sent = many.send_body(k_fifty_megabytes, false);
    EXPECT_LT(sent, k_fifty_megabytes);
}

TEST(HttpServer, AnEndlessChunkSizeLineIsNotRead)
{
    LimitedServer s;
    ASSERT_TRUE(s.server.start("127.0.0.1:0").ok());
    RawConnection endless(s.server.port());
    ASSERT_TRUE(endless.send(head("/hooks/tg", "Transfer-Encoding: chunked\r\n")));
    ASSERT_TRUE(endless.send(std::string(16 * 1024, 'f')));
    std::string answer = endless.answer();
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400")) << "answered: " << answer;
    EXPECT_NE(answer.find("http.bad_body"), std::string::npos) << answer;
    std::size_t sent = endless.send_body(k_fifty_megabytes, false);
    EXPECT_LT(sent, k_fifty_megabytes);
}

TEST(HttpServer, RefusedClientsThatHoldTheirConnectionsDoNotStarveTheOthers)
{
    LimitedServer s;
    ASSERT_TRUE(s.server.start("127.0.0.1:0").ok());
    // More refused connections than the server has threads, each left open without its body: a
    // lingering close would wait for each up to five seconds. Only a few linger; the rest close.
    std::vector<std::unique_ptr<RawConnection>> refused;
    for (int i = 0; i < 12; ++i) {
        refused.push_back(std::make_unique<RawConnection>(s.server.port()));
        ASSERT_TRUE(refused.back()->send(head("/hooks/tg", "Content-Length: 50000000\r\n")));
        std::string answer = refused.back()->answer();
        ASSERT_TRUE(answer.starts_with("HTTP/1.1 413")) << "connection " << i << " answered: " << answer;
    }
    // A client that waits at most two seconds is still served while they hold on.
    httplib::Client client("127.0.0.1", s.server.port());
    client.set_read_timeout(2);
    auto served = client.Post("/hooks/tg", "{}", "application/json");
    ASSERT_TRUE(served) << httplib::to_string(served.error());
    EXPECT_EQ(served->status, 200);
}
