#include "links.hpp"

#include "auth/secrets.hpp"

namespace redress::pipeline {

namespace {

// http.public_url without a trailing slash, to put paths after.
std::string public_base(const Runtime& runtime)
{
    std::string base = runtime.config.http.public_url;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base;
}

std::string link(const Runtime& runtime, std::string_view secret, std::string_view page, std::string_view number)
{
    std::string message = std::string(page) + ":" + std::string(number);
    return public_base(runtime) + "/" + std::string(page) + "/" + std::string(number) + "/" +
           auth::sign(secret, message);
}

}  // namespace

std::string status_url(const Runtime& runtime, std::string_view secret, std::string_view number)
{
    return link(runtime, secret, "status", number);
}

std::string survey_url(const Runtime& runtime, std::string_view secret, std::string_view number)
{
    return link(runtime, secret, "survey", number);
}

bool status_signature_valid(std::string_view secret, std::string_view number, std::string_view signature)
{
    return auth::signature_valid(secret, "status:" + std::string(number), signature);
}

bool survey_signature_valid(std::string_view secret, std::string_view number, std::string_view signature)
{
    return auth::signature_valid(secret, "survey:" + std::string(number), signature);
}

}  // namespace redress::pipeline
