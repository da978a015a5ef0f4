#include "workflow.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <array>

namespace redress::tickets {

namespace {

constexpr std::array<std::pair<StepKind, std::string_view>, 14> k_steps{{{StepKind::take, "take"},
                                                                         {StepKind::verdict, "verdict"},
                                                                         {StepKind::add_action, "actions"},
                                                                         {StepKind::update_action, "action"},
                                                                         {StepKind::assign, "assign"},
                                                                         {StepKind::department, "department"},
                                                                         {StepKind::resolve, "resolve"},
                                                                         {StepKind::signoff, "signoff"},
                                                                         {StepKind::reopen, "reopen"},
                                                                         {StepKind::reply, "reply"},
                                                                         {StepKind::note, "notes"},
                                                                         {StepKind::responded, "responded"},
                                                                         {StepKind::waiting, "waiting"},
                                                                         {StepKind::reclassify, "reclassify"}}};

// Every customer gets an answer: the letter that acknowledges each kind of message (none for spam,
// automatic mail and what the classifier could not place).
constexpr std::array<std::pair<Kind, std::string_view>, 4> k_acknowledgements{
    {{Kind::complaint, "acknowledgement"},
     {Kind::question, "question_received"},
     {Kind::suggestion, "suggestion_received"},
     {Kind::gratitude, "gratitude_received"}}};

Error refused(std::string message)
{
    return make_error(ErrorKind::refused, "workflow.role", std::move(message));
}
Error conflict(std::string message)
{
    return make_error(ErrorKind::conflict, "workflow.state", std::move(message));
}
Error invalid(std::string message)
{
    return make_error(ErrorKind::invalid, "workflow.input", std::move(message));
}

bool is_complaint(const Ticket& t)
{
    return t.kind == Kind::complaint;
}

bool any_of_status(TicketStatus s, std::initializer_list<TicketStatus> set)
{
    return std::find(set.begin(), set.end(), s) != set.end();
}

std::string status_name(const Ticket& t)
{
    return std::string(to_string(t.status));
}

std::string join(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : ", ") + i;
    return out;
}

// Why this kind of step cannot be taken in the ticket's present state, or nullopt. Fields are not
// looked at here: available_steps() lists a step whose reason is still to be written.
std::optional<std::string> state_refusal(const Ticket& t, const std::vector<CorrectiveAction>& actions, StepKind kind)
{
    using S = TicketStatus;
    switch (kind) {
    case StepKind::take:
        if (any_of_status(t.status, {S::new_ticket, S::acknowledged}))
            return std::nullopt;
        if (t.status == S::investigating && t.assignee.empty())
            return std::nullopt;
        if (t.status == S::investigating)
            return "the ticket is already being investigated by " + t.assignee + "; a manager can reassign it";
        return "the ticket is " + status_name(t) + ", past being taken";
    case StepKind::verdict:
        if (!is_complaint(t))
            return "only a complaint gets a verdict; a " + std::string(to_string(t.kind)) +
                   " is answered and resolved without one";
        if (any_of_status(t.status, {S::new_ticket, S::acknowledged}))
            return "take the ticket first: a verdict follows an investigation";
        if (any_of_status(t.status, {S::resolved, S::closed}))
            return "the ticket is " + status_name(t) + "; reopen it to change the verdict";
        return std::nullopt;
    case StepKind::add_action:
        if (!is_complaint(t))
            return "corrective actions belong to complaints";
        if (any_of_status(t.status, {S::resolved, S::closed}))
            return "the ticket is " + status_name(t) + "; reopen it to plan more actions";
        // Planned during the investigation or after the verdict: the apology lists what is planned
        // by then.
        if (any_of_status(t.status, {S::new_ticket, S::acknowledged}))
            return "take the ticket first: actions follow from an investigation";
        return std::nullopt;
    case StepKind::update_action:
        if (std::none_of(actions.begin(), actions.end(),
                         [](const CorrectiveAction& a) { return a.state != ActionState::verified; }))
            return "the ticket has no corrective action left to mark done or verified";
        return std::nullopt;
    case StepKind::resolve:
        if (any_of_status(t.status, {S::resolved, S::closed}))
            return "the ticket is " + status_name(t) + " already";
        if (!is_complaint(t))
            return std::nullopt;
        // A reopened complaint keeps its verdict and plan: it is resolved again once the plan is
        // complete, whatever was added since.
        if (t.verdict.empty())
            return "a complaint is resolved after its verdict and corrective actions";
        if (!plan_complete(t, actions))
            return "plan the corrective actions first: at least one for this customer" +
                   std::string(t.verdict == "justified" ? ", and one for the process" : "");
        return std::nullopt;
    case StepKind::signoff:
        if (t.status != S::resolved)
            return t.status == S::closed ? "the ticket is signed off already" : "only a resolved ticket is signed off";
        return std::nullopt;
    case StepKind::reopen:
        if (!any_of_status(t.status, {S::resolved, S::closed}))
            return "only a resolved or closed ticket is reopened; this one is " + status_name(t);
        return std::nullopt;
    case StepKind::responded:
    case StepKind::waiting:
        if (any_of_status(t.status, {S::resolved, S::closed}))
            return "the ticket is " + status_name(t);
        return std::nullopt;
    case StepKind::reclassify:
        // A signed-off ticket is a record (its kind counts in the reports as it was closed); a
        // resolved one may still be corrected.
        if (t.status == S::closed)
            return "the ticket is signed off; reopen it to correct its kind or severity";
        return std::nullopt;
    case StepKind::assign:
    case StepKind::department:
    case StepKind::reply:
    case StepKind::note:
        return std::nullopt;
    }
    return "unknown step";
}

std::optional<std::string> open_customer_action(const std::vector<CorrectiveAction>& actions)
{
    for (const auto& a : actions)
        if (a.target == ActionFor::customer && a.state == ActionState::open)
            return a.text;
    return std::nullopt;
}

std::string required(std::string_view field, std::string_view why)
{
    return "\"" + std::string(field) + "\" is required: " + std::string(why);
}

}  // namespace

std::string_view to_string(StepKind kind)
{
    for (auto& [k, name] : k_steps)
        if (k == kind)
            return name;
    return "?";
}

std::optional<StepKind> step_from_string(std::string_view text)
{
    if (text == "note")
        return StepKind::note;
    for (auto& [k, name] : k_steps)
        if (name == text)
            return k;
    return std::nullopt;
}

const Department* WorkflowRules::department(std::string_view name) const
{
    for (const auto& d : departments)
        if (d.name == name)
            return &d;
    return nullptr;
}

std::optional<std::string> acknowledgement_for(Kind kind)
{
    for (auto& [k, name] : k_acknowledgements)
        if (k == kind)
            return std::string(name);
    return std::nullopt;
}

std::vector<std::string> acknowledgement_letters()
{
    std::vector<std::string> names;
    for (auto& [kind, name] : k_acknowledgements)
        names.emplace_back(name);
    return names;
}

bool role_may(Role role, StepKind kind)
{
    switch (kind) {
    case StepKind::signoff:
    case StepKind::assign:
        return role == Role::manager || role == Role::owner;
    default:
        return true;
    }
}

bool plan_complete(const Ticket& ticket, const std::vector<CorrectiveAction>& actions)
{
    auto has = [&](ActionFor target) {
        return std::any_of(actions.begin(), actions.end(),
                           [&](const CorrectiveAction& a) { return a.target == target; });
    };
    if (ticket.verdict.empty() || !has(ActionFor::customer))
        return false;
    return ticket.verdict != "justified" || has(ActionFor::process);
}

std::vector<StepKind> available_steps(const Ticket& ticket, const std::vector<CorrectiveAction>& actions, Role role)
{
    std::vector<StepKind> out;
    for (auto& [kind, name] : k_steps)
        if (role_may(role, kind) && !state_refusal(ticket, actions, kind))
            out.push_back(kind);
    return out;
}

Result<Outcome> decide(const Ticket& ticket, const std::vector<CorrectiveAction>& actions, const Step& step,
                       const WorkflowRules& rules, TimePoint now)
{
    if (!role_may(step.actor.role, step.kind))
        return refused(
            "a " + std::string(to_string(step.actor.role)) + " may not " +
            (step.kind == StepKind::signoff ? std::string("sign a ticket off") : std::string("reassign a ticket")) +
            ": ask a manager");
    if (auto why = state_refusal(ticket, actions, step.kind))
        return conflict("Cannot " + std::string(to_string(step.kind)) + " " + ticket.number + ": " + *why + ".");

    Outcome out;
    out.ticket = ticket;
    Ticket& t = out.ticket;
    t.version = ticket.version + 1;
    t.updated_at = now;
    auto detail = [&](std::string key, std::string value) {
        out.audit_detail.emplace_back(std::move(key), std::move(value));
    };
    auto first_response = [&] {
        // A person's letter to the customer is the first human response; the automatic
        // acknowledgement never is.
        if (!t.first_responded_at)
            t.first_responded_at = now;
        out.deadlines.push_back(DeadlineEffect::first_response);
    };
    auto set_status = [&](TicketStatus to) {
        if (t.status != to)
            detail("status", std::string(to_string(t.status)) + " -> " + std::string(to_string(to)));
        t.status = to;
    };

    switch (step.kind) {
    case StepKind::take: {
        set_status(TicketStatus::investigating);
        if (t.assignee.empty()) {
            t.assignee = step.assignee.empty() ? step.actor.name : step.assignee;
            out.assignee_changed = true;
            detail("assignee", t.assignee);
        }
        out.audit_action = "ticket.taken";
        break;
    }
    case StepKind::verdict: {
        auto verdict = verdict_from_string(step.verdict);
        if (!verdict)
            return invalid(required("verdict", "\"justified\" or \"unjustified\""));
        if (trim(step.reason).empty())
            return invalid(required("reason", "say why the complaint is " + std::string(to_string(*verdict))));
        t.verdict = std::string(to_string(*verdict));
        set_status(plan_complete(t, actions)
                       ? TicketStatus::action_planned
                       : (*verdict == Verdict::justified ? TicketStatus::justified : TicketStatus::unjustified));
        detail("verdict", t.verdict);
        detail("reason", step.reason);
        out.audit_action = "ticket.verdict";
        out.letter = *verdict == Verdict::justified ? "apology" : "unjustified";
        first_response();
        break;
    }
    case StepKind::add_action: {
        auto target = action_for_from_string(step.target);
        if (!target)
            return invalid(
                required("for", "\"customer\" (this customer's fix) or \"process\" (so it does not happen again)"));
        if (trim(step.text).empty())
            return invalid(required("text", "what will be done"));
        if (trim(step.responsible).empty())
            return invalid(required("responsible", "who will do it"));
        if (!step.due)
            return invalid(required("due", "the date it is due, such as 2026-12-04"));
        CorrectiveAction a;
        a.ticket_id = t.id;
        a.target = *target;
        a.text = std::string(trim(step.text));
        a.responsible = std::string(trim(step.responsible));
        a.due = *step.due;
        a.created_by = step.actor.name;
        a.created_at = now;
        auto with_new = actions;
        with_new.push_back(a);
        if (plan_complete(t, with_new))
            set_status(TicketStatus::action_planned);
        detail("for", std::string(to_string(a.target)));
        detail("text", a.text);
        detail("responsible", a.responsible);
        detail("due", format_iso8601_utc(a.due));
        out.new_action = std::move(a);
        out.audit_action = "action.planned";
        break;
    }
    case StepKind::update_action: {
        auto it = std::find_if(actions.begin(), actions.end(),
                               [&](const CorrectiveAction& a) { return a.id == step.action_id; });
        if (it == actions.end())
            return make_error(ErrorKind::not_found, "workflow.no_action",
                              "Ticket " + t.number + " has no corrective action " + std::to_string(step.action_id) +
                                  ".");
        auto state = action_state_from_string(step.action_state);
        if (!state || *state == ActionState::open)
            return invalid(required("state", "\"done\" or \"verified\""));
        CorrectiveAction a = *it;
        if (*state == ActionState::done) {
            if (a.state != ActionState::open)
                return conflict("Action " + std::to_string(a.id) + " is " + std::string(to_string(a.state)) +
                                " already.");
            a.done_at = now;
        } else {
            // Handbook 003: a fix is checked later by whoever can tell whether it worked.
            if (a.state != ActionState::done)
                return conflict("Action " + std::to_string(a.id) + " is " + std::string(to_string(a.state)) +
                                ": mark it done before verifying that it worked.");
            a.verified_at = now;
            a.verified_by = step.actor.name;
        }
        a.state = *state;
        if (!trim(step.note).empty())
            a.note = std::string(trim(step.note));
        detail("action", std::to_string(a.id));
        detail("state", std::string(to_string(a.state)));
        if (!a.note.empty())
            detail("note", a.note);
        out.changed_action = std::move(a);
        out.audit_action = *state == ActionState::done ? "action.done" : "action.verified";
        break;
    }
    case StepKind::assign: {
        std::string to(trim(step.assignee));
        if (to == t.assignee)
            return conflict("Ticket " + t.number + " is assigned to " + (to.empty() ? std::string("the owner") : to) +
                            " already.");
        detail("from", t.assignee);
        detail("to", to);
        t.assignee = to;
        out.assignee_changed = !to.empty();
        out.audit_action = "ticket.assigned";
        break;
    }
    case StepKind::department: {
        if (rules.departments.empty())
            return invalid("No departments are configured (workflow.departments).");
        const Department* d = rules.department(step.department);
        if (!d) {
            std::vector<std::string> names;
            for (const auto& dep : rules.departments)
                names.push_back(dep.name);
            return invalid("Unknown department \"" + step.department + "\"; known: " + join(names) + ".");
        }
        if (!step.category.empty() &&
            std::find(d->categories.begin(), d->categories.end(), step.category) == d->categories.end())
            return invalid("Department " + d->name + " has no category \"" + step.category +
                           "\"; known: " + join(d->categories) + ".");
        t.department = d->name;
        t.category = step.category;
        detail("department", t.department);
        detail("category", t.category);
        if (t.assignee.empty() && !d->default_assignee.empty()) {
            t.assignee = d->default_assignee;
            out.assignee_changed = true;
            detail("assignee", t.assignee);
        }
        out.audit_action = "ticket.department";
        break;
    }
    case StepKind::resolve: {
        if (trim(step.summary).empty())
            return invalid(required("summary", "what was found and done, for the customer's letter"));
        if (is_complaint(t))
            if (auto open = open_customer_action(actions))
                return conflict("Cannot resolve " + t.number + ": the action for the customer \"" + *open +
                                "\" is not done yet.");
        set_status(TicketStatus::resolved);
        t.resolved_at = now;
        detail("summary", step.summary);
        out.audit_action = "ticket.resolved";
        out.letter = "resolution";
        first_response();
        out.deadlines.push_back(DeadlineEffect::resolved);
        break;
    }
    case StepKind::signoff: {
        if (std::find(rules.resolution_codes.begin(), rules.resolution_codes.end(), step.code) ==
            rules.resolution_codes.end())
            return invalid("Unknown resolution code \"" + step.code + "\"; known: " + join(rules.resolution_codes) +
                           ".");
        set_status(TicketStatus::closed);
        t.resolution_code = step.code;
        t.closed_at = now;
        detail("code", step.code);
        out.audit_action = "ticket.signed_off";
        out.letter = "survey";
        out.deadlines.push_back(DeadlineEffect::closed);
        break;
    }
    case StepKind::reopen: {
        if (trim(step.reason).empty())
            return invalid(required("reason", "say why the matter is open again"));
        set_status(TicketStatus::investigating);
        t.resolved_at.reset();
        t.closed_at.reset();
        t.resolution_code.clear();
        detail("reason", step.reason);
        out.audit_action = "ticket.reopened";
        out.deadlines.push_back(DeadlineEffect::reopened);
        break;
    }
    case StepKind::reply: {
        if (trim(step.text).empty())
            return invalid(required("text", "the words of the reply"));
        out.audit_action = "ticket.replied";
        out.letter = step.letter_template.empty() ? std::string("reply") : step.letter_template;
        if (!step.letter_template.empty())
            detail("template", step.letter_template);
        first_response();
        break;
    }
    case StepKind::responded: {
        // Answering a new complaint (by phone, say) starts the investigation.
        if (any_of_status(t.status, {TicketStatus::new_ticket, TicketStatus::acknowledged}))
            set_status(TicketStatus::investigating);
        if (!trim(step.note).empty())
            detail("note", step.note);
        out.audit_action = "ticket.responded";
        first_response();
        break;
    }
    case StepKind::waiting: {
        t.awaiting_customer = true;
        if (!trim(step.note).empty())
            detail("note", step.note);
        out.audit_action = "ticket.waiting_for_customer";
        out.deadlines.push_back(DeadlineEffect::waiting);
        break;
    }
    case StepKind::reclassify: {
        if (trim(step.reason).empty())
            return invalid(required("reason", "say why the classifier was wrong; it is kept with the example"));
        std::optional<Kind> kind =
            step.new_kind.empty() ? std::optional<Kind>(t.kind) : kind_from_string(step.new_kind);
        if (!kind)
            return invalid("\"kind\" must be one of complaint, gratitude, question, suggestion, spam, automatic, "
                           "other; found \"" +
                           step.new_kind + "\".");
        std::optional<Severity> severity;
        if (!step.new_severity.empty()) {
            severity = severity_from_string(step.new_severity);
            if (!severity)
                return invalid("\"severity\" must be \"normal\" or \"major\"; found \"" + step.new_severity + "\".");
        } else {
            // A kind that is no complaint has no major (the classifier decides the same way).
            severity = *kind == Kind::complaint ? t.severity : Severity::normal;
        }
        if (*severity == Severity::major && *kind != Kind::complaint)
            return invalid("\"severity\": major is a complaint's severity; a " + std::string(to_string(*kind)) +
                           " is normal.");
        if (*kind == t.kind && *severity == t.severity)
            return conflict("Ticket " + t.number + " is a " + std::string(to_string(t.kind)) + " of " +
                            std::string(to_string(t.severity)) + " severity already.");
        if (*kind != t.kind && is_complaint(t) && (!t.verdict.empty() || !actions.empty()))
            return conflict("Cannot reclassify " + t.number +
                            ": it was handled as a complaint (a verdict or corrective actions); only its severity "
                            "can change.");
        detail("from_kind", std::string(to_string(t.kind)));
        detail("from_severity", std::string(to_string(t.severity)));
        detail("kind", std::string(to_string(*kind)));
        detail("severity", std::string(to_string(*severity)));
        detail("reason", std::string(trim(step.reason)));
        t.kind = *kind;
        t.severity = *severity;
        out.audit_action = "ticket.reclassified";
        out.deadlines.push_back(DeadlineEffect::reclassified);
        // A message that got no acknowledgement (spam, automatic mail, "other") and turns out to be
        // a complaint or a question gets the one a new message of its kind gets. One that got an
        // acknowledgement, or a person's answer, is not acknowledged twice.
        if (t.status == TicketStatus::new_ticket && !t.first_responded_at)
            if (auto letter = acknowledgement_for(t.kind)) {
                out.letter = *letter;
                out.acknowledgement = true;
                set_status(TicketStatus::acknowledged);
            }
        break;
    }
    case StepKind::note: {
        if (trim(step.text).empty())
            return invalid(required("text", "the note's words"));
        out.new_note = Note{0, t.id, step.actor.name, now, std::string(trim(step.text))};
        out.audit_action = "note.added";
        break;
    }
    }
    return out;
}

}  // namespace redress::tickets
