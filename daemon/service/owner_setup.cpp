#include "owner_setup.hpp"

#include "auth/secrets.hpp"
#include "common/log.hpp"
#include "store/store.hpp"

#include <charconv>

namespace redress::service {

namespace {

// The state row: "<hex digest of the token> <expiry in Unix seconds>", or "" when there is none.
constexpr std::string_view k_state_key = "setup.owner";

struct StoredToken {
    std::string digest;
    TimePoint expires_at{};
};

std::optional<StoredToken> parse_stored(std::string_view value)
{
    auto space = value.find(' ');
    if (space == std::string_view::npos || space == 0)
        return std::nullopt;
    long long seconds = 0;
    std::string_view number = value.substr(space + 1);
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), seconds);
    if (ec != std::errc{} || end != number.data() + number.size())
        return std::nullopt;
    return StoredToken{std::string(value.substr(0, space)), TimePoint{Seconds{seconds}}};
}

Error bad_token()
{
    return make_error(ErrorKind::refused, "setup.token",
                      "This setup link does not work (it was used, it expired, or it is incomplete). While nobody "
                      "has an account, restarting redress prints a new one.");
}

}  // namespace

OwnerSetup::OwnerSetup(store::People& people, store::ConnectorState& state, PeopleService& service,
                       const TimeSource& time)
    : m_people(people)
    , m_state(state)
    , m_service(service)
    , m_time(time)
{
}

Result<std::optional<SetupToken>> OwnerSetup::issue()
{
    std::lock_guard lock(m_mutex);
    if (TRY(m_people.count_users()) > 0) {
        if (auto left = TRY(m_state.state(k_state_key)); left && !left->empty())
            TRY(m_state.set_state(k_state_key, ""));
        return std::optional<SetupToken>{};
    }
    SetupToken issued{"rds_" + auth::random_token(32), m_time.now() + k_setup_link_lifetime};
    TRY(m_state.set_state(k_state_key, auth::token_digest(issued.token) + " " +
                                           std::to_string(issued.expires_at.time_since_epoch().count())));
    log::info("setup.link_issued", {{"expires", format_iso8601_utc(issued.expires_at)}});
    return std::optional<SetupToken>{std::move(issued)};
}

Result<IssuedSession> OwnerSetup::complete(std::string_view token, const OwnerForm& form,
                                           std::string_view remote_address)
{
    std::lock_guard lock(m_mutex);
    auto value = TRY(m_state.state(k_state_key));
    auto stored = value ? parse_stored(*value) : std::nullopt;
    if (!stored || token.empty() || token.size() > 512 ||
        !auth::secrets_equal(auth::token_digest(token), stored->digest) || m_time.now() >= stored->expires_at)
        return bad_token();
    if (TRY(m_people.count_users()) > 0) {
        TRY(m_state.set_state(k_state_key, ""));
        return make_error(ErrorKind::conflict, "setup.done",
                          "Someone has made an account here already; sign in, or ask the owner for one.");
    }
    User owner = TRY(m_service.add_user(form.name, Role::owner, form.password, form.email, form.display_name));
    // Used once: the token goes before anyone can try it again.
    TRY(m_state.set_state(k_state_key, ""));
    log::info("setup.owner_created", {{"user", owner.name}});
    return m_service.sign_in(owner.name, form.password, remote_address);
}

}  // namespace redress::service
