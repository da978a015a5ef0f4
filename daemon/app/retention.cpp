#include "retention.hpp"

#include "pipeline/runtime.hpp"
#include "service/customer_data.hpp"
#include "store/store.hpp"

namespace redress::app {

namespace {
constexpr std::string_view k_last_day = "retention.last_day";
}

Retention::Retention(store::Store& store, RuntimeSource runtime, const TimeSource& time)
    : m_store(store)
    , m_runtime(std::move(runtime))
    , m_time(time)
{
}

Result<bool> Retention::run_if_due()
{
    auto runtime = m_runtime();
    if (runtime->config.retention.erase_closed_after_days <= 0)
        return false;
    TimePoint now = m_time.now();
    std::string today = format_iso8601_utc(now).substr(0, 10);
    if (TRY(m_store.state(k_last_day)) == today)
        return false;
    TRY(service::erase_expired(m_store, runtime->config, now));
    // Written after the erase: a crash in between runs it again, which finds only what is left.
    TRY(m_store.set_state(k_last_day, today));
    return true;
}

}  // namespace redress::app
