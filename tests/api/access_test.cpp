// The API's front door without sockets: who may call which route (api::access_of) and the
// authentication hook over a real PeopleService on a scratch SQLite store (tokens, the session
// cookie and its CSRF header, roles).

#include "api/access.hpp"
#include "http/router.hpp"
#include "service/people.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

using namespace redress;
using api::Access;
using api::access_of;

namespace {

TEST(ApiAccess, OpensOnlySignInTheDocumentAndThePagesWithoutALogin)
{
    EXPECT_EQ(access_of("POST", "/api/v1/session"), Access::open);
    EXPECT_EQ(access_of("GET", "/api/v1/openapi.json"), Access::open);
    EXPECT_EQ(access_of("GET", "/survey/{number}/{signature}"), Access::open);
    EXPECT_EQ(access_of("POST", "/status/{number}/{signature}"), Access::open);
    EXPECT_EQ(access_of("POST", "/complain"), Access::open);
    // A chat webhook is authenticated by its signature (connectors/chat_in), not by a token.
    EXPECT_EQ(access_of("POST", "/hooks/{chat}"), Access::open);
    EXPECT_EQ(access_of("GET", "/healthz"), Access::open);
    EXPECT_EQ(access_of("DELETE", "/api/v1/session"), Access::agent);
    EXPECT_EQ(access_of("GET", "/api/v1/tickets"), Access::agent);
    EXPECT_EQ(access_of("POST", "/api/v1/tickets/{number}/{step}"), Access::agent);
    EXPECT_EQ(access_of("GET", "/api/v1/templates/{lang}/{name}"), Access::agent);
    EXPECT_EQ(access_of("POST", "/api/v1/templates/preview"), Access::agent);
    EXPECT_EQ(access_of("PUT", "/api/v1/templates/{lang}/{name}"), Access::manager);
    EXPECT_EQ(access_of("POST", "/api/v1/templates/{lang}/{name}/restore"), Access::manager);
    EXPECT_EQ(access_of("GET", "/api/v1/config/workflow"), Access::manager);
    EXPECT_EQ(access_of("GET", "/api/v1/people"), Access::owner);
    EXPECT_EQ(access_of("POST", "/api/v1/people/{name}/tokens"), Access::owner);
    EXPECT_EQ(access_of("DELETE", "/api/v1/tokens/{id}"), Access::owner);
    EXPECT_EQ(access_of("POST", "/api/v1/people/{name}/password"), Access::agent);
}

TEST(ApiAccess, ReadsOneCookieAmongSeveral)
{
    http::Request r;
    r.headers.emplace("Cookie", "theme=dark; redress_session=abc-123_x; other=1");
    EXPECT_EQ(api::cookie_value(r, "redress_session"), "abc-123_x");
    EXPECT_EQ(api::cookie_value(r, "theme"), "dark");
    EXPECT_FALSE(api::cookie_value(r, "redress"));
}

class AuthenticateHook : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir =
            std::filesystem::temp_directory_path() / ("redress-access-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
        auto opened = store::SqliteStore::open(m_dir / "redress.db");
        ASSERT_TRUE(opened) << opened.error().message;
        m_store = std::move(opened).value();
        m_people = std::make_unique<service::PeopleService>(*m_store, m_clock, auth::ScryptCost{1u << 4, 1, 1});
        ASSERT_TRUE(m_people->add_user("ann", Role::agent, "correct horse battery"));
        ASSERT_TRUE(m_people->add_user("olga", Role::owner, "the owner's password"));
        m_agent_token = m_people->create_token("ann", "test")->secret;
    }
    void TearDown() override
    {
        m_people.reset();
        m_store.reset();
        std::filesystem::remove_all(m_dir);
    }

    http::Request request(std::string method, std::string route)
    {
        http::Request r;
        r.method = std::move(method);
        r.route = std::move(route);
        r.path = r.route;
        return r;
    }

    std::filesystem::path m_dir;
    ManualTimeSource m_clock{*parse_iso8601("2026-12-01T09:00:00Z")};
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<service::PeopleService> m_people;
    std::string m_agent_token;
};

TEST_F(AuthenticateHook, AsksForCredentialsWithABearerChallenge)
{
    auto r = request("GET", "/api/v1/tickets");
    auto answer = api::authenticate(r, *m_people);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 401);
    auto challenge = std::find_if(answer->headers.begin(), answer->headers.end(),
                                  [](const auto& h) { return h.first == "WWW-Authenticate"; });
    ASSERT_NE(challenge, answer->headers.end());
    EXPECT_TRUE(challenge->second.starts_with("Bearer")) << challenge->second;

    auto bad = request("GET", "/api/v1/tickets");
    bad.headers.emplace("Authorization", "Bearer " + m_agent_token + "x");
    auto refused = api::authenticate(bad, *m_people);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401);
    EXPECT_EQ(refused->body.find(m_agent_token), std::string::npos);
}

TEST_F(AuthenticateHook, LetsATokenThroughAndNamesThePerson)
{
    auto r = request("GET", "/api/v1/tickets");
    r.headers.emplace("Authorization", "Bearer " + m_agent_token);
    EXPECT_FALSE(api::authenticate(r, *m_people));
    EXPECT_EQ(api::actor_of(r).name, "ann");
    EXPECT_EQ(api::actor_of(r).role, Role::agent);
}

TEST_F(AuthenticateHook, RefusesTheWrongRoleWith403)
{
    auto r = request("GET", "/api/v1/people");
    r.headers.emplace("Authorization", "Bearer " + m_agent_token);
    auto answer = api::authenticate(r, *m_people);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 403);
    EXPECT_NE(answer->body.find("owner"), std::string::npos) << answer->body;
}

TEST_F(AuthenticateHook, ACookieNeedsItsCsrfTokenToChangeAnything)
{
    auto session = m_people->sign_in("olga", "the owner's password", "127.0.0.1");
    ASSERT_TRUE(session);
    std::string cookie = "redress_session=" + session->cookie;

    auto read = request("GET", "/api/v1/people");
    read.headers.emplace("Cookie", cookie);
    EXPECT_FALSE(api::authenticate(read, *m_people));

    auto change = request("POST", "/api/v1/people");
    change.headers.emplace("Cookie", cookie);
    auto refused = api::authenticate(change, *m_people);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 403);
    EXPECT_NE(refused->body.find("auth.csrf"), std::string::npos);

    change.headers.emplace("X-CSRF-Token", session->session.csrf);
    EXPECT_FALSE(api::authenticate(change, *m_people));
    EXPECT_EQ(api::actor_of(change).name, "olga");

    ASSERT_TRUE(m_people->sign_out(session->cookie));
    auto after = request("GET", "/api/v1/people");
    after.headers.emplace("Cookie", cookie);
    auto ended = api::authenticate(after, *m_people);
    ASSERT_TRUE(ended);
    EXPECT_EQ(ended->status, 401);
}

TEST(RouterAttributes, AreWrittenOnlyByHooksNeverCarriedInFromOutside)
{
    http::Router router;
    router.route("GET", "/x", [](const http::Request& r) {
        return http::Response{200, "text/plain", api::actor_of(r).name};
    });
    http::Request r;
    r.method = "GET";
    r.path = "/x";
    r.attributes["user"] = "olga";
    EXPECT_EQ(router.dispatch(r).body, "system");
}

}  // namespace
