#include "http_server.hpp"

#include <httplib.h>

namespace redress::http {

namespace {

Request to_request(const httplib::Request& in)
{
    Request out;
    out.method = in.method;
    out.path = in.path;
    for (const auto& [name, value] : in.params)
        out.query.emplace(name, value);
    for (const auto& [name, value] : in.headers)
        out.headers.emplace(name, value);
    out.body = in.body;
    out.remote_address = in.remote_addr;
    return out;
}

}  // namespace

HttpServer::HttpServer()
    : m_server(std::make_unique<httplib::Server>())
{
    // As packaged, cpp-httplib leaves Nagle on and every reply waits ~40 ms (MEASURED.md).
    m_server->set_tcp_nodelay(true);
    set_body_limit(1024 * 1024);
    // Every method goes through our router; httplib only reads and writes.
    auto serve = [this](const httplib::Request& req, httplib::Response& res) {
        Response r = m_router.dispatch(to_request(req));
        res.status = r.status;
        for (const auto& [name, value] : r.headers)
            res.set_header(name, value);
        res.set_content(r.body, r.content_type);
    };
    m_server->Get(".*", serve);
    m_server->Post(".*", serve);
    m_server->Put(".*", serve);
    m_server->Patch(".*", serve);
    m_server->Delete(".*", serve);
    m_server->Options(".*", serve);
    // cpp-httplib answers a body over the limit with a bare 413 before routing (it reads no further
    // than the limit); our own error answers always have a body, so an empty one is that refusal.
    httplib::Server::HandlerWithResponse too_large = [this](const httplib::Request& req, httplib::Response& res) {
        if (res.status != 413 || !res.body.empty())
            return httplib::Server::HandlerResponse::Unhandled;
        if (m_too_large) {
            Request r;
            r.method = req.method;
            r.path = req.path;
            r.remote_address = req.remote_addr;
            m_too_large(r);
        }
        Response e = error_response(413, "http.too_large", "The body is larger than this server takes.");
        res.set_content(e.body, e.content_type);
        return httplib::Server::HandlerResponse::Handled;
    };
    m_server->set_error_handler(too_large);
}

void HttpServer::on_too_large(std::function<void(const Request&)> observer)
{
    m_too_large = std::move(observer);
}

HttpServer::~HttpServer()
{
    stop();
}

void HttpServer::route(std::string method, std::string pattern, Handler handler)
{
    m_router.route(std::move(method), std::move(pattern), std::move(handler));
}

void HttpServer::get(const std::string& path, std::function<Response()> handler)
{
    route("GET", path, [handler = std::move(handler)](const Request&) { return handler(); });
}

void HttpServer::before(Hook hook)
{
    m_router.before(std::move(hook));
}

void HttpServer::set_body_limit(std::size_t bytes)
{
    m_server->set_payload_max_length(bytes);
}

Result<void> HttpServer::start(const std::string& listen)
{
    auto colon = listen.rfind(':');
    if (colon == std::string::npos)
        return make_error("http.listen",
                          "http.listen must be host:port, such as 127.0.0.1:8025; found \"" + listen + "\"");
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
