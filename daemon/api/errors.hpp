#pragma once
// How the API answers an error: its kind decides the status, its message is the sentence a person
// reads. JSON {"error": code, "message": sentence}.

#include "common/result.hpp"
#include "http/request.hpp"

namespace redress::api {

// invalid 422, refused 403, conflict 409, not_found 404, limited 429 (with Retry-After), transient / timeout / stopped
// 503, else 500 (whose message is replaced: the details are for the log, not the client).
int http_status(const Error& error);
http::Response error_response(const Error& error);

}  // namespace redress::api
