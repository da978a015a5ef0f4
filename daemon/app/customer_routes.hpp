#pragma once
// The customer pages as routes (no login): the status page of a complaint and the message box on
// it, the complaint form, the survey, and the files the pages load. Each handler is one line over
// a function of daemon/api (api/customer_pages.hpp). With http.public_listen they are served on the
// public address only, beside the chat webhooks; the API, the staff page and /metrics stay on
// http.listen (daemon.cpp).

#include "api/customer_pages.hpp"
#include "http/http_server.hpp"

namespace redress::app {

void add_customer_routes(http::HttpServer& server, const api::CustomerContext& context);

}  // namespace redress::app
