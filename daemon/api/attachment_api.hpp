#pragma once
// A ticket's attachments served to signed-in staff (issue 18): always a download
// (Content-Disposition: attachment) with a safe name, its type read from its bytes (never text/html or
// a script), X-Content-Type-Options: nosniff and a sandboxing Content-Security-Policy. Pictures (PNG,
// JPEG, GIF, WebP) may be shown inline with ?inline=1; anything else asked inline is still a download.

#include "context.hpp"
#include "http/request.hpp"

namespace redress::api {

// GET /api/v1/tickets/{number}/attachments/{id}[?inline=1]
http::Response serve_attachment(const ApiContext& context, const http::Request& request);

}  // namespace redress::api
