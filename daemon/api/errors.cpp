#include "errors.hpp"

#include "common/log.hpp"

namespace redress::api {

int http_status(const Error& error)
{
    switch (error.kind) {
    case ErrorKind::invalid:
        return 422;
    case ErrorKind::refused:
        return 403;
    case ErrorKind::conflict:
    case ErrorKind::constraint:
        return 409;
    case ErrorKind::not_found:
        return 404;
    case ErrorKind::limited:
        return 429;
    case ErrorKind::transient:
    case ErrorKind::timeout:
    case ErrorKind::stopped:
        return 503;
    case ErrorKind::failed:
        break;
    }
    return 500;
}

http::Response error_response(const Error& error)
{
    int status = http_status(error);
    if (status == 500) {
        log::error("api.failed", {{"code", error.code}, {"error", error.message}});
        return http::error_response(500, "internal",
                                    "Something went wrong on our side; the details are in the daemon's log.");
    }
    if (status == 503)
        return http::error_response(503, error.code, error.message)
            .with_header("Retry-After", std::to_string(error.retry_after_seconds > 0 ? error.retry_after_seconds : 5));
    if (status == 429)
        return http::error_response(429, error.code, error.message)
            .with_header("Retry-After", std::to_string(error.retry_after_seconds > 0 ? error.retry_after_seconds : 60));
    return http::error_response(status, error.code, error.message);
}

}  // namespace redress::api
