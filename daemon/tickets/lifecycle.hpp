#pragma once
// The ticket's state machine, as the complaint handbooks describe it. Pure: the manager's API (next
// round) and the pipeline both ask it before changing a status, and write an audit row for each change.
//
//   new -> acknowledged -> investigating -> justified | unjustified -> action_planned -> resolved -> closed
//
// A customer's reply reopens a resolved or closed ticket (back to investigating). Only the customer
// (or an address that wrote on the ticket before) can do that: a message threaded to the ticket from
// anyone else is a stranger's (see reply_role), and automatic mail is never an answer.

#include "model/ticket.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace redress::tickets {

bool can_transition(TicketStatus from, TicketStatus to);

// What a customer's new message does to the ticket: reopens it if it was resolved or closed, and
// ends a wait for the customer. Returns a sentence for the audit row, empty when nothing changed.
std::string apply_customer_reply(Ticket& ticket, TimePoint now);

// Whether a customer's reply at `now` may reopen the ticket: always for an open one; for a resolved
// or closed one within `window` (workflow.reopen_window) of its resolution. Later, the reply opens a
// new ticket that names the old one.
bool within_reopen_window(const Ticket& ticket, TimePoint now, Seconds window);

// Whether the customer's signed links (the status page, the survey) still open the ticket at `now`:
// always while it is open; for `lifetime` (workflow.links_valid_after_close) after it was resolved or
// closed, counted from the later of the two. A link in an old letter, forwarded or found in a mailbox
// years later, then shows nothing of the complaint. (An erased ticket's links are closed by the
// service, which knows of the erase.)
bool customer_links_open(const Ticket& ticket, TimePoint now, Seconds lifetime);

// The survey answered by mail: a reply whose new text starts with a score 1-5 ("5", "4 - спасибо",
// "5/5"), in any language. Nullopt for text that starts with another number ("10 days", "3.5").
std::optional<int> rating_in_reply(std::string_view text);
// Whether the reply only rates (a score and a few words, no question): it does not reopen a
// closed ticket. A longer reply raises the matter again and does.
bool reply_only_rates(std::string_view text);

// Who a message threaded to an existing ticket (by its [RD-n] tag, or by In-Reply-To/References to
// one of our letters) comes from, as far as that ticket's rules go.
enum class ReplyRole {
    customer,   // the ticket's customer or a known participant: reopens, resumes, may escalate
    automatic,  // automatic mail (auto-replies, out-of-office) from them: stored, changes nothing
    stranger,   // anyone else: must not touch the ticket at all (the pipeline opens its own ticket)
};

// `from` is the message's sender address; `wrote_before` whether that address already wrote a
// message (not automatic mail) on this ticket. Addresses compare case-insensitively; an empty
// address is nobody's. A stranger stays a stranger whether the message is automatic or not.
ReplyRole reply_role(const Ticket& ticket, std::string_view from, bool wrote_before, bool automatic);

// Whether the role's message ends a wait for the customer, reopens, and may raise the severity:
// only the customer's (a person's) own message does.
bool counts_as_customer_answer(ReplyRole role);

}  // namespace redress::tickets
