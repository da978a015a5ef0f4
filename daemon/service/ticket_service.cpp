#include "ticket_service.hpp"

#include "auth/secrets.hpp"
#include "common/log.hpp"
#include "common/text.hpp"
#include "letters/letter_time.hpp"
#include "letters/template_set.hpp"
#include "pipeline/attachment_intake.hpp"
#include "pipeline/deadlines.hpp"
#include "pipeline/letter_writer.hpp"
#include "pipeline/links.hpp"
#include "pipeline/runtime.hpp"
#include "pipeline/staff_letters.hpp"
#include "store/store.hpp"
#include "tickets/lifecycle.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace redress::service {

using nlohmann::json;

namespace {

Error no_ticket(std::string_view number)
{
    return make_error(ErrorKind::not_found, "ticket.not_found", "There is no ticket " + std::string(number) + ".");
}

tickets::WorkflowRules rules_of(const config::Config& c)
{
    tickets::WorkflowRules rules;
    for (const auto& code : c.workflow.resolution_codes)
        rules.resolution_codes.push_back(code.code);
    for (const auto& d : c.workflow.departments) {
        tickets::Department dep{d.name, d.default_assignee, {}};
        for (const auto& cat : d.categories)
            dep.categories.push_back(cat.name);
        rules.departments.push_back(std::move(dep));
    }
    return rules;
}

sla::ClockEventType clock_type(tickets::DeadlineEffect effect)
{
    switch (effect) {
    case tickets::DeadlineEffect::first_response:
        return sla::ClockEventType::first_response;
    case tickets::DeadlineEffect::resolved:
        return sla::ClockEventType::resolved;
    case tickets::DeadlineEffect::reopened:
        return sla::ClockEventType::reopened;
    case tickets::DeadlineEffect::closed:
        return sla::ClockEventType::closed;
    case tickets::DeadlineEffect::waiting:
        return sla::ClockEventType::waiting_for_customer;
    case tickets::DeadlineEffect::reclassified:
        return sla::ClockEventType::reclassified;
    }
    return sla::ClockEventType::first_response;
}

// "- text (who, by date)" lines: the plan a customer reads in the apology and the resolution.
std::string action_lines(const std::vector<CorrectiveAction>& actions, ActionFor target)
{
    std::string out;
    for (const auto& a : actions)
        if (a.target == target)
            out += (out.empty() ? "" : "\n") + ("- " + a.text);
    return out;
}

// At most `bytes` bytes of the text, never cutting a character in two.
std::string cut_text(std::string_view text, std::size_t bytes)
{
    return std::string(text.substr(0, utf8_cut(text, bytes)));
}

json detail_json(const std::vector<std::pair<std::string, std::string>>& detail)
{
    json j = json::object();
    for (const auto& [k, v] : detail)
        j[k] = v;
    return j;
}

std::string dump(const json& j)
{
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A signed link with "(signed)" where its signature would be, for previews.
std::string unsigned_link(std::string url)
{
    return url.substr(0, url.rfind('/') + 1) + "(signed)";
}

// The checks' problems ("en/apology:3: unknown placeholder ...") as one error whose lines read
// "en/apology, line 3: unknown placeholder ..." (TemplateProblem parses them back).
Error template_error(const std::vector<std::string>& problems)
{
    std::string message;
    for (const auto& p : problems) {
        std::string line = p;
        auto first = p.find(':');
        auto second = first == std::string::npos ? std::string::npos : p.find(':', first + 1);
        if (second != std::string::npos && second > first + 1 && p.find_first_not_of("0123456789", first + 1) == second)
            line =
                p.substr(0, first) + ", line " + p.substr(first + 1, second - first - 1) + ":" + p.substr(second + 1);
        message += (message.empty() ? "" : "\n") + line;
    }
    return make_error(ErrorKind::invalid, "templates.invalid", message);
}

// Whom a ticket may be assigned to: a user (by login name), or "Name <address>" / an address for
// someone outside Redress (deadline warnings still reach them by mail); "" hands it to the owner.
Result<std::string> assignee_name(store::People& people, std::string_view text)
{
    std::string who(trim(text));
    if (who.empty())
        return who;
    if (who.find('@') != std::string::npos) {
        auto mailbox = parse_typed_mailbox(who);
        if (!mailbox)
            return make_error(ErrorKind::invalid, "ticket.assignee",
                              "expected \"Name <address>\", an address or a user's name, found \"" + who + "\"");
        return format_typed_mailbox(*mailbox);
    }
    auto user = TRY(people.user_by_name(who));
    if (!user || user->disabled)
        return make_error(ErrorKind::invalid, "ticket.assignee",
                          "There is no user \"" + who + "\"; name a user, or write \"Name <address>\".");
    return user->name;
}

}  // namespace

TicketService::TicketService(store::Store& store, pipeline::Pipeline& pipeline, const TimeSource& time)
    : m_store(store)
    , m_pipeline(pipeline)
    , m_time(time)
{
}

Result<std::string> TicketService::survey_url(const Ticket& ticket)
{
    std::string secret = TRY(link_secret());
    return pipeline::survey_url(*m_pipeline.runtime(), secret, ticket.number);
}

Result<std::string> TicketService::status_url(const Ticket& ticket)
{
    std::string secret = TRY(link_secret());
    return pipeline::status_url(*m_pipeline.runtime(), secret, ticket.number);
}

Result<LinkState> TicketService::survey_link(std::string_view number, std::string_view signature)
{
    std::string secret = TRY(link_secret());
    if (!pipeline::survey_signature_valid(secret, number, signature))
        return LinkState::unknown;
    return link_state(number);
}

Result<LinkState> TicketService::status_link(std::string_view number, std::string_view signature)
{
    std::string secret = TRY(link_secret());
    if (!pipeline::status_signature_valid(secret, number, signature))
        return LinkState::unknown;
    return link_state(number);
}

Result<LinkState> TicketService::link_state(std::string_view number)
{
    auto ticket = TRY(m_store.ticket(number));
    if (!ticket)
        return LinkState::unknown;
    if (TRY(m_store.ticket_erased_at(ticket->id)))
        return LinkState::expired;
    Seconds lifetime = m_pipeline.runtime()->config.workflow.links_valid_after_close;
    return tickets::customer_links_open(*ticket, m_time.now(), lifetime) ? LinkState::open : LinkState::expired;
}

Result<std::optional<LetterDraft>> TicketService::step_letter(const pipeline::Runtime& runtime,
                                                              const tickets::Outcome& outcome,
                                                              const std::vector<CorrectiveAction>& actions,
                                                              const StepCommand& command,
                                                              pipeline::LetterRequest& request)
{
    const Ticket& t = outcome.ticket;
    const tickets::Step& step = command.step;
    request.template_name = *outcome.letter;
    request.language = t.language;
    request.to = Mailbox{t.customer.name, t.customer.email};
    // A chat customer is answered in the conversation they wrote in (Slack: in its thread).
    pipeline::address_to_conversation(runtime, t, request);
    request.ticket = &t;
    request.auto_submitted = letters::AutoSubmitted::personal;
    request.body_override = command.letter_body;
    letters::Values& v = request.extra_values;
    // Every letter to the customer may point to the status page, when the daemon serves it.
    if (runtime.config.http.enabled)
        v["ticket.status_url"] = TRY(status_url(t));
    // The person's own words fill the placeholders meant for them.
    auto user = TRY(m_store.user_by_name(step.actor.name));
    v["agent.name"] = user ? (user->display_name.empty() ? user->name : user->display_name) : step.actor.name;
    if (user && !user->signature.empty())
        v["agent.signature"] = user->signature;
    std::vector<CorrectiveAction> all = actions;
    if (outcome.new_action)
        all.push_back(*outcome.new_action);
    switch (step.kind) {
    case tickets::StepKind::verdict:
        if (step.verdict == "justified") {
            std::string plan = action_lines(all, ActionFor::customer);
            if (!plan.empty())
                v["action.plan"] = plan;
        } else {
            v["verdict.explanation"] = step.reason;
            if (!trim(step.offer).empty())
                v["verdict.offer"] = step.offer;
        }
        break;
    case tickets::StepKind::resolve: {
        v["resolution.summary"] = step.summary;
        std::string prevention = action_lines(all, ActionFor::process);
        if (!prevention.empty())
            v["resolution.prevention"] = prevention;
        break;
    }
    case tickets::StepKind::signoff: {
        // The link needs the daemon's page; without it the letter asks for a reply with a digit.
        if (runtime.config.http.enabled)
            v["survey.url"] = TRY(survey_url(t));
        if (const auto* code = runtime.config.workflow.code(step.code))
            v["resolution.code"] = code->label(t.language);
        request.auto_submitted = letters::AutoSubmitted::auto_generated;
        request.send_at = m_time.now() + runtime.config.workflow.survey_delay;
        break;
    }
    case tickets::StepKind::reply:
        v["reply.text"] = step.text;
        break;
    case tickets::StepKind::reclassify:
        if (outcome.acknowledgement) {
            // The acknowledgement a new ticket of the corrected kind gets (RFC 3834: an answer to the
            // customer's message, so auto-replied), quoting the customer's first words.
            request.auto_submitted = letters::AutoSubmitted::auto_replied;
            auto messages = TRY(m_store.messages_of(t.id));
            for (const auto& m : messages)
                if (m.direction == "in") {
                    v["message.excerpt"] = cut_text(m.text, 300);
                    break;
                }
        }
        break;
    default:
        break;
    }
    auto text = TRY(pipeline::render_letter(runtime, request));
    LetterDraft draft;
    draft.template_name = request.template_name;
    draft.language = text.language;
    draft.channel = request.channel;
    draft.recipient = request.to.address;
    draft.subject = text.subject;
    draft.body = text.body;
    draft.send_at = request.send_at;
    return std::optional<LetterDraft>{std::move(draft)};
}

Result<StepResult> TicketService::apply(std::string_view number, const StepCommand& command)
{
    auto runtime = m_pipeline.runtime();
    TimePoint now = m_time.now();
    // Made before the transaction: a preview rolls back, and the secret must outlive it.
    TRY(link_secret());
    // A reply's files are kept before the transaction that refers to them, like a customer's
    // (docs/attachments.md); one over a cap refuses the step, so that nothing the person meant to
    // send is left out.
    std::vector<store::AttachmentRecord> file_rows;
    if (!command.files.empty()) {
        if (command.step.kind != tickets::StepKind::reply)
            return make_error(ErrorKind::invalid, "workflow.input", "Files can be sent with a reply only.");
        std::vector<pipeline::IncomingFile> incoming;
        for (const auto& f : command.files)
            incoming.push_back(pipeline::IncomingFile{f.filename, f.content_type, "", false, f.bytes});
        if (!command.preview) {
            attachments::FileStore files(runtime->config.attachments_dir());
            file_rows = TRY(pipeline::keep_files(incoming, runtime->config.attachments, files, now));
            for (const auto& row : file_rows)
                if (!row.refused.empty())
                    return make_error(ErrorKind::invalid, "workflow.input",
                                      "The file \"" + row.name + "\" is " + row.refused + ".");
        }
    }
    auto tx = TRY(m_store.begin());
    auto found = TRY(tx->ticket_by_number(number));
    if (!found)
        return no_ticket(number);
    const Ticket before = *found;
    if (command.if_match && *command.if_match != before.version)
        return make_error(ErrorKind::conflict, "ticket.changed",
                          "Ticket " + before.number + " has changed since you saw it (you saw version " +
                              std::to_string(*command.if_match) + ", it is at version " +
                              std::to_string(before.version) + "); look at it again before you act.");
    auto actions = TRY(tx->actions_of(before.id));
    tickets::Step step = command.step;
    if (step.kind == tickets::StepKind::assign && tickets::role_may(step.actor.role, step.kind))
        step.assignee = TRY(assignee_name(m_store, step.assignee));
    if (step.kind == tickets::StepKind::reply && !step.letter_template.empty()) {
        // A reply may start from any letter to customers (a manager's canned answer, say), never
        // from a letter meant for staff.
        const auto& staff = letters::alert_templates();
        if (std::find(staff.begin(), staff.end(), step.letter_template) != staff.end() ||
            !runtime->templates.language_used(step.letter_template, before.language))
            return make_error(ErrorKind::invalid, "workflow.input",
                              "\"template\" must name a letter to customers, such as \"reply\" or \"apology\"; "
                              "there is no such template as \"" +
                                  step.letter_template + "\".");
    }
    auto outcome = TRY(tickets::decide(before, actions, step, rules_of(runtime->config), now));
    // A correction's clock row comes first: the acknowledgement it may send promises the deadlines
    // of the new policy.
    const bool clocks_first = step.kind == tickets::StepKind::reclassify;
    if (clocks_first) {
        for (auto effect : outcome.deadlines)
            TRY(pipeline::record_clock_event(*tx, outcome.ticket, clock_type(effect), now));
        TRY(pipeline::refresh_deadlines(*runtime, *tx, outcome.ticket, now));
    }

    StepResult result;
    result.ticket = command.preview ? before : outcome.ticket;
    pipeline::LetterRequest request;
    if (outcome.letter) {
        if (outcome.letter == "survey" && TRY(tx->has_letter("survey:" + before.number))) {
            // The survey is asked once per ticket, whatever happens to it later.
        } else {
            result.letter = TRY(step_letter(*runtime, outcome, actions, command, request));
        }
    }
    if (command.preview)
        return result;  // the transaction rolls back: nothing was written

    const Ticket& t = outcome.ticket;
    json detail = detail_json(outcome.audit_detail);
    if (outcome.new_action) {
        CorrectiveAction a = *outcome.new_action;
        a.id = TRY(tx->add_action(a));
        detail["action"] = a.id;
        result.action = a;
    }
    if (outcome.changed_action) {
        TRY(tx->update_action(*outcome.changed_action));
        result.action = outcome.changed_action;
    }
    if (outcome.new_note) {
        Note n = *outcome.new_note;
        n.id = TRY(tx->add_note(n));
        detail["note"] = n.id;
        result.note = n;
    }
    if (outcome.audit_action == "ticket.reclassified")
        TRY(keep_correction(*tx, before, outcome.ticket, command.step, now));
    bool acknowledged = false;
    if (result.letter) {
        if (result.letter->recipient.empty()) {
            detail["letter"] = "not sent: the customer left no address";
            if (outcome.acknowledgement)
                detail.erase("status");  // nothing acknowledged: the ticket stays new
            result.letter.reset();
        } else {
            // One letter per step: the version the step raised the ticket to names it. The survey
            // is asked once per ticket, and so is the acknowledgement (the pipeline's key).
            request.dedup_key = *outcome.letter == "survey" ? "survey:" + t.number
                                : outcome.acknowledgement
                                    ? "ack:" + t.number
                                    : "step:" + t.number + ":v" + std::to_string(t.version) + ":" + *outcome.letter;
            request.install_id = m_store.install_id();
            // The customer's latest message is the one answered (In-Reply-To).
            auto messages = TRY(m_store.messages_of(t.id));
            Message answering;
            for (auto it = messages.rbegin(); it != messages.rend(); ++it)
                if (it->direction == "in" && !it->message_id.empty()) {
                    answering.message_id = it->message_id;
                    break;
                }
            if (!answering.message_id.empty())
                request.answering = &answering;
            if (!command.files.empty() && request.channel != "email")
                return make_error(ErrorKind::invalid, "workflow.input",
                                  "Files go out by email only; this customer is answered in " + request.channel + ".");
            request.files = command.files;
            auto letter = TRY(pipeline::write_letter(*runtime, request, now));
            result.letter_id = TRY(tx->enqueue_letter(letter));
            for (store::AttachmentRecord row : file_rows) {
                if (!result.letter_id)
                    break;
                row.ticket_id = t.id;
                row.letter_id = result.letter_id;
                TRY(tx->add_attachment(row));
            }
            detail["letter"] = letter.template_name;
            acknowledged = outcome.acknowledgement && result.letter_id.has_value();
            TRY(tx->add_audit(AuditEvent{0, t.id, now, command.step.actor.name, "letter.queued",
                                         dump(json{{"template", letter.template_name},
                                                   {"recipient", letter.recipient},
                                                   {"edited", command.letter_body.has_value()}})}));
        }
    }
    if (!command.files.empty() && !result.letter_id)
        return make_error(ErrorKind::invalid, "workflow.input",
                          "Files go out with a letter, and this reply sends none (the customer left no address).");
    if (!file_rows.empty())
        detail["files"] = file_rows.size();
    TRY(tx->add_audit(AuditEvent{0, t.id, now, command.step.actor.name, outcome.audit_action, dump(detail)}));
    Ticket saved = t;
    if (outcome.acknowledgement && !acknowledged) {
        // No address to acknowledge to: the ticket stays new, as the pipeline leaves it.
        saved.status = before.status;
    } else if (acknowledged) {
        // Recorded for the history; the automatic acknowledgement is not a first response.
        TRY(pipeline::record_clock_event(*tx, saved, sla::ClockEventType::acknowledged, now));
    }
    if (!clocks_first)
        for (auto effect : outcome.deadlines)
            TRY(pipeline::record_clock_event(*tx, saved, clock_type(effect), now));
    TRY(pipeline::refresh_deadlines(*runtime, *tx, saved, now));
    TRY(tx->update_ticket_at_version(saved, before.version));
    if (clocks_first) {
        // A ticket corrected to a major complaint alerts the owner at once, as a new one would, and
        // an alert the new deadlines make due goes out now (the scheduler's dedup keys: once each).
        int queued = 0;
        TRY(pipeline::queue_due_alerts(*runtime, *tx, m_store, saved, now, queued));
    }
    if (outcome.assignee_changed)
        TRY(notify_assignee(*runtime, *tx, saved, command.step.actor, now));
    TRY(tx->commit());
    result.ticket = saved;
    log::info("ticket.step", {{"ticket", saved.number},
                              {"step", std::string(tickets::to_string(command.step.kind))},
                              {"actor", command.step.actor.name}});
    return result;
}

Result<void> TicketService::keep_correction(store::Transaction& tx, const Ticket& before, const Ticket& t,
                                            const tickets::Step& step, TimePoint now)
{
    // The example is what the classifier read: the customer's first message on the ticket.
    Correction c;
    c.ticket_id = t.id;
    c.ticket_number = t.number;
    c.language = t.language;
    auto messages = TRY(m_store.messages_of(t.id));
    for (const auto& m : messages)
        if (m.direction == "in") {
            c.subject = m.subject;
            c.text = m.text;
            if (!m.language.empty())
                c.language = m.language;
            break;
        }
    c.kind = t.kind;
    c.severity = t.severity;
    c.from_kind = before.kind;
    c.from_severity = before.severity;
    c.reason = std::string(trim(step.reason));
    c.by = step.actor.name;
    c.at = now;
    TRY(tx.add_correction(c));
    return {};
}

Result<void> TicketService::notify_assignee(const pipeline::Runtime& runtime, store::Transaction& tx,
                                            const Ticket& ticket, const Actor& actor, TimePoint now)
{
    // Taking a ticket yourself needs no letter to yourself.
    if (ticket.assignee.empty() || ticket.assignee == actor.name)
        return {};
    auto person = TRY(pipeline::staff_person(m_store, ticket.assignee));
    if (!person)
        return {};
    pipeline::StaffLetterRequest request;
    request.template_name = "ticket_assigned";
    request.to = person->mailbox;
    request.chat = person->chat;
    request.ticket = &ticket;
    request.dedup_key = "assigned:" + ticket.number + ":v" + std::to_string(ticket.version);
    request.install_id = m_store.install_id();
    auto messages = TRY(m_store.messages_of(ticket.id));
    for (auto it = messages.rbegin(); it != messages.rend(); ++it)
        if (it->direction == "in") {
            request.extra_values["message.excerpt"] = cut_text(it->text, 600);
            break;
        }
    auto letters = TRY(pipeline::staff_letter(runtime, request, now));
    if (letters.email)
        TRY(tx.enqueue_letter(*letters.email));
    if (letters.chat)
        TRY(tx.enqueue_letter(*letters.chat));
    return {};
}

Result<TicketView> TicketService::view(std::string_view number, const Actor& viewer)
{
    auto found = TRY(m_store.ticket(number));
    if (!found)
        return no_ticket(number);
    TicketView v;
    v.ticket = *found;
    const auto id = v.ticket.id;
    v.messages = TRY(m_store.messages_of(id));
    v.letters = TRY(m_store.letters_of(id));
    v.notes = TRY(m_store.notes_of(id));
    v.actions = TRY(m_store.actions_of(id));
    v.ratings = TRY(m_store.ratings_of(id));
    v.audit = TRY(m_store.audit_of(id));
    v.attachments = TRY(m_store.attachments_of(id));
    v.available_steps = tickets::available_steps(v.ticket, v.actions, viewer.role);
    return v;
}

Result<AttachmentFile> TicketService::attachment(std::string_view number, std::int64_t id)
{
    auto ticket = TRY(m_store.ticket(number));
    if (!ticket)
        return no_ticket(number);
    auto row = TRY(m_store.attachment(id));
    // Another ticket's attachment is not found here: the number in the path is checked, not only the id.
    if (!row || row->ticket_id != ticket->id)
        return make_error(ErrorKind::not_found, "attachment.not_found",
                          "Ticket " + ticket->number + " has no attachment " + std::to_string(id) + ".");
    if (row->sha256.empty())
        return make_error(ErrorKind::not_found, "attachment.not_kept",
                          "The file \"" + row->name + "\" was not kept: " + row->refused + ".");
    attachments::FileStore files(m_pipeline.runtime()->config.attachments_dir());
    AttachmentFile out;
    out.bytes = TRY(files.read(row->sha256));
    out.record = std::move(*row);
    return out;
}

Result<pipeline::IngestOutcome> TicketService::register_complaint(const IntakeForm& form, const Actor& actor)
{
    if (form.channel != "phone" && form.channel != "in_person")
        return make_error(ErrorKind::invalid, "intake.channel",
                          "\"channel\" must be \"phone\" or \"in_person\", not \"" + form.channel + "\".");
    if (trim(form.details).empty())
        return make_error(ErrorKind::invalid, "intake.details",
                          "\"details\" is required: what happened, in the customer's words.");
    if (trim(form.customer_name).empty() && trim(form.email).empty() && trim(form.phone).empty())
        return make_error(ErrorKind::invalid, "intake.customer",
                          "Give the customer's name, email or phone, so that someone can answer them.");
    std::optional<Mailbox> email;
    if (!trim(form.email).empty()) {
        email = parse_typed_mailbox(trim(form.email));
        if (!email || !email->name.empty())
            return make_error(ErrorKind::invalid, "intake.email",
                              "\"email\" must be one address such as anna@example.org.");
        email->name = std::string(trim(form.customer_name));
    }
    auto runtime = m_pipeline.runtime();
    if (!trim(form.department).empty() && !runtime->config.workflow.department(trim(form.department)))
        return make_error(ErrorKind::invalid, "intake.department",
                          "Unknown department \"" + form.department + "\" (see workflow.departments).");
    if (!trim(form.language).empty() && !runtime->templates.has("acknowledgement", trim(form.language)))
        return make_error(ErrorKind::invalid, "intake.language",
                          "\"language\" must be one of the languages we write in, such as \"ru\" or \"en\".");
    TimePoint now = m_time.now();
    TimePoint received = form.received_at.value_or(now);

    // The form as a message: the text the classifier reads is what the customer said; the rest of
    // the form is kept with it, so nothing the agent wrote down is lost.
    Message m;
    m.from = email.value_or(Mailbox{std::string(trim(form.customer_name)), ""});
    m.subject = cut_text(trim(form.details), 80);
    if (auto nl = m.subject.find('\n'); nl != std::string::npos)
        m.subject.resize(nl);
    m.text = std::string(trim(form.details));
    std::string received_by = trim(form.received_by).empty() ? actor.name : std::string(trim(form.received_by));
    std::string card;
    auto line = [&](std::string_view label, std::string_view value) {
        if (!trim(value).empty())
            card += std::string(label) + ": " + std::string(trim(value)) + "\n";
    };
    line("Channel", form.channel == "phone" ? "telephone" : "in person");
    line("Received by", received_by);
    line("Customer", form.customer_name);
    line("Email", form.email);
    line("Phone", form.phone);
    line("Address", form.address);
    line("Date of the incident", form.incident_date);
    m.signature = card;
    m.date = received;
    m.message_id = "intake." + auth::random_token(12) + "@" + runtime->config.company.message_id_domain;
    m.content_type = "text/plain";

    pipeline::RawMessage raw;
    raw.channel = form.channel;
    raw.source = "intake:" + received_by;
    raw.source_key = "intake:" + m.message_id;
    json original{{"channel", form.channel},       {"received_by", received_by},
                  {"department", form.department}, {"customer_name", form.customer_name},
                  {"email", form.email},           {"phone", form.phone},
                  {"address", form.address},       {"incident_date", form.incident_date},
                  {"details", form.details},       {"received_at", format_iso8601_utc(received)}};
    raw.bytes = dump(original);
    raw.parsed = std::move(m);
    raw.received_at = received;
    raw.intake = pipeline::RawMessage::Intake{std::string(trim(form.phone)), std::string(trim(form.department)),
                                              received_by, std::string(trim(form.language))};
    // One transaction: the ticket, its phone, department and assignee, the acknowledgement.
    return m_pipeline.ingest(raw, now);
}

Result<CustomerStatus> TicketService::customer_status(std::string_view number)
{
    auto found = TRY(m_store.ticket(number));
    if (!found)
        return no_ticket(number);
    CustomerStatus status;
    status.ticket = *found;
    const auto& to_customers = letters::customer_templates();
    for (auto& letter : TRY(m_store.letters_of(found->id)))
        if (letter.status == LetterStatus::sent &&
            std::find(to_customers.begin(), to_customers.end(), letter.template_name) != to_customers.end())
            status.letters.push_back(std::move(letter));
    std::sort(status.letters.begin(), status.letters.end(), [](const Letter& a, const Letter& b) {
        return a.sent_at.value_or(a.created_at) < b.sent_at.value_or(b.created_at);
    });
    for (auto& action : TRY(m_store.actions_of(found->id)))
        if (action.target == ActionFor::customer)
            status.actions.push_back(std::move(action));
    for (auto& message : TRY(m_store.messages_of(found->id)))
        if (message.direction == "in" && message.kind != Kind::automatic)
            status.messages.push_back(std::move(message));
    std::stable_sort(status.messages.begin(), status.messages.end(),
                     [](const StoredMessage& a, const StoredMessage& b) { return a.received_at < b.received_at; });
    return status;
}

Result<WebFiling> TicketService::file_complaint(const WebComplaint& complaint)
{
    std::string details(trim(complaint.details));
    std::string email(trim(complaint.email));
    std::string phone(trim(complaint.phone));
    if (details.empty())
        return make_error(ErrorKind::invalid, "complaint.details", "Say what happened.");
    if (email.empty() && phone.empty())
        return make_error(ErrorKind::invalid, "complaint.contact", "Give an email address or a phone number.");
    Mailbox from{std::string(trim(complaint.name)), ""};
    if (!email.empty()) {
        auto mailbox = parse_typed_mailbox(email);
        if (!mailbox || !mailbox->name.empty())
            return make_error(ErrorKind::invalid, "complaint.email", "The email must be one address.");
        from.address = mailbox->address;
    }
    auto runtime = m_pipeline.runtime();
    TimePoint now = m_time.now();

    // What staff read: the customer's words, then the rest of the form, labelled.
    std::string text = details;
    auto line = [&](std::string_view label, std::string_view value) {
        if (!trim(value).empty())
            text += "\n" + std::string(label) + ": " + std::string(trim(value));
    };
    if (!trim(complaint.incident_date).empty() || !trim(complaint.reference).empty())
        text += "\n";
    line("When it happened", complaint.incident_date);
    line("Order or reference number", complaint.reference);

    Message m;
    m.from = from;
    m.subject = cut_text(details, 80);
    if (auto nl = m.subject.find_first_of("\r\n"); nl != std::string::npos)
        m.subject.resize(nl);
    m.text = text;
    m.date = now;
    m.message_id = "web." + auth::random_token(12) + "@" + runtime->config.company.message_id_domain;
    m.content_type = complaint.files.empty() ? "text/plain" : "multipart/mixed";
    for (const auto& file : complaint.files)
        m.attachments.push_back(Attachment{file.filename, file.content_type, file.bytes.size(), ""});

    // Kept as mail keeps a message: the whole of it, files included, as RFC 5322 bytes.
    letters::EmailDraft draft;
    draft.from = from;
    draft.to = runtime->config.company.support_address;
    draft.subject = m.subject;
    draft.body = text + (phone.empty() ? "" : "\nPhone: " + phone) + "\n";
    draft.message_id = m.message_id;
    draft.date = now;
    draft.extra_headers = {{"X-Redress-Channel", "web"}};
    draft.attachments = complaint.files;

    pipeline::RawMessage raw;
    raw.channel = "web";
    raw.source = "complaint-form";
    raw.source_key = "web:" + (complaint.key.empty() ? m.message_id : complaint.key);
    raw.bytes = letters::compose_email(draft);
    raw.parsed = std::move(m);
    raw.received_at = now;
    raw.web = pipeline::RawMessage::Web{"", phone, complaint.language};
    WebFiling filing;
    filing.outcome = TRY(m_pipeline.ingest(raw, now));
    if (!filing.outcome.ticket_number.empty() && runtime->config.http.enabled) {
        Ticket t;
        t.number = filing.outcome.ticket_number;
        filing.status_url = TRY(status_url(t));
    }
    return filing;
}

Result<pipeline::IngestOutcome> TicketService::add_customer_message(std::string_view number, std::string_view text,
                                                                    std::string_view key)
{
    std::string words(trim(text));
    if (words.empty())
        return make_error(ErrorKind::invalid, "message.empty", "The message is empty.");
    auto found = TRY(m_store.ticket(number));
    if (!found)
        return no_ticket(number);
    auto runtime = m_pipeline.runtime();
    TimePoint now = m_time.now();
    Message m;
    // The signed link stands for the ticket's customer.
    m.from = Mailbox{found->customer.name, found->customer.email};
    m.subject = "[" + found->number + "] " + cut_text(words, 60);
    if (auto nl = m.subject.find_first_of("\r\n"); nl != std::string::npos)
        m.subject.resize(nl);
    m.text = words;
    m.date = now;
    m.message_id = "web." + auth::random_token(12) + "@" + runtime->config.company.message_id_domain;
    m.content_type = "text/plain";

    letters::EmailDraft draft;
    draft.from = m.from;
    draft.to = runtime->config.company.support_address;
    draft.subject = m.subject;
    draft.body = words + "\n";
    draft.message_id = m.message_id;
    draft.date = now;
    draft.extra_headers = {{"X-Redress-Channel", "web"}};

    pipeline::RawMessage raw;
    raw.channel = "web";
    raw.source = "status-page";
    raw.source_key = "web:" + (key.empty() ? m.message_id : std::string(key));
    raw.bytes = letters::compose_email(draft);
    raw.parsed = std::move(m);
    raw.received_at = now;
    raw.web = pipeline::RawMessage::Web{found->number, "", ""};
    return m_pipeline.ingest(raw, now);
}

Result<std::string> TicketService::form_token(std::string_view purpose)
{
    std::string secret = TRY(link_secret());
    std::string body = std::to_string(m_time.now().time_since_epoch().count()) + "." + auth::random_token(12);
    return body + "." + auth::sign(secret, "form:" + std::string(purpose) + ":" + body);
}

Result<std::optional<FormToken>> TicketService::check_form_token(std::string_view purpose, std::string_view token)
{
    std::string secret = TRY(link_secret());
    auto last = token.rfind('.');
    if (last == std::string_view::npos)
        return std::optional<FormToken>{};
    std::string_view body = token.substr(0, last);
    if (!auth::signature_valid(secret, "form:" + std::string(purpose) + ":" + std::string(body),
                               token.substr(last + 1)))
        return std::optional<FormToken>{};
    auto dot = body.find('.');
    std::string_view seconds = body.substr(0, dot);
    if (dot == std::string_view::npos || seconds.empty() || seconds.size() > 12 ||
        seconds.find_first_not_of("0123456789") != std::string_view::npos)
        return std::optional<FormToken>{};
    FormToken read;
    read.issued = TimePoint{Seconds{std::stoll(std::string(seconds))}};
    read.nonce = std::string(body.substr(dot + 1));
    return std::optional<FormToken>{std::move(read)};
}

Result<Rating> TicketService::rate(std::string_view number, int score, std::string_view comment,
                                   std::string_view source, std::string_view form_key)
{
    if (score < 1 || score > 5)
        return make_error(ErrorKind::invalid, "survey.score",
                          "A rating is a whole number from 1 (very poor) to 5 (excellent), not " +
                              std::to_string(score) + ".");
    TimePoint now = m_time.now();
    auto tx = TRY(m_store.begin());
    auto t = TRY(tx->ticket_by_number(number));
    if (!t)
        return no_ticket(number);
    // The same form sent again (a double click, a reload that posts again): the rating it recorded.
    if (!form_key.empty())
        for (auto& earlier : TRY(tx->ratings_of(t->id)))
            if (earlier.form_key == form_key)
                return earlier;
    Rating r;
    r.ticket_id = t->id;
    r.form_key = std::string(form_key);
    r.score = score;
    r.comment = cut_text(trim(comment), 4000);
    r.source = std::string(source);
    r.at = now;
    r.id = TRY(tx->add_rating(r));
    TRY(tx->add_audit(AuditEvent{0, t->id, now, "customer", "survey.rated",
                                 dump(json{{"score", score}, {"source", source}, {"comment", r.comment}})}));
    TRY(tx->commit());
    return r;
}

Result<TicketService::TemplateState> TicketService::template_state(std::string_view language, std::string_view name)
{
    auto runtime = m_pipeline.runtime();
    TemplateState state;
    state.language = std::string(language);
    state.name = std::string(name);
    state.history = TRY(m_store.template_history(language, name));
    const auto* source = runtime->templates.source(name, language);
    if (!source && state.history.empty())
        return make_error(ErrorKind::not_found, "templates.none",
                          "There is no template " + std::string(language) + "/" + std::string(name) + ".");
    if (source)
        state.text = source->text;
    if (!state.history.empty()) {
        state.version = state.history.back().version;
        state.text = state.history.back().text;
    }
    return state;
}

Result<TemplateVersion> TicketService::save_template(std::string_view language, std::string_view name,
                                                     std::string_view text, const Actor& actor)
{
    if (actor.role == Role::agent)
        return make_error(ErrorKind::refused, "workflow.role", "An agent may not edit templates: ask a manager.");
    // One save at a time, and never during a reload: each builds on the runtime in use.
    std::lock_guard lock(m_runtime_mutex);
    auto runtime = m_pipeline.runtime();
    std::string origin = std::string(language) + "/" + std::string(name);
    auto report = runtime->templates.with_replaced(
        {letters::TemplateSource{std::string(language), std::string(name), origin, std::string(text)}});
    if (!report.templates)
        return template_error(report.problems);
    TemplateVersion v;
    v.language = std::string(language);
    v.name = std::string(name);
    v.text = std::string(text);
    v.author = actor.name;
    v.at = m_time.now();
    v = TRY(m_store.save_template(v));
    // In effect at once: the running pipeline (and so every later letter) uses the new set.
    auto next = std::make_shared<pipeline::Runtime>(*runtime);
    next->templates = std::move(*report.templates);
    m_pipeline.set_runtime(std::move(next));
    log::info("template.saved", {{"template", origin}, {"version", std::to_string(v.version)}, {"by", actor.name}});
    return v;
}

Result<void> TicketService::install_runtime(std::shared_ptr<const pipeline::Runtime> runtime)
{
    std::lock_guard lock(m_runtime_mutex);
    auto edited = TRY(with_template_edits(std::move(runtime), m_store));
    m_pipeline.set_runtime(std::move(edited));
    return {};
}

Result<TemplateVersion> TicketService::restore_template(std::string_view language, std::string_view name, int version,
                                                        const Actor& actor)
{
    auto history = TRY(m_store.template_history(language, name));
    if (version == 0) {
        // Version 0 is the shipped file, read again: the running set holds the newest edit.
        auto runtime = m_pipeline.runtime();
        auto loaded = letters::TemplateSet::load(runtime->config.templates_dir);
        const letters::TemplateSource* source =
            loaded.templates ? loaded.templates->source(name, language) : runtime->templates.source(name, language);
        if (!source)
            return make_error(ErrorKind::not_found, "templates.version",
                              "There is no shipped " + std::string(language) + "/" + std::string(name) + ".");
        return save_template(language, name, source->text, actor);
    }
    for (const auto& v : history)
        if (v.version == version)
            return save_template(language, name, v.text, actor);
    return make_error(ErrorKind::not_found, "templates.version",
                      "Template " + std::string(language) + "/" + std::string(name) + " has no version " +
                          std::to_string(version) + ".");
}

Result<LetterDraft> TicketService::preview_template(std::string_view language, std::string_view name,
                                                    std::string_view text, std::string_view ticket_number)
{
    auto runtime = m_pipeline.runtime();
    std::string origin = std::string(language) + "/" + std::string(name);
    auto report = runtime->templates.with_replaced(
        {letters::TemplateSource{std::string(language), std::string(name), origin, std::string(text)}});
    if (!report.templates)
        return template_error(report.problems);
    auto found = TRY(m_store.ticket(ticket_number));
    if (!found)
        return no_ticket(ticket_number);
    pipeline::Runtime trial = *runtime;
    trial.templates = std::move(*report.templates);
    pipeline::LetterRequest request;
    request.template_name = std::string(name);
    request.language = std::string(language);
    request.to = Mailbox{found->customer.name, found->customer.email};
    request.ticket = &*found;
    // Sample words where a person's words would go, so that every section shows.
    request.extra_values = {{"agent.name", "Anna"},
                            {"reply.text", "(your reply)"},
                            {"action.plan", "- (the action for this customer)"},
                            {"verdict.explanation", "(what we found)"},
                            {"resolution.summary", "(what was done)"},
                            // Never the real signed links: whoever holds them can rate, or write as the customer.
                            {"survey.url", unsigned_link(pipeline::survey_url(*runtime, "", found->number))},
                            {"ticket.status_url", unsigned_link(pipeline::status_url(*runtime, "", found->number))}};
    auto rendered = TRY(pipeline::render_letter(trial, request));
    return LetterDraft{std::string(name), rendered.language, "email",     found->customer.email,
                       rendered.subject,  rendered.body,     std::nullopt};
}

std::vector<TemplateProblem> template_problems(const Error& error)
{
    std::vector<TemplateProblem> out;
    std::string_view rest = error.message;
    while (!rest.empty()) {
        auto end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        TemplateProblem p;
        p.message = std::string(line);
        if (auto at = line.find(", line "); at != std::string_view::npos) {
            auto colon = line.find(':', at);
            int number = 0;
            for (char c : line.substr(at + 7, colon - at - 7))
                number = c >= '0' && c <= '9' ? number * 10 + (c - '0') : number;
            p.line = number;
            if (colon != std::string_view::npos)
                p.message = std::string(trim(line.substr(colon + 1)));
        }
        out.push_back(std::move(p));
    }
    return out;
}

Result<std::shared_ptr<const pipeline::Runtime>> with_template_edits(std::shared_ptr<const pipeline::Runtime> runtime,
                                                                     store::TemplateVersions& versions)
{
    auto edits = TRY(versions.current_templates());
    if (edits.empty())
        return runtime;
    std::vector<letters::TemplateSource> sources;
    for (const auto& e : edits)
        sources.push_back(letters::TemplateSource{
            e.language, e.name,
            e.language + "/" + e.name + " (version " + std::to_string(e.version) + ", by " + e.author + ")", e.text});
    auto report = runtime->templates.with_replaced(sources);
    if (!report.templates) {
        // An edit saved against the files of its day may not pass against changed files: that one
        // is left out (logged), the file is used, and the other edits still apply.
        std::vector<letters::TemplateSource> good;
        for (const auto& source : sources) {
            auto alone = runtime->templates.with_replaced({source});
            if (alone.templates) {
                good.push_back(source);
                continue;
            }
            for (const auto& p : alone.problems)
                log::warn("template.edit_ignored", {{"template", source.origin}, {"problem", p}});
        }
        report = runtime->templates.with_replaced(good);
        if (!report.templates)
            return runtime;
    }
    auto next = std::make_shared<pipeline::Runtime>(*runtime);
    next->templates = std::move(*report.templates);
    return std::shared_ptr<const pipeline::Runtime>(std::move(next));
}

Result<int> TicketService::remind_overdue_actions()
{
    auto runtime = m_pipeline.runtime();
    TimePoint now = m_time.now();
    // Every overdue action is looked at (those reminded already are skipped by their letter): a bound
    // only against a runaway, far above what a company leaves overdue.
    auto overdue = TRY(m_store.overdue_actions(now, 5000));
    int queued = 0;
    for (const auto& [action, ticket] : overdue) {
        auto tx = TRY(m_store.begin());
        auto send = [&](const Mailbox& to, const std::string& chat, const std::string& key) -> Result<void> {
            if (TRY(tx->has_letter(key)))
                return {};
            pipeline::StaffLetterRequest request;
            request.template_name = "action_overdue";
            request.to = to;
            request.chat = chat;
            request.ticket = &ticket;
            request.dedup_key = key;
            request.install_id = m_store.install_id();
            request.extra_values = {{"action.text", action.text}, {"action.responsible", action.responsible}};
            // The due date in the language of the template used (English when the company's lacks it).
            request.language_values = [due = action.due, zone = runtime->config.company.time_zone](
                                          letters::Values& values, std::string_view language) {
                values["action.due"] = letters::format_time_for_letter(due, language, zone);
            };
            auto letters = TRY(pipeline::staff_letter(*runtime, request, now));
            if (letters.email && TRY(tx->enqueue_letter(*letters.email)))
                ++queued;
            if (letters.chat)
                TRY(tx->enqueue_letter(*letters.chat));
            return {};
        };
        // A new due date is a new promise: its lapse is reminded of again.
        std::string due = std::to_string(action.due.time_since_epoch().count());
        auto responsible = TRY(pipeline::staff_person(m_store, action.responsible));
        if (responsible)
            TRY(send(responsible->mailbox, responsible->chat,
                     "action:" + std::to_string(action.id) + ":overdue:" + due));
        // The owner hears of it once per action.
        if (!runtime->config.owner.email.empty() &&
            (!responsible || !iequals(responsible->mailbox.address, runtime->config.owner.email)))
            TRY(send(Mailbox{runtime->config.owner.name, runtime->config.owner.email}, runtime->config.owner.chat,
                     "action:" + std::to_string(action.id) + ":overdue:owner"));
        TRY(tx->commit());
    }
    return queued;
}

}  // namespace redress::service
