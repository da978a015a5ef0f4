#include "search_api.hpp"

#include "body.hpp"
#include "errors.hpp"
#include "pages/html.hpp"
#include "search/query.hpp"

#include <charconv>

namespace redress::api {

using nlohmann::json;

namespace {

std::string one_line(std::string_view text)
{
    std::string out(text);
    for (auto& c : out)
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
    return out;
}

Result<int> whole_number(const http::Request& request, const char* name, int fallback, int min, int max)
{
    auto value = request.query_value(name);
    if (!value || value->empty())
        return fallback;
    int n = 0;
    auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
    if (ec != std::errc{} || end != value->data() + value->size() || n < min || n > max)
        return make_error(ErrorKind::invalid, "search.query",
                          std::string("\"") + name + "\" must be a whole number from " + std::to_string(min) + " to " +
                              std::to_string(max) + ".");
    return n;
}

}  // namespace

Result<store::SearchPage> run_search(store::Queries& store, std::string_view query, int limit, int offset)
{
    auto parsed = TRY(search::parse_query(query));
    return store.search(store::SearchRequest{std::move(parsed), limit, offset});
}

std::string snippet_html(const std::vector<store::SnippetPart>& snippet)
{
    std::string out;
    for (const auto& part : snippet) {
        auto escaped = pages::html_escape(one_line(part.text));
        out += part.match ? "<mark>" + escaped + "</mark>" : escaped;
    }
    return out;
}

std::string snippet_text(const std::vector<store::SnippetPart>& snippet)
{
    std::string out;
    for (const auto& part : snippet)
        out += one_line(part.text);
    return out;
}

json search_json(std::string_view query, int limit, int offset, const store::SearchPage& page)
{
    json results = json::array();
    for (const auto& hit : page.hits) {
        // The pieces too, for a page that builds its elements itself (web/: no markup from strings).
        json parts = json::array();
        for (const auto& part : hit.snippet)
            parts.push_back(json{{"text", one_line(part.text)}, {"match", part.match}});
        json ticket = nullptr;
        if (hit.ticket_id)
            ticket = json{{"number", hit.ticket_number},
                          {"subject", hit.ticket_subject},
                          {"status", hit.status ? json(std::string(to_string(*hit.status))) : json(nullptr)}};
        results.push_back(json{{"record", std::string(search::to_string(hit.record))},
                               {"id", hit.record_id},
                               {"ticket", ticket},
                               {"at", format_iso8601_utc(hit.at)},
                               {"from", hit.sender},
                               {"channel", hit.channel},
                               {"language", hit.language},
                               {"score", hit.score},
                               {"snippet", snippet_text(hit.snippet)},
                               {"snippet_html", snippet_html(hit.snippet)},
                               {"snippet_parts", parts}});
    }
    return json{
        {"query", std::string(query)}, {"limit", limit}, {"offset", offset}, {"more", page.more}, {"results", results}};
}

http::Response search(const ApiContext& context, const http::Request& request)
{
    for (const auto& [key, value] : request.query)
        if (key != "q" && key != "limit" && key != "offset")
            return http::error_response(400, "search.query",
                                        "Unknown parameter \"" + key + "\"; search takes q, limit and offset.");
    auto q = request.query_value("q");
    if (!q)
        return http::error_response(400, "search.query", "Say what to look for: ?q=words.");
    auto limit = whole_number(request, "limit", k_search_default_limit, 1, k_search_max_limit);
    auto offset = whole_number(request, "offset", 0, 0, k_search_max_offset);
    for (const auto* bad : {&limit, &offset})
        if (!*bad)
            return http::error_response(400, bad->error().code, bad->error().message);
    auto page = run_search(*context.store, *q, *limit, *offset);
    if (!page) {
        // A query that cannot be read is the request's fault: 400 with the reason, never the store's words.
        if (page.error().kind == ErrorKind::invalid)
            return http::error_response(400, page.error().code, page.error().message);
        return error_response(page.error());
    }
    return json_response(200, search_json(*q, *limit, *offset, *page));
}

}  // namespace redress::api
