#pragma once
// The status page of one complaint, reached by its signed link (no login): where it stands in the
// process, the promised times, what will be done for the customer, the letters we sent, what the
// customer wrote, and a box to write more. Pure: values and a language in, HTML out.

#include "model/ticket.hpp"
#include "model/workflow.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace redress::pages {

// What the customer may see of their ticket (service::CustomerStatus has the same fields).
struct StatusFacts {
    Ticket ticket;
    std::vector<Letter> letters;            // to the customer, sent
    std::vector<CorrectiveAction> actions;  // for the customer
    std::vector<StoredMessage> messages;    // from the customer
};

// After the form's POST: what happened to the message, or why it was refused.
enum class StatusNotice { none, message_added, follow_up_opened };
enum class StatusProblem { none, empty, too_long, expired, too_many };

struct StatusView {
    std::string language;   // one of page_languages()
    std::string time_zone;  // company.time_zone, for the times shown
    std::string company;    // the footer
    std::string form_token;
    std::size_t max_message = 5000;  // characters
    StatusNotice notice = StatusNotice::none;
    std::string follow_up_number;  // the new ticket, for follow_up_opened
    std::string follow_up_url;     // its status page
    StatusProblem problem = StatusProblem::none;
    std::string draft;  // the refused message, given back
};

// Where in the process a ticket is: 0 registered, 1 being investigated, 2 the verdict, 3 what will
// be done, 4 resolved (resolved and closed).
int stage_of(TicketStatus status);

std::string render_status_page(const StatusFacts& facts, const StatusView& view);

// A message the store could not take just now: the page says to try again in a few minutes, with
// the form holding the message (view.draft) and the token it was sent with. Needs nothing from the
// store, which may be what failed.
std::string render_message_unsaved(const StatusView& view);

// The characters (not bytes) of UTF-8 text: what the limits on the pages count.
std::size_t characters(std::string_view utf8);

}  // namespace redress::pages
