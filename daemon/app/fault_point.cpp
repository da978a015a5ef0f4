#include "fault_point.hpp"

#include "common/log.hpp"

#include <unistd.h>

namespace redress::app {

std::optional<FaultPoint> fault_point_named(std::string_view name)
{
    if (name.empty() || name == "none")
        return FaultPoint::none;
    if (name == "chat_hook_after_commit")
        return FaultPoint::chat_hook_after_commit;
    return std::nullopt;
}

std::string_view to_string(FaultPoint point)
{
    switch (point) {
    case FaultPoint::none:
        return "none";
    case FaultPoint::chat_hook_after_commit:
        return "chat_hook_after_commit";
    }
    return "none";
}

void reach_fault_point(FaultPoint armed, FaultPoint here)
{
    if (armed == FaultPoint::none || armed != here)
        return;
    // The log goes to stderr, which is not buffered: the line is out before the process is gone.
    log::warn("fault.reached", {{"point", std::string(to_string(here))}});
    ::_exit(k_fault_exit_code);
}

}  // namespace redress::app
