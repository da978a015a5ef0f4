#include "people_api.hpp"

#include "common/text.hpp"

#include "access.hpp"
#include "body.hpp"
#include "errors.hpp"
#include "http/form.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "service/owner_setup.hpp"
#include "service/people.hpp"
#include "ticket_json.hpp"

#include <charconv>

namespace redress::api {

using nlohmann::json;

namespace {

// `Secure` when the daemon is reached over HTTPS (its public URL says so): the browser then never
// sends the cookie in clear. On loopback HTTP it would never be sent at all.
bool served_over_https(const ApiContext& context)
{
    if (!context.pipeline)
        return false;
    auto runtime = context.pipeline->runtime();
    return runtime && config::staff_base_url(runtime->config.http).starts_with("https://");
}

std::string session_cookie(const ApiContext& context, const std::string& value, long long max_age)
{
    return std::string(k_session_cookie) + "=" + value +
           "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + std::to_string(max_age) +
           (served_over_https(context) ? "; Secure" : "");
}

Result<std::optional<Role>> role_field(const json& body)
{
    auto text = TRY(optional_text(body, "role"));
    if (!text)
        return std::optional<Role>{};
    auto role = role_from_string(*text);
    if (!role)
        return make_error(ErrorKind::invalid, "api.body", "\"role\" must be agent, manager or owner.");
    return std::optional<Role>{*role};
}

http::Response session_response(const ApiContext& context, int status, const service::IssuedSession& in)
{
    json answer{{"user", user_json(in.user)},
                {"csrf_token", in.session.csrf},
                {"expires_at", format_iso8601_utc(in.session.expires_at)}};
    return json_response(status, answer)
        .with_header("Set-Cookie", session_cookie(context, in.cookie, service::k_session_lifetime.count()))
        .with_header("Cache-Control", "no-store");
}

}  // namespace

http::Response sign_in(const ApiContext& context, const http::Request& request)
{
    auto body = object_body(request, {"name", "password"});
    if (!body)
        return error_response(body.error());
    auto name = text_field(*body, "name");
    auto password = text_field(*body, "password");
    if (!name || !password)
        return error_response(!name ? name.error() : password.error());
    auto in = context.people->sign_in(*name, *password, http::client_address(request));
    if (!in) {
        if (in.error().is(ErrorKind::refused))
            return http::error_response(401, in.error().code, in.error().message);
        return error_response(in.error());
    }
    return session_response(context, 200, *in);
}

http::Response setup_owner(const ApiContext& context, const http::Request& request)
{
    if (!context.setup)
        return http::error_response(404, "setup.off", "There is no setup link on this daemon.");
    auto body = object_body(request, {"token", "name", "password", "display_name", "email"});
    if (!body)
        return error_response(body.error());
    auto run = [&]() -> Result<service::IssuedSession> {
        std::string token = TRY(required_text(*body, "token"));
        service::OwnerForm form;
        form.name = TRY(required_text(*body, "name"));
        form.password = TRY(required_text(*body, "password"));
        form.display_name = TRY(text_field(*body, "display_name"));
        form.email = TRY(text_field(*body, "email"));
        return context.setup->complete(token, form, http::client_address(request));
    };
    auto made = run();
    if (!made)
        return error_response(made.error());
    return session_response(context, 201, *made).with_header("Location", "/api/v1/people/" + made->user.name);
}

http::Response sign_out(const ApiContext& context, const http::Request& request)
{
    if (auto cookie = cookie_value(request, k_session_cookie))
        if (auto r = context.people->sign_out(*cookie); !r)
            return error_response(r.error());
    return http::Response{204, "application/json", ""}.with_header("Set-Cookie", session_cookie(context, "", 0));
}

http::Response me(const ApiContext& context, const http::Request& request)
{
    auto user = context.people->user(actor_of(request).name);
    if (!user)
        return error_response(user.error());
    json answer = user_json(*user);
    if (auto csrf = request.attributes.find("csrf"); csrf != request.attributes.end())
        answer["csrf_token"] = csrf->second;
    return json_response(200, answer).with_header("Cache-Control", "no-store");
}

http::Response update_me(const ApiContext& context, const http::Request& request)
{
    // One's own display name, signature and addresses; the role and the account are the owner's.
    auto body = object_body(request, {"display_name", "signature", "email", "chat"});
    if (!body)
        return error_response(body.error());
    auto run = [&]() -> Result<User> {
        service::ProfileChange change;
        change.display_name = TRY(optional_text(*body, "display_name"));
        change.signature = TRY(optional_text(*body, "signature"));
        change.email = TRY(optional_text(*body, "email"));
        change.chat = TRY(optional_text(*body, "chat"));
        return context.people->update_profile(actor_of(request).name, change);
    };
    auto user = run();
    if (!user)
        return error_response(user.error());
    return json_response(200, user_json(*user));
}

http::Response list_people(const ApiContext& context, const http::Request&)
{
    auto users = context.people->list_users();
    if (!users)
        return error_response(users.error());
    json list = json::array();
    for (const auto& u : *users)
        list.push_back(user_json(u));
    return json_response(200, json{{"people", list}});
}

http::Response add_person(const ApiContext& context, const http::Request& request)
{
    auto body = object_body(request, {"name", "role", "password", "email", "display_name"});
    if (!body)
        return error_response(body.error());
    auto run = [&]() -> Result<User> {
        std::string name = TRY(required_text(*body, "name"));
        auto role = TRY(role_field(*body));
        if (!role)
            return make_error(ErrorKind::invalid, "api.body", "\"role\" is required: agent, manager or owner.");
        std::string password = TRY(required_text(*body, "password"));
        std::string email = TRY(text_field(*body, "email"));
        std::string display_name = TRY(text_field(*body, "display_name"));
        return context.people->add_user(name, *role, password, email, display_name);
    };
    auto user = run();
    if (!user)
        return error_response(user.error());
    return json_response(201, user_json(*user)).with_header("Location", "/api/v1/people/" + user->name);
}

http::Response update_person(const ApiContext& context, const http::Request& request)
{
    auto body = object_body(request, {"display_name", "signature", "email", "chat", "role", "disabled"});
    if (!body)
        return error_response(body.error());
    auto run = [&]() -> Result<User> {
        service::ProfileChange change;
        change.display_name = TRY(optional_text(*body, "display_name"));
        change.signature = TRY(optional_text(*body, "signature"));
        change.email = TRY(optional_text(*body, "email"));
        change.chat = TRY(optional_text(*body, "chat"));
        change.role = TRY(role_field(*body));
        if (auto it = body->find("disabled"); it != body->end()) {
            if (!it->is_boolean())
                return make_error(ErrorKind::invalid, "api.body", "\"disabled\" must be true or false.");
            change.disabled = it->get<bool>();
        }
        // The owner cannot lock themself out: someone must be left to manage people.
        if (iequals(request.param("name"), actor_of(request).name) &&
            ((change.disabled && *change.disabled) || (change.role && *change.role != Role::owner)))
            return make_error(ErrorKind::conflict, "people.self",
                              "You cannot disable yourself or give up the owner's role; another owner can.");
        return context.people->update_profile(request.param("name"), change);
    };
    auto user = run();
    if (!user)
        return error_response(user.error());
    return json_response(200, user_json(*user));
}

http::Response set_password(const ApiContext& context, const http::Request& request)
{
    auto body = object_body(request, {"password", "old_password"});
    if (!body)
        return error_response(body.error());
    Actor actor = actor_of(request);
    std::string name = request.param("name");
    auto run = [&]() -> Result<void> {
        std::string password = TRY(required_text(*body, "password"));
        auto old_password = TRY(optional_text(*body, "old_password"));
        if (actor.name == name && (actor.role != Role::owner || old_password)) {
            if (!old_password)
                return make_error(ErrorKind::invalid, "api.body",
                                  "\"old_password\" is required to change your own password.");
            return context.people->change_password(name, *old_password, password);
        }
        if (actor.role != Role::owner)
            return make_error(ErrorKind::refused, "auth.role",
                              "Only the owner may set another person's password; you may change your own.");
        return context.people->reset_password(name, password);
    };
    auto done = run();
    if (!done) {
        // A wrong old password is a refusal of this change, not of the person's credentials.
        if (done.error().code == "auth.old_password")
            return http::error_response(422, done.error().code, done.error().message);
        return error_response(done.error());
    }
    return http::Response{204, "application/json", ""};
}

http::Response list_tokens(const ApiContext& context, const http::Request& request)
{
    auto tokens = context.people->tokens_of(request.param("name"));
    if (!tokens)
        return error_response(tokens.error());
    json list = json::array();
    for (const auto& t : *tokens)
        list.push_back(token_json(t));
    return json_response(200, json{{"tokens", list}});
}

http::Response create_token(const ApiContext& context, const http::Request& request)
{
    auto body = object_body(request, {"label"});
    if (!body)
        return error_response(body.error());
    auto label = text_field(*body, "label");
    if (!label)
        return error_response(label.error());
    auto issued = context.people->create_token(request.param("name"), *label);
    if (!issued)
        return error_response(issued.error());
    json answer = token_json(issued->token);
    answer["token"] = issued->secret;  // the only time it is shown
    return json_response(201, answer).with_header("Cache-Control", "no-store");
}

http::Response revoke_token(const ApiContext& context, const http::Request& request)
{
    std::string text = request.param("id");
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size())
        return http::error_response(404, "token.unknown", "There is no token " + text + ".");
    if (auto r = context.people->revoke_token(id); !r)
        return error_response(r.error());
    return http::Response{204, "application/json", ""};
}

}  // namespace redress::api
