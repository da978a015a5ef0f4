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
}  // namespace redress::service

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
// POST /api/v1/tickets/{number}/merge {"into": "RD-...", "confirm": false}  (managers and the owner)
http::Response merge_ticket(const ApiContext& context, const http::Request& request);

// A ticket as a line of a customer's history: kind, status, resolution code, verdict, dates.
nlohmann::json ticket_summary_json(const Ticket& ticket);
nlohmann::json customer_json(const service::CustomerView& view);
// What the ticket's JSON adds: "customer" {id, name, identities}, "earlier_tickets" and "merged_into".
void add_ticket_customer_json(nlohmann::json& ticket_view, const service::TicketCustomer& customer,
                              const std::optional<std::string>& merged_into);

}  // namespace redress::api
