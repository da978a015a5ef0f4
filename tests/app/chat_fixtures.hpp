#pragma once
// What the chat daemon tests share (chat_daemon_test.cpp, chat_poll_daemon_test.cpp,
// chat_files_daemon_test.cpp): the chat fixtures on disk, the chats' secrets and signed headers, a
// delivery posted as the platforms post it; with daemon_http.hpp's answers, port and /metrics.

#include "auth/secrets.hpp"
#include "daemon_fixtures.hpp"
#include "daemon_http.hpp"
#include "daemon_process.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace redress::testing {

// A file of tests/fixtures/chat (a platform's update or event as it posts it).
inline std::string fixture(const std::string& name)
{
    return read_file(std::filesystem::path(REDRESS_FIXTURES_DIR) / "chat" / name);
}

// The chats' secrets in the tests' configs.
inline const std::string k_tg_secret = "tg-secret_token-0123456789";
inline const std::string k_slack_secret = "slack-signing-secret-0123456789abcdef";
inline const std::string k_web_secret = "web-signing-secret-0123456789";

// Slack's v0 signature of `body` at `at` (X-Slack-Request-Timestamp, X-Slack-Signature).
inline httplib::Headers slack_headers(const std::string& body, long long at = now_seconds(),
                                      const std::string& secret = k_slack_secret)
{
    std::string ts = std::to_string(at);
    return {{"X-Slack-Request-Timestamp", ts},
            {"X-Slack-Signature", "v0=" + auth::hmac_sha256_hex(secret, "v0:" + ts + ":" + body)}};
}

// The JSON webhook's signature of `body` at `at` (X-Redress-Timestamp, X-Redress-Signature).
inline httplib::Headers web_headers(const std::string& body, long long at = now_seconds(),
                                    const std::string& secret = k_web_secret)
{
    std::string ts = std::to_string(at);
    return {{"X-Redress-Timestamp", ts},
            {"X-Redress-Signature", "sha256=" + auth::hmac_sha256_hex(secret, ts + "." + body)}};
}

// The chat tests' config: Kettle Shop, the HTTP server on a port the kernel chooses, and three chats
// whose services are the stand-in at `base`: "tg" (Telegram), "slack" and "web" (the JSON webhook,
// with `webhook_extra`'s keys); `extra`'s sections are added at the top.
inline std::string three_chats_config(const std::string& base, const nlohmann::json& extra = nlohmann::json::object(),
                                      const nlohmann::json& webhook_extra = nlohmann::json::object())
{
    using nlohmann::json;
    json tg = json::object({{"name", "tg"},
                            {"type", "telegram"},
                            {"bot_token", "123:TEST"},
                            {"api_base", base},
                            {"secret_token", k_tg_secret}});
    json slack = json::object({{"name", "slack"},
                               {"type", "slack"},
                               {"bot_token", "xoxb-test"},
                               {"api_base", base},
                               {"signing_secret", k_slack_secret}});
    json web =
        json::object({{"name", "web"}, {"type", "webhook"}, {"url", base + "/hook"}, {"signing_secret", k_web_secret}});
    web.update(webhook_extra);
    json config = json::object(
        {{"company", json::object({{"name", "Kettle Shop"}, {"support_address", "Support <support@shop.test>"}})},
         {"http", json::object({{"listen", "127.0.0.1:0"}})},
         {"chats", json::array({tg, slack, web})}});
    config.update(extra);
    return config.dump();
}

// A delivery posted to the daemon as a platform posts it (JSON, no Authorization).
inline Reply post(int port, const std::string& path, const std::string& body, const httplib::Headers& headers = {})
{
    return call(port, "POST", path, "", body, headers);
}

}  // namespace redress::testing
