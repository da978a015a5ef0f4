#include "channels.hpp"

#include "chat/chat_sender.hpp"
#include "chat/telegram_bot_api.hpp"
#include "chat/telegram_poller.hpp"
#include "common/log.hpp"
#include "connectors/file_outbox/file_outbox.hpp"
#include "imap/mailbox_poller.hpp"
#include "poller_changes.hpp"
#include "smtp/smtp_sender.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace redress::app {

std::shared_ptr<connectors::LetterSender> make_email_sender(const config::Config& config)
{
    if (config.smtp)
        return std::make_shared<connectors::smtp::SmtpSender>(*config.smtp, config.company.support_address.address);
    return std::make_shared<connectors::FileOutbox>(config.outbox_dir());
}

std::map<std::string, std::shared_ptr<connectors::LetterSender>> make_letter_senders(const config::Config& config)
{
    std::map<std::string, std::shared_ptr<connectors::LetterSender>> senders;
    senders["email"] = make_email_sender(config);
    for (const auto& chat : config.chats)
        senders["chat:" + chat.name] = std::make_shared<connectors::chat::ChatSender>(chat);
    return senders;
}

namespace {

// One poller's thread and what it runs with. The thread is declared last, so that it is joined
// before the poller it runs goes.
template <class Settings, class Poller> struct RunningPoller {
    Settings settings;
    std::unique_ptr<Poller> poller;  // null for a chat's webhook check, which is the thread alone
    std::jthread thread;
};

// Asks every thread to stop before joining any, so that they wind down together.
//
// What bounds the wait: every wait of a poller ends on its stop_token (IDLE and the IMAP reads are
// sliced, libcurl's connect and getUpdates' long poll are cut off by a progress callback, backoffs
// and poll intervals wait on the token). What is in hand still finishes: for a mailbox the message
// being stored (one pipeline transaction); for a chat the update being taken, with its files fetched
// (chat_files.hpp: at most total_timeout per file); an oauth_token_command is killed on the stop.
template <class Running> void stop_threads(std::vector<std::unique_ptr<Running>>& leaving)
{
    for (auto& running : leaving)
        running->thread.request_stop();
    for (auto& running : leaving)
        if (running->thread.joinable())
            running->thread.join();
}

// The pollers named in `lists` taken out of `running` (under the set's lock, so /healthz never sees
// one half gone), for stop_threads outside the lock.
template <class Set> auto take_out(Set& set, std::initializer_list<const std::vector<std::string>*> lists)
{
    std::vector<typename Set::Entry> leaving;
    std::lock_guard lock(set.mutex);
    for (const auto* names : lists)
        for (const auto& name : *names) {
            auto found = set.running.find(name);
            if (found == set.running.end())
                continue;
            leaving.push_back(std::move(found->second));
            set.running.erase(found);
        }
    return leaving;
}

// Every poller of the set stopped (the daemon's stop).
template <class Set> void stop_all(Set& set)
{
    std::vector<typename Set::Entry> leaving;
    {
        std::lock_guard lock(set.mutex);
        for (auto& [name, running] : set.running)
            leaving.push_back(std::move(running));
        set.running.clear();
    }
    stop_threads(leaving);
}

template <class Set> void add_running(Set& set, const std::string& name, typename Set::Entry running)
{
    std::lock_guard lock(set.mutex);
    set.running[name] = std::move(running);
}

template <class Set> auto running_settings(const Set& set)
{
    std::map<std::string, decltype(Set::Running::settings)> settings;
    std::lock_guard lock(set.mutex);
    for (const auto& [name, running] : set.running)
        settings.emplace(name, running->settings);
    return settings;
}

std::function<Result<void>(const pipeline::RawMessage&, std::string_view)>
keep_aside_in(pipeline::Quarantine& quarantine)
{
    return [&quarantine](const pipeline::RawMessage& raw, std::string_view why) -> Result<void> {
        auto kept = quarantine.keep(raw, why);
        if (!kept)
            return kept.error();
        return {};
    };
}

}  // namespace

// The running mailbox pollers by name. The io thread changes the set (at start, on a reload, at the
// stop); /healthz and /metrics read it from the HTTP threads. Both hold `mutex` for that and no
// longer: a poller being stopped is taken out under the lock and joined outside it.
struct MailboxPollers {
    using Running = RunningPoller<config::MailboxConfig, connectors::imap::MailboxPoller>;
    using Entry = std::unique_ptr<Running>;

    MailboxPollers(store::Store& s, IngestFunction i, pipeline::Quarantine& q)
        : store(s)
        , ingest(std::move(i))
        , keep_aside(keep_aside_in(q))
    {
    }

    store::Store& store;
    IngestFunction ingest;
    connectors::imap::MailboxPoller::QuarantineFn keep_aside;
    mutable std::mutex mutex;
    std::map<std::string, Entry> running;
};

namespace {

// One thread each: libcurl blocks, and one failing mailbox must not hold up the others.
MailboxPollers::Entry start_mailbox(MailboxPollers& set, const config::MailboxConfig& mailbox)
{
    auto running = std::make_unique<MailboxPollers::Running>();
    running->settings = mailbox;
    connectors::imap::PollerOptions options;
    options.skip_existing_on_first_sync = mailbox.skip_existing_on_first_sync;
    running->poller =
        std::make_unique<connectors::imap::MailboxPoller>(mailbox, set.store, set.ingest, set.keep_aside, options);
    auto* poller = running->poller.get();
    running->thread = std::jthread([poller](std::stop_token stop) { poller->run(stop); });
    return running;
}

}  // namespace

std::shared_ptr<MailboxPollers> start_mailbox_pollers(const config::Config& config, store::Store& store,
                                                      IngestFunction ingest, pipeline::Quarantine& quarantine)
{
    auto set = std::make_shared<MailboxPollers>(store, std::move(ingest), quarantine);
    for (const auto& mailbox : config.mailboxes) {
        add_running(*set, mailbox.name, start_mailbox(*set, mailbox));
        log::info("mailbox.started", {{"mailbox", mailbox.name}});
    }
    return set;
}

void reload_mailbox_pollers(const std::shared_ptr<MailboxPollers>& set, const config::Config& config)
{
    if (!set)
        return;
    std::map<std::string, config::MailboxConfig> wanted;
    for (const auto& mailbox : config.mailboxes)
        wanted.emplace(mailbox.name, mailbox);
    auto changes = compare_pollers(running_settings(*set), wanted);
    // A changed mailbox's old poller is joined before the new one starts: both would write the same
    // "imap/<name>/..." state.
    auto leaving = take_out(*set, {&changes.removed, &changes.changed});
    stop_threads(leaving);
    for (const auto& running : leaving) {
        const std::string& name = running->settings.name;
        bool removed = !wanted.contains(name);
        log::info("mailbox.stopped", {{"mailbox", name}, {"why", removed ? "removed" : "changed"}});
    }
    leaving.clear();
    for (const auto& name : changes.kept)
        log::info("mailbox.kept", {{"mailbox", name}});
    for (const auto* names : {&changes.changed, &changes.added})
        for (const auto& name : *names) {
            add_running(*set, name, start_mailbox(*set, wanted.at(name)));
            log::info("mailbox.started", {{"mailbox", name}, {"why", names == &changes.added ? "added" : "changed"}});
        }
}

std::vector<connectors::imap::MailboxStatus> mailbox_statuses(const std::shared_ptr<MailboxPollers>& set)
{
    std::vector<connectors::imap::MailboxStatus> out;
    if (!set)
        return out;
    std::lock_guard lock(set->mutex);
    for (const auto& [name, running] : set->running)
        out.push_back(running->poller->status());
    return out;
}

void stop_mailbox_pollers(const std::shared_ptr<MailboxPollers>& set)
{
    if (set)
        stop_all(*set);
}

namespace {

// How often a webhook chat asks Telegram whether our webhook is still the registered one.
constexpr auto k_webhook_check_interval = std::chrono::hours(1);

// Whether Telegram posts the chat's updates to us: getWebhookInfo's url against ours. Unknown (null
// in /healthz) while Telegram cannot be asked.
void watch_webhook(const connectors::chat::TelegramBotApi& api, const std::string& expected,
                   connectors::chat::ChatHealth& health, std::stop_token stop)
{
    const std::string& name = api.chat().name;
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
        auto info = api.call("getWebhookInfo", nlohmann::json::object(), {}, stop);
        if (stop.stop_requested())
            break;
        if (!info) {
            health.set_webhook_registered(std::nullopt);
            log::warn("chat.webhook_check_failed", {{"chat", name}, {"error", info.error().message}});
        } else {
            auto registered = connectors::chat::webhook_info_of(*info);
            bool ours = registered.url == expected;
            health.set_webhook_registered(ours);
            if (!ours)
                log::warn("chat.webhook_not_registered",
                          {{"chat", name},
                           {"registered", registered.url.empty() ? std::string("(none)") : registered.url},
                           {"expected", expected},
                           {"fix", "redress chat setup " + name}});
            else
                log::info("chat.webhook_registered",
                          {{"chat", name}, {"pending", std::to_string(registered.pending_update_count)}});
        }
        std::unique_lock lock(mutex);
        wake.wait_for(lock, stop, k_webhook_check_interval, [] { return false; });
    }
}

// What a chat's thread runs with: the chat's settings, and for a webhook check the URL Telegram
// should post to (public_url may change on a reload too). Compared whole by compare_pollers.
struct ChatWatch {
    config::Chat chat;
    std::string webhook_url;  // empty: the chat is polled (getUpdates)

    bool operator==(const ChatWatch&) const = default;
};

// The Telegram chats that get a thread: each in poll mode, and each in webhook mode when the HTTP
// server runs (`webhook_checks`, fixed at start: a reload does not start or stop the server).
std::map<std::string, ChatWatch> chat_watches(const config::Config& config, bool webhook_checks)
{
    std::map<std::string, ChatWatch> watches;
    for (const auto& chat : config.chats) {
        if (chat.type != config::ChatType::telegram)
            continue;
        if (chat.mode == config::ChatMode::poll)
            watches.emplace(chat.name, ChatWatch{chat, {}});
        else if (webhook_checks)
            watches.emplace(chat.name,
                            ChatWatch{chat, connectors::chat::webhook_url(config.http.public_url, chat.name)});
    }
    return watches;
}

std::string_view watch_kind(const ChatWatch& watch)
{
    return watch.webhook_url.empty() ? "poll" : "webhook_check";
}

}  // namespace

// The running chat threads by name, guarded as MailboxPollers is (chat health is read apart, from
// the ChatHealthBoard, so /healthz does not take this lock).
struct ChatPollers {
    using Running = RunningPoller<ChatWatch, connectors::chat::TelegramPoller>;
    using Entry = std::unique_ptr<Running>;

    ChatPollers(store::Store& s, ChatUpdateFunction t, pipeline::Quarantine& q, connectors::chat::ChatHealthBoard& h,
                bool checks)
        : store(s)
        , take(std::move(t))
        , keep_aside(keep_aside_in(q))
        , health(h)
        , webhook_checks(checks)
    {
    }

    store::Store& store;
    ChatUpdateFunction take;
    connectors::chat::TelegramPoller::QuarantineFn keep_aside;
    connectors::chat::ChatHealthBoard& health;
    bool webhook_checks;
    mutable std::mutex mutex;
    std::map<std::string, Entry> running;
};

namespace {

// Called on the main (io) thread: the first libcurl use must not race another thread's.
ChatPollers::Entry start_chat(ChatPollers& set, const ChatWatch& watch)
{
    auto running = std::make_unique<ChatPollers::Running>();
    running->settings = watch;
    const config::Chat& chat = watch.chat;
    auto& chat_health = set.health.of(chat.name);
    if (watch.webhook_url.empty()) {
        auto take = set.take;
        running->poller = std::make_unique<connectors::chat::TelegramPoller>(
            chat, set.store, [take, chat](connectors::chat_in::HookUpdate& update) { return take(chat, update); },
            set.keep_aside, chat_health, system_time());
        auto* poller = running->poller.get();
        running->thread = std::jthread([poller](std::stop_token stop) { poller->run(stop); });
    } else {
        auto api = std::make_shared<connectors::chat::TelegramBotApi>(chat);
        running->thread = std::jthread([api, expected = watch.webhook_url, &chat_health](std::stop_token stop) {
            watch_webhook(*api, expected, chat_health, stop);
        });
    }
    return running;
}

}  // namespace

std::shared_ptr<ChatPollers> start_chat_pollers(const config::Config& config, store::Store& store,
                                                ChatUpdateFunction take, pipeline::Quarantine& quarantine,
                                                connectors::chat::ChatHealthBoard& health)
{
    auto set = std::make_shared<ChatPollers>(store, std::move(take), quarantine, health, config.http.enabled);
    for (const auto& [name, watch] : chat_watches(config, set->webhook_checks)) {
        add_running(*set, name, start_chat(*set, watch));
        log::info("chat.started", {{"chat", name}, {"watch", std::string(watch_kind(watch))}});
    }
    return set;
}

void reload_chat_pollers(const std::shared_ptr<ChatPollers>& set, const config::Config& config)
{
    if (!set)
        return;
    auto wanted = chat_watches(config, set->webhook_checks);
    auto changes = compare_pollers(running_settings(*set), wanted);
    // As for mailboxes: the old poller is joined before the new one starts ("chat:<name>:offset").
    auto leaving = take_out(*set, {&changes.removed, &changes.changed});
    stop_threads(leaving);
    for (const auto& running : leaving) {
        const std::string& name = running->settings.chat.name;
        // A check no longer made knows nothing of the webhook now; a new check sets it again.
        if (!running->settings.webhook_url.empty())
            set->health.of(name).set_webhook_registered(std::nullopt);
        log::info("chat.stopped", {{"chat", name},
                                   {"watch", std::string(watch_kind(running->settings))},
                                   {"why", wanted.contains(name) ? "changed" : "removed"}});
    }
    leaving.clear();
    for (const auto& name : changes.kept)
        log::info("chat.kept", {{"chat", name}, {"watch", std::string(watch_kind(wanted.at(name)))}});
    for (const auto* names : {&changes.changed, &changes.added})
        for (const auto& name : *names) {
            add_running(*set, name, start_chat(*set, wanted.at(name)));
            log::info("chat.started", {{"chat", name},
                                       {"watch", std::string(watch_kind(wanted.at(name)))},
                                       {"why", names == &changes.added ? "added" : "changed"}});
        }
}

void stop_chat_pollers(const std::shared_ptr<ChatPollers>& set)
{
    if (set)
        stop_all(*set);
}

}  // namespace redress::app
