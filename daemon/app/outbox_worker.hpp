#pragma once
// Drains the outbox: letters written in tickets' transactions are handed to the sender of their
// channel, with retries and backoff for temporary failures. Two lanes, each its own thread: email,
// and the chats; a chat service that hangs (up to its 30 s timeout) never holds up the mail. A letter is marked sent only after
// the sender accepted it; a crash between the two can at worst send it once more, with the same
// Message-ID, so the recipient's mail system can recognise the copy.

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

class OutboxWorker {
public:
    using RuntimeSource = std::function<std::shared_ptr<const pipeline::Runtime>()>;

    // senders: channel ("email", "chat:tg") -> its sender. Letters of a chat without a sender (taken
    // out of the config) fail with that reason; the config check refuses addresses of unknown chats.
    OutboxWorker(store::Store& store, std::map<std::string, std::shared_ptr<connectors::LetterSender>> senders,
                 RuntimeSource runtime);
    ~OutboxWorker();

    void start();
    // A reload's senders (SMTP settings, chats). A pass in hand finishes with the old ones.
    void replace_senders(std::map<std::string, std::shared_ptr<connectors::LetterSender>> senders);
    // Wakes the worker now (a letter was just queued).
    void notify();
    // Stops the lanes: a pass in hand stops after the letter being sent.
    void stop();

    enum class Lane { email, chats };

    // One pass over every channel: sends what is due (at most 50 letters a channel). Returns how
    // many letters were handled. After stop(), `serve` drains the email lane once more, so that mail
    // queued by the last messages leaves before the process ends.
    int drain_once(TimePoint now);
    // The same for one lane. A chat that fails for the moment (down, slow, rate-limited) is left
    // alone until that letter's retry is due: its other letters would meet the same refusal, and a
    // service asking to slow down is not asked again sooner. stop() interrupts a pass between letters.
    int drain_lane(Lane lane, TimePoint now);

    struct Counters {
        std::atomic<long> sent{0}, retried{0}, failed{0};
    };
    const Counters& counters() const { return m_counters; }

private:
    struct Handled {
        connectors::SendResult::Status status;
        std::optional<TimePoint> retry_at;  // a temporary failure's next attempt
    };
    Handled handle(connectors::LetterSender& sender, const Letter& letter, TimePoint now);
    void run_lane(Lane lane);
    int fail_unsendable(TimePoint now);
    void report_permanent_failure(const Letter& letter, const std::string& why, TimePoint now);

    store::Store& m_store;
    std::mutex m_senders_mutex;
    std::map<std::string, std::shared_ptr<connectors::LetterSender>> m_senders;
    RuntimeSource m_runtime;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_pending[2] = {false, false};  // by lane
    bool m_stopping = false;
    std::atomic<bool> m_interrupt{false};  // set while stop() waits for the lanes
    std::vector<std::thread> m_threads;
    std::mutex m_hold_mutex;
    std::map<std::string, TimePoint> m_hold;  // chat channel -> not before this time
    Counters m_counters;
};

}  // namespace redress::app
