#include "transfer_decoder.hpp"

#include "common/text.hpp"

#include <array>

namespace redress::mime {

namespace {

constexpr std::array<signed char, 256> make_base64_table()
{
    std::array<signed char, 256> table{};
    for (auto& v : table)
        v = -1;
    constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < alphabet.size(); ++i)
        table[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
    // RFC 4648 section 5 URL-safe letters turn up in mail from web forms; accept them.
    table[static_cast<unsigned char>('-')] = 62;
    table[static_cast<unsigned char>('_')] = 63;
    return table;
}
constexpr auto k_base64 = make_base64_table();

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

bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

// Flushes a partial base64 quantum: 2 characters carry one byte, 3 carry two.
void flush_quantum(unsigned bits, int count, std::string& out)
{
    if (count == 2) {
        out.push_back(static_cast<char>((bits >> 4) & 0xFF));
    } else if (count == 3) {
        out.push_back(static_cast<char>((bits >> 10) & 0xFF));
        out.push_back(static_cast<char>((bits >> 2) & 0xFF));
    }
}

}  // namespace

TransferEncoding TransferDecoder::parse(std::string_view header_value)
{
    auto v = trim(header_value);
    if (istarts_with(v, "base64"))
        return TransferEncoding::base64;
    if (istarts_with(v, "quoted-printable"))
        return TransferEncoding::quoted_printable;
    if (iequals(v, "x-uuencode") || iequals(v, "uuencode") || iequals(v, "x-uue"))
        return TransferEncoding::uuencode;
    return TransferEncoding::identity;
}

void TransferDecoder::decode(TransferEncoding encoding, std::string_view encoded, std::string& out,
                             TransferDecodeReport& report)
{
    switch (encoding) {
    case TransferEncoding::base64:
        decode_base64(encoded, out, report);
        return;
    case TransferEncoding::quoted_printable:
        decode_quoted_printable(encoded, out, report);
        return;
    case TransferEncoding::uuencode:
    case TransferEncoding::identity:
        // uuencoded bodies are rare and only ever attachments; their size is close enough undecoded.
        out.append(encoded);
        return;
    }
}

void TransferDecoder::decode_base64(std::string_view encoded, std::string& out, TransferDecodeReport& report)
{
    out.reserve(out.size() + encoded.size() / 4 * 3 + 3);
    unsigned bits = 0;
    int count = 0;
    for (char c : encoded) {
        int v = k_base64[static_cast<unsigned char>(c)];
        if (v < 0) {
            if (c == '=') {
                flush_quantum(bits, count, out);
                bits = 0;
                count = 0;
            } else if (c != '\r' && c != '\n' && !is_blank(c)) {
                ++report.invalid;
            }
            continue;
        }
        bits = (bits << 6) | static_cast<unsigned>(v);
        if (++count == 4) {
            out.push_back(static_cast<char>((bits >> 16) & 0xFF));
            out.push_back(static_cast<char>((bits >> 8) & 0xFF));
            out.push_back(static_cast<char>(bits & 0xFF));
            bits = 0;
            count = 0;
        }
    }
    if (count == 1)
        ++report.invalid;  // six bits cannot make a byte: the text was cut
    flush_quantum(bits, count, out);
}

std::optional<std::string> TransferDecoder::decode_base64_strict(std::string_view encoded)
{
    std::string out;
    TransferDecodeReport report;
    decode_base64(encoded, out, report);
    if (report.invalid > 0)
        return std::nullopt;
    return out;
}

void TransferDecoder::decode_quoted_printable(std::string_view in, std::string& out, TransferDecodeReport& report)
{
    out.reserve(out.size() + in.size());
    std::size_t i = 0;
    const std::size_t n = in.size();
    while (i < n) {
        // One line at a time so that trailing blanks can be dropped (RFC 2045 6.7 rule 3).
        std::size_t eol = in.find('\n', i);
        std::size_t line_end = eol == std::string_view::npos ? n : eol;
        std::size_t content_end = line_end;
        if (content_end > i && in[content_end - 1] == '\r')
            --content_end;
        while (content_end > i && is_blank(in[content_end - 1]))
            --content_end;
        bool soft_break = false;
        for (std::size_t k = i; k < content_end; ++k) {
            char c = in[k];
            if (c != '=') {
                out.push_back(c);
                continue;
            }
            if (k + 1 == content_end) {
                soft_break = true;
                break;
            }
            int hi = k + 2 < content_end ? hex_value(in[k + 1]) : -1;
            int lo = k + 2 < content_end ? hex_value(in[k + 2]) : -1;
            if (hi >= 0 && lo >= 0) {
                out.push_back(static_cast<char>(hi * 16 + lo));
                k += 2;
            } else {
                ++report.invalid;
                out.push_back('=');
            }
        }
        if (eol == std::string_view::npos)
            break;
        if (!soft_break)
            out.push_back('\n');
        i = eol + 1;
    }
}

void TransferDecoder::decode_q(std::string_view in, std::string& out)
{
    for (std::size_t k = 0; k < in.size(); ++k) {
        char c = in[k];
        if (c == '_') {
            out.push_back(' ');
        } else if (c == '=' && k + 2 < in.size() && hex_value(in[k + 1]) >= 0 && hex_value(in[k + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(in[k + 1]) * 16 + hex_value(in[k + 2])));
            k += 2;
        } else {
            out.push_back(c);
        }
    }
}

std::size_t TransferDecoder::decoded_size(TransferEncoding encoding, std::string_view encoded)
{
    if (encoding == TransferEncoding::base64) {
        std::size_t symbols = 0;
        std::size_t bytes = 0;
        for (char c : encoded) {
            if (k_base64[static_cast<unsigned char>(c)] >= 0) {
                ++symbols;
            } else if (c == '=') {
                bytes += symbols / 4 * 3 + (symbols % 4 >= 2 ? symbols % 4 - 1 : 0);
                symbols = 0;
            }
        }
        return bytes + symbols / 4 * 3 + (symbols % 4 >= 2 ? symbols % 4 - 1 : 0);
    }
    if (encoding == TransferEncoding::quoted_printable) {
        std::string out;
        TransferDecodeReport report;
        decode_quoted_printable(encoded, out, report);
        return out.size();
    }
    return encoded.size();
}

}  // namespace redress::mime
