#pragma once
// Small text helpers shared by the modules. ASCII-only case rules: header names, keywords of
// protocols. Unicode folding of customer text belongs to the classifier (utf8proc).

#include <string>
#include <string_view>
#include <vector>

namespace redress {

std::string ascii_lower(std::string_view s);
std::string ascii_upper(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);
bool icontains(std::string_view haystack, std::string_view needle);
std::string_view trim(std::string_view s);
// The value of one hexadecimal digit, or -1 (percent-escapes in URLs, RFC 3986 2.1).
int hex_digit_value(char c);
std::vector<std::string_view> split(std::string_view s, char sep);

// Replaces bytes that are not valid UTF-8 with U+FFFD; returns how many were replaced.
std::size_t sanitize_utf8(std::string& s);
bool is_valid_utf8(std::string_view s);
// Where to cut `s` at or before byte `pos` without splitting a UTF-8 sequence (pos >= size: size).
std::size_t utf8_cut(std::string_view s, std::size_t pos);

}  // namespace redress
