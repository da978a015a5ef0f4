#pragma once
// What a person does on a ticket that moves its deadlines: the first human answer, or handing the
// ticket back to the customer (waiting: deadlines pause until the customer writes). Written like
// the pipeline writes a message: one transaction with the ticket, its audit and clock rows. The
// manager's API (next round) adds verdicts, actions, resolution and sign-off beside these.

#include "common/result.hpp"
#include "model/ticket.hpp"
#include "runtime.hpp"

#include <string>
#include <string_view>

namespace redress::store {
class Store;
}

namespace redress::pipeline {

enum class StaffEvent { responded, waiting_for_customer };

Result<Ticket> record_staff_event(const Runtime& runtime, store::Store& store, std::string_view number,
                                  StaffEvent event, std::string_view actor, std::string_view note, TimePoint now);

// Names who works the ticket: "Name <address>" or an address; empty hands it back to the owner.
// Deadline warnings go to the assignee's address; breaches still go to the owner, who answers for
// every ticket. Deadlines do not move.
Result<Ticket> assign_ticket(store::Store& store, std::string_view number, std::string_view assignee,
                             std::string_view actor, TimePoint now);

}  // namespace redress::pipeline
