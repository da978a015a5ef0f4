#include "customers.hpp"

#include "common/log.hpp"
#include "common/text.hpp"
#include "pipeline/deadlines.hpp"
#include "pipeline/runtime.hpp"
#include "store/store.hpp"
#include "tickets/customers.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace redress::service {

using nlohmann::json;

namespace {

Error refused_for(const Actor& actor, std::string_view what)
{
    return make_error(ErrorKind::refused, "customer.role",
                      std::string(what) + " is for managers and the owner; " + actor.name + " is " +
                          std::string(to_string(actor.role)) + ".");
}

Error no_customer(std::int64_t id)
{
    return make_error(ErrorKind::not_found, "customer.not_found", "There is no customer " + std::to_string(id) + ".");
}

std::string dump(const json& value)
{
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The record at the end of the merge pointers, read in the transaction.
Result<std::int64_t> root_in(store::Transaction& tx, std::int64_t id)
{
    auto record = TRY(tx.customer(id));
    if (!record)
        return no_customer(id);
    for (int hops = 0; record->merged_into && hops < 1000; ++hops) {
        auto next = TRY(tx.customer(*record->merged_into));
        if (!next)
            break;
        record = std::move(next);
    }
    return record->id;
}

Result<void> audit_customer(store::Transaction& tx, std::int64_t customer_id, TimePoint now, const Actor& actor,
                            const char* action, const json& detail)
{
    return tx.add_customer_audit(customer_id, AuditEvent{0, std::nullopt, now, actor.name, action, dump(detail)});
}

std::optional<std::int64_t> customer_id_of(std::string_view text)
{
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id <= 0)
        return std::nullopt;
    return id;
}

}  // namespace

CustomerService::CustomerService(store::Store& store, const TimeSource& time)
    : m_store(store)
    , m_time(time)
{
}

Result<CustomerView> CustomerService::show(std::int64_t id)
{
    auto group = TRY(m_store.customer_group(id));
    if (!group)
        return no_customer(id);
    CustomerView view;
    view.group = std::move(*group);
    view.tickets = TRY(m_store.tickets_of_customer(view.group.root.id));
    view.audit = TRY(m_store.customer_audit(view.group.root.id));
    view.name = view.group.root.name;
    for (const auto& member : view.group.members)
        if (view.name.empty())
            view.name = member.name;
    for (const auto& ticket : view.tickets)
        if (view.name.empty())
            view.name = ticket.customer.name;
    return view;
}

Result<CustomerView> CustomerService::show_who(std::string_view who)
{
    std::string_view text = trim(who);
    if (auto id = customer_id_of(text.starts_with('#') ? text.substr(1) : text)) {
        if (TRY(m_store.customer_group(*id)))
            return show(*id);
    }
    IdentityKind kind = tickets::guess_identity_kind(text);
    std::string value = tickets::normalise_identity(kind, text);
    if (!value.empty()) {
        if (auto found = TRY(m_store.customer_by_identity(kind, value)))
            return show(found->id);
    }
    return make_error(ErrorKind::not_found, "customer.not_found",
                      "No customer is " + std::string(text) +
                          ": give a customer id or an email address, phone number or chat user (tg:98765) "
                          "the customer wrote from.");
}

Result<std::vector<CustomerView>> CustomerService::find(std::string_view text, int limit)
{
    std::vector<CustomerView> out;
    std::string_view q = trim(text);
    if (q.empty())
        return out;
    IdentityKind kind = tickets::guess_identity_kind(q);
    std::string value = tickets::normalise_identity(kind, q);
    if (!value.empty()) {
        if (auto found = TRY(m_store.customer_by_identity(kind, value))) {
            out.push_back(TRY(show(found->id)));
            return out;
        }
    }
    if (auto id = customer_id_of(q.starts_with('#') ? q.substr(1) : q); id && TRY(m_store.customer_group(*id))) {
        out.push_back(TRY(show(*id)));
        return out;
    }
    for (const auto& record : TRY(m_store.customers_matching(kind == IdentityKind::email ? ascii_lower(q) : q, limit)))
        out.push_back(TRY(show(record.id)));
    return out;
}

Result<TicketCustomer> CustomerService::of_ticket(const Ticket& ticket)
{
    TicketCustomer out;
    auto id = TRY(m_store.ticket_customer(ticket.id));
    if (!id)
        return out;
    out.customer = TRY(show(*id));
    for (const auto& t : out.customer->tickets)
        if (t.id != ticket.id)
            out.other_tickets.push_back(t);
    return out;
}

Result<CustomerView> CustomerService::merge(std::int64_t id, std::int64_t into, const Actor& actor)
{
    if (actor.role == Role::agent)
        return refused_for(actor, "Merging customers");
    TimePoint now = m_time.now();
    std::int64_t root = 0;
    {
        auto tx = TRY(m_store.begin());
        auto record = TRY(tx->customer(id));
        if (!record)
            return no_customer(id);
        if (!TRY(tx->customer(into)))
            return no_customer(into);
        if (record->merged_into)
            return make_error(ErrorKind::conflict, "customer.already_merged",
                              "Customer " + std::to_string(id) + " is merged into customer " +
                                  std::to_string(*record->merged_into) + " already: undo that merge first.");
        root = TRY(root_in(*tx, into));
        if (root == id)
            return make_error(ErrorKind::conflict, "customer.same",
                              "Customers " + std::to_string(id) + " and " + std::to_string(into) +
                                  " are one customer already.");
        TRY(tx->set_customer_merged_into(id, root, actor.name, now));
        TRY(audit_customer(*tx, id, now, actor, "customer.merged", json{{"into", root}, {"asked_into", into}}));
        TRY(audit_customer(*tx, root, now, actor, "customer.merged_in", json{{"from", id}}));
        TRY(tx->commit());
    }
    log::info("customer.merged",
              {{"customer", std::to_string(id)}, {"into", std::to_string(root)}, {"by", actor.name}});
    return show(root);
}

Result<CustomerView> CustomerService::unmerge(std::int64_t id, const Actor& actor)
{
    if (actor.role == Role::agent)
        return refused_for(actor, "Undoing a merge of customers");
    TimePoint now = m_time.now();
    {
        auto tx = TRY(m_store.begin());
        auto record = TRY(tx->customer(id));
        if (!record)
            return no_customer(id);
        if (!record->merged_into)
            return make_error(ErrorKind::conflict, "customer.not_merged",
                              "Customer " + std::to_string(id) + " is not merged into another.");
        std::int64_t was = *record->merged_into;
        TRY(tx->set_customer_merged_into(id, std::nullopt, actor.name, now));
        TRY(audit_customer(*tx, id, now, actor, "customer.unmerged", json{{"from", was}}));
        TRY(audit_customer(*tx, was, now, actor, "customer.unmerged_out", json{{"customer", id}}));
        TRY(tx->commit());
        log::info("customer.unmerged",
                  {{"customer", std::to_string(id)}, {"from", std::to_string(was)}, {"by", actor.name}});
    }
    return show(id);
}

Result<CustomerView> CustomerService::accept_suggestion(std::int64_t customer_id, std::int64_t suggestion_id,
                                                        const Actor& actor)
{
    TimePoint now = m_time.now();
    {
        auto tx = TRY(m_store.begin());
        auto suggestion = TRY(tx->suggestion(suggestion_id));
        if (!suggestion || !TRY(tx->customer(customer_id)) ||
            TRY(root_in(*tx, suggestion->customer_id)) != TRY(root_in(*tx, customer_id)))
            return make_error(ErrorKind::not_found, "customer.no_suggestion",
                              "Customer " + std::to_string(customer_id) + " has no suggestion " +
                                  std::to_string(suggestion_id) + ".");
        if (suggestion->state == SuggestionState::accepted)
            return make_error(ErrorKind::conflict, "customer.suggestion_accepted",
                              "Suggestion " + std::to_string(suggestion_id) + " is accepted already.");
        TRY(tx->add_identity(CustomerIdentity{0, suggestion->customer_id, suggestion->kind, suggestion->value,
                                              "staff:" + actor.name, now}));
        TRY(tx->accept_suggestion(suggestion_id, actor.name, now));
        TRY(audit_customer(*tx, suggestion->customer_id, now, actor, "customer.identity_added",
                           json{{"kind", to_string(suggestion->kind)},
                                {"value", suggestion->value},
                                {"suggestion", suggestion_id},
                                {"source", suggestion->source}}));
        TRY(tx->commit());
    }
    return show(customer_id);
}

Result<TicketMergeOutcome> merge_tickets(store::Store& store, const pipeline::Runtime& runtime, std::string_view from,
                                         std::string_view into, bool confirmed, const Actor& actor, TimePoint now)
{
    if (actor.role == Role::agent)
        return refused_for(actor, "Merging tickets");
    auto tx = TRY(store.begin());
    auto merged = TRY(tx->ticket_by_number(from));
    auto survivor = TRY(tx->ticket_by_number(into));
    if (!merged || !survivor)
        return make_error(ErrorKind::not_found, "ticket.not_found",
                          "There is no ticket " + std::string(merged ? into : from) + ".");
    bool from_merged = TRY(tx->ticket_merged_into(merged->id)).has_value();
    bool into_merged = TRY(tx->ticket_merged_into(survivor->id)).has_value();
    auto customer_from = TRY(tx->customer_of_ticket(merged->id));
    auto customer_into = TRY(tx->customer_of_ticket(survivor->id));
    bool same_customer =
        customer_from && customer_into && TRY(root_in(*tx, *customer_from)) == TRY(root_in(*tx, *customer_into));
    TRY(tickets::check_ticket_merge(*merged, *survivor, from_merged, into_merged, same_customer, confirmed));

    TRY(tx->move_ticket_records(merged->id, survivor->id));
    Ticket joined = tickets::merged_ticket(*merged, *survivor, now);
    // The clock rows moved with the history: the earlier "opened" now starts the survivor's clocks.
    TRY(pipeline::refresh_deadlines(runtime, *tx, joined, now));
    TRY(tx->update_ticket(joined));

    Ticket closed = *merged;
    std::string was = std::string(to_string(closed.status));
    closed.status = TicketStatus::closed;
    closed.closed_at = now;
    closed.updated_at = now;
    closed.first_response_due.reset();
    closed.resolution_due.reset();
    TRY(tx->update_ticket(closed));
    TRY(tx->set_ticket_merged_into(merged->id, survivor->id));

    json why{{"same_customer", same_customer}, {"confirmed", confirmed && !same_customer}};
    TRY(tx->add_audit(AuditEvent{0, closed.id, now, actor.name, "ticket.merged",
                                 dump(json{{"into", joined.number}, {"status_was", was}, {"why", why}})}));
    TRY(tx->add_audit(AuditEvent{
        0, joined.id, now, actor.name, "ticket.merged_in",
        dump(json{{"from", closed.number}, {"received_at", format_iso8601_utc(joined.received_at)}, {"why", why}})}));
    TRY(tx->commit());
    log::info("ticket.merged", {{"ticket", closed.number}, {"into", joined.number}, {"by", actor.name}});
    // Read back: update_ticket raised the versions.
    auto after_survivor = TRY(store.ticket(joined.number));
    auto after_merged = TRY(store.ticket(closed.number));
    return TicketMergeOutcome{after_survivor.value_or(joined), after_merged.value_or(closed)};
}

}  // namespace redress::service
