#pragma once
// The pieces of IMAP syntax the mailbox poller reads and writes, as pure functions over text:
// mailbox names, capabilities, response codes, SEARCH and FETCH data, INTERNALDATE.

#include "common/time.hpp"
#include "imap_response.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::connectors::imap {

// A mailbox URL from the config: "imaps://imap.example.com:993/Support%20Inbox". The folder is the
// path, percent-decoded (RFC 5092 section 6); empty means INBOX. URL parameters (";UID=...") and
// queries are refused: the poller chooses what to fetch.
struct ImapUrl {
    std::string server;  // "imaps://imap.example.com:993"
    std::string folder;  // "Support Inbox"
    bool implicit_tls = false;
};
Result<ImapUrl> parse_imap_url(std::string_view url);

// RFC 3501 section 5.1.3: mailbox names travel in modified UTF-7 ("Входящие" -> "&BBIERQQ+BDQETwRJBDgENQ-").
// Invalid UTF-8 is replaced by U+FFFD rather than refused: the name comes from our own config.
std::string encode_mailbox_name(std::string_view utf8);
// The name as an IMAP quoted string, ready to put into a command.
std::string quote_mailbox(std::string_view utf8);

// Capability names from "CAPABILITY IMAP4rev1 IDLE MOVE" or from a "[CAPABILITY ...]" response code,
// upper-cased.
std::vector<std::string> parse_capabilities(std::string_view text);
// "[CAPABILITY ...]" inside a status response ("OK [CAPABILITY IMAP4rev1 ...] Logged in"), if present.
std::optional<std::vector<std::string>> capability_response_code(std::string_view status_text);

// A numeric response code such as "[UIDVALIDITY 1795655100]" or "[UIDNEXT 3]" (RFC 3501 section 7.1).
std::optional<std::uint32_t> numeric_response_code(std::string_view text, std::string_view name);
// True when a status text carries the response code "[NAME]" or "[NAME ...]" ("TRYCREATE").
bool has_response_code(std::string_view text, std::string_view name);

// "SEARCH 4 7 9" -> {4, 7, 9}; nullopt when the text is not a SEARCH response.
std::optional<std::vector<std::uint32_t>> parse_search(std::string_view text);
// "12 EXISTS" -> 12.
std::optional<std::uint32_t> parse_exists(std::string_view text);

struct FetchData {
    std::uint32_t sequence = 0;
    std::optional<std::uint32_t> uid;
    std::optional<std::uint64_t> size;         // RFC822.SIZE
    std::optional<std::string> internal_date;  // as sent: "26-Nov-2026 09:15:00 +0300"
    std::optional<std::string> body;           // BODY[] or BODY[HEADER]: the first body section present
    std::vector<std::string> flags;
};
// An untagged "n FETCH (...)" response; nullopt for anything else or a malformed one.
std::optional<FetchData> parse_fetch(const ImapResponse& response);

// RFC 3501 section 9, date-time: "26-Nov-2026 09:15:00 +0300" (the day may be space-padded).
std::optional<TimePoint> parse_internal_date(std::string_view text);

}  // namespace redress::connectors::imap
