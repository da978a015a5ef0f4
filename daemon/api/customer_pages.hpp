#pragma once
// The customer pages as functions of a Request (no login; HTML in the customer's language, working
// without JavaScript): the status page of a complaint behind its signed link, with a box to add a
// message; the public complaint form; the survey behind {{survey.url}}; the files they load. The
// HTML comes from daemon/pages; the tickets change through service::TicketService, whose complaint
// and message go through the pipeline's one entry (channel "web").
//
// A link whose signature is wrong answers 404, the same page as for a ticket that does not exist.
// The forms carry a signed, time-stamped token (TicketService::form_token) that the POST must show
// back: another site cannot (CSRF), and the complaint form refuses an answer given sooner than a
// person could type one. The complaint form also has a honeypot field and a limit per client
// address (http::client_address, through a proxy on this machine). Every refusal is a page in the
// visitor's language with the form filled in again.

#include "auth/sign_in_limiter.hpp"
#include "common/time_source.hpp"
#include "http/request.hpp"

#include <cstddef>
#include <functional>
#include <string>

namespace redress::pipeline {
class Pipeline;
}
namespace redress::service {
class TicketService;
}

namespace redress::api {

struct CustomerLimits {
    std::size_t max_files = 5;
    std::size_t max_bytes = std::size_t{10} * 1024 * 1024;  // the complaint form's files, in all
    std::size_t max_details = 10000;                        // characters of "what happened"
    std::size_t max_message = 5000;                         // characters of a message on the status page
    std::size_t max_comment = 2000;                         // characters of a survey comment
    Seconds min_fill{3};         // a complaint sent sooner after its form was issued is a robot's
    Seconds max_age{24 * 3600};  // a form older than this is sent again
};

// Complaints filed and messages added per client address: 5 and 20 an hour. The limiter counts
// what it calls failures; here every complaint filed (and every honeypot caught) is one.
auth::SignInLimiter::Policy complaint_rate_policy();
auth::SignInLimiter::Policy message_rate_policy();

struct CustomerContext {
    service::TicketService* tickets = nullptr;
    pipeline::Pipeline* pipeline = nullptr;  // its runtime's config: the company, its time zone
    const TimeSource* time = &system_time();
    auth::SignInLimiter* complaints = nullptr;  // by client address; none: no limit
    auth::SignInLimiter* messages = nullptr;    // by client address; none: no limit
    CustomerLimits limits;
    // Told after a complaint or a message changed a ticket: the outbox and the deadlines wake.
    std::function<void(const std::string& number)> changed;
};

// GET /status/{number}/{signature}
http::Response status_page(const CustomerContext& context, const http::Request& request);
// POST /status/{number}/{signature} (multipart/form-data or urlencoded: token, message)
http::Response status_message(const CustomerContext& context, const http::Request& request);

// GET /complain
http::Response complaint_form(const CustomerContext& context, const http::Request& request);
// POST /complain (multipart/form-data: token, lang, name, email, phone, details, when, reference,
// files, and the honeypot "website")
http::Response complaint_filed(const CustomerContext& context, const http::Request& request);
// The answer to a complaint whose body is over the server's limit for /complain (413): the form
// again, empty, saying how much the files may weigh.
http::Response complaint_too_large(const CustomerContext& context, const http::Request& request);
// The largest body /complain takes: the files' limit and room for the text fields.
std::size_t complaint_body_limit(const CustomerLimits& limits);

// GET /survey/{number}/{signature}: the form only (mail scanners open links; a visit never rates).
http::Response survey_form(const CustomerContext& context, const http::Request& request);
// POST /survey/{number}/{signature} (score 1-5, comment): records the rating (source "link").
http::Response survey_answer(const CustomerContext& context, const http::Request& request);

// GET /customer/{file}: the pages' stylesheet and script module.
http::Response customer_file(const http::Request& request);

}  // namespace redress::api
