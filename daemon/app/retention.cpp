#include "retention.hpp"

#include "pipeline/runtime.hpp"
#include "store/store.hpp"

#include <nlohmann/json.hpp>

namespace redress::app {

namespace {
// The UTC day whose run finished last.
constexpr std::string_view k_last_day = "retention.last_day";
// The counts of the run in hand (erase_counts_json), "" between runs: the run's log line gives its
// totals even when a restart came between its batches.
constexpr std::string_view k_run = "retention.run";

Result<service::EraseCounts> run_so_far(store::Store& store)
{
    auto text = TRY(store.state(k_run));
    if (!text || text->empty())
        return service::EraseCounts{};
    auto j = nlohmann::json::parse(*text, nullptr, false);
    return service::erase_counts_from_json(j);
}
}  // namespace

Retention::Retention(store::Store& store, RuntimeSource runtime, const TimeSource& time, int batch)
    : m_store(store)
    , m_runtime(std::move(runtime))
    , m_time(time)
    , m_batch(batch)
{
}

Result<RetentionStep> Retention::run_if_due()
{
    RetentionStep step;
    auto runtime = m_runtime();
    if (runtime->config.retention.erase_closed_after_days <= 0) {
        // Switched off by a reload in the middle of a run: what its batches erased is compacted and
        // logged now, not whenever retention is next switched on.
        auto run = TRY(run_so_far(m_store));
        if (run.tickets > 0) {
            service::finish_expired(m_store, runtime->config, run);
            TRY(m_store.set_state(k_run, ""));
            step.run = run;
        }
        return step;
    }
    TimePoint now = m_time.now();
    std::string today = format_iso8601_utc(now).substr(0, 10);
    if (TRY(m_store.state(k_last_day)) == today)
        return step;
    auto batch = TRY(service::erase_expired(m_store, runtime->config, now, m_batch));
    step.ran = true;
    step.more = batch.more;
    step.batch = batch.counts;
    // Each batch's counts are added after it committed: a crash in between repeats only what the batch
    // left undone, and its log line then misses the counts of what the batch had done.
    auto run = TRY(run_so_far(m_store));
    run += batch.counts;
    if (batch.more) {
        if (batch.counts.tickets > 0)
            TRY(m_store.set_state(k_run, service::erase_counts_json(run).dump()));
        return step;
    }
    // The run is over. Logged before the day is marked: a crash in between logs it again rather than
    // never.
    service::finish_expired(m_store, runtime->config, run);
    TRY(m_store.set_state(k_run, ""));
    TRY(m_store.set_state(k_last_day, today));
    step.run = run;
    return step;
}

}  // namespace redress::app
