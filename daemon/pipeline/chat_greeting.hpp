#pragma once
// Telegram's /start: no message and no ticket, one greeting letter in the conversation, queued
// through the outbox like every letter the pipeline writes (queue_letter.hpp).

#include "common/result.hpp"
#include "common/time.hpp"

#include <string>
#include <string_view>

namespace redress::store {
class Transactions;
}

namespace redress::pipeline {

struct Runtime;

struct ChatGreeting {
    std::string chat;          // the chat's name in the config: the letter goes out on "chat:<chat>"
    std::string conversation;  // the chat address, "tg:123456"
    std::string language;      // the customer's language_code, when Telegram sent one
    std::string source_key;    // the update's: a second delivery of it queues nothing
};

// The greeting's words: the chat_greeting template where there is one, else a sentence of our own
// in the customer's language (English or Russian).
std::string chat_greeting(const Runtime& runtime, std::string_view language);

// Queues the greeting in a transaction of its own; false when this update's greeting was queued
// before (a redelivered /start). An `invalid` error when the conversation is no chat address; other
// errors are the store's (transient: the update is offered again).
Result<bool> greet_in_chat(store::Transactions& store, const Runtime& runtime, const ChatGreeting& greeting,
                           TimePoint now);

}  // namespace redress::pipeline
