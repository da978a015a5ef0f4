#pragma once
// The second half of the complaint handbooks' method, as pure rules: who may take which step on a
// ticket in which state, what each step changes, and which letter it asks for. The service that
// applies a step (one store transaction with its audit row, clock rows, letters and the version
// check) and the two front doors (HTTP API, CLI) call decide() and nothing else decides.
//
//   take -> investigating (assigned to the actor unless someone has it)
//   verdict justified | unjustified (complaints; a reason)          letter: apology | unjustified
//   actions: at least one for this customer, and for a justified complaint one for the process too
//            -> action_planned once the plan is complete
//   resolve (a summary; a complaint's customer actions done)        letter: resolution
//   sign-off by a manager with a resolution code -> closed          letter: survey (after a delay)
//   reopen (a reason) -> investigating
//   reply (a person's letter; the first one is the first response)  letter: reply
//   note, assign, department: no status change
//   reclassify (kind, severity, a reason; not after sign-off)      letter: the acknowledgement of the
//            new kind when none went out yet; deadlines follow the new policy, counted from the opening
//
// Refusals are errors of kind `refused` (the role may not: 403), `conflict` (not in this state:
// 409) or `invalid` (a field is missing or wrong: 422); the ticket is unchanged.

#include "common/result.hpp"
#include "model/ticket.hpp"
#include "model/workflow.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace redress::tickets {

enum class StepKind {
    take,
    verdict,
    add_action,
    update_action,
    assign,
    department,
    resolve,
    signoff,
    reopen,
    reply,
    note,
    responded,  // a person answered outside Redress (by phone): the first response, no letter
    waiting,    // we wait for the customer: deadlines pause until the customer writes
    reclassify  // a person corrects the classifier: the ticket's kind and severity
};
std::string_view to_string(StepKind kind);
// The names the API and the CLI use: "take", "verdict", "actions" (add), "action" (update), "assign",
// "department", "resolve", "signoff", "reopen", "reply", "notes" (or "note"), "responded", "waiting",
// "reclassify".
std::optional<StepKind> step_from_string(std::string_view text);

struct Step {
    StepKind kind = StepKind::note;
    Actor actor;
    std::string verdict;          // "justified" | "unjustified"
    std::string reason;           // verdict, reopen, reclassify
    std::string new_kind;         // reclassify: "complaint", "question", ...
    std::string new_severity;     // reclassify: "normal" | "major"
    std::string offer;            // an unjustified verdict: what we still offer the customer (handbook 000)
    std::string text;             // action, reply, note
    std::string letter_template;  // reply: start from this template instead of "reply"
    std::string summary;          // resolve
    std::string code;             // sign-off
    std::string assignee;
    std::string department;
    std::string category;
    // Corrective actions.
    std::string target;  // "customer" | "process"
    std::string responsible;
    std::optional<TimePoint> due;
    std::int64_t action_id = 0;
    std::string action_state;  // "done" | "verified"
    std::string note;          // what was done, how the check went
};

struct Department {
    std::string name;
    std::string default_assignee;  // "Name <address>"; empty: the owner
    std::vector<std::string> categories;
};

// The parts of the config the rules read (workflow.*).
struct WorkflowRules {
    std::vector<std::string> resolution_codes;  // workflow.resolution_codes[].code
    std::vector<Department> departments;
    const Department* department(std::string_view name) const;
};

// What a step does to deadlines: the service writes the matching clock rows.
enum class DeadlineEffect { first_response, resolved, reopened, closed, waiting, reclassified };

struct Outcome {
    Ticket ticket;             // after the step, version raised
    std::string audit_action;  // "ticket.taken", "ticket.verdict", ...
    std::vector<std::pair<std::string, std::string>> audit_detail;
    std::optional<std::string> letter;  // the customer letter the step sends (a template name)
    // The letter is the automatic acknowledgement a new ticket of this kind gets (reclassify: none
    // went out under the old kind), not a person's letter.
    bool acknowledgement = false;
    std::optional<CorrectiveAction> new_action;
    std::optional<CorrectiveAction> changed_action;
    std::optional<Note> new_note;
    std::vector<DeadlineEffect> deadlines;
    bool assignee_changed = false;  // the new assignee is told
};

// The letter that acknowledges a new message of this kind ("acknowledgement" for a complaint,
// "question_received", ...), or nullopt for kinds that get none (spam, automatic mail, other).
std::optional<std::string> acknowledgement_for(Kind kind);
// Every such letter's template name: the loop guard's hourly cap counts them together.
std::vector<std::string> acknowledgement_letters();

// Whether the role may take this kind of step at all (the state aside).
bool role_may(Role role, StepKind kind);

// The step applied to the ticket and its actions, or the refusal. `now` stamps what changes.
Result<Outcome> decide(const Ticket& ticket, const std::vector<CorrectiveAction>& actions, const Step& step,
                       const WorkflowRules& rules, TimePoint now);

// The steps this role could take now (the web page shows exactly these buttons). Steps that need
// fields (a reason, a summary) are listed when the state allows them.
std::vector<StepKind> available_steps(const Ticket& ticket, const std::vector<CorrectiveAction>& actions, Role role);

// Whether the plan of corrective actions is complete for the verdict: at least one action for this
// customer, and for a justified complaint one for the process too.
bool plan_complete(const Ticket& ticket, const std::vector<CorrectiveAction>& actions);

}  // namespace redress::tickets
