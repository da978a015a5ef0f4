#include "http/router.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <stdexcept>

using namespace redress;
using redress::http::Request;
using redress::http::Response;

namespace {

Request request(std::string method, std::string path)
{
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    return r;
}

}  // namespace

TEST(MatchRoute, FillsPathParametersAndDecodesEscapes)
{
    auto p = http::match_route("/api/v1/tickets/{number}/{step}", "/api/v1/tickets/RD%2D000001/take");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->at("number"), "RD-000001");
    EXPECT_EQ(p->at("step"), "take");
}

TEST(MatchRoute, RefusesOtherShapesAndEmptyParameters)
{
    EXPECT_FALSE(http::match_route("/api/v1/tickets/{number}", "/api/v1/tickets/"));
    EXPECT_FALSE(http::match_route("/api/v1/tickets/{number}", "/api/v1/tickets/RD-1/take"));
    EXPECT_FALSE(http::match_route("/api/v1/tickets", "/api/v1/ticket"));
    EXPECT_TRUE(http::match_route("/healthz", "/healthz"));
}

TEST(Router, DispatchesByMethodAndPattern)
{
    http::Router router;
    router.route("GET", "/tickets/{number}", [](const Request& r) {
        return Response{200, "text/plain", "show " + r.param("number")};
    });
    router.route("POST", "/tickets/{number}/{step}", [](const Request& r) {
        return Response{200, "text/plain", r.param("step") + " " + r.param("number")};
    });
    EXPECT_EQ(router.dispatch(request("GET", "/tickets/RD-7")).body, "show RD-7");
    EXPECT_EQ(router.dispatch(request("POST", "/tickets/RD-7/take")).body, "take RD-7");
    // HEAD is answered as GET.
    EXPECT_EQ(router.dispatch(request("HEAD", "/tickets/RD-7")).status, 200);
}

TEST(Router, AnswersNotFoundAndMethodNotAllowedAsJson)
{
    http::Router router;
    router.route("GET", "/tickets", [](const Request&) { return Response{}; });
    Response missing = router.dispatch(request("GET", "/nothing"));
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(nlohmann::json::parse(missing.body)["error"], "not_found");
    Response wrong = router.dispatch(request("DELETE", "/tickets"));
    EXPECT_EQ(wrong.status, 405);
    ASSERT_EQ(wrong.headers.size(), 1u);
    EXPECT_EQ(wrong.headers[0].first, "Allow");
    EXPECT_EQ(wrong.headers[0].second, "GET");
}

TEST(Router, HooksSeeTheRouteAndMayAnswerFirst)
{
    http::Router router;
    std::string seen;
    router.route("GET", "/api/v1/me", [](const Request&) { return Response{200, "application/json", "{}"}; });
    router.route("GET", "/healthz", [](const Request&) { return Response{200, "application/json", "ok"}; });
    router.before([&](Request& r) -> std::optional<Response> {
        seen = r.route;
        if (r.route.starts_with("/api/") && !r.header("authorization"))
            return http::error_response(401, "unauthorized", "Sign in first.");
        return std::nullopt;
    });
    EXPECT_EQ(router.dispatch(request("GET", "/api/v1/me")).status, 401);
    EXPECT_EQ(seen, "/api/v1/me");
    Request signed_in = request("GET", "/api/v1/me");
    signed_in.headers.emplace("Authorization", "Bearer x");  // header names compare without case
    EXPECT_EQ(router.dispatch(signed_in).status, 200);
    EXPECT_EQ(router.dispatch(request("GET", "/healthz")).status, 200);
}

TEST(Router, AHandlerThatThrowsAnswers500WithoutItsText)
{
    http::Router router;
    router.route("GET", "/boom", [](const Request&) -> Response { throw std::runtime_error("secret detail"); });
    Response r = router.dispatch(request("GET", "/boom"));
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body.find("secret detail"), std::string::npos);
}
