#pragma once
// Retention (config retention.erase_closed_after_days, docs/privacy.md): once a day the personal data
// of tickets closed more than that many days ago is erased (service::erase_expired). A day's run is
// done in batches, one per call, so switching retention on over years of closed tickets does not
// hold up the daemon's loop: the daemon calls again after a short pause while a batch says more is
// due. The run's totals so far are kept in the store's state, and the day is marked done (UTC, from
// the TimeSource) only when nothing due is left; so a restart mid-run carries on where it stopped, a
// restart after the run the same day does not run it again, and a daemon that was down runs it when
// it next looks. The end of a run compacts the store and logs the run's counts once
// (service::finish_expired). The daemon asks every minute on its reminder timer.

#include "common/result.hpp"
#include "common/time_source.hpp"
#include "service/customer_data.hpp"

#include <functional>
#include <memory>
#include <optional>

namespace redress::pipeline {
struct Runtime;
}
namespace redress::store {
class Store;
}

namespace redress::app {

// What one call of Retention::run_if_due did.
struct RetentionStep {
    bool ran = false;                         // a batch ran: today's run was not finished yet
    bool more = false;                        // tickets are still due: the next batch should follow soon
    service::EraseCounts batch;               // what this batch erased
    std::optional<service::EraseCounts> run;  // set when this batch ended the run: its totals, compacted
};

class Retention {
public:
    using RuntimeSource = std::function<std::shared_ptr<const pipeline::Runtime>()>;
    Retention(store::Store& store, RuntimeSource runtime, const TimeSource& time, int batch = service::k_expired_batch);

    // One batch of what is due, when today's run has not finished yet; nothing when today's run is
    // over. With retention off, nothing either, except that a run cut short by switching it off is
    // ended (compacted, logged: `run` set).
    Result<RetentionStep> run_if_due();

private:
    store::Store& m_store;
    RuntimeSource m_runtime;
    const TimeSource& m_time;
    int m_batch;
};

}  // namespace redress::app
