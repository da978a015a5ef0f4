// GET /api/v1/search as a function over a real SQLite store: the JSON shape, snippets as escaped
// HTML with the matches in <mark>, and the 400 a malformed query or parameter gets (with the reason,
// never SQLite's words).

#include "api/access.hpp"
#include "api/search_api.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>

using namespace redress;
using nlohmann::json;

namespace {

class SearchApi : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir =
            std::filesystem::temp_directory_path() / ("redress-search-api-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
        m_store = std::move(store::SqliteStore::open(m_dir / "redress.db")).value();
        auto tx = std::move(m_store->begin()).value();
        Ticket t;
        t.channel = "email";
        t.source = "support";
        t.language = "en";
        t.subject = "<script>alert(1)</script> kettle";
        t.received_at = t.updated_at = *parse_iso8601("2026-11-20T10:00:00Z");
        m_ticket = tx->create_ticket(t, "RD").value();
        StoredMessage m;
        m.ticket_id = m_ticket.id;
        m.channel = "email";
        m.source = "support";
        m.source_key = "k1";
        m.from_address = "vera@example.org";
        m.subject = t.subject;
        m.text = "The <b>kettle</b> & its lid arrived cracked; I want my refund.";
        m.received_at = t.received_at;
        m.language = "en";
        m.raw = "raw";
        ASSERT_TRUE(tx->add_message(m).ok());
        ASSERT_TRUE(tx->commit().ok());
        m_context.store = m_store.get();
    }
    void TearDown() override
    {
        m_store.reset();
        std::filesystem::remove_all(m_dir);
    }

    http::Response get(std::multimap<std::string, std::string> query)
    {
        http::Request r;
        r.method = "GET";
        r.path = r.route = "/api/v1/search";
        r.query = std::move(query);
        return api::search(m_context, r);
    }

    std::filesystem::path m_dir;
    std::unique_ptr<store::SqliteStore> m_store;
    Ticket m_ticket;
    api::ApiContext m_context;
};

}  // namespace

TEST_F(SearchApi, AnswersRankedResultsWithEscapedSnippets)
{
    auto r = get({{"q", "refunds kind:message"}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = json::parse(r.body);
    EXPECT_EQ(body["query"], "refunds kind:message");
    EXPECT_EQ(body["more"], false);
    ASSERT_EQ(body["results"].size(), 1u) << body.dump(2);
    const auto& hit = body["results"][0];
    EXPECT_EQ(hit["record"], "message");
    EXPECT_EQ(hit["ticket"]["number"], m_ticket.number);
    EXPECT_EQ(hit["ticket"]["status"], "new");
    EXPECT_EQ(hit["from"], "vera@example.org");
    EXPECT_EQ(hit["at"], "2026-11-20T10:00:00Z");
    EXPECT_GT(hit["score"].get<double>(), 0);
    std::string html = hit["snippet_html"];
    EXPECT_NE(html.find("<mark>refund</mark>"), std::string::npos) << html;
    EXPECT_EQ(html.find("<script>"), std::string::npos) << html;
    EXPECT_EQ(html.find("<b>"), std::string::npos) << html;
    EXPECT_NE(html.find("&lt;b&gt;"), std::string::npos) << html;
    EXPECT_NE(html.find("&amp;"), std::string::npos) << html;
    EXPECT_NE(hit["snippet"].get<std::string>().find("<b>kettle</b>"), std::string::npos) << "plain text as written";
    bool marked = false;
    for (const auto& part : hit["snippet_parts"])
        marked = marked || (part["match"] == true && part["text"] == "refund");
    EXPECT_TRUE(marked) << hit.dump();
}

TEST_F(SearchApi, AMalformedQueryIs400WithTheReason)
{
    for (const auto& [q, reason] : std::vector<std::pair<std::string, std::string>>{
             {"\"kettle", "never closed"},
             {"kettle OR", "after it"},
             {"status:lost", "not a status"},
             {"", "empty"},
         }) {
        auto r = get({{"q", q}});
        EXPECT_EQ(r.status, 400) << q << ": " << r.body;
        auto body = json::parse(r.body);
        EXPECT_EQ(body["error"], "search.query") << r.body;
        EXPECT_NE(body["message"].get<std::string>().find(reason), std::string::npos) << r.body;
        EXPECT_EQ(r.body.find("fts5"), std::string::npos) << r.body;
    }
    EXPECT_EQ(get({}).status, 400);
    EXPECT_EQ(get({{"q", "kettle"}, {"limit", "0"}}).status, 400);
    EXPECT_EQ(get({{"q", "kettle"}, {"limit", "101"}}).status, 400);
    EXPECT_EQ(get({{"q", "kettle"}, {"offset", "-1"}}).status, 400);
    EXPECT_EQ(get({{"q", "kettle"}, {"sort", "date"}}).status, 400);
}

TEST_F(SearchApi, PagesWithLimitAndOffset)
{
    auto first = json::parse(get({{"q", "kettle"}, {"limit", "1"}}).body);
    ASSERT_EQ(first["results"].size(), 1u);
    EXPECT_EQ(first["more"], true);  // the message and the ticket's subject
    auto second = json::parse(get({{"q", "kettle"}, {"limit", "1"}, {"offset", "1"}}).body);
    ASSERT_EQ(second["results"].size(), 1u);
    EXPECT_EQ(second["more"], false);
    EXPECT_NE(first["results"][0]["record"], second["results"][0]["record"]);
}

TEST_F(SearchApi, IsForStaffOnly)
{
    EXPECT_EQ(api::access_of("GET", "/api/v1/search"), api::Access::agent);
}
