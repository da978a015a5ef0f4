#include "chat_service.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <condition_variable>
#include <regex>
#include <thread>

namespace redress::testing {

struct ChatService::Impl {
    std::unique_ptr<httplib::Server> server;
    std::thread thread;
    mutable std::mutex mutex;
    mutable std::condition_variable arrived;
    std::deque<ChatReply> script;
    std::vector<ChatRequest> requests;

    // The Bot API beyond sendMessage.
    std::map<std::string, std::deque<ChatReply>> bot_script;
    std::map<std::string, std::vector<ChatRequest>> bot_calls;
    std::vector<nlohmann::json> updates;  // waiting for getUpdates, by update_id
    std::deque<nlohmann::json> again;     // served once whatever the offset
    std::string webhook_url;
    nlohmann::json webhook_updates = nlohmann::json::array();
    std::chrono::milliseconds long_poll_cap{60'000};
    bool stopping = false;
    std::map<std::string, std::string> telegram_files;  // file_id -> file_path
    std::map<std::string, std::string> served;          // path -> bytes

    void handle_bot(const std::string& method, const httplib::Request& request, httplib::Response& response);
    nlohmann::json get_updates(const nlohmann::json& asked, std::unique_lock<std::mutex>& lock);
};

namespace {

std::string ok_json(const nlohmann::json& result, const std::string& description = {})
{
    nlohmann::json answer{{"ok", true}, {"result", result}};
    if (!description.empty())
        answer["description"] = description;
    return answer.dump();
}

long long update_id(const nlohmann::json& update)
{
    return update.value("update_id", 0LL);
}

}  // namespace

// getUpdates (core.telegram.org/bots/api#getupdates): updates from `offset` on, at most `limit`; an
// offset forgets every update before it. With nothing to give, the request is held up to `timeout`
// seconds, and answered as soon as an update comes.
nlohmann::json ChatService::Impl::get_updates(const nlohmann::json& asked, std::unique_lock<std::mutex>& lock)
{
    long long offset = asked.value("offset", 0LL);
    std::size_t limit = static_cast<std::size_t>(asked.value("limit", 100));
    auto hold = std::min<std::chrono::milliseconds>(std::chrono::seconds(asked.value("timeout", 0)), long_poll_cap);
    auto deadline = std::chrono::steady_clock::now() + hold;
    for (;;) {
        if (offset > 0)
            std::erase_if(updates, [&](const nlohmann::json& u) { return update_id(u) < offset; });
        nlohmann::json result = nlohmann::json::array();
        while (!again.empty() && result.size() < limit) {
            result.push_back(again.front());
            again.pop_front();
        }
        for (const auto& u : updates)
            if (result.size() < limit)
                result.push_back(u);
        if (!result.empty() || stopping || std::chrono::steady_clock::now() >= deadline)
            return result;
        arrived.wait_until(lock, deadline);
    }
}

void ChatService::Impl::handle_bot(const std::string& method, const httplib::Request& request,
                                   httplib::Response& response)
{
    ChatRequest seen;
    seen.at = std::chrono::steady_clock::now();
    seen.path = request.path;
    for (const auto& [name, value] : request.headers) {
        std::string lower = name;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        seen.headers[lower] = value;
    }
    seen.body = request.body;
    nlohmann::json asked = nlohmann::json::parse(request.body, nullptr, false);
    if (!asked.is_object())
        asked = nlohmann::json::object();

    std::unique_lock lock(mutex);
    bot_calls[method].push_back(std::move(seen));
    arrived.notify_all();
    auto& scripted = bot_script[method];
    if (!scripted.empty()) {
        ChatReply reply = scripted.front();
        scripted.pop_front();
        lock.unlock();
        if (reply.delay.count() > 0)
            std::this_thread::sleep_for(reply.delay);
        response.status = reply.status;
        for (const auto& [name, value] : reply.headers)
            response.set_header(name, value);
        response.set_content(reply.body, "application/json");
        return;
    }
    std::string body;
    if (method == "getUpdates") {
        if (!webhook_url.empty()) {
            response.status = 409;
            body = R"({"ok":false,"error_code":409,"description":"Conflict: can't use getUpdates method while )"
                   R"(webhook is active; use deleteWebhook to delete the webhook first"})";
        } else {
            body = ok_json(get_updates(asked, lock));
        }
    } else if (method == "setWebhook") {
        webhook_url = asked.value("url", "");
        webhook_updates = asked.value("allowed_updates", nlohmann::json::array());
        body = ok_json(true, "Webhook was set");
    } else if (method == "deleteWebhook") {
        webhook_url.clear();
        webhook_updates = nlohmann::json::array();
        if (asked.value("drop_pending_updates", false))
            updates.clear();
        body = ok_json(true, "Webhook was deleted");
    } else if (method == "getFile") {
        // core.telegram.org/bots/api#getfile: the File object, its path under /file/bot<token>/.
        auto file = telegram_files.find(asked.value("file_id", ""));
        if (file == telegram_files.end()) {
            response.status = 400;
            body = R"({"ok":false,"error_code":400,"description":"Bad Request: invalid file_id"})";
        } else {
            auto bytes = served.find("/file/" + file->second);
            body = ok_json({{"file_id", file->first},
                            {"file_unique_id", "u-" + file->first},
                            {"file_size", bytes == served.end() ? 0 : bytes->second.size()},
                            {"file_path", file->second}});
        }
    } else if (method == "getWebhookInfo") {
        nlohmann::json info{
            {"url", webhook_url}, {"has_custom_certificate", false}, {"pending_update_count", updates.size()}};
        if (!webhook_url.empty()) {
            info["max_connections"] = 40;
            info["ip_address"] = "127.0.0.1";
            if (!webhook_updates.empty())
                info["allowed_updates"] = webhook_updates;
        }
        body = ok_json(info);
    } else {
        response.status = 404;
        body = R"({"ok":false,"error_code":404,"description":"Not Found: method not found"})";
    }
    lock.unlock();
    response.set_content(body, "application/json");
}

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
    m_impl->server->Post(R"(/bot[^/]+/(getUpdates|setWebhook|deleteWebhook|getWebhookInfo|getFile))",
                         [this](const httplib::Request& request, httplib::Response& response) {
                             m_impl->handle_bot(request.matches[1].str(), request, response);
                         });
    m_impl->server->Post("/chat.postMessage", handle);
    m_impl->server->Post("/hook", handle);
    m_impl->server->Get("/users.info", handle);
    // After every other GET route: httplib tries them in order.
    // Downloads: Telegram's file path (the token in it is checked by the path's shape only) and any
    // other path served (Slack's url_private).
    m_impl->server->Get(R"(/.+)", [this](const httplib::Request& request, httplib::Response& response) {
        ChatRequest seen;
        seen.at = std::chrono::steady_clock::now();
        seen.method = request.method;
        seen.path = request.path;
        for (const auto& [name, value] : request.headers) {
            std::string lower = name;
            std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
            seen.headers[lower] = value;
        }
        std::string key = request.path;
        static const std::regex k_telegram(R"(^/file/bot[^/]+/(.+)$)");
        std::smatch m;
        if (std::regex_match(key, m, k_telegram))
            key = "/file/" + m[1].str();
        std::lock_guard lock(m_impl->mutex);
        m_impl->bot_calls["download"].push_back(std::move(seen));
        m_impl->arrived.notify_all();
        auto file = m_impl->served.find(key);
        if (file == m_impl->served.end()) {
            response.status = 404;
            response.set_content("not found", "text/plain");
            return;
        }
        response.set_content(file->second, "application/octet-stream");
    });
    m_port = m_impl->server->bind_to_any_port("127.0.0.1");
    if (m_port <= 0)
        return false;
    // Bound already: connections wait in the backlog until the thread listens.
    m_impl->thread = std::thread([this] { m_impl->server->listen_after_bind(); });
    return true;
}

void ChatService::stop()
{
    {
        // A held getUpdates answers at once, so the server's threads can end.
        std::lock_guard lock(m_impl->mutex);
        m_impl->stopping = true;
    }
    m_impl->arrived.notify_all();
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

namespace redress::testing {

void ChatService::add_update(const std::string& update)
{
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->updates.push_back(nlohmann::json::parse(update));
    }
    m_impl->arrived.notify_all();
}

void ChatService::offer_again(const std::string& update)
{
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->again.push_back(nlohmann::json::parse(update));
    }
    m_impl->arrived.notify_all();
}

void ChatService::reply_next_bot(const std::string& method, ChatReply reply)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->bot_script[method].push_back(std::move(reply));
}

std::vector<ChatRequest> ChatService::bot_calls(const std::string& method) const
{
    std::lock_guard lock(m_impl->mutex);
    auto it = m_impl->bot_calls.find(method);
    return it == m_impl->bot_calls.end() ? std::vector<ChatRequest>{} : it->second;
}

bool ChatService::wait_for_bot_calls(const std::string& method, std::size_t n, std::chrono::milliseconds timeout) const
{
    std::unique_lock lock(m_impl->mutex);
    return m_impl->arrived.wait_for(lock, timeout, [&] {
        auto it = m_impl->bot_calls.find(method);
        return it != m_impl->bot_calls.end() && it->second.size() >= n;
    });
}

std::string ChatService::webhook_url() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->webhook_url;
}

void ChatService::set_webhook_url(const std::string& url)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->webhook_url = url;
}

void ChatService::set_long_poll_cap(std::chrono::milliseconds cap)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->long_poll_cap = cap;
}

void ChatService::add_telegram_file(const std::string& file_id, const std::string& file_path, const std::string& bytes)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->telegram_files[file_id] = file_path;
    m_impl->served["/file/" + file_path] = bytes;
}

void ChatService::serve_file(const std::string& path, const std::string& bytes)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->served[path] = bytes;
}

}  // namespace redress::testing
