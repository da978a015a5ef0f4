#pragma once
// The customer's survey page, reached by the signed link in the survey letter (no login): five
// scores and a comment box. The GET only shows the form (mail scanners open links, and a scanner's
// visit must never count as a rating); the form's POST records the score. A link whose signature
// is wrong answers 404, as if there were nothing there. Plain HTML, everything escaped; the web
// issue gives it its looks and languages.

#include "context.hpp"
#include "http/request.hpp"

#include <map>
#include <string>
#include <string_view>

namespace redress::api {

// GET /survey/{number}/{signature}
http::Response survey_form(const ApiContext& context, const http::Request& request);
// POST /survey/{number}/{signature} (application/x-www-form-urlencoded: score, comment)
http::Response survey_answer(const ApiContext& context, const http::Request& request);

// Text made safe inside HTML elements and attribute values (&, <, >, " and ').
std::string html_escape(std::string_view text);
// application/x-www-form-urlencoded (WHATWG URL 5.1): '+' is a space, %XX a byte.
std::map<std::string, std::string> form_fields(std::string_view body);

}  // namespace redress::api
