#include "loop_guard.hpp"

#include "common/text.hpp"

#include <cstdint>

namespace redress::pipeline {

namespace {
std::string_view domain_of(std::string_view address)
{
    auto at = address.rfind('@');
    return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}
std::string_view local_part(std::string_view address)
{
    auto at = address.rfind('@');
    return at == std::string_view::npos ? address : address.substr(0, at);
}
}  // namespace

bool is_own_letter(const Message& message, const config::Config& config)
{
    if (message.header(k_loop_header))
        return true;
    // Our Message-IDs look like "<ticket>.<template>.<hash>@<domain>"; a customer's client never
    // makes an id in our domain with our marker.
    return iequals(domain_of(message.message_id), config.company.message_id_domain) &&
           message.message_id.find(".redress.") != std::string::npos;
}

Mailbox reply_address(const Message& message)
{
    // RFC 5322 3.6.2 says replies go to Reply-To. But anyone can write any Reply-To, and an
    // automatic letter sent there would be mail from our domain aimed at a third party
    // (backscatter). So automatic letters follow Reply-To only within the sender's own domain
    // ("anna@shop.example" may ask for "orders@shop.example"); otherwise they answer From.
    const Mailbox* chosen = &message.from;
    if (message.reply_to && !message.reply_to->address.empty()) {
        std::string_view from_domain = domain_of(message.from.address);
        if (!from_domain.empty() && iequals(domain_of(message.reply_to->address), from_domain))
            chosen = &*message.reply_to;
    }
    return Mailbox{plain_display_name(chosen->name), chosen->address};
}

std::string plain_display_name(std::string_view name)
{
    std::string out;
    std::size_t letters = 0;
    bool blank = false;
    std::size_t i = 0;
    while (i < name.size() && letters < k_max_display_name_letters) {
        auto c = static_cast<unsigned char>(name[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
        if (i + len > name.size())
            len = 1;
        std::string_view ch = name.substr(i, len);
        i += len;
        std::uint32_t cp = c;
        if (len == 2)
            cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(ch[1]) & 0x3Fu);
        else if (len == 3)
            cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(ch[1]) & 0x3Fu) << 6) |
                 (static_cast<unsigned char>(ch[2]) & 0x3Fu);
        else if (len == 4)
            cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(ch[1]) & 0x3Fu) << 12) |
                 ((static_cast<unsigned char>(ch[2]) & 0x3Fu) << 6) | (static_cast<unsigned char>(ch[3]) & 0x3Fu);
        // Control characters (C0, DEL, C1), line and paragraph separators and the bidirectional
        // overrides that can make a name read backwards are no part of a person's name.
        bool control = cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 ||
                       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || (len == 1 && c >= 0x80);
        if (control || cp == ' ' || cp == 0xA0) {
            blank = true;
            continue;
        }
        if (blank && !out.empty()) {
            out.push_back(' ');
            ++letters;
            if (letters >= k_max_display_name_letters)
                break;
        }
        blank = false;
        out.append(ch);
        ++letters;
    }
    return out;
}

std::optional<std::string> automatic_reply_refusal(const Message& message, const Classification& classification,
                                                   const config::Config& config)
{
    if (classification.kind == Kind::automatic)
        return "automatic mail (RFC 3834): no automatic answer";
    if (classification.kind == Kind::spam)
        return "spam gets no answer";
    if (classification.bulk)
        return "list or bulk mail gets no automatic answer";
    // A chat message is answered in its conversation: there is no mail address to check.
    if (message.chat) {
        if (message.chat->conversation.empty())
            return "no conversation to answer";
        return std::nullopt;
    }
    if (is_own_letter(message, config))
        return "one of our own letters came back";
    // RFC 5321 4.5.5: a null reverse-path marks a notification that must not be answered.
    if (trim(message.return_path) == "<>")
        return "empty Return-Path (a delivery notification)";
    Mailbox to = reply_address(message);
    if (to.address.empty() || to.address.find('@') == std::string::npos)
        return "no address to answer";
    std::string local = ascii_lower(local_part(to.address));
    for (std::string_view marker : {"noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply",
                                    "mailer-daemon", "postmaster", "bounce"})
        if (local.find(marker) != std::string::npos)
            return "the sender " + to.address + " does not take replies";
    if (iequals(to.address, config.company.support_address.address))
        return "the sender is our own support address";
    return std::nullopt;
}

}  // namespace redress::pipeline
