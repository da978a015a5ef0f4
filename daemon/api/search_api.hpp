#pragma once
// Full-text search through the API (GET /api/v1/search) and the command line (redress search): the
// query parsed (search/query.hpp), the store's ranked page, and its JSON with snippets ready for a
// page (HTML-escaped, the matched words in <mark>).

#include "context.hpp"
#include "http/request.hpp"
#include "store/store.hpp"

#include <nlohmann/json.hpp>

namespace redress::api {

inline constexpr int k_search_default_limit = 20;
inline constexpr int k_search_max_limit = 100;
inline constexpr int k_search_max_offset = 10000;

// Parses `query` and runs it. A query that cannot be read is ErrorKind::invalid with the reason.
Result<store::SearchPage> run_search(store::Queries& store, std::string_view query, int limit, int offset);

// The snippet as HTML: every piece escaped, the matched words in <mark>; line breaks become spaces.
std::string snippet_html(const std::vector<store::SnippetPart>& snippet);
// The snippet as plain text.
std::string snippet_text(const std::vector<store::SnippetPart>& snippet);

// {"query", "limit", "offset", "more", "results": [{"record", "id", "ticket": {"number", "subject",
// "status"} | null, "at", "from", "channel", "language", "score", "snippet", "snippet_html",
// "snippet_parts": [{"text", "match"}]}]}
nlohmann::json search_json(std::string_view query, int limit, int offset, const store::SearchPage& page);

// GET /api/v1/search?q=&limit=&offset= (staff). A malformed query is 400 with the reason.
http::Response search(const ApiContext& context, const http::Request& request);

}  // namespace redress::api
