#pragma once
// The first owner of an installation without a default password: while nobody has an account, the
// daemon makes a one-time token at start and prints it in a link (http://127.0.0.1:8025/#setup=...).
// Whoever opens the link chooses the owner's name and password; the token then stops working. The
// store keeps only the token's digest and when it ends; each start while there is still nobody makes
// a new one, and the one before stops working.

#include "common/result.hpp"
#include "common/time_source.hpp"
#include "people.hpp"

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace redress::store {
class People;
class ConnectorState;
}  // namespace redress::store

namespace redress::service {

// How long a setup link works after the start that printed it.
inline constexpr Seconds k_setup_link_lifetime{24 * 3600};

struct SetupToken {
    std::string token;  // shown once, in the link; never stored
    TimePoint expires_at{};
};

// The owner's account as the setup page asks for it.
struct OwnerForm {
    std::string name;
    std::string password;
    std::string display_name;
    std::string email;
};

class OwnerSetup {
public:
    OwnerSetup(store::People& people, store::ConnectorState& state, PeopleService& service,
               const TimeSource& time = system_time());

    // A new token while nobody has an account (the previous one stops working); nullopt once
    // someone has, and then any token left over is forgotten.
    Result<std::optional<SetupToken>> issue();

    // Makes the owner and signs them in. refused ("setup.token"): the token is wrong, used or
    // expired; conflict ("setup.done"): someone has an account already; invalid: the name or the
    // password (PeopleService::add_user's checks).
    Result<IssuedSession> complete(std::string_view token, const OwnerForm& form, std::string_view remote_address);

private:
    store::People& m_people;
    store::ConnectorState& m_state;
    PeopleService& m_service;
    const TimeSource& m_time;
    std::mutex m_mutex;  // one completion at a time: the first owner is made once
};

}  // namespace redress::service
