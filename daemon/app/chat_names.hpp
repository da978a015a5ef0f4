#pragma once
// The names chat platforms leave out. A Slack message event carries only the user's id; after the
// message is committed (the webhook is answered without waiting for any of this), the user is looked
// up with users.info (connectors/chat/slack_users.hpp) on a thread of its own, and the name goes on
// the ticket where the customer's name is still unknown (pipeline::name_chat_customer, with an audit
// row; the profile's email is recorded there unverified). Names are cached per chat and user, at most
// `cache_size` of them (the least recently used go first), so that a customer's next message carries
// the name before it is stored and the acknowledgement greets them by it. A lookup that fails is
// logged and counted (/metrics: redress_chat_user_lookups_total) and changes nothing: the message is
// stored already and stays as it is; the customer's next message asks again.

#include "chat/slack_users.hpp"
#include "common/time_source.hpp"
#include "config/config.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "store/store.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace redress::app {

class ChatNames {
public:
    using RuntimeSource = std::function<std::shared_ptr<const pipeline::Runtime>()>;
    // How a user is looked up; the default asks Slack's users.info over HTTP.
    using LookUp = std::function<Result<connectors::chat::SlackUser>(const config::Chat& chat, const std::string& user,
                                                                     const std::atomic<bool>& stopping)>;

    static constexpr std::size_t k_default_cache_size = 1000;
    // Lookups waiting at most; more are dropped with a log line (the next message asks again).
    static constexpr std::size_t k_max_pending = 1000;

    ChatNames(store::Transactions& store, RuntimeSource runtime, const TimeSource& time,
              std::size_t cache_size = k_default_cache_size, LookUp look_up = {});
    ~ChatNames();
    ChatNames(const ChatNames&) = delete;
    ChatNames& operator=(const ChatNames&) = delete;

    void start();
    // Ends a lookup in flight and the thread, and drops the lookups still waiting (logged with their
    // count; the customers' next messages ask again), so wait_idle() returns at once after it. Later
    // learn() calls queue nothing until start().
    void stop();

    // Before the ingest: a Slack message whose user's name is cached gets it now (no request, no
    // waiting), and the profile's email as the message's unverified contact when it has none.
    // Returns whether it did.
    enum class Named { no, from_cache };
    Named fill_known(const config::Chat& chat, Message& message);

    // After the commit: a Slack customer still without a name is looked up; a ticket that was opened
    // before the name was known gets it from the cache. Returns at once.
    void learn(const config::Chat& chat, const Message& message, const pipeline::IngestOutcome& outcome, Named named);

    struct Tally {
        long looked_up = 0;  // users.info answered with a user
        long failed = 0;     // users.info failed (logged)
        long named = 0;      // tickets that got their customer's name
    };
    std::map<std::string, Tally> tallies() const;  // by chat
    std::size_t cache_entries() const;
    // Waits until nothing is queued or in flight (tests and the benchmark); false on timeout.
    bool wait_idle(std::chrono::milliseconds limit) const;

private:
    struct Job {
        std::string chat;
        std::string user;  // the platform's id, "U024BE7LH"
        std::vector<std::string> tickets;
    };
    struct Known {
        std::string name;
        std::string email;
    };

    void run();
    void handle(Job job);
    std::optional<Known> cached(const std::string& key);  // and marks it recently used
    void remember(const std::string& key, Known known);
    static std::string key_of(const std::string& chat, const std::string& user) { return chat + "\n" + user; }

    store::Transactions& m_store;
    RuntimeSource m_runtime;
    const TimeSource& m_time;
    std::size_t m_cache_size;
    LookUp m_look_up;

    mutable std::mutex m_mutex;
    mutable std::condition_variable m_wake;
    std::deque<Job> m_pending;
    bool m_busy = false;
    std::list<std::pair<std::string, Known>> m_recent;  // most recently used first
    std::unordered_map<std::string, std::list<std::pair<std::string, Known>>::iterator> m_cache;
    std::map<std::string, Tally> m_tallies;
    std::atomic<bool> m_stopping{false};
    std::thread m_thread;
};

}  // namespace redress::app
