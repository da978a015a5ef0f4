#pragma once
// The rules of one customer across channels and of merging tickets (docs/customers.md). Pure: values
// in, values out; the store keeps the records and the service applies these in one transaction.
//
// Verified identities link a message to a customer automatically: the From address of a mail, the
// chat user of a chat message. Everything else a message says about its sender is a suggestion for
// staff: an address or phone number in the text, a contact typed into a chat or passed on by a
// bridge, a Slack profile's email, and what the public complaint form or a phone call gives (anyone
// can type any address into a public page, and a caller's number is not proven by a call taken by
// hand). A person accepts a suggestion, which links it as verified by them.

#include "common/result.hpp"
#include "model/customer_record.hpp"
#include "model/message.hpp"
#include "model/ticket.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::tickets {

// An email address compared as people mean it: trimmed and in lower case ("Anna@Example.ORG" is
// "anna@example.org"; RFC 5321 lets the local part be case-sensitive, but no mail service we meet
// treats it so). "" when it is not one plain address.
std::string normalise_email(std::string_view text);
// A phone number as its digits, "+" kept in front ("00" read as "+"): "+7 (912) 345-67-89" is
// "+79123456789". "" when fewer than 7 or more than 15 digits (E.164's longest), or other letters.
std::string normalise_phone(std::string_view text);
// A chat user "<chat>:<platform user id>" as it is ("tg:98765"); "" without a chat name and an id.
std::string normalise_chat_user(std::string_view text);
// One of the above by kind.
std::string normalise_identity(IdentityKind kind, std::string_view text);
// What kind a person's lookup names: an address (has @), a chat user (has :), else a phone number.
IdentityKind guess_identity_kind(std::string_view text);

// The email addresses and phone numbers written in a text, normalised, each once, in order. A phone
// number needs a leading "+" or at least 10 digits written with separators, so an order number or a
// date is not taken for one.
std::vector<IdentityClaim> mentioned_identities(std::string_view text, std::string_view source);

// Where a message came in, as far as proving its sender goes.
enum class SenderProof {
    mail,          // the From address of a mail
    chat,          // the chat user of a chat message
    public_form,   // the complaint form: typed into a public page, unverified
    staff_intake,  // a complaint taken by phone or in person: typed by an agent, unverified
    linked         // a message on a ticket by its signed link (status page): the ticket's customer already
};

// What one message on ticket `ticket_id` tells about its customer. `typed_phone` is the phone number
// a form or an agent gave. The verified identity, the name, and the identities mentioned in the
// message's text and signature (not the quoted history: that is someone else's words), in a chat's
// contact fields, or typed into a form, without the verified one.
CustomerLink customer_link(const Message& message, SenderProof proof, std::string_view typed_phone,
                           std::int64_t ticket_id, std::optional<std::int64_t> message_id, TimePoint at);

// Whether `from` may be merged into `into` (the survivor). Refused as conflict: the same ticket, a
// ticket already merged, a closed one (a closed ticket is a finished record: reopen it first), or a
// resolved one (its stopped clocks would stop the survivor's). Tickets of two customers (after their
// records' merges) only when a person confirms that they are one matter: conflict otherwise, naming
// the two customers.
Result<void> check_ticket_merge(const Ticket& from, const Ticket& into, bool from_merged, bool into_merged,
                                bool same_customer, bool confirmed);

// The survivor after the merge: it arrived when the earlier of the two arrived, its first human
// answer is the earlier of the two, and its severity is the graver. Deadlines are recomputed from
// the merged clock history by the caller.
Ticket merged_ticket(const Ticket& from, Ticket into, TimePoint now);

}  // namespace redress::tickets
