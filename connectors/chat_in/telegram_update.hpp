#pragma once
// Telegram Bot API updates (https://core.telegram.org/bots/api#update). They come two ways, read by
// the same reader: a webhook posts one Update per request, with the secret_token given to setWebhook
// in X-Telegram-Bot-Api-Secret-Token (#setwebhook); a chat in "poll" mode fetches them with
// getUpdates (#getupdates, connectors/chat/telegram_poller.hpp), which needs no secret.

#include "chat_hook.hpp"

#include <nlohmann/json_fwd.hpp>

namespace redress::connectors::chat_in {

// A webhook delivery: the secret header checked, then the body read as one update.
HookResult read_telegram_update(const config::Chat& chat, const HookHeaders& headers, std::string_view body);

// One update object, however it came. `bytes` is what is kept of it (the webhook's body, or the
// update as getUpdates gave it).
HookResult read_telegram_update_object(const config::Chat& chat, const nlohmann::json& update, std::string bytes);

}  // namespace redress::connectors::chat_in
