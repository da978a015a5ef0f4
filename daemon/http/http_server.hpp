#pragma once
// The daemon's HTTP server: cpp-httplib reads and writes on threads of its own, and every request
// goes through one Router (router.hpp), so handlers are functions of a Request. It answers
// /healthz and /metrics, and carries the manager's API and the chat webhooks as more routes.

#include "common/result.hpp"
#include "request.hpp"
#include "router.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace redress::http {

class HttpServer {
public:
    HttpServer();
    ~HttpServer();

    // Routes are added before start().
    void route(std::string method, std::string pattern, Handler handler);
    void get(const std::string& path, std::function<Response()> handler);
    void before(Hook hook);
    // The router itself, for route tables added in one go (daemon/app/api_routes.cpp).
    Router& router() { return m_router; }
    // Bodies larger than this are refused with 413 before they are read whole (default 1 MiB).
    void set_body_limit(std::size_t bytes);
    // Told of each request refused with 413 for its body (method, path and remote address only):
    // the server answers those before any route or hook runs.
    void on_too_large(std::function<void(const Request&)> observer);

    // Binds "host:port" and serves on a thread of its own. Errors name the address.
    Result<void> start(const std::string& listen);
    void stop();
    int port() const { return m_port; }

private:
    std::unique_ptr<httplib::Server> m_server;
    Router m_router;
    std::function<void(const Request&)> m_too_large;
    std::thread m_thread;
    int m_port = 0;
};

}  // namespace redress::http
