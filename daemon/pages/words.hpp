#pragma once
// The words of the customer pages in the seven languages the letters are written in (en, ru, uk,
// be, pt, de, es), and which of them a visitor gets. Slots in braces ({number}) are filled by
// pages::fill, which escapes what goes in.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::pages {

struct Words {
    // Every page.
    std::string_view language_name;  // in the language itself: "Русский"
    std::string_view languages_label;
    std::string_view not_found_title;
    std::string_view not_found_text;
    std::string_view try_later_title;
    std::string_view try_later_text;
    std::string_view link_expired_title;
    std::string_view link_expired_text;
    std::string_view required;
    std::string_view send;

    // The status page.
    std::string_view status_title;  // {number}
    std::string_view subject_label;
    std::string_view registered_on;
    std::string_view stages_heading;
    std::string_view stage_registered;
    std::string_view stage_investigating;
    std::string_view stage_verdict;
    std::string_view stage_action;
    std::string_view stage_resolved;
    std::string_view stage_done;  // beside a stage passed
    std::string_view stage_now;   // beside the stage it is at
    std::string_view explain_registered;
    std::string_view explain_investigating;
    std::string_view explain_justified;
    std::string_view explain_unjustified;
    std::string_view explain_action;
    std::string_view explain_resolved;
    std::string_view explain_closed;
    std::string_view explain_waiting;
    std::string_view times_heading;
    std::string_view first_response_due;
    std::string_view first_responded;
    std::string_view resolution_due;
    std::string_view resolved_on;
    std::string_view no_times;
    std::string_view actions_heading;
    std::string_view action_due;  // {date}
    std::string_view action_done;
    std::string_view letters_heading;
    std::string_view no_letters;
    std::string_view messages_heading;
    std::string_view add_heading;
    std::string_view message_label;
    std::string_view message_hint;  // {characters}
    std::string_view message_added;
    std::string_view message_added_new;  // {number}
    std::string_view message_empty;
    std::string_view message_too_long;  // {characters}
    std::string_view form_expired;
    std::string_view too_many_messages;

    // The complaint form.
    std::string_view complain_title;
    std::string_view complain_intro;
    std::string_view name_label;
    std::string_view email_label;
    std::string_view phone_label;
    std::string_view contact_hint;
    std::string_view details_label;
    std::string_view when_label;
    std::string_view when_hint;
    std::string_view reference_label;
    std::string_view files_label;
    std::string_view files_hint;  // {files} {megabytes}
    std::string_view honeypot_label;
    std::string_view send_complaint;
    std::string_view problem_contact;
    std::string_view problem_email;
    std::string_view problem_details;
    std::string_view problem_too_long;     // {characters}
    std::string_view problem_files_count;  // {files}
    std::string_view problem_files_size;   // {megabytes}
    std::string_view problem_too_fast;
    std::string_view problem_expired;
    std::string_view problem_honeypot;
    std::string_view problem_rate;  // {address}: the support address
    std::string_view files_again;
    std::string_view thanks_title;
    std::string_view thanks_number;  // {number}
    std::string_view thanks_link;
    std::string_view thanks_mail;   // {email}
    std::string_view thanks_phone;  // {phone}
    std::string_view thanks_no_ticket;
    std::string_view already_sent;

    // The survey.
    std::string_view survey_title;
    std::string_view survey_heading;  // {number}
    std::string_view score_legend;
    std::string_view scores[5];      // 1 to 5
    std::string_view comment_label;  // {characters}
    std::string_view survey_no_score;
    std::string_view survey_too_long;  // {characters}
    std::string_view survey_thanks_title;
    std::string_view survey_thanks;   // {number}
    std::string_view survey_refused;  // the service refused the answer (the reason is logged, in English)
};

// The languages the pages speak, in the order the language switch lists them.
const std::vector<std::string_view>& page_languages();
// The words of a language: a regional form uses its base ("pt-BR" is pt); any other is English.
const Words& words_for(std::string_view language);
// One of page_languages() for a language code, as words_for reads it ("pt-BR" -> "pt", "fr" -> "en").
std::string page_language(std::string_view language);
// The visitor's language: `chosen` (?lang=) when it is one we speak, else the best of the browser's
// Accept-Language (RFC 9110 12.5.4: by q, then by order; q=0 is a refusal) that we speak, else
// `fallback`.
std::string choose_language(std::optional<std::string_view> chosen, std::optional<std::string_view> accept_language,
                            std::string_view fallback = "en");

}  // namespace redress::pages
