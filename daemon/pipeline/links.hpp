#pragma once
// The signed links a customer follows without a login: the status page of their complaint and the
// survey. `<http.public_url>/status/<number>/<signature>`, the signature an HMAC-SHA256 of
// "status:<number>" (or "survey:<number>") under the installation's secret (Pipeline::link_secret),
// so a link for one ticket opens nothing else and numbers cannot be guessed into links.

#include "runtime.hpp"

#include <string>
#include <string_view>

namespace redress::pipeline {

std::string status_url(const Runtime& runtime, std::string_view secret, std::string_view number);
std::string survey_url(const Runtime& runtime, std::string_view secret, std::string_view number);
bool status_signature_valid(std::string_view secret, std::string_view number, std::string_view signature);
bool survey_signature_valid(std::string_view secret, std::string_view number, std::string_view signature);

}  // namespace redress::pipeline
