#pragma once
// One HTTP exchange with a chat platform over libcurl, for every caller in this folder: a letter out
// (chat_sender), a Slack user looked up (slack_users), a Telegram Bot API method (telegram_bot_api).
// The request goes as it was built; what comes back is the status, the body (up to a limit), the
// Retry-After header, or why no answer came. What an answer means stays with each caller.

#include "common/time.hpp"
#include "config/config.hpp"

#include <nlohmann/json_fwd.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace redress::connectors::chat {

struct HttpRequest {
    std::string url;
    std::vector<std::string> headers;  // "Name: value"
    std::string body;
};

struct HttpReply {
    long status = 0;  // 0: no HTTP reply at all
    std::string body;
    std::optional<Seconds> retry_after;  // the Retry-After header, when it gave seconds
    std::string transport_error;         // set when the request did not get through
    bool stopped = false;                // the caller's stop ended the request (no status, no error text)
    bool too_long = false;               // refuse_longer ended it: the body went past max_body
};

struct HttpCallOptions {
    bool get = false;  // GET; otherwise POST with the request's body
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds total_timeout{30'000};
    std::size_t max_body = 64 * 1024;  // what is kept of the answer's body
    // An answer longer than max_body ends the request as a transport error (it is no answer of the
    // service's); otherwise the rest is read and dropped.
    bool refuse_longer = false;
    // Either ends the request in flight at once: the stop token wakes the wait, the flag is looked
    // at by libcurl while it works.
    std::stop_token stop;
    const std::atomic<bool>* stopping = nullptr;
};

// libcurl's global setup, once per process. Call it from the main thread, from the constructor of
// whatever makes requests later: it must not race another thread's first request.
void prepare_curl();

// Performs the request with the chat's TLS settings (verify_tls, ca_file).
HttpReply perform(const config::Chat& chat, const HttpRequest& request, const HttpCallOptions& options);

// Telegram's own word on how long to wait, in a 429's body: {"parameters": {"retry_after": 5}}.
std::optional<Seconds> retry_after_in(const nlohmann::json& answer);

// A service's text as one short line for logs and errors: valid UTF-8, no line breaks, at most 300
// bytes.
std::string one_line(std::string text);

}  // namespace redress::connectors::chat
