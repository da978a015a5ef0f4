#pragma once
// Which connectors the daemon runs, chosen from the config: the email sender (SMTP, or the file
// outbox of the embedded default), one sender per chat, one poller thread per IMAP mailbox and per
// Telegram chat that is polled or whose webhook is checked.

#include "chat/chat_health.hpp"
#include "chat_in/chat_hook.hpp"
#include "config/config.hpp"
#include "connectors/letter_sender.hpp"
#include "imap/mailbox_poller.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/quarantine.hpp"
#include "store/store.hpp"

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace redress::app {

std::shared_ptr<connectors::LetterSender> make_email_sender(const config::Config& config);
// Channel name -> sender: "email" (SMTP or the file outbox) and "chat:<name>" for each chat.
// Built at start and again on each reload (SIGHUP).
std::map<std::string, std::shared_ptr<connectors::LetterSender>> make_letter_senders(const config::Config& config);

using IngestFunction = std::function<Result<pipeline::IngestOutcome>(const pipeline::RawMessage&)>;

// The pollers follow the config: started with `serve`, and after each reload (SIGHUP) that was not
// refused the reload_* functions compare each mailbox's or chat's settings, by its name, with those
// its poller runs with (poller_changes.hpp; the config types' operator==). The same settings: the
// poller, its thread and its connection run on (logged as mailbox.kept / chat.kept). Other settings:
// the old poller is stopped and joined, then a new one started (.stopped and .started with
// why=changed). Gone from the config: stopped (why=removed); new: started (why=added). The reload
// runs on the io thread and waits for the stopped threads (channels.cpp says what bounds that).
// The sets may change while the HTTP threads read them (mailbox_statuses): each has a lock inside,
// and the shared_ptr handed to the status routes stays the same object for the daemon's life.
struct MailboxPollers;  // the running pollers and their threads, by mailbox name
std::shared_ptr<MailboxPollers> start_mailbox_pollers(const config::Config& config, store::Store& store,
                                                      IngestFunction ingest, pipeline::Quarantine& quarantine);
void reload_mailbox_pollers(const std::shared_ptr<MailboxPollers>& pollers, const config::Config& config);
void stop_mailbox_pollers(const std::shared_ptr<MailboxPollers>& pollers);
// What each mailbox is doing (connected, pushing, failures, last error), for /healthz and /metrics;
// in name order. Safe from any thread.
std::vector<connectors::imap::MailboxStatus> mailbox_statuses(const std::shared_ptr<MailboxPollers>& pollers);

// Telegram chats, each on a thread of its own: a chat in "poll" mode long-polls getUpdates
// (connectors/chat/telegram_poller.hpp) and hands each update to `take`; a chat in "webhook" mode,
// when the HTTP server runs, asks getWebhookInfo at start and then hourly whether Telegram posts to
// our /hooks/<name>, for /healthz. They follow a reload as the mailboxes do (a chat switched between
// poll and webhook mode, or given another token, is restarted); whether the HTTP server runs is
// decided at start. Stopping ends a long poll in flight at once.
using ChatUpdateFunction = std::function<Result<void>(const config::Chat&, connectors::chat_in::HookUpdate&)>;
struct ChatPollers;
std::shared_ptr<ChatPollers> start_chat_pollers(const config::Config& config, store::Store& store,
                                                ChatUpdateFunction take, pipeline::Quarantine& quarantine,
                                                connectors::chat::ChatHealthBoard& health);
void reload_chat_pollers(const std::shared_ptr<ChatPollers>& pollers, const config::Config& config);
void stop_chat_pollers(const std::shared_ptr<ChatPollers>& pollers);

}  // namespace redress::app
