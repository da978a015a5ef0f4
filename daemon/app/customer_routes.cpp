#include "customer_routes.hpp"

namespace redress::app {

void add_customer_routes(http::HttpServer& server, const api::CustomerContext& c)
{
    using http::Request;
    server.route("GET", "/status/{number}/{signature}", [c](const Request& r) { return api::status_page(c, r); });
    server.route("POST", "/status/{number}/{signature}", [c](const Request& r) { return api::status_message(c, r); });
    server.route("GET", "/complain", [c](const Request& r) { return api::complaint_form(c, r); });
    server.route("POST", "/complain", [c](const Request& r) { return api::complaint_filed(c, r); });
    server.route("GET", "/survey/{number}/{signature}", [c](const Request& r) { return api::survey_form(c, r); });
    server.route("POST", "/survey/{number}/{signature}", [c](const Request& r) { return api::survey_answer(c, r); });
    server.route("GET", "/customer/{file}", [](const Request& r) { return api::customer_file(r); });
    // The form's files make its body larger than any other route's: its own limit, and a page in
    // the visitor's language when even that is passed.
    server.set_body_limit("/complain", api::complaint_body_limit(c.limits),
                          [c](const Request& r) { return api::complaint_too_large(c, r); });
}

}  // namespace redress::app
