#include "customer_pages.hpp"

#include "common/log.hpp"
#include "common/text.hpp"
#include "http/form.hpp"
#include "pages/assets.hpp"
#include "pages/complaint_page.hpp"
#include "pages/parts.hpp"
#include "pages/status_page.hpp"
#include "pages/survey_page.hpp"
#include "pages/words.hpp"
#include "pipeline/runtime.hpp"
#include "service/ticket_service.hpp"

#include <algorithm>
#include <array>
#include <variant>

namespace redress::api {

namespace {

using pages::ComplaintProblem;
using pages::StatusProblem;

constexpr std::string_view k_status_root = "../../";

http::Response html(int status, std::string body)
{
    // The pages hold signed links and what a customer wrote: nothing is kept by caches on the way.
    return http::Response{status, "text/html; charset=utf-8", std::move(body)}.with_header("Cache-Control", "no-store");
}

std::string visitor_language(const http::Request& request, std::string_view fallback = "en")
{
    return pages::choose_language(request.query_value("lang"), request.header("Accept-Language"), fallback);
}

http::Response not_found(const http::Request& request)
{
    return html(404, pages::render_not_found(visitor_language(request), k_status_root));
}

http::Response try_later(const http::Request& request, std::string_view root, const Error& error)
{
    log::warn("customer_page.unavailable", {{"path", request.path}, {"error", error.message}});
    return html(503, pages::render_try_later(visitor_language(request), root)).with_header("Retry-After", "60");
}

// Whether the signed link is one we made (the survey's or the status page's) and still opens its
// ticket: 404 for a link we did not make, 410 for one whose ticket was closed too long ago or erased
// (service::LinkState); a store error is an answer of its own.
enum class Link { status, survey };
std::optional<http::Response> refuse_unsigned(const CustomerContext& c, const http::Request& request, Link link)
{
    auto state = link == Link::status ? c.tickets->status_link(request.param("number"), request.param("signature"))
                                      : c.tickets->survey_link(request.param("number"), request.param("signature"));
    if (!state)
        return try_later(request, k_status_root, state.error());
    switch (*state) {
    case service::LinkState::unknown:
        return not_found(request);
    case service::LinkState::expired:
        return html(410, pages::render_link_expired(visitor_language(request), k_status_root));
    case service::LinkState::open:
        break;
    }
    return std::nullopt;
}

// A browser says where a form came from (Fetch Metadata): a POST from another site is refused
// whatever it carries.
bool cross_site(const http::Request& request)
{
    return request.header("Sec-Fetch-Site").value_or("") == "cross-site";
}

const pipeline::Runtime& runtime_of(const CustomerContext& c, std::shared_ptr<const pipeline::Runtime>& hold)
{
    hold = c.pipeline->runtime();
    return *hold;
}

enum class TokenCheck { good, refused, too_fast };
Result<TokenCheck> check_token(const CustomerContext& c, std::string_view purpose, std::string_view token,
                               std::optional<Seconds> min_fill, std::string& nonce)
{
    auto read = TRY(c.tickets->check_form_token(purpose, token));
    if (!read)
        return TokenCheck::refused;
    TimePoint now = c.time->now();
    if (now - read->issued > c.limits.max_age || read->issued > now + Seconds{60})
        return TokenCheck::refused;
    if (min_fill && now - read->issued < *min_fill)
        return TokenCheck::too_fast;
    nonce = read->nonce;
    return TokenCheck::good;
}

// --- The status page -------------------------------------------------------------------------

struct StatusOutcome {
    int status = 200;
    pages::StatusView view;
};

http::Response render_status(const CustomerContext& c, const http::Request& request, StatusOutcome outcome)
{
    std::string number = request.param("number");
    auto facts = c.tickets->customer_status(number);
    if (!facts)
        return facts.error().is(ErrorKind::not_found) ? not_found(request)
                                                      : try_later(request, k_status_root, facts.error());
    std::shared_ptr<const pipeline::Runtime> hold;
    const auto& config = runtime_of(c, hold).config;
    auto token = c.tickets->form_token("status:" + number);
    if (!token)
        return try_later(request, k_status_root, token.error());
    pages::StatusView& view = outcome.view;
    view.language = pages::choose_language(request.query_value("lang"), std::nullopt, facts->ticket.language);
    view.time_zone = config.company.time_zone;
    view.company = config.company.name;
    view.form_token = *token;
    view.max_message = c.limits.max_message;
    pages::StatusFacts shown{facts->ticket, facts->letters, facts->actions, facts->messages};
    return html(outcome.status, pages::render_status_page(shown, view));
}

StatusOutcome status_refusal(int status, StatusProblem problem, std::string draft = {})
{
    StatusOutcome out;
    out.status = status;
    out.view.problem = problem;
    out.view.draft = std::move(draft);
    return out;
}

// --- The complaint form ----------------------------------------------------------------------

pages::ComplaintFormView form_view(const CustomerContext& c, const std::string& language)
{
    std::shared_ptr<const pipeline::Runtime> hold;
    const auto& config = runtime_of(c, hold).config;
    pages::ComplaintFormView view;
    view.language = language;
    view.company = config.company.name;
    view.support_address = config.company.support_address.address;
    view.max_files = c.limits.max_files;
    view.max_bytes = c.limits.max_bytes;
    view.max_details = c.limits.max_details;
    return view;
}

std::string problem_name(ComplaintProblem problem)
{
    switch (problem) {
    case ComplaintProblem::none:
        return "none";
    case ComplaintProblem::contact:
        return "contact";
    case ComplaintProblem::email:
        return "email";
    case ComplaintProblem::details:
        return "details";
    case ComplaintProblem::too_long:
        return "too_long";
    case ComplaintProblem::files_count:
        return "files_count";
    case ComplaintProblem::files_size:
        return "files_size";
    case ComplaintProblem::too_fast:
        return "too_fast";
    case ComplaintProblem::expired:
        return "expired";
    case ComplaintProblem::honeypot:
        return "honeypot";
    case ComplaintProblem::rate:
        return "rate";
    case ComplaintProblem::unavailable:
        return "unavailable";
    }
    return "other";
}

// The form again, with what the visitor typed and why it was not taken, and a fresh token unless
// `same_token` (the one sent) is given.
http::Response refuse_complaint(const CustomerContext& c, const http::Request& request, const std::string& language,
                                int status, ComplaintProblem problem, pages::ComplaintDraft draft, bool had_files,
                                std::string same_token = {})
{
    pages::ComplaintFormView view = form_view(c, language);
    if (same_token.empty()) {
        auto token = c.tickets->form_token("complain");
        if (!token)
            return try_later(request, "", token.error());
        view.form_token = *token;
    } else {
        view.form_token = std::move(same_token);
    }
    view.problem = problem;
    view.draft = std::move(draft);
    view.had_files = had_files;
    log::info("complaint_form.refused",
              {{"problem", problem_name(problem)}, {"remote", http::client_address(request)}});
    auto answer = html(status, pages::render_complaint_form(view));
    if (status == 429)
        answer.with_header("Retry-After", "3600");
    if (status == 503)
        answer.with_header("Retry-After", "60");
    return answer;
}

std::optional<ComplaintProblem> problem_with(const CustomerContext& c, const pages::ComplaintDraft& d,
                                             const std::vector<http::FormPart>& files)
{
    if (trim(d.details).empty())
        return ComplaintProblem::details;
    if (pages::characters(d.details) > c.limits.max_details || d.name.size() > 200 || d.email.size() > 254 ||
        d.phone.size() > 64 || d.when.size() > 200 || d.reference.size() > 200)
        return ComplaintProblem::too_long;
    if (trim(d.email).empty() && trim(d.phone).empty())
        return ComplaintProblem::contact;
    if (!trim(d.email).empty()) {
        auto mailbox = parse_typed_mailbox(trim(d.email));
        if (!mailbox || !mailbox->name.empty())
            return ComplaintProblem::email;
    }
    if (files.size() > c.limits.max_files)
        return ComplaintProblem::files_count;
    std::size_t bytes = 0;
    for (const auto& f : files)
        bytes += f.content.size();
    if (bytes > c.limits.max_bytes)
        return ComplaintProblem::files_size;
    return std::nullopt;
}

bool acknowledged(const pipeline::IngestOutcome& outcome)
{
    static constexpr std::array<std::string_view, 4> acknowledgements{"acknowledgement", "question_received",
                                                                      "suggestion_received", "gratitude_received"};
    return std::any_of(outcome.letters.begin(), outcome.letters.end(), [](const std::string& name) {
        return std::find(acknowledgements.begin(), acknowledgements.end(), name) != acknowledgements.end();
    });
}

}  // namespace

auth::SignInLimiter::Policy complaint_rate_policy()
{
    return auth::SignInLimiter::Policy{5, Seconds{3600}, Seconds{3600}, 10000};
}

auth::SignInLimiter::Policy message_rate_policy()
{
    return auth::SignInLimiter::Policy{20, Seconds{3600}, Seconds{3600}, 10000};
}

std::size_t complaint_body_limit(const CustomerLimits& limits)
{
    // The files, and the text fields (at most four bytes a character) with the parts' headers.
    return limits.max_bytes + 4 * limits.max_details + std::size_t{64} * 1024;
}

http::Response status_page(const CustomerContext& c, const http::Request& request)
{
    if (auto refused = refuse_unsigned(c, request, Link::status))
        return *refused;
    return render_status(c, request, StatusOutcome{});
}

http::Response status_message(const CustomerContext& c, const http::Request& request)
{
    if (auto refused = refuse_unsigned(c, request, Link::status))
        return *refused;
    std::string number = request.param("number");
    auto fields = http::form_fields(request);
    std::string text = fields["message"];
    if (cross_site(request))
        return render_status(c, request, status_refusal(403, StatusProblem::expired, text));
    std::string address = http::client_address(request);
    TimePoint now = c.time->now();
    if (c.messages != nullptr && c.messages->blocked_until(address, now))
        return render_status(c, request, status_refusal(429, StatusProblem::too_many, text));
    std::string nonce;
    auto token = check_token(c, "status:" + number, fields["token"], std::nullopt, nonce);
    if (!token)
        return try_later(request, k_status_root, token.error());
    if (*token != TokenCheck::good)
        return render_status(c, request, status_refusal(422, StatusProblem::expired, text));
    if (trim(text).empty())
        return render_status(c, request, status_refusal(422, StatusProblem::empty));
    if (pages::characters(text) > c.limits.max_message)
        return render_status(c, request, status_refusal(422, StatusProblem::too_long, text));

    auto added = c.tickets->add_customer_message(number, text, "status:" + nonce);
    if (!added) {
        if (added.error().is(ErrorKind::not_found))
            return not_found(request);
        // Not lost: the message comes back in the form, with the token it was sent with, so that
        // sending it again adds it once however this try ended (its nonce is the delivery's key).
        // The page reads nothing from the store, which is what failed.
        log::warn("customer_page.unavailable", {{"path", request.path}, {"error", added.error().message}});
        std::shared_ptr<const pipeline::Runtime> hold;
        pages::StatusView view;
        view.language = visitor_language(request);
        view.company = runtime_of(c, hold).config.company.name;
        view.form_token = fields["token"];
        view.max_message = c.limits.max_message;
        view.draft = text;
        return html(503, pages::render_message_unsaved(view)).with_header("Retry-After", "60");
    }
    if (c.messages != nullptr)
        c.messages->failed(address, now);
    StatusOutcome outcome;
    if (added->action == pipeline::IngestOutcome::Action::created && added->ticket_number != number) {
        // Written long after the complaint was resolved: a new complaint that names the old one.
        outcome.view.notice = pages::StatusNotice::follow_up_opened;
        outcome.view.follow_up_number = added->ticket_number;
        Ticket follow_up;
        follow_up.number = added->ticket_number;
        if (auto url = c.tickets->status_url(follow_up))
            outcome.view.follow_up_url = *url;
    } else {
        outcome.view.notice = pages::StatusNotice::message_added;
    }
    if (c.changed && !added->ticket_number.empty())
        c.changed(added->ticket_number);
    return render_status(c, request, outcome);
}

http::Response complaint_form(const CustomerContext& c, const http::Request& request)
{
    auto token = c.tickets->form_token("complain");
    if (!token)
        return try_later(request, "", token.error());
    pages::ComplaintFormView view = form_view(c, visitor_language(request));
    view.form_token = *token;
    return html(200, pages::render_complaint_form(view));
}

http::Response complaint_filed(const CustomerContext& c, const http::Request& request)
{
    auto fields = http::form_fields(request);
    std::vector<http::FormPart> files = http::form_files(request, "files");
    std::string language = pages::choose_language(
        fields.contains("lang") ? std::optional<std::string_view>(fields["lang"]) : request.query_value("lang"),
        request.header("Accept-Language"));
    pages::ComplaintDraft draft{fields["name"],    fields["email"], fields["phone"],
                                fields["details"], fields["when"],  fields["reference"]};
    bool had_files = !files.empty();
    auto refuse = [&](int status, ComplaintProblem problem) {
        return refuse_complaint(c, request, language, status, problem, draft, had_files);
    };

    std::string address = http::client_address(request);
    TimePoint now = c.time->now();
    if (c.complaints != nullptr && c.complaints->blocked_until(address, now))
        return refuse(429, ComplaintProblem::rate);
    if (cross_site(request))
        return refuse(403, ComplaintProblem::expired);
    std::string nonce;
    auto token = check_token(c, "complain", fields["token"], c.limits.min_fill, nonce);
    if (!token)
        return try_later(request, "", token.error());
    if (*token == TokenCheck::refused)
        return refuse(422, ComplaintProblem::expired);
    if (*token == TokenCheck::too_fast)
        return refuse(422, ComplaintProblem::too_fast);
    if (!fields["website"].empty()) {
        // A robot that fills in every field: counted against its address like a complaint.
        if (c.complaints != nullptr)
            c.complaints->failed(address, now);
        return refuse(422, ComplaintProblem::honeypot);
    }
    if (auto problem = problem_with(c, draft, files)) {
        int status = *problem == ComplaintProblem::files_count || *problem == ComplaintProblem::files_size ? 413 : 422;
        return refuse(status, *problem);
    }

    service::WebComplaint complaint;
    complaint.name = trim(draft.name);
    complaint.email = trim(draft.email);
    complaint.phone = trim(draft.phone);
    complaint.details = draft.details;
    complaint.incident_date = trim(draft.when);
    complaint.reference = trim(draft.reference);
    complaint.language = language;
    complaint.key = "form:" + nonce;
    for (auto& f : files)
        complaint.files.push_back(letters::FileAttachment{f.filename, f.content_type, std::move(f.content)});
    auto filed = c.tickets->file_complaint(complaint);
    if (!filed) {
        if (filed.error().is(ErrorKind::invalid))
            return refuse(422, ComplaintProblem::details);
        // The store is busy or gone: the visitor keeps what they wrote, to send again in a minute.
        // With the same token, so that a complaint the store took after all is not filed twice.
        log::warn("customer_page.unavailable", {{"path", request.path}, {"error", filed.error().message}});
        return refuse_complaint(c, request, language, 503, ComplaintProblem::unavailable, draft, had_files,
                                fields["token"]);
    }
    if (c.complaints != nullptr)
        c.complaints->failed(address, now);
    const auto& outcome = filed->outcome;
    if (c.changed && !outcome.ticket_number.empty())
        c.changed(outcome.ticket_number);
    log::info("complaint_form.filed", {{"ticket", outcome.ticket_number},
                                       {"action", pipeline::to_json(outcome)["action"].get<std::string>()},
                                       {"remote", address}});

    std::shared_ptr<const pipeline::Runtime> hold;
    pages::ComplaintThanks thanks;
    thanks.language = language;
    thanks.company = runtime_of(c, hold).config.company.name;
    thanks.duplicate = outcome.action == pipeline::IngestOutcome::Action::duplicate;
    thanks.number = outcome.ticket_number;
    thanks.status_url = filed->status_url;
    if (acknowledged(outcome))
        thanks.email = complaint.email;
    thanks.phone = complaint.phone;
    return html(thanks.duplicate || thanks.number.empty() ? 200 : 201, pages::render_complaint_thanks(thanks));
}

http::Response complaint_too_large(const CustomerContext& c, const http::Request& request)
{
    return refuse_complaint(c, request, visitor_language(request), 413, ComplaintProblem::files_size, {}, true);
}

// The survey's form, `problem` and what the visitor chose given back, with a fresh form token
// (purpose "survey:<number>", like the status page's "status:<number>").
http::Response render_survey(const CustomerContext& c, const http::Request& request, int status, pages::SurveyView view)
{
    auto token = c.tickets->form_token("survey:" + view.number);
    if (!token)
        return try_later(request, k_status_root, token.error());
    view.form_token = *token;
    return html(status, pages::render_survey_form(view));
}

// The survey of the ticket the signed link names, in its language, or the answer that refuses the
// link (404) or says to come back (503).
std::variant<pages::SurveyView, http::Response> survey_of(const CustomerContext& c, const http::Request& request)
{
    if (auto refused = refuse_unsigned(c, request, Link::survey))
        return *refused;
    auto facts = c.tickets->customer_status(request.param("number"));
    if (!facts)
        return facts.error().is(ErrorKind::not_found) ? not_found(request)
                                                      : try_later(request, k_status_root, facts.error());
    std::shared_ptr<const pipeline::Runtime> hold;
    pages::SurveyView view;
    view.language = pages::choose_language(request.query_value("lang"), std::nullopt, facts->ticket.language);
    view.company = runtime_of(c, hold).config.company.name;
    view.number = facts->ticket.number;
    view.max_comment = c.limits.max_comment;
    return view;
}

http::Response survey_form(const CustomerContext& c, const http::Request& request)
{
    auto survey = survey_of(c, request);
    if (auto* refused = std::get_if<http::Response>(&survey))
        return std::move(*refused);
    return render_survey(c, request, 200, std::get<pages::SurveyView>(std::move(survey)));
}

http::Response survey_answer(const CustomerContext& c, const http::Request& request)
{
    auto survey = survey_of(c, request);
    if (auto* refused = std::get_if<http::Response>(&survey))
        return std::move(*refused);
    auto view = std::get<pages::SurveyView>(std::move(survey));
    auto fields = http::form_fields(request);
    view.comment = fields["comment"];
    std::string score_text = fields["score"];
    view.score = score_text.size() == 1 && score_text[0] >= '1' && score_text[0] <= '5' ? score_text[0] - '0' : 0;
    if (cross_site(request)) {
        view.problem = pages::SurveyProblem::expired;
        return render_survey(c, request, 403, std::move(view));
    }
    std::string nonce;
    auto token = check_token(c, "survey:" + view.number, fields["token"], std::nullopt, nonce);
    if (!token)
        return try_later(request, k_status_root, token.error());
    if (*token != TokenCheck::good) {
        view.problem = pages::SurveyProblem::expired;
        return render_survey(c, request, 422, std::move(view));
    }
    if (view.score == 0) {
        view.problem = pages::SurveyProblem::no_score;
        return render_survey(c, request, 422, std::move(view));
    }
    if (pages::characters(view.comment) > c.limits.max_comment) {
        view.problem = pages::SurveyProblem::too_long;
        return render_survey(c, request, 422, std::move(view));
    }
    auto rated = c.tickets->rate(view.number, view.score, view.comment, "link", "survey:" + nonce);
    if (!rated) {
        if (!rated.error().is(ErrorKind::invalid) && !rated.error().is(ErrorKind::conflict))
            return try_later(request, k_status_root, rated.error());
        // The service's reason is for staff, in English; the customer reads the page's own words.
        log::info("customer_page.survey_refused", {{"ticket", view.number}, {"error", rated.error().message}});
        view.problem = pages::SurveyProblem::refused;
        return render_survey(c, request, 422, std::move(view));
    }
    return html(200, pages::render_survey_thanks(view));
}

http::Response customer_file(const http::Request& request)
{
    auto asset = pages::customer_asset(request.param("file"));
    if (!asset)
        return html(404, pages::render_not_found(visitor_language(request), "../"));
    return http::Response{200, std::string(asset->content_type), std::string(asset->body)}.with_header("Cache-Control",
                                                                                                       "max-age=3600");
}

}  // namespace redress::api
