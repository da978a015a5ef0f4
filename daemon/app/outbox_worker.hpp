#pragma once
// Drains the outbox: letters written in tickets' transactions are handed to the sender of their
// channel, with retries and backoff for temporary failures. Two lanes, each its own thread: email,
// and the chats; a chat service that hangs (up to its 30 s timeout) never holds up the mail.
//
// Each letter is claimed in the store (store::Outbox) before it is sent: the claim is the "being
// sent" mark, held by this process (its claimant id) for a lease, so another process on the same
// database never sends it at the same time. The outcome is recorded with the claim. When recording
// "sent" fails (disk full, database busy), the letter is kept here as sent-but-not-recorded: it is
// not sent again, the recording is retried, and the lane pauses with a growing backoff while the
// store cannot be written. The delivery bound: a letter is sent once; a crash between the send and
// its record sends it once more when the lease ends, with the same Message-ID, so the recipient's
// mail system can recognise the copy.

#include "common/time_source.hpp"
#include "connectors/letter_sender.hpp"
#include "pipeline/runtime.hpp"
#include "store/store.hpp"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace redress::app {

// The retry policy, a pure function. `attempts` counts the attempts made so far, the failed one
// included. Returns when to try again, or nullopt when that was the last attempt (give up). The wait
// doubles from first_retry (30 s, 1 min, 2 min, ...) and is capped at an hour; a Retry-After from the
// service (HTTP 429, Telegram's retry_after) is waited out, up to the same hour. Counted from when
// the attempt ended: a pass over slow services can take minutes.
std::optional<TimePoint> next_attempt(int attempts, Seconds first_retry, int max_attempts,
                                      std::optional<Seconds> retry_after, TimePoint attempt_ended_at);

class OutboxWorker {
public:
    using RuntimeSource = std::function<std::shared_ptr<const pipeline::Runtime>()>;
    using Senders = std::map<std::string, std::shared_ptr<connectors::LetterSender>>;

    // How long a claim holds a letter: longer than one attempt can take (SMTP gives up after 120 s),
    // short enough that a letter whose process died is taken again soon.
    static constexpr Seconds claim_lease{300};

    // senders: channel ("email", "chat:tg") -> its sender. Letters of a chat without a sender (taken
    // out of the config) fail with that reason; the config check refuses addresses of unknown chats.
    // `transactions` queues the owner's alert about a failed letter. `claimant` names this process in
    // the letters' claims (default: a random id).
    OutboxWorker(store::Outbox& outbox, store::Transactions& transactions, Senders senders, RuntimeSource runtime,
                 const TimeSource& time, std::string claimant = random_claimant());
    ~OutboxWorker();

    static std::string random_claimant();
    const std::string& claimant() const { return m_claimant; }

    void start();
    // A reload's senders (SMTP settings, chats). A pass in hand finishes with the old ones.
    void replace_senders(Senders senders);
    // Wakes the worker now (a letter was just queued).
    void notify();
    // Stops the lanes: a pass in hand stops after the letter being sent.
    void stop();

    enum class Lane { email, chats };

    // One pass over every channel: sends what is due (at most 50 letters a channel). Returns how
    // many letters were handled.
    int drain_once();
    // The same for one lane. A chat that fails for the moment (down, slow, rate-limited) is left
    // alone until that letter's retry is due: its other letters would meet the same refusal, and a
    // service asking to slow down is not asked again sooner. stop() interrupts a pass between
    // letters, and so does `stop_at`: after stop(), `serve` drains the email lane once more with a
    // time limit, so that mail queued by the last messages leaves without an unreachable server
    // holding up the stop; what is left stays queued for the next start.
    int drain_lane(Lane lane, std::optional<TimePoint> stop_at = std::nullopt);

    // Letters sent whose "sent" is not recorded yet (the store refused the write).
    std::size_t unrecorded() const;
    // At stop: tries to record every such letter until `stop_at`, whatever the lanes' pauses, and
    // returns the claims still unrecorded with their sending time. `serve` keeps those in the data
    // directory so that the next start records them instead of sending them again.
    struct SentClaim {
        store::LetterClaim claim;
        TimePoint sent_at;
    };
    std::vector<SentClaim> settle(TimePoint stop_at);

    struct Counters {
        std::atomic<long> sent{0}, retried{0}, failed{0};
    };
    const Counters& counters() const { return m_counters; }

private:
    struct Handled {
        connectors::SendResult::Status status;
        std::optional<TimePoint> retry_at;  // a temporary failure's next attempt
        bool store_unwritable = false;      // the outcome could not be recorded: pause the lane
    };
    // A letter that went out but whose "sent" the store did not take yet.
    struct Unrecorded {
        store::LetterClaim claim;
        TimePoint sent_at;
    };
    // Per lane: the letters above and the backoff while the store cannot be written.
    struct LaneState {
        std::map<std::int64_t, Unrecorded> unrecorded;
        TimePoint paused_until{};
        Seconds backoff{0};
    };

    Handled handle(connectors::LetterSender& sender, const Letter& letter, const store::LetterClaim& claim);
    // Retries the lane's pending "sent" records; false while the lane is paused or a record failed.
    bool record_unrecorded(Lane lane, bool ignore_pause = false);
    void back_off(Lane lane, const std::string& why);
    void run_lane(Lane lane);
    int fail_unsendable();
    void fail_letter(const Letter& letter, const store::LetterClaim& claim, const std::string& why);
    Result<void> queue_failure_alert(const Letter& letter, const std::string& why, TimePoint now);

    store::Outbox& m_outbox;
    store::Transactions& m_transactions;
    const TimeSource& m_time;
    std::string m_claimant;
    std::mutex m_senders_mutex;
    Senders m_senders;
    RuntimeSource m_runtime;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_pending[2] = {false, false};  // by lane
    bool m_stopping = false;
    std::atomic<bool> m_interrupt{false};  // set while stop() waits for the lanes
    std::vector<std::thread> m_threads;
    std::mutex m_hold_mutex;
    std::map<std::string, TimePoint> m_hold;  // chat channel -> not before this time
    mutable std::mutex m_lanes_mutex;
    LaneState m_lanes[2];  // by lane
    Counters m_counters;
};

}  // namespace redress::app
