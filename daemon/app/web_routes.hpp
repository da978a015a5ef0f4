#pragma once
// The staff page (docs/web.md): the files of <install>/web (HTML, CSS, JavaScript modules) served at
// `/`. Only the files found at start are routed, each by its own literal path, so no request can
// name anything outside the folder ("/../", escapes, symlinks and dot files are never routes). The
// page reads and changes everything through /api/v1; these routes carry no data.

#include "http/request.hpp"
#include "http/router.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace redress::app {

// The Content-Type of a file the page is made of, by its extension; nullopt for any other file,
// which is not served.
std::optional<std::string> web_content_type(std::string_view filename);

// Routes GET (and HEAD) for each servable file under `web_dir`, `/` and `/tickets/{number}` (the
// link in staff letters) for index.html. Returns how many files are served; 0 when the folder is
// missing (then nothing is routed and the log says so).
int add_web_routes(http::Router& router, const std::filesystem::path& web_dir);

}  // namespace redress::app
