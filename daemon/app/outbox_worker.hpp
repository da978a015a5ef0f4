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
#include <string>
#include <thread>
#include <vector>

namespace redress::app {

class OutboxWorker {
public:
    using RuntimeSource = std::function<std::shared_ptr<const pipeline::Runtime>()>;

    // senders: channel ("email", "chat:tg") -> its sender. Letters of a channel without a sender
    // stay queued (the config check refuses addresses of chats that are not configured).
    OutboxWorker(store::Store& store, std::map<std::string, std::shared_ptr<connectors::LetterSender>> senders,
                 RuntimeSource runtime);
    ~OutboxWorker();

    void start();
    // A reload's senders (SMTP settings, chats). A pass in hand finishes with the old ones.
    void replace_senders(std::map<std::string, std::shared_ptr<connectors::LetterSender>> senders);
    // Wakes the worker now (a letter was just queued).
    void notify();
    // Finishes the pass in hand and stops the thread.
    void stop();

    enum class Lane { email, chats };

    // One pass over every channel: sends what is due (at most 50 letters a channel). Returns how
    // many letters were handled. Also called once more after stop(), so that letters queued by the
    // last messages leave before the process ends.
    int drain_once(TimePoint now);
    // The same for one lane. A chat that fails for the moment is left for the rest of the pass: its
    // other letters would most likely wait for the same timeout.
    int drain_lane(Lane lane, TimePoint now);

    struct Counters {
        std::atomic<long> sent{0}, retried{0}, failed{0};
    };
    const Counters& counters() const { return m_counters; }

private:
    connectors::SendResult::Status handle(connectors::LetterSender& sender, const Letter& letter, TimePoint now);
    void run_lane(Lane lane);
    int fail_unsendable(const std::map<std::string, std::shared_ptr<connectors::LetterSender>>& senders, TimePoint now);
    void report_permanent_failure(const Letter& letter, const std::string& why, TimePoint now);

    store::Store& m_store;
    std::mutex m_senders_mutex;
    std::map<std::string, std::shared_ptr<connectors::LetterSender>> m_senders;
    RuntimeSource m_runtime;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_pending[2] = {false, false};  // by lane
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
    Counters m_counters;
};

}  // namespace redress::app
