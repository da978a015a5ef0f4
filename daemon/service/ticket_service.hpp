#pragma once
// The one place where people change tickets. Each workflow step is decided by the ticket's rules
// (tickets::decide, pure) and applied here in one store transaction: the version check, the ticket,
// its audit row, the clock rows where deadlines move, the corrective action or note, the letter the
// step sends and the notice to a new assignee. The HTTP API (daemon/api) and the CLI (daemon/app)
// are two thin front doors over these functions; the web page and the chat channels call the API.
//
// Time is passed in through a TimeSource, so tests run on a ManualTimeSource.

#include "common/result.hpp"
#include "common/time_source.hpp"
#include "letters/email_composer.hpp"
#include "model/people.hpp"
#include "model/ticket.hpp"
#include "model/workflow.hpp"
#include "pipeline/pipeline.hpp"
#include "sla/sla.hpp"
#include "store/store.hpp"
#include "tickets/workflow.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::store {
class Store;
class Transaction;
class TemplateVersions;
}  // namespace redress::store

namespace redress::pipeline {
struct Runtime;
struct LetterRequest;
}  // namespace redress::pipeline

namespace redress::service {

// A step as a front door hands it over.
struct StepCommand {
    tickets::Step step;
    bool preview = false;                    // render the letter, change nothing
    std::optional<std::string> letter_body;  // the person's own text for the letter (replaces the body)
    std::optional<std::int64_t> if_match;    // the ticket version the person saw
    // Files sent with the letter (a reply by email): MIME parts of the letter, kept in the attachment
    // store like a customer's files (docs/attachments.md).
    std::vector<letters::FileAttachment> files;
};

// A letter as a person sees it before (preview) or after it is queued.
struct LetterDraft {
    std::string template_name;
    std::string language;  // the language of the template used
    std::string channel;   // "email", "chat:<name>"
    std::string recipient;
    std::string subject;
    std::string body;
    std::optional<TimePoint> send_at;  // the survey waits for workflow.survey_delay
};

struct StepResult {
    Ticket ticket;  // after the step (unchanged for a preview)
    std::optional<LetterDraft> letter;
    std::optional<std::int64_t> letter_id;  // the queued letter (not for a preview)
    std::optional<CorrectiveAction> action;
    std::optional<Note> note;
};

// An attachment as it is served to staff.
struct AttachmentFile {
    store::AttachmentRecord record;
    std::string bytes;
};

// Everything about one ticket a person needs to work it.
struct TicketView {
    Ticket ticket;
    std::vector<StoredMessage> messages;
    std::vector<Letter> letters;
    std::vector<Note> notes;
    std::vector<CorrectiveAction> actions;
    std::vector<Rating> ratings;
    std::vector<AuditEvent> audit;
    std::vector<store::AttachmentRecord> attachments;  // of the messages and the letters
    // For the viewer's role. The customer's signed links are not shown to staff: whoever holds
    // the survey link can rate.
    std::vector<tickets::StepKind> available_steps;
};

// A complaint taken by phone or in person (handbooks 000 and 002: the complaint form's fields).
struct IntakeForm {
    std::string channel = "phone";  // "phone" or "in_person"
    std::optional<TimePoint> received_at;
    std::string received_by;  // the agent; the actor's name when empty
    std::string department;
    std::string customer_name;
    std::string email;
    std::string phone;
    std::string address;
    std::string incident_date;  // as the customer said it
    std::string details;
    std::string language;  // optional hint; detected from the details otherwise
};

// What a customer sees of their complaint on its status page, and nothing else: no internal notes,
// no audit, no letters to staff, no corrective actions for the process, no other ticket.
struct CustomerStatus {
    Ticket ticket;
    std::vector<Letter> letters;            // letters to the customer that went out, oldest first
    std::vector<CorrectiveAction> actions;  // what will be done for the customer
    std::vector<StoredMessage> messages;    // what the customer wrote (not automatic mail), oldest first
};

// A complaint from the public form (handbook 002's complaint form): at least one of email and
// phone, and what happened. Through the pipeline's entry like any other message (channel "web").
struct WebComplaint {
    std::string name;
    std::string email;
    std::string phone;
    std::string details;        // what happened, in the customer's words
    std::string incident_date;  // when, as the customer wrote it
    std::string reference;      // an order or reference number
    std::string language;       // the page's language: a hint where the text is too short to tell
    std::vector<letters::FileAttachment> files;
    // Unique per form sent ("form:<the form token's nonce>"): the same form sent twice opens one ticket.
    std::string key;
};

// The complaint form's outcome: the pipeline's, and the status page's link when a ticket opened.
struct WebFiling {
    pipeline::IngestOutcome outcome;
    std::string status_url;
};

// A form token as check_form_token read it.
// What a customer's signed link opens (TicketService::status_link, survey_link).
enum class LinkState { unknown, expired, open };

struct FormToken {
    TimePoint issued{};
    std::string nonce;
};

class TicketService {
public:
    // The pipeline carries the runtime (config, classifier, templates, SLA) and is the entry for
    // complaints taken by phone; the store is the pipeline's.
    TicketService(store::Store& store, pipeline::Pipeline& pipeline, const TimeSource& time = system_time());

    // Applies one step. Refusals: not_found (no such ticket or action), refused (the role may not:
    // 403), conflict (the state does not allow it, or If-Match names an older version: 409), invalid
    // (a field is missing or wrong: 422). A preview decides and renders the same way but writes
    // nothing.
    Result<StepResult> apply(std::string_view number, const StepCommand& command);

    // The ticket with its thread, records and the steps the viewer's role may take now.
    Result<TicketView> view(std::string_view number, const Actor& viewer);
    // One attachment of the ticket with its bytes; not_found when the ticket has no such attachment or
    // its file was not kept (over a cap).
    Result<AttachmentFile> attachment(std::string_view number, std::int64_t id);

    // Registers a complaint taken by phone or in person through the pipeline's entry (classified,
    // deadlines, acknowledgement when the customer gave an address).
    Result<pipeline::IngestOutcome> register_complaint(const IntakeForm& form, const Actor& actor);

    // The customer pages (no login; the daemon serves them, docs/customer-pages.md).
    // The status page's facts; not_found for no such ticket.
    Result<CustomerStatus> customer_status(std::string_view number);
    // The complaint form, filed through the pipeline's entry. invalid: no email and no phone, an
    // email that is not one address, or no text.
    Result<WebFiling> file_complaint(const WebComplaint& complaint);
    // A message the customer adds on the status page of their ticket (the signed link is their
    // proof): it joins the ticket as theirs, reopening a resolved one as a mail would. `key` is
    // unique per form sent, so a form sent twice adds one message.
    Result<pipeline::IngestOutcome> add_customer_message(std::string_view number, std::string_view text,
                                                         std::string_view key);
    // A form's token, "<issued unix seconds>.<nonce>.<signature>", signed for one purpose
    // ("complain", "status:RD-000001"): the page issues it with the form, the POST shows it back,
    // which no other site can (CSRF), and its time lets the form refuse a robot's instant answer.
    // nullopt from check_form_token: not a token we signed for this purpose.
    Result<std::string> form_token(std::string_view purpose);
    Result<std::optional<FormToken>> check_form_token(std::string_view purpose, std::string_view token);

    // The customer's rating (1-5) from the survey page; audited. invalid outside 1-5. A `form_key` (the
    // survey form's nonce) already recorded on the ticket gives back that rating and records nothing.
    Result<Rating> rate(std::string_view number, int score, std::string_view comment, std::string_view source,
                        std::string_view form_key = {});

    // Signed links a customer follows without a login (HMAC with the installation's secret).
    Result<std::string> survey_url(const Ticket& ticket);
    Result<std::string> status_url(const Ticket& ticket);
    // What a followed link opens: unknown when `signature` is not the one survey_url/status_url put in
    // the link of this ticket (or there is no such ticket); expired when the ticket was erased or was
    // resolved or closed longer than workflow.links_valid_after_close ago (tickets::customer_links_open).
    Result<LinkState> survey_link(std::string_view number, std::string_view signature);
    Result<LinkState> status_link(std::string_view number, std::string_view signature);

    // Letter templates edited by managers: validated exactly as `redress check` validates files
    // (invalid with "<lang>/<name>: line N: ..." and nothing saved), stored as a new version, and in
    // effect at once for every later letter of the running daemon.
    Result<TemplateVersion> save_template(std::string_view language, std::string_view name, std::string_view text,
                                          const Actor& actor);
    // SIGHUP: the reloaded runtime, with the template edits laid over it, put in use under the lock
    // a template save takes, so that neither undoes the other.
    Result<void> install_runtime(std::shared_ptr<const pipeline::Runtime> runtime);
    Result<TemplateVersion> restore_template(std::string_view language, std::string_view name, int version,
                                             const Actor& actor);
    // The template's text as in use now (the newest edit, else the shipped file) and its versions.
    struct TemplateState {
        std::string language;
        std::string name;
        std::string text;
        int version = 0;  // 0: the shipped file
        std::vector<TemplateVersion> history;
    };
    Result<TemplateState> template_state(std::string_view language, std::string_view name);
    // Renders a template text (not saved) for a ticket: what the letter would say.
    Result<LetterDraft> preview_template(std::string_view language, std::string_view name, std::string_view text,
                                         std::string_view ticket_number);

    // Reminds the responsible person (and the owner, once) of every corrective action past its due
    // date; each reminder is queued once. Returns how many letters were queued.
    Result<int> remind_overdue_actions();

private:
    // The installation's key for signed links (the pipeline's, which writes them into letters too).
    Result<std::string> link_secret() { return m_pipeline.link_secret(); }
    Result<LinkState> link_state(std::string_view number);
    Result<std::optional<LetterDraft>> step_letter(const pipeline::Runtime& runtime, const tickets::Outcome& outcome,
                                                   const std::vector<CorrectiveAction>& actions,
                                                   const StepCommand& command, pipeline::LetterRequest& request);
    // A reclassification (from `before` to `after`) kept as a labelled example (model/correction.hpp).
    Result<void> keep_correction(store::Transaction& tx, const Ticket& before, const Ticket& after,
                                 const tickets::Step& step, TimePoint now);
    Result<void> notify_assignee(const pipeline::Runtime& runtime, store::Transaction& tx, const Ticket& ticket,
                                 const Actor& actor, TimePoint now);

    store::Store& m_store;
    pipeline::Pipeline& m_pipeline;
    const TimeSource& m_time;
    std::mutex m_runtime_mutex;  // template saves and reloads, one at a time
};

// A template's problem as the editor shows it beside its line (0: the whole template).
struct TemplateProblem {
    int line = 0;
    std::string message;
};
// The problems of a "templates.invalid" error from save_template or preview_template.
std::vector<TemplateProblem> template_problems(const Error& error);

// The runtime with the managers' template edits (the newest version of each) laid over the shipped
// files. The daemon calls it at start (and through install_runtime after SIGHUP), the CLI after
// loading; an edit that no longer passes the checks is logged and left out, the others apply.
Result<std::shared_ptr<const pipeline::Runtime>> with_template_edits(std::shared_ptr<const pipeline::Runtime> runtime,
                                                                     store::TemplateVersions& versions);

}  // namespace redress::service
