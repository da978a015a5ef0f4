#include "attachment_api.hpp"

#include "errors.hpp"

#include "attachments/file_type.hpp"
#include "service/ticket_service.hpp"

#include <charconv>

namespace redress::api {

http::Response serve_attachment(const ApiContext& context, const http::Request& request)
{
    std::string id_text = request.param("id");
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
    if (ec != std::errc() || end != id_text.data() + id_text.size() || id <= 0)
        return http::error_response(404, "attachment.not_found", "There is no attachment " + id_text + ".");
    auto file = context.tickets->attachment(request.param("number"), id);
    if (!file)
        return error_response(file.error());
    // The bytes decide, not the sender's word nor the stored guess: a file named photo.jpg that holds
    // a page is served as a download of unknown type.
    std::string type = attachments::sniff_type(file->bytes);
    bool show_inline = request.query_value("inline") == "1" && attachments::is_inline_image(type);
    http::Response out{200, attachments::served_type(type), std::move(file->bytes)};
    out.with_header("Content-Disposition", attachments::content_disposition(file->record.name, show_inline))
        .with_header("X-Content-Type-Options", "nosniff")
        .with_header("Content-Security-Policy", "sandbox; default-src 'none'")
        .with_header("Cache-Control", "private, no-store");
    return out;
}

}  // namespace redress::api
