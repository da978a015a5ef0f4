#include "readable.hpp"

#include "letters/template_set.hpp"
#include "mime/letter_reader.hpp"
#include "mime/parser.hpp"

namespace redress::pipeline {

std::string letter_text(const Letter& letter)
{
    if (letters::is_chat_channel(letter.channel))
        return letter.content;
    return mime::read_letter(letter.content).body;
}

std::vector<Attachment> attachments_of(const StoredMessage& message)
{
    // Only mail keeps its RFC 5322 bytes in `raw`; a chat keeps the platform's JSON there.
    if (message.channel != "email" || message.raw.empty())
        return {};
    auto parsed = mime::parse_message(message.raw);
    if (!parsed)
        return {};
    return parsed->attachments;
}

}  // namespace redress::pipeline
