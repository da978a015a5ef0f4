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
