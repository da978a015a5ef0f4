#pragma once
// Telegram Bot API webhooks (https://core.telegram.org/bots/api#update, #setwebhook): one Update per
// request, with the secret_token given to setWebhook in X-Telegram-Bot-Api-Secret-Token.

#include "chat_hook.hpp"

namespace redress::connectors::chat_in {

HookResult read_telegram_update(const config::Chat& chat, const HookHeaders& headers, std::string_view body);

}  // namespace redress::connectors::chat_in
