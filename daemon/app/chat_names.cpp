#include "chat_names.hpp"

#include "common/log.hpp"
#include "pipeline/chat_customer.hpp"

namespace redress::app {

namespace {

// "slack:U024BE7LH" -> "U024BE7LH".
std::string platform_id(const std::string& user_id)
{
    auto colon = user_id.find(':');
    return colon == std::string::npos ? user_id : user_id.substr(colon + 1);
}

Result<connectors::chat::SlackUser> ask_slack(const config::Chat& chat, const std::string& user,
                                              const std::atomic<bool>& stopping)
{
    // Shorter than a letter's timeouts: a name is a courtesy, and the daemon's stop waits for it.
    connectors::chat::ChatTiming timing{std::chrono::seconds(5), std::chrono::seconds(10)};
    return connectors::chat::SlackUsers(chat, timing, &stopping).look_up(user);
}

}  // namespace

ChatNames::ChatNames(store::Transactions& store, RuntimeSource runtime, const TimeSource& time, std::size_t cache_size,
                     LookUp look_up)
    : m_store(store)
    , m_runtime(std::move(runtime))
    , m_time(time)
    , m_cache_size(std::max<std::size_t>(cache_size, 1))
    , m_look_up(look_up ? std::move(look_up) : LookUp(ask_slack))
{
}

ChatNames::~ChatNames()
{
    stop();
}

void ChatNames::start()
{
    if (m_thread.joinable())
        return;
    m_stopping = false;
    m_thread = std::thread([this] { run(); });
}

void ChatNames::stop()
{
    std::size_t dropped = 0;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        // The lookups still waiting are dropped here, not left queued: nothing would take them, and
        // wait_idle() would wait for them in vain. Each customer's next message asks again.
        dropped = m_pending.size();
        m_pending.clear();
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    if (dropped > 0)
        log::info("chat.user_lookups_dropped", {{"count", std::to_string(dropped)}, {"why", "stopping"}});
}

ChatNames::Named ChatNames::fill_known(const config::Chat& chat, Message& message)
{
    if (chat.type != config::ChatType::slack || !message.chat ||
        !pipeline::chat_name_unknown(message.from.name, message.chat->user_id))
        return Named::no;
    std::lock_guard lock(m_mutex);
    auto known = cached(key_of(chat.name, platform_id(message.chat->user_id)));
    if (!known)
        return Named::no;
    message.from.name = known->name;
    if (message.chat->email.empty())
        message.chat->email = known->email;  // unverified, like an address typed in the text
    return Named::from_cache;
}

void ChatNames::learn(const config::Chat& chat, const Message& message, const pipeline::IngestOutcome& outcome,
                      Named named)
{
    using Action = pipeline::IngestOutcome::Action;
    if (chat.type != config::ChatType::slack || !message.chat || outcome.ticket_number.empty() ||
        (outcome.action != Action::created && outcome.action != Action::updated))
        return;
    bool unknown = pipeline::chat_name_unknown(message.from.name, message.chat->user_id);
    // Named from the cache, a new ticket has the name already; an older one of the conversation may not.
    if (!unknown && !(named == Named::from_cache && outcome.action == Action::updated))
        return;
    std::string user = platform_id(message.chat->user_id);
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            return;
        // One lookup per user however many of their messages wait for it.
        for (auto& job : m_pending)
            if (job.chat == chat.name && job.user == user) {
                job.tickets.push_back(outcome.ticket_number);
                return;
            }
        if (m_pending.size() >= k_max_pending) {
            log::warn("chat.user_lookup_dropped", {{"chat", chat.name},
                                                   {"user", user},
                                                   {"why", "too many lookups waiting; the next message asks again"}});
            ++m_tallies[chat.name].failed;
            return;
        }
        m_pending.push_back(Job{chat.name, user, {outcome.ticket_number}});
    }
    m_wake.notify_all();
}

void ChatNames::run()
{
    while (true) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stopping || !m_pending.empty(); });
            if (m_stopping)
                return;
            job = std::move(m_pending.front());
            m_pending.pop_front();
            m_busy = true;
        }
        handle(std::move(job));
        {
            std::lock_guard lock(m_mutex);
            m_busy = false;
        }
        m_wake.notify_all();
    }
}

void ChatNames::handle(Job job)
{
    auto runtime = m_runtime();
    const config::Chat* chat = runtime ? runtime->config.chat(job.chat) : nullptr;
    if (!chat || chat->type != config::ChatType::slack)
        return;  // taken out of the config since the message came
    std::string key = key_of(job.chat, job.user);
    std::optional<Known> known;
    {
        std::lock_guard lock(m_mutex);
        known = cached(key);
    }
    if (!known) {
        auto user = m_look_up(*chat, job.user, m_stopping);
        if (!user) {
            if (user.error().is(ErrorKind::stopped))
                return;
            {
                std::lock_guard lock(m_mutex);
                ++m_tallies[job.chat].failed;
            }
            log::warn("chat.user_lookup_failed", {{"chat", job.chat},
                                                  {"user", job.user},
                                                  {"kind", std::string(to_string(user.error().kind))},
                                                  {"error", user.error().message}});
            return;
        }
        known = Known{user->name, user->email};
        std::lock_guard lock(m_mutex);
        ++m_tallies[job.chat].looked_up;
        if (!known->name.empty())
            remember(key, *known);
    }
    if (known->name.empty())
        return;
    pipeline::ChatProfile profile{job.chat + ":" + job.user, known->name, known->email, "slack users.info"};
    for (const auto& number : job.tickets) {
        auto named = pipeline::name_chat_customer(m_store, number, profile, m_time.now());
        if (!named) {
            log::warn("chat.customer_name_unsaved",
                      {{"chat", job.chat}, {"ticket", number}, {"error", named.error().message}});
        } else if (*named) {
            {
                std::lock_guard lock(m_mutex);
                ++m_tallies[job.chat].named;
            }
            log::info("chat.customer_named", {{"chat", job.chat}, {"ticket", number}, {"user", job.user}});
        }
    }
}

std::optional<ChatNames::Known> ChatNames::cached(const std::string& key)
{
    auto it = m_cache.find(key);
    if (it == m_cache.end())
        return std::nullopt;
    m_recent.splice(m_recent.begin(), m_recent, it->second);
    return it->second->second;
}

void ChatNames::remember(const std::string& key, Known known)
{
    if (auto it = m_cache.find(key); it != m_cache.end()) {
        it->second->second = std::move(known);
        m_recent.splice(m_recent.begin(), m_recent, it->second);
        return;
    }
    m_recent.emplace_front(key, std::move(known));
    m_cache[key] = m_recent.begin();
    while (m_cache.size() > m_cache_size) {
        m_cache.erase(m_recent.back().first);
        m_recent.pop_back();
    }
}

std::map<std::string, ChatNames::Tally> ChatNames::tallies() const
{
    std::lock_guard lock(m_mutex);
    return m_tallies;
}

std::size_t ChatNames::cache_entries() const
{
    std::lock_guard lock(m_mutex);
    return m_cache.size();
}

bool ChatNames::wait_idle(std::chrono::milliseconds limit) const
{
    std::unique_lock lock(m_mutex);
    return m_wake.wait_for(lock, limit, [&] { return m_pending.empty() && !m_busy; });
}

}  // namespace redress::app
