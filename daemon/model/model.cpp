#include "classification.hpp"
#include "message.hpp"
#include "ticket.hpp"
#include "workflow.hpp"

#include "common/text.hpp"

#include <array>
#include <utility>

namespace redress {

namespace {
template<class E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view text)
{
    for (auto& [value, name] : table)
        if (name == text)
            return value;
    return std::nullopt;
}
template<class E, std::size_t N>
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
constexpr std::array<std::pair<Severity, std::string_view>, 2> k_severities{{{Severity::normal, "normal"},
                                                                            {Severity::major, "major"}}};
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

std::string_view to_string(Role role) { return name_of(k_roles, role); }
std::optional<Role> role_from_string(std::string_view text) { return lookup(k_roles, text); }
std::string_view to_string(Verdict verdict) { return name_of(k_verdicts, verdict); }
std::optional<Verdict> verdict_from_string(std::string_view text) { return lookup(k_verdicts, text); }
std::string_view to_string(ActionFor target) { return name_of(k_action_targets, target); }
std::optional<ActionFor> action_for_from_string(std::string_view text) { return lookup(k_action_targets, text); }
std::string_view to_string(ActionState state) { return name_of(k_action_states, state); }
std::optional<ActionState> action_state_from_string(std::string_view text) { return lookup(k_action_states, text); }

std::string_view to_string(Kind kind) { return name_of(k_kinds, kind); }
std::optional<Kind> kind_from_string(std::string_view text) { return lookup(k_kinds, text); }
std::string_view to_string(Severity severity) { return name_of(k_severities, severity); }
std::optional<Severity> severity_from_string(std::string_view text) { return lookup(k_severities, text); }
std::string_view to_string(TicketStatus status) { return name_of(k_statuses, status); }
std::optional<TicketStatus> ticket_status_from_string(std::string_view text) { return lookup(k_statuses, text); }
std::string_view to_string(LetterStatus status) { return name_of(k_letter_statuses, status); }
std::optional<LetterStatus> letter_status_from_string(std::string_view text) { return lookup(k_letter_statuses, text); }

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

std::optional<Mailbox> parse_typed_mailbox(std::string_view text)
{
    text = trim(text);
    Mailbox m;
    auto lt = text.find('<');
    auto gt = text.rfind('>');
    if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) {
        m.name = std::string(trim(text.substr(0, lt)));
        if (m.name.size() >= 2 && m.name.front() == '"' && m.name.back() == '"')
            m.name = m.name.substr(1, m.name.size() - 2);
        m.address = std::string(trim(text.substr(lt + 1, gt - lt - 1)));
    } else {
        m.address = std::string(text);
    }
    auto at = m.address.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == m.address.size() || m.address.find_first_of(" <>,;") != std::string::npos)
        return std::nullopt;
    // No control characters in either part: they would end up in a mail header.
    for (const std::string* part : {&m.address, &m.name})
        for (unsigned char c : *part)
            if (c < 0x20 || c == 0x7F)
                return std::nullopt;
    return m;
}

std::string format_typed_mailbox(const Mailbox& mailbox)
{
    return mailbox.name.empty() ? mailbox.address : mailbox.name + " <" + mailbox.address + ">";
}

}  // namespace redress
