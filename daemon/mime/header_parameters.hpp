#pragma once
// Structured header values with parameters: Content-Type and Content-Disposition (RFC 2045 5.1,
// RFC 2183), including RFC 2231 continuations ("filename*0*=", "filename*1=") and charsets, and the
// common non-standard RFC 2047 word inside a quoted parameter ("name=\"=?utf-8?B?...?=\"").

#include "header_decoder.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace redress::mime {

class HeaderParameters {
public:
    // Parses "token; name=value; name*=charset'lang'value ...". Comments (RFC 5322 3.2.2) are skipped.
    static HeaderParameters parse(std::string_view raw, const HeaderDecoder& decoder, CharsetReport& report);

    // The leading token, lower case ("multipart/mixed", "attachment").
    const std::string& value() const { return m_value; }
    // A parameter's decoded value; nullptr when absent. Names compare case-insensitively.
    const std::string* get(std::string_view name) const;

private:
    std::string m_value;
    std::vector<std::pair<std::string, std::string>> m_params;  // lower-case name, UTF-8 value
};

}  // namespace redress::mime
