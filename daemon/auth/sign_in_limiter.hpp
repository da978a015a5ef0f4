#pragma once
// Failed sign-ins are rate-limited per account name and per remote address: after `max_failures`
// within `window`, further tries are refused until `lockout` has passed (answered 429 with
// Retry-After). A success clears the name's count. Time is passed in; safe across threads.

#include "common/time.hpp"

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace redress::auth {

class SignInLimiter {
public:
    struct Policy {
        int max_failures = 5;
        Seconds window{15 * 60};
        Seconds lockout{15 * 60};
        std::size_t max_keys = 10000;  // memory bound: the oldest entries go first
    };

    SignInLimiter() = default;
    explicit SignInLimiter(Policy policy)
        : m_policy(policy)
    {
    }

    // nullopt when a try is allowed now; otherwise when the next one will be.
    std::optional<TimePoint> blocked_until(const std::string& key, TimePoint now);
    void failed(const std::string& key, TimePoint now);
    void succeeded(const std::string& key);
    // Takes back the newest failure (a try counted before it was known to succeed).
    void forgive_last(const std::string& key);

private:
    struct Entry {
        std::vector<TimePoint> failures;  // within the window, oldest first
        std::optional<TimePoint> locked_until;
        TimePoint last{};
    };
    void prune(Entry& entry, TimePoint now) const;

    Policy m_policy;
    std::mutex m_mutex;
    std::map<std::string, Entry> m_entries;
};

}  // namespace redress::auth
