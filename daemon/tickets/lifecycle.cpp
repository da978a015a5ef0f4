#include "lifecycle.hpp"

#include "common/text.hpp"

namespace redress::tickets {

bool can_transition(TicketStatus from, TicketStatus to)
{
    using S = TicketStatus;
    switch (from) {
    case S::new_ticket:
        return to == S::acknowledged || to == S::investigating;
    case S::acknowledged:
        return to == S::investigating;
    case S::investigating:
        return to == S::justified || to == S::unjustified;
    case S::justified:
    case S::unjustified:
        // Corrective actions are recorded in both cases (handbook 000: even an unjustified complaint
        // gets a way out offered); a verdict may also be revised after more facts.
        return to == S::action_planned || to == S::investigating;
    case S::action_planned:
        return to == S::resolved || to == S::investigating;
    case S::resolved:
        return to == S::closed || to == S::investigating;
    case S::closed:
        return to == S::investigating;
    }
    return false;
}

std::string apply_customer_reply(Ticket& ticket, TimePoint now)
{
    std::string what;
    if (ticket.status == TicketStatus::resolved || ticket.status == TicketStatus::closed) {
        what = "reopened by the customer's reply (was " + std::string(to_string(ticket.status)) + ")";
        ticket.status = TicketStatus::investigating;
        ticket.resolved_at.reset();
        ticket.closed_at.reset();
        ticket.resolution_code.clear();
        ++ticket.version;  // someone about to act on the resolved ticket must look again
    }
    if (ticket.awaiting_customer) {
        ticket.awaiting_customer = false;
        what += what.empty() ? "" : "; ";
        what += "the customer answered: deadlines run again";
    }
    ticket.updated_at = now;
    return what;
}

bool within_reopen_window(const Ticket& ticket, TimePoint now, Seconds window)
{
    if (ticket.status != TicketStatus::resolved && ticket.status != TicketStatus::closed)
        return true;
    // Resolved is when the customer was told; a ticket closed without a resolution time (older
    // data) counts from its closing.
    std::optional<TimePoint> since = ticket.resolved_at ? ticket.resolved_at : ticket.closed_at;
    return !since || now - *since <= window;
}

std::optional<int> rating_in_reply(std::string_view text)
{
    text = trim(text);
    if (text.empty() || text.front() < '1' || text.front() > '5')
        return std::nullopt;
    // "5", "5 - спасибо", "5/5", "4." but not "10 days later" or "3.5 kg" or "2026-12-01".
    if (text.size() > 1) {
        char next = text[1];
        if (next >= '0' && next <= '9')
            return std::nullopt;
        if ((next == '.' || next == ',') && text.size() > 2 && text[2] >= '0' && text[2] <= '9')
            return std::nullopt;
        if (next == '-' && text.size() > 2 && text[2] >= '0' && text[2] <= '9')
            return std::nullopt;
    }
    return text.front() - '0';
}

bool reply_only_rates(std::string_view text)
{
    text = trim(text);
    if (!rating_in_reply(text))
        return false;
    // A score with a few words ("5 - спасибо, всё отлично") rates; more, or a question, raises
    // something a person should read with the ticket open.
    int words = 0;
    bool in_word = false;
    for (char c : text.substr(1)) {
        if (c == '?')
            return false;
        bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
        if (!space && !in_word)
            ++words;
        in_word = !space;
    }
    return words <= 8;
}

ReplyRole reply_role(const Ticket& ticket, std::string_view from, bool wrote_before, bool automatic)
{
    from = trim(from);
    // Ticket numbers are sequential and tags easy to type: a tag (or a reference to one of our
    // letters, which a forwarded letter carries too) says which ticket a message talks about, not
    // that its sender may act on it.
    bool party = !from.empty() && (iequals(from, trim(ticket.customer.email)) || wrote_before);
    if (!party)
        return ReplyRole::stranger;
    return automatic ? ReplyRole::automatic : ReplyRole::customer;
}

bool counts_as_customer_answer(ReplyRole role)
{
    return role == ReplyRole::customer;
}

}  // namespace redress::tickets
