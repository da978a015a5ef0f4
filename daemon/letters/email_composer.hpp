#pragma once
// A letter as RFC 5322 bytes: headers, MIME (RFC 2045) and a plain-text UTF-8 body. Pure: the Date
// and the Message-ID come in the draft, so composing the same draft twice gives the same bytes.

#include "model/message.hpp"

#include "common/time.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace redress::letters {

// A file sent with a message (the public complaint form's attachments, kept as mail keeps them).
struct FileAttachment {
    std::string filename;      // UTF-8, as the sender named it
    std::string content_type;  // "image/jpeg"; anything that is not type/subtype is sent as application/octet-stream
    std::string bytes;
};

struct EmailDraft {
    Mailbox from;
    Mailbox to;
    std::string subject;                  // UTF-8, carries the ticket tag "[RD-000123]" when it belongs to a ticket
    std::string body;                     // UTF-8, lines end in LF (CRLF and CR are accepted too)
    std::string message_id;               // without angle brackets (make_message_id)
    std::string in_reply_to;              // without angle brackets; empty when not a reply
    std::vector<std::string> references;  // without angle brackets, oldest first
    TimePoint date{};
    std::string language;               // "ru": written as Content-Language (RFC 3282) when set
    std::vector<Header> extra_headers;  // Auto-Submitted, X-Redress-Ticket... (automatic_headers)
    // With files the message is multipart/mixed (RFC 2046 5.1.3): the text first, then each file in
    // base64 with its name (RFC 2231 for names that are not ASCII).
    std::vector<FileAttachment> attachments;
};

// The whole message, CRLF line ends, every header line folded within 998 characters (RFC 5322 2.1.1
// and 2.2.3). In-Reply-To is added to the end of References when missing (RFC 5322 3.6.4); more than
// 20 references are cut to the first and the last 19, as long chains make some servers refuse.
// Throws std::invalid_argument for an extra header whose name is not printable ASCII without ':'
// or one the composer writes itself (a programming error).
std::string compose_email(const EmailDraft& draft);

// "<unique>@<domain>" without the brackets. Characters of `unique` outside RFC 5322 dot-atom text are
// written as "=XX", so different inputs stay different ids; the domain is lower-cased, and
// "redress.invalid" stands in for an empty one.
std::string make_message_id(std::string_view unique_part, std::string_view domain);

// RFC 3834 5: "auto-replied" for an automatic answer to a customer's message (the
// acknowledgement), "auto-generated" for letters nobody asked for (alerts, reminders).
// `personal`: a letter a person wrote or chose to send (the workflow's letters): RFC 3834 asks for no
// Auto-Submitted header on it, so the customer's own auto-reply may answer it like any mail.
enum class AutoSubmitted { auto_replied, auto_generated, personal };

// Headers that keep automatic letters out of mail loops: Auto-Submitted (RFC 3834),
// X-Auto-Response-Suppress: All (Exchange sends no out-of-office answer to it) and, when the number
// is known, X-Redress-Ticket.
std::vector<Header> automatic_headers(AutoSubmitted kind, std::string_view ticket_number);

}  // namespace redress::letters
