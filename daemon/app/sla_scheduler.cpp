#include "sla_scheduler.hpp"

#include "common/log.hpp"
#include "pipeline/deadlines.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace redress::app {

namespace {
// Even with nothing due the scheduler looks again now and then: a reload may change policies.
constexpr Seconds k_safety_pass{300};
// After a store failure the ticket is looked at again this soon.
constexpr Seconds k_retry_after_failure{30};

std::optional<TimePoint> earliest(std::optional<TimePoint> a, std::optional<TimePoint> b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return std::min(*a, *b);
}
}  // namespace

SlaScheduler::SlaScheduler(boost::asio::io_context& io, store::Store& store, RuntimeSource runtime,
                           std::function<void()> letters_queued, const TimeSource& time)
    : m_io(io)
    , m_timer(io)
    , m_store(store)
    , m_time(time)
    , m_runtime(std::move(runtime))
    , m_letters_queued(std::move(letters_queued))
{
}

void SlaScheduler::start()
{
    full_pass();
}

void SlaScheduler::stop()
{
    m_stopped = true;
    m_timer.cancel();
}

void SlaScheduler::ticket_changed(std::optional<std::string> number)
{
    boost::asio::post(m_io, [this, number = std::move(number)] {
        if (m_stopped)
            return;
        if (!number) {
            full_pass();
            return;
        }
        m_next = earliest(m_next, run_for(*number, m_time.now()));
        arm();
    });
}

std::optional<TimePoint> SlaScheduler::plan_ticket(const pipeline::Runtime& runtime, const Ticket& ticket,
                                                   TimePoint now, int& queued)
{
    auto tx = m_store.begin();
    if (!tx) {
        log::error("sla.pass_failed", {{"ticket", ticket.number}, {"error", tx.error().message}});
        return now + k_retry_after_failure;
    }
    auto next = pipeline::queue_due_alerts(runtime, **tx, m_store, ticket, now, queued);
    if (!next) {
        log::error("sla.pass_failed", {{"ticket", ticket.number}, {"error", next.error().message}});
        return now + k_retry_after_failure;
    }
    if (auto r = (*tx)->commit(); !r) {
        log::error("sla.pass_failed", {{"ticket", ticket.number}, {"error", r.error().message}});
        return now + k_retry_after_failure;
    }
    return *next;
}

std::optional<TimePoint> SlaScheduler::run_for(const std::string& number, TimePoint now)
{
    auto runtime = m_runtime();
    auto ticket = m_store.ticket(number);
    if (!ticket && !ticket.error().is(ErrorKind::not_found)) {
        // A store that cannot answer is not a ticket that is gone: its alerts are still owed, so
        // the ticket is looked at again soon (and the full pass covers it as well).
        log::error("sla.pass_failed", {{"ticket", number}, {"error", ticket.error().message}});
        return now + k_retry_after_failure;
    }
    if (!ticket || !*ticket)
        return std::nullopt;  // no such ticket: nothing to plan
    int queued = 0;
    auto next = plan_ticket(*runtime, **ticket, now, queued);
    if (queued > 0)
        m_letters_queued();
    return next;
}

std::optional<TimePoint> SlaScheduler::run_once(TimePoint now)
{
    auto runtime = m_runtime();
    store::TicketFilter filter;
    filter.open_only = true;
    filter.limit = -1;
    auto tickets = m_store.list_tickets(filter);
    if (!tickets) {
        log::error("sla.pass_failed", {{"error", tickets.error().message}});
        return now + k_retry_after_failure;
    }
    std::optional<TimePoint> next;
    int queued = 0;
    for (const Ticket& t : *tickets)
        next = earliest(next, plan_ticket(*runtime, t, now, queued));
    if (queued > 0)
        m_letters_queued();
    return next;
}

void SlaScheduler::full_pass()
{
    m_next = run_once(m_time.now());
    arm();
}

void SlaScheduler::arm()
{
    if (m_stopped)
        return;
    using std::chrono::milliseconds;
    milliseconds wait = k_safety_pass;
    if (m_next) {
        // Wake a little after the due second, measured from the precise time: the pass reads whole
        // seconds, and a wait counted from a rounded-down `now()` would wake up to a second late
        // (late enough to miss a warning due one second before its deadline).
        auto until = std::chrono::duration_cast<milliseconds>(*m_next - m_time.precise_now()) + milliseconds(50);
        wait = std::clamp<milliseconds>(until, milliseconds(0), k_safety_pass);
    }
    m_timer.expires_after(wait);
    m_timer.async_wait([this](const boost::system::error_code& e) {
        if (!e && !m_stopped)
            full_pass();
    });
}

}  // namespace redress::app
