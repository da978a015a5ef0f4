#pragma once
// The SQLite side of full-text search (inside the store only): the FTS5 tokenizer "redress" and the
// SQL function the index migration reads letters with, registered on each connection the store opens.
// The index itself is an FTS5 table with external content (search_docs, the original text), so
// FTS5's snippet() shows the words as written while the index holds their normalised forms.
//
// Why a tokenizer of our own rather than pre-stemmed text under unicode61: the terms must carry the
// offsets of the original words for snippets, and one copy of the text is enough. Debian 12's SQLite
// (3.40) has FTS5 with the fts5_api for tokenizers; it has no per-row locale (3.47), so a document's
// language is detected from its own text (deterministic: delete and rebuild give the same terms).
// The cost: the plain sqlite3 shell cannot read search_index (it lacks the tokenizer); every other
// table stays readable and writable there, because indexing is done by the store's code, not triggers.

#include "search/query.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace redress::store {

// Registers the tokenizer and redress_letter_text(channel, content) on `db`; SQLITE_OK or an error code.
int register_search(sqlite3* db);

// The FTS5 MATCH expression for a query's clauses (query.has_words() must be true). Each word becomes
// the OR of its normalised forms (search::query_forms), written as FTS5 strings that our tokenizer
// takes whole in query mode; no text of the person's reaches MATCH unquoted.
std::string match_expression(const search::Query& query);

// The filters' column of a record (search_index's second column, `meta`): the values the query's
// filters select by, as whole terms, so a filter is part of the MATCH instead of a join per match.
// Terms: r:<record>, s:<ticket status>, k:<ticket kind>, l:<language>, c:<channel> (and c:chat: for
// any chat), f:<word> for each word of the sender (ASCII letters lower-cased), and the day, month and
// year of `at` (UTC: d:2026-11-30, m:2026-11, y:2026). The text starts with k_meta_mark, which tells the
// tokenizer to take its space-separated terms as they stand. `status` and `kind` are empty for a
// record without a ticket. The store rewrites a ticket's rows when its status or kind changes.
inline constexpr char k_meta_mark = '\x03';
std::string search_meta(std::string_view record, std::string_view status, std::string_view kind,
                        std::string_view language, std::string_view channel, std::string_view sender, std::int64_t at);

// The part of the MATCH that selects by the query's filters (column meta), or "" when no filter has
// terms. For from: and a date with a time of day it selects a superset (a sender's words, whole days);
// the store checks those two exactly on the rows it reads. `first_at` and `last_at` (seconds) are the
// oldest and newest record's times: an open end of a date range stops there, not at the last year
// the terms know, so after:DATE asks for the months and days up to the newest record only.
// `whole_days` is set when after:/before: are in the expression and both fall on midnight (UTC): the
// terms select exactly, and the store need not check the rows' times.
std::string filter_expression(const search::Filters& filters, std::int64_t first_at, std::int64_t last_at,
                              bool* whole_days = nullptr);

// The text a letter is searched by: its subject line and its body as the recipient reads it.
std::string letter_search_text(std::string_view channel, std::string_view subject, std::string_view content);

// Text as stored for the index: the bytes snippet() uses as highlight marks (0x01, 0x02) and the
// meta column's mark (0x03) are spaces.
std::string search_text(std::string_view text);

}  // namespace redress::store
