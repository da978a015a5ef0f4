#pragma once
// A chat service on loopback for the tests: a real HTTP server (cpp-httplib) that answers the
// calls Redress makes to Telegram's Bot API (/bot<token>/sendMessage), Slack's Web API
// (/chat.postMessage; GET /users.info?user=<id>, which knows no user unless a scripted reply names
// one) and to a JSON webhook (/hook), records each request, and replies as told.
// The real services are on the internet, where tests never go; this one speaks their replies as
// their documentation gives them.
//
// It also stands in for the rest of the Bot API the daemon calls (core.telegram.org/bots/api):
// getUpdates serves the updates queued with add_update as Telegram does (an offset confirms, and
// forgets, every update before it; with nothing new the request is held up to its timeout; while a
// webhook is set it answers 409), and setWebhook, deleteWebhook and getWebhookInfo keep the webhook
// as Telegram would. Those calls are recorded apart (bot_calls), so requests() stays what was sent
// to customers.
//
// Files: getFile answers for the file ids added with add_telegram_file (Telegram's "Bad Request:
// invalid file_id" for others), and GET /file/bot<token>/<file_path> serves their bytes; Slack's
// url_private is any other path given to serve_file (GET, answered 404 unless served). Downloads are
// recorded as bot_calls("download").

#include <chrono>
#include <deque>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace redress::testing {

struct ChatRequest {
    std::chrono::steady_clock::time_point at;  // when it arrived
    std::string method;
    std::string path;
    std::map<std::string, std::string> query;    // GET parameters
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
};

struct ChatReply {
    int status = 200;
    std::string body = R"({"ok":true,"result":{"message_id":1}})";
    std::map<std::string, std::string> headers;
    std::chrono::milliseconds delay{0};  // a slow service: the reply waits this long
    std::shared_future<void> hold{};     // when valid, the reply waits until it is ready (the test says when)
    std::string path{};                  // when set, only a request to this path takes this reply
};

class ChatService {
public:
    ChatService();
    ~ChatService();
    ChatService(const ChatService&) = delete;
    ChatService& operator=(const ChatService&) = delete;

    bool start();  // on 127.0.0.1, a free port
    // The same over https with this certificate and key (PEM), as the real services speak.
    bool start_tls(const std::filesystem::path& cert, const std::filesystem::path& key);
    void stop();
    int port() const { return m_port; }
    std::string base_url() const;  // "http://127.0.0.1:<port>" ("https://" after start_tls)

    // The next requests get these replies, in order (a reply naming a path waits for a request to
    // it); after them, the default (200 {"ok":true}).
    void reply_next(ChatReply reply);
    std::vector<ChatRequest> requests() const;
    // Waits until at least n requests have come (false on timeout).
    bool wait_for(std::size_t n, std::chrono::milliseconds timeout) const;

    // Telegram's getUpdates: an update (a JSON object with its update_id) waits until an offset past it is asked.
    void add_update(const std::string& update);
    // Served once more by the next getUpdates whatever its offset: the overlap after a restart.
    void offer_again(const std::string& update);
    // The next calls of this Bot API method ("getUpdates", "setWebhook", ...) get these replies first.
    void reply_next_bot(const std::string& method, ChatReply reply);
    // The calls of a Bot API method other than sendMessage, in order.
    std::vector<ChatRequest> bot_calls(const std::string& method) const;
    bool wait_for_bot_calls(const std::string& method, std::size_t n, std::chrono::milliseconds timeout) const;
    // The webhook's url as the stand-in keeps it (empty: none), and the most getUpdates held a request.
    std::string webhook_url() const;
    void set_webhook_url(const std::string& url);
    void set_long_poll_cap(std::chrono::milliseconds cap);

    // A file Telegram keeps: getFile names `file_path` for `file_id`, and the bytes are served there.
    void add_telegram_file(const std::string& file_id, const std::string& file_path, const std::string& bytes);
    // The bytes served at this path (GET), as Slack serves url_private.
    void serve_file(const std::string& path, const std::string& bytes);

private:
    struct Impl;
    bool listen();

    std::unique_ptr<Impl> m_impl;
    int m_port = -1;
    bool m_tls = false;
};

}  // namespace redress::testing
