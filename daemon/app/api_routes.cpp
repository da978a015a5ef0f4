#include "api_routes.hpp"

#include "api/access.hpp"
#include "api/attachment_api.hpp"
#include "api/customer_api.hpp"
#include "api/openapi.hpp"
#include "api/people_api.hpp"
#include "api/report_api.hpp"
#include "api/search_api.hpp"
#include "api/template_api.hpp"
#include "api/ticket_api.hpp"

namespace redress::app {

void add_api_routes(http::Router& router, api::ApiContext c)
{
    using http::Request;
    using http::Response;
    constexpr auto v1 = "/api/v1";
    auto at = [&](const char* path) { return std::string(v1) + path; };

    router.before([c](Request& r) { return api::authenticate(r, *c.people); });
    router.after([c](const Request& request, const Response& answer) {
        // The API's refusals only: the chat webhooks count theirs by chat and reason
        // (app/chat_routes.cpp), and a customer page's refusal is no one guessing tokens.
        if (c.refusals && request.route.starts_with("/api/"))
            c.refusals->count(answer.status);
    });

    router.route("GET", at("/openapi.json"), [](const Request&) {
        return Response{200, "application/json", std::string(api::openapi_document())};
    });

    router.route("POST", at("/setup"), [c](const Request& r) { return api::setup_owner(c, r); });
    router.route("POST", at("/session"), [c](const Request& r) { return api::sign_in(c, r); });
    router.route("DELETE", at("/session"), [c](const Request& r) { return api::sign_out(c, r); });
    router.route("GET", at("/me"), [c](const Request& r) { return api::me(c, r); });
    router.route("PATCH", at("/me"), [c](const Request& r) { return api::update_me(c, r); });

    router.route("GET", at("/tickets"), [c](const Request& r) { return api::list_tickets(c, r); });
    router.route("GET", at("/search"), [c](const Request& r) { return api::search(c, r); });
    router.route("POST", at("/tickets"), [c](const Request& r) { return api::create_ticket(c, r); });
    router.route("GET", at("/tickets/{number}"), [c](const Request& r) { return api::show_ticket(c, r); });
    // Before the steps' pattern, which would take "merge" for a step.
    router.route("POST", at("/tickets/{number}/merge"), [c](const Request& r) { return api::merge_ticket(c, r); });
    router.route("POST", at("/tickets/{number}/{step}"), [c](const Request& r) { return api::take_step(c, r); });
    router.route("GET", at("/tickets/{number}/attachments/{id}"),
                 [c](const Request& r) { return api::serve_attachment(c, r); });
    router.route("POST", at("/tickets/{number}/actions/{id}"),
                 [c](const Request& r) { return api::update_action(c, r); });

    router.route("GET", at("/customers"), [c](const Request& r) { return api::find_customers(c, r); });
    router.route("GET", at("/customers/{id}"), [c](const Request& r) { return api::show_customer(c, r); });
    router.route("POST", at("/customers/{id}/merge"), [c](const Request& r) { return api::merge_customer(c, r); });
    router.route("POST", at("/customers/{id}/unmerge"), [c](const Request& r) { return api::unmerge_customer(c, r); });
    router.route("GET", at("/customers/{id}/export"), [c](const Request& r) { return api::export_customer(c, r); });
    router.route("POST", at("/customers/{id}/erase"), [c](const Request& r) { return api::erase_customer(c, r); });
    router.route("POST", at("/customers/{id}/suggestions/{suggestion}/accept"),
                 [c](const Request& r) { return api::accept_suggestion(c, r); });

    router.route("GET", at("/templates"), [c](const Request& r) { return api::list_templates(c, r); });
    router.route("POST", at("/templates/preview"), [c](const Request& r) { return api::preview_template(c, r); });
    router.route("GET", at("/templates/{lang}/{name}"), [c](const Request& r) { return api::show_template(c, r); });
    router.route("PUT", at("/templates/{lang}/{name}"), [c](const Request& r) { return api::save_template(c, r); });
    router.route("GET", at("/templates/{lang}/{name}/versions"),
                 [c](const Request& r) { return api::template_versions(c, r); });
    router.route("POST", at("/templates/{lang}/{name}/restore"),
                 [c](const Request& r) { return api::restore_template(c, r); });

    router.route("GET", at("/people"), [c](const Request& r) { return api::list_people(c, r); });
    router.route("POST", at("/people"), [c](const Request& r) { return api::add_person(c, r); });
    router.route("PATCH", at("/people/{name}"), [c](const Request& r) { return api::update_person(c, r); });
    router.route("POST", at("/people/{name}/password"), [c](const Request& r) { return api::set_password(c, r); });
    router.route("GET", at("/people/{name}/tokens"), [c](const Request& r) { return api::list_tokens(c, r); });
    router.route("POST", at("/people/{name}/tokens"), [c](const Request& r) { return api::create_token(c, r); });
    router.route("DELETE", at("/tokens/{id}"), [c](const Request& r) { return api::revoke_token(c, r); });

    router.route("GET", at("/reports/summary"), [c](const Request& r) { return api::report_summary(c, r); });
    router.route("GET", at("/reports/recurring"), [c](const Request& r) { return api::report_recurring(c, r); });
    router.route("GET", at("/reports/tickets.csv"), [c](const Request& r) { return api::report_csv(c, r); });
    router.route("GET", at("/config/workflow"), [c](const Request& r) { return api::workflow_config(c, r); });
}

}  // namespace redress::app
