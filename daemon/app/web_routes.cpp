#include "web_routes.hpp"

#include "auth/secrets.hpp"
#include "common/log.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace redress::app {

namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// A path segment that stays literal in a route pattern: letters, digits, '.', '_' and '-', and not
// starting with a dot (no "{name}" that the router would read as a parameter, no hidden files).
bool plain_segment(const std::string& segment)
{
    if (segment.empty() || segment.front() == '.')
        return false;
    return std::all_of(segment.begin(), segment.end(), [](unsigned char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-';
    });
}

// One file, read when asked for (an edited file shows on the next load), revalidated by ETag:
// the browser keeps it but asks each time (Cache-Control: no-cache), so an upgrade is never hidden
// behind a stale copy.
http::Response serve_file(const fs::path& path, const std::string& content_type, const http::Request& request)
{
    auto content = read_file(path);
    if (!content)
        return http::error_response(404, "not_found", "There is nothing at " + request.path + ".");
    std::string etag = "\"" + auth::token_digest(*content).substr(0, 32) + "\"";
    http::Response response{200, content_type, std::move(*content)};
    if (auto seen = request.header("If-None-Match"); seen && *seen == etag) {
        response.status = 304;
        response.body.clear();
    }
    // The Content-Security-Policy, nosniff and no-referrer come with every answer of the server
    // (http::security_headers).
    response.with_header("ETag", etag).with_header("Cache-Control", "no-cache");
    return response;
}

}  // namespace

std::optional<std::string> web_content_type(std::string_view filename)
{
    auto dot = filename.rfind('.');
    if (dot == std::string_view::npos)
        return std::nullopt;
    std::string_view ext = filename.substr(dot + 1);
    if (ext == "html")
        return "text/html; charset=utf-8";
    if (ext == "js" || ext == "mjs")
        return "text/javascript; charset=utf-8";  // RFC 9239
    if (ext == "css")
        return "text/css; charset=utf-8";
    if (ext == "json")
        return "application/json";
    if (ext == "svg")
        return "image/svg+xml";
    if (ext == "png")
        return "image/png";
    if (ext == "ico")
        return "image/x-icon";
    if (ext == "txt")
        return "text/plain; charset=utf-8";
    return std::nullopt;
}

int add_web_routes(http::Router& router, const fs::path& web_dir)
{
    std::error_code ec;
    if (!fs::is_directory(web_dir, ec)) {
        log::warn("web.missing", {{"folder", web_dir.string()}, {"why", "the staff page is not served"}});
        return 0;
    }
    struct File {
        std::string route;
        fs::path path;
        std::string content_type;
    };
    std::vector<File> files;
    for (fs::recursive_directory_iterator it(web_dir, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        const auto& entry = *it;
        std::string name = entry.path().filename().string();
        // Symlinks could lead out of the folder; hidden files and folders are nobody's business.
        if (entry.is_symlink(ec) || !plain_segment(name)) {
            if (entry.is_directory(ec))
                it.disable_recursion_pending();
            continue;
        }
        // web/customer/ holds the customer pages' stylesheet and script: compiled into daemon/pages
        // and served by the customer routes, on the public address when the routes are split.
        if (it.depth() == 0 && name == "customer" && entry.is_directory(ec)) {
            it.disable_recursion_pending();
            continue;
        }
        if (!entry.is_regular_file(ec))
            continue;
        auto type = web_content_type(name);
        if (!type)
            continue;
        std::string route;
        for (const auto& part : fs::relative(entry.path(), web_dir, ec))
            route += "/" + part.string();
        files.push_back(File{route, entry.path(), *type});
    }
    std::sort(files.begin(), files.end(), [](const File& a, const File& b) { return a.route < b.route; });
    for (const auto& f : files)
        router.route("GET", f.route, [path = f.path, type = f.content_type](const http::Request& r) {
            return serve_file(path, type, r);
        });
    auto index = std::find_if(files.begin(), files.end(), [](const File& f) { return f.route == "/index.html"; });
    if (index != files.end()) {
        auto serve_index = [path = index->path, type = index->content_type](const http::Request& r) {
            return serve_file(path, type, r);
        };
        router.route("GET", "/", serve_index);
        // Staff letters link a ticket as <staff url>/tickets/RD-000123; the page opens it.
        router.route("GET", "/tickets/{number}", serve_index);
    }
    log::info("web.serving", {{"folder", web_dir.string()}, {"files", std::to_string(files.size())}});
    return static_cast<int>(files.size());
}

}  // namespace redress::app
