#pragma once
// What people add to a ticket while they work it: who they are, the corrective actions they plan,
// their internal notes. Plain types; the rules about them are in daemon/tickets/workflow.hpp.

#include "common/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace redress {

// Agents work tickets; managers also sign off, reassign and edit templates; the owner also manages
// people and sees everything.
enum class Role { agent, manager, owner };
std::string_view to_string(Role role);
std::optional<Role> role_from_string(std::string_view text);

// Who takes a step: a person signed in, or the system (the pipeline, the scheduler).
struct Actor {
    std::string name;  // the person's login name, or "system"
    Role role = Role::agent;
};

enum class Verdict { justified, unjustified };
std::string_view to_string(Verdict verdict);
std::optional<Verdict> verdict_from_string(std::string_view text);

// Handbook 000 and 003: one fix for this customer, one for the process, and a check later that the
// process fix worked.
enum class ActionFor { customer, process };
enum class ActionState { open, done, verified };
std::string_view to_string(ActionFor target);
std::optional<ActionFor> action_for_from_string(std::string_view text);
std::string_view to_string(ActionState state);
std::optional<ActionState> action_state_from_string(std::string_view text);

struct CorrectiveAction {
    std::int64_t id = 0;
    std::int64_t ticket_id = 0;
    ActionFor target = ActionFor::customer;
    std::string text;
    std::string responsible;  // who does it ("Name <address>" or a login name)
    TimePoint due{};
    ActionState state = ActionState::open;
    std::string created_by;
    TimePoint created_at{};
    std::optional<TimePoint> done_at;
    std::optional<TimePoint> verified_at;
    std::string verified_by;
    std::string note;  // what was done, or how the check went
};

// An internal note: never sent to the customer.
struct Note {
    std::int64_t id = 0;
    std::int64_t ticket_id = 0;
    std::string author;
    TimePoint at{};
    std::string text;
};

}  // namespace redress
