#include "access.hpp"

#include "auth/secrets.hpp"
#include "errors.hpp"
#include "service/people.hpp"

namespace redress::api {

namespace {

int rank(Role role)
{
    switch (role) {
    case Role::agent:
        return 1;
    case Role::manager:
        return 2;
    case Role::owner:
        return 3;
    }
    return 0;
}

int rank(Access access)
{
    switch (access) {
    case Access::open:
        return 0;
    case Access::agent:
        return 1;
    case Access::manager:
        return 2;
    case Access::owner:
        return 3;
    }
    return 3;
}

http::Response unauthorized(std::string_view code, std::string_view message, bool bad_token)
{
    // RFC 6750 3: the challenge; "invalid_token" when a token was sent and is no good.
    return http::error_response(401, code, message)
        .with_header("WWW-Authenticate",
                     bad_token ? R"(Bearer realm="redress", error="invalid_token")" : R"(Bearer realm="redress")");
}

bool changes_something(std::string_view method)
{
    return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace

Access access_of(std::string_view method, std::string_view route)
{
    constexpr std::string_view api = "/api/v1";
    if (!route.starts_with(api))
        return Access::open;  // /healthz, /metrics, the customer pages, the chat webhooks
    std::string_view path = route.substr(api.size());
    if (path == "/openapi.json" || (path == "/session" && method == "POST") || (path == "/setup" && method == "POST"))
        return Access::open;
    if (path.starts_with("/people/{name}/password"))
        return Access::agent;  // one's own password; the owner resets anyone's (api::set_password decides)
    if (path.starts_with("/people") || path.starts_with("/tokens"))
        return Access::owner;
    if (path == "/config/workflow" || path.starts_with("/reports/"))
        return Access::manager;
    // A customer's data exported or erased (docs/privacy.md).
    if (path == "/customers/{id}/export" || path == "/customers/{id}/erase")
        return Access::owner;
    // Merging customers or tickets, and undoing a customer's merge (docs/customers.md).
    if (method == "POST" &&
        (path == "/customers/{id}/merge" || path == "/customers/{id}/unmerge" || path == "/tickets/{number}/merge"))
        return Access::manager;
    if (path.starts_with("/templates/") && path != "/templates/preview" &&
        (method == "PUT" || path.ends_with("/restore")))
        return Access::manager;
    return Access::agent;
}

std::optional<std::string> cookie_value(const http::Request& request, std::string_view name)
{
    auto range = request.headers.equal_range("Cookie");
    for (auto it = range.first; it != range.second; ++it) {
        std::string_view rest = it->second;
        while (!rest.empty()) {
            auto semi = rest.find(';');
            std::string_view pair = rest.substr(0, semi);
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            while (!pair.empty() && pair.front() == ' ')
                pair.remove_prefix(1);
            auto eq = pair.find('=');
            if (eq != std::string_view::npos && pair.substr(0, eq) == name)
                return std::string(pair.substr(eq + 1));
        }
    }
    return std::nullopt;
}

std::optional<http::Response> authenticate(http::Request& request, service::PeopleService& people)
{
    Access access = access_of(request.method, request.route);
    if (access == Access::open)
        return std::nullopt;

    User user;
    if (auto header = request.header("Authorization")) {
        constexpr std::string_view scheme = "Bearer ";
        if (header->size() <= scheme.size() || header->compare(0, scheme.size(), scheme) != 0)
            return unauthorized("auth.scheme", "Send the token as Authorization: Bearer <token>.", true);
        auto who = people.authenticate_bearer(std::string_view(*header).substr(scheme.size()));
        if (!who) {
            if (!who.error().is(ErrorKind::refused))
                return error_response(who.error());
            return unauthorized("auth.token", "The token is not valid (unknown, revoked, or its user disabled).", true);
        }
        user = std::move(who).value();
    } else if (auto cookie = cookie_value(request, k_session_cookie)) {
        auto found = people.session(*cookie);
        if (!found) {
            if (!found.error().is(ErrorKind::refused))
                return error_response(found.error());
            return unauthorized("auth.session", "The session has ended; sign in again.", false);
        }
        if (changes_something(request.method)) {
            auto sent = request.header("X-CSRF-Token");
            if (!sent || !auth::secrets_equal(*sent, found->session.csrf))
                return http::error_response(403, "auth.csrf",
                                            "A change made with the session cookie needs the X-CSRF-Token header "
                                            "that POST /api/v1/session answered.");
        }
        user = std::move(found->user);
        // GET /me hands it to the page again after a reload (the page cannot read the cookie).
        request.attributes["csrf"] = found->session.csrf;
    } else {
        return unauthorized("auth.required",
                            "Sign in first: send Authorization: Bearer <token>, or the cookie from POST "
                            "/api/v1/session.",
                            false);
    }

    if (rank(user.role) < rank(access)) {
        std::string needed = access == Access::owner ? "the owner" : "a manager or the owner";
        return http::error_response(403, "auth.role",
                                    "Only " + needed + " may do this; you are signed in as " +
                                        std::string(to_string(user.role)) + ".");
    }
    request.attributes["user"] = user.name;
    request.attributes["role"] = std::string(to_string(user.role));
    return std::nullopt;
}

Actor actor_of(const http::Request& request)
{
    Actor actor{"system", Role::agent};
    if (auto it = request.attributes.find("user"); it != request.attributes.end())
        actor.name = it->second;
    if (auto it = request.attributes.find("role"); it != request.attributes.end())
        actor.role = role_from_string(it->second).value_or(Role::agent);
    return actor;
}

}  // namespace redress::api
