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

namespace {

void append_readable(const Message& m, std::string& out)
{
    auto line = [&](std::string_view text) {
        if (!text.empty())
            out.append(text).append("\n");
    };
    for (const auto& h : m.headers)
        line(h.name + ": " + h.value);
    for (const Mailbox* box : {&m.from, m.reply_to ? &*m.reply_to : nullptr}) {
        if (box != nullptr) {
            line(box->name);
            line(box->address);
        }
    }
    for (const auto* list : {&m.to, &m.cc})
        for (const auto& box : *list) {
            line(box.name);
            line(box.address);
        }
    line(m.subject);
    line(m.text);
    line(m.quoted);
    line(m.signature);
    for (const auto& a : m.attachments)
        line(a.filename);
    for (const auto& inner : m.embedded)
        append_readable(inner, out);
}

}  // namespace

std::optional<std::string> readable_mail(std::string_view bytes)
{
    auto parsed = mime::parse_message(bytes);
    if (!parsed)
        return std::nullopt;
    std::string out;
    append_readable(*parsed, out);
    return out;
}

}  // namespace redress::pipeline
