#pragma once
// Customers across channels and merged tickets through the API (docs/customers.md, docs/api.md):
// functions of a Request over service::CustomerService and service::merge_tickets; the routes are
// one-line handlers over these.

#include "context.hpp"
#include "http/request.hpp"
#include "model/customer_record.hpp"
#include "model/ticket.hpp"

#include <nlohmann/json.hpp>

namespace redress::service {
struct CustomerView;
struct TicketCustomer;
struct CustomerExport;
struct EraseCounts;
}  // namespace redress::service
namespace redress::config {
struct Config;
}
namespace redress::store {
class Store;
}

namespace redress::api {

// GET /api/v1/customers?q=  (an identity, a customer id, or part of a name or identity)
http::Response find_customers(const ApiContext& context, const http::Request& request);
// GET /api/v1/customers/{id}
http::Response show_customer(const ApiContext& context, const http::Request& request);
// POST /api/v1/customers/{id}/merge {"into": ID}  (managers and the owner)
http::Response merge_customer(const ApiContext& context, const http::Request& request);
// POST /api/v1/customers/{id}/unmerge  (managers and the owner)
http::Response unmerge_customer(const ApiContext& context, const http::Request& request);
// POST /api/v1/customers/{id}/suggestions/{suggestion}/accept
http::Response accept_suggestion(const ApiContext& context, const http::Request& request);
// GET /api/v1/customers/{id}/export  (the owner): the customer's data as a tar archive, a download
http::Response export_customer(const ApiContext& context, const http::Request& request);
// POST /api/v1/customers/{id}/erase {"reason": "..."}  (the owner): the counts of what went
http::Response erase_customer(const ApiContext& context, const http::Request& request);
// POST /api/v1/tickets/{number}/merge {"into": "RD-...", "confirm": false}  (managers and the owner)
http::Response merge_ticket(const ApiContext& context, const http::Request& request);

// The export (docs/privacy.md): one tar archive with customer.json (the customer, every ticket with
// its messages, letters as the customer read them, notes, ratings, actions, history and attachments'
// rows) and attachments/<id>-<name> for each kept file. The API and `redress customer export` both
// write it. not_found for no such customer.
Result<std::string> customer_archive(store::Store& store, const config::Config& config, std::int64_t customer_id,
                                     TimePoint now);
nlohmann::json export_json(const service::CustomerExport& data, TimePoint now);
nlohmann::json erase_counts_json(const service::EraseCounts& counts);

// A ticket as a line of a customer's history: kind, status, resolution code, verdict, dates.
nlohmann::json ticket_summary_json(const Ticket& ticket);
nlohmann::json customer_json(const service::CustomerView& view);
// What the ticket's JSON adds: "customer" {id, name, identities}, "earlier_tickets" and "merged_into".
void add_ticket_customer_json(nlohmann::json& ticket_view, const service::TicketCustomer& customer,
                              const std::optional<std::string>& merged_into);

}  // namespace redress::api
