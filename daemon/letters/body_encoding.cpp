#include "body_encoding.hpp"

#include <algorithm>
#include <vector>

namespace redress::letters {

namespace {

constexpr char k_hex[] = "0123456789ABCDEF";
constexpr char k_base64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::size_t k_encoded_line = 76;  // RFC 2045 6.7(5) and 6.8
constexpr std::size_t k_plain_line = 78;    // RFC 5322 2.1.1

// Lines without their ends; a final line break does not make an empty last line.
std::vector<std::string_view> lines_of(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' || text[i] == '\n') {
            lines.push_back(text.substr(start, i - start));
            if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
            start = i + 1;
        }
    }
    if (start < text.size())
        lines.push_back(text.substr(start));
    return lines;
}

}  // namespace

std::string_view to_string(TransferEncoding encoding)
{
    switch (encoding) {
    case TransferEncoding::seven_bit:
        return "7bit";
    case TransferEncoding::quoted_printable:
        return "quoted-printable";
    case TransferEncoding::base64:
        return "base64";
    }
    return "7bit";
}

std::string encode_quoted_printable(std::string_view bytes)
{
    std::string out;
    for (std::string_view line : lines_of(bytes)) {
        std::size_t length = 0;
        std::size_t i = 0;
        while (i < line.size()) {
            unsigned char c = static_cast<unsigned char>(line[i]);
            // A UTF-8 character goes onto one line whole: decoders would join the halves, but
            // people reading the raw text and naive tools see fewer broken characters.
            std::size_t take = 1;
            if (c >= 0xC0) {
                std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
                while (take < n && i + take < line.size() &&
                       (static_cast<unsigned char>(line[i + take]) & 0xC0) == 0x80)
                    ++take;
            }
            bool last = i + take == line.size();
            // RFC 2045 6.7(3): whitespace at the end of a line must be encoded, or transports eat it.
            // A line starting "From " is encoded too, so mbox readers do not escape it to ">From ".
            bool literal = take == 1 && ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last)) &&
                           !(i == 0 && c == 'F' && line.substr(0, 5) == "From ");
            std::size_t width = literal ? 1 : 3 * take;
            // The soft break "=" counts towards the 76 characters (RFC 2045 6.7(5)); the last
            // character of a line may use the place the "=" would take.
            std::size_t limit = last ? k_encoded_line : k_encoded_line - 1;
            if (length + width > limit && length > 0) {
                out += "=\r\n";
                length = 0;
            }
            for (std::size_t k = 0; k < take; ++k) {
                unsigned char b = static_cast<unsigned char>(line[i + k]);
                if (literal) {
                    out += static_cast<char>(b);
                } else {
                    out += '=';
                    out += k_hex[b >> 4];
                    out += k_hex[b & 15];
                }
            }
            length += width;
            i += take;
        }
        out += "\r\n";
    }
    return out;
}

void append_base64(std::string_view bytes, std::string& out)
{
    out.reserve(out.size() + (bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                     static_cast<unsigned char>(bytes[i + 2]);
        out += k_base64[(v >> 18) & 63];
        out += k_base64[(v >> 12) & 63];
        out += k_base64[(v >> 6) & 63];
        out += k_base64[v & 63];
    }
    if (i < bytes.size()) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        bool two = i + 1 < bytes.size();
        if (two)
            v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += k_base64[(v >> 18) & 63];
        out += k_base64[(v >> 12) & 63];
        out += two ? k_base64[(v >> 6) & 63] : '=';
        out += '=';
    }
}

std::string encode_base64_lines(std::string_view bytes)
{
    std::string flat;
    append_base64(bytes, flat);
    std::string out;
    out.reserve(flat.size() + flat.size() / k_encoded_line * 2 + 2);
    for (std::size_t at = 0; at < flat.size(); at += k_encoded_line) {
        out.append(flat, at, k_encoded_line);
        out += "\r\n";
    }
    return out;
}

EncodedBody encode_body(std::string_view utf8)
{
    std::vector<std::string_view> lines = lines_of(utf8);
    bool plain = std::all_of(lines.begin(), lines.end(), [](std::string_view line) {
        return line.size() <= k_plain_line && std::all_of(line.begin(), line.end(), [](char c) {
                   unsigned char u = static_cast<unsigned char>(c);
                   return (u >= 0x20 && u < 0x7f) || u == '\t';
               });
    });
    if (plain) {
        std::string text;
        for (std::string_view line : lines) {
            text += line;
            text += "\r\n";
        }
        return EncodedBody{TransferEncoding::seven_bit, std::move(text)};
    }
    std::size_t non_ascii =
        std::count_if(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    if (non_ascii * 6 <= utf8.size())
        return EncodedBody{TransferEncoding::quoted_printable, encode_quoted_printable(utf8)};
    // Base64 encodes the line ends too, so they are made CRLF first (RFC 2045 6.8: canonical form).
    std::string canonical;
    for (std::string_view line : lines) {
        canonical += line;
        canonical += "\r\n";
    }
    return EncodedBody{TransferEncoding::base64, encode_base64_lines(canonical)};
}

}  // namespace redress::letters
