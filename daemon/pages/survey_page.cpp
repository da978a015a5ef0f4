#include "survey_page.hpp"

#include "html.hpp"
#include "parts.hpp"
#include "words.hpp"

namespace redress::pages {

std::string render_survey_form(const SurveyView& view)
{
    const Words& w = words_for(view.language);
    std::string limit = std::to_string(view.max_comment);
    std::string out = language_switch(view.language);
    // The number is one word: at 360 px the heading must not break it at its hyphen (as on the status page).
    std::string number = "<span class=\"ticket-number\">" + html_escape(view.number) + "</span>";
    out += "<h1>" + fill_markup(w.survey_heading, {{"number", number}}) + "</h1>\n";
    switch (view.problem) {
    case SurveyProblem::no_score:
        out += alert_box(html_escape(w.survey_no_score), true);
        break;
    case SurveyProblem::too_long:
        out += alert_box(fill(w.survey_too_long, {{"characters", limit}}), true);
        break;
    case SurveyProblem::refused:
        out += alert_box(html_escape(w.survey_refused), true);
        break;
    case SurveyProblem::expired:
        out += alert_box(html_escape(w.form_expired), true);
        break;
    case SurveyProblem::none:
        break;
    }
    out += "<form method=\"post\" enctype=\"multipart/form-data\" accept-charset=\"utf-8\">\n";
    out += "<input type=\"hidden\" name=\"token\" value=\"" + html_escape(view.form_token) + "\">\n";
    out += "<fieldset class=\"scores\"><legend>" + html_escape(w.score_legend) + "</legend>\n";
    for (int score = 1; score <= 5; ++score) {
        std::string id = "score-" + std::to_string(score);
        out += "<p><input type=\"radio\" id=\"" + id + "\" name=\"score\" value=\"" + std::to_string(score) +
               "\" required" + (score == view.score ? " checked" : "") + "> <label for=\"" + id + "\">" +
               html_escape(w.scores[score - 1]) + "</label></p>\n";
    }
    out += "</fieldset>\n";
    out += "<p><label for=\"comment\">" + fill(w.comment_label, {{"characters", limit}}) + "</label>\n";
    out += "<textarea id=\"comment\" name=\"comment\" rows=\"6\"" +
           std::string(view.problem == SurveyProblem::too_long ? " aria-invalid=\"true\"" : "") + ">" +
           html_escape(view.comment) + "</textarea></p>\n";
    out += "<p><button type=\"submit\">" + html_escape(w.send) + "</button></p>\n</form>\n";
    return render_page(PageFrame{view.language, std::string(w.survey_title), "../../", "", view.company}, out);
}

std::string render_survey_thanks(const SurveyView& view)
{
    const Words& w = words_for(view.language);
    std::string out = "<h1>" + html_escape(w.survey_thanks_title) + "</h1>\n<p>" +
                      fill(w.survey_thanks, {{"number", view.number}}) + "</p>\n";
    return render_page(PageFrame{view.language, std::string(w.survey_thanks_title), "../../", "", view.company}, out);
}

}  // namespace redress::pages
