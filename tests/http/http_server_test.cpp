#include "http/http_server.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <string>
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

// Sends `head` (a request line and headers, no body) on a fresh connection to the port and returns
// what the server answers, waiting at most two seconds for each part of it ("" when nothing came).
std::string answer_to_head(int port, const std::string& head)
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return "(no socket)";
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval wait{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    std::string answer;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::send(fd, head.data(), head.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(head.size())) {
        // Until the whole answer is in: its head, then as many bytes as its Content-Length says.
        char buffer[4096];
        for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
            answer.append(buffer, static_cast<std::size_t>(n));
            auto end = answer.find("\r\n\r\n");
            auto length = answer.find("Content-Length: ");
            if (end != std::string::npos && length != std::string::npos &&
                answer.size() >= end + 4 + std::stoul(answer.substr(length + 16)))
                break;
        }
    }
    ::close(fd);
    return answer;
}

}  // namespace

TEST(HttpServer, RefusesABodyAnnouncedOverItsPathsLimitBeforeReadingIt)
{
    // One path takes 20 MB (the complaint form's files): the others must not read that much first.
    http::HttpServer server;
    server.set_body_limit(1000);
    std::vector<std::string> told;
    server.on_too_large([&told](const http::Request& r) { told.push_back(r.path); });
    auto ok = [](const http::Request&) { return http::Response{200, "text/plain", "ok"}; };
    server.route("POST", "/hooks/{chat}", ok);
    server.route("POST", "/complain", ok);
    server.set_body_limit("/complain", 20'000'000, [](const http::Request& r) {
        return http::Response{200, "text/html", "<p>too much for " + r.path + "</p>"};
    });
    ASSERT_TRUE(server.start("127.0.0.1:0").ok());

    // Content-Length says 5 MB and no byte of the body is sent: the answer comes at once all the same.
    std::string hook =
        answer_to_head(server.port(), "POST /hooks/tg HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                      "Content-Type: application/json\r\nContent-Length: 5000000\r\n\r\n");
    EXPECT_TRUE(hook.starts_with("HTTP/1.1 413")) << "answered: " << hook;
    EXPECT_NE(hook.find("http.too_large"), std::string::npos) << hook;
    // The form's own refusal, for a body over even its limit.
    std::string form = answer_to_head(server.port(), "POST /complain HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                     "Content-Type: text/plain\r\nContent-Length: 30000000\r\n\r\n");
    EXPECT_TRUE(form.starts_with("HTTP/1.1 413")) << "answered: " << form;
    EXPECT_NE(form.find("too much for /complain"), std::string::npos) << form;
    EXPECT_EQ(told, (std::vector<std::string>{"/hooks/tg", "/complain"}));

    // Under its path's limit, a body is still read and routed.
    httplib::Client client("127.0.0.1", server.port());
    auto small = client.Post("/hooks/tg", std::string(900, 'x'), "application/json");
    ASSERT_TRUE(small);
    EXPECT_EQ(small->status, 200);
    auto form_body = client.Post("/complain", std::string(5000, 'x'), "text/plain");
    ASSERT_TRUE(form_body);
    EXPECT_EQ(form_body->status, 200);
}
