#include "channels.hpp"

#include "chat/chat_sender.hpp"
#include "chat/telegram_bot_api.hpp"
#include "chat/telegram_poller.hpp"
#include "common/log.hpp"
#include "connectors/file_outbox/file_outbox.hpp"
#include "imap/mailbox_poller.hpp"
#include "smtp/smtp_sender.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace redress::app {

struct MailboxPollers {
    std::vector<std::unique_ptr<connectors::imap::MailboxPoller>> pollers;
    std::vector<std::jthread> threads;
};

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

std::shared_ptr<MailboxPollers> start_mailbox_pollers(const config::Config& config, store::Store& store,
                                                      IngestFunction ingest, pipeline::Quarantine& quarantine)
{
    auto running = std::make_shared<MailboxPollers>();
    auto keep_aside = [&quarantine](const pipeline::RawMessage& raw, std::string_view why) -> Result<void> {
        auto kept = quarantine.keep(raw, why);
        if (!kept)
            return kept.error();
        return {};
    };
    for (const auto& mailbox : config.mailboxes) {
        connectors::imap::PollerOptions options;
        options.skip_existing_on_first_sync = mailbox.skip_existing_on_first_sync;
        running->pollers.push_back(
            std::make_unique<connectors::imap::MailboxPoller>(mailbox, store, ingest, keep_aside, options));
    }
    // One thread each: libcurl blocks, and one failing mailbox must not hold up the others.
    for (auto& poller : running->pollers) {
        auto* p = poller.get();
        running->threads.emplace_back([p](std::stop_token stop) { p->run(stop); });
        log::info("mailbox.started", {{"mailbox", p->name()}});
    }
    return running;
}

std::vector<connectors::imap::MailboxStatus> mailbox_statuses(const std::shared_ptr<MailboxPollers>& running)
{
    std::vector<connectors::imap::MailboxStatus> out;
    if (running)
        for (auto& p : running->pollers)
            out.push_back(p->status());
    return out;
}

struct ChatPollers {
    std::vector<std::unique_ptr<connectors::chat::TelegramPoller>> pollers;
    std::vector<std::jthread> threads;
};

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

}  // namespace

std::shared_ptr<ChatPollers> start_chat_pollers(const config::Config& config, store::Store& store,
                                                ChatUpdateFunction take, pipeline::Quarantine& quarantine,
                                                connectors::chat::ChatHealthBoard& health)
{
    auto running = std::make_shared<ChatPollers>();
    auto keep_aside = [&quarantine](const pipeline::RawMessage& raw, std::string_view why) -> Result<void> {
        auto kept = quarantine.keep(raw, why);
        if (!kept)
            return kept.error();
        return {};
    };
    for (const auto& chat : config.chats) {
        if (chat.type != config::ChatType::telegram)
            continue;
        auto& chat_health = health.of(chat.name);
        if (chat.mode == config::ChatMode::poll) {
            auto poller = std::make_unique<connectors::chat::TelegramPoller>(
                chat, store, [take, chat](connectors::chat_in::HookUpdate& update) { return take(chat, update); },
                keep_aside, chat_health, system_time());
            auto* p = poller.get();
            running->pollers.push_back(std::move(poller));
            running->threads.emplace_back([p](std::stop_token stop) { p->run(stop); });
        } else if (config.http.enabled) {
            // Made here, on the main thread: the first libcurl use must not race another thread's.
            auto api = std::make_shared<connectors::chat::TelegramBotApi>(chat);
            std::string expected = connectors::chat::webhook_url(config.http.public_url, chat.name);
            running->threads.emplace_back([api, expected, &chat_health](std::stop_token stop) {
                watch_webhook(*api, expected, chat_health, stop);
            });
        }
    }
    return running;
}

void stop_chat_pollers(const std::shared_ptr<ChatPollers>& running)
{
    if (!running)
        return;
    for (auto& t : running->threads)
        t.request_stop();
    running->threads.clear();  // joins
    running->pollers.clear();
}

void stop_mailbox_pollers(const std::shared_ptr<MailboxPollers>& running)
{
    if (!running)
        return;
    for (auto& t : running->threads)
        t.request_stop();
    running->threads.clear();  // joins
    running->pollers.clear();
}

}  // namespace redress::app
