#include "complaint_page.hpp"

#include "html.hpp"
#include "parts.hpp"
#include "words.hpp"

namespace redress::pages {

namespace {

std::string megabytes(std::size_t bytes)
{
    constexpr std::size_t mebibyte = std::size_t{1024} * 1024;
    return std::to_string((bytes + mebibyte / 2) / mebibyte);
}

std::string problem_text(ComplaintProblem problem, const ComplaintFormView& view, const Words& w)
{
    switch (problem) {
    case ComplaintProblem::none:
        return {};
    case ComplaintProblem::contact:
        return html_escape(w.problem_contact);
    case ComplaintProblem::email:
        return html_escape(w.problem_email);
    case ComplaintProblem::details:
        return html_escape(w.problem_details);
    case ComplaintProblem::too_long:
        return fill(w.problem_too_long, {{"characters", std::to_string(view.max_details)}});
    case ComplaintProblem::files_count:
        return fill(w.problem_files_count, {{"files", std::to_string(view.max_files)}});
    case ComplaintProblem::files_size:
        return fill(w.problem_files_size, {{"megabytes", megabytes(view.max_bytes)}});
    case ComplaintProblem::too_fast:
        return html_escape(w.problem_too_fast);
    case ComplaintProblem::expired:
        return html_escape(w.problem_expired);
    case ComplaintProblem::honeypot:
        return html_escape(w.problem_honeypot);
    case ComplaintProblem::rate:
        return fill(w.problem_rate, {{"address", view.support_address}});
    case ComplaintProblem::unavailable:
        return html_escape(w.try_later_text);
    }
    return {};
}

struct Field {
    std::string_view id;
    std::string_view label;
    std::string_view type;          // "text", "email", "tel"
    std::string_view autocomplete;  // "name", "email", "tel", "off"
    const std::string& value;
    bool invalid = false;
    std::string_view hint_id = {};  // the element that describes it
};

std::string input(const Field& f)
{
    std::string out = "<p><label for=\"" + html_escape(f.id) + "\">" + html_escape(f.label) + "</label>\n";
    out += "<input type=\"" + html_escape(f.type) + "\" id=\"" + html_escape(f.id) + "\" name=\"" + html_escape(f.id) +
           "\" value=\"" + html_escape(f.value) + "\" autocomplete=\"" + html_escape(f.autocomplete) + "\"";
    if (!f.hint_id.empty())
        out += " aria-describedby=\"" + html_escape(f.hint_id) + "\"";
    if (f.invalid)
        out += " aria-invalid=\"true\"";
    return out + "></p>\n";
}

}  // namespace

std::string render_complaint_form(const ComplaintFormView& view)
{
    const Words& w = words_for(view.language);
    const ComplaintDraft& d = view.draft;
    ComplaintProblem p = view.problem;
    std::string out = language_switch(view.language);
    out += "<h1>" + html_escape(w.complain_title) + "</h1>\n";
    if (p != ComplaintProblem::none) {
        std::string text = problem_text(p, view, w);
        if (view.had_files)
            text += " " + html_escape(w.files_again);
        out += alert_box(text, true);
    }
    out += "<p>" + html_escape(w.complain_intro) + "</p>\n";
    // The limits ride on the form for the script module (complain.js), which checks them before
    // sending and says so in the page's words; the server checks them again either way.
    out += "<form method=\"post\" enctype=\"multipart/form-data\" accept-charset=\"utf-8\" class=\"complaint\"" +
           std::string(" data-max-files=\"") + std::to_string(view.max_files) + "\" data-max-bytes=\"" +
           std::to_string(view.max_bytes) + "\" data-problem-contact=\"" + html_escape(w.problem_contact) +
           "\" data-problem-files-count=\"" + problem_text(ComplaintProblem::files_count, view, w) +
           "\" data-problem-files-size=\"" + problem_text(ComplaintProblem::files_size, view, w) + "\">\n";
    out += "<input type=\"hidden\" name=\"token\" value=\"" + html_escape(view.form_token) + "\">\n";
    out += "<input type=\"hidden\" name=\"lang\" value=\"" + html_escape(view.language) + "\">\n";
    out += input(Field{"name", w.name_label, "text", "name", d.name});

    bool contact = p == ComplaintProblem::contact;
    // Either of the two will do, as the legend says; the server refuses the form without both.
    out += "<fieldset><legend>" + html_escape(w.contact_hint) + "</legend>\n";
    out += input(Field{"email", w.email_label, "email", "email", d.email, contact || p == ComplaintProblem::email});
    out += input(Field{"phone", w.phone_label, "tel", "tel", d.phone, contact});
    out += "</fieldset>\n";

    bool details_bad = p == ComplaintProblem::details || p == ComplaintProblem::too_long;
    out += "<p><label for=\"details\">" + html_escape(w.details_label) + " <span class=\"required\">" +
           html_escape(w.required) + "</span></label>\n";
    out += "<textarea id=\"details\" name=\"details\" rows=\"8\" required" +
           std::string(details_bad ? " aria-invalid=\"true\"" : "") + ">" + html_escape(d.details) +
           "</textarea></p>\n";

    out += "<p><label for=\"when\">" + html_escape(w.when_label) + "</label>\n";
    out += "<input type=\"text\" id=\"when\" name=\"when\" value=\"" + html_escape(d.when) +
           "\" autocomplete=\"off\" aria-describedby=\"when-hint\">\n";
    out += "<span class=\"hint\" id=\"when-hint\">" + html_escape(w.when_hint) + "</span></p>\n";
    out += input(Field{"reference", w.reference_label, "text", "off", d.reference});

    bool files_bad = p == ComplaintProblem::files_count || p == ComplaintProblem::files_size;
    out += "<p><label for=\"files\">" + html_escape(w.files_label) + "</label>\n";
    out += "<input type=\"file\" id=\"files\" name=\"files\" multiple aria-describedby=\"files-hint\"" +
           std::string(files_bad ? " aria-invalid=\"true\"" : "") + ">\n";
    out += "<span class=\"hint\" id=\"files-hint\">" +
           fill(w.files_hint, {{"files", std::to_string(view.max_files)}, {"megabytes", megabytes(view.max_bytes)}}) +
           "</span></p>\n";

    // The honeypot: off screen and out of the tab order, so people never fill it in; robots that
    // fill every field do.
    out += "<div class=\"away\" aria-hidden=\"true\"><label for=\"website\">" + html_escape(w.honeypot_label) +
           "</label>\n<input type=\"text\" id=\"website\" name=\"website\" value=\"\" tabindex=\"-1\" "
           "autocomplete=\"off\"></div>\n";
    out += "<p><button type=\"submit\">" + html_escape(w.send_complaint) + "</button></p>\n</form>\n";
    return render_page(PageFrame{view.language, std::string(w.complain_title), "", "complain.js", view.company}, out);
}

std::string render_complaint_thanks(const ComplaintThanks& view)
{
    const Words& w = words_for(view.language);
    std::string out = "<h1>" + html_escape(w.thanks_title) + "</h1>\n";
    if (view.duplicate) {
        out += "<p>" + html_escape(w.already_sent) + "</p>\n";
    } else if (view.number.empty()) {
        out += "<p>" + html_escape(w.thanks_no_ticket) + "</p>\n";
    } else {
        out += "<p class=\"number\">" + fill(w.thanks_number, {{"number", view.number}}) + "</p>\n";
        if (!view.status_url.empty())
            out += "<p>" + html_escape(w.thanks_link) + "<br>\n<a href=\"" + html_escape(view.status_url) +
                   "\" class=\"status-link\">" + html_escape(view.status_url) + "</a></p>\n";
        if (!view.email.empty())
            out += "<p>" + fill(w.thanks_mail, {{"email", view.email}}) + "</p>\n";
        else if (!view.phone.empty())
            out += "<p>" + fill(w.thanks_phone, {{"phone", view.phone}}) + "</p>\n";
    }
    return render_page(PageFrame{view.language, std::string(w.thanks_title), "", "", view.company}, out);
}

}  // namespace redress::pages
