#include "tickets/workflow.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace redress;
using tickets::DeadlineEffect;
using tickets::Step;
using tickets::StepKind;

namespace {

TimePoint at(const char* iso)
{
    return *parse_iso8601(iso);
}

Ticket complaint()
{
    Ticket t;
    t.id = 7;
    t.number = "RD-000007";
    t.kind = Kind::complaint;
    t.status = TicketStatus::acknowledged;
    return t;
}

tickets::WorkflowRules rules()
{
    tickets::WorkflowRules r;
    r.resolution_codes = {"FIXED", "REFUNDED", "NO_FAULT"};
    r.departments = {{"Delivery", "Dora <dora@example.com>", {"late", "damaged"}}, {"Billing", "", {}}};
    return r;
}

Step step(StepKind kind, Role role = Role::agent, std::string name = "alice")
{
    Step s;
    s.kind = kind;
    s.actor = Actor{std::move(name), role};
    return s;
}

// Carries a ticket through a step and keeps what the store would keep.
struct Case {
    Ticket ticket = complaint();
    std::vector<CorrectiveAction> actions;
    TimePoint now = at("2026-11-30T10:00:00Z");

    Result<tickets::Outcome> take(const Step& s)
    {
        auto out = tickets::decide(ticket, actions, s, rules(), now);
        if (out) {
            ticket = out->ticket;
            if (out->new_action) {
                actions.push_back(*out->new_action);
                actions.back().id = static_cast<std::int64_t>(actions.size());
            }
            if (out->changed_action)
                for (auto& a : actions)
                    if (a.id == out->changed_action->id)
                        a = *out->changed_action;
        }
        return out;
    }
};

Step verdict(std::string v, std::string reason)
{
    Step s = step(StepKind::verdict);
    s.verdict = std::move(v);
    s.reason = std::move(reason);
    return s;
}

Step action(std::string target, std::string text)
{
    Step s = step(StepKind::add_action);
    s.target = std::move(target);
    s.text = std::move(text);
    s.responsible = "Bob <bob@example.com>";
    s.due = at("2026-12-04T00:00:00Z");
    return s;
}

Step resolve(std::string summary)
{
    Step s = step(StepKind::resolve);
    s.summary = std::move(summary);
    return s;
}

Step mark(std::int64_t id, std::string state)
{
    Step s = step(StepKind::update_action);
    s.action_id = id;
    s.action_state = std::move(state);
    return s;
}

}  // namespace

TEST(Workflow, AJustifiedComplaintGoesFromTakeToSignOff)
{
    Case c;
    auto taken = c.take(step(StepKind::take));
    ASSERT_TRUE(taken) << taken.error().message;
    EXPECT_EQ(c.ticket.status, TicketStatus::investigating);
    EXPECT_EQ(c.ticket.assignee, "alice");
    EXPECT_TRUE(taken->assignee_changed);
    EXPECT_FALSE(taken->letter);

    auto v = c.take(verdict("justified", "the courier dropped the parcel"));
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(c.ticket.status, TicketStatus::justified);
    EXPECT_EQ(v->letter, "apology");
    EXPECT_EQ(c.ticket.first_responded_at, c.now);
    ASSERT_EQ(v->deadlines.size(), 1u);
    EXPECT_EQ(v->deadlines[0], DeadlineEffect::first_response);

    ASSERT_TRUE(c.take(action("customer", "send a new kettle")));
    // A justified complaint needs a fix for the process too before the plan is complete.
    EXPECT_EQ(c.ticket.status, TicketStatus::justified);
    ASSERT_TRUE(c.take(action("process", "pad parcels with glass goods")));
    EXPECT_EQ(c.ticket.status, TicketStatus::action_planned);

    // The customer's fix must be done before the resolution letter.
    auto early = c.take(resolve("a new kettle is on its way"));
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error().kind, ErrorKind::conflict);
    ASSERT_TRUE(c.take(mark(1, "done")));
    auto resolved = c.take(resolve("a new kettle is on its way"));
    ASSERT_TRUE(resolved) << resolved.error().message;
    EXPECT_EQ(c.ticket.status, TicketStatus::resolved);
    EXPECT_EQ(resolved->letter, "resolution");
    EXPECT_EQ(c.ticket.resolved_at, c.now);

    Step signoff = step(StepKind::signoff, Role::manager, "maria");
    signoff.code = "FIXED";
    auto closed = c.take(signoff);
    ASSERT_TRUE(closed) << closed.error().message;
    EXPECT_EQ(c.ticket.status, TicketStatus::closed);
    EXPECT_EQ(c.ticket.resolution_code, "FIXED");
    EXPECT_EQ(closed->letter, "survey");

    // The process fix is checked later, after the ticket is closed.
    ASSERT_TRUE(c.take(mark(2, "done")));
    auto verified = c.take(mark(2, "verified"));
    ASSERT_TRUE(verified) << verified.error().message;
    EXPECT_EQ(c.actions[1].state, ActionState::verified);
    EXPECT_EQ(c.actions[1].verified_by, "alice");
    EXPECT_EQ(c.ticket.version, 10);
}

TEST(Workflow, AnUnjustifiedComplaintNeedsOnlyTheCustomersWayOut)
{
    Case c;
    ASSERT_TRUE(c.take(step(StepKind::take)));
    auto v = c.take(verdict("unjustified", "the parcel was delivered on the promised day"));
    ASSERT_TRUE(v);
    EXPECT_EQ(v->letter, "unjustified");
    ASSERT_TRUE(c.take(action("customer", "offer a 10% voucher all the same")));
    EXPECT_EQ(c.ticket.status, TicketStatus::action_planned);
}

TEST(Workflow, StepsOutOfOrderAreRefusedAndChangeNothing)
{
    Case c;
    auto r = c.take(resolve("done"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::conflict);
    EXPECT_NE(r.error().message.find("verdict"), std::string::npos);
    auto v = c.take(verdict("justified", "x"));
    ASSERT_FALSE(v);
    EXPECT_NE(v.error().message.find("take the ticket first"), std::string::npos);
    auto a = c.take(action("customer", "x"));
    ASSERT_FALSE(a);
    EXPECT_EQ(c.ticket.status, TicketStatus::acknowledged);
    EXPECT_EQ(c.ticket.version, 1);
}

TEST(Workflow, MissingFieldsAreInvalid)
{
    Case c;
    ASSERT_TRUE(c.take(step(StepKind::take)));
    EXPECT_EQ(c.take(verdict("justified", "  ")).error().kind, ErrorKind::invalid);
    EXPECT_EQ(c.take(verdict("maybe", "because")).error().kind, ErrorKind::invalid);
    ASSERT_TRUE(c.take(verdict("justified", "because")));
    Step no_due = action("customer", "refund");
    no_due.due.reset();
    EXPECT_EQ(c.take(no_due).error().kind, ErrorKind::invalid);
    EXPECT_EQ(c.take(action("supplier", "refund")).error().kind, ErrorKind::invalid);
    EXPECT_EQ(c.take(step(StepKind::note)).error().kind, ErrorKind::invalid);
    EXPECT_EQ(c.take(step(StepKind::reply)).error().kind, ErrorKind::invalid);
}

TEST(Workflow, OnlyManagersSignOffAndReassign)
{
    Case c;
    c.ticket.status = TicketStatus::resolved;
    Step agent_signoff = step(StepKind::signoff, Role::agent);
    agent_signoff.code = "FIXED";
    auto r = c.take(agent_signoff);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::refused);
    Step assign = step(StepKind::assign, Role::agent);
    assign.assignee = "bob";
    EXPECT_EQ(c.take(assign).error().kind, ErrorKind::refused);
    assign.actor.role = Role::owner;
    EXPECT_TRUE(c.take(assign));
    EXPECT_EQ(c.ticket.assignee, "bob");
}

TEST(Workflow, SignOffNeedsAKnownResolutionCode)
{
    Case c;
    c.ticket.status = TicketStatus::resolved;
    Step s = step(StepKind::signoff, Role::manager);
    s.code = "MAGIC";
    auto r = c.take(s);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_NE(r.error().message.find("FIXED"), std::string::npos);
}

TEST(Workflow, QuestionsAreAnsweredAndResolvedWithoutVerdict)
{
    Case c;
    c.ticket.kind = Kind::question;
    c.ticket.status = TicketStatus::new_ticket;
    EXPECT_EQ(c.take(verdict("justified", "x")).error().kind, ErrorKind::conflict);
    Step reply = step(StepKind::reply);
    reply.text = "The shop opens at nine.";
    auto replied = c.take(reply);
    ASSERT_TRUE(replied);
    EXPECT_EQ(replied->letter, "reply");
    EXPECT_TRUE(c.ticket.first_responded_at);
    auto resolved = c.take(resolve("answered the opening hours"));
    ASSERT_TRUE(resolved) << resolved.error().message;
    EXPECT_EQ(c.ticket.status, TicketStatus::resolved);
}

TEST(Workflow, ReopenNeedsAReasonAndClearsTheResolution)
{
    Case c;
    c.ticket.status = TicketStatus::closed;
    c.ticket.resolved_at = c.now;
    c.ticket.closed_at = c.now;
    c.ticket.resolution_code = "FIXED";
    Step s = step(StepKind::reopen);
    EXPECT_EQ(c.take(s).error().kind, ErrorKind::invalid);
    s.reason = "the new kettle leaks too";
    auto r = c.take(s);
    ASSERT_TRUE(r);
    EXPECT_EQ(c.ticket.status, TicketStatus::investigating);
    EXPECT_FALSE(c.ticket.resolved_at);
    EXPECT_TRUE(c.ticket.resolution_code.empty());
    ASSERT_EQ(r->deadlines.size(), 1u);
    EXPECT_EQ(r->deadlines[0], DeadlineEffect::reopened);
}

TEST(Workflow, DepartmentsAndCategoriesComeFromTheRulesAndBringTheirAssignee)
{
    Case c;
    Step s = step(StepKind::department);
    s.department = "Kitchen";
    EXPECT_EQ(c.take(s).error().kind, ErrorKind::invalid);
    s.department = "Delivery";
    s.category = "lost";
    EXPECT_EQ(c.take(s).error().kind, ErrorKind::invalid);
    s.category = "damaged";
    auto r = c.take(s);
    ASSERT_TRUE(r);
    EXPECT_EQ(c.ticket.department, "Delivery");
    EXPECT_EQ(c.ticket.assignee, "Dora <dora@example.com>");
    EXPECT_TRUE(r->assignee_changed);
}

TEST(Workflow, AnActionIsDoneBeforeItIsVerified)
{
    Case c;
    ASSERT_TRUE(c.take(step(StepKind::take)));
    ASSERT_TRUE(c.take(verdict("unjustified", "x")));
    ASSERT_TRUE(c.take(action("customer", "voucher")));
    EXPECT_EQ(c.take(mark(1, "verified")).error().kind, ErrorKind::conflict);
    EXPECT_EQ(c.take(mark(9, "done")).error().kind, ErrorKind::not_found);
    ASSERT_TRUE(c.take(mark(1, "done")));
    EXPECT_EQ(c.take(mark(1, "done")).error().kind, ErrorKind::conflict);
}

TEST(Workflow, AvailableStepsFollowTheRoleAndState)
{
    Case c;
    auto has = [](const std::vector<StepKind>& steps, StepKind k) {
        return std::find(steps.begin(), steps.end(), k) != steps.end();
    };
    auto agent = tickets::available_steps(c.ticket, c.actions, Role::agent);
    EXPECT_TRUE(has(agent, StepKind::take));
    EXPECT_FALSE(has(agent, StepKind::verdict));
    EXPECT_FALSE(has(agent, StepKind::assign));
    c.ticket.status = TicketStatus::resolved;
    EXPECT_FALSE(has(tickets::available_steps(c.ticket, c.actions, Role::agent), StepKind::signoff));
    EXPECT_TRUE(has(tickets::available_steps(c.ticket, c.actions, Role::manager), StepKind::signoff));
}

TEST(Workflow, StepNamesRoundTrip)
{
    for (auto kind : {StepKind::take, StepKind::verdict, StepKind::add_action, StepKind::update_action,
                      StepKind::assign, StepKind::department, StepKind::resolve, StepKind::signoff, StepKind::reopen,
                      StepKind::reply, StepKind::note, StepKind::reclassify})
        EXPECT_EQ(tickets::step_from_string(tickets::to_string(kind)), kind);
    EXPECT_FALSE(tickets::step_from_string("approve"));
}

namespace {

Step reclassify(std::string kind, std::string severity, std::string reason = "The classifier missed the refund")
{
    Step s = step(StepKind::reclassify);
    s.new_kind = std::move(kind);
    s.new_severity = std::move(severity);
    s.reason = std::move(reason);
    return s;
}

std::string detail_of(const tickets::Outcome& out, const std::string& key)
{
    for (const auto& [k, v] : out.audit_detail)
        if (k == key)
            return v;
    return "(none)";
}

}  // namespace

TEST(Reclassify, ChangesKindAndSeverityAndKeepsTheOldValuesInTheAudit)
{
    Case c;
    c.ticket.kind = Kind::question;
    c.ticket.status = TicketStatus::acknowledged;
    auto out = c.take(reclassify("complaint", "major"));
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_EQ(c.ticket.kind, Kind::complaint);
    EXPECT_EQ(c.ticket.severity, Severity::major);
    EXPECT_EQ(c.ticket.version, 2);
    EXPECT_EQ(out->audit_action, "ticket.reclassified");
    EXPECT_EQ(detail_of(*out, "from_kind"), "question");
    EXPECT_EQ(detail_of(*out, "from_severity"), "normal");
    EXPECT_EQ(detail_of(*out, "kind"), "complaint");
    EXPECT_EQ(detail_of(*out, "severity"), "major");
    EXPECT_EQ(detail_of(*out, "reason"), "The classifier missed the refund");
    ASSERT_EQ(out->deadlines.size(), 1U);
    EXPECT_EQ(out->deadlines[0], DeadlineEffect::reclassified);
    // The question was acknowledged already: no second acknowledgement, the status stays.
    EXPECT_FALSE(out->letter);
    EXPECT_EQ(c.ticket.status, TicketStatus::acknowledged);
}

TEST(Reclassify, AMessageThatGotNoAcknowledgementGetsTheOneOfItsNewKind)
{
    Case c;
    c.ticket.kind = Kind::spam;
    c.ticket.status = TicketStatus::new_ticket;
    auto out = c.take(reclassify("complaint", "normal"));
    ASSERT_TRUE(out) << out.error().message;
    ASSERT_TRUE(out->letter);
    EXPECT_EQ(*out->letter, "acknowledgement");
    EXPECT_TRUE(out->acknowledgement);
    EXPECT_EQ(c.ticket.status, TicketStatus::acknowledged);

    // Spam stays unanswered: a complaint corrected to spam gets no letter.
    Case s;
    s.ticket.status = TicketStatus::new_ticket;
    auto to_spam = s.take(reclassify("spam", ""));
    ASSERT_TRUE(to_spam) << to_spam.error().message;
    EXPECT_FALSE(to_spam->letter);
    EXPECT_EQ(s.ticket.status, TicketStatus::new_ticket);
    EXPECT_EQ(s.ticket.severity, Severity::normal);

    // A person answered already: no acknowledgement after the answer.
    Case answered;
    answered.ticket.kind = Kind::other;
    answered.ticket.status = TicketStatus::new_ticket;
    answered.ticket.first_responded_at = answered.now;
    auto late = answered.take(reclassify("question", ""));
    ASSERT_TRUE(late) << late.error().message;
    EXPECT_FALSE(late->letter);
}

TEST(Reclassify, NeedsAReasonAndValidValues)
{
    Case c;
    auto no_reason = c.take(reclassify("question", "normal", "  "));
    ASSERT_FALSE(no_reason);
    EXPECT_TRUE(no_reason.error().is(ErrorKind::invalid));
    EXPECT_NE(no_reason.error().message.find("\"reason\""), std::string::npos);

    auto bad_kind = c.take(reclassify("complain", "normal"));
    ASSERT_FALSE(bad_kind);
    EXPECT_TRUE(bad_kind.error().is(ErrorKind::invalid));
    EXPECT_NE(bad_kind.error().message.find("\"kind\""), std::string::npos);

    auto bad_severity = c.take(reclassify("complaint", "urgent"));
    ASSERT_FALSE(bad_severity);
    EXPECT_TRUE(bad_severity.error().is(ErrorKind::invalid));

    auto major_question = c.take(reclassify("question", "major"));
    ASSERT_FALSE(major_question);
    EXPECT_TRUE(major_question.error().is(ErrorKind::invalid));

    auto same = c.take(reclassify("complaint", "normal"));
    ASSERT_FALSE(same);
    EXPECT_TRUE(same.error().is(ErrorKind::conflict));
    EXPECT_EQ(c.ticket.version, 1);
    EXPECT_EQ(c.ticket.kind, Kind::complaint);
}

TEST(Reclassify, OnlySeverityChangesOnceTheComplaintHasAVerdictAndNothingAfterSignOff)
{
    Case c;
    c.ticket.status = TicketStatus::investigating;
    ASSERT_TRUE(c.take(verdict("justified", "Broken in transit")));
    auto kind = c.take(reclassify("question", ""));
    ASSERT_FALSE(kind);
    EXPECT_TRUE(kind.error().is(ErrorKind::conflict));
    auto severity = c.take(reclassify("", "major"));
    ASSERT_TRUE(severity) << severity.error().message;
    EXPECT_EQ(c.ticket.severity, Severity::major);
    EXPECT_EQ(c.ticket.kind, Kind::complaint);

    c.ticket.status = TicketStatus::resolved;
    EXPECT_TRUE(c.take(reclassify("", "normal")));
    c.ticket.status = TicketStatus::closed;
    auto closed = c.take(reclassify("", "major"));
    ASSERT_FALSE(closed);
    EXPECT_TRUE(closed.error().is(ErrorKind::conflict));
    auto steps = tickets::available_steps(c.ticket, c.actions, Role::owner);
    EXPECT_EQ(std::find(steps.begin(), steps.end(), StepKind::reclassify), steps.end());
}

TEST(Reclassify, EveryStaffRoleMayCorrectTheClassifier)
{
    Case c;
    for (Role role : {Role::agent, Role::manager, Role::owner}) {
        auto steps = tickets::available_steps(c.ticket, c.actions, role);
        EXPECT_NE(std::find(steps.begin(), steps.end(), StepKind::reclassify), steps.end());
    }
    EXPECT_EQ(tickets::acknowledgement_for(Kind::question), "question_received");
    EXPECT_FALSE(tickets::acknowledgement_for(Kind::spam));
}
