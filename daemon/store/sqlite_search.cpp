// Full-text search on SQLite (see sqlite_search.hpp).

#include "sqlite_search.hpp"

#include "mime/letter_reader.hpp"
#include "search/normaliser.hpp"

#include <algorithm>

namespace redress::store {

namespace {

// The tokenizer keeps no state: one static object serves every table.
struct Tokenizer { };
Tokenizer g_tokenizer;

int create_tokenizer(void*, const char**, int, Fts5Tokenizer** out)
{
    *out = reinterpret_cast<Fts5Tokenizer*>(&g_tokenizer);
    return SQLITE_OK;
}

void delete_tokenizer(Fts5Tokenizer*) { }

using TokenCallback = int (*)(void*, int, const char*, int, int, int);

int tokenize(Fts5Tokenizer*, void* context, int flags, const char* text, int size, TokenCallback token)
{
    std::string_view input(text, static_cast<std::size_t>(std::max(size, 0)));
    if ((flags & FTS5_TOKENIZE_QUERY) != 0) {
        // Query strings are written by match_expression, already normalised: each space-separated
        // piece is one term as it stands.
        std::size_t pos = 0;
        while (pos < input.size()) {
            auto end = input.find(' ', pos);
            if (end == std::string_view::npos)
                end = input.size();
            if (end > pos) {
                int rc = token(context, 0, input.data() + pos, static_cast<int>(end - pos), static_cast<int>(pos),
                               static_cast<int>(end));
                if (rc != SQLITE_OK)
                    return rc;
            }
            pos = end + 1;
        }
        return SQLITE_OK;
    }
    // A document (indexing, deleting, or a snippet): its words in its own language.
    int rc = SQLITE_OK;
    search::for_each_term(input, search::document_language(input), [&](const search::Term& term) {
        if (rc == SQLITE_OK)
            rc = token(context, 0, term.text.data(), static_cast<int>(term.text.size()), static_cast<int>(term.begin),
                       static_cast<int>(term.end));
    });
    return rc;
}

fts5_tokenizer g_methods{create_tokenizer, delete_tokenizer, tokenize};

fts5_api* fts5_of(sqlite3* db)
{
    fts5_api* api = nullptr;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
        sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    return api;
}

std::string_view column_text(sqlite3_value* v)
{
    auto* p = static_cast<const char*>(sqlite3_value_blob(v));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_value_bytes(v))) : std::string_view();
}

// redress_letter_text(channel, subject, content): the migration indexes the letters already queued.
void letter_text_function(sqlite3_context* context, int, sqlite3_value** args)
{
    auto text = letter_search_text(column_text(args[0]), column_text(args[1]), column_text(args[2]));
    sqlite3_result_text(context, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void append_string(std::string& out, std::string_view text)
{
    // An FTS5 string: double quotes doubled. Forms hold letters, digits and apostrophes only.
    out += '"';
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

void append_form(std::string& out, const search::QueryForm& form)
{
    append_string(out, form.text);
    if (form.prefix)
        out += " *";
}

// Phrases multiply their words' forms; past this many the phrase is read in one language.
constexpr std::size_t k_max_phrase_variants = 32;

void append_phrase(std::string& out, const search::Phrase& phrase)
{
    std::vector<std::vector<search::QueryForm>> forms;
    std::size_t variants = 1;
    for (const auto& word : phrase.words) {
        forms.push_back(search::query_forms(word));
        variants *= std::max<std::size_t>(forms.back().size(), 1);
        if (variants > k_max_phrase_variants)
            break;
    }
    if (variants > k_max_phrase_variants) {
        std::string joined;
        for (const auto& word : phrase.words)
            joined += word + " ";
        auto language = search::document_language(joined);
        forms.clear();
        for (const auto& word : phrase.words)
            forms.push_back({search::query_form(word, language)});
        variants = 1;
    }
    out += '(';
    std::vector<std::size_t> pick(forms.size(), 0);
    for (std::size_t v = 0; v < variants; ++v) {
        if (v > 0)
            out += " OR ";
        for (std::size_t i = 0; i < forms.size(); ++i) {
            if (i > 0)
                out += " + ";
            append_form(out, forms[i][pick[i]]);
        }
        // The next combination, like counting with one digit per word.
        for (std::size_t i = forms.size(); i-- > 0;) {
            if (++pick[i] < forms[i].size())
                break;
            pick[i] = 0;
        }
    }
    out += ')';
}

void append_clause(std::string& out, const search::Clause& clause)
{
    out += '(';
    for (std::size_t i = 0; i < clause.any.size(); ++i) {
        if (i > 0)
            out += " OR ";
        append_phrase(out, clause.any[i]);
    }
    out += ')';
}

}  // namespace

int register_search(sqlite3* db)
{
    auto* api = fts5_of(db);
    if (api == nullptr)
        return SQLITE_ERROR;  // SQLite without FTS5
    int rc = api->xCreateTokenizer(api, "redress", nullptr, &g_methods, nullptr);
    if (rc != SQLITE_OK)
        return rc;
    return sqlite3_create_function_v2(db, "redress_letter_text", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                      letter_text_function, nullptr, nullptr, nullptr);
}

std::string match_expression(const search::Query& query)
{
    std::string positive;
    std::string negative;
    for (const auto& clause : query.clauses) {
        auto& out = clause.exclude ? negative : positive;
        if (!out.empty())
            out += clause.exclude ? " OR " : " AND ";
        append_clause(out, clause);
    }
    if (negative.empty())
        return positive;
    return "(" + positive + ") NOT (" + negative + ")";
}

std::string letter_search_text(std::string_view channel, std::string_view subject, std::string_view content)
{
    // A chat letter is its text; a mail is RFC 5322 bytes with a transfer encoding to undo.
    std::string body = channel.starts_with("chat:") ? std::string(content) : mime::read_letter(content).body;
    return search_text(std::string(subject) + "\n" + body);
}

std::string search_text(std::string_view text)
{
    std::string out(text);
    std::replace_if(
        out.begin(), out.end(), [](char c) { return c == '\x01' || c == '\x02'; }, ' ');
    return out;
}

}  // namespace redress::store
