#include "form.hpp"

#include "common/text.hpp"

#include <iterator>

namespace redress::http {

namespace {

std::string decode_form_text(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() && hex_digit_value(text[i + 1]) >= 0 &&
                   hex_digit_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_digit_value(text[i + 1]) * 16 + hex_digit_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// RFC 7578 4.4: a text field has no file name and its type, when given, is text/plain. A file input
// left empty is sent with an empty file name and a type of its own (application/octet-stream).
bool is_field(const FormPart& part)
{
    return part.filename.empty() &&
           (part.content_type.empty() || ascii_lower(part.content_type).starts_with("text/plain"));
}

}  // namespace

std::map<std::string, std::string> urlencoded_fields(std::string_view body)
{
    std::map<std::string, std::string> out;
    while (!body.empty()) {
        auto amp = body.find('&');
        std::string_view pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
        if (pair.empty())
            continue;
        auto eq = pair.find('=');
        std::string name = decode_form_text(pair.substr(0, eq));
        std::string value = eq == std::string_view::npos ? std::string() : decode_form_text(pair.substr(eq + 1));
        out.emplace(std::move(name), std::move(value));
    }
    return out;
}

std::map<std::string, std::string> form_fields(const Request& request)
{
    if (request.parts.empty())
        return urlencoded_fields(request.body);
    std::map<std::string, std::string> out;
    for (const auto& part : request.parts)
        if (is_field(part))
            out.emplace(part.name, part.content);
    return out;
}

std::vector<FormPart> form_files(const Request& request, std::string_view field)
{
    std::vector<FormPart> out;
    for (const auto& part : request.parts)
        if (part.name == field && !part.filename.empty())
            out.push_back(part);
    return out;
}

bool is_loopback_address(std::string_view address)
{
    if (address.starts_with("::ffff:"))  // an IPv4 peer on an IPv6 socket (RFC 4291 2.5.5.2)
        address.remove_prefix(7);
    return address == "::1" || address.starts_with("127.");
}

std::string client_address(const Request& request)
{
    if (!is_loopback_address(request.remote_address))
        return request.remote_address;
    auto range = request.headers.equal_range("X-Forwarded-For");
    if (range.first == range.second)
        return request.remote_address;
    std::string_view last = std::prev(range.second)->second;
    if (auto comma = last.rfind(','); comma != std::string_view::npos)
        last.remove_prefix(comma + 1);
    last = trim(last);
    return last.empty() ? request.remote_address : std::string(last);
}

}  // namespace redress::http
