#pragma once
// Keeps a ticket's stored deadlines true: recomputed from its clock history on every change, and
// the alerts they call for queued as letters (each once, by its dedup key).
//
// The clock history is kept as audit rows whose action starts with "clock." (clock.opened,
// clock.acknowledged, clock.customer_replied, clock.reclassified; the manager's API adds
// clock.first_response, clock.waiting_for_customer, clock.resolved, clock.closed). Audit is the
// record of what happened, so the deadlines can always be recomputed from it.

#include "common/result.hpp"
#include "model/ticket.hpp"
#include "runtime.hpp"
#include "sla/sla.hpp"

#include <optional>
#include <vector>

namespace redress::store {
class Transaction;
class People;
}  // namespace redress::store

namespace redress::pipeline {

// Pure: the clock events among a ticket's audit rows, oldest first.
std::vector<sla::ClockEvent> clock_history(const std::vector<AuditEvent>& audit);

// Writes one clock event as an audit row.
Result<void> record_clock_event(store::Transaction& tx, const Ticket& ticket, sla::ClockEventType type, TimePoint now);

// The deadlines of a ticket as of `now` (reads its history in the transaction).
Result<sla::DeadlineSet> ticket_deadlines(const Runtime& runtime, store::Transaction& tx, const Ticket& ticket,
                                          TimePoint now);

// Recomputes ticket.first_response_due and ticket.resolution_due; the caller stores the ticket.
Result<void> refresh_deadlines(const Runtime& runtime, store::Transaction& tx, Ticket& ticket, TimePoint now);

// Queues the alert letters due at `now` for this ticket (those already queued are skipped by their
// dedup key) and returns the next time one falls due. `queued` counts the letters written.
// `people` names the assignee's address when the ticket is assigned to a user by login name.
Result<std::optional<TimePoint>> queue_due_alerts(const Runtime& runtime, store::Transaction& tx, store::People& people,
                                                  const Ticket& ticket, TimePoint now, int& queued);

// The dedup key of an alert letter: "alert:<ticket number>:<alert key>"; its chat copy (escalations
// to someone with a chat address) adds ":chat".
std::string alert_dedup_key(const Ticket& ticket, std::string_view alert_key);
// Whether either copy of the alert with this dedup key was ever queued.
Result<bool> alert_already_queued(store::Transaction& tx, const std::string& dedup_key);

}  // namespace redress::pipeline
