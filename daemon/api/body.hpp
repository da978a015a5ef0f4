#pragma once
// Reading a JSON request body and writing a JSON answer: the small helpers every API function uses.

#include "common/result.hpp"
#include "http/request.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace redress::api {

// The body as a JSON object (an empty body is {}); `invalid` for bad JSON, another type, or a field
// not in `known` (a typo should not be silently ignored).
Result<nlohmann::json> object_body(const http::Request& request, std::initializer_list<std::string_view> known);
// A text field: "" when absent or null; `invalid` when of another type.
Result<std::string> text_field(const nlohmann::json& body, std::string_view name);
// A text field that must be there and not empty.
Result<std::string> required_text(const nlohmann::json& body, std::string_view name);
// A text field when present (nullopt when absent), `invalid` when of another type.
Result<std::optional<std::string>> optional_text(const nlohmann::json& body, std::string_view name);

http::Response json_response(int status, const nlohmann::json& body);

}  // namespace redress::api
