#include "letter_writer.hpp"

#include "common/log.hpp"
#include "common/text.hpp"
#include "letters/letters.hpp"
#include "loop_guard.hpp"
#include "threading.hpp"

#include <cstdio>

namespace redress::pipeline {

namespace {
// FNV-1a, 64 bit: a stable, dependency-free fingerprint of the dedup key.
std::uint64_t fnv1a(std::string_view text)
{
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}
}  // namespace

std::string letter_message_id(std::string_view install_id, std::string_view dedup_key, std::string_view ticket_number,
                              std::string_view template_name, std::string_view domain)
{
    char hash[17];
    std::string key = std::string(install_id) + "\n" + std::string(dedup_key);
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a(key)));
    std::string unique = ascii_lower(ticket_number.empty() ? "none" : ticket_number) + "." +
                         std::string(template_name) + ".redress." + hash;
    return letters::make_message_id(unique, domain);
}

namespace {

// UTF-16 code units of the UTF-8 character starting with this byte: Telegram counts a text's
// length in them (a character beyond the Basic Multilingual Plane, such as an emoji, is two).
std::size_t utf16_units(unsigned char lead)
{
    return lead >= 0xF0 ? 2 : 1;
}

}  // namespace

std::size_t chat_text_limit(config::ChatType type)
{
    switch (type) {
    case config::ChatType::telegram:
        return 4096;  // Bot API sendMessage: "1-4096 characters after entities parsing"
    case config::ChatType::slack:
        return 40000;  // chat.postMessage truncates a text longer than 40,000 characters
    case config::ChatType::webhook:
        return 0;
    }
    return 4096;
}

std::string chat_text(std::string_view subject, std::string_view body, std::size_t max_units)
{
    std::string text = std::string(subject) + "\n\n" + std::string(body);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    if (max_units == 0)
        return text;
    constexpr std::string_view k_more = "\n[...]";
    // Where the text passes the limit, less the note; nothing to cut when it never does.
    std::size_t keep = max_units > k_more.size() ? max_units - k_more.size() : 0;
    std::size_t units = 0;
    std::size_t cut = std::string::npos;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto byte = static_cast<unsigned char>(text[i]);
        if ((byte & 0xC0) == 0x80)
            continue;  // a continuation byte: counted with its lead
        std::size_t n = utf16_units(byte);
        if (cut == std::string::npos && units + n > keep)
            cut = i;  // the start of the first character that does not fit
        units += n;
    }
    if (units <= max_units)
        return text;
    // Back to the end of a line if one is near: a cut sentence is harder to read than a missing one.
    if (auto line = text.rfind('\n', cut); line != std::string::npos && line + 400 > cut)
        cut = line;
    text.resize(cut);
    return text + std::string(k_more);
}

std::optional<LetterRequest> chat_copy(const Runtime& runtime, LetterRequest request, std::string_view chat_address)
{
    auto address = config::parse_chat_address(chat_address);
    if (!address || !runtime.config.chat(address->chat))
        return std::nullopt;
    request.channel = "chat:" + address->chat;
    request.to.address = address->id;
    request.dedup_key += ":chat";
    return request;
}

bool address_to_conversation(const Runtime& runtime, const Ticket& ticket, LetterRequest& request,
                             std::string_view reply_to)
{
    auto address = config::parse_chat_address(ticket.conversation);
    if (!address)
        return false;
    const config::Chat* chat = runtime.config.chat(address->chat);
    if (!chat)
        return false;
    request.channel = "chat:" + address->chat;
    // Only Telegram quotes the message answered; Slack's thread is in the conversation already.
    config::ChatRecipient recipient{address->id, chat->type == config::ChatType::telegram ? std::string(reply_to) : ""};
    request.to = Mailbox{ticket.customer.name, config::format_chat_recipient(recipient)};
    return true;
}

letters::Values ticket_values(const Runtime& runtime, const Ticket& ticket, std::string_view language)
{
    const auto& c = runtime.config;
    letters::Values v;
    letters::add_ticket_values(v, ticket, language.empty() ? std::string_view(ticket.language) : language,
                               c.company.time_zone);
    v["company.name"] = c.company.name;
    v["company.support_address"] = c.company.support_address.address;
    v["owner.name"] = c.owner.name;
    v["owner.email"] = c.owner.email;
    return v;
}

Result<LetterText> render_letter(const Runtime& runtime, const LetterRequest& request)
{
    // The values are written in the language of the template actually used: a letter that falls
    // back to English carries English dates, not the customer's month names.
    auto values_for = [&](std::string_view letter_language) {
        letters::Values values =
            request.ticket ? ticket_values(runtime, *request.ticket, letter_language) : letters::Values{};
        values["recipient.name"] = request.to.name.empty() ? request.to.address : request.to.name;
        for (auto& [k, v] : request.extra_values)
            values[k] = v;
        if (request.language_values)
            request.language_values(values, letter_language);
        return values;
    };
    // A customer on a chat gets the chat variant of the letter: short, plain, no email phrasing.
    std::string name = runtime.templates.name_for_channel(request.template_name, request.language, request.channel);
    auto rendered = runtime.templates.render(name, request.language, values_for);
    if (!rendered)
        return rendered.error();
    std::string number = request.ticket ? request.ticket->number : std::string();
    LetterText text;
    text.subject = number.empty() ? rendered->subject : tagged_subject(rendered->subject, number);
    text.body = request.body_override ? *request.body_override : rendered->body;
    if (!text.body.empty() && text.body.back() != '\n')
        text.body += '\n';
    text.language = rendered->language;
    text.template_name = std::move(name);
    return text;
}

Result<Letter> write_letter(const Runtime& runtime, const LetterRequest& request, TimePoint now)
{
    const auto& c = runtime.config;
    auto rendered = render_letter(runtime, request);
    if (!rendered)
        return rendered.error();
    std::string number = request.ticket ? request.ticket->number : std::string();
    const std::string& subject = rendered->subject;

    Letter letter;
    letter.ticket_id = request.ticket ? std::optional<std::int64_t>(request.ticket->id) : std::nullopt;
    letter.channel = request.channel;
    letter.template_name = request.template_name;
    letter.recipient = request.to.address;
    letter.subject = subject;
    letter.dedup_key = request.dedup_key;
    letter.message_id = letter_message_id(request.install_id, request.dedup_key, number, request.template_name,
                                          c.company.message_id_domain);
    letter.created_at = now;
    letter.next_attempt_at = request.send_at.value_or(now);
    if (request.channel != "email") {
        // The platform's own limit; a chat no longer configured gets Telegram's, the smallest (its
        // letter fails at the outbox anyway).
        constexpr std::string_view k_chat = "chat:";
        std::string_view channel = request.channel;
        const config::Chat* chat = channel.starts_with(k_chat) ? c.chat(channel.substr(k_chat.size())) : nullptr;
        std::size_t limit = chat_text_limit(chat ? chat->type : config::ChatType::telegram);
        letter.content = chat_text(subject, rendered->body, limit);
        if (letter.content != chat_text(subject, rendered->body))
            log::warn("letter.cut_for_chat", {{"ticket", number},
                                              {"template", request.template_name},
                                              {"channel", request.channel},
                                              {"limit", std::to_string(limit)}});
        return letter;
    }

    letters::EmailDraft draft;
    draft.from = c.company.support_address;
    draft.to = request.to;
    draft.subject = subject;
    draft.body = rendered->body;
    draft.message_id = letter.message_id;
    draft.date = now;
    if (request.answering) {
        // RFC 5322 3.6.4: In-Reply-To names the message answered, References its thread plus it.
        draft.in_reply_to = request.answering->message_id;
        draft.references = request.answering->references;
        if (!request.answering->message_id.empty())
            draft.references.push_back(request.answering->message_id);
    }
    draft.language = rendered->language;
    draft.extra_headers = letters::automatic_headers(request.auto_submitted, number);
    draft.extra_headers.push_back(Header{std::string(k_loop_header), c.company.message_id_domain});
    draft.attachments = request.files;
    letter.content = letters::compose_email(draft);
    return letter;
}

}  // namespace redress::pipeline
