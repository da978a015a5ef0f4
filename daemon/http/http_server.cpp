#include "http_server.hpp"

#include <httplib.h>

namespace redress::http {

HttpServer::HttpServer() : m_server(std::make_unique<httplib::Server>())
{
    // As packaged, cpp-httplib leaves Nagle on and every reply waits ~40 ms (MEASURED.md).
    m_server->set_tcp_nodelay(true);
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::get(const std::string& path, std::function<Response()> handler)
{
    m_server->Get(path, [handler = std::move(handler)](const httplib::Request&, httplib::Response& res) {
        Response r = handler();
        res.status = r.status;
        res.set_content(r.body, r.content_type);
    });
}

Result<void> HttpServer::start(const std::string& listen)
{
    auto colon = listen.rfind(':');
    if (colon == std::string::npos)
        return make_error("http.listen", "http.listen must be host:port, such as 127.0.0.1:8025; found \"" + listen + "\"");
    std::string host = listen.substr(0, colon);
    int port = 0;
    try {
        port = std::stoi(listen.substr(colon + 1));
    } catch (...) {
        port = -1;
    }
    if (port < 0 || port > 65535)
        return make_error("http.listen", "http.listen has no valid port: \"" + listen + "\"");
    if (port == 0)
        m_port = m_server->bind_to_any_port(host);
    else
        m_port = m_server->bind_to_port(host, port) ? port : -1;
    if (m_port <= 0)
        return make_error("http.listen", "cannot listen on " + listen + " (in use, or not an address of this machine)");
    m_thread = std::thread([this] { m_server->listen_after_bind(); });
    return {};
}

void HttpServer::stop()
{
    if (m_thread.joinable()) {
        m_server->stop();
        m_thread.join();
    }
}

}  // namespace redress::http
