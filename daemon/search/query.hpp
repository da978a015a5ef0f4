#pragma once
// The search box's language, parsed into a value the store turns into its own query (never the
// person's text handed to the database as it stands):
//
//   words              every word must appear (in any of its forms, normaliser.hpp)
//   "a phrase"         the words in this order, next to each other
//   -word  -"phrase"   records with it are left out
//   a OR b             either (OR in capitals, between two words or phrases)
//   from:ADDRESS       the sender: a customer's address or chat id, or a staff member's name (part of it)
//   status:STATUS      the ticket's status (new, acknowledged, ..., closed)
//   kind:KIND          the record (message, letter, note, ticket) or the ticket's kind (complaint, ...)
//   lang:xx            the language (ISO 639-1)
//   channel:NAME       email, web, phone, chat:<name> (chat: alone for any chat)
//   after:DATE         on or after that day (YYYY-MM-DD, UTC) or that time (ISO 8601)
//   before:DATE        before that day or time
//
// A filter's value may be quoted (from:"Anna K"). A word that looks like a filter of another name
// ("re:order") is two words. What cannot be read is refused with the reason (ErrorKind::invalid).

#include "common/result.hpp"
#include "common/time.hpp"
#include "model/ticket.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::search {

// One word (one element) or a phrase, as written.
struct Phrase {
    std::vector<std::string> words;
};

// Alternatives joined by OR; an excluded clause has one alternative.
struct Clause {
    std::vector<Phrase> any;
    bool exclude = false;
};

enum class RecordKind { message, letter, note, ticket };
std::string_view to_string(RecordKind kind);

struct Filters {
    std::string from;
    std::optional<TicketStatus> status;
    std::optional<RecordKind> record;
    std::optional<Kind> ticket_kind;
    std::string language;
    std::string channel;              // "chat:" matches every chat
    std::optional<TimePoint> after;   // inclusive
    std::optional<TimePoint> before;  // exclusive
};

struct Query {
    std::vector<Clause> clauses;
    Filters filters;

    // Whether any clause asks for words (not only exclusions): without one the query lists the
    // records its filters select, newest first.
    bool has_words() const;
};

inline constexpr std::size_t k_max_query_bytes = 1000;
inline constexpr std::size_t k_max_clauses = 16;
inline constexpr std::size_t k_max_phrase_words = 12;

Result<Query> parse_query(std::string_view text);

}  // namespace redress::search
