#pragma once
// A ticket's records as a person reads them on the staff page: one of our letters as its recipient
// sees it (the outbox keeps an email as its RFC 5322 bytes), and the attachments a customer's mail
// carried (listed with name, type and size; their bytes are never stored). Pure: values in, values out.

#include "model/message.hpp"
#include "model/ticket.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::pipeline {

// The body of the letter in UTF-8: a chat letter's text as it is, an email's body decoded.
std::string letter_text(const Letter& letter);

// The attachments of a customer's mail; none for a message that did not come as mail (a chat's
// stored JSON, a phone complaint) or that cannot be read again.
std::vector<Attachment> attachments_of(const StoredMessage& message);

// A mail file (quarantined mail, a file outbox's letter) as the words a person reads in it: every
// header field with its RFC 2047 words decoded, the addresses, and the text with its transfer
// encoding and charset undone (embedded messages' too), one line each. What an erase looks for a
// customer's identities in besides the file's bytes. nullopt when the bytes cannot be read as mail.
std::optional<std::string> readable_mail(std::string_view bytes);

}  // namespace redress::pipeline
