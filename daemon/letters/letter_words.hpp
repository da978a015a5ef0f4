#pragma once
// The words a letter uses for the model's codes: staff read "Status: corrective action planned",
// not "Status: action_planned". Codes stay in the values (ticket.status, alert.level) for whoever
// needs them; TemplateSet::render adds the words (ticket.status_text, ...) in the language of the
// template it uses, so a letter never mixes languages.

#include "placeholders.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace redress::letters {

// The languages letters are written in. Any other language, and an empty one, is English; a
// regional form uses its base language ("pt-BR" is pt).
enum class LetterLanguage { en, ru, uk, be, pt, de, es };
LetterLanguage letter_language(std::string_view language);

// The code placeholders that have words, and the placeholder each one's words go to.
struct CodeWords {
    std::string_view code_placeholder;  // "ticket.status"
    std::string_view text_placeholder;  // "ticket.status_text"
};
const std::vector<CodeWords>& code_words();

// The words for one code of one placeholder: ("ticket.status", "action_planned", "ru") ->
// "намечены меры по исправлению". A code the table lacks (a status added later) is written with
// spaces for underscores ("waiting_for_parts" -> "waiting for parts") rather than dropped.
std::string words_for_code(std::string_view code_placeholder, std::string_view code, std::string_view language);

// Sets every text placeholder of code_words() whose code placeholder has a value, in `language`
// (replacing words a caller set, which may be in another language); leaves the others alone.
void add_code_words(Values& values, std::string_view language);

// "first_response" / "resolution" (the SLA's deadline names) in words: "first response",
// "первый ответ", "primera respuesta". Anything else comes back with spaces for underscores.
std::string deadline_words(std::string_view deadline, std::string_view language);

// Why a staff alert went out, for alert.reason when the classifier named no cue: "major" (the
// complaint touches the law, safety or money), "raised_by_reply" (a reply made it major). Anything
// else comes back with spaces for underscores.
std::string alert_reason_words(std::string_view reason, std::string_view language);

// A list for a multi-line placeholder such as alert.reasons: one item a line, "- " before each,
// no newline after the last. Empty items are skipped; no items gives an empty string, which
// drops the {{#alert.reasons}} section.
std::string bullet_list(const std::vector<std::string>& items);

}  // namespace redress::letters
