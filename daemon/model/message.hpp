#pragma once
// A customer's message after parsing: what the rest of the pipeline reads. Every string is UTF-8.
// Email becomes a Message through mime::parse_message; a chat connector builds one directly.

#include "common/time.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress {

struct Mailbox {
    std::string name;     // display name, decoded ("Анна Петрова")
    std::string address;  // addr-spec as written ("anna@example.ru"); compare case-insensitively
    bool empty() const { return address.empty() && name.empty(); }
};

// An address as people type it in a config or on the command line: "Name <address>", "\"Name\"
// <address>" or a bare address. Not RFC 5322 parsing (mime/address_parser does that for mail):
// nullopt unless there is exactly one plausible address (an @, no spaces).
// Refused: control characters, text after the closing bracket, an unquoted name with RFC 5322
// specials (, ; : @ < > ( ) [ ] \ "), an address that is not a plain addr-spec (is_plain_addr_spec).
std::optional<Mailbox> parse_typed_mailbox(std::string_view text);
// "local@domain" with both sides RFC 5322 dot-atom text (UTF-8 allowed, RFC 6532): no quotes,
// comments, brackets, commas or a second @.
bool is_plain_addr_spec(std::string_view address);
// Back to "Name <address>", or the bare address when there is no name.
std::string format_typed_mailbox(const Mailbox& mailbox);

struct Header {
    std::string name;   // as written ("Content-Type")
    std::string value;  // unfolded, RFC 2047 words decoded to UTF-8
};

struct Attachment {
    std::string filename;      // decoded (RFC 2231 / RFC 2047), may be empty
    std::string content_type;  // lower case, "application/pdf"
    std::size_t size = 0;      // decoded size in bytes
    std::string file_id;       // chat: the platform's id of the file (Telegram's file_id), to fetch it later
};

// Where a chat message came from: chat connectors fill it (connectors/chat_in), email leaves it empty.
// The conversation is the ticket's thread; the user id is the customer's identity in that chat.
struct ChatOrigin {
    std::string conversation;   // "<chat>:<id>": "tg:123456", "slack:C123:1700000000.000100", "web:abc"
    std::string user_id;        // "<chat>:<platform user id>": "tg:98765", "slack:U024BE7LH"
    std::string reply_to;       // the platform's id of this message, for an answer that quotes it ("42")
    std::string language_hint;  // the platform's idea of the user's language ("ru", "pt-br"), may be empty
    // Contact details the sender typed or the bridge passed on: unverified, shown to staff, never used
    // to link customers.
    std::string email;
    std::string phone;
    // An edit of an earlier message (Telegram's edited_message): that message's Message-ID. The
    // pipeline records it on that message's ticket as an edit: no new ticket, no letter, no deadline moved.
    std::string edit_of = {};
};

struct Message {
    std::vector<Header> headers;  // top-level headers, in order
    Mailbox from;
    std::vector<Mailbox> to;
    std::vector<Mailbox> cc;
    std::optional<Mailbox> reply_to;
    std::string return_path;  // "<>" kept literally for bounces (RFC 5321 4.5.5)
    std::string subject;
    std::string message_id;               // without angle brackets
    std::string in_reply_to;              // without angle brackets
    std::vector<std::string> references;  // without angle brackets, oldest first
    std::optional<TimePoint> date;
    std::string content_type;  // top-level media type, lower case ("multipart/report")

    std::string text;       // what the customer wrote this time
    std::string quoted;     // quoted history of earlier messages, separated from text
    std::string signature;  // trailing signature block, separated from text
    bool text_from_html = false;
    std::vector<Attachment> attachments;
    std::vector<Message> embedded;  // message/rfc822 parts, parsed

    // Decoding losses and repairs, one sentence each ("unknown charset x-foo in part 1.2: decoded as
    // UTF-8 with replacements"). A message with warnings is still processed.
    std::vector<std::string> warnings;

    std::optional<ChatOrigin> chat;  // set for messages that came in by chat

    // First header with this name (case-insensitive), or nullptr.
    const std::string* header(std::string_view name) const;
    std::vector<std::string> headers_named(std::string_view name) const;
};

}  // namespace redress
