#pragma once
// Which connectors the daemon runs, chosen from the config: the email sender (SMTP, or the file
// outbox of the embedded default), one sender per chat, and one poller thread per IMAP mailbox.

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
// Built at start and again on each reload (SIGHUP). Mailboxes are read at start only.
std::map<std::string, std::shared_ptr<connectors::LetterSender>> make_letter_senders(const config::Config& config);

using IngestFunction = std::function<Result<pipeline::IngestOutcome>(const pipeline::RawMessage&)>;

struct MailboxPollers;  // the running pollers and their threads
std::shared_ptr<MailboxPollers> start_mailbox_pollers(const config::Config& config, store::Store& store,
                                                      IngestFunction ingest, pipeline::Quarantine& quarantine);
void stop_mailbox_pollers(const std::shared_ptr<MailboxPollers>& pollers);
// What each mailbox is doing (connected, pushing, failures, last error), for /healthz and /metrics.
std::vector<connectors::imap::MailboxStatus> mailbox_statuses(const std::shared_ptr<MailboxPollers>& pollers);

// Telegram chats, each on a thread of its own: a chat in "poll" mode long-polls getUpdates
// (connectors/chat/telegram_poller.hpp) and hands each update to `take`; a chat in "webhook" mode,
// when the HTTP server runs, asks getWebhookInfo at start and then hourly whether Telegram posts to
// our /hooks/<name>, for /healthz. Read at start only, like the mailboxes. Stopping ends a long poll
// in flight at once.
using ChatUpdateFunction = std::function<Result<void>(const config::Chat&, connectors::chat_in::HookUpdate&)>;
struct ChatPollers;
std::shared_ptr<ChatPollers> start_chat_pollers(const config::Config& config, store::Store& store,
                                                ChatUpdateFunction take, pipeline::Quarantine& quarantine,
                                                connectors::chat::ChatHealthBoard& health);
void stop_chat_pollers(const std::shared_ptr<ChatPollers>& pollers);

}  // namespace redress::app
