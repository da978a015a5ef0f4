#include "chat_commands.hpp"

#include "common/text.hpp"

#include <iostream>
#include <memory>

namespace redress::app {

using connectors::chat::TelegramBotApi;
using connectors::chat::WebhookInfo;
using nlohmann::json;

namespace {

// "https://api.telegram.org:443/x" -> "api.telegram.org"; "http://[::1]:8080" -> "::1".
std::string host_of(std::string_view url)
{
    auto scheme = url.find("://");
    if (scheme != std::string_view::npos)
        url.remove_prefix(scheme + 3);
    url = url.substr(0, url.find_first_of("/?#"));
    if (auto at = url.rfind('@'); at != std::string_view::npos)
        url.remove_prefix(at + 1);
    if (url.starts_with('[')) {
        auto close = url.find(']');
        return std::string(url.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
    }
    return std::string(url.substr(0, url.find(':')));
}

void line(std::string& out, std::string_view label, std::string_view value)
{
    out += "  " + std::string(label);
    out += std::string(label.size() < 18 ? 18 - label.size() : 1, ' ');
    out += std::string(value) + "\n";
}

int fail(std::ostream& err, const std::string& reason)
{
    err << "redress: " << reason << "\n";
    return 1;
}

int setup_telegram_webhook(const config::Config& config, const config::Chat& chat, std::ostream& out, std::ostream& err)
{
    if (chat.secret_token.empty())
        return fail(err, "chat " + chat.name +
                             " has no secret_token: set one (1 to 256 of A-Z, a-z, 0-9, _ and -); without it the "
                             "daemon refuses every delivery, since anyone could post to the URL");
    if (!config.http.enabled)
        return fail(err, "the config has no \"http\" section, so the daemon takes no webhooks: add one (listen, "
                         "public_url), or give chat " +
                             chat.name + " \"mode\": \"poll\"");
    std::string url = connectors::chat::webhook_url(config.http.public_url, chat.name);
    // Telegram posts to https:// URLs only (core.telegram.org/bots/api#setwebhook). A Bot API on this
    // machine (a test's stand-in, a local Bot API server) may take http.
    bool local_api = config::is_loopback_host(host_of(chat.api_base));
    if (!istarts_with(config.http.public_url, "https://") && !local_api)
        return fail(err, "Telegram only posts to https:// URLs and http.public_url is \"" + config.http.public_url +
                             "\": put the daemon behind an https proxy and set http.public_url to its address, or "
                             "give chat " +
                             chat.name + " \"mode\": \"poll\"");

    TelegramBotApi api(chat);
    json request{
        {"url", url}, {"secret_token", chat.secret_token}, {"allowed_updates", connectors::chat::allowed_updates()}};
    if (auto set = api.call("setWebhook", request); !set)
        return fail(err, set.error().message);
    out << chat.name << ": Telegram posts the bot's updates to " << url << " (with the secret token; updates: "
        << "message, edited_message)";
    if (!istarts_with(url, "https://"))
        out << "; http is accepted only because api_base is on this machine";
    out << "\n";
    auto info = api.call("getWebhookInfo", json::object());
    if (!info)
        return fail(err, info.error().message);
    WebhookInfo registered = connectors::chat::webhook_info_of(*info);
    out << "getWebhookInfo:\n" << webhook_info_text(registered);
    if (registered.url != url)
        return fail(err, "Telegram reports the webhook as \"" + registered.url + "\", not \"" + url + "\"");
    return 0;
}

int setup_telegram_poll(const config::Chat& chat, std::ostream& out, std::ostream& err)
{
    TelegramBotApi api(chat);
    // Updates that wait are kept: the daemon's first getUpdates takes them.
    if (auto deleted = api.call("deleteWebhook", json{{"drop_pending_updates", false}}); !deleted)
        return fail(err, deleted.error().message);
    out << chat.name << ": no webhook is set, so the bot's updates wait for getUpdates, which `redress serve` "
        << "asks for (mode \"poll\"); Telegram keeps them for 24 hours\n";
    auto info = api.call("getWebhookInfo", json::object());
    if (!info)
        return fail(err, info.error().message);
    WebhookInfo registered = connectors::chat::webhook_info_of(*info);
    out << "getWebhookInfo:\n" << webhook_info_text(registered);
    if (!registered.url.empty())
        return fail(err, "Telegram still reports a webhook (\"" + registered.url + "\")");
    return 0;
}

}  // namespace

std::string webhook_info_text(const WebhookInfo& info)
{
    std::string out;
    line(out, "url", info.url.empty() ? "(none)" : info.url);
    line(out, "pending updates", std::to_string(info.pending_update_count));
    if (info.last_error_date)
        line(out, "last error", format_iso8601_utc(*info.last_error_date) + ": " + info.last_error_message);
    else
        line(out, "last error", "none");
    std::string updates;
    for (const auto& u : info.allowed_updates)
        updates += (updates.empty() ? "" : ", ") + u;
    line(out, "allowed updates", updates.empty() ? "(all but a few, Telegram's default)" : updates);
    if (info.max_connections > 0)
        line(out, "max connections", std::to_string(info.max_connections));
    return out;
}

int run_chat_setup(const config::Config& config, const std::string& name, std::ostream& out, std::ostream& err)
{
    const config::Chat* chat = config.chat(name);
    if (!chat) {
        std::string names;
        for (const auto& c : config.chats)
            names += (names.empty() ? "" : ", ") + c.name;
        return fail(err, "no chat named \"" + name + "\" in the config (" +
                             (names.empty() ? std::string("it has none") : "it has " + names) + ")");
    }
    std::string url = connectors::chat::webhook_url(config.http.public_url, chat->name);
    switch (chat->type) {
    case config::ChatType::telegram:
        return chat->mode == config::ChatMode::poll ? setup_telegram_poll(*chat, out, err)
                                                    : setup_telegram_webhook(config, *chat, out, err);
    case config::ChatType::slack:
        out << chat->name << " is a Slack chat: Slack is set up in the app's settings at api.slack.com, nothing to "
            << "call from here.\n";
        out << "  Event Subscriptions, Request URL:  " << url << "\n"
            << "  Subscribe to bot events:           message.channels (message.groups and message.im for private "
               "channels and direct messages)\n"
            << "  Basic Information, Signing Secret: the chat's signing_secret\n"
            << "  Slack checks the URL with a url_verification request, which the running daemon answers.\n";
        return 0;
    case config::ChatType::webhook:
        out << chat->name << " is a JSON webhook chat: nothing to call from here; give your bridge\n"
            << "  URL:      POST " << url << "\n"
            << "  signed:   X-Redress-Timestamp: <unix seconds>, X-Redress-Signature: sha256=<hex HMAC-SHA256("
               "signing_secret, \"<timestamp>.<body>\")>\n"
            << "  answers:  to " << chat->url << ", signed the same way\n"
            << "  (docs/chat.md, \"The JSON webhook\", has the message's fields)\n";
        return 0;
    }
    return fail(err, "chat " + name + " has a type setup does not know");
}

void register_chat_commands(CLI::App& app, const std::filesystem::path& install_dir)
{
    struct Options {
        std::optional<std::filesystem::path> config_file;
        std::string name;
    };
    auto options = std::make_shared<Options>();
    auto* chat_cmd = app.add_subcommand("chat", "Chat channels");
    chat_cmd->require_subcommand(1);
    auto* setup = chat_cmd->add_subcommand(
        "setup", "Tell the platform where a chat's messages go: Telegram's setWebhook (or deleteWebhook for a poll "
                 "chat) and getWebhookInfo; for Slack and webhooks, what to set up there");
    setup->add_option("name", options->name, "The chat's name in the config's chats list")->required();
    setup->add_option("--config", options->config_file, "JSON config file (default: the embedded default)");
    setup->callback([options, install_dir] {
        auto load = config::load_config(options->config_file, install_dir);
        if (!load.config) {
            for (const auto& p : load.problems)
                std::cerr << "redress: " << p.to_string() << "\n";
            std::exit(2);
        }
        std::exit(run_chat_setup(*load.config, options->name, std::cout, std::cerr));
    });
}

}  // namespace redress::app
