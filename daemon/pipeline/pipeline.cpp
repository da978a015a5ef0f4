#include "pipeline.hpp"

#include "attachment_intake.hpp"
#include "auth/secrets.hpp"
#include "bounce.hpp"
#include "common/log.hpp"
#include "common/text.hpp"
#include "deadlines.hpp"
#include "letter_writer.hpp"
#include "letters/letter_words.hpp"
#include "links.hpp"
#include "loop_guard.hpp"
#include "mime/parser.hpp"
#include "quarantine.hpp"
#include "queue_letter.hpp"
#include "routing.hpp"
#include "runtime.hpp"
#include "staff_letters.hpp"
#include "store/store.hpp"
#include "threading.hpp"
#include "tickets/customers.hpp"
#include "tickets/lifecycle.hpp"
#include "tickets/workflow.hpp"

#include <nlohmann/json.hpp>

#include <cctype>

namespace redress::pipeline {

using nlohmann::json;

json to_json(const IngestOutcome& o)
{
    static constexpr const char* actions[] = {"created", "updated", "recorded", "duplicate", "quarantined"};
    json j{{"action", actions[static_cast<int>(o.action)]},
           {"ticket", o.ticket_number.empty() ? json(nullptr) : json(o.ticket_number)},
           {"kind", to_string(o.kind)},
           {"language", o.language},
           {"severity", to_string(o.severity)},
           {"letters", o.letters},
           {"reasons", o.reasons}};
    if (!o.quarantine_reason.empty())
        j["quarantine_reason"] = o.quarantine_reason;
    return j;
}

namespace {

json classification_json(const Classification& c)
{
    return json{{"kind", to_string(c.kind)},
                {"severity", to_string(c.severity)},
                {"language", c.language},
                {"confidence", c.confidence},
                {"bulk", c.bulk},
                {"reasons", c.reasons}};
}

std::string excerpt(std::string_view text, std::size_t limit = 400)
{
    text = trim(text);
    if (text.size() <= limit)
        return std::string(text);
    return std::string(text.substr(0, utf8_cut(text, limit))) + "...";
}

Result<void> audit(store::Transaction& tx, std::optional<std::int64_t> ticket_id, TimePoint now, std::string actor,
                   std::string action, const json& detail)
{
    return tx.add_audit(AuditEvent{0, ticket_id, now, std::move(actor), std::move(action), detail.dump()});
}

// Telegram's language_code, or the language of the web page a customer wrote on, helps where the
// text is too short to tell its language (the detector needs a sentence or so): under k_short_text
// letters, or when it fell back to its default.
constexpr std::size_t k_short_text = 24;

void apply_language_hint(Classification& c, const Message& m, const RawMessage& raw)
{
    std::string code;
    std::string whose;
    if (m.chat && !m.chat->language_hint.empty()) {
        code = m.chat->language_hint;
        whose = "the chat's language_code";
    } else if (raw.web && !raw.web->language_hint.empty()) {
        code = raw.web->language_hint;
        whose = "the language of the page";
    } else {
        return;
    }
    std::string hint = ascii_lower(std::string_view(code).substr(0, code.find_first_of("-_")));  // "pt-br" -> "pt"
    if (hint.size() != 2 || hint == c.language)
        return;
    std::size_t letters = 0;
    for (unsigned char ch : m.text)
        if ((ch < 0x80 && std::isalpha(ch)) || ch >= 0xC0)  // ASCII letters and the first byte of the rest
            ++letters;
    bool guessed = false;
    for (const auto& reason : c.reasons)
        guessed = guessed || (reason.starts_with("language ") && reason.find("default") != std::string::npos);
    if (letters >= k_short_text && !guessed)
        return;
    c.language = hint;
    c.reasons.push_back("language " + hint + " (" + whose + ": the text is too short to tell)");
}

// Everything one ingest does inside its transaction. Each step returns an error only for store
// failures; decisions about the message itself are outcomes.
class Ingest {
public:
    Ingest(const Runtime& runtime, store::Transaction& tx, store::People& people, const RawMessage& raw,
           const Message& message, const Classification& classification, TimePoint now, HourlyCapLog& hourly_cap,
           std::string link_secret)
        : m_rt(runtime)
        , m_tx(tx)
        , m_people(people)
        , m_raw(raw)
        , m_message(message)
        , m_class(classification)
        , m_now(now)
        , m_hourly_cap(hourly_cap)
        , m_link_secret(std::move(link_secret))
    {
        m_outcome.kind = classification.kind;
        m_outcome.language = classification.language;
        m_outcome.severity = classification.severity;
        m_outcome.reasons = classification.reasons;
    }

    Result<IngestOutcome> run()
    {
        if (TRY(is_duplicate())) {
            m_outcome.action = IngestOutcome::Action::duplicate;
            return m_outcome;
        }
        if (m_message.chat)
            return run_chat();
        if (m_raw.web)
            return run_web();
        if (is_own_letter(m_message, m_rt.config)) {
            m_outcome.reasons.push_back("one of our own letters came back");
            return record_without_ticket("message.own_letter");
        }
        if (m_class.kind == Kind::automatic && is_delivery_failure(m_message, m_raw.bytes))
            return handle_bounce();

        std::optional<Ticket> existing = TRY(survivor(TRY(find_ticket())));
        if (existing) {
            tickets::ReplyRole role = TRY(reply_role(*existing));
            // A late answer to the survey rates the closed ticket; anything else said long after it
            // was resolved is a new matter.
            if (role != tickets::ReplyRole::stranger && tickets::counts_as_customer_answer(role) &&
                !tickets::within_reopen_window(*existing, m_now, m_rt.config.workflow.reopen_window) &&
                !(tickets::reply_only_rates(m_message.text) && TRY(survey_went_out(*existing))))
                return open_follow_up(*existing);
            if (role != tickets::ReplyRole::stranger)
                return continue_ticket(std::move(*existing), role);
            // Someone else wrote with the ticket's tag or in reply to one of our letters: the
            // ticket is not theirs to reopen, resume or escalate (docs/architecture.md, "Threading").
            m_outcome.reasons.push_back("from a stranger: " + m_message.from.address + " is not a participant of " +
                                        existing->number + " (threaded by " + m_threaded_by + ")");
        }
        IngestOutcome outcome;
        if (m_class.kind == Kind::automatic || m_class.kind == Kind::spam)
            outcome = TRY(record_without_ticket(m_class.kind == Kind::spam ? "message.spam" : "message.automatic"));
        else
            outcome = TRY(open_ticket());
        if (existing)
            TRY(note_stranger(*existing, outcome.ticket_number));
        return outcome;
    }

    // The rows of the message's files, kept in the attachment store before the transaction began.
    void set_files(std::vector<store::AttachmentRecord> files) { m_files = std::move(files); }

private:
    // The message and the rows of its files, which refer to it.
    Result<std::int64_t> store_message(std::optional<std::int64_t> ticket_id)
    {
        std::int64_t id = TRY(m_tx.add_message(stored_message(ticket_id)));
        for (store::AttachmentRecord row : m_files) {
            row.message_id = id;
            row.ticket_id = ticket_id;
            TRY(m_tx.add_attachment(row));
        }
        return id;
    }

    // A chat message belongs to its conversation's ticket: the conversation (a Telegram chat, a Slack
    // thread, a webhook's conversation id) is the customer's identity, so there are no strangers and
    // no tags to read. A closed ticket is reopened within workflow.reopen_window, as for email;
    // later the conversation opens a new ticket that names the old one.
    Result<IngestOutcome> run_chat()
    {
        std::optional<Ticket> existing = TRY(survivor(TRY(m_tx.ticket_by_conversation(m_message.chat->conversation))));
        if (!m_message.chat->edit_of.empty()) {
            // An edit belongs with the message it edits, wherever that is now (the conversation may
            // have a later ticket); an edit of a message we never stored (a /start, a sticker) with
            // the conversation's ticket.
            std::optional<Ticket> edited = TRY(m_tx.ticket_by_message_ids({m_message.chat->edit_of}));
            if (edited || existing)
                return record_edit(edited ? std::move(*edited) : std::move(*existing));
            // Nothing of this conversation is stored: the edit is the first we hear of it, so it is
            // taken as a new message.
        }
        if (existing) {
            m_threaded_by = "conversation";
            if (!tickets::within_reopen_window(*existing, m_now, m_rt.config.workflow.reopen_window) &&
                !(tickets::reply_only_rates(m_message.text) && TRY(survey_went_out(*existing))))
                return open_follow_up(*existing);
            return continue_ticket(std::move(*existing), tickets::ReplyRole::customer);
        }
        if (m_class.kind == Kind::spam || m_class.kind == Kind::automatic)
            return record_without_ticket(m_class.kind == Kind::spam ? "message.spam" : "message.automatic");
        return open_ticket();
    }

    // A customer changed a message they sent (Telegram's edited_message): the new text is kept on
    // the ticket, marked as an edit of the earlier message, with an audit row. It is no new message
    // from the customer: no ticket opens or reopens, no acknowledgement or other letter goes out, the
    // status and the deadlines stay. Staff read the edit and decide what it changes.
    Result<IngestOutcome> record_edit(const Ticket& ticket)
    {
        m_edit_of_message = TRY(m_tx.message_by_message_id(m_message.chat->edit_of));
        auto id = TRY(store_message(ticket.id));
        json detail{{"message", id}, {"edit_of", m_message.chat->edit_of}};
        detail["edited_message"] = m_edit_of_message ? json(*m_edit_of_message) : json(nullptr);
        TRY(audit(m_tx, ticket.id, m_now, "customer", "message.edited", detail));
        m_outcome.action = IngestOutcome::Action::updated;
        m_outcome.ticket_number = ticket.number;
        m_outcome.reasons.push_back("an edit of an earlier message on " + ticket.number +
                                    ": recorded, no letter, status and deadlines unchanged");
        log::info("message.edited", {{"ticket", ticket.number}, {"edit_of", m_message.chat->edit_of}});
        return m_outcome;
    }

    // The customer pages: a message from the status page joins the ticket its signed link names
    // (the link is the proof: no tags, no strangers), with the reopen window as for mail; the
    // complaint form always opens a ticket of its own.
    Result<IngestOutcome> run_web()
    {
        if (!m_raw.web->ticket.empty()) {
            std::optional<Ticket> existing = TRY(survivor(TRY(m_tx.ticket_by_number(m_raw.web->ticket))));
            if (!existing)
                return make_error(ErrorKind::not_found, "ticket.not_found",
                                  "There is no ticket " + m_raw.web->ticket + ".");
            m_threaded_by = "status page";
            if (!tickets::within_reopen_window(*existing, m_now, m_rt.config.workflow.reopen_window))
                return open_follow_up(*existing);
            return continue_ticket(std::move(*existing), tickets::ReplyRole::customer);
        }
        if (m_class.kind == Kind::spam || m_class.kind == Kind::automatic)
            return record_without_ticket(m_class.kind == Kind::spam ? "message.spam" : "message.automatic");
        return open_ticket();
    }

    Result<bool> is_duplicate()
    {
        // The source key catches a re-delivery from the same place; the Message-ID the same mail
        // reaching us twice (two mailboxes, a UIDVALIDITY rescan, the drop folder and IMAP). A
        // different message under a known Message-ID (a sender that reuses them, against RFC 5322
        // 3.6.4) is no duplicate: it is stored as a message of its own, flagged.
        if (TRY(m_tx.message_by_source_key(m_raw.source_key)))
            return true;
        auto first = TRY(m_tx.message_by_message_id(m_message.message_id));
        if (!first)
            return false;
        if (TRY(m_tx.has_same_message(m_message.message_id, m_message.from.address, m_message.subject, m_message.text)))
            return true;
        m_outcome.reasons.push_back("reused Message-ID");
        m_reuses_message = *first;
        log::warn("message.reused_message_id", {{"source", m_raw.source_key},
                                                {"message_id", m_message.message_id},
                                                {"first_message", std::to_string(*first)}});
        // A Message-ID is the sender's text: dumped with U+FFFD for bytes that are not UTF-8.
        json detail{{"source", m_raw.source_key}, {"message_id", m_message.message_id}, {"first_message", *first}};
        TRY(m_tx.add_audit(AuditEvent{0, std::nullopt, m_now, "system", "message.reused_message_id",
                                      detail.dump(-1, ' ', false, json::error_handler_t::replace)}));
        return false;
    }

    // A ticket merged into another hands whatever threads to it (its tag, a reply to its letters, its
    // chat conversation, its status page) to the ticket it was merged into (docs/customers.md).
    Result<std::optional<Ticket>> survivor(std::optional<Ticket> ticket)
    {
        for (int hops = 0; ticket && hops < 16; ++hops) {
            auto into = TRY(m_tx.ticket_merged_into(ticket->id));
            if (!into)
                break;
            m_outcome.reasons.push_back(ticket->number + " is merged: the message goes to the ticket it joined");
            ticket = TRY(m_tx.ticket_by_id(*into));
        }
        return ticket;
    }

    // The ticket's customer record (tickets::customer_link decides what the message proves and what
    // it merely mentions; the store links in this transaction).
    Result<void> link_customer(const Ticket& ticket, std::int64_t message_id)
    {
        tickets::SenderProof proof = tickets::SenderProof::mail;
        std::string typed_phone;
        if (m_message.chat) {
            proof = tickets::SenderProof::chat;
        } else if (m_raw.web) {
            proof = m_raw.web->ticket.empty() ? tickets::SenderProof::public_form : tickets::SenderProof::linked;
            typed_phone = m_raw.web->phone;
        } else if (m_raw.intake) {
            proof = tickets::SenderProof::staff_intake;
            typed_phone = m_raw.intake->phone;
        }
        CustomerLink link = tickets::customer_link(m_message, proof, typed_phone, ticket.id, message_id, m_now);
        link.name = ticket.customer.name;
        TRY(m_tx.link_customer(link));
        return {};
    }

    Result<std::optional<Ticket>> find_ticket()
    {
        if (auto number = ticket_tag(m_message.subject, m_rt.config.company.ticket_prefix)) {
            m_threaded_by = "tag";
            auto t = m_tx.ticket_by_number(*number);
            if (!t || *t)
                return t;
        }
        auto ids = thread_message_ids(m_message);
        if (ids.empty())
            return std::optional<Ticket>{};
        m_threaded_by = "references";
        return m_tx.ticket_by_message_ids(ids);
    }

    // Who the message is from as far as the ticket goes (tickets::reply_role): its customer, or an
    // address that already wrote on it, may act on it; anyone else is a stranger.
    Result<tickets::ReplyRole> reply_role(const Ticket& ticket)
    {
        const std::string& from = m_message.from.address;
        bool wrote_before = false;
        if (!from.empty() && !iequals(from, ticket.customer.email))
            wrote_before = TRY(m_tx.has_message_from(ticket.id, from));
        return tickets::reply_role(ticket, from, wrote_before, m_class.kind == Kind::automatic);
    }

    // A stranger's message names a ticket: it opened its own (or none, for automatic mail and
    // spam); the named ticket gets an audit row so staff see the link, and nothing else changes.
    Result<void> note_stranger(const Ticket& named, const std::string& own_ticket)
    {
        json detail{{"from", m_message.from.address},
                    {"message_id", m_message.message_id},
                    {"subject", excerpt(m_message.subject, 200)},
                    {"threaded_by", m_threaded_by},
                    {"own_ticket", own_ticket.empty() ? json(nullptr) : json(own_ticket)}};
        TRY(audit(m_tx, named.id, m_now, "system", "message.from_stranger", detail));
        log::warn("message.from_stranger", {{"ticket", named.number},
                                            {"from", m_message.from.address},
                                            {"own_ticket", own_ticket},
                                            {"threaded_by", m_threaded_by}});
        if (!own_ticket.empty()) {
            auto mine = TRY(m_tx.ticket_by_number(own_ticket));
            if (mine)
                TRY(audit(m_tx, mine->id, m_now, "system", "message.names_other_ticket",
                          json{{"ticket", named.number}, {"threaded_by", m_threaded_by}}));
        }
        return {};
    }

    StoredMessage stored_message(std::optional<std::int64_t> ticket_id) const
    {
        StoredMessage m;
        m.ticket_id = ticket_id.value_or(0);
        m.channel = m_raw.channel;
        m.source = m_raw.source;
        m.source_key = m_raw.source_key;
        m.message_id = m_message.message_id;
        m.direction = "in";
        m.from_address = m_message.from.address;
        m.subject = m_message.subject;
        if (m_message.chat && !m_message.chat->edit_of.empty() && m.subject.empty())
            m.subject = "(edited)";  // what staff see on the message in the ticket's list of messages
        m.text = m_message.text;
        m.received_at = m_raw.received_at;
        m.kind = m_class.kind;
        m.language = m_class.language;
        m.severity = m_class.severity;
        json classification = classification_json(m_class);
        if (m_reuses_message)
            classification["reused_message_id_of"] = *m_reuses_message;  // the flag people see on the message
        if (m_message.chat) {
            // What a chat customer typed (or a bridge passed on) is shown to staff as it is: unverified,
            // never used to link customers.
            const ChatOrigin& chat = *m_message.chat;
            classification["chat"] = json{{"conversation", chat.conversation}, {"user", chat.user_id}};
            if (!chat.edit_of.empty()) {
                classification["edit_of"] = chat.edit_of;
                if (m_edit_of_message)
                    classification["edited_message"] = *m_edit_of_message;
            }
            if (!chat.email.empty() || !chat.phone.empty())
                classification["contact"] = json{{"email", chat.email}, {"phone", chat.phone}, {"verified", false}};
            if (!m_message.attachments.empty()) {
                json files = json::array();
                for (const auto& a : m_message.attachments)
                    files.push_back(
                        json{{"name", a.filename}, {"type", a.content_type}, {"size", a.size}, {"file_id", a.file_id}});
                classification["attachments"] = files;
            }
        }
        if (m_raw.web) {
            // What the complaint form says of the sender was typed into a public page: shown to staff
            // as it is, unverified.
            classification["web"] = json{{"page", m_raw.web->ticket.empty() ? "complaint form" : "status page"}};
            if (m_raw.web->ticket.empty() && (!m_raw.web->phone.empty() || !m_message.from.address.empty()))
                classification["contact"] =
                    json{{"email", m_message.from.address}, {"phone", m_raw.web->phone}, {"verified", false}};
        }
        m.classification = classification.dump(-1, ' ', false, json::error_handler_t::replace);
        m.raw = m_raw.bytes;
        return m;
    }

    Result<IngestOutcome> record_without_ticket(const char* action)
    {
        auto id = store_message(std::nullopt);
        if (!id)
            return id.error();
        if (auto r = audit(m_tx, std::nullopt, m_now, "system", action,
                           json{{"message", *id}, {"from", m_message.from.address}, {"reasons", m_outcome.reasons}});
            !r)
            return r.error();
        m_outcome.action = IngestOutcome::Action::recorded;
        return m_outcome;
    }

    Result<IngestOutcome> handle_bounce()
    {
        for (auto& id : bounced_message_ids(m_message)) {
            auto letter = m_tx.letter_by_message_id(id);
            if (!letter)
                return letter.error();
            if (!*letter)
                continue;
            const Letter& ours = **letter;
            std::string reason = "bounced: " + excerpt(m_message.text, 200);
            TRY(m_tx.mark_letter_failed(ours.id, reason));
            auto stored = store_message(ours.ticket_id);
            if (!stored)
                return stored.error();
            if (auto r =
                    audit(m_tx, ours.ticket_id, m_now, "system", "letter.bounced",
                          json{{"letter", ours.id}, {"template", ours.template_name}, {"recipient", ours.recipient}});
                !r)
                return r.error();
            m_outcome.action = IngestOutcome::Action::recorded;
            m_outcome.reasons.push_back("delivery failure of our letter " + ours.message_id);
            std::optional<Ticket> ticket;
            if (ours.ticket_id) {
                auto t = m_tx.ticket_by_id(*ours.ticket_id);
                if (!t)
                    return t.error();
                ticket = *t;
                if (ticket)
                    m_outcome.ticket_number = ticket->number;
            }
            // Alerts about our own letters failing are not themselves reported again when they fail.
            if (ours.template_name != "delivery_failure" && !m_rt.config.owner.email.empty()) {
                letters::Values extra{{"delivery.recipient", ours.recipient},
                                      {"delivery.subject", ours.subject},
                                      {"delivery.error", reason}};
                TRY(queue_staff(
                    owner_letter("delivery_failure", ticket ? &*ticket : nullptr, "bounce:" + ours.message_id, extra)));
            }
            return m_outcome;
        }
        m_outcome.reasons.push_back("a delivery report about no letter of ours");
        return record_without_ticket("message.bounce_unmatched");
    }

    Result<IngestOutcome> continue_ticket(Ticket ticket, tickets::ReplyRole role)
    {
        auto id = store_message(ticket.id);
        if (!id)
            return id.error();
        m_outcome.action = IngestOutcome::Action::updated;
        m_outcome.ticket_number = ticket.number;
        if (!tickets::counts_as_customer_answer(role)) {
            // RFC 3834: an auto-reply (out of office, "Автоответ") is no answer from the customer:
            // it is kept on the ticket as automatic, a wait for the customer goes on, nothing
            // reopens and nothing is escalated.
            m_outcome.reasons.push_back("automatic mail on " + ticket.number + ": not the customer's answer");
            TRY(audit(m_tx, ticket.id, m_now, "system", "message.automatic",
                      json{{"message", *id},
                           {"classification", classification_json(m_class)},
                           {"change", "none: automatic mail is not the customer's answer"}}));
            return m_outcome;
        }
        TRY(link_customer(ticket, *id));
        if (TRY(rating_by_reply(ticket, *id)))
            return m_outcome;
        std::string change = tickets::apply_customer_reply(ticket, m_now);
        TRY(record_clock_event(m_tx, ticket, sla::ClockEventType::customer_replied, m_now));
        // A reply may show the matter is graver than the first message did; severity only rises.
        bool escalated = false;
        if (m_class.severity == Severity::major && ticket.severity != Severity::major) {
            ticket.severity = Severity::major;
            escalated = true;
            TRY(record_clock_event(m_tx, ticket, sla::ClockEventType::reclassified, m_now));
        }
        TRY(refresh_deadlines(m_rt, m_tx, ticket, m_now));
        TRY(m_tx.update_ticket(ticket));
        if (auto r =
                audit(m_tx, ticket.id, m_now, "customer", "message.added",
                      json{{"message", *id}, {"classification", classification_json(m_class)}, {"change", change}});
            !r)
            return r.error();
        if (escalated) {
            TRY(alert_major(ticket));
        }
        TRY(tell_assignee(ticket, *id));
        return m_outcome;
    }

    // The survey answered by mail: a reply to a ticket whose survey went out that starts with a
    // score 1-5 is the customer's rating. A reply that only rates changes nothing else (returns
    // true: done); one that says more also goes on as a reply (and reopens a closed ticket).
    Result<bool> rating_by_reply(const Ticket& ticket, std::int64_t message_id)
    {
        auto score = tickets::rating_in_reply(m_message.text);
        if (!score || !TRY(survey_went_out(ticket)))
            return false;
        Rating rating;
        rating.ticket_id = ticket.id;
        rating.score = *score;
        rating.comment = excerpt(m_message.text, 2000);
        rating.source = "reply";
        rating.at = m_now;
        TRY(m_tx.add_rating(rating));
        TRY(audit(m_tx, ticket.id, m_now, "customer", "survey.rated",
                  json{{"score", *score}, {"source", "reply"}, {"message", message_id}}));
        m_outcome.reasons.push_back("survey answered: " + std::to_string(*score) + " of 5");
        if (!tickets::reply_only_rates(m_message.text))
            return false;
        TRY(audit(m_tx, ticket.id, m_now, "customer", "message.added",
                  json{{"message", message_id},
                       {"classification", classification_json(m_class)},
                       {"change", "none: the reply rates our work and raises nothing new"}}));
        return true;
    }

    // Whether the ticket is closed and its survey was sent: only then is a leading digit a score.
    Result<bool> survey_went_out(const Ticket& ticket)
    {
        if (ticket.status != TicketStatus::closed)
            return false;
        auto survey = TRY(m_tx.letter_by_dedup_key("survey:" + ticket.number));
        return survey && survey->status == LetterStatus::sent;
    }

    // A customer writes on a ticket resolved longer ago than workflow.reopen_window: a new ticket,
    // and each names the other so staff see the history.
    Result<IngestOutcome> open_follow_up(const Ticket& old)
    {
        m_outcome.reasons.push_back("follow-up of " + old.number + ", resolved longer ago than the reopen window");
        auto outcome = TRY(open_ticket(old.number));
        TRY(audit(m_tx, old.id, m_now, "system", "ticket.followed_up",
                  json{{"new_ticket", outcome.ticket_number}, {"why", "reopen window passed"}}));
        return outcome;
    }

    // A customer's new message on an assigned ticket tells the assignee (by email, and by chat when
    // they have a chat address).
    Result<void> tell_assignee(const Ticket& ticket, std::int64_t message_id)
    {
        auto person = TRY(staff_person(m_people, ticket.assignee));
        if (!person)
            return {};
        StaffLetterRequest request =
            owner_letter("customer_wrote", &ticket, "wrote:" + ticket.number + ":" + std::to_string(message_id),
                         {{"message.excerpt", excerpt(m_message.text)}});
        request.to = person->mailbox;
        request.chat = person->chat;
        return queue_staff(request);
    }

    // workflow.departments: the first category whose keywords the message has sets the ticket's
    // department and category, and a department's default assignee takes the new ticket.
    Result<void> route(Ticket& ticket)
    {
        std::optional<Routed> routed;
        if (m_raw.intake && !m_raw.intake->department.empty())
            routed = Routed{m_raw.intake->department, "", ""};  // the agent chose it on the form
        else
            routed = route_by_keywords(m_rt.config.workflow, ticket.language, m_message.subject, m_message.text);
        if (!routed)
            return {};
        ticket.department = routed->department;
        ticket.category = routed->category;
        json detail{{"department", ticket.department}, {"category", ticket.category}};
        if (!routed->keyword.empty())
            detail["keyword"] = routed->keyword;
        const auto* dep = m_rt.config.workflow.department(ticket.department);
        if (dep && !dep->default_assignee.empty() && ticket.assignee.empty()) {
            ticket.assignee = dep->default_assignee;
            detail["assignee"] = ticket.assignee;
        }
        TRY(audit(m_tx, ticket.id, m_now, "system", "ticket.department", detail));
        if (!ticket.assignee.empty()) {
            auto person = TRY(staff_person(m_people, ticket.assignee));
            if (person) {
                StaffLetterRequest request =
                    owner_letter("ticket_assigned", &ticket, "assigned:" + ticket.number + ":new",
                                 {{"message.excerpt", excerpt(m_message.text)}});
                request.to = person->mailbox;
                request.chat = person->chat;
                TRY(queue_staff(request));
            }
        }
        return {};
    }

    Result<IngestOutcome> open_ticket(const std::string& follow_up_of = {})
    {
        Ticket t;
        Mailbox who = reply_address(m_message);
        t.customer = Customer{m_message.from.name.empty() ? who.name : plain_display_name(m_message.from.name),
                              who.address, "", ""};
        if (m_raw.intake)
            t.customer.phone = m_raw.intake->phone;
        if (m_raw.web)
            t.customer.phone = m_raw.web->phone;
        t.channel = m_raw.channel;
        t.source = m_raw.source;
        if (m_message.chat) {
            // The chat identity is the customer; an address they typed stays on the message, unverified.
            t.customer = Customer{plain_display_name(m_message.from.name), "", "", m_message.chat->user_id};
            t.conversation = m_message.chat->conversation;
        }
        t.received_at = m_raw.received_at;
        t.updated_at = m_now;
        t.kind = m_class.kind;
        t.language = m_class.language;
        t.severity = m_class.severity;
        t.status = TicketStatus::new_ticket;
        t.subject = m_message.subject;
        if (t.subject.empty() && m_message.chat)
            t.subject = excerpt(m_message.text, 80);  // a chat message has no subject: its first words
        auto created = m_tx.create_ticket(std::move(t), m_rt.config.company.ticket_prefix);
        if (!created)
            return created.error();
        Ticket ticket = std::move(created).value();
        auto id = store_message(ticket.id);
        if (!id)
            return id.error();
        TRY(link_customer(ticket, *id));
        json created_detail{{"message", *id}, {"classification", classification_json(m_class)}};
        if (!follow_up_of.empty())
            created_detail["follows_up"] = follow_up_of;
        if (m_raw.intake)
            created_detail["registered_by"] = m_raw.intake->registered_by;
        if (auto r = audit(m_tx, ticket.id, m_now, "system", "ticket.created", created_detail); !r)
            return r.error();
        TRY(record_clock_event(m_tx, ticket, sla::ClockEventType::opened, m_now));
        // Deadlines first: the acknowledgement promises the first-response time, and the notice to
        // a department's assignee names them.
        TRY(refresh_deadlines(m_rt, m_tx, ticket, m_now));
        TRY(route(ticket));

        // Every customer gets an answer: the letter for the kind is the ticket rules' (none for spam,
        // automatic mail and what the classifier could not place).
        if (auto letter = tickets::acknowledgement_for(ticket.kind)) {
            auto sent = acknowledge(ticket, *letter);
            if (!sent)
                return sent.error();
            if (*sent && tickets::can_transition(ticket.status, TicketStatus::acknowledged)) {
                ticket.status = TicketStatus::acknowledged;
                if (auto r = audit(m_tx, ticket.id, m_now, "system", "status.changed",
                                   json{{"from", "new"}, {"to", "acknowledged"}, {"why", "acknowledgement queued"}});
                    !r)
                    return r.error();
                // Recorded for the history; the automatic acknowledgement is not a first response.
                TRY(record_clock_event(m_tx, ticket, sla::ClockEventType::acknowledged, m_now));
            }
        }
        if (ticket.kind == Kind::complaint && ticket.severity == Severity::major)
            TRY(alert_major(ticket));
        TRY(m_tx.update_ticket(ticket));
        m_outcome.action = IngestOutcome::Action::created;
        m_outcome.ticket_number = ticket.number;
        return m_outcome;
    }

    // The same-day answer the handbooks ask for. Returns whether a letter was queued.
    Result<bool> acknowledge(const Ticket& ticket, const std::string& template_name)
    {
        if (auto refusal = automatic_reply_refusal(m_message, m_class, m_rt.config)) {
            m_outcome.reasons.push_back("no acknowledgement: " + *refusal);
            return false;
        }
        LetterRequest request;
        request.to = reply_address(m_message);
        // A chat customer is answered in the conversation, quoting the message answered (Telegram).
        if (m_message.chat && !address_to_conversation(m_rt, ticket, request, m_message.chat->reply_to)) {
            m_outcome.reasons.push_back("no acknowledgement: the chat " + ticket.source + " is not configured");
            return false;
        }
        const Mailbox to = request.to;
        // A per-sender cap stops a loop with a responder that our header checks did not recognise.
        // A chat customer is counted by conversation: Telegram's recipient "123456#42" names the
        // message answered too, and every message has its own.
        std::string counted = m_message.chat ? config::parse_chat_recipient(to.address).conversation : to.address;
        auto recent = m_tx.automatic_letters_to(counted, m_now - Seconds{86400});
        if (!recent)
            return recent.error();
        if (*recent >= m_rt.config.loop.max_automatic_letters_per_day) {
            m_outcome.reasons.push_back("no acknowledgement: " + std::to_string(*recent) + " automatic letters to " +
                                        counted + " in the last day already");
            log::warn("letter.capped", {{"ticket", ticket.number}, {"recipient", counted}});
            return false;
        }
        // A global cap: forged senders by the thousand must not make us send mail in bulk. Over
        // it the ticket is opened without an acknowledgement, its audit says why, and the log says
        // so once an hour (a flood must not flood the log or the owner's mailbox as well).
        int hourly_cap = m_rt.config.loop.max_automatic_letters_per_hour;
        int last_hour = 0;
        for (const auto& name : tickets::acknowledgement_letters())
            last_hour += TRY(m_tx.letters_since(name, m_now - Seconds{3600}));
        if (last_hour >= hourly_cap) {
            std::string why = std::to_string(last_hour) +
                              " acknowledgements in the last hour already (loop_protection." +
                              "max_automatic_letters_per_hour is " + std::to_string(hourly_cap) + ")";
            m_outcome.reasons.push_back("no acknowledgement: " + why);
            TRY(audit(m_tx, ticket.id, m_now, "system", "letter.capped",
                      json{{"template", template_name}, {"why", why}}));
            if (m_hourly_cap.first_in_window(m_now))
                log::warn("letter.hourly_cap", {{"ticket", ticket.number},
                                                {"cap", std::to_string(hourly_cap)},
                                                {"why", "acknowledgements are held back for the rest of the hour"}});
            return false;
        }
        request.template_name = template_name;
        request.language = ticket.language;
        request.dedup_key = "ack:" + ticket.number;
        request.ticket = &ticket;
        request.answering = &m_message;
        request.extra_values["message.excerpt"] = excerpt(m_message.text);
        // Where the customer follows the complaint: the status page, when the daemon serves it.
        if (!m_link_secret.empty())
            request.extra_values["ticket.status_url"] = status_url(m_rt, m_link_secret, ticket.number);
        auto queued = queue(request);
        if (!queued)
            return queued.error();
        return true;
    }

    // Handbook 002: a major complaint (law, safety, money) goes to a manager at once: by email and,
    // when the owner has a chat address, by chat as well.
    Result<void> alert_major(const Ticket& ticket)
    {
        const auto& owner = m_rt.config.owner;
        if (owner.email.empty() && owner.chat.empty()) {
            log::warn("alert.no_owner",
                      {{"ticket", ticket.number}, {"why", "the owner has neither email nor chat configured"}});
            return {};
        }
        // Why, in the classifier's words: "severity en/legal: court" reads "legal: court".
        std::vector<std::string> why;
        for (const auto& reason : m_class.reasons) {
            if (!reason.starts_with("severity "))
                continue;
            std::string_view cue = std::string_view(reason).substr(9);
            if (auto slash = cue.find('/'); slash != std::string_view::npos && slash < cue.find(':'))
                cue.remove_prefix(slash + 1);
            why.emplace_back(cue);
        }
        letters::Values extra{{"message.excerpt", excerpt(m_message.text)}};
        if (!why.empty())
            extra["alert.reason"] = why.front();
        if (why.size() > 1)
            extra["alert.reasons"] = letters::bullet_list(why);
        // The scheduler's arrival alert has the same dedup keys, so the owner hears once.
        std::string key = alert_dedup_key(ticket, "arrival");
        // Once, by whichever of email and chat the owner has now (see queue_due_alerts).
        auto seen = alert_already_queued(m_tx, key);
        if (!seen)
            return seen.error();
        if (*seen)
            return {};
        StaffLetterRequest request = owner_letter("major_complaint", &ticket, key, extra);
        request.chat = owner.chat;
        if (why.empty())
            request.language_values = [](letters::Values& values, std::string_view language) {
                values["alert.reason"] = letters::alert_reason_words("raised_by_reply", language);
            };
        TRY(queue_staff(request));
        return {};
    }

    // A letter to staff, addressed to the owner (callers readdress it to another person), by email
    // and by chat when the request names a chat address; in the company's language.
    StaffLetterRequest owner_letter(const std::string& template_name, const Ticket* ticket,
                                    const std::string& dedup_key, const letters::Values& extra) const
    {
        StaffLetterRequest request;
        request.template_name = template_name;
        request.to = Mailbox{m_rt.config.owner.name, m_rt.config.owner.email};
        request.dedup_key = dedup_key;
        request.ticket = ticket;
        request.extra_values = extra;
        request.install_id = m_tx.install_id();
        return request;
    }

    Result<void> queue_staff(const StaffLetterRequest& request)
    {
        auto letters = staff_letter(m_rt, request, m_now);
        if (!letters) {
            TRY(render_failed(request.template_name, request.ticket, letters.error()));
            return {};
        }
        if (letters->email)
            TRY(enqueue(*letters->email));
        if (letters->chat)
            TRY(enqueue(*letters->chat));
        return {};
    }

    // A template problem must not lose the customer's message: the ticket is stored and the missing
    // letter is visible in the audit and the logs.
    Result<void> render_failed(const std::string& template_name, const Ticket* ticket, const Error& error)
    {
        log::error("letter.render_failed", {{"template", template_name}, {"error", error.message}});
        m_outcome.reasons.push_back("letter " + template_name + " not written: " + error.message);
        return audit(m_tx, ticket ? std::optional<std::int64_t>(ticket->id) : std::nullopt, m_now, "system",
                     "letter.render_failed", json{{"template", template_name}, {"error", error.message}});
    }

    Result<bool> queue(LetterRequest request)
    {
        request.install_id = m_tx.install_id();
        auto letter = write_letter(m_rt, request, m_now);
        if (!letter) {
            TRY(render_failed(request.template_name, request.ticket, letter.error()));
            return false;
        }
        return enqueue(*letter);
    }

    // Queues a written letter with its audit row; false when its dedup key was queued before.
    Result<bool> enqueue(const Letter& letter)
    {
        bool queued = TRY(queue_letter(m_tx, letter, m_now));
        if (queued)
            m_outcome.letters.push_back(letter.template_name);
        return queued;
    }

    const Runtime& m_rt;
    store::Transaction& m_tx;
    store::People& m_people;  // read inside the transaction: staff named on tickets
    const RawMessage& m_raw;
    const Message& m_message;
    const Classification& m_class;
    TimePoint m_now;
    HourlyCapLog& m_hourly_cap;
    std::string m_link_secret;  // empty when the daemon serves no pages (http off): no status link
    IngestOutcome m_outcome;
    std::string m_threaded_by;                      // "tag" or "references": how find_ticket found the ticket
    std::optional<std::int64_t> m_reuses_message;   // the message stored first under this Message-ID
    std::optional<std::int64_t> m_edit_of_message;  // a chat edit: the stored message it edits
    std::vector<store::AttachmentRecord> m_files;
};

}  // namespace

Pipeline::Pipeline(store::Store& store, Quarantine& quarantine, std::shared_ptr<const Runtime> runtime)
    : m_store(store)
    , m_quarantine(quarantine)
    , m_runtime(std::move(runtime))
{
}

void Pipeline::set_runtime(std::shared_ptr<const Runtime> runtime)
{
    std::lock_guard lock(m_runtime_mutex);
    m_runtime = std::move(runtime);
}

std::shared_ptr<const Runtime> Pipeline::runtime() const
{
    std::lock_guard lock(m_runtime_mutex);
    return m_runtime;
}

Result<std::string> Pipeline::link_secret()
{
    constexpr std::string_view key = "links.secret";
    std::lock_guard lock(m_secret_mutex);
    if (!m_secret.empty())
        return m_secret;
    auto secret = TRY(m_store.state(key));
    if (secret && !secret->empty())
        return m_secret = *secret;
    // Made once per installation. Two processes racing here could each write one; the second
    // write wins and the first process's links fail their check, so read back what was kept.
    TRY(m_store.set_state(key, auth::random_token(32)));
    auto kept = TRY(m_store.state(key));
    if (!kept || kept->empty())
        return make_error(ErrorKind::failed, "links.secret", "The link secret could not be stored.");
    return m_secret = *kept;
}

Result<IngestOutcome> Pipeline::quarantine(const RawMessage& raw, const std::string& reason)
{
    auto where = m_quarantine.keep(raw, reason);
    if (!where) {
        ++m_counters.failed;
        return make_error("pipeline.quarantine_failed",
                          "could not quarantine " + raw.source_key + " (" + reason + "): " + where.error().message);
    }
    ++m_counters.quarantined;
    log::warn("message.quarantined", {{"source", raw.source_key}, {"reason", reason}, {"kept", *where}});
    IngestOutcome outcome;
    outcome.action = IngestOutcome::Action::quarantined;
    outcome.quarantine_reason = reason;
    return outcome;
}

namespace {

// The rows for a message's files: a mail's (and the complaint form's copy, which is a mail too) kept
// in the attachment store; a chat's as its connector fetched them (RawMessage::files), listed with the
// reason for each it could not fetch.
Result<std::vector<store::AttachmentRecord>> keep_files_of(const Runtime& runtime, const RawMessage& raw,
                                                           const Message& message, TimePoint now)
{
    if (message.attachments.empty())
        return std::vector<store::AttachmentRecord>{};
    if (message.chat) {
        if (raw.files.size() != message.attachments.size())
            return listed_files(message, "a file in the chat: not fetched from the platform");
        // The connector fetched them: those it has go through the caps into the store, in order.
        std::vector<IncomingFile> fetched;
        for (std::size_t i = 0; i < raw.files.size(); ++i)
            if (raw.files[i].not_fetched.empty())
                fetched.push_back(IncomingFile{message.attachments[i].filename, message.attachments[i].content_type, "",
                                               false, raw.files[i].bytes});
        attachments::FileStore file_store(runtime.config.attachments_dir());
        auto kept = TRY(keep_files(fetched, runtime.config.attachments, file_store, now));
        auto listed = listed_files(message, "");
        std::vector<store::AttachmentRecord> rows;
        std::size_t next = 0;
        for (std::size_t i = 0; i < raw.files.size(); ++i) {
            if (raw.files[i].not_fetched.empty()) {
                rows.push_back(std::move(kept[next++]));
            } else {
                listed[i].refused = raw.files[i].not_fetched;
                rows.push_back(std::move(listed[i]));
            }
        }
        return rows;
    }
    auto files = files_of_mail(raw.bytes);
    if (!files)
        return listed_files(message, "could not be read: " + files.error().message);
    attachments::FileStore store(runtime.config.attachments_dir());
    return keep_files(*files, runtime.config.attachments, store, now);
}

}  // namespace

Result<IngestOutcome> Pipeline::ingest(const RawMessage& raw, TimePoint now)
{
    auto runtime = this->runtime();
    Message parsed_here;
    const Message* message = nullptr;
    if (raw.parsed) {
        message = &*raw.parsed;
    } else {
        auto parsed = mime::parse_message(raw.bytes);
        if (!parsed)
            return quarantine(raw, parsed.error().message);
        parsed_here = std::move(parsed).value();
        message = &parsed_here;
    }
    Classification classification = runtime->classifier.classify(*message);
    apply_language_hint(classification, *message, raw);
    if (raw.intake && !raw.intake->language.empty()) {
        classification.language = raw.intake->language;
        classification.reasons.push_back("language " + raw.intake->language + " given by " + raw.intake->registered_by);
    }

    // Read before the transaction (the store has one connection, which the transaction holds).
    std::string secret;
    if (runtime->config.http.enabled) {
        auto read = link_secret();
        if (!read) {
            ++m_counters.failed;
            return read.error();
        }
        secret = std::move(read).value();
    }
    // The files are kept before the transaction that refers to them begins (docs/attachments.md): a
    // crash in between leaves a file nobody refers to, which the sweep removes later.
    auto files = keep_files_of(*runtime, raw, *message, now);
    if (!files) {
        ++m_counters.failed;
        return files.error();
    }
    auto tx = m_store.begin();
    if (!tx) {
        ++m_counters.failed;
        return tx.error();
    }
    Ingest ingest(*runtime, **tx, m_store, raw, *message, classification, now, m_hourly_cap_log, std::move(secret));
    ingest.set_files(std::move(files).value());
    auto outcome = ingest.run();
    if (!outcome) {
        ++m_counters.failed;
        // A store failure is transient (busy, disk full): the message stays at its source and is
        // offered again. A constraint failure would repeat for ever, so that message is kept aside.
        if (!outcome.error().is(ErrorKind::constraint))
            return outcome.error();
        (*tx).reset();
        return quarantine(raw, "could not be stored: " + outcome.error().message);
    }
    if (outcome->action != IngestOutcome::Action::duplicate) {
        if (auto r = (*tx)->commit(); !r) {
            ++m_counters.failed;
            return r.error();
        }
    }
    // Let go of the store before logging: other threads (the outbox recording a delivery) wait on it.
    (*tx).reset();
    switch (outcome->action) {
    case IngestOutcome::Action::created:
        ++m_counters.created;
        break;
    case IngestOutcome::Action::updated:
        ++m_counters.updated;
        break;
    case IngestOutcome::Action::recorded:
        ++m_counters.recorded;
        break;
    case IngestOutcome::Action::duplicate:
        ++m_counters.duplicates;
        break;
    case IngestOutcome::Action::quarantined:
        ++m_counters.quarantined;
        break;
    }
    log::info("message.ingested", {{"source", raw.source_key},
                                   {"message_id", message->message_id},
                                   {"action", to_json(*outcome)["action"].get<std::string>()},
                                   {"ticket", outcome->ticket_number},
                                   {"kind", std::string(to_string(outcome->kind))},
                                   {"language", outcome->language},
                                   {"severity", std::string(to_string(outcome->severity))}});
    return outcome;
}

}  // namespace redress::pipeline
