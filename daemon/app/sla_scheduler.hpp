#pragma once
// The deadline scheduler: one Asio timer armed for the next moment an alert falls due (a warning
// before a deadline, the breach, the second level). It re-arms after every ticket change and on
// start-up. Alerts are letters with dedup keys, so after downtime each overdue alert fires once on
// start, not once per missed tick, and a restart never repeats one.
//
// "Now" comes from a TimeSource: the daemon gives it the system clock, a test a ManualTimeSource it
// moves by hand. The Asio timer only wakes the scheduler; every pass asks the TimeSource what time
// it is, so a test can drive passes itself (run_once, or ticket_changed and io_context::poll).

#include "common/time_source.hpp"
#include "pipeline/runtime.hpp"
#include "store/store.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace redress::app {

class SlaScheduler {
public:
    using RuntimeSource = std::function<std::shared_ptr<const pipeline::Runtime>()>;

    SlaScheduler(boost::asio::io_context& io, store::Store& store, RuntimeSource runtime,
                 std::function<void()> letters_queued, const TimeSource& time);

    // A full pass now, then the timer.
    void start();
    void stop();
    // A ticket changed (from any thread): plan its alerts again; with no number, plan all tickets.
    void ticket_changed(std::optional<std::string> number = std::nullopt);

    // One pass over every open ticket (or one ticket): queues the alerts due at `now` and returns
    // the next time one falls due.
    std::optional<TimePoint> run_once(TimePoint now);
    std::optional<TimePoint> run_for(const std::string& number, TimePoint now);

    // The earliest alert still to come over all tickets, as the last pass planned it.
    std::optional<TimePoint> next_due() const { return m_next; }

private:
    std::optional<TimePoint> plan_ticket(const pipeline::Runtime& runtime, const Ticket& ticket, TimePoint now,
                                         int& queued);
    void full_pass();
    void arm();

    boost::asio::io_context& m_io;
    boost::asio::steady_timer m_timer;
    store::Store& m_store;
    const TimeSource& m_time;
    RuntimeSource m_runtime;
    std::function<void()> m_letters_queued;
    std::optional<TimePoint> m_next;  // the earliest alert still to come, over all tickets
    bool m_stopped = false;
};

}  // namespace redress::app
