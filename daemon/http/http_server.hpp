#pragma once
// The daemon's HTTP server (cpp-httplib on its own threads). Now it answers /healthz and /metrics;
// the manager's API and web page of the next round are more routes on the same server.

#include "common/result.hpp"

#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace redress::http {

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
};

class HttpServer {
public:
    HttpServer();
    ~HttpServer();

    void get(const std::string& path, std::function<Response()> handler);

    // Binds "host:port" and serves on a thread of its own. Errors name the address.
    Result<void> start(const std::string& listen);
    void stop();
    int port() const { return m_port; }

private:
    std::unique_ptr<httplib::Server> m_server;
    std::thread m_thread;
    int m_port = 0;
};

}  // namespace redress::http
