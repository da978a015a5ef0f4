#pragma once
// What an attachment is, read from its bytes rather than taken from the sender's word, and how it is
// handed to staff: a download (Content-Disposition: attachment) with a safe name, shown inline only
// for the image types a browser draws without running anything. Pure.

#include <string>
#include <string_view>

namespace redress::attachments {

// The type the first bytes say: "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp",
// "application/pdf", "application/zip", "application/gzip", "text/html" (markup a browser would run),
// "text/plain" (UTF-8 text without control bytes), else "application/octet-stream".
std::string sniff_type(std::string_view bytes);

// Whether staff may see it inline (an <img>): PNG, JPEG, GIF and WebP only.
bool is_inline_image(std::string_view sniffed_type);

// The Content-Type it is served with: the sniffed type when it is one a browser shows without running
// anything (the images, PDF, archives); plain text as "text/plain; charset=utf-8"; everything else,
// HTML and scripts included, as "application/octet-stream".
std::string served_type(std::string_view sniffed_type);

// A file name safe to hand back: the last path component, no control characters, quotes or
// backslashes, at most 120 bytes (cut on a UTF-8 boundary, the extension kept), "attachment" when
// nothing is left.
std::string safe_filename(std::string_view name);

// The Content-Disposition value (RFC 6266): "attachment" or "inline", an ASCII fallback in
// filename="..." and the UTF-8 name in filename*=UTF-8''... (RFC 8187).
std::string content_disposition(std::string_view name, bool show_inline);

}  // namespace redress::attachments
