#pragma once
// One customer across channels, and two tickets of one matter merged (docs/customers.md). The rules
// are daemon/tickets/customers.hpp; here they are applied in one store transaction each, audited.
// The HTTP API (daemon/api/customer_api.*) and the command line (`redress customer show`,
// `redress tickets merge`) are front doors over these functions.

#include "common/result.hpp"
#include "common/time_source.hpp"
#include "model/customer_record.hpp"
#include "model/ticket.hpp"
#include "model/workflow.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::store {
class Store;
}
namespace redress::pipeline {
struct Runtime;
}

namespace redress::service {

// Everything about one customer a person needs: the record (resolved to the record it is merged
// into), its merged records, identities, open suggestions, every ticket on every channel and the
// customer's own history.
struct CustomerView {
    CustomerGroup group;
    std::string name;             // the record's name, else the newest ticket's customer name
    std::vector<Ticket> tickets;  // newest first
    std::vector<AuditEvent> audit;
};

// The customer as a ticket shows it: who they are and their other tickets (the earlier complaints
// and what became of them).
struct TicketCustomer {
    std::optional<CustomerView> customer;
    std::vector<Ticket> other_tickets;  // newest first, without the ticket itself
};

struct TicketMergeOutcome {
    Ticket survivor;
    Ticket merged;
};

class CustomerService {
public:
    CustomerService(store::Store& store, const TimeSource& time = system_time());

    // not_found for no such customer.
    Result<CustomerView> show(std::int64_t id);
    // WHO as people write it: a customer id, or any verified identity of the customer (an email
    // address, a phone number, a chat user "tg:98765"). not_found when nobody has it.
    Result<CustomerView> show_who(std::string_view who);
    // Lookup for the staff page: customers holding this identity, else whose name or identities
    // contain the text.
    Result<std::vector<CustomerView>> find(std::string_view text, int limit);
    Result<TicketCustomer> of_ticket(const Ticket& ticket);

    // Managers and owners (refused for agents). Merging points `id` (which must not be merged
    // already) to the customer `into` is part of; conflict when they are one customer already.
    // Undoing clears the pointer; conflict when `id` is not merged. Both audited on the records.
    Result<CustomerView> merge(std::int64_t id, std::int64_t into, const Actor& actor);
    Result<CustomerView> unmerge(std::int64_t id, const Actor& actor);
    // Any staff member: the suggested identity becomes a verified one of the record it was
    // suggested for ("staff:<name>"), audited. conflict when another customer holds it (merge them).
    Result<CustomerView> accept_suggestion(std::int64_t customer_id, std::int64_t suggestion_id, const Actor& actor);

private:
    store::Store& m_store;
    const TimeSource& m_time;
};

// Merges ticket `from` into `into` (managers and owners): tickets::check_ticket_merge decides;
// messages, letters, notes, actions, ratings and history move to the survivor; the merged ticket
// is closed and points to it; the survivor arrived at the earlier arrival and its deadlines are
// recomputed from the merged clock history as of `now`. Both tickets audited.
Result<TicketMergeOutcome> merge_tickets(store::Store& store, const pipeline::Runtime& runtime, std::string_view from,
                                         std::string_view into, bool confirmed, const Actor& actor, TimePoint now);

}  // namespace redress::service
