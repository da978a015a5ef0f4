#include "header_decoder.hpp"

#include "ascii.hpp"

#include "transfer_decoder.hpp"

#include "common/text.hpp"

namespace redress::mime {

namespace {

struct EncodedWord {
    std::string_view charset;
    char encoding = 0;  // 'B' or 'Q'
    std::string_view text;
    std::size_t end = 0;  // index just past "?="
};

// Parses "=?charset?X?text?=" at raw[pos]. Whitespace inside a word is not allowed (RFC 2047 5).
bool parse_encoded_word(std::string_view raw, std::size_t pos, EncodedWord& word)
{
    if (raw.compare(pos, 2, "=?") != 0)
        return false;
    std::size_t cs_start = pos + 2;
    std::size_t q1 = raw.find('?', cs_start);
    if (q1 == std::string_view::npos || q1 == cs_start || q1 + 3 >= raw.size() || raw[q1 + 2] != '?')
        return false;
    char enc = raw[q1 + 1];
    if (enc == 'b')
        enc = 'B';
    if (enc == 'q')
        enc = 'Q';
    if (enc != 'B' && enc != 'Q')
        return false;
    std::size_t text_start = q1 + 3;
    std::size_t close = raw.find("?=", text_start);
    if (close == std::string_view::npos)
        return false;
    for (std::size_t k = cs_start; k < close; ++k)
        if (raw[k] == ' ' || raw[k] == '\t' || raw[k] == '\r' || raw[k] == '\n')
            return false;
    word.charset = raw.substr(cs_start, q1 - cs_start);
    word.encoding = enc;
    word.text = raw.substr(text_start, close - text_start);
    word.end = close + 2;
    return true;
}

bool only_blanks(std::string_view s)
{
    for (char c : s)
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return false;
    return true;
}

}  // namespace

void HeaderDecoder::append_raw(std::string_view bytes, std::string_view charset, std::string& out,
                               CharsetReport& report) const
{
    if (is_ascii(bytes)) {
        out.append(bytes);
        return;
    }
    if (is_valid_utf8(bytes)) {
        out.append(bytes);  // RFC 6532 UTF-8 headers
        return;
    }
    CharsetDecoder::to_utf8(bytes, charset.empty() ? std::string_view(m_fallback) : charset, out, report);
}

std::string HeaderDecoder::decode(std::string_view raw, CharsetReport& report) const
{
    std::string out;
    std::size_t first = raw.find("=?");
    if (first == std::string_view::npos) {
        append_raw(raw, {}, out, report);
        return out;
    }
    out.reserve(raw.size());
    std::size_t pos = 0;
    std::string pending;          // bytes of adjacent encoded words sharing a charset
    std::string_view pending_cs;  // their charset
    auto flush = [&] {
        if (!pending.empty() || !pending_cs.empty())
            CharsetDecoder::to_utf8(pending, pending_cs, out, report);
        pending.clear();
        pending_cs = {};
    };
    std::size_t literal_start = 0;
    bool last_was_word = false;
    while (pos < raw.size()) {
        std::size_t at = raw.find("=?", pos);
        if (at == std::string_view::npos)
            break;
        EncodedWord word;
        if (!parse_encoded_word(raw, at, word)) {
            pos = at + 2;
            continue;
        }
        std::string_view between = raw.substr(literal_start, at - literal_start);
        if (!(last_was_word && only_blanks(between))) {
            flush();
            append_raw(between, {}, out, report);
        }
        // Charsets are compared as written; "UTF-8" and "utf-8" differ only in case.
        if (!pending_cs.empty() && !iequals(pending_cs, word.charset))
            flush();
        pending_cs = word.charset;
        if (word.encoding == 'B') {
            TransferDecodeReport ignored;
            TransferDecoder::decode_base64(word.text, pending, ignored);
        } else {
            TransferDecoder::decode_q(word.text, pending);
        }
        last_was_word = true;
        pos = literal_start = word.end;
    }
    flush();
    append_raw(raw.substr(literal_start), {}, out, report);
    return out;
}

std::string HeaderDecoder::decode_extended_value(std::string_view value, CharsetReport& report) const
{
    std::string_view charset;
    if (auto q1 = value.find('\''); q1 != std::string_view::npos) {
        auto q2 = value.find('\'', q1 + 1);
        if (q2 != std::string_view::npos) {
            charset = value.substr(0, q1);
            value = value.substr(q2 + 1);
        }
    }
    std::string bytes;
    bytes.reserve(value.size());
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '%' && i + 2 < value.size() && hex(value[i + 1]) >= 0 && hex(value[i + 2]) >= 0) {
            bytes.push_back(static_cast<char>(hex(value[i + 1]) * 16 + hex(value[i + 2])));
            i += 2;
        } else {
            bytes.push_back(value[i]);
        }
    }
    std::string out;
    if (charset.empty())
        append_raw(bytes, {}, out, report);
    else
        CharsetDecoder::to_utf8(bytes, charset, out, report);
    return out;
}

}  // namespace redress::mime
