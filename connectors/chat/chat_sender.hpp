#pragma once
// Letters out to a chat: answers to customers who wrote in it, and the owner's escalation alerts.
// One sender per configured chat; the outbox hands it the letters whose channel is "chat:<name>",
// whose recipient is the conversation's id and whose content is plain text.
//
//   telegram  POST <api_base>/bot<token>/sendMessage  {"chat_id", "text"}          reply {"ok": true}
//             recipient "123456#42": also reply_to_message_id 42 (the customer's message answered)
//   slack     POST <api_base>/chat.postMessage, Bearer token  {"channel", "text"}  reply {"ok": true}
//             recipient "C123:1700000000.000100": also thread_ts (the customer's thread)
//   webhook   POST <url>  {"channel", "recipient", "subject", "text", "message_id", "template"}
//             X-Redress-Timestamp: <unix seconds>
//             X-Redress-Signature: sha256=<hex HMAC-SHA256(signing_secret, "<timestamp>.<body>")>
//             (the config requires the secret for webhooks)
//             Idempotency-Key: <message_id> (the same on every retry of a letter)
//
// Network errors, 5xx and 429 are temporary (the outbox retries, waiting at least what the
// service asked for); other refusals (bad token, unknown chat, the bot was blocked) are
// permanent and reported to the owner by email.

#include "chat_http.hpp"
#include "common/time_source.hpp"
#include "config/config.hpp"
#include "connectors/letter_sender.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace redress::connectors::chat {

// Pure: the request that delivers one letter through this chat, signed at `now` for webhooks.
HttpRequest build_request(const config::Chat& chat, const Letter& letter, TimePoint now);

// Pure: what a reply means for the letter.
SendResult interpret_reply(config::ChatType type, const HttpReply& reply);

// "sha256=" + lower-case hex of HMAC-SHA256(secret, timestamp + "." + body).
std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body);

struct ChatTiming {
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds total_timeout{30'000};
};

class ChatSender final : public LetterSender {
public:
    // `time` signs webhook letters (X-Redress-Timestamp): the receiver compares it with its clock.
    explicit ChatSender(config::Chat chat, ChatTiming timing = {}, const TimeSource& time = system_time());
    SendResult send(const Letter& letter) override;

private:
    config::Chat m_chat;
    ChatTiming m_timing;
    const TimeSource& m_time;
};

}  // namespace redress::connectors::chat
