#include "channels.hpp"

#include "chat/chat_sender.hpp"
#include "common/log.hpp"
#include "connectors/file_outbox/file_outbox.hpp"
#include "imap/mailbox_poller.hpp"
#include "smtp/smtp_sender.hpp"

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
