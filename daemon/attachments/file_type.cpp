#include "file_type.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace redress::attachments {

namespace {

bool starts_with_bytes(std::string_view bytes, std::string_view magic)
{
    return bytes.size() >= magic.size() && bytes.compare(0, magic.size(), magic) == 0;
}

// Markup a browser would read as a page, looked for where browsers look (the WHATWG MIME sniffing
// standard, 7.1: the first tag after blanks), and anywhere in the first KiB for the ones that run
// code whatever surrounds them.
bool looks_like_markup(std::string_view bytes)
{
    std::string head = ascii_lower(bytes.substr(0, 1024));
    std::size_t at = head.find_first_not_of(" \t\r\n\f");
    if (at != std::string::npos && head.compare(at, 3, "\xef\xbb\xbf") == 0)
        at = head.find_first_not_of(" \t\r\n\f", at + 3);
    static constexpr std::array<std::string_view, 14> k_openers{
        "<!doctype html", "<html", "<head",  "<body", "<script", "<iframe", "<h1",
        "<div",           "<font", "<table", "<a ",   "<style",  "<title",  "<?xml"};
    if (at != std::string::npos)
        for (auto opener : k_openers)
            if (head.compare(at, opener.size(), opener) == 0)
                return true;
    for (std::string_view anywhere : {"<script", "<svg", "<html", "<iframe", "javascript:"})
        if (head.find(anywhere) != std::string::npos)
            return true;
    return false;
}

bool looks_like_text(std::string_view bytes)
{
    std::string_view head = bytes.substr(0, 4096);
    for (unsigned char c : head)
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
            return false;
    // A multi-byte sequence cut by the 4 KiB window is not a reason to call the file binary.
    std::string copy(head);
    std::size_t replaced = sanitize_utf8(copy);
    return replaced <= (head.size() == bytes.size() ? 0u : 1u);
}

}  // namespace

std::string sniff_type(std::string_view bytes)
{
    if (starts_with_bytes(bytes, "\x89PNG\r\n\x1a\n"))
        return "image/png";
    if (starts_with_bytes(bytes, "\xff\xd8\xff"))
        return "image/jpeg";
    if (starts_with_bytes(bytes, "GIF87a") || starts_with_bytes(bytes, "GIF89a"))
        return "image/gif";
    if (bytes.size() >= 12 && starts_with_bytes(bytes, "RIFF") && bytes.compare(8, 4, "WEBP") == 0)
        return "image/webp";
    if (starts_with_bytes(bytes, "BM") && bytes.size() >= 26)
        return "image/bmp";
    if (starts_with_bytes(bytes, "%PDF-"))
        return "application/pdf";
    if (starts_with_bytes(bytes, std::string_view("PK\x03\x04", 4)) ||
        starts_with_bytes(bytes, std::string_view("PK\x05\x06", 4)))
        return "application/zip";
    if (starts_with_bytes(bytes, "\x1f\x8b"))
        return "application/gzip";
    if (bytes.empty())
        return "application/octet-stream";
    if (looks_like_markup(bytes))
        return "text/html";
    if (looks_like_text(bytes))
        return "text/plain";
    return "application/octet-stream";
}

bool is_inline_image(std::string_view type)
{
    return type == "image/png" || type == "image/jpeg" || type == "image/gif" || type == "image/webp";
}

std::string served_type(std::string_view type)
{
    if (is_inline_image(type) || type == "image/bmp" || type == "application/pdf" || type == "application/zip" ||
        type == "application/gzip")
        return std::string(type);
    if (type == "text/plain")
        return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

std::string safe_filename(std::string_view name)
{
    // Only the last component: a name is never a path on the reader's disk.
    if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos)
        name = name.substr(slash + 1);
    std::string out;
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
            continue;
        out.push_back(static_cast<char>(c));
    }
    sanitize_utf8(out);
    // Bidirectional overrides would make "gpj.exe" read as "exe.jpg".
    for (std::string_view mark :
         {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"})
        for (std::size_t at; (at = out.find(mark)) != std::string::npos;)
            out.erase(at, mark.size());
    std::string_view trimmed = trim(out);
    while (!trimmed.empty() && trimmed.front() == '.')
        trimmed.remove_prefix(1);  // no hidden files, no ".."
    out = std::string(trimmed);
    constexpr std::size_t k_max = 120;
    if (out.size() > k_max) {
        std::string extension;
        if (auto dot = out.rfind('.'); dot != std::string::npos && out.size() - dot <= 10)
            extension = out.substr(dot);
        std::size_t keep = utf8_cut(out, k_max - extension.size());
        out = out.substr(0, keep) + extension;
    }
    return out.empty() ? std::string("attachment") : out;
}

std::string content_disposition(std::string_view name, bool show_inline)
{
    std::string safe = safe_filename(name);
    std::string ascii;
    std::string encoded;
    static constexpr char k_hex[] = "0123456789ABCDEF";
    for (unsigned char c : safe) {
        // RFC 8187 3.2.1 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"; everything else is %XX.
        bool attr_char = std::isalnum(c) != 0 ||
                         std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
        if (attr_char) {
            encoded.push_back(static_cast<char>(c));
        } else {
            encoded.push_back('%');
            encoded.push_back(k_hex[c >> 4]);
            encoded.push_back(k_hex[c & 0xf]);
        }
        // The fallback for old readers: printable ASCII only, one "_" for each other character.
        if (c >= 0x20 && c < 0x7f && c != '%')
            ascii.push_back(static_cast<char>(c));
        else if ((c & 0xc0) != 0x80)
            ascii.push_back('_');
    }
    return std::string(show_inline ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''" +
           encoded;
}

}  // namespace redress::attachments
