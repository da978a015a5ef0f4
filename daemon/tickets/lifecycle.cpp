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

bool customer_links_open(const Ticket& ticket, TimePoint now, Seconds lifetime)
{
    if (ticket.status != TicketStatus::resolved && ticket.status != TicketStatus::closed)
        return true;
    std::optional<TimePoint> since = ticket.resolved_at;
    if (ticket.closed_at && (!since || *ticket.closed_at > *since))
        since = ticket.closed_at;
    return !since || now - *since <= lifetime;
}

std::optional<int> rating_in_reply(std::string_view text)
{
    text = trim(text);
    if (text.empty() || text.front() < '1' || text.front() > '5')
        return std::nullopt;
    // The score stands alone or is followed by punctuation: "5", "5!", "4 - спасибо", "5/5",
    // "3.", "1, дуже погано", "5 :)". "2 parcels are still missing", "10 days", "3.5 kg" and
    // "2026-12-01" are no scores.
    std::string_view rest = text.substr(1);
    std::size_t spaces = 0;
    while (spaces < rest.size() && (rest[spaces] == ' ' || rest[spaces] == '\t'))
        ++spaces;
    rest.remove_prefix(spaces);
    if (rest.empty() || rest.front() == '\r' || rest.front() == '\n')
        return text.front() - '0';
    static constexpr std::string_view k_after_score = "-/.,:;!)";
    if (k_after_score.find(rest.front()) == std::string_view::npos && !rest.starts_with("\xE2\x80\x93") &&
        !rest.starts_with("\xE2\x80\x94"))  // en and em dashes
        return std::nullopt;
    // A digit right after ".", ",", "-" or "/" is part of a number or a date, except "5/5".
    if (spaces == 0 && rest.size() > 1 && rest[1] >= '0' && rest[1] <= '9' && !(rest[0] == '/' && rest[1] == '5'))
        return std::nullopt;
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
