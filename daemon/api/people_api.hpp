#pragma once
// Signing in and out, who am I, and the owner's people and tokens. Secrets leave here once: the
// session cookie (Set-Cookie, HttpOnly) with its CSRF token, and a new API token.

#include "context.hpp"
#include "http/request.hpp"

namespace redress::api {

// POST /api/v1/session {"name","password"}: Set-Cookie redress_session=...; HttpOnly; SameSite=Strict.
http::Response sign_in(const ApiContext& context, const http::Request& request);
// DELETE /api/v1/session
http::Response sign_out(const ApiContext& context, const http::Request& request);
// POST /api/v1/setup {"token", "name", "password", "display_name", "email"}: the first owner from the
// one-time link the daemon printed; signs them in as POST /session does.
http::Response setup_owner(const ApiContext& context, const http::Request& request);
// GET /api/v1/me (with "csrf_token" for a session cookie: the page after a reload)
http::Response me(const ApiContext& context, const http::Request& request);
// PATCH /me {"display_name", "signature", "email", "chat"}: one's own profile.
http::Response update_me(const ApiContext& context, const http::Request& request);

// GET /api/v1/people, POST /api/v1/people, PATCH /api/v1/people/{name}
http::Response list_people(const ApiContext& context, const http::Request& request);
http::Response add_person(const ApiContext& context, const http::Request& request);
http::Response update_person(const ApiContext& context, const http::Request& request);
// POST /api/v1/people/{name}/password {"password", "old_password"}: one's own (with the old one), or
// the owner's reset of anyone's.
http::Response set_password(const ApiContext& context, const http::Request& request);
// GET/POST /api/v1/people/{name}/tokens, DELETE /api/v1/tokens/{id}
http::Response list_tokens(const ApiContext& context, const http::Request& request);
http::Response create_token(const ApiContext& context, const http::Request& request);
http::Response revoke_token(const ApiContext& context, const http::Request& request);

}  // namespace redress::api
