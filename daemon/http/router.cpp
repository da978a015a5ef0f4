#include "router.hpp"

#include "common/log.hpp"
#include "common/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace redress::http {

bool HeaderNameLess::operator()(std::string_view a, std::string_view b) const
{
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](unsigned char x, unsigned char y) {
        return std::tolower(x) < std::tolower(y);
    });
}

std::optional<std::string> Request::header(std::string_view name) const
{
    auto it = headers.find(name);
    if (it == headers.end())
        return std::nullopt;
    return it->second;
}

std::optional<std::string> Request::query_value(std::string_view name) const
{
    auto it = query.find(std::string(name));
    if (it == query.end())
        return std::nullopt;
    return it->second;
}

std::string Request::param(std::string_view name) const
{
    auto it = params.find(std::string(name));
    return it == params.end() ? std::string() : it->second;
}

Response error_response(int status, std::string_view code, std::string_view message)
{
    nlohmann::json body{{"error", code}, {"message", message}};
    return Response{status, "application/json", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

namespace {

std::vector<std::string_view> segments(std::string_view path)
{
    std::vector<std::string_view> out;
    std::size_t start = path.starts_with('/') ? 1 : 0;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        if (slash == std::string_view::npos) {
            out.push_back(path.substr(start));
            break;
        }
        out.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

// RFC 3986 2.1; a malformed escape stays as written.
std::string percent_decode(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            int hi = hex_digit_value(text[i + 1]), lo = hex_digit_value(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

}  // namespace

std::optional<std::map<std::string, std::string>> match_route(std::string_view pattern, std::string_view path)
{
    auto want = segments(pattern);
    auto have = segments(path);
    if (want.size() != have.size())
        return std::nullopt;
    std::map<std::string, std::string> params;
    for (std::size_t i = 0; i < want.size(); ++i) {
        std::string_view w = want[i];
        if (w.size() >= 2 && w.front() == '{' && w.back() == '}') {
            if (have[i].empty())
                return std::nullopt;
            params.emplace(std::string(w.substr(1, w.size() - 2)), percent_decode(have[i]));
        } else if (w != have[i]) {
            return std::nullopt;
        }
    }
    return params;
}

void Router::route(std::string method, std::string pattern, Handler handler)
{
    m_routes.push_back(Route{std::move(method), std::move(pattern), std::move(handler)});
}

void Router::before(Hook hook)
{
    m_hooks.push_back(std::move(hook));
}

void Router::after(Observer observer)
{
    m_observers.push_back(std::move(observer));
}

std::vector<RouteInfo> Router::routes() const
{
    std::vector<RouteInfo> out;
    for (const auto& r : m_routes)
        out.push_back(RouteInfo{r.method, r.pattern});
    return out;
}

Response Router::dispatch(Request request) const
{
    request.attributes.clear();
    Response response = answer(request);
    for (const auto& observer : m_observers)
        observer(request, response);
    return response;
}

Response Router::answer(Request& request) const
{
    const Route* found = nullptr;
    std::string allowed;
    for (const auto& r : m_routes) {
        auto params = match_route(r.pattern, request.path);
        if (!params)
            continue;
        // HEAD is answered as GET would be (RFC 9110 9.3.2); the server drops the body.
        bool same = r.method == request.method || (request.method == "HEAD" && r.method == "GET");
        if (same && !found) {
            found = &r;
            request.route = r.pattern;
            request.params = std::move(*params);
        }
        if (allowed.find(r.method) == std::string::npos)
            allowed += (allowed.empty() ? "" : ", ") + r.method;
    }
    if (!found) {
        if (allowed.empty())
            return error_response(404, "not_found", "There is nothing at " + request.path + ".");
        return error_response(405, "method_not_allowed", request.method + " is not allowed here; use " + allowed + ".")
            .with_header("Allow", allowed);
    }
    try {
        for (const auto& hook : m_hooks)
            if (auto answer = hook(request))
                return *answer;
        return found->handler(request);
    } catch (const std::exception& e) {
        log::error("http.handler_failed", {{"route", found->pattern}, {"method", request.method}, {"error", e.what()}});
        return error_response(500, "internal",
                              "Something went wrong on our side; the details are in the daemon's log.");
    }
}

}  // namespace redress::http
