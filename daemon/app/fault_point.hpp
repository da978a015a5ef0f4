#pragma once
// Fault points, for the crash tests only. `redress serve` reads the environment variable
// REDRESS_FAULT once at start; at the point it names, the daemon ends at once with
// _exit(k_fault_exit_code), as a power cut or a kill -9 would end it, but at an exact place that a
// signal from outside cannot hit. Without the variable (the only way an installation runs) every
// point is a comparison of two enums and nothing else.
//
//   REDRESS_FAULT=chat_hook_after_commit   POST /hooks/{chat}: right after the pipeline committed a
//                                          new message, before the webhook is answered. The
//                                          platform sees no answer and sends the update again.
//
// A value that names no point stops `serve` at start (exit 2): a test that asks for a crash must
// get it, not a daemon that silently runs on.

#include <optional>
#include <string_view>

namespace redress::app {

enum class FaultPoint {
    none,
    chat_hook_after_commit,
};

// The exit status at a fault point: neither a clean stop (0) nor a refused start (2).
inline constexpr int k_fault_exit_code = 86;

// REDRESS_FAULT's value read: none for an empty or missing value, nullopt for an unknown name.
std::optional<FaultPoint> fault_point_named(std::string_view name);
std::string_view to_string(FaultPoint point);

// Ends the process here when `armed` is `here` (a log line first, then _exit without running any
// destructor, flushing any buffer or finishing any transaction of another thread).
void reach_fault_point(FaultPoint armed, FaultPoint here);

}  // namespace redress::app
