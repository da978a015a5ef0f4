#include "weekly_digest.hpp"

#include "common/log.hpp"
#include "pipeline/runtime.hpp"
#include "pipeline/staff_letters.hpp"
#include "reports/digest.hpp"
#include "reports/report.hpp"
#include "store/store.hpp"

namespace redress::app {

WeeklyDigest::WeeklyDigest(store::Store& store, RuntimeSource runtime, const TimeSource& time)
    : m_store(store)
    , m_runtime(std::move(runtime))
    , m_time(time)
{
}

Result<bool> WeeklyDigest::send_if_due()
{
    auto runtime = m_runtime();
    const auto& config = runtime->config;
    if (!config.reports.digest.enabled || config.owner.email.empty())
        return false;
    TimePoint now = m_time.now();
    reports::DigestSchedule schedule{config.reports.digest.weekday, config.reports.digest.time};
    reports::DigestWeek week = reports::latest_digest(schedule, config.company.time_zone, now);
    {
        // Asked every minute: the dedup key answers "already queued" before any figure is computed.
        auto tx = TRY(m_store.begin());
        if (TRY(tx->has_letter(week.dedup_key)))
            return false;
    }
    reports::ReportRequest request;
    request.from = week.from;
    request.to = week.to;
    reports::ReportContext context;
    context.calendar = runtime->sla.calendar;
    context.time_zone = config.company.time_zone;
    context.now = now;
    auto summary = TRY(reports::summary(m_store, request, context));

    auto tx = TRY(m_store.begin());
    pipeline::StaffLetterRequest letter;
    letter.template_name = "weekly_digest";
    letter.to = Mailbox{config.owner.name, config.owner.email};
    letter.dedup_key = week.dedup_key;
    letter.install_id = tx->install_id();
    letter.language_values = [&summary](letters::Values& values, std::string_view language) {
        for (auto& [name, value] : reports::digest_values(summary, language))
            values[name] = value;
    };
    auto letters = TRY(pipeline::staff_letter(*runtime, letter, now));
    if (!letters.email)
        return false;
    // nullopt: another process queued this week's digest since we looked.
    if (!TRY(tx->enqueue_letter(*letters.email)))
        return false;
    TRY(tx->commit());
    log::info("digest.queued", {{"week", week.from + ".." + week.to}, {"to", config.owner.email}});
    return true;
}

}  // namespace redress::app
