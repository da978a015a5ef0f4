#include "people.hpp"
#include "common/text.hpp"

#include "config/config.hpp"

#include "common/log.hpp"
#include "store/store.hpp"

#include <algorithm>

namespace redress::service {

namespace {

Error invalid(std::string code, std::string message)
{
    return make_error(ErrorKind::invalid, std::move(code), std::move(message));
}

// The one answer for every failed credential, so that it tells nobody which part was wrong.
Error bad_credentials()
{
    return make_error(ErrorKind::refused, "auth.credentials", "The name or the password is wrong.");
}

bool has_control(std::string_view text, bool allow_line_breaks)
{
    return std::any_of(text.begin(), text.end(), [&](char c) {
        auto u = static_cast<unsigned char>(c);
        if (allow_line_breaks && (c == '\n' || c == '\r' || c == '\t'))
            return false;
        return u < 0x20 || u == 0x7f;
    });
}

// Fields that end up in letters' headers (the display name, an address) never carry a line break:
// a CR or LF there would start a header of the person's choosing (RFC 5322 2.2).
Result<void> check_field(std::string_view field, std::string_view value, std::size_t max, bool multiline = false)
{
    if (value.size() > max)
        return invalid("people.field",
                       "\"" + std::string(field) + "\" is longer than " + std::to_string(max) + " characters.");
    if (has_control(value, multiline))
        return invalid("people.field", "\"" + std::string(field) + "\" must not contain control characters" +
                                           (multiline ? "." : " or line breaks."));
    return {};
}

Result<void> check_email(std::string_view email)
{
    TRY(check_field("email", email, 254));
    if (!email.empty() && (email.find('@') == std::string_view::npos || email.find(' ') != std::string_view::npos))
        return invalid("people.email", "\"email\" must be an address such as ann@example.org.");
    return {};
}

Result<void> check_password(std::string_view password)
{
    if (password.size() < k_min_password_length)
        return invalid("people.password",
                       "The password must be at least " + std::to_string(k_min_password_length) + " characters long.");
    if (password.size() > 1024)
        return invalid("people.password", "The password is longer than 1024 characters.");
    return {};
}

}  // namespace

bool valid_user_name(std::string_view name)
{
    if (name.empty() || name.size() > 64)
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

PeopleService::PeopleService(store::People& people, const TimeSource& time, auth::ScryptCost cost,
                             auth::SignInLimiter::Policy limits)
    : m_people(people)
    , m_time(time)
    , m_cost(cost)
    , m_limiter(limits)
{
    auto decoy = auth::hash_password(auth::random_token(16), m_cost);
    if (decoy)
        m_decoy_hash = *decoy;
}

Result<std::string> PeopleService::hashed(std::string_view password)
{
    TRY(check_password(password));
    return auth::hash_password(password, m_cost);
}

Result<User> PeopleService::existing(std::string_view name)
{
    auto found = TRY(m_people.user_by_name(name));
    if (!found)
        return make_error(ErrorKind::not_found, "people.unknown",
                          "There is nobody called \"" + std::string(name) + "\". `GET /api/v1/people` lists them.");
    return *found;
}

Result<User> PeopleService::add_user(std::string_view name, Role role, std::string_view password,
                                     std::string_view email, std::string_view display_name)
{
    if (!valid_user_name(name))
        return invalid("people.name", "A name is 1 to 64 characters of a-z, 0-9, '.', '_' and '-', such as "
                                      "\"ann\" or \"ann.lee\".");
    TRY(check_email(email));
    TRY(check_field("display_name", display_name, 128));
    User user;
    user.name = std::string(name);
    user.role = role;
    user.email = std::string(email);
    user.display_name = std::string(display_name);
    user.password_hash = TRY(hashed(password));
    user.created_at = m_time.now();
    auto added = m_people.add_user(std::move(user));
    if (!added && (added.error().is(ErrorKind::conflict) || added.error().is(ErrorKind::constraint)))
        return make_error(ErrorKind::conflict, "people.taken",
                          "The name \"" + std::string(name) + "\" is taken; choose another.");
    if (added)
        log::info("people.added", {{"user", added->name}, {"role", std::string(to_string(added->role))}});
    return added;
}

Result<User> PeopleService::user(std::string_view name)
{
    return existing(name);
}

Result<std::vector<User>> PeopleService::list_users()
{
    return m_people.list_users();
}

Result<void> PeopleService::change_password(std::string_view name, std::string_view old_password,
                                            std::string_view new_password)
{
    auto found = TRY(m_people.user_by_name(name));
    if (!found || found->disabled || !auth::verify_password(old_password, found->password_hash))
        return make_error(ErrorKind::refused, "auth.old_password", "The old password is wrong.");
    found->password_hash = TRY(hashed(new_password));
    TRY(m_people.update_user(*found));
    TRY(m_people.end_sessions_of(found->id));
    log::info("people.password_changed", {{"user", found->name}});
    return {};
}

Result<void> PeopleService::reset_password(std::string_view name, std::string_view new_password)
{
    User user = TRY(existing(name));
    user.password_hash = TRY(hashed(new_password));
    TRY(m_people.update_user(user));
    TRY(m_people.end_sessions_of(user.id));
    log::info("people.password_reset", {{"user", user.name}});
    return {};
}

Result<User> PeopleService::update_profile(std::string_view name, const ProfileChange& change)
{
    User user = TRY(existing(name));
    if (change.display_name) {
        TRY(check_field("display_name", *change.display_name, 128));
        user.display_name = *change.display_name;
    }
    if (change.signature) {
        TRY(check_field("signature", *change.signature, 2000, true));
        user.signature = *change.signature;
    }
    if (change.email) {
        TRY(check_email(*change.email));
        user.email = *change.email;
    }
    if (change.chat) {
        TRY(check_field("chat", *change.chat, 256));
        user.chat = *change.chat;
    }
    if (change.role)
        user.role = *change.role;
    bool disabling = change.disabled && *change.disabled && !user.disabled;
    if (change.disabled)
        user.disabled = *change.disabled;
    TRY(m_people.update_user(user));
    if (disabling) {
        TRY(m_people.end_sessions_of(user.id));
        log::info("people.disabled", {{"user", user.name}});
    }
    return user;
}

Result<User> PeopleService::disable(std::string_view name)
{
    ProfileChange change;
    change.disabled = true;
    return update_profile(name, change);
}

Result<IssuedToken> PeopleService::create_token(std::string_view user_name, std::string_view label)
{
    User user = TRY(existing(user_name));
    if (user.disabled)
        return make_error(ErrorKind::conflict, "people.disabled",
                          "\"" + user.name + "\" is disabled; enable the account before giving it a token.");
    TRY(check_field("label", label, 128));
    // A recognisable prefix lets secret scanners find a leaked token; the rest is 32 random bytes.
    std::string secret = "rdt_" + auth::random_token(32);
    ApiToken token;
    token.user_id = user.id;
    token.digest = auth::token_digest(secret);
    token.label = std::string(label);
    token.created_at = m_time.now();
    token = TRY(m_people.add_token(std::move(token)));
    log::info("token.created", {{"user", user.name}, {"token", std::to_string(token.id)}});
    return IssuedToken{std::move(token), std::move(secret)};
}

Result<std::vector<ApiToken>> PeopleService::tokens_of(std::string_view user_name)
{
    User user = TRY(existing(user_name));
    return m_people.tokens_of(user.id);
}

Result<void> PeopleService::revoke_token(std::int64_t token_id)
{
    auto revoked = m_people.revoke_token(token_id, m_time.now());
    if (!revoked && revoked.error().is(ErrorKind::not_found))
        return make_error(ErrorKind::not_found, "token.unknown", "There is no token " + std::to_string(token_id) + ".");
    if (revoked)
        log::info("token.revoked", {{"token", std::to_string(token_id)}});
    return revoked;
}

Result<User> PeopleService::authenticate_bearer(std::string_view token)
{
    if (token.empty() || token.size() > 512)
        return make_error(ErrorKind::refused, "auth.token", "The token is not valid.");
    auto found = TRY(m_people.use_token(auth::token_digest(token), m_time.now()));
    if (!found || found->second.disabled || found->first.revoked_at)
        return make_error(ErrorKind::refused, "auth.token", "The token is not valid (revoked, or its user disabled).");
    return found->second;
}

Result<IssuedSession> PeopleService::sign_in(std::string_view name, std::string_view password,
                                             std::string_view remote_address)
{
    TimePoint now = m_time.now();
    // Names match regardless of case, so their count does too. Sign-ins from this machine (a
    // reverse proxy in front of the daemon) share one address: only the name is limited for them.
    std::string name_key = "name:" + ascii_lower(name.substr(0, 128));
    std::string address_key = "address:" + std::string(remote_address);
    const bool limit_address = !remote_address.empty() && !config::is_loopback_host(remote_address);
    std::optional<TimePoint> until = m_limiter.blocked_until(name_key, now);
    if (auto by_address = limit_address ? m_limiter.blocked_until(address_key, now) : std::nullopt;
        by_address && (!until || *by_address > *until))
        until = by_address;
    if (until) {
        Error e = make_error(ErrorKind::limited, "auth.limited",
                             "Too many failed sign-ins; try again in " +
                                 std::to_string(std::max<long long>(1, (*until - now).count())) + " seconds.");
        e.retry_after_seconds = std::max<long>(1, static_cast<long>((*until - now).count()));
        log::warn("auth.sign_in_limited", {{"remote", std::string(remote_address)}});
        return e;
    }
    // Counted before the slow check, so that tries sent in parallel cannot pass the limit together;
    // taken back when the password was right.
    m_limiter.failed(name_key, now);
    if (limit_address)
        m_limiter.failed(address_key, now);
    auto found = TRY(m_people.user_by_name(name));
    bool ok = false;
    if (found && !found->disabled && !found->password_hash.empty())
        ok = auth::verify_password(password, found->password_hash);
    else
        (void)auth::verify_password(password, m_decoy_hash);  // the same time for an unknown name
    if (!ok) {
        log::info("auth.sign_in_failed", {{"remote", std::string(remote_address)}});
        return bad_credentials();
    }
    m_limiter.succeeded(name_key);
    if (limit_address)
        m_limiter.forgive_last(address_key);

    std::string cookie = auth::random_token(32);
    Session session;
    session.digest = auth::token_digest(cookie);
    session.user_id = found->id;
    session.csrf = auth::random_token(24);
    session.created_at = now;
    session.expires_at = now + k_session_lifetime;
    TRY(m_people.add_session(session));
    log::info("auth.signed_in", {{"user", found->name}});
    return IssuedSession{std::move(session), std::move(cookie), *found};
}

Result<SessionUser> PeopleService::session(std::string_view cookie)
{
    if (cookie.empty() || cookie.size() > 512)
        return make_error(ErrorKind::refused, "auth.session", "The session has ended; sign in again.");
    auto found = TRY(m_people.session(auth::token_digest(cookie), m_time.now()));
    if (!found || found->second.disabled || found->first.expires_at <= m_time.now())
        return make_error(ErrorKind::refused, "auth.session", "The session has ended; sign in again.");
    return SessionUser{std::move(found->first), std::move(found->second)};
}

Result<void> PeopleService::sign_out(std::string_view cookie)
{
    if (cookie.empty())
        return {};
    return m_people.end_session(auth::token_digest(cookie));
}

}  // namespace redress::service
