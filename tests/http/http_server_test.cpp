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
