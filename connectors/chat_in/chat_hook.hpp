#pragma once
// One webhook delivery from a chat, read: a customer's message for Pipeline::ingest, something to
// ignore, Slack's url_verification challenge, a Telegram /start to greet, or a refusal with its
// reason. Pure: the daemon's route (daemon/app/chat_routes.cpp) hands in the headers, the body and
// `now`, and does what the answer says. Connectors never decide about tickets: a message is only
// handed on, with its conversation (model/message.hpp ChatOrigin) for the pipeline to thread by.
//
//   telegram  X-Telegram-Bot-Api-Secret-Token == secret_token           (telegram_update.hpp)
//   slack     X-Slack-Signature v0 HMAC-SHA256 with signing_secret      (slack_event.hpp)
//   webhook   X-Redress-Signature HMAC-SHA256 with signing_secret       (json_webhook.hpp, docs/chat.md)

#include "config/config.hpp"
#include "pipeline/pipeline.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace redress::connectors::chat_in {

// Header names in lower case (the route folds them; RFC 9110 5.1 makes them case-insensitive).
using HookHeaders = std::map<std::string, std::string>;

// Why a delivery is refused; each has its HTTP status and a metrics label.
enum class RefusalReason {
    signature,     // 401: no or a wrong secret token or signature
    timestamp,     // 401: signed too long ago (or in the future): a replay
    malformed,     // 400: not JSON, or not the shape the platform documents
    missing,       // 400: JSON, but without what we need (an id, the conversation)
    too_large,     // 413: over the server's body limit (the server answers before the route runs)
    unknown_chat,  // 404: no chat of that name in the config
};
std::string_view to_string(RefusalReason reason);
int http_status(RefusalReason reason);

struct Refusal {
    RefusalReason reason = RefusalReason::malformed;
    std::string detail;  // a sentence for the log and the client: never the secret, never the body
};

struct HookUpdate {
    enum class Kind {
        message,    // a customer's message: ingest `raw`
        ignored,    // nothing for us (a bot, an edit's noise, a join): answer 200 so it is not resent
        challenge,  // Slack's url_verification: answer `challenge`
        greeting,   // Telegram's /start: greet `greet_conversation`, open no ticket
    };
    Kind kind = Kind::ignored;
    std::optional<pipeline::RawMessage> raw;  // message
    std::string why;                          // ignored: what it was
    std::string challenge;                    // challenge
    std::string greet_conversation;           // greeting: "tg:123456"
    std::string greet_language;               // greeting: the platform's language hint
    std::string source_key;                   // every kind but challenge: "<chat>:<update/event id>"
};

using HookResult = std::variant<HookUpdate, Refusal>;

// Reads one delivery to this chat. `now` bounds signed timestamps (five minutes either way).
HookResult read_hook(const config::Chat& chat, const HookHeaders& headers, std::string_view body, TimePoint now);

// How far a signed timestamp may be from `now` (Slack's documented replay window; ours the same).
inline constexpr Seconds k_signature_window{300};

// Pure helpers the readers share.
// The first e-mail address and the first phone number written in a text: contact details a chat
// customer typed, kept unverified.
struct ContactDetails {
    std::string email;
    std::string phone;
};
ContactDetails contact_details_in(std::string_view text);

// Whether `header` is present and equal to `expected` in constant time (auth::secrets_equal).
bool header_matches(const HookHeaders& headers, std::string_view name, std::string_view expected);
const std::string* header(const HookHeaders& headers, std::string_view name);

}  // namespace redress::connectors::chat_in
