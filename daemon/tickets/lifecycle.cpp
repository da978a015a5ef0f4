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
    }
    if (ticket.awaiting_customer) {
        ticket.awaiting_customer = false;
        what += what.empty() ? "" : "; ";
        what += "the customer answered: deadlines run again";
    }
    ticket.updated_at = now;
    return what;
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
