#pragma once
// The weekly digest to the owner (config reports.digest): at the scheduled weekday and time in the
// company's time zone, the figures of the seven days before go into the outbox as one letter
// (templates/<lang>/weekly_digest.txt) to owner.email. Its dedup key names the week
// ("digest:<last day>"), so the letter is queued once per week whoever asks and however often: the
// daemon asks every minute on its reminder timer, and a restart, or a daemon that was down at the
// scheduled time, queues it once when it next looks. Time comes from the TimeSource.

#include "common/result.hpp"
#include "common/time_source.hpp"

#include <functional>
#include <memory>

namespace redress::pipeline {
struct Runtime;
}
namespace redress::store {
class Store;
}

namespace redress::app {

class WeeklyDigest {
public:
    using RuntimeSource = std::function<std::shared_ptr<const pipeline::Runtime>()>;
    WeeklyDigest(store::Store& store, RuntimeSource runtime, const TimeSource& time);

    // Queues the latest week's digest when it is due and not queued yet; true when it queued one.
    Result<bool> send_if_due();

private:
    store::Store& m_store;
    RuntimeSource m_runtime;
    const TimeSource& m_time;
};

}  // namespace redress::app
