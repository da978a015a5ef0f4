#pragma once
// The generic JSON webhook (docs/chat.md): a website widget, a WhatsApp bridge or anything else posts
// one message per request, signed as our own outgoing webhook signs (connectors/chat/chat_sender.hpp):
// X-Redress-Timestamp: <unix seconds>, X-Redress-Signature: sha256=<hex HMAC-SHA256(signing_secret,
// "<timestamp>.<body>")>.

#include "chat_hook.hpp"

namespace redress::connectors::chat_in {

HookResult read_json_webhook(const config::Chat& chat, const HookHeaders& headers, std::string_view body,
                             TimePoint now);

}  // namespace redress::connectors::chat_in
