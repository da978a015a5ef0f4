#pragma once
// Where adapters get "now" from. The core takes `now` as a value; the adapters (the outbox, the
// SLA scheduler, the quarantine; the IMAP poller still reads the clock itself) take a TimeSource, so that the daemon
// reads the system clock and the tests run on a ManualTimeSource they move by hand instead of sleeping.

#include "time.hpp"

#include <atomic>

namespace redress {

class TimeSource {
public:
    virtual ~TimeSource() = default;
    virtual TimePoint now() const = 0;
    // The same to the sub-second, for arming timers: waiting for a whole-second `now()` would wake
    // up to a second late. A manual clock has no finer time than its seconds.
    virtual Clock::time_point precise_now() const { return Clock::time_point(now()); }
};

class SystemTimeSource final : public TimeSource {
public:
    TimePoint now() const override { return to_seconds(Clock::now()); }
    Clock::time_point precise_now() const override { return Clock::now(); }
};

// The one every daemon component shares unless a test gives it another.
inline const TimeSource& system_time()
{
    static const SystemTimeSource source;
    return source;
}

// A test's clock: stands still until set or advanced. Safe to read from other threads.
class ManualTimeSource final : public TimeSource {
public:
    explicit ManualTimeSource(TimePoint start)
        : m_now(start.time_since_epoch().count())
    {
    }
    TimePoint now() const override { return TimePoint{Seconds{m_now.load()}}; }
    void set(TimePoint t) { m_now = t.time_since_epoch().count(); }
    void advance(Seconds d) { m_now += d.count(); }

private:
    std::atomic<Seconds::rep> m_now;
};

}  // namespace redress
