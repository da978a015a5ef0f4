#pragma once
// What an HTML form sent, whichever way the browser encoded it: application/x-www-form-urlencoded
// (the body) or multipart/form-data (the parts the server read). And who sent it: the client's
// address, read through a proxy on this machine. Pure: values in, values out.

#include "request.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace redress::http {

// application/x-www-form-urlencoded (WHATWG URL 5.1): '+' is a space, %XX a byte. The first of a
// repeated field counts.
std::map<std::string, std::string> urlencoded_fields(std::string_view body);

// The form's text fields: the multipart parts that are no file, or else the urlencoded body.
std::map<std::string, std::string> form_fields(const Request& request);
// The files of one field (parts with a file name; a file input left empty sends a part with an
// empty name and no bytes, which is no file).
std::vector<FormPart> form_files(const Request& request, std::string_view field);

// The address of the client: the peer, unless the peer is this machine (a reverse proxy such as
// nginx on loopback, docs/deployment.md) and says whom it forwards in X-Forwarded-For; then the
// last address of that header, the one our proxy added (those before it are the client's own
// word). The peer's address when the header is missing or its last entry is empty.
std::string client_address(const Request& request);
bool is_loopback_address(std::string_view address);

}  // namespace redress::http
