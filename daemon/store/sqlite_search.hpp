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

#include <string>

namespace redress::store {

// Registers the tokenizer and redress_letter_text(channel, content) on `db`; SQLITE_OK or an error code.
int register_search(sqlite3* db);

// The FTS5 MATCH expression for a query's clauses (query.has_words() must be true). Each word becomes
// the OR of its normalised forms (search::query_forms), written as FTS5 strings that our tokenizer
// takes whole in query mode; no text of the person's reaches MATCH unquoted.
std::string match_expression(const search::Query& query);

// The text a letter is searched by: its subject line and its body as the recipient reads it.
std::string letter_search_text(std::string_view channel, std::string_view subject, std::string_view content);

// Text as stored for the index: the bytes snippet() uses as highlight marks (0x01, 0x02) are spaces.
std::string search_text(std::string_view text);

}  // namespace redress::store
