#include "message_builder.hpp"

#include "address_parser.hpp"
#include "ascii.hpp"
#include "charset_decoder.hpp"
#include "header_parameters.hpp"
#include "html_to_text.hpp"
#include "quoted_history.hpp"
#include "structure_scan.hpp"
#include "transfer_decoder.hpp"

#include "common/text.hpp"
#include "common/time.hpp"

#include <mimetic/mimetic.h>

#include <algorithm>
#include <sstream>

namespace redress::mime {

namespace {

// More container headers than this and mimetic is asked for the top level only: its recursion has
// no limit and its boundary search costs (containers x size) on malformed input.
constexpr std::size_t k_max_containers = 400;
constexpr std::size_t k_max_warnings = 32;

// Views of a mimetic entity's header fields. Names are stable references inside the entity.
std::vector<RawField> fields_of(const mimetic::MimeEntity& entity)
{
    std::vector<RawField> out;
    out.reserve(entity.header().size());
    for (const auto& f : entity.header())
        out.push_back(RawField{std::string_view(f.name().data(), f.name().size()), f.value()});
    return out;
}

// A Content-* field of a mimetic entity; mimetic hands values back by copy.
bool entity_field(const mimetic::MimeEntity& entity, std::string_view name, std::string& out)
{
    for (const auto& f : entity.header())
        if (iequals(std::string_view(f.name().data(), f.name().size()), name)) {
            out = f.value();
            return true;
        }
    return false;
}

// Lines end in "\n" in everything the Message holds.
void normalise_newlines(std::string& s)
{
    if (s.find('\r') == std::string::npos)
        return;
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r') {
            if (i + 1 < s.size() && s[i + 1] == '\n')
                continue;
            out.push_back('\n');
        } else {
            out.push_back(s[i]);
        }
    }
    s = std::move(out);
}

// "<a@b> (comment)" -> "a@b"; without brackets, the trimmed text.
std::string strip_angles(std::string_view v)
{
    auto open = v.find('<');
    if (open != std::string_view::npos) {
        auto close = v.find('>', open + 1);
        if (close != std::string_view::npos)
            return std::string(trim(v.substr(open + 1, close - open - 1)));
        return std::string(trim(v.substr(open + 1)));
    }
    return std::string(trim(v));
}

// RFC 5322 3.6.4: msg-id list; also tolerates ids written without brackets.
std::vector<std::string> id_list(std::string_view v)
{
    std::vector<std::string> ids;
    if (v.find('<') != std::string_view::npos) {
        std::size_t pos = 0;
        while ((pos = v.find('<', pos)) != std::string_view::npos) {
            auto close = v.find('>', pos + 1);
            if (close == std::string_view::npos)
                break;
            auto id = trim(v.substr(pos + 1, close - pos - 1));
            if (!id.empty())
                ids.emplace_back(id);
            pos = close + 1;
        }
        return ids;
    }
    for (auto word : split(v, ' '))
        if (!trim(word).empty())
            ids.emplace_back(trim(word));
    return ids;
}

// Replaces invalid UTF-8 with U+FFFD, counting replacements. Nearly every header value is ASCII,
// which needs no look at its sequences.
void sanitize(std::string& s, std::size_t& replaced)
{
    if (!is_ascii(s))
        replaced += sanitize_utf8(s);
}

bool has_nul(std::string_view s)
{
    return s.find('\0') != std::string_view::npos;
}

std::string path_name(const std::string& path)
{
    return path.empty() ? std::string("the body") : "part " + path;
}

std::string child_path(const std::string& parent, std::size_t index)
{
    return parent.empty() ? std::to_string(index) : parent + "." + std::to_string(index);
}

// Some servers prepend an mbox "From " separator line; mimetic would then read everything as body.
std::string_view strip_mbox_line(std::string_view bytes)
{
    if (bytes.substr(0, 5) == "From ") {
        auto eol = bytes.find('\n');
        return eol == std::string_view::npos ? std::string_view() : bytes.substr(eol + 1);
    }
    return bytes;
}

}  // namespace

void MessageBuilder::warn(Message& message, std::string sentence)
{
    if (message.warnings.size() < k_max_warnings)
        message.warnings.push_back(std::move(sentence));
    else if (message.warnings.size() == k_max_warnings)
        message.warnings.push_back("further warnings were left out");
}

void MessageBuilder::warn_charset(Message& message, const CharsetReport& report, std::string_view where,
                                  std::string_view charset)
{
    if (report.unknown_charset) {
        std::string how = report.guessed.empty() ? "decoded as UTF-8 with replacements"
                                                 : "decoded as " + report.guessed + " (guessed)";
        warn(message, "unknown charset " + std::string(charset) + " in " + std::string(where) + ": " + how);
    } else if (!report.guessed.empty()) {
        warn(message, "undeclared 8-bit text in " + std::string(where) + " read as " + report.guessed + " (guessed)");
    }
    if (report.replaced > 0)
        warn(message,
             std::to_string(report.replaced) + " undecodable bytes in " + std::string(where) + " replaced with U+FFFD");
}

Result<Message> MessageBuilder::build(std::string_view bytes)
{
    bytes = strip_mbox_line(bytes);
    if (trim(bytes).empty())
        return make_error("mime.empty", "the message is empty");
    // Blank lines or indentation before the first field (seen from some transports) would make
    // mimetic read the whole message as body.
    bool leading_space = false;
    while (!bytes.empty() &&
           (bytes.front() == ' ' || bytes.front() == '\t' || bytes.front() == '\r' || bytes.front() == '\n')) {
        bytes.remove_prefix(1);
        leading_space = true;
    }
    HeaderBlock header = HeaderBlock::scan(bytes);
    if (!header.starts_with_field() || header.fields().empty())
        return make_error("mime.not_a_message",
                          "the input does not start with a header section (\"Name: value\" lines)");
    if (has_nul(bytes.substr(0, header.body_offset())))
        return make_error("mime.not_a_message",
                          "the header section contains NUL bytes: this is binary data, not a message");

    // mimetic reads a header field into a buffer that grows 128 bytes at a time: a 5 MB Subject
    // costs it minutes. It is given the fields as kept here (each at most 8 KiB, at most 1,000
    // of them) instead, so every stage after the scan is linear in the input.
    std::string bounded;
    std::size_t body_at = header.body_offset();
    if (header.needs_rewrite()) {
        bounded = header.rewrite(bytes);
        body_at = bounded.size() - (bytes.size() - std::min(header.body_offset(), bytes.size()));
        bytes = bounded;
    }
    // The same for the header sections of the parts (and of embedded messages) in the body.
    std::optional<BoundedParts> parts = bound_part_headers(bytes.substr(body_at));
    if (parts) {
        bounded = std::string(bytes.substr(0, body_at)) + parts->bytes;
        bytes = bounded;
    }

    // A charset the message declares is the best guess for raw 8-bit header bytes.
    CharsetReport ignored;
    std::string fallback;
    if (const std::string* ct = header.find("Content-Type")) {
        HeaderParameters top = HeaderParameters::parse(*ct, HeaderDecoder(), ignored);
        if (const std::string* cs = top.get("charset"))
            fallback = *cs;
    }
    m_decoder = HeaderDecoder(fallback);

    StructureScan scan = StructureScan::scan(bytes);
    std::string neutralised;
    std::string_view input = bytes;
    if (!scan.unbounded().empty()) {
        neutralised = scan.neutralise(bytes);
        input = neutralised;
    }
    int mask = mimetic::imNone;
    bool flattened = scan.containers() > k_max_containers;
    if (flattened)
        mask = mimetic::imChildParts;
    m_whole = input;
    mimetic::MimeEntity entity(input.begin(), input.end(), mask);

    // The top-level Content-Type is read from the original bytes; mimetic's copy may be rewritten.
    std::string top_type;
    const std::string* raw_type = header.find("Content-Type");
    if (raw_type && !scan.unbounded().empty() && istarts_with(trim(*raw_type), "multipart")) {
        top_type = *raw_type;
        auto at = top_type.find_first_not_of(" \t");
        top_type.replace(at, k_unbounded_marker.size(), k_unbounded_marker);
        raw_type = &top_type;
    }
    Message message = assemble(header.fields(), entity, raw_type, input);
    // Cuts are said first: they must not be lost behind the cap on warnings.
    std::vector<std::string> cuts;
    if (header.cut_fields() > 0) {
        std::string names;
        for (const RawField& f : header.fields())
            if (f.cut && names.size() < 200)
                names += (names.empty() ? "" : ", ") + std::string(f.name.substr(0, 40));
        cuts.push_back(std::to_string(header.cut_fields()) + " header field(s) over the limit (" +
                       std::to_string(HeaderBlock::k_max_field_bytes) + " bytes; " +
                       std::to_string(HeaderBlock::k_max_id_list_bytes) +
                       " for References and In-Reply-To) were cut (" + names + ")");
    }
    if (parts && parts->cut > 0)
        cuts.push_back(std::to_string(parts->cut) + " header field(s) of MIME parts over the limit (" +
                       std::to_string(HeaderBlock::k_max_field_bytes) + " bytes) were cut");
    if (parts && parts->ended > 0)
        cuts.push_back(std::to_string(parts->ended) +
                       " overlong line(s) in the header of MIME parts were read as the start of the body");
    if (header.dropped_fields() > 0)
        cuts.push_back(std::to_string(header.dropped_fields()) + " header field(s) beyond the first " +
                       std::to_string(HeaderBlock::k_max_fields) + " (or with an overlong name) were left out");
    message.warnings.insert(message.warnings.begin(), cuts.begin(), cuts.end());
    if (leading_space)
        warn(message, "blank space before the first header field was skipped");
    if (flattened)
        warn(message,
             "the message has " + std::to_string(scan.containers()) + " nested parts; only the top level was read");
    return message;
}

Message MessageBuilder::assemble(const std::vector<RawField>& fields, const mimetic::MimeEntity& entity,
                                 const std::string* content_type, std::string_view whole)
{
    m_whole = whole;
    Message message;
    fill_headers(fields, message);
    BodyText body;
    walk(entity, content_type, {}, m_depth, false, message, body);
    finish_text(message, body);
    return message;
}

void MessageBuilder::fill_headers(const std::vector<RawField>& fields, Message& message)
{
    message.headers.reserve(fields.size());
    bool have_reply_to = false;
    for (const RawField& f : fields) {
        CharsetReport report;
        std::string name(f.name);
        // Address fields are parsed from the raw value: a decoded display name may contain ',' or '<'.
        if (iequals(name, "From") && message.from.empty()) {
            auto list = parse_mailboxes(f.value, name, report, message);
            if (!list.empty())
                message.from = std::move(list.front());
        } else if (iequals(name, "To") || iequals(name, "Cc")) {
            auto list = AddressParser::parse_list(f.value, m_decoder, report);
            auto& target = iequals(name, "To") ? message.to : message.cc;
            for (auto& m : list)
                target.push_back(std::move(m));
        } else if (iequals(name, "Reply-To") && !have_reply_to) {
            auto list = parse_mailboxes(f.value, name, report, message);
            if (!list.empty()) {
                message.reply_to = std::move(list.front());
                have_reply_to = true;
            }
        } else if (iequals(name, "Return-Path") && message.return_path.empty()) {
            message.return_path = std::string(trim(f.value));
        } else if (iequals(name, "Message-ID") && message.message_id.empty()) {
            message.message_id = strip_angles(f.value);
        } else if (iequals(name, "In-Reply-To") && message.in_reply_to.empty()) {
            auto ids = id_list(f.value);
            if (!ids.empty())
                message.in_reply_to = std::move(ids.front());
        } else if (iequals(name, "References") && message.references.empty()) {
            message.references = id_list(f.value);
        } else if (iequals(name, "Date") && !message.date) {
            message.date = parse_rfc5322_date(f.value);
        }
        std::string value = m_decoder.decode(f.value, report);
        sanitize(value, report.replaced);
        if (iequals(name, "Subject") && message.subject.empty())
            message.subject = value;
        if (report.unknown_charset || report.replaced > 0 || !report.guessed.empty())
            warn_charset(message, report, "header " + name, "in an encoded word");
        std::size_t ignored = 0;
        sanitize(name, ignored);
        message.headers.push_back(Header{std::move(name), std::move(value)});
    }
    std::size_t ignored = 0;
    for (auto& id : message.references)
        sanitize(id, ignored);
    sanitize(message.message_id, ignored);
    sanitize(message.in_reply_to, ignored);
    sanitize(message.return_path, ignored);
    sanitize(message.from.address, ignored);
    for (auto& m : message.to)
        sanitize(m.address, ignored);
    for (auto& m : message.cc)
        sanitize(m.address, ignored);
    if (message.reply_to)
        sanitize(message.reply_to->address, ignored);
}

std::vector<Mailbox> MessageBuilder::parse_mailboxes(std::string_view raw, std::string_view name, CharsetReport& report,
                                                     Message& message)
{
    auto list = AddressParser::parse_list(raw, m_decoder, report);
    bool found = false;
    for (const Mailbox& m : list)
        found = found || m.address.find('@') != std::string::npos;
    if (found || raw.find("=?") == std::string_view::npos)
        return list;
    // RFC 2047 5 allows encoded words in a display name only, yet PHP's mb_encode_mimeheader and
    // many web forms encode the whole "Name <address>" as one word. Without an address the
    // customer would get no answer, so the field is decoded first and read again.
    CharsetReport decoded_report;
    std::string decoded = m_decoder.decode(raw, decoded_report);
    sanitize(decoded, decoded_report.replaced);
    std::vector<Mailbox> again;
    // The decoded name is text, not RFC 5322 syntax ("Иванов, Иван <ivan@example.org>"): one
    // mailbox, with the address in the last angle brackets, when there are any.
    auto open = decoded.rfind('<');
    auto close = open == std::string::npos ? std::string::npos : decoded.find('>', open);
    if (close != std::string::npos && decoded.find('@', open) < close) {
        std::string name(trim(std::string_view(decoded).substr(0, open)));
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
            name = name.substr(1, name.size() - 2);
        again.push_back(
            Mailbox{std::move(name), std::string(trim(std::string_view(decoded).substr(open + 1, close - open - 1)))});
    } else {
        for (auto& m : AddressParser::parse_list(decoded, m_decoder, decoded_report))
            if (m.address.find('@') != std::string::npos)
                again.push_back(std::move(m));
    }
    if (again.empty())
        return list;
    warn(message, "the whole " + std::string(name) +
                      " field was an encoded word (RFC 2047 allows one in the display name only); its address was read "
                      "after decoding");
    return again;
}

void MessageBuilder::walk(const mimetic::MimeEntity& entity, const std::string* content_type, const std::string& path,
                          int depth, bool in_digest, Message& message, BodyText& body)
{
    std::string type_value;
    bool have_type = content_type != nullptr;
    if (content_type)
        type_value = *content_type;
    else
        have_type = entity_field(entity, "Content-Type", type_value);
    CharsetReport report;
    HeaderParameters ct = HeaderParameters::parse(type_value, m_decoder, report);
    std::string type = ct.value();
    // RFC 2045 5.2: no Content-Type means text/plain; RFC 2046 5.1.5: inside a digest, message/rfc822.
    // A value without a slash is invalid and treated the same way.
    if (!have_type || type.find('/') == std::string::npos)
        type = in_digest ? "message/rfc822" : "text/plain";
    if (path.empty())
        message.content_type = type;

    std::string encoding_value;
    entity_field(entity, "Content-Transfer-Encoding", encoding_value);
    if (path.empty() && content_type) {
        // Top level: mimetic's copy of the field is what the original says for this one.
    }

    if (type.compare(0, k_unbounded_marker.size() + 1, std::string(k_unbounded_marker) + "/") == 0) {
        std::string subtype = type.substr(k_unbounded_marker.size() + 1);
        if (path.empty())
            message.content_type = "multipart/" + subtype;
        walk_unbounded(entity, subtype, path, depth, message, body);
        return;
    }

    if (type.compare(0, 10, "multipart/") == 0) {
        const auto& parts = entity.body().parts();
        if (depth >= m_options.max_depth) {
            warn(message, path_name(path) + " is nested deeper than " + std::to_string(m_options.max_depth) +
                              " levels and was skipped");
            return;
        }
        if (const std::string* boundary = ct.get("boundary")) {
            std::string closing = "--" + *boundary + "--";
            if (m_whole.find(closing) == std::string_view::npos)
                warn(message,
                     type + " in " + path_name(path) + " has no closing boundary: the message may be truncated");
        }
        if (parts.empty()) {
            // mimetic found no boundary line: everything is in the preamble. Read it as text.
            warn(message, type + " in " + path_name(path) + " has no parts; its text was read as plain text");
            std::string_view pre = entity.body().preamble();
            add_text_leaf(pre.empty() ? std::string_view(entity.body()) : pre, "text/plain", nullptr, {}, path, message,
                          body);
            return;
        }
        bool digest = type == "multipart/digest";
        std::size_t index = 0;
        for (const mimetic::MimeEntity* child : parts)
            walk(*child, nullptr, child_path(path, ++index), depth + 1, digest, message, body);
        return;
    }

    if (type == "message/rfc822" || type == "message/global") {
        embed(entity, encoding_value, path, depth, message);
        return;
    }

    std::string disposition_value;
    entity_field(entity, "Content-Disposition", disposition_value);
    HeaderParameters disposition = HeaderParameters::parse(disposition_value, m_decoder, report);
    TransferEncoding encoding = TransferDecoder::parse(encoding_value);
    const std::string& raw = entity.body();

    if (type == "text/rfc822-headers") {
        // RFC 3462: a bounce's copy of the original headers; read it as a message without a body.
        Result<Message> headers_only = MessageBuilder(m_options, depth + 1).build(raw);
        if (headers_only)
            message.embedded.push_back(std::move(headers_only).value());
        return;
    }

    bool text = type == "text/plain" || type == "text/html";
    if (text && disposition.value() != "attachment") {
        add_text_leaf(raw, type, ct.get("charset"), encoding_value, path, message, body);
        return;
    }
    Attachment attachment;
    if (const std::string* name = disposition.get("filename"))
        attachment.filename = *name;
    else if (const std::string* name = ct.get("name"))
        attachment.filename = *name;
    attachment.content_type = type;
    attachment.size = TransferDecoder::decoded_size(encoding, raw);
    if (report.unknown_charset || report.replaced > 0)
        warn_charset(message, report, "the name of " + path_name(path), "in a parameter");
    if (m_parts) {
        AttachmentPart part;
        part.filename = attachment.filename;
        part.content_type = attachment.content_type;
        std::string id_value;
        if (entity_field(entity, "Content-ID", id_value))
            part.content_id = strip_angles(id_value);
        part.inline_part = disposition.value() == "inline";
        TransferDecodeReport transfer;
        TransferDecoder::decode(encoding, raw, part.bytes, transfer);
        m_parts->push_back(std::move(part));
    }
    message.attachments.push_back(std::move(attachment));
}

void MessageBuilder::walk_unbounded(const mimetic::MimeEntity& entity, std::string_view subtype,
                                    const std::string& path, int depth, Message& message, BodyText& body)
{
    // RFC 2046 5.1.1 requires the boundary parameter. Guess it from the first "--" line of the body.
    const std::string& raw = entity.body();
    std::string boundary;
    std::size_t pos = 0;
    while (pos < raw.size()) {
        std::size_t eol = raw.find('\n', pos);
        std::string_view line = std::string_view(raw).substr(pos, (eol == std::string::npos ? raw.size() : eol) - pos);
        line = trim(line);
        if (line.size() > 2 && line.size() < 200 && line[0] == '-' && line[1] == '-' &&
            line.find(' ') == std::string_view::npos) {
            boundary = std::string(line.substr(2));
            break;
        }
        if (eol == std::string::npos)
            break;
        pos = eol + 1;
    }
    if (boundary.empty() || depth >= m_options.max_depth) {
        warn(message, "multipart/" + std::string(subtype) + " in " + path_name(path) +
                          " has no boundary; its text was read as plain text");
        add_text_leaf(raw, "text/plain", nullptr, {}, path, message, body);
        return;
    }
    warn(message, "multipart/" + std::string(subtype) + " in " + path_name(path) + " has no boundary; guessed \"" +
                      boundary + "\"");
    std::string synthetic =
        "Content-Type: multipart/" + std::string(subtype) + "; boundary=\"" + boundary + "\"\r\n\r\n" + raw;
    if (boundary.size() > 2 && boundary.compare(boundary.size() - 2, 2, "--") == 0)
        boundary.resize(boundary.size() - 2);  // the guess hit a closing line; the part list is empty anyway
    mimetic::MimeEntity guessed(synthetic.cbegin(), synthetic.cend());
    std::string type_value = "multipart/" + std::string(subtype) + "; boundary=\"" + boundary + "\"";
    std::string_view saved = m_whole;
    m_whole = synthetic;
    walk(guessed, &type_value, path, depth, false, message, body);
    m_whole = saved;
}

void MessageBuilder::embed(const mimetic::MimeEntity& entity, std::string_view encoding_value, const std::string& path,
                           int depth, Message& message)
{
    if (depth + 1 > m_options.max_depth) {
        warn(message, "the message in " + path_name(path) + " is nested deeper than " +
                          std::to_string(m_options.max_depth) + " levels and was not read");
        return;
    }
    TransferEncoding encoding = TransferDecoder::parse(encoding_value);
    const auto& parts = entity.body().parts();
    Result<Message> inner = make_error("mime.empty", "");
    if (encoding == TransferEncoding::identity && !parts.empty()) {
        // mimetic parsed the inner message already (RFC 2046 5.2.1 forbids encodings other than
        // 7bit/8bit/binary here, so this is the usual case).
        const mimetic::MimeEntity& child = *parts.front();
        std::vector<RawField> fields = fields_of(child);
        MessageBuilder nested(m_options, depth + 1);
        nested.m_decoder = m_decoder;
        if (fields.empty()) {
            inner = make_error("mime.not_a_message", "the embedded message has no header");
        } else {
            std::string child_type;
            bool has_type = entity_field(child, "Content-Type", child_type);
            inner = nested.assemble(fields, child, has_type ? &child_type : nullptr, m_whole);
        }
    } else {
        // Digest entries (mimetic cannot know their default type) and encoded message/rfc822 parts
        // arrive as bytes; the encoded ones are written back out by mimetic and decoded here.
        std::string raw;
        if (parts.empty()) {
            raw = entity.body();
        } else {
            std::ostringstream out;
            out << *parts.front();
            raw = out.str();
        }
        std::string decoded;
        TransferDecodeReport transfer;
        TransferDecoder::decode(encoding, raw, decoded, transfer);
        inner = MessageBuilder(m_options, depth + 1).build(decoded);
    }
    if (inner) {
        message.embedded.push_back(std::move(inner).value());
    } else if (!inner.error().message.empty()) {
        warn(message, "the message in " + path_name(path) + " could not be read: " + inner.error().message);
    }
}

void MessageBuilder::add_text_leaf(std::string_view raw_body, std::string_view type, const std::string* charset,
                                   std::string_view encoding_value, const std::string& path, Message& message,
                                   BodyText& body)
{
    TransferEncoding encoding = TransferDecoder::parse(encoding_value);
    std::string decoded_storage;
    std::string_view bytes = raw_body;
    if (encoding == TransferEncoding::base64 || encoding == TransferEncoding::quoted_printable) {
        TransferDecodeReport transfer;
        TransferDecoder::decode(encoding, raw_body, decoded_storage, transfer);
        bytes = decoded_storage;
        if (transfer.invalid > 0)
            warn(message,
                 std::string(encoding == TransferEncoding::base64 ? "broken base64" : "broken quoted-printable") +
                     " in " + path_name(path) + ": " + std::to_string(transfer.invalid) + " characters skipped");
    }
    bool html = type == "text/html";
    std::string declared = charset ? *charset : std::string();
    if (html && declared.empty())
        declared = HtmlToText::meta_charset(bytes);
    std::string& target = html ? body.html : body.plain;
    if (!target.empty())
        target += "\n\n";
    CharsetReport report;
    CharsetDecoder::to_utf8(bytes, declared, target, report);
    warn_charset(message, report, path_name(path), declared);
}

void MessageBuilder::finish_text(Message& message, BodyText& body)
{
    normalise_newlines(body.plain);
    std::string text;
    // Prefer text/plain (multipart/alternative's plain part); fall back to HTML when there is none
    // or it is blank (some senders ship an empty plain alternative).
    if (!trim(body.plain).empty()) {
        text = std::move(body.plain);
    } else if (!body.html.empty()) {
        normalise_newlines(body.html);
        text = HtmlToText::convert(body.html);
        message.text_from_html = true;
        if (body.html.size() > HtmlToText::k_max_input)
            warn(message, "the HTML body has " + std::to_string(body.html.size()) + " bytes; only the first " +
                              std::to_string(HtmlToText::k_max_input / 1024) + " KiB were read as text");
    }
    SplitText split = QuotedHistory::split(text);
    message.text = std::move(split.text);
    message.quoted = std::move(split.quoted);
    message.signature = std::move(split.signature);
}

}  // namespace redress::mime
