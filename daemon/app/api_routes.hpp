#pragma once
// The manager's API and the OpenAPI document as routes: each handler is one line
// over a function of daemon/api. One hook before every route authenticates (api::authenticate); one
// observer counts the refusals that /metrics shows.

#include "api/context.hpp"
#include "http/router.hpp"

namespace redress::app {

void add_api_routes(http::Router& router, api::ApiContext context);

}  // namespace redress::app
