#pragma once
// A chat service on loopback for the tests: a real HTTP server (cpp-httplib) that answers the
// calls Redress makes to Telegram's Bot API (/bot<token>/sendMessage), Slack's Web API
// (/chat.postMessage; GET /users.info?user=<id>, which knows no user unless a scripted reply names
// one) and to a JSON webhook (/hook), records each request, and replies as told.
// The real services are on the internet, where tests never go; this one speaks their replies as
// their documentation gives them.

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

private:
    struct Impl;
    bool listen();

    std::unique_ptr<Impl> m_impl;
    int m_port = -1;
    bool m_tls = false;
};

}  // namespace redress::testing
