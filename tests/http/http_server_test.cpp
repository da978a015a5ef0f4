#include "http/http_server.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

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
