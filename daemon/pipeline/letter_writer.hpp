#pragma once
// Turns a template, a ticket and a recipient into a ready Letter for the outbox: rendered in the
// right language, composed as an RFC 5322 message, with a Message-ID derived from the letter's
// dedup key so that the same letter always has the same id.

#include "letters/email_composer.hpp"
#include "letters/template_set.hpp"
#include "model/message.hpp"
#include "model/ticket.hpp"
#include "runtime.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace redress::pipeline {

// Values that must be written in the language of the template actually used (times, the words for a
// deadline): called with that language once the template is chosen, after the other values are set.
using LanguageValues = std::function<void(letters::Values& values, std::string_view letter_language)>;

struct LetterRequest {
    // The letter ("acknowledgement"). On a chat channel its chat variant ("chat_acknowledgement")
    // is rendered when there is one (letters::TemplateSet::name_for_channel); the Letter keeps this
    // name, so counts and checks by letter (the hourly cap on acknowledgements) cover both.
    std::string template_name;
    std::string language;
    // "email": an RFC 5322 message to `to`. "chat:<name>": the same words as plain text, sent to
    // the conversation `to.address` names in that chat (the part after the colon of "tg:123456").
    std::string channel = "email";
    Mailbox to;
    std::string dedup_key;
    const Ticket* ticket = nullptr;
    const Message* answering = nullptr;  // the customer's message this letter answers (threading headers)
    letters::Values extra_values;        // alert.*, message.excerpt, ...
    LanguageValues language_values;      // optional: alert.due, alert.deadline, ...
    // RFC 3834 5: auto-replied for answers to a customer's message, auto-generated for alerts.
    letters::AutoSubmitted auto_submitted = letters::AutoSubmitted::auto_replied;
    std::string install_id;  // the store's install_id(): makes Message-IDs unique across installations
    // A person's own words for the body (the workflow's letters are previewed, then may be edited):
    // they replace the rendered body; the subject stays the template's.
    std::optional<std::string> body_override;
    // The letter waits in the outbox until then (the survey goes out a while after sign-off).
    std::optional<TimePoint> send_at;
    // Files sent as MIME parts of an email (a person's reply with files); a chat letter takes none.
    std::vector<letters::FileAttachment> files;
};

// The letter's words as the recipient will read them: subject (with the ticket tag) and body.
struct LetterText {
    std::string subject;
    std::string body;
    std::string language;       // of the template used
    std::string template_name;  // the template used: the request's, or its chat variant on a chat
};
Result<LetterText> render_letter(const Runtime& runtime, const LetterRequest& request);

// The placeholder values every letter about this ticket can use.
// The ticket's values for a letter, times and words written in `language` (default: the ticket's).
letters::Values ticket_values(const Runtime& runtime, const Ticket& ticket, std::string_view language = {});

Result<Letter> write_letter(const Runtime& runtime, const LetterRequest& request, TimePoint now);

// The chat copy of an email request to someone with a chat address ("tg:123456"): channel
// "chat:tg", recipient the conversation's id, dedup key + ":chat". Nullopt when the address is
// empty or names a chat the config does not have.
std::optional<LetterRequest> chat_copy(const Runtime& runtime, LetterRequest request, std::string_view chat_address);

// A letter to a chat ticket's customer goes to the ticket's conversation: channel "chat:<name>",
// recipient the conversation's id in that chat (config::ChatRecipient), for Telegram with the
// customer's message it answers (`reply_to`, may be empty). False, and the request unchanged, when
// the ticket has no conversation or its chat is no longer configured.
bool address_to_conversation(const Runtime& runtime, const Ticket& ticket, LetterRequest& request,
                             std::string_view reply_to = {});

// A chat message: the subject on the first line, a blank line, the body. `max_units` is what the
// platform takes, counted as it counts (UTF-16 code units; 0: no limit). A longer text is cut at a
// line or character boundary and ends with "[...]": a chat customer has no email where the rest
// could be, so the limit is the platform's own and bites only a text it could not carry at all.
std::string chat_text(std::string_view subject, std::string_view body, std::size_t max_units = 0);

// How long one message may be in a chat of this type: Telegram's sendMessage takes 4,096
// characters, Slack's chat.postMessage cuts a text past 40,000; a JSON webhook's bridge takes the
// letter whole (0).
std::size_t chat_text_limit(config::ChatType type);

// "<number>.<template>.redress.<hash>" + "@" + domain: the hash covers the installation's id and
// the letter's dedup key, so the same letter always gets the same id and no two letters share one.
std::string letter_message_id(std::string_view install_id, std::string_view dedup_key, std::string_view ticket_number,
                              std::string_view template_name, std::string_view domain);

}  // namespace redress::pipeline
