#pragma once
// Routes by method and path pattern ("/api/v1/tickets/{number}/{step}"), with hooks that run before
// the handler (authentication, limits) and may answer instead of it. Pure: the HTTP server feeds it
// requests it has read, and tests call dispatch() directly.

#include "request.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace redress::http {

using Handler = std::function<Response(const Request&)>;
// Sees the matched request (route and params filled in); an answer ends the request there.
using Hook = std::function<std::optional<Response>(Request&)>;
// Sees every answer (the hooks' and the handlers', 404 and 405 too): counters, refusal metrics.
using Observer = std::function<void(const Request&, const Response&)>;

struct RouteInfo {
    std::string method;
    std::string pattern;
};

// Matches a pattern of literal segments and {name} segments against a path; the path parameters
// on success. Percent-escapes in a segment are decoded ("RD%2D1" is "RD-1"); an empty segment
// never matches a parameter.
std::optional<std::map<std::string, std::string>> match_route(std::string_view pattern, std::string_view path);

class Router {
public:
    void route(std::string method, std::string pattern, Handler handler);
    void before(Hook hook);
    void after(Observer observer);
    // The routes in the order they were added (the OpenAPI test walks them).
    std::vector<RouteInfo> routes() const;

    // 404 when no pattern matches the path; 405 (with Allow) when one matches but not for this
    // method; otherwise the hooks in order, then the handler. A handler that throws answers 500
    // and the exception's text goes to the log, not to the client.
    Response dispatch(Request request) const;

private:
    struct Route {
        std::string method;
        std::string pattern;
        Handler handler;
    };
    std::vector<Route> m_routes;
    std::vector<Hook> m_hooks;
    std::vector<Observer> m_observers;
    Response answer(Request& request) const;
};

}  // namespace redress::http
