#pragma once
// The people who work tickets and how they prove who they are: accounts with a role, passwords
// (scrypt), API tokens (shown once, kept as a digest) and browser sessions (a random cookie with its
// CSRF token, kept as a digest, 12 hours). Failed sign-ins are limited per name and per remote
// address. The HTTP API and the CLI are front doors over these functions; who may call which one
// (the owner manages people) is the front door's rule, said once in daemon/api.
//
// Secrets leave this class exactly once: the token from create_token and the cookie from sign_in.
// Nothing here logs a secret, and no error message carries one.

#include "auth/secrets.hpp"
#include "auth/sign_in_limiter.hpp"
#include "common/result.hpp"
#include "common/time_source.hpp"
#include "model/people.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace redress::store {
class People;
}

namespace redress::service {

// How long a browser session lasts after sign-in.
inline constexpr Seconds k_session_lifetime{12 * 3600};
// The shortest password accepted (NIST SP 800-63B asks for at least 8; we ask a little more).
inline constexpr std::size_t k_min_password_length = 10;

// A new API token: the secret goes to the person once and is never stored.
struct IssuedToken {
    ApiToken token;
    std::string secret;
};

// A new browser session: the cookie's value goes to the browser once and is never stored.
struct IssuedSession {
    Session session;
    std::string cookie;
    User user;
};

struct SessionUser {
    Session session;
    User user;
};

// The fields of a profile that change; nullopt leaves one as it is.
struct ProfileChange {
    std::optional<std::string> display_name;
    std::optional<std::string> signature;
    std::optional<std::string> email;
    std::optional<std::string> chat;
    std::optional<Role> role;
    std::optional<bool> disabled;
};

// Whether a login name is acceptable: 1-64 characters of a-z, 0-9, '.', '_' and '-'.
bool valid_user_name(std::string_view name);

class PeopleService {
public:
    PeopleService(store::People& people, const TimeSource& time = system_time(), auth::ScryptCost cost = {},
                  auth::SignInLimiter::Policy limits = {});

    // invalid: a bad name, a password shorter than k_min_password_length, a line break in a field;
    // conflict: the name is taken.
    Result<User> add_user(std::string_view name, Role role, std::string_view password, std::string_view email = {},
                          std::string_view display_name = {});
    Result<User> user(std::string_view name);
    Result<std::vector<User>> list_users();

    // A person's own change: the old password must match (refused otherwise). Ends their sessions.
    Result<void> change_password(std::string_view name, std::string_view old_password, std::string_view new_password);
    // The owner's reset: no old password. Ends the person's sessions.
    Result<void> reset_password(std::string_view name, std::string_view new_password);
    // Display name, signature, addresses, role, disabled. Disabling ends the person's sessions; their
    // tokens stop working at once (the store refuses a disabled user's token).
    Result<User> update_profile(std::string_view name, const ProfileChange& change);
    Result<User> disable(std::string_view name);

    // A new token for the person, labelled ("ci", "laptop"); the secret is returned once.
    Result<IssuedToken> create_token(std::string_view user_name, std::string_view label);
    Result<std::vector<ApiToken>> tokens_of(std::string_view user_name);
    Result<void> revoke_token(std::int64_t token_id);

    // The person a bearer token belongs to; refused for an unknown, revoked or disabled one.
    Result<User> authenticate_bearer(std::string_view token);

    // Checks name and password and opens a session. refused for a wrong pair (the same answer for a
    // name that does not exist); limited (retry_after_seconds set) after too many failures for the
    // name or the remote address.
    Result<IssuedSession> sign_in(std::string_view name, std::string_view password, std::string_view remote_address);
    // The session a cookie names while it lasts; refused otherwise.
    Result<SessionUser> session(std::string_view cookie);
    Result<void> sign_out(std::string_view cookie);

private:
    Result<User> existing(std::string_view name);
    Result<std::string> hashed(std::string_view password);

    store::People& m_people;
    const TimeSource& m_time;
    auth::ScryptCost m_cost;
    auth::SignInLimiter m_limiter;
    // A hash checked when the name is unknown, so that a wrong name takes as long as a wrong password.
    std::string m_decoy_hash;
};

}  // namespace redress::service
