#include "http_server.hpp"

#include <httplib.h>

#include <algorithm>

namespace redress::http {

const std::vector<std::pair<std::string, std::string>>& security_headers()
{
    // No inline script or style anywhere (the customer pages are plain HTML with one stylesheet and
    // one script module, both files); data: images for small icons; no framing (clickjacking), no
    // <base> rewriting, forms post only to us. Referrer-Policy: the status and survey links are
    // signed, and a Referer would hand them to any site a page links to.
    static const std::vector<std::pair<std::string, std::string>> headers{
        {"Content-Security-Policy",
         "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
         "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
    };
    return headers;
}

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
    for (const auto& [name, file] : in.files)
        out.parts.push_back(FormPart{file.name, file.filename, file.content_type, file.content});
    out.remote_address = in.remote_addr;
    return out;
}

// The request line and headers only: what a refusal before the body may look at.
Request head_of(const httplib::Request& in)
{
    Request out;
    out.method = in.method;
    out.path = in.path;
    for (const auto& [name, value] : in.params)
        out.query.emplace(name, value);
    for (const auto& [name, value] : in.headers)
        out.headers.emplace(name, value);
    out.remote_address = in.remote_addr;
    return out;
}

std::size_t body_size(const Request& request)
{
    std::size_t size = request.body.size();
    for (const auto& part : request.parts)
        size += part.content.size() + part.filename.size() + part.name.size();
    return size;
}

void write(const Response& r, httplib::Response& res)
{
    res.status = r.status;
    for (const auto& [name, value] : r.headers)
        res.set_header(name, value);
    res.set_content(r.body, r.content_type);
}

}  // namespace

HttpServer::HttpServer()
    : m_server(std::make_unique<httplib::Server>())
{
    // As packaged, cpp-httplib leaves Nagle on and every reply waits ~40 ms (MEASURED.md).
    m_server->set_tcp_nodelay(true);
    set_body_limit(std::size_t{1024} * 1024);
    httplib::Headers defaults;
    for (const auto& [name, value] : security_headers())
        defaults.emplace(name, value);
    m_server->set_default_headers(defaults);
    // Every method goes through our router; httplib only reads and writes.
    auto serve = [this](const httplib::Request& req, httplib::Response& res) {
        Request request = to_request(req);
        // httplib reads bodies up to the largest limit of any path; this path's own may be smaller.
        if (body_size(request) > limit_for(request.path)) {
            if (m_too_large)
                m_too_large(head_of(req));
            write(too_large(head_of(req)), res);
            return;
        }
        write(m_router.dispatch(std::move(request)), res);
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
        if (m_too_large)
            m_too_large(head_of(req));
        write(this->too_large(head_of(req)), res);
        return httplib::Server::HandlerResponse::Handled;
    };
    m_server->set_error_handler(too_large);
}

std::size_t HttpServer::limit_for(std::string_view path) const
{
    auto it = m_path_limits.find(path);
    return it == m_path_limits.end() ? m_body_limit : it->second.bytes;
}

Response HttpServer::too_large(const Request& request) const
{
    Response answer = error_response(413, "http.too_large", "The body is larger than this server takes.");
    if (auto it = m_path_limits.find(request.path); it != m_path_limits.end() && it->second.too_large)
        answer = it->second.too_large(request);
    answer.status = 413;
    return answer;
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
    m_body_limit = bytes;
    std::size_t largest = bytes;
    for (const auto& [path, limit] : m_path_limits)
        largest = std::max(largest, limit.bytes);
    m_server->set_payload_max_length(largest);
}

void HttpServer::set_body_limit(std::string path, std::size_t bytes, Handler too_large)
{
    m_path_limits.insert_or_assign(std::move(path), PathLimit{bytes, std::move(too_large)});
    set_body_limit(m_body_limit);
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
    m_loop_ended = false;
    m_thread = std::thread([this] {
        m_server->listen_after_bind();
        m_loop_ended = true;
    });
    // httplib's stop() does nothing to a server whose loop has not begun, and the loop would then
    // run for ever: return only once it runs (or has ended), so that a stop right after the start
    // (the daemon giving up when its second address cannot be had) ends it.
    while (!m_server->is_running() && !m_loop_ended)
        std::this_thread::yield();
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
