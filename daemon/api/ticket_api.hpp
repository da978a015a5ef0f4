#pragma once
// The tickets through the API: the list with its filters and cursor, one ticket with everything about
// it (ETag: its version), a complaint taken by phone or in person, and the workflow's steps
// (If-Match: the version the person saw; a preview renders the letter and changes nothing).

#include "context.hpp"
#include "http/request.hpp"

namespace redress::api {

// GET /api/v1/tickets?status=&kind=&severity=&language=&channel=&department=&assignee=&overdue=true
//     &received_from=&received_to=&limit=&cursor=
http::Response list_tickets(const ApiContext& context, const http::Request& request);
// GET /api/v1/tickets/{number}
http::Response show_ticket(const ApiContext& context, const http::Request& request);
// POST /api/v1/tickets (the complaint form's fields)
http::Response create_ticket(const ApiContext& context, const http::Request& request);
// POST /api/v1/tickets/{number}/{step}
http::Response take_step(const ApiContext& context, const http::Request& request);
// POST /api/v1/tickets/{number}/actions/{id}
http::Response update_action(const ApiContext& context, const http::Request& request);

}  // namespace redress::api
