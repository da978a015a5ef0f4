#include "body.hpp"

#include "ticket_json.hpp"

#include <algorithm>

namespace redress::api {

using nlohmann::json;

namespace {

Error bad(std::string message)
{
    return make_error(ErrorKind::invalid, "api.body", std::move(message));
}

}  // namespace

Result<json> object_body(const http::Request& request, std::initializer_list<std::string_view> known)
{
    if (request.body.find_first_not_of(" \t\r\n") == std::string::npos)
        return json::object();
    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded())
        return bad("The body is not valid JSON.");
    if (!body.is_object())
        return bad("The body must be a JSON object.");
    for (const auto& [key, value] : body.items()) {
        if (std::find(known.begin(), known.end(), key) != known.end())
            continue;
        std::string list;
        for (auto k : known)
            list += (list.empty() ? "\"" : ", \"") + std::string(k) + "\"";
        return bad("Unknown field \"" + key + "\"; this takes " + (list.empty() ? "no fields" : list) + ".");
    }
    return body;
}

Result<std::string> text_field(const json& body, std::string_view name)
{
    auto it = body.find(std::string(name));
    if (it == body.end() || it->is_null())
        return std::string();
    if (!it->is_string())
        return bad("\"" + std::string(name) + "\" must be text, not " + std::string(it->type_name()) + ".");
    return it->get<std::string>();
}

Result<std::string> required_text(const json& body, std::string_view name)
{
    std::string value = TRY(text_field(body, name));
    if (value.empty())
        return bad("\"" + std::string(name) + "\" is required.");
    return value;
}

Result<std::optional<std::string>> optional_text(const json& body, std::string_view name)
{
    if (!body.contains(std::string(name)))
        return std::optional<std::string>{};
    return std::optional<std::string>{TRY(text_field(body, name))};
}

http::Response json_response(int status, const json& body)
{
    return http::Response{status, "application/json", dump(body)};
}

}  // namespace redress::api
