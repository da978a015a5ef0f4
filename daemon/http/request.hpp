#pragma once
// A request and a response as the daemon's handlers see them: plain values, no sockets, so that the
// API's functions (daemon/api) and the chat webhooks are tested by calling them.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace redress::http {

// Header names compare without regard to case (RFC 9110 5.1).
struct HeaderNameLess {
    bool operator()(std::string_view a, std::string_view b) const;
    using is_transparent = void;
};
using Headers = std::multimap<std::string, std::string, HeaderNameLess>;

// One part of a multipart/form-data body (RFC 7578): a field, or a file when `filename` is set.
struct FormPart {
    std::string name;
    std::string filename;
    std::string content_type;
    std::string content;
};

struct Request {
    std::string method;                             // "GET", "POST", ...
    std::string path;                               // without the query: "/api/v1/tickets/RD-000001/take"
    std::multimap<std::string, std::string> query;  // decoded
    Headers headers;
    std::string body;             // empty for multipart/form-data: its parts are in `parts`
    std::vector<FormPart> parts;  // multipart/form-data (by field name; one field's files in the order sent)
    std::string remote_address;
    std::string route;                          // the pattern that matched: "/api/v1/tickets/{number}/{step}"
    std::map<std::string, std::string> params;  // path parameters: {"number": "RD-000001", "step": "take"}
    // What hooks found out for the handler, such as the authenticated person ("user", "role"). Never
    // read from the client: only hooks write here.
    std::map<std::string, std::string> attributes;

    // The first value of a header or query parameter, if any.
    std::optional<std::string> header(std::string_view name) const;
    std::optional<std::string> query_value(std::string_view name) const;
    std::string param(std::string_view name) const;  // "" when the route has no such parameter
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers = {};

    Response& with_header(std::string name, std::string value)
    {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

// A JSON error body {"error": code, "message": sentence} with its status.
Response error_response(int status, std::string_view code, std::string_view message);

}  // namespace redress::http
