#pragma once
// The public complaint form (handbook 002's form: name, email and/or phone, what happened, when,
// an order or reference number, files) and the page that thanks the visitor with their number and
// status link. Plain HTML that works without JavaScript; a small script module (complain.js) only
// checks the same rules before sending. Pure: values in, HTML out.

#include <cstddef>
#include <string>

namespace redress::pages {

// What the visitor typed, given back when the form is refused (files cannot be given back).
struct ComplaintDraft {
    std::string name;
    std::string email;
    std::string phone;
    std::string details;
    std::string when;
    std::string reference;
};

enum class ComplaintProblem {
    none,
    contact,      // neither email nor phone
    email,        // not one address
    details,      // nothing about what happened
    too_long,     // more than max_details characters
    files_count,  // more than max_files
    files_size,   // more than max_bytes in all
    too_fast,     // sent sooner after the form was issued than a person could fill it in
    expired,      // the form's token is old, or not ours
    honeypot,     // the field people do not see was filled in
    rate,         // too many complaints from this address lately
    unavailable,  // the complaint could not be stored just now (the form comes back filled in)
};

struct ComplaintFormView {
    std::string language;         // one of page_languages()
    std::string company;          // the footer
    std::string support_address;  // offered when the address is limited
    std::string form_token;
    ComplaintDraft draft;
    ComplaintProblem problem = ComplaintProblem::none;
    bool had_files = false;  // the refused form had files: ask for them again
    std::size_t max_files = 5;
    std::size_t max_bytes = std::size_t{10} * 1024 * 1024;
    std::size_t max_details = 10000;  // characters
};

std::string render_complaint_form(const ComplaintFormView& view);

struct ComplaintThanks {
    std::string language;
    std::string company;
    std::string number;      // empty when no ticket opened (the message was recorded without one)
    std::string status_url;  // the signed link, when the daemon serves the status page
    std::string email;       // where the acknowledgement went, when one was queued
    std::string phone;
    bool duplicate = false;  // the same form was sent before
};

std::string render_complaint_thanks(const ComplaintThanks& view);

}  // namespace redress::pages
