#pragma once
// Retention (config retention.erase_closed_after_days, docs/privacy.md): once a day the personal data
// of tickets closed more than that many days ago is erased (service::erase_expired). The day of the
// last run (UTC, from the TimeSource) is kept in the store's state, so a restart the same day does not
// run it again and a daemon that was down runs it once when it next looks. The daemon asks every
// minute on its reminder timer.

#include "common/result.hpp"
#include "common/time_source.hpp"

#include <functional>
#include <memory>
#include <optional>

namespace redress::pipeline {
struct Runtime;
}
namespace redress::store {
class Store;
}
namespace redress::service {
struct EraseCounts;
}

namespace redress::app {

class Retention {
public:
    using RuntimeSource = std::function<std::shared_ptr<const pipeline::Runtime>()>;
    Retention(store::Store& store, RuntimeSource runtime, const TimeSource& time);

    // Erases what is due when today's run has not happened yet; true when it ran (whatever it found).
    Result<bool> run_if_due();

private:
    store::Store& m_store;
    RuntimeSource m_runtime;
    const TimeSource& m_time;
};

}  // namespace redress::app
