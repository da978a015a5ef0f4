#pragma once
// The survey behind {{survey.url}}: the five scores (1 very poor to 5 excellent) and a comment, in
// the customer's language, and the thanks. Pure: values in, HTML out.

#include <cstddef>
#include <string>

namespace redress::pages {

// expired: the form's token is missing, forged or too old (the form is shown again with a new one).
enum class SurveyProblem { none, no_score, too_long, refused, expired };

struct SurveyView {
    std::string language;
    std::string company;
    std::string number;
    SurveyProblem problem = SurveyProblem::none;
    std::string form_token;          // signed and time-stamped, as on the other customer forms
    int score = 0;                   // the refused form's score, given back
    std::string comment;             // the refused form's comment, given back
    std::size_t max_comment = 2000;  // characters
};

std::string render_survey_form(const SurveyView& view);
std::string render_survey_thanks(const SurveyView& view);

}  // namespace redress::pages
