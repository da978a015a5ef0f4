#pragma once
// Who may call which route, said once: the authentication hook every request goes through.
//
//   public   no credentials: POST /api/v1/session, POST /api/v1/setup (its token is the credential),
//            /api/v1/openapi.json, the customer pages, the staff page's files, /healthz, /metrics
//   agent    any signed-in person (agent < manager < owner): tickets, templates read, /me
//   manager  templates written and restored, /config/workflow, /reports/*, merging customers (and undoing it)
//            and tickets (sign-off and assign are the
//            ticket rules' own refusals, tickets::role_may)
//   owner    people and their tokens, a customer's data exported or erased
//
// Credentials: `Authorization: Bearer <token>`, or the `redress_session` cookie from POST /session.
// A request that changes something (not GET/HEAD/OPTIONS) with a cookie also carries the session's
// CSRF token in `X-CSRF-Token`; a browser sends the cookie to us whoever wrote the page, but only our
// page knows the token. No or bad credentials: 401 with `WWW-Authenticate: Bearer`. The wrong role or
// a missing CSRF token: 403.

#include "context.hpp"
#include "http/request.hpp"
#include "model/workflow.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace redress::api {

inline constexpr std::string_view k_session_cookie = "redress_session";

enum class Access { open, agent, manager, owner };
Access access_of(std::string_view method, std::string_view route);

// The hook: nullopt lets the request through with attributes "user" and "role" set (for routes that
// need someone; "csrf" too for a session cookie), else the 401/403 answer.
std::optional<http::Response> authenticate(http::Request& request, service::PeopleService& people);

// The person the hook let through ("system" as an agent when none: a public route).
Actor actor_of(const http::Request& request);

// The value of one cookie in the Cookie header (RFC 6265 5.4), if any.
std::optional<std::string> cookie_value(const http::Request& request, std::string_view name);

}  // namespace redress::api
