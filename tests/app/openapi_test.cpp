// The OpenAPI document (docs/openapi.json, served at /api/v1/openapi.json) against the routes the
// daemon registers, both ways: every route is documented, every documented operation is routed,
// and the least role each operation names is the one the authentication hook asks for. The routes
// are those `serve` adds: status, the API and the chat webhooks (/hooks/{chat}).

#include "api/access.hpp"
#include "api/openapi.hpp"
#include "app/api_routes.hpp"
#include "app/chat_routes.hpp"
#include "app/customer_routes.hpp"
#include "app/status_routes.hpp"
#include "http/http_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace redress::app {
namespace {

using nlohmann::json;

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

std::set<std::pair<std::string, std::string>> routed()
{
    http::HttpServer server;  // not started: only its router is read
    add_status_routes(server, StatusSources{});
    add_api_routes(server.router(), api::ApiContext{});
    add_chat_routes(server, ChatHookContext{});
    add_customer_routes(server, api::CustomerContext{});
    std::set<std::pair<std::string, std::string>> out;
    for (const auto& r : server.router().routes())
        out.emplace(lower(r.method), r.pattern);
    return out;
}

json document()
{
    json doc = json::parse(api::openapi_document(), nullptr, false);
    EXPECT_FALSE(doc.is_discarded()) << "docs/openapi.json is not JSON";
    return doc;
}

std::set<std::pair<std::string, std::string>> documented(const json& doc)
{
    static const std::set<std::string> methods{"get", "put", "post", "delete", "patch", "head", "options"};
    std::set<std::pair<std::string, std::string>> out;
    for (const auto& [path, item] : doc["paths"].items())
        for (const auto& [method, operation] : item.items())
            if (methods.contains(method))
                out.emplace(method, path);
    return out;
}

TEST(OpenApiDocument, IsOpenApiThreeWithEveryRouteAndNothingElse)
{
    json doc = document();
    ASSERT_TRUE(doc.is_object());
    EXPECT_TRUE(doc["openapi"].get<std::string>().starts_with("3.0")) << doc["openapi"];
    auto routes = routed();
    auto docs = documented(doc);
    ASSERT_FALSE(routes.empty());
    for (const auto& r : routes)
        EXPECT_TRUE(docs.contains(r)) << "routed but not documented: " << r.first << " " << r.second;
    for (const auto& d : docs)
        EXPECT_TRUE(routes.contains(d)) << "documented but not routed: " << d.first << " " << d.second;
}

TEST(OpenApiDocument, NamesTheRoleTheHookAsksForAndEveryPathParameter)
{
    json doc = document();
    for (const auto& [path, item] : doc["paths"].items()) {
        for (const auto& [method, operation] : item.items()) {
            std::string upper = method;
            std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
            api::Access access = api::access_of(upper, path);
            std::string role = operation.value("x-redress-role", "");
            std::string expected = access == api::Access::open      ? ""
                                   : access == api::Access::agent   ? "agent"
                                   : access == api::Access::manager ? "manager"
                                                                    : "owner";
            EXPECT_EQ(role, expected) << method << " " << path;
            // An open operation says so (security: []); the others use the document's default.
            EXPECT_EQ(operation.contains("security") && operation["security"].empty(), access == api::Access::open)
                << method << " " << path;
            // Every {parameter} of the path is described.
            std::set<std::string> described;
            for (const auto& p : operation.value("parameters", json::array()))
                if (p.value("in", "") == "path")
                    described.insert(p["name"].get<std::string>());
            for (std::size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
                std::string name = path.substr(open + 1, path.find('}', open) - open - 1);
                EXPECT_TRUE(described.contains(name)) << method << " " << path << " does not describe {" << name << "}";
            }
        }
    }
}

TEST(OpenApiDocument, EveryReferenceResolves)
{
    json doc = document();
    std::vector<std::string> missing;
    std::function<void(const json&)> walk = [&](const json& node) {
        if (node.is_object()) {
            if (auto it = node.find("$ref"); it != node.end()) {
                json::json_pointer pointer(it->get<std::string>().substr(1));
                if (!doc.contains(pointer))
                    missing.push_back(it->get<std::string>());
            }
            for (const auto& [key, value] : node.items())
                walk(value);
        } else if (node.is_array()) {
            for (const auto& value : node)
                walk(value);
        }
    };
    walk(doc);
    EXPECT_TRUE(missing.empty()) << missing.front();
}

// The chat webhook's refusals are part of its contract with the platforms: each status the route
// and the server give is documented, with the body every refusal has.
TEST(OpenApiDocument, TheChatWebhookDocumentsItsAnswersAndEveryRefusal)
{
    json doc = document();
    json hook = doc["paths"]["/hooks/{chat}"]["post"];
    ASSERT_TRUE(hook.is_object()) << "POST /hooks/{chat} is not in docs/openapi.json";
    for (const char* status : {"400", "401", "404", "413", "503"}) {
        ASSERT_TRUE(hook["responses"].contains(status)) << status;
        EXPECT_EQ(hook["responses"][status]["content"]["application/json"]["schema"]["$ref"],
                  "#/components/schemas/Error")
            << status;
    }
    json ok = hook["responses"]["200"]["content"];
    EXPECT_EQ(ok["application/json"]["schema"]["$ref"], "#/components/schemas/ChatHookAnswer");
    EXPECT_TRUE(ok.contains("text/plain")) << "Slack's challenge is answered as plain text";
    std::set<std::string> headers;
    for (const auto& p : hook["parameters"])
        if (p["in"] == "header")
            headers.insert(p["name"].get<std::string>());
    for (const char* name : {"X-Telegram-Bot-Api-Secret-Token", "X-Slack-Signature", "X-Slack-Request-Timestamp",
                             "X-Redress-Signature", "X-Redress-Timestamp"})
        EXPECT_TRUE(headers.contains(name)) << name;
}

}  // namespace
}  // namespace redress::app
