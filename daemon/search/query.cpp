// The search box's language (see query.hpp).

#include "query.hpp"

#include "normaliser.hpp"

#include <algorithm>
#include <array>

namespace redress::search {

std::string_view to_string(RecordKind kind)
{
    switch (kind) {
    case RecordKind::message:
        return "message";
    case RecordKind::letter:
        return "letter";
    case RecordKind::note:
        return "note";
    case RecordKind::ticket:
        return "ticket";
    }
    return "message";
}

bool Query::has_words() const
{
    return std::any_of(clauses.begin(), clauses.end(), [](const Clause& c) { return !c.exclude; });
}

namespace {

Error refuse(std::string reason)
{
    return make_error(ErrorKind::invalid, "search.query", std::move(reason));
}

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// One piece of the query as written: a bare token or a quoted string, with a leading '-'.
struct Piece {
    std::string text;
    bool quoted = false;
    bool exclude = false;
    std::string filter;  // "from" for from:..., else empty
};

constexpr std::array<std::string_view, 7> k_filters{"from", "status", "kind", "lang", "channel", "before", "after"};

class Lexer {
public:
    explicit Lexer(std::string_view text)
        : m_text(text)
    {
    }

    Result<std::vector<Piece>> pieces()
    {
        std::vector<Piece> out;
        while (true) {
            while (m_pos < m_text.size() && is_space(m_text[m_pos]))
                ++m_pos;
            if (m_pos >= m_text.size())
                return out;
            Piece piece;
            if (m_text[m_pos] == '-' && m_pos + 1 < m_text.size() && !is_space(m_text[m_pos + 1])) {
                piece.exclude = true;
                ++m_pos;
            }
            // A filter: a known name, a colon, then a value (quoted or bare).
            for (auto name : k_filters) {
                auto rest = m_text.substr(m_pos);
                if (rest.size() > name.size() && rest.substr(0, name.size()) == name && rest[name.size()] == ':') {
                    piece.filter = std::string(name);
                    m_pos += name.size() + 1;
                    break;
                }
            }
            if (m_pos < m_text.size() && m_text[m_pos] == '"') {
                auto close = m_text.find('"', m_pos + 1);
                if (close == std::string_view::npos)
                    return refuse("a quotation mark opened at character " + std::to_string(m_pos + 1) +
                                  " is never closed");
                piece.text = std::string(m_text.substr(m_pos + 1, close - m_pos - 1));
                piece.quoted = true;
                m_pos = close + 1;
                if (m_pos < m_text.size() && !is_space(m_text[m_pos]))
                    return refuse("put a space after the closing quotation mark at character " + std::to_string(m_pos));
            } else {
                auto end = m_pos;
                while (end < m_text.size() && !is_space(m_text[end])) {
                    if (m_text[end] == '"')
                        return refuse("a quotation mark at character " + std::to_string(end + 1) +
                                      " is inside a word: put a space before it");
                    ++end;
                }
                piece.text = std::string(m_text.substr(m_pos, end - m_pos));
                m_pos = end;
            }
            out.push_back(std::move(piece));
        }
    }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

std::optional<TimePoint> parse_day(std::string_view value)
{
    // YYYY-MM-DD is midnight UTC; anything else must be a full ISO 8601 time.
    if (value.size() == 10) {
        std::string with_time = std::string(value) + "T00:00:00Z";
        return parse_iso8601(with_time);
    }
    return parse_iso8601(value);
}

bool is_language_code(std::string_view v)
{
    return v.size() == 2 && std::all_of(v.begin(), v.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

Result<void> apply_filter(Filters& filters, const Piece& piece)
{
    const auto& name = piece.filter;
    const auto& value = piece.text;
    if (value.empty())
        return refuse(name + ": needs a value");
    if (piece.exclude)
        return refuse("-" + name + ": filters cannot be excluded");
    if (name == "from") {
        filters.from = value;
    } else if (name == "status") {
        filters.status = ticket_status_from_string(value);
        if (!filters.status)
            return refuse("status:" + value +
                          " is not a status (new, acknowledged, investigating, justified, unjustified, "
                          "action_planned, resolved, closed)");
    } else if (name == "kind") {
        for (auto record : {RecordKind::message, RecordKind::letter, RecordKind::note, RecordKind::ticket})
            if (value == to_string(record))
                filters.record = record;
        if (!filters.record) {
            filters.ticket_kind = kind_from_string(value);
            if (!filters.ticket_kind)
                return refuse("kind:" + value +
                              " is neither a record (message, letter, note, ticket) nor a kind (complaint, "
                              "gratitude, question, suggestion, spam, automatic, other)");
        }
    } else if (name == "lang") {
        if (!is_language_code(value))
            return refuse("lang:" + value + " is not a two-letter language code (en, ru, uk, be, pt, de, es)");
        filters.language = value;
    } else if (name == "channel") {
        filters.channel = value;
    } else {
        auto at = parse_day(value);
        if (!at)
            return refuse(name + ":" + value + " is not a date (YYYY-MM-DD) or an ISO 8601 time");
        (name == "before" ? filters.before : filters.after) = at;
    }
    return {};
}

}  // namespace

Result<Query> parse_query(std::string_view text)
{
    if (text.size() > k_max_query_bytes)
        return refuse("the query is longer than " + std::to_string(k_max_query_bytes) + " bytes");
    auto pieces = TRY(Lexer(text).pieces());
    Query query;
    bool join_next = false;  // the previous piece was OR
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const auto& piece = pieces[i];
        if (!piece.filter.empty()) {
            if (join_next)
                return refuse("OR before a filter (" + piece.filter + ":): OR joins words or phrases");
            TRY(apply_filter(query.filters, piece));
            continue;
        }
        if (!piece.quoted && !piece.exclude && piece.text == "OR") {
            if (join_next)
                return refuse("OR OR: put a word or phrase between them");
            if (query.clauses.empty() || query.clauses.back().exclude || (i > 0 && !pieces[i - 1].filter.empty()))
                return refuse("OR needs a word or phrase before it");
            if (i + 1 == pieces.size())
                return refuse("OR needs a word or phrase after it");
            join_next = true;
            continue;
        }
        Phrase phrase{split_words(piece.text)};
        if (phrase.words.empty()) {
            if (piece.quoted)
                return refuse("the phrase \"" + piece.text + "\" has no words in it");
            if (join_next)
                return refuse("OR needs a word or phrase after it");
            continue;  // punctuation alone ("-", "&") asks for nothing
        }
        if (phrase.words.size() > k_max_phrase_words)
            return refuse("a phrase has more than " + std::to_string(k_max_phrase_words) + " words");
        if (join_next) {
            if (piece.exclude)
                return refuse("OR before an exclusion (-" + piece.text + "): exclude separately");
            query.clauses.back().any.push_back(std::move(phrase));
            join_next = false;
            continue;
        }
        if (query.clauses.size() == k_max_clauses)
            return refuse("the query has more than " + std::to_string(k_max_clauses) + " words or phrases");
        query.clauses.push_back(Clause{{std::move(phrase)}, piece.exclude});
    }
    if (!query.has_words()) {
        bool filtered = !query.filters.from.empty() || query.filters.status || query.filters.record ||
                        query.filters.ticket_kind || !query.filters.language.empty() ||
                        !query.filters.channel.empty() || query.filters.after || query.filters.before;
        if (!filtered)
            return refuse(query.clauses.empty() ? "the query is empty: type a word, a \"phrase\" or a filter"
                                                : "only exclusions: say what to look for as well");
    }
    return query;
}

}  // namespace redress::search
