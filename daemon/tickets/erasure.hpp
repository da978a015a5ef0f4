#pragma once
// The rules of a customer's erase and of retention (docs/privacy.md). Pure: values in, values out;
// the service applies them in one store transaction, the store blanks and removes what they name.
//
// Personal data is what tells who the customer is or what they said: names, email addresses, phone
// numbers, chat users and conversations, the text of their messages and of our letters to them
// (bodies, subjects, stored raw copies), notes' text (staff's words about the customer), rating
// comments, corrections (their first message kept as a training example), suggestions of their
// identities, the text of corrective actions for the customer, and their files. What stays makes
// the statistics and the deadlines' history add up: a ticket's number, kind, severity, channel,
// language, status, verdict, department, codes, dates and deadlines, the audit's actions and times,
// ratings' scores, corrective actions for the process.

#include "common/result.hpp"
#include "model/customer_record.hpp"
#include "model/ticket.hpp"
#include "model/workflow.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::tickets {

// What stands where erased words were in the audit and in kept texts.
inline constexpr std::string_view k_erased = "[erased]";

// The words that name the customer: their records' names and identities, suggestions of theirs,
// and the contact fields and conversations of their tickets (no empty or duplicate values; longest
// first, so a longer value is replaced before a shorter one inside it).
std::vector<std::string> personal_values(const CustomerGroup& group, const std::vector<Ticket>& tickets);

// The values without empty ones or duplicates (ASCII letters regardless of case), longest first.
std::vector<std::string> longest_first(std::vector<std::string> values);

// The ticket as it stays after an erase: no name, address, phone, chat user, conversation or subject.
Ticket anonymised(Ticket ticket);

// Whether `text` names `value` whole (ASCII letters regardless of case): not preceded or followed by a
// character that can be part of an address (RFC 5322's atext, the dot, the at sign, any non-ASCII
// byte), so anna@x.org is not named by hanna@x.org; a dot after it that ends a sentence
// ("write to anna@x.org.") still counts. Who a letter, an audit row or a file is about.
bool names_whole(std::string_view text, std::string_view value);

// `text` with every occurrence of each value replaced by k_erased (ASCII letters regardless of case).
std::string scrub(std::string_view text, const std::vector<std::string>& values);

// An audit row's JSON detail after an erase: the values of keys that hold words ("subject", "text",
// "comment", "name", "address", "value", "body", "summary", "offer", "reason" and the like) become
// k_erased; every other string has the personal values scrubbed. Text that is not JSON is scrubbed.
std::string scrub_detail(std::string_view detail, const std::vector<std::string>& values);

// A corrective action after an erase: one for the customer loses its text and note (they are about
// that person); one for the process keeps them with the personal values scrubbed.
CorrectiveAction erased_action(CorrectiveAction action, const std::vector<std::string>& values);

// Who may erase: the owner only, with a reason. refused / invalid otherwise.
Result<void> check_erase(const Actor& actor, std::string_view reason);

// Retention: a ticket whose personal data is due for erasing at `now` under a policy of `days`
// (0: off): closed, not erased already, and closed more than `days` days before `now`.
bool retention_due(const Ticket& ticket, TimePoint now, int days);

// Whether a ticket is still alive for retention: not closed. A customer record keeps its name and
// identities while any of its tickets is alive; retention erases only the old tickets' records.
bool keeps_customer_alive(const Ticket& ticket);

}  // namespace redress::tickets
