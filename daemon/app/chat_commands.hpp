#pragma once
// `redress chat setup NAME`: tells the platform where the chat's customers' messages go.
//   telegram, mode "webhook"  setWebhook (url <http.public_url>/hooks/NAME, the secret_token, the
//                             updates we take), then prints getWebhookInfo
//   telegram, mode "poll"     deleteWebhook (Telegram refuses getUpdates while a webhook is set), then
//                             prints getWebhookInfo
//   slack, webhook            nothing to call: prints what to enter at Slack or give the bridge
// Exit codes: 0 done, 1 refused or failed (one line on stderr says why), 2 the config cannot be read.

#include "chat/telegram_bot_api.hpp"
#include "config/config.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

namespace redress::app {

void register_chat_commands(CLI::App& app, const std::filesystem::path& install_dir);

int run_chat_setup(const config::Config& config, const std::string& name, std::ostream& out, std::ostream& err);

// What `chat setup` prints of getWebhookInfo: one "  label  value" line each.
std::string webhook_info_text(const connectors::chat::WebhookInfo& info);

}  // namespace redress::app
