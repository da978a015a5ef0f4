#pragma once
// The daemon's HTTP server: cpp-httplib reads and writes on threads of its own, and every request
// goes through one Router (router.hpp), so handlers are functions of a Request. It answers
// /healthz and /metrics, and carries the manager's API and the chat webhooks as more routes. The
// daemon may run two: one for the private routes and one for the public ones (http.public_listen).
//
// Every answer, whatever route or refusal it comes from, carries the security headers below: the
// pages load nothing from elsewhere, run no inline script, cannot be framed, and send no Referer
// (the customer's signed links must not leak to another site).

#include "common/result.hpp"
#include "request.hpp"
#include "router.hpp"

#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace redress::http {

// The headers every answer carries (name, value).
const std::vector<std::pair<std::string, std::string>>& security_headers();

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
    // Bodies larger than this are refused with 413 (default 1 MiB). A body whose Content-Length is
    // over its path's limit is refused before it is read, a chunked one once the limit is passed;
    // either way no path reads more than its own limit because another path takes more.
    void set_body_limit(std::size_t bytes);
    // A path with a limit of its own (the complaint form and its attachments), and its own answer
    // over it (a page in the visitor's language rather than JSON), called with the request's
    // method, path, query, headers and remote address but no body.
    void set_body_limit(std::string path, std::size_t bytes, Handler too_large);
    // Told of each request refused with 413 for its body (method, path and remote address only):
    // the server answers those before any route or hook runs.
    void on_too_large(std::function<void(const Request&)> observer);

    // Binds "host:port" and serves on a thread of its own. Errors name the address.
    Result<void> start(const std::string& listen);
    void stop();
    int port() const { return m_port; }

private:
    struct PathLimit {
        std::size_t bytes = 0;
        Handler too_large;
    };
    std::size_t limit_for(std::string_view path) const;
    Response too_large(const Request& request) const;
    // Answers 413 to a body over its path's limit, read or not, and ends the connection after the
    // answer with a lingering close (lingering_server.hpp).
    void refuse(const httplib::Request& req, httplib::Response& res) const;

    std::unique_ptr<httplib::Server> m_server;
    Router m_router;
    std::function<void(const Request&)> m_too_large;
    std::size_t m_body_limit = std::size_t{1024} * 1024;
    std::map<std::string, PathLimit, std::less<>> m_path_limits;
    std::thread m_thread;
    std::atomic<bool> m_loop_ended{false};
    int m_port = 0;
};

}  // namespace redress::http
