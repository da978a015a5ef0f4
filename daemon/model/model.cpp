#include "classification.hpp"
#include "message.hpp"
#include "ticket.hpp"
#include "workflow.hpp"

#include "common/text.hpp"

#include <array>
#include <utility>

namespace redress {

namespace {
template <class E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view text)
{
    for (auto& [value, name] : table)
        if (name == text)
            return value;
    return std::nullopt;
}
template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value)
{
    for (auto& [v, name] : table)
        if (v == value)
            return name;
    return "?";
}

constexpr std::array<std::pair<Kind, std::string_view>, 7> k_kinds{{{Kind::complaint, "complaint"},
                                                                    {Kind::gratitude, "gratitude"},
                                                                    {Kind::question, "question"},
                                                                    {Kind::suggestion, "suggestion"},
                                                                    {Kind::spam, "spam"},
                                                                    {Kind::automatic, "automatic"},
                                                                    {Kind::other, "other"}}};
constexpr std::array<std::pair<Severity, std::string_view>, 2> k_severities{
    {{Severity::normal, "normal"}, {Severity::major, "major"}}};
constexpr std::array<std::pair<TicketStatus, std::string_view>, 8> k_statuses{{
    {TicketStatus::new_ticket, "new"},
    {TicketStatus::acknowledged, "acknowledged"},
    {TicketStatus::investigating, "investigating"},
    {TicketStatus::justified, "justified"},
    {TicketStatus::unjustified, "unjustified"},
    {TicketStatus::action_planned, "action_planned"},
    {TicketStatus::resolved, "resolved"},
    {TicketStatus::closed, "closed"},
}};
constexpr std::array<std::pair<LetterStatus, std::string_view>, 3> k_letter_statuses{
    {{LetterStatus::queued, "queued"}, {LetterStatus::sent, "sent"}, {LetterStatus::failed, "failed"}}};
constexpr std::array<std::pair<Role, std::string_view>, 3> k_roles{
    {{Role::agent, "agent"}, {Role::manager, "manager"}, {Role::owner, "owner"}}};
constexpr std::array<std::pair<Verdict, std::string_view>, 2> k_verdicts{
    {{Verdict::justified, "justified"}, {Verdict::unjustified, "unjustified"}}};
constexpr std::array<std::pair<ActionFor, std::string_view>, 2> k_action_targets{
    {{ActionFor::customer, "customer"}, {ActionFor::process, "process"}}};
constexpr std::array<std::pair<ActionState, std::string_view>, 3> k_action_states{
    {{ActionState::open, "open"}, {ActionState::done, "done"}, {ActionState::verified, "verified"}}};
}  // namespace

std::string_view to_string(Role role)
{
    return name_of(k_roles, role);
}
std::optional<Role> role_from_string(std::string_view text)
{
    return lookup(k_roles, text);
}
std::string_view to_string(Verdict verdict)
{
    return name_of(k_verdicts, verdict);
}
std::optional<Verdict> verdict_from_string(std::string_view text)
{
    return lookup(k_verdicts, text);
}
std::string_view to_string(ActionFor target)
{
    return name_of(k_action_targets, target);
}
std::optional<ActionFor> action_for_from_string(std::string_view text)
{
    return lookup(k_action_targets, text);
}
std::string_view to_string(ActionState state)
{
    return name_of(k_action_states, state);
}
std::optional<ActionState> action_state_from_string(std::string_view text)
{
    return lookup(k_action_states, text);
}

std::string_view to_string(Kind kind)
{
    return name_of(k_kinds, kind);
}
std::optional<Kind> kind_from_string(std::string_view text)
{
    return lookup(k_kinds, text);
}
std::string_view to_string(Severity severity)
{
    return name_of(k_severities, severity);
}
std::optional<Severity> severity_from_string(std::string_view text)
{
    return lookup(k_severities, text);
}
std::string_view to_string(TicketStatus status)
{
    return name_of(k_statuses, status);
}
std::optional<TicketStatus> ticket_status_from_string(std::string_view text)
{
    return lookup(k_statuses, text);
}
std::string_view to_string(LetterStatus status)
{
    return name_of(k_letter_statuses, status);
}
std::optional<LetterStatus> letter_status_from_string(std::string_view text)
{
    return lookup(k_letter_statuses, text);
}

const std::string* Message::header(std::string_view name) const
{
    for (auto& h : headers)
        if (iequals(h.name, name))
            return &h.value;
    return nullptr;
}

std::vector<std::string> Message::headers_named(std::string_view name) const
{
    std::vector<std::string> out;
    for (auto& h : headers)
        if (iequals(h.name, name))
            out.push_back(h.value);
    return out;
}

namespace {

// RFC 5322 3.2.3 atext. Bytes of UTF-8 (RFC 6532 3.2) are taken as text too: they carry no structure.
bool atext(char c)
{
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return true;
    return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// dot-atom-text: atext runs joined by single dots, none at either end.
bool dot_atom_text(std::string_view s)
{
    if (s.empty() || s.front() == '.' || s.back() == '.')
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '.') {
            if (s[i - 1] == '.')
                return false;
        } else if (!atext(s[i])) {
            return false;
        }
    }
    return true;
}

}  // namespace

bool is_plain_addr_spec(std::string_view address)
{
    auto at = address.find('@');
    if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos)
        return false;
    return dot_atom_text(address.substr(0, at)) && dot_atom_text(address.substr(at + 1));
}

std::optional<Mailbox> parse_typed_mailbox(std::string_view text)
{
    text = trim(text);
    // No control characters anywhere: a CR or LF would end up in a mail header.
    for (unsigned char c : text)
        if (c < 0x20 || c == 0x7F)
            return std::nullopt;
    Mailbox m;
    auto lt = text.find('<');
    if (lt != std::string_view::npos) {
        // "Name <address>": one pair of brackets, and nothing after the closing one (a second
        // address after it would be dropped without a word).
        if (text.back() != '>' || text.find('>') != text.size() - 1 || text.find('<', lt + 1) != std::string_view::npos)
            return std::nullopt;
        std::string_view name = trim(text.substr(0, lt));
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
            name = name.substr(1, name.size() - 2);
            if (name.find_first_of("\"\\") != std::string_view::npos)
                return std::nullopt;
        } else if (name.find_first_of("\",;:@<>()[]\\") != std::string_view::npos) {
            // RFC 5322 3.2.3 specials are structure in a header: a name with them must be quoted.
            return std::nullopt;
        }
        m.name = std::string(name);
        m.address = std::string(trim(text.substr(lt + 1, text.size() - lt - 2)));
    } else {
        m.address = std::string(text);
    }
    // A plain addr-spec only: nothing (a comma, a colon, a quote, a second @) that could make the To
    // header name someone else.
    if (!is_plain_addr_spec(m.address))
        return std::nullopt;
    return m;
}

std::string format_typed_mailbox(const Mailbox& mailbox)
{
    if (mailbox.name.empty())
        return mailbox.address;
    // A name with specials is written quoted, so that parse_typed_mailbox reads it back the same.
    bool quote = mailbox.name.find_first_of(",;:@<>()[]") != std::string::npos;
    return (quote ? "\"" + mailbox.name + "\"" : mailbox.name) + " <" + mailbox.address + ">";
}

}  // namespace redress
