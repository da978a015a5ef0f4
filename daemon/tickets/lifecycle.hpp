#pragma once
// The ticket's state machine, as the complaint handbooks describe it. Pure: the manager's API (next
// round) and the pipeline both ask it before changing a status, and write an audit row for each change.
//
//   new -> acknowledged -> investigating -> justified | unjustified -> action_planned -> resolved -> closed
//
// A customer's reply reopens a resolved or closed ticket (back to investigating).

#include "model/ticket.hpp"

#include <string>

namespace redress::tickets {

bool can_transition(TicketStatus from, TicketStatus to);

// What a customer's new message does to the ticket: reopens it if it was resolved or closed, and
// ends a wait for the customer. Returns a sentence for the audit row, empty when nothing changed.
std::string apply_customer_reply(Ticket& ticket, TimePoint now);

}  // namespace redress::tickets
