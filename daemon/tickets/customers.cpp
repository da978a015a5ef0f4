#include "customers.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <cctype>

namespace redress::tickets {

namespace {

bool is_local_char(unsigned char c)
{
    return (std::isalnum(c) != 0) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c >= 0x80;
}

bool is_domain_char(unsigned char c)
{
    return (std::isalnum(c) != 0) || c == '.' || c == '-' || c >= 0x80;
}

bool is_phone_separator(char c)
{
    return c == ' ' || c == '-' || c == '(' || c == ')' || c == '.';
}

void add_once(std::vector<IdentityClaim>& out, IdentityClaim claim)
{
    if (claim.value.empty())
        return;
    for (const auto& c : out)
        if (c.kind == claim.kind && c.value == claim.value)
            return;
    out.push_back(std::move(claim));
}

}  // namespace

std::string normalise_email(std::string_view text)
{
    std::string address = ascii_lower(trim(text));
    if (!is_plain_addr_spec(address))
        return {};
    return address;
}

std::string normalise_phone(std::string_view text)
{
    std::string_view t = trim(text);
    std::string digits;
    bool plus = false;
    for (char c : t) {
        if (c == '+' && digits.empty() && !plus)
            plus = true;
        else if (std::isdigit(static_cast<unsigned char>(c)) != 0)
            digits += c;
        else if (!is_phone_separator(c) && c != '/')
            return {};
    }
    if (!plus && digits.starts_with("00")) {
        plus = true;
        digits.erase(0, 2);
    }
    if (digits.size() < 7 || digits.size() > 15)
        return {};
    return plus ? "+" + digits : digits;
}

std::string normalise_chat_user(std::string_view text)
{
    std::string_view t = trim(text);
    auto colon = t.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == t.size())
        return {};
    for (unsigned char c : t)
        if (c < 0x21 || c == 0x7f)
            return {};
    return std::string(t);
}

std::string normalise_identity(IdentityKind kind, std::string_view text)
{
    switch (kind) {
    case IdentityKind::email:
        return normalise_email(text);
    case IdentityKind::phone:
        return normalise_phone(text);
    case IdentityKind::chat:
        return normalise_chat_user(text);
    }
    return {};
}

IdentityKind guess_identity_kind(std::string_view text)
{
    if (text.find('@') != std::string_view::npos)
        return IdentityKind::email;
    if (text.find(':') != std::string_view::npos)
        return IdentityKind::chat;
    return IdentityKind::phone;
}

std::vector<IdentityClaim> mentioned_identities(std::string_view text, std::string_view source)
{
    std::vector<IdentityClaim> out;
    // Addresses: around each @, the characters an address may have; the domain needs a dot.
    for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
        std::size_t begin = at;
        while (begin > 0 && is_local_char(static_cast<unsigned char>(text[begin - 1])))
            --begin;
        std::size_t end = at + 1;
        while (end < text.size() && is_domain_char(static_cast<unsigned char>(text[end])))
            ++end;
        std::string_view local = text.substr(begin, at - begin);
        std::string_view domain = text.substr(at + 1, end - at - 1);
        while (!local.empty() && local.front() == '.')
            local.remove_prefix(1);
        while (!domain.empty() && (domain.back() == '.' || domain.back() == '-'))
            domain.remove_suffix(1);  // the full stop that ends the sentence
        if (local.empty() || domain.find('.') == std::string_view::npos)
            continue;
        add_once(out,
                 IdentityClaim{IdentityKind::email, normalise_email(std::string(local) + "@" + std::string(domain)),
                               std::string(source)});
    }
    // Phone numbers: a run of digits and separators, starting with "+" or a digit.
    for (std::size_t i = 0; i < text.size();) {
        char c = text[i];
        bool starts = c == '+' || (std::isdigit(static_cast<unsigned char>(c)) != 0);
        bool after_word =
            i > 0 && ((std::isalnum(static_cast<unsigned char>(text[i - 1])) != 0) || text[i - 1] == '@' ||
                      text[i - 1] == '.' || text[i - 1] == '-' || text[i - 1] == '/');
        if (!starts || after_word) {
            ++i;
            continue;
        }
        std::size_t end = i + 1;
        int digits = (std::isdigit(static_cast<unsigned char>(c)) != 0) ? 1 : 0;
        bool separated = false;
        while (end < text.size()) {
            char d = text[end];
            if (std::isdigit(static_cast<unsigned char>(d)) != 0) {
                ++digits;
            } else if (is_phone_separator(d) && end + 1 < text.size() &&
                       ((std::isdigit(static_cast<unsigned char>(text[end + 1])) != 0) || text[end + 1] == '(' ||
                        (d == ')' && text[end + 1] == ' '))) {
                separated = true;
            } else {
                break;
            }
            ++end;
        }
        bool glued =
            end < text.size() && ((std::isalpha(static_cast<unsigned char>(text[end])) != 0) || text[end] == '@');
        bool plausible = c == '+' ? digits >= 8 : digits >= 10 && separated;
        if (plausible && !glued)
            add_once(out,
                     IdentityClaim{IdentityKind::phone, normalise_phone(text.substr(i, end - i)), std::string(source)});
        i = end;
    }
    return out;
}

CustomerLink customer_link(const Message& message, SenderProof proof, std::string_view typed_phone,
                           std::int64_t ticket_id, std::optional<std::int64_t> message_id, TimePoint at)
{
    CustomerLink link;
    link.ticket_id = ticket_id;
    link.message_id = message_id;
    link.at = at;
    link.name = message.from.name;
    std::vector<IdentityClaim> suggested;
    switch (proof) {
    case SenderProof::mail:
        if (auto address = normalise_email(message.from.address); !address.empty())
            link.verified = IdentityClaim{IdentityKind::email, address, "mail from"};
        break;
    case SenderProof::chat:
        if (message.chat) {
            if (auto user = normalise_chat_user(message.chat->user_id); !user.empty())
                link.verified = IdentityClaim{IdentityKind::chat, user, "chat user"};
            add_once(suggested,
                     IdentityClaim{IdentityKind::email, normalise_email(message.chat->email), "chat contact"});
            add_once(suggested,
                     IdentityClaim{IdentityKind::phone, normalise_phone(message.chat->phone), "chat contact"});
        }
        break;
    case SenderProof::public_form:
    case SenderProof::staff_intake: {
        std::string source = proof == SenderProof::public_form ? "web form" : "taken by staff";
        add_once(suggested, IdentityClaim{IdentityKind::email, normalise_email(message.from.address), source});
        add_once(suggested, IdentityClaim{IdentityKind::phone, normalise_phone(typed_phone), source});
        break;
    }
    case SenderProof::linked:
        break;
    }
    std::string said = message.text;
    if (!message.signature.empty())
        said += "\n" + message.signature;
    for (auto& claim : mentioned_identities(said, "message text"))
        add_once(suggested, std::move(claim));
    for (auto& claim : suggested)
        if (!link.verified || claim.kind != link.verified->kind || claim.value != link.verified->value)
            link.suggested.push_back(std::move(claim));
    return link;
}

Result<void> check_ticket_merge(const Ticket& from, const Ticket& into, bool from_merged, bool into_merged,
                                bool same_customer, bool confirmed)
{
    if (from.id == into.id)
        return make_error(ErrorKind::conflict, "merge.same_ticket", "A ticket cannot be merged into itself.");
    if (from_merged)
        return make_error(ErrorKind::conflict, "merge.already_merged", from.number + " is merged already.");
    if (into_merged)
        return make_error(ErrorKind::conflict, "merge.into_merged",
                          into.number + " is merged into another ticket: merge into that one.");
    for (const Ticket* t : {&from, &into}) {
        if (t->status == TicketStatus::closed || t->status == TicketStatus::resolved)
            return make_error(ErrorKind::conflict, "merge.finished",
                              t->number + " is " + std::string(to_string(t->status)) +
                                  ": only open tickets are merged (reopen it first).");
    }
    if (!same_customer && !confirmed)
        return make_error(ErrorKind::conflict, "merge.other_customer",
                          from.number + " and " + into.number +
                              " belong to two customers: merge the customers, or confirm that the tickets are one "
                              "matter (\"confirm\": true).");
    return {};
}

Ticket merged_ticket(const Ticket& from, Ticket into, TimePoint now)
{
    into.received_at = std::min(from.received_at, into.received_at);
    if (from.first_responded_at && (!into.first_responded_at || *from.first_responded_at < *into.first_responded_at))
        into.first_responded_at = from.first_responded_at;
    if (from.severity == Severity::major)
        into.severity = Severity::major;
    into.updated_at = now;
    return into;
}

}  // namespace redress::tickets
