#include "http_server.hpp"

#include "lingering_server.hpp"

#include <httplib.h>

#include <algorithm>
#include <charconv>

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

// The body's size as the request announces it (Content-Length); nullopt for a chunked body or a
// value that is no number (httplib judges those itself).
std::optional<std::size_t> announced_length(const httplib::Request& in)
{
    if (!in.has_header("Content-Length"))
        return std::nullopt;
    std::string value = in.get_header_value("Content-Length");
    std::size_t length = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (error != std::errc() || end != value.data() + value.size())
        return std::nullopt;
    return length;
}

enum class BodyRead { whole, too_large, broken };

// Reads the body into `out` (its body, or its parts for multipart/form-data) through httplib's
// reader, which reads a Content-Length body, a chunked one or one that ends with the connection,
// and stops once more than `limit` bytes came: a chunked body announces no size.
BodyRead read_body(const httplib::Request& in, const httplib::ContentReader& reader, std::size_t limit, Request& out)
{
    std::size_t taken = 0;
    bool over = false;
    auto take = [&](std::size_t bytes) {
        taken += bytes;
        over = taken > limit;
        return !over;
    };
    // RFC 9112 6.3: a request with neither Content-Length nor Transfer-Encoding has no body (httplib
    // would read until the client closes).
    if (!in.has_header("Content-Length") && !in.has_header("Transfer-Encoding"))
        return BodyRead::whole;
    bool read = false;
    if (in.is_multipart_form_data()) {
        read = reader(
            [&](const httplib::MultipartFormData& part) {
                out.parts.push_back(FormPart{part.name, part.filename, part.content_type, {}});
                return take(part.name.size() + part.filename.size());
            },
            [&](const char* data, std::size_t size) {
                if (out.parts.empty() || !take(size))
                    return false;
                out.parts.back().content.append(data, size);
                return true;
            });
    } else {
        read = reader([&](const char* data, std::size_t size) {
            if (!take(size))
                return false;
            out.body.append(data, size);
            return true;
        });
    }
    if (over)
        return BodyRead::too_large;
    return read ? BodyRead::whole : BodyRead::broken;
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
    : m_server(std::make_unique<LingeringServer>())
{
    // As packaged, cpp-httplib leaves Nagle on and every reply waits ~40 ms (MEASURED.md).
    m_server->set_tcp_nodelay(true);
    set_body_limit(std::size_t{1024} * 1024);
    httplib::Headers defaults;
    for (const auto& [name, value] : security_headers())
        defaults.emplace(name, value);
    m_server->set_default_headers(defaults);
    // Every method goes through our router; httplib only reads and writes. Requests that may carry
    // a body come with httplib's reader, so that we read the body ourselves, up to the path's own
    // limit: httplib would read any Content-Length body up to the largest limit of all paths (the
    // complaint form's files) and a chunked one without any limit.
    auto serve = [this](const httplib::Request& req, httplib::Response& res) {
        write(m_router.dispatch(to_request(req)), res);
    };
    auto serve_body = [this](const httplib::Request& req, httplib::Response& res,
                             const httplib::ContentReader& reader) {
        std::size_t limit = limit_for(req.path);
        // Announced over the limit: refused before a byte of the body is read.
        if (auto length = announced_length(req); length && *length > limit) {
            refuse(req, res);
            return;
        }
        Request request = to_request(req);
        switch (read_body(req, reader, limit, request)) {
        case BodyRead::whole:
            write(m_router.dispatch(std::move(request)), res);
            return;
        case BodyRead::too_large:
            refuse(req, res);
            return;
        case BodyRead::broken:
            // A malformed chunk or multipart body, or a client gone: where the next request would
            // begin is unknown.
            write(error_response(400, "http.bad_body", "The body could not be read."), res);
            res.set_header("Connection", "close");
            end_connection_after_answer(0);
            return;
        }
    };
    m_server->Get(".*", serve);
    m_server->Post(".*", serve_body);
    m_server->Put(".*", serve_body);
    m_server->Patch(".*", serve_body);
    m_server->Delete(".*", serve_body);
    m_server->Options(".*", serve);
    // A client that asks before it sends the body (Expect: 100-continue) learns of a refusal at once
    // and sends nothing (RFC 9110 10.1.1); httplib answers 100 to all others.
    m_server->set_expect_100_continue_handler([this](const httplib::Request& req, httplib::Response& res) {
        auto length = announced_length(req);
        if (!length || *length <= limit_for(req.path))
            return 100;
        refuse(req, res);
        return 413;
    });
}

void HttpServer::refuse(const httplib::Request& req, httplib::Response& res) const
{
    Request head = head_of(req);
    if (m_too_large)
        m_too_large(head);
    write(too_large(head), res);
    // The rest of the body is not read as a request: the connection ends after the answer, reading
    // and dropping at most twice the path's limit of what the client still sends, so that a client
    // which sends its whole body before it reads (most do) reads the refusal rather than a reset.
    // Beyond that the connection is cut.
    res.set_header("Connection", "close");
    end_connection_after_answer(2 * limit_for(req.path));
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
