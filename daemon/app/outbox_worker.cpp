#include "outbox_worker.hpp"

#include "common/log.hpp"
#include "pipeline/staff_letters.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <random>

namespace redress::app {

namespace {

constexpr Seconds k_max_wait{3600};
// While the store cannot be written the lane waits 1 s, 2 s, 4 s, ... up to a minute between tries.
constexpr Seconds k_first_backoff{1};
constexpr Seconds k_max_backoff{60};
constexpr int k_letters_per_channel = 50;

int lane_index(OutboxWorker::Lane lane)
{
    return lane == OutboxWorker::Lane::email ? 0 : 1;
}
const char* lane_name(OutboxWorker::Lane lane)
{
    return lane == OutboxWorker::Lane::email ? "email" : "chats";
}

}  // namespace

std::optional<TimePoint> next_attempt(int attempts, Seconds first_retry, int max_attempts,
                                      std::optional<Seconds> retry_after, TimePoint attempt_ended_at)
{
    if (attempts >= max_attempts)
        return std::nullopt;
    // 2^7 times the first wait is past the hour cap for any first wait of 30 s or more; the shift is
    // bounded so that it cannot overflow.
    Seconds delay = first_retry * (1LL << std::clamp(attempts - 1, 0, 7));
    delay = std::min(delay, k_max_wait);
    if (retry_after)
        delay = std::max(delay, std::min(*retry_after, k_max_wait));
    return attempt_ended_at + delay;
}

std::string OutboxWorker::random_claimant()
{
    std::random_device random;
    char id[48];
    std::snprintf(id, sizeof id, "%ld-%08x%08x", static_cast<long>(::getpid()), random(), random());
    return id;
}

OutboxWorker::OutboxWorker(store::Outbox& outbox, store::Transactions& transactions, Senders senders,
                           RuntimeSource runtime, const TimeSource& time, std::string claimant)
    : m_outbox(outbox)
    , m_transactions(transactions)
    , m_time(time)
    , m_claimant(std::move(claimant))
    , m_senders(std::move(senders))
    , m_runtime(std::move(runtime))
{
}

OutboxWorker::~OutboxWorker()
{
    stop();
}

void OutboxWorker::start()
{
    for (Lane lane : {Lane::email, Lane::chats})
        m_threads.emplace_back([this, lane] { run_lane(lane); });
}

void OutboxWorker::run_lane(Lane lane)
{
    auto& pending = m_pending[lane_index(lane)];
    while (true) {
        {
            std::unique_lock lock(m_mutex);
            // Retries come due with time passing, so wake at least once a second.
            m_wake.wait_for(lock, std::chrono::seconds(1), [&] { return pending || m_stopping; });
            if (m_stopping)
                return;
            pending = false;
        }
        // A thread that dies takes the daemon with it (std::terminate): a pass that throws is
        // logged and the next one runs.
        try {
            drain_lane(lane);
        } catch (const std::exception& e) {
            log::error("outbox.pass_failed", {{"lane", lane_name(lane)}, {"error", e.what()}});
        }
    }
}

void OutboxWorker::notify()
{
    {
        std::lock_guard lock(m_mutex);
        m_pending[0] = m_pending[1] = true;
    }
    m_wake.notify_all();
}

void OutboxWorker::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_interrupt = true;
    m_wake.notify_all();
    for (auto& t : m_threads)
        if (t.joinable())
            t.join();
    m_interrupt = false;
    m_threads.clear();
}

void OutboxWorker::replace_senders(Senders senders)
{
    std::lock_guard lock(m_senders_mutex);
    m_senders = std::move(senders);
}

std::size_t OutboxWorker::unrecorded() const
{
    std::lock_guard lock(m_lanes_mutex);
    return m_lanes[0].unrecorded.size() + m_lanes[1].unrecorded.size();
}

std::vector<OutboxWorker::SentClaim> OutboxWorker::settle(TimePoint stop_at)
{
    while (unrecorded() > 0) {
        bool email = record_unrecorded(Lane::email, true);
        bool chats = record_unrecorded(Lane::chats, true);
        if ((email && chats) || m_time.now() >= stop_at)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    std::vector<SentClaim> left;
    std::lock_guard lock(m_lanes_mutex);
    for (const auto& state : m_lanes)
        for (const auto& [id, u] : state.unrecorded)
            left.push_back(SentClaim{u.claim, u.sent_at});
    return left;
}

int OutboxWorker::drain_once()
{
    return drain_lane(Lane::email) + drain_lane(Lane::chats);
}

void OutboxWorker::back_off(Lane lane, const std::string& why)
{
    std::lock_guard lock(m_lanes_mutex);
    auto& state = m_lanes[lane_index(lane)];
    state.backoff = state.backoff.count() == 0 ? k_first_backoff : std::min(state.backoff * 2, k_max_backoff);
    state.paused_until = m_time.now() + state.backoff;
    log::warn("outbox.paused",
              {{"lane", lane_name(lane)}, {"for", format_iso8601_duration(state.backoff)}, {"why", why}});
}

bool OutboxWorker::record_unrecorded(Lane lane, bool ignore_pause)
{
    std::string failure;
    {
        std::lock_guard lock(m_lanes_mutex);
        auto& state = m_lanes[lane_index(lane)];
        if (!ignore_pause && m_time.now() < state.paused_until)
            return false;
        for (auto it = state.unrecorded.begin(); it != state.unrecorded.end();) {
            std::string id = std::to_string(it->first);
            auto r = m_outbox.letter_sent(it->second.claim, it->second.sent_at);
            if (r) {
                log::info("letter.sent_recorded", {{"letter", id}});
            } else if (r.error().is(ErrorKind::conflict) || r.error().is(ErrorKind::not_found)) {
                // The lease ended while the store could not be written and another process took
                // the letter: it may go out once more (the bound the header states).
                log::error("outbox.claim_lost", {{"letter", id}, {"error", r.error().message}});
            } else {
                log::error("outbox.record_failed", {{"letter", id}, {"error", r.error().message}});
                failure = "recording letter " + id + " as sent failed: " + r.error().message;
                break;
            }
            it = state.unrecorded.erase(it);
        }
        if (failure.empty()) {
            state.backoff = Seconds{0};
            return true;
        }
    }
    back_off(lane, failure);
    return false;
}

int OutboxWorker::drain_lane(Lane lane, std::optional<TimePoint> stop_at)
{
    int handled = 0;
    // Nothing new is sent while a letter that went out is not recorded as sent.
    if (!record_unrecorded(lane))
        return handled;
    Senders senders;
    {
        std::lock_guard lock(m_senders_mutex);
        senders = m_senders;
    }
    for (auto& [channel, sender] : senders) {
        bool is_email = channel == "email";
        if (is_email != (lane == Lane::email))
            continue;
        for (int n = 0; n < k_letters_per_channel; ++n) {
            if (m_interrupt)
                return handled;
            TimePoint now = m_time.now();
            if (stop_at && now >= *stop_at) {
                log::warn("outbox.drain_cut", {{"lane", lane_name(lane)},
                                               {"why", "the time for the last drain is up; the rest stays queued"}});
                return handled;
            }
            if (!is_email) {
                std::lock_guard lock(m_hold_mutex);
                if (auto it = m_hold.find(channel); it != m_hold.end() && now < it->second)
                    break;
            }
            // One letter at a time: a claim is taken just before its attempt, so its lease covers
            // that attempt only.
            auto claimed = m_outbox.claim_due_letters(channel, now, claim_lease, m_claimant, 1);
            if (!claimed) {
                log::error("outbox.claim_failed", {{"channel", channel}, {"error", claimed.error().message}});
                if (claimed.error().is(ErrorKind::transient))
                    back_off(lane, claimed.error().message);
                return handled;
            }
            if (claimed->empty())
                break;
            const Letter& letter = claimed->front();
            store::LetterClaim claim{letter.id, m_claimant, now + claim_lease};
            auto outcome = handle(*sender, letter, claim);
            ++handled;
            if (outcome.store_unwritable)
                return handled;
            // SMTP's temporary refusals are often about one recipient (a full mailbox); a chat's
            // are about the service (down, slow, rate-limited): hold the whole chat back.
            if (!is_email && outcome.status == connectors::SendResult::Status::temporary_failure) {
                if (outcome.retry_at) {
                    std::lock_guard lock(m_hold_mutex);
                    m_hold[channel] = *outcome.retry_at;
                }
                break;
            }
        }
    }
    if (lane == Lane::chats && !m_interrupt)
        handled += fail_unsendable();
    return handled;
}

int OutboxWorker::fail_unsendable()
{
    // Letters queued for a chat that a reload (or a restart with a new config) took away: nothing
    // will ever send them, so they fail with the reason and the owner hears of it by email. The
    // senders and the config are read now, not at the start of the pass, so a chat that a reload
    // has just added is not mistaken for one taken away.
    TimePoint now = m_time.now();
    auto channels = m_outbox.due_channels(now);
    if (!channels) {
        log::error("outbox.read_failed", {{"error", channels.error().message}});
        return 0;
    }
    Senders senders;
    {
        std::lock_guard lock(m_senders_mutex);
        senders = m_senders;
    }
    auto runtime = m_runtime();
    int handled = 0;
    for (const auto& channel : *channels) {
        if (channel == "email" || senders.contains(channel) ||
            (channel.starts_with("chat:") && runtime->config.chat(std::string_view(channel).substr(5))))
            continue;
        auto claimed = m_outbox.claim_due_letters(channel, now, claim_lease, m_claimant, k_letters_per_channel);
        if (!claimed) {
            log::error("outbox.claim_failed", {{"channel", channel}, {"error", claimed.error().message}});
            continue;
        }
        std::string why = "no sender for channel \"" + channel + "\": the chat is not in the config";
        for (const Letter& letter : *claimed) {
            fail_letter(letter, store::LetterClaim{letter.id, m_claimant, now + claim_lease}, why);
            ++handled;
        }
    }
    return handled;
}

void OutboxWorker::fail_letter(const Letter& letter, const store::LetterClaim& claim, const std::string& why)
{
    std::string id = std::to_string(letter.id);
    // Not recorded, the letter is tried again when the claim's lease ends, and fails again.
    if (auto r = m_outbox.letter_failed(claim, why); !r)
        log::error("outbox.record_failed", {{"letter", id}, {"outcome", "failed"}, {"error", r.error().message}});
    ++m_counters.failed;
    log::error("letter.failed",
               {{"letter", id}, {"channel", letter.channel}, {"template", letter.template_name}, {"error", why}});
    if (auto r = queue_failure_alert(letter, why, m_time.now()); !r)
        log::error("outbox.alert_failed", {{"letter", id}, {"error", r.error().message}});
}

OutboxWorker::Handled OutboxWorker::handle(connectors::LetterSender& sender, const Letter& letter,
                                           const store::LetterClaim& claim)
{
    auto result = sender.send(letter);
    TimePoint ended = m_time.now();
    auto runtime = m_runtime();
    int max_attempts = 8;
    Seconds first_retry{30};
    if (letter.channel == "email" && runtime->config.smtp) {
        max_attempts = runtime->config.smtp->max_attempts;
        first_retry = runtime->config.smtp->first_retry;
    } else if (letter.channel.starts_with("chat:")) {
        if (const auto* chat = runtime->config.chat(std::string_view(letter.channel).substr(5))) {
            max_attempts = chat->max_attempts;
            first_retry = chat->first_retry;
        }
    }
    std::string id = std::to_string(letter.id);
    switch (result.status) {
    case connectors::SendResult::Status::sent: {
        ++m_counters.sent;
        log::info("letter.sent", {{"letter", id},
                                  {"channel", letter.channel},
                                  {"template", letter.template_name},
                                  {"message_id", letter.message_id}});
        auto r = m_outbox.letter_sent(claim, ended);
        if (r)
            return {result.status, std::nullopt};
        if (r.error().is(ErrorKind::conflict) || r.error().is(ErrorKind::not_found)) {
            log::error("outbox.claim_lost", {{"letter", id}, {"error", r.error().message}});
            return {result.status, std::nullopt};
        }
        // It went out: keep it as sent until the store takes the record, and never send it again.
        log::error("outbox.record_failed", {{"letter", id}, {"outcome", "sent"}, {"error", r.error().message}});
        Lane lane = letter.channel == "email" ? Lane::email : Lane::chats;
        {
            std::lock_guard lock(m_lanes_mutex);
            m_lanes[lane_index(lane)].unrecorded[letter.id] = Unrecorded{claim, ended};
        }
        back_off(lane, "recording letter " + id + " as sent failed: " + r.error().message);
        return {result.status, std::nullopt, true};
    }
    case connectors::SendResult::Status::temporary_failure:
        if (auto retry_at = next_attempt(letter.attempts + 1, first_retry, max_attempts, result.retry_after, ended)) {
            // Not recorded, the letter is tried again when the claim's lease ends.
            if (auto r = m_outbox.letter_retry(claim, *retry_at, result.detail); !r)
                log::error("outbox.record_failed",
                           {{"letter", id}, {"outcome", "retry"}, {"error", r.error().message}});
            ++m_counters.retried;
            log::warn("letter.retry",
                      {{"letter", id}, {"in", format_iso8601_duration(*retry_at - ended)}, {"error", result.detail}});
            return {result.status, retry_at};
        }
        [[fallthrough]];
    case connectors::SendResult::Status::permanent_failure:
        fail_letter(letter, claim, result.detail);
        return {result.status, std::nullopt};
    }
    return {result.status, std::nullopt};
}

Result<void> OutboxWorker::queue_failure_alert(const Letter& letter, const std::string& why, TimePoint now)
{
    auto runtime = m_runtime();
    // An alert that cannot be delivered is not reported by another alert to the same owner.
    if (runtime->config.owner.email.empty() || letter.template_name == "delivery_failure" ||
        letter.recipient == runtime->config.owner.email)
        return {};
    auto tx = TRY(m_transactions.begin());
    std::optional<Ticket> ticket;
    if (letter.ticket_id)
        ticket = TRY(tx->ticket_by_id(*letter.ticket_id));
    pipeline::StaffLetterRequest request;
    request.template_name = "delivery_failure";
    request.to = Mailbox{runtime->config.owner.name, runtime->config.owner.email};
    request.dedup_key = "failed:" + letter.message_id;
    request.install_id = tx->install_id();
    request.ticket = ticket ? &*ticket : nullptr;
    request.extra_values = {
        {"delivery.recipient", letter.recipient}, {"delivery.subject", letter.subject}, {"delivery.error", why}};
    auto alert = TRY(pipeline::staff_letter(*runtime, request, now));
    // nullopt: this letter's alert was queued before (an earlier attempt of the same failure).
    if (!alert.email || !TRY(tx->enqueue_letter(*alert.email)))
        return {};
    TRY(tx->add_audit(AuditEvent{0, letter.ticket_id, now, "system", "letter.failed",
                                 nlohmann::json{{"letter", letter.id}, {"error", why}}.dump(
                                     -1, ' ', false, nlohmann::json::error_handler_t::replace)}));
    TRY(tx->commit());
    return {};
}

}  // namespace redress::app
