#include "mail_reader.hpp"

#include <algorithm>
#include <cctype>

namespace redress::letters::testing {

namespace {

bool same_name(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

int base64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

// Decodes one "=?charset?enc?text?=" token; false when it is not an encoded word.
bool decode_word(std::string_view token, std::string& out)
{
    if (token.size() < 8 || token.substr(0, 2) != "=?" || token.substr(token.size() - 2) != "?=")
        return false;
    std::string_view inner = token.substr(2, token.size() - 4);
    auto q1 = inner.find('?');
    if (q1 == std::string_view::npos || q1 + 2 >= inner.size() || inner[q1 + 2] != '?')
        return false;
    char encoding = static_cast<char>(std::toupper(static_cast<unsigned char>(inner[q1 + 1])));
    std::string_view text = inner.substr(q1 + 3);
    if (encoding == 'B') {
        out += decode_base64(text);
        return true;
    }
    if (encoding == 'Q') {
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '_')
                out += ' ';
            else if (text[i] == '=' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
                     hex_value(text[i + 2]) >= 0) {
                out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
                i += 2;
            } else
                out += text[i];
        }
        return true;
    }
    return false;
}

}  // namespace

std::string ReadMessage::header(std::string_view name) const
{
    for (const auto& [n, v] : headers)
        if (same_name(n, name))
            return v;
    return {};
}

int ReadMessage::count(std::string_view name) const
{
    return static_cast<int>(
        std::count_if(headers.begin(), headers.end(), [&](const auto& h) { return same_name(h.first, name); }));
}

ReadMessage read_message(std::string_view bytes)
{
    ReadMessage message;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r'))
            message.problems.push_back("bare LF at byte " + std::to_string(i));
        if (bytes[i] == '\r' && (i + 1 == bytes.size() || bytes[i + 1] != '\n'))
            message.problems.push_back("bare CR at byte " + std::to_string(i));
    }
    auto end_of_headers = bytes.find("\r\n\r\n");
    if (end_of_headers == std::string_view::npos) {
        message.problems.push_back("no empty line after the headers");
        return message;
    }
    std::string_view head = bytes.substr(0, end_of_headers + 2);
    message.raw_body = std::string(bytes.substr(end_of_headers + 4));

    std::size_t start = 0;
    while (start < head.size()) {
        auto end = head.find("\r\n", start);
        std::string_view line = head.substr(start, end - start);
        start = end + 2;
        message.longest_header_line = std::max(message.longest_header_line, line.size());
        if (line.size() > 998)
            message.problems.push_back("header line longer than 998: " + std::string(line.substr(0, 40)));
        if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
            if (message.headers.empty()) {
                message.problems.push_back("continuation line before any header");
                continue;
            }
            if (line.find_first_not_of(" \t") == std::string_view::npos)
                message.problems.push_back("whitespace-only continuation line (RFC 5322 3.2.2)");
            message.headers.back().second += line;  // unfolding: drop the CRLF, keep the space
            continue;
        }
        auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) {
            message.problems.push_back("not a header: " + std::string(line));
            continue;
        }
        std::string value(line.substr(colon + 1));
        message.headers.emplace_back(std::string(line.substr(0, colon)), value);
    }
    for (auto& [name, value] : message.headers) {
        auto first = value.find_first_not_of(' ');
        value = first == std::string::npos ? std::string() : value.substr(first);
    }
    return message;
}

std::string decode_words(std::string_view value)
{
    std::string out;
    std::string pending_space;
    bool previous_encoded = false;
    std::size_t i = 0;
    while (i < value.size()) {
        if (value[i] == ' ' || value[i] == '\t') {
            pending_space += value[i++];
            continue;
        }
        auto end = value.find_first_of(" \t", i);
        std::string_view token = value.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
        i = end == std::string_view::npos ? value.size() : end;
        std::string decoded;
        bool encoded = decode_word(token, decoded);
        if (!(encoded && previous_encoded))
            out += pending_space;
        pending_space.clear();
        out += encoded ? decoded : std::string(token);
        previous_encoded = encoded;
    }
    return out + pending_space;
}

std::string decode_base64(std::string_view text)
{
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        int v = base64_value(c);
        if (v < 0)
            continue;  // line breaks and padding
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

std::string decode_quoted_printable(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '=') {
            out += text[i];
            continue;
        }
        if (i + 2 < text.size() && text[i + 1] == '\r' && text[i + 2] == '\n') {
            i += 2;  // soft line break
            continue;
        }
        if (i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
            continue;
        }
        out += text[i];
    }
    return out;
}

std::string decoded_body(const ReadMessage& message)
{
    std::string encoding = message.header("Content-Transfer-Encoding");
    std::string body;
    if (same_name(encoding, "base64"))
        body = decode_base64(message.raw_body);
    else if (same_name(encoding, "quoted-printable"))
        body = decode_quoted_printable(message.raw_body);
    else
        body = message.raw_body;
    std::string lf;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n')
            continue;
        lf += body[i];
    }
    return lf;
}

}  // namespace redress::letters::testing
