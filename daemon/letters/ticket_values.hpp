#pragma once
// The placeholders a ticket and its customer fill, so callers do not spell the names by hand.

#include "placeholders.hpp"

#include "model/ticket.hpp"

#include <string_view>

namespace redress::letters {

// Sets ticket.number, ticket.subject, ticket.status, ticket.kind, ticket.severity, ticket.channel,
// ticket.received_at, ticket.first_response_due and ticket.resolution_due (times through
// format_time_for_letter in `language` and `time_zone`; a deadline that is not set stays absent,
// so {{#ticket.first_response_due}} sections drop out), customer.name and customer.email.
// Status, kind and severity are the model's codes ("action_planned"), for rules; TemplateSet::render
// adds their words (ticket.status_text, ...) in the letter's language. `language` must be the
// language of the template that will be used (TemplateSet::render's ValuesFor hands it over), not
// the customer's: a letter that falls back to English must carry English dates.
void add_ticket_values(Values& values, const Ticket& ticket, std::string_view language, std::string_view time_zone);

}  // namespace redress::letters
