#include "survey_page.hpp"

#include "common/text.hpp"
#include "service/ticket_service.hpp"

namespace redress::api {

namespace {

constexpr std::string_view k_longest_comment_note = "(at most 2000 characters)";
constexpr std::size_t k_max_comment = 2000;

http::Response page(int status, std::string_view title, const std::string& content)
{
    std::string html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                       "<meta name=\"robots\" content=\"noindex\"><title>" +
                       html_escape(title) + "</title></head>\n<body>\n" + content + "</body></html>\n";
    // Nothing on this page comes from anywhere else, and no other site may frame it or post to it
    // through it.
    return http::Response{status, "text/html; charset=utf-8", html}
        .with_header("Content-Security-Policy",
                     "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
        .with_header("X-Content-Type-Options", "nosniff")
        .with_header("Referrer-Policy", "no-referrer")
        .with_header("Cache-Control", "no-store");
}

http::Response not_found()
{
    return page(404, "Not found", "<p>There is nothing at this address.</p>\n");
}

// Whether the link is one we signed; a store error is an error, not a 404.
std::optional<http::Response> refuse_unsigned(const ApiContext& context, const http::Request& request)
{
    auto valid = context.tickets->survey_signature_valid(request.param("number"), request.param("signature"));
    if (!valid)
        return valid.error().is(ErrorKind::not_found)
                   ? not_found()
                   : page(503, "Try again later",
                          "<p>We cannot take your answer just now; please try again later.</p>\n");
    if (!*valid)
        return not_found();
    return std::nullopt;
}

std::string form(std::string_view number, std::string_view problem)
{
    static constexpr std::string_view labels[] = {"1 - very poor", "2 - poor", "3 - fair", "4 - good", "5 - excellent"};
    std::string out = "<h1>How did we handle your complaint " + html_escape(number) + "?</h1>\n";
    if (!problem.empty())
        out += "<p role=\"alert\"><strong>" + html_escape(problem) + "</strong></p>\n";
    out += "<form method=\"post\">\n<fieldset><legend>Your score</legend>\n";
    for (int score = 1; score <= 5; ++score)
        out += "<label><input type=\"radio\" name=\"score\" value=\"" + std::to_string(score) + "\" required> " +
               html_escape(labels[score - 1]) + "</label><br>\n";
    out += "</fieldset>\n<p><label for=\"comment\">Anything you want to tell us " +
           std::string(k_longest_comment_note) +
           "</label><br>\n<textarea id=\"comment\" name=\"comment\" rows=\"6\" cols=\"60\" maxlength=\"2000\">"
           "</textarea></p>\n<p><button type=\"submit\">Send</button></p>\n</form>\n";
    return out;
}

}  // namespace

std::string html_escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::map<std::string, std::string> form_fields(std::string_view body)
{
    auto decode = [](std::string_view text) {
        std::string out;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '+') {
                out += ' ';
            } else if (text[i] == '%' && i + 2 < text.size() && hex_digit_value(text[i + 1]) >= 0 &&
                       hex_digit_value(text[i + 2]) >= 0) {
                out += static_cast<char>(hex_digit_value(text[i + 1]) * 16 + hex_digit_value(text[i + 2]));
                i += 2;
            } else {
                out += text[i];
            }
        }
        return out;
    };
    std::map<std::string, std::string> out;
    while (!body.empty()) {
        auto amp = body.find('&');
        std::string_view pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
        if (pair.empty())
            continue;
        auto eq = pair.find('=');
        std::string name = decode(pair.substr(0, eq));
        std::string value = eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1));
        out.emplace(std::move(name), std::move(value));  // the first of a repeated field counts
    }
    return out;
}

http::Response survey_form(const ApiContext& context, const http::Request& request)
{
    if (auto refused = refuse_unsigned(context, request))
        return *refused;
    return page(200, "Your opinion", form(request.param("number"), ""));
}

http::Response survey_answer(const ApiContext& context, const http::Request& request)
{
    if (auto refused = refuse_unsigned(context, request))
        return *refused;
    auto fields = form_fields(request.body);
    std::string score_text = fields["score"];
    int score = score_text.size() == 1 && score_text[0] >= '1' && score_text[0] <= '5' ? score_text[0] - '0' : 0;
    if (score == 0)
        return page(422, "Your opinion", form(request.param("number"), "Please choose a score from 1 to 5."));
    std::string comment = fields["comment"];
    if (comment.size() > k_max_comment)
        return page(422, "Your opinion",
                    form(request.param("number"), "The comment is too long; please keep it under 2000 characters."));
    auto rated = context.tickets->rate(request.param("number"), score, comment, "link");
    if (!rated) {
        if (rated.error().is(ErrorKind::invalid) || rated.error().is(ErrorKind::conflict))
            return page(422, "Your opinion", form(request.param("number"), rated.error().message));
        return page(503, "Try again later", "<p>We cannot take your answer just now; please try again later.</p>\n");
    }
    return page(200, "Thank you",
                "<h1>Thank you</h1>\n<p>Your answer about " + html_escape(request.param("number")) +
                    " has been recorded.</p>\n");
}

}  // namespace redress::api
