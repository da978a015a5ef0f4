#include "chat_service.hpp"

#include <httplib.h>

#include <algorithm>
#include <condition_variable>
#include <thread>

namespace redress::testing {

struct ChatService::Impl {
    std::unique_ptr<httplib::Server> server;
    std::thread thread;
    mutable std::mutex mutex;
    mutable std::condition_variable arrived;
    std::deque<ChatReply> script;
    std::vector<ChatRequest> requests;
};

ChatService::ChatService()
    : m_impl(std::make_unique<Impl>())
{
}

ChatService::~ChatService()
{
    stop();
}

bool ChatService::start()
{
    m_impl->server = std::make_unique<httplib::Server>();
    return listen();
}

bool ChatService::start_tls(const std::filesystem::path& cert, const std::filesystem::path& key)
{
    // cpp-httplib has SSLServer when built with OpenSSL, as Debian's is (CPPHTTPLIB_OPENSSL_SUPPORT
    // comes with its pkg-config flags).
    auto server = std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str());
    if (!server->is_valid())
        return false;
    m_impl->server = std::move(server);
    m_tls = true;
    return listen();
}

bool ChatService::listen()
{
    auto handle = [this](const httplib::Request& request, httplib::Response& response) {
        ChatRequest seen;
        seen.at = std::chrono::steady_clock::now();
        seen.method = request.method;
        seen.path = request.path;
        for (const auto& [name, value] : request.params)
            seen.query[name] = value;
        for (const auto& [name, value] : request.headers) {
            std::string lower = name;
            std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
            seen.headers[lower] = value;
        }
        seen.body = request.body;
        ChatReply reply;
        {
            std::lock_guard lock(m_impl->mutex);
            // https://api.slack.com/methods/users.info: the stand-in knows no users unless told.
            if (request.path == "/users.info")
                reply.body = R"({"ok":false,"error":"user_not_found"})";
            auto scripted = std::find_if(m_impl->script.begin(), m_impl->script.end(),
                                         [&](const ChatReply& r) { return r.path.empty() || r.path == request.path; });
            if (scripted != m_impl->script.end()) {
                reply = *scripted;
                m_impl->script.erase(scripted);
            }
            m_impl->requests.push_back(std::move(seen));
        }
        m_impl->arrived.notify_all();
        if (reply.hold.valid())
            reply.hold.wait();
        if (reply.delay.count() > 0)
            std::this_thread::sleep_for(reply.delay);
        response.status = reply.status;
        for (const auto& [name, value] : reply.headers)
            response.set_header(name, value);
        response.set_content(reply.body, "application/json");
    };
    m_impl->server->Post(R"(/bot[^/]+/sendMessage)", handle);
    m_impl->server->Post("/chat.postMessage", handle);
    m_impl->server->Post("/hook", handle);
    m_impl->server->Get("/users.info", handle);
    m_port = m_impl->server->bind_to_any_port("127.0.0.1");
    if (m_port <= 0)
        return false;
    // Bound already: connections wait in the backlog until the thread listens.
    m_impl->thread = std::thread([this] { m_impl->server->listen_after_bind(); });
    return true;
}

void ChatService::stop()
{
    if (m_impl->thread.joinable()) {
        m_impl->server->stop();
        m_impl->thread.join();
    }
}

std::string ChatService::base_url() const
{
    return (m_tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(m_port);
}

void ChatService::reply_next(ChatReply reply)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->script.push_back(std::move(reply));
}

std::vector<ChatRequest> ChatService::requests() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->requests;
}

bool ChatService::wait_for(std::size_t n, std::chrono::milliseconds timeout) const
{
    std::unique_lock lock(m_impl->mutex);
    return m_impl->arrived.wait_for(lock, timeout, [&] { return m_impl->requests.size() >= n; });
}

}  // namespace redress::testing
