#pragma once
// Letters to staff (the owner, an assignee, the second level): escalations, deadline warnings, the
// major-complaint alert, delivery failures. One builder for all of them, so that every such letter
// is written the same way: in the company's language (config company.language, English where that
// language lacks the template), with times and words in the language of the template actually
// used, by email and, when the person has a chat address, by chat as well.

#include "common/result.hpp"
#include "letter_writer.hpp"
#include "model/message.hpp"
#include "model/ticket.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace redress::store {
class People;
}

namespace redress::pipeline {

struct Runtime;

// How to reach a person named on a ticket (its assignee, an action's responsible person).
struct StaffPerson {
    Mailbox mailbox;
    std::string chat;  // "tg:123456", or empty
};
// "Name <address>" (or an address) as typed, or a user's login name whose profile has an address;
// nullopt when no address is known (a disabled user, a user without email, malformed text).
Result<std::optional<StaffPerson>> staff_person(store::People& people, std::string_view who);

struct StaffLetterRequest {
    std::string template_name;       // one of letters::alert_templates()
    Mailbox to;                      // the person; an empty address means no email copy
    std::string chat;                // "tg:123456": a chat copy as well; empty for none
    const Ticket* ticket = nullptr;  // null for a letter about no ticket (a failed alert)
    letters::Values extra_values;    // alert.*, delivery.*, message.excerpt
    LanguageValues language_values;  // values written in the letter's language (times, words)
    std::string dedup_key;           // the chat copy adds ":chat"
    std::string install_id;          // the store's install_id()
};

struct StaffLetters {
    std::optional<Letter> email;  // when the person has an email address
    std::optional<Letter> chat;   // when the person has a chat address the config knows
    // The chat address when it names a chat the config does not have (no chat copy was written).
    std::string unknown_chat;
};

// Renders the letter for each way the person can be reached. Errors are the template's (a missing
// template or placeholder); both copies use the same template, so they fail together.
Result<StaffLetters> staff_letter(const Runtime& runtime, const StaffLetterRequest& staff, TimePoint now);

// The request staff_letter renders by email (language, automatic headers), for callers that queue
// the copies one by one.
LetterRequest staff_email_request(const Runtime& runtime, const StaffLetterRequest& staff);

}  // namespace redress::pipeline
