#include "staff_events.hpp"

#include "common/text.hpp"
#include "deadlines.hpp"
#include "store/store.hpp"
#include "tickets/lifecycle.hpp"

#include <nlohmann/json.hpp>

namespace redress::pipeline {

namespace {

Result<Ticket> ticket_to_change(store::Transaction& tx, std::string_view number)
{
    auto found = tx.ticket_by_number(number);
    if (!found)
        return found.error();
    if (!*found)
        return make_error("ticket.not_found", "no ticket " + std::string(number));
    return **found;
}

Result<Ticket> save(store::Transaction& tx, const Ticket& ticket)
{
    TRY(tx.update_ticket(ticket));
    TRY(tx.commit());
    return ticket;
}

}  // namespace

Result<Ticket> record_staff_event(const Runtime& runtime, store::Store& store, std::string_view number,
                                  StaffEvent event, std::string_view actor, std::string_view note, TimePoint now)
{
    auto tx = store.begin();
    if (!tx)
        return tx.error();
    auto found = ticket_to_change(**tx, number);
    if (!found)
        return found.error();
    Ticket ticket = *found;
    nlohmann::json detail{{"note", note}};
    sla::ClockEventType clock;
    std::string action;
    if (event == StaffEvent::responded) {
        clock = sla::ClockEventType::first_response;
        action = "ticket.responded";
        if (!ticket.first_responded_at)
            ticket.first_responded_at = now;
        // Answering a new complaint starts the investigation (handbook step after acknowledging).
        if ((ticket.status == TicketStatus::new_ticket || ticket.status == TicketStatus::acknowledged) &&
            tickets::can_transition(ticket.status, TicketStatus::investigating)) {
            detail["from"] = to_string(ticket.status);
            ticket.status = TicketStatus::investigating;
            detail["to"] = to_string(ticket.status);
        }
    } else {
        clock = sla::ClockEventType::waiting_for_customer;
        action = "ticket.waiting_for_customer";
        ticket.awaiting_customer = true;
    }
    ticket.updated_at = now;
    if (auto r = (*tx)->add_audit(AuditEvent{0, ticket.id, now, std::string(actor), action, detail.dump()}); !r)
        return r.error();
    TRY(record_clock_event(**tx, ticket, clock, now));
    TRY(refresh_deadlines(runtime, **tx, ticket, now));
    return save(**tx, ticket);
}

Result<Ticket> assign_ticket(store::Store& store, std::string_view number, std::string_view assignee,
                             std::string_view actor, TimePoint now)
{
    std::string to;
    if (!trim(assignee).empty()) {
        auto mailbox = parse_typed_mailbox(assignee);
        if (!mailbox)
            return make_error("ticket.assignee",
                              "expected \"Name <address>\" or an address, found \"" + std::string(assignee) + "\"");
        to = format_typed_mailbox(*mailbox);
    }
    auto tx = store.begin();
    if (!tx)
        return tx.error();
    auto found = ticket_to_change(**tx, number);
    if (!found)
        return found.error();
    Ticket ticket = *found;
    if (ticket.assignee == to)
        return ticket;
    nlohmann::json detail{{"from", ticket.assignee}, {"to", to}};
    ticket.assignee = to;
    ticket.updated_at = now;
    if (auto r = (*tx)->add_audit(AuditEvent{0, ticket.id, now, std::string(actor), "ticket.assigned", detail.dump()});
        !r)
        return r.error();
    return save(**tx, ticket);
}

}  // namespace redress::pipeline
