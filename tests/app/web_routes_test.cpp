// The staff page's files (daemon/app/web_routes.cpp) through the router, without sockets: each file
// of the folder by its own path with its type and the page's security headers, revalidation by
// ETag, index.html at / and at a ticket's link, and nothing outside the folder: no "..", no hidden
// files, no symlinks, no names the router would read as parameters.

#include "app/web_routes.hpp"
#include "http/router.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace redress::app {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& path, const std::string& text)
{
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

std::string header(const http::Response& r, const std::string& name)
{
    for (const auto& [n, v] : r.headers)
        if (n == name)
            return v;
    return {};
}

class WebRoutes : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_root = fs::temp_directory_path() / ("redress-web-" + std::to_string(::getpid()) + "-" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_root);
        write(m_root / "web/index.html", "<!doctype html><title>Redress</title>");
        write(m_root / "web/app.css", "body { margin: 0; }");
        write(m_root / "web/js/app.js", "export const a = 1;");
        write(m_root / "web/.secret.js", "hidden");
        write(m_root / "web/.git/config", "[core]");
        write(m_root / "web/{name}.js", "a parameter in disguise");
        write(m_root / "web/notes.md", "not a type the page is made of");
        write(m_root / "outside.js", "outside the folder");
        fs::create_symlink(m_root / "outside.js", m_root / "web/js/link.js");
        fs::create_directory_symlink(m_root, m_root / "web/up");
        m_files = add_web_routes(m_router, m_root / "web");
    }
    void TearDown() override { fs::remove_all(m_root); }

    http::Response get(const std::string& path, http::Headers headers = {})
    {
        http::Request r;
        r.method = "GET";
        r.path = path;
        r.headers = std::move(headers);
        return m_router.dispatch(r);
    }

    fs::path m_root;
    http::Router m_router;
    int m_files = 0;
};

TEST_F(WebRoutes, ServesEachFileWithItsTypeAndCacheHeaders)
{
    EXPECT_EQ(m_files, 3);
    auto page = get("/");
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(page.body, "<!doctype html><title>Redress</title>");
    EXPECT_EQ(header(page, "Cache-Control"), "no-cache");
    EXPECT_EQ(get("/index.html").body, page.body);
    EXPECT_EQ(get("/tickets/RD-000123").body, page.body) << "the link in staff letters opens the page";

    EXPECT_EQ(get("/js/app.js").content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(get("/app.css").content_type, "text/css; charset=utf-8");
}

TEST_F(WebRoutes, AnswersNotModifiedToTheETagItGave)
{
    auto first = get("/app.css");
    std::string etag = header(first, "ETag");
    ASSERT_FALSE(etag.empty());
    auto again = get("/app.css", {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(get("/app.css", {{"If-None-Match", "\"other\""}}).status, 200);

    // An edited file shows on the next load, with a new ETag.
    write(m_root / "web/app.css", "body { margin: 1px; }");
    auto edited = get("/app.css", {{"If-None-Match", etag}});
    EXPECT_EQ(edited.status, 200);
    EXPECT_EQ(edited.body, "body { margin: 1px; }");
}

TEST_F(WebRoutes, ReachesNothingOutsideTheFolder)
{
    for (const char* path : {"/../outside.js", "/js/../../outside.js", "/%2e%2e/outside.js", "/js/link.js",
                             "/up/outside.js", "/.secret.js", "/.git/config", "/notes.md", "/anything.js",
                             "/%7Bname%7D.js", "/web/index.html", "/js", "/js/"}) {
        auto answer = get(path);
        EXPECT_EQ(answer.status, 404) << path;
        EXPECT_EQ(answer.body.find("outside the folder"), std::string::npos) << path;
        EXPECT_EQ(answer.body.find("parameter in disguise"), std::string::npos) << path;
    }
    for (const auto& route : m_router.routes())
        EXPECT_EQ(route.pattern.find('{') == std::string::npos, route.pattern != "/tickets/{number}") << route.pattern;
}

TEST(WebRoutesMissing, RoutesNothingWithoutTheFolder)
{
    http::Router router;
    EXPECT_EQ(add_web_routes(router, "/nonexistent/redress/web"), 0);
    EXPECT_TRUE(router.routes().empty());
}

TEST(WebContentType, KnowsTheTypesThePageIsMadeOf)
{
    EXPECT_EQ(web_content_type("a.html"), "text/html; charset=utf-8");
    EXPECT_EQ(web_content_type("a.svg"), "image/svg+xml");
    EXPECT_EQ(web_content_type("a.png"), "image/png");
    EXPECT_FALSE(web_content_type("a.exe"));
    EXPECT_FALSE(web_content_type("Makefile"));
}

}  // namespace
}  // namespace redress::app
