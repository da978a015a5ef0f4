// Full-text search on SQLite (see sqlite_search.hpp).

#include "sqlite_search.hpp"

#include "mime/letter_reader.hpp"
#include "search/normaliser.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

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

// Terms written ready by our own code (a query, the meta column): each space-separated piece from
// `pos` on is one term as it stands.
int space_separated_terms(std::string_view input, std::size_t pos, void* context, TokenCallback token)
{
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

int tokenize(Fts5Tokenizer*, void* context, int flags, const char* text, int size, TokenCallback token)
{
    std::string_view input(text, static_cast<std::size_t>(std::max(size, 0)));
    if ((flags & FTS5_TOKENIZE_QUERY) != 0) {
        // Query strings are written by match_expression, already normalised: each space-separated
        // piece is one term as it stands.
        return space_separated_terms(input, 0, context, token);
    }
    if (!input.empty() && input.front() == k_meta_mark) {
        // The meta column (search_meta): its terms as they stand, split at spaces.
        return space_separated_terms(input, 1, context, token);
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

// redress_search_meta(record, status, kind, language, channel, sender, at): the migration fills the
// meta column of the rows already indexed with it.
void meta_function(sqlite3_context* context, int, sqlite3_value** args)
{
    auto meta = search_meta(column_text(args[0]), column_text(args[1]), column_text(args[2]), column_text(args[3]),
                            column_text(args[4]), column_text(args[5]), sqlite3_value_int64(args[6]));
    sqlite3_result_text(context, meta.data(), static_cast<int>(meta.size()), SQLITE_TRANSIENT);
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
    rc = sqlite3_create_function_v2(db, "redress_letter_text", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                    letter_text_function, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return rc;
    return sqlite3_create_function_v2(db, "redress_search_meta", 7, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                      meta_function, nullptr, nullptr, nullptr);
}

namespace {

using Days = std::chrono::sys_days;

// Dates outside these years share one term (y:other): a range reaching past them asks for it too.
constexpr int k_first_year = 1970;
constexpr int k_end_year = 2100;
// A date range needing more terms than this is checked on the rows alone.
constexpr std::size_t k_max_date_terms = 260;

Days first_day()
{
    return Days{std::chrono::year{k_first_year} / std::chrono::January / 1};
}
Days end_day()
{
    return Days{std::chrono::year{k_end_year} / std::chrono::January / 1};
}

Days day_of(std::int64_t seconds)
{
    return std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds{std::chrono::seconds{seconds}});
}

std::string date_term(char unit, std::chrono::year_month_day ymd)
{
    char text[24];
    auto year = static_cast<int>(ymd.year());
    auto month = static_cast<unsigned>(ymd.month());
    auto day = static_cast<unsigned>(ymd.day());
    if (unit == 'y')
        std::snprintf(text, sizeof text, "y:%04d", year);
    else if (unit == 'm')
        std::snprintf(text, sizeof text, "m:%04d-%02u", year, month);
    else
        std::snprintf(text, sizeof text, "d:%04d-%02u-%02u", year, month, day);
    return text;
}

// The words of a sender as the meta column keeps them: runs of ASCII letters and digits and of
// non-ASCII bytes (UTF-8 letters), ASCII lower-cased.
std::vector<std::string> sender_words(std::string_view sender)
{
    std::vector<std::string> words;
    std::string word;
    for (char c : sender) {
        auto u = static_cast<unsigned char>(c);
        if (u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) {
            word += c;
        } else if (c >= 'A' && c <= 'Z') {
            word += static_cast<char>(c - 'A' + 'a');
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty())
        words.push_back(std::move(word));
    return words;
}

std::string channel_term(std::string_view channel)
{
    std::string term = "c:";
    for (char c : channel)
        term += c == ' ' ? '_' : c;
    return term;
}

// Terms for the days [from, to): whole years and months where they fit, days at the edges.
std::vector<std::string> date_terms(Days from, Days to)
{
    using namespace std::chrono;
    std::vector<std::string> terms;
    if (from < first_day() || to > end_day())
        terms.emplace_back("y:other");
    from = std::max(from, first_day());
    to = std::min(to, end_day());
    while (from < to && terms.size() <= k_max_date_terms) {
        year_month_day ymd{from};
        if (ymd.month() == January && ymd.day() == day{1}) {
            Days next{(ymd.year() + years{1}) / January / 1};
            if (next <= to) {
                terms.push_back(date_term('y', ymd));
                from = next;
                continue;
            }
        }
        if (ymd.day() == day{1}) {
            Days next{(year_month{ymd.year(), ymd.month()} + months{1}) / 1};
            if (next <= to) {
                terms.push_back(date_term('m', ymd));
                from = next;
                continue;
            }
        }
        terms.push_back(date_term('d', ymd));
        from += days{1};
    }
    return terms;
}

void append_meta_term(std::string& out, std::string_view term)
{
    if (!out.empty())
        out += " AND ";
    out += "meta : ";
    append_string(out, term);
}

}  // namespace

std::string search_meta(std::string_view record, std::string_view status, std::string_view kind,
                        std::string_view language, std::string_view channel, std::string_view sender, std::int64_t at)
{
    std::string meta(1, k_meta_mark);
    auto add = [&](std::string_view term) {
        if (meta.size() > 1)
            meta += ' ';
        meta += term;
    };
    add(std::string("r:") + std::string(record));
    if (!status.empty())
        add(std::string("s:") + std::string(status));
    if (!kind.empty())
        add(std::string("k:") + std::string(kind));
    if (!language.empty())
        add(std::string("l:") + std::string(language));
    if (!channel.empty()) {
        add(channel_term(channel));
        if (channel.starts_with("chat:"))
            add("c:chat:");
    }
    for (const auto& word : sender_words(sender))
        add("f:" + word);
    auto day = day_of(at);
    if (day < first_day() || day >= end_day()) {
        add("y:other");
    } else {
        std::chrono::year_month_day ymd{day};
        add(date_term('d', ymd));
        add(date_term('m', ymd));
        add(date_term('y', ymd));
    }
    return meta;
}

std::string filter_expression(const search::Filters& filters, std::int64_t first_at, std::int64_t last_at,
                              bool* whole_days)
{
    std::string out;
    if (whole_days)
        *whole_days = false;
    if (filters.record)
        append_meta_term(out, std::string("r:") + std::string(search::to_string(*filters.record)));
    if (filters.status)
        append_meta_term(out, std::string("s:") + std::string(to_string(*filters.status)));
    if (filters.ticket_kind)
        append_meta_term(out, std::string("k:") + std::string(to_string(*filters.ticket_kind)));
    if (!filters.language.empty())
        append_meta_term(out, "l:" + filters.language);
    if (filters.channel == "chat:" || filters.channel == "chat")
        append_meta_term(out, "c:chat:");
    else if (!filters.channel.empty())
        append_meta_term(out, channel_term(filters.channel));
    // Each word of from: as a whole word of the sender; the store checks the whole value. Not as
    // prefixes: a prefix FTS5 has no index of (only six-letter ones) merges every term that starts
    // with it, and "f:com" is in most records (7.9 s at a million messages).
    for (const auto& word : sender_words(filters.from))
        append_meta_term(out, "f:" + word);
    if (filters.after || filters.before) {
        // Whole days: the day of `after` from its start, up to the end of the day before `before`
        // (or its own day when it is not at midnight); the store checks a time of day exactly.
        Days from = day_of(filters.after ? filters.after->time_since_epoch().count() : first_at);
        Days to = day_of(last_at) + std::chrono::days{1};
        if (filters.before) {
            auto seconds = filters.before->time_since_epoch().count();
            to = day_of(seconds);
            if (std::chrono::sys_seconds{std::chrono::seconds{seconds}} > std::chrono::sys_seconds{to})
                to += std::chrono::days{1};
        }
        if (from >= to)
            from = to;
        auto terms = date_terms(from, to);
        if (terms.size() <= k_max_date_terms) {
            if (!out.empty())
                out += " AND ";
            out += "(";
            for (std::size_t i = 0; i < terms.size(); ++i) {
                if (i > 0)
                    out += " OR ";
                out += "meta : ";
                append_string(out, terms[i]);
            }
            if (terms.empty())
                out += "meta : \"d:none\"";  // an empty range selects nothing
            out += ")";
            auto midnight = [](const std::optional<TimePoint>& t) {
                return !t || t->time_since_epoch().count() % 86400 == 0;
            };
            if (whole_days)
                *whole_days = midnight(filters.after) && midnight(filters.before);
        }
    }
    return out;
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
        out.begin(), out.end(), [](char c) { return c == '\x01' || c == '\x02' || c == k_meta_mark; }, ' ');
    return out;
}

}  // namespace redress::store
