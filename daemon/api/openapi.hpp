#pragma once
// The OpenAPI 3.0 document of the whole HTTP API (docs/openapi.json, compiled in), served at
// GET /api/v1/openapi.json. A test walks the router's routes and this document both ways.

#include <string_view>

namespace redress::api {

std::string_view openapi_document();

}  // namespace redress::api
