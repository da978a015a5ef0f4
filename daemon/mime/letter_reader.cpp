#include "letter_reader.hpp"

#include "charset_decoder.hpp"
#include "common/text.hpp"
#include "header_block.hpp"
#include "header_decoder.hpp"
#include "header_parameters.hpp"
#include "parser.hpp"
#include "transfer_decoder.hpp"

namespace redress::mime {

namespace {

std::string without_carriage_returns(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
            continue;
        out += text[i];
    }
    return out;
}

}  // namespace

const std::string* ReadableLetter::header(std::string_view name) const
{
    for (const Header& h : headers)
        if (iequals(h.name, name))
            return &h.value;
    return nullptr;
}

ReadableLetter read_letter(std::string_view bytes)
{
    ReadableLetter letter;
    HeaderBlock block = HeaderBlock::scan(bytes);

    // RFC 2045 5.2: without a Content-Type the body is text/plain; charset=us-ascii.
    CharsetReport report;
    const std::string* content_type = block.find("Content-Type");
    HeaderParameters type =
        HeaderParameters::parse(content_type ? *content_type : "text/plain", HeaderDecoder(), report);
    std::string charset = type.get("charset") ? *type.get("charset") : std::string("us-ascii");

    // Raw 8-bit header bytes (RFC 6532 allows UTF-8) are read in the body's charset.
    HeaderDecoder decoder(charset);
    for (const RawField& field : block.fields())
        letter.headers.push_back(Header{std::string(field.name), decoder.decode(field.value, report)});

    std::string_view body = bytes.substr(std::min(block.body_offset(), bytes.size()));
    if (type.value().starts_with("multipart/") || type.value().starts_with("message/")) {
        auto parsed = parse_message(bytes);
        if (!parsed) {
            letter.warnings.push_back("the letter could not be read: " + parsed.error().message);
            letter.body = without_carriage_returns(body);
            return letter;
        }
        letter.body = parsed->text;
        for (const std::string* part : {&parsed->quoted, &parsed->signature})
            if (!part->empty())
                letter.body += "\n\n" + *part;
        letter.warnings = parsed->warnings;
        return letter;
    }

    const std::string* encoding_field = block.find("Content-Transfer-Encoding");
    TransferEncoding encoding = TransferDecoder::parse(encoding_field ? *encoding_field : "7bit");
    std::string decoded;
    TransferDecodeReport transfer;
    TransferDecoder::decode(encoding, body, decoded, transfer);
    if (transfer.invalid > 0)
        letter.warnings.push_back(std::to_string(transfer.invalid) + " characters of the " +
                                  std::string(encoding_field ? trim(*encoding_field) : std::string_view("body")) +
                                  " body were not valid and were skipped");
    std::string text;
    CharsetReport converted;
    CharsetDecoder::to_utf8(decoded, charset, text, converted);
    if (converted.unknown_charset)
        letter.warnings.push_back("unknown charset " + charset + ": decoded with replacements");
    else if (converted.replaced > 0)
        letter.warnings.push_back(std::to_string(converted.replaced) + " bytes were not valid " + charset +
                                  " and show as U+FFFD");
    letter.body = without_carriage_returns(text);
    return letter;
}

}  // namespace redress::mime
