#include "header_block.hpp"

#include "common/text.hpp"

#include <algorithm>

namespace redress::mime {

namespace {

bool is_name_char(char c)
{
    // RFC 5322 3.6.8 ftext is any printable ASCII but ':'.
    return c > 32 && c < 127 && c != ':';
}

bool is_token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
}

}  // namespace

HeaderBlock HeaderBlock::scan(std::string_view bytes)
{
    HeaderBlock block;
    block.m_fields.reserve(32);
    std::size_t pos = 0;
    const std::size_t n = bytes.size();
    bool first = true;
    // The field the continuation lines belong to was left out (too many fields): skip them too.
    bool dropping = false;
    // The limit of the field being read (the last one in m_fields).
    std::size_t limit = k_max_field_bytes;
    // Keeps the last k_max_id_list_bytes of an id list, from the start of an id (after a blank).
    auto keep_id_list_tail = [&block](RawField& field) {
        if (field.value.size() <= k_max_id_list_bytes)
            return;
        std::size_t from = field.value.size() - k_max_id_list_bytes;
        std::size_t blank = field.value.find(' ', from);
        from = blank == std::string::npos ? from : blank + 1;
        field.value.erase(0, from);
        if (!field.cut)
            ++block.m_cut_fields;
        field.cut = true;
    };
    auto finish_id_lists = [&block, &keep_id_list_tail]() {
        for (auto& field : block.m_fields)
            if (iequals(field.name, "References") || iequals(field.name, "In-Reply-To"))
                keep_id_list_tail(field);
    };
    // Appends at most what keeps `field` within `limit`, cut on a character boundary.
    auto append_bounded = [&block, &limit, &keep_id_list_tail](RawField& field, std::string_view more) {
        if (limit == k_max_id_list_bytes) {
            // References and In-Reply-To keep their end, where the newest ids are: append, and
            // now and then drop the oldest (twice the limit before each cut keeps this linear).
            field.value.append(more);
            if (field.value.size() > 2 * limit)
                keep_id_list_tail(field);
            return;
        }
        if (field.cut)
            return;
        std::size_t room = limit - field.value.size();
        if (more.size() > room) {
            more = more.substr(0, utf8_cut(more, room));
            field.cut = true;
            ++block.m_cut_fields;
        }
        field.value.append(more);
    };
    while (pos < n) {
        std::size_t eol = bytes.find('\n', pos);
        std::size_t next = eol == std::string_view::npos ? n : eol + 1;
        std::string_view line = bytes.substr(pos, (eol == std::string_view::npos ? n : eol) - pos);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty()) {
            block.m_body_offset = next;
            finish_id_lists();
            return block;
        }
        if (line.size() > k_max_line)
            block.m_long_line = true;
        if ((line[0] == ' ' || line[0] == '\t') && (!block.m_fields.empty() || dropping)) {
            std::string_view more = trim(line);
            // An id list goes on being read after a cut: it keeps its end (append_bounded).
            if (!dropping && !more.empty() && (!block.m_fields.back().cut || limit == k_max_id_list_bytes)) {
                RawField& field = block.m_fields.back();
                if (!field.value.empty())
                    append_bounded(field, " ");
                append_bounded(field, more);
            }
            pos = next;
            first = false;
            continue;
        }
        std::size_t colon = line.find(':');
        std::size_t name_end = colon;
        // "Subject : x" (blanks before the colon) is tolerated, as mimetic does.
        while (name_end != std::string_view::npos && name_end > 0 &&
               (line[name_end - 1] == ' ' || line[name_end - 1] == '\t'))
            --name_end;
        bool ok = colon != std::string_view::npos && name_end > 0;
        for (std::size_t k = 0; ok && k < name_end; ++k)
            ok = is_name_char(line[k]);
        if (!ok) {
            // Not a field: the blank line before the body is missing (mimetic reads this line as body too).
            block.m_body_offset = pos;
            return block;
        }
        if (first) {
            bool token = true;
            for (std::size_t k = 0; k < name_end; ++k)
                token = token && is_token_char(line[k]);
            block.m_starts_with_field = token;
        }
        first = false;
        pos = next;
        // A name longer than a line may be is no field anyone wrote by hand; past the limit on
        // fields, the rest are counted and left out.
        dropping = name_end > k_max_line || block.m_fields.size() >= k_max_fields;
        if (dropping) {
            ++block.m_dropped_fields;
            continue;
        }
        std::string_view name = line.substr(0, name_end);
        // A long thread's References keeps growing and its newest ids, at the end, are the ones
        // threading needs; machines write it, so it may be longer than what a person types.
        limit = iequals(name, "References") || iequals(name, "In-Reply-To") ? k_max_id_list_bytes : k_max_field_bytes;
        block.m_fields.push_back(RawField{name, std::string()});
        append_bounded(block.m_fields.back(), trim(line.substr(colon + 1)));
    }
    block.m_body_offset = n;
    finish_id_lists();
    return block;
}

std::string HeaderBlock::rewrite(std::string_view bytes) const
{
    std::string_view body = bytes.substr(std::min(m_body_offset, bytes.size()));
    std::size_t size = body.size() + 2;
    for (const auto& f : m_fields)
        size += f.name.size() + f.value.size() + 4;
    std::string out;
    out.reserve(size);
    for (const auto& f : m_fields)
        out.append(f.name).append(": ").append(f.value).append("\r\n");
    out.append("\r\n");
    out.append(body);
    return out;
}

const std::string* HeaderBlock::find(std::string_view name) const
{
    for (auto& f : m_fields)
        if (iequals(f.name, name))
            return &f.value;
    return nullptr;
}

std::optional<BoundedParts> bound_part_headers(std::string_view body)
{
    constexpr std::size_t k_max_boundary_line = 200;
    BoundedParts result;
    bool changed = false;
    std::size_t copied = 0;  // body[0, copied) is in result.bytes (or needs no copy while unchanged)
    auto begin_change = [&](std::size_t upto) {
        if (!changed) {
            result.bytes.reserve(body.size());
            changed = true;
        }
        result.bytes.append(body.substr(copied, upto - copied));
    };
    bool in_header = false;
    bool field_cut = false;      // the rest of the current field is being left out
    std::size_t field_size = 0;  // unfolded bytes of the current field so far
    std::size_t field_limit = HeaderBlock::k_max_field_bytes;
    bool message_part = false;  // the section names a message/* type: its body is a header too
    std::size_t pos = 0;
    const std::size_t n = body.size();
    while (pos < n) {
        std::size_t eol = body.find('\n', pos);
        std::size_t next = eol == std::string_view::npos ? n : eol + 1;
        std::string_view line = body.substr(pos, (eol == std::string_view::npos ? n : eol) - pos);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        bool boundary = line.size() >= 2 && line.size() <= k_max_boundary_line && line[0] == '-' && line[1] == '-';
        if (boundary) {
            in_header = true;
            field_cut = false;
            field_size = 0;
            message_part = false;
        } else if (in_header && line.empty()) {
            // RFC 2046 5.2.1: a message/rfc822 part's body starts with the embedded message's header.
            in_header = message_part;
            message_part = false;
            field_cut = false;
            field_size = 0;
        } else if (in_header && (line[0] == ' ' || line[0] == '\t')) {
            field_size += line.size();
            if (field_cut || field_size > field_limit) {
                if (!field_cut)
                    ++result.cut;
                field_cut = true;
                begin_change(pos);  // the continuation line is left out
                copied = next;
            }
        } else if (in_header) {
            std::size_t colon = line.find(':');
            bool field = colon != std::string_view::npos && colon > 0 && colon <= HeaderBlock::k_max_line;
            for (std::size_t k = 0; field && k < colon; ++k)
                field = is_name_char(line[k]) || line[k] == ' ' || line[k] == '\t';
            if (field) {
                field_size = line.size();
                field_cut = false;
                std::string_view name = trim(line.substr(0, colon));
                field_limit = iequals(name, "References") || iequals(name, "In-Reply-To")
                                  ? HeaderBlock::k_max_id_list_bytes
                                  : HeaderBlock::k_max_field_bytes;
                if (istarts_with(line, "content-type:") && istarts_with(trim(line.substr(13)), "message/"))
                    message_part = true;
                if (line.size() > field_limit) {
                    begin_change(pos);
                    result.bytes.append(line.substr(0, utf8_cut(line, field_limit)));
                    result.bytes.append("\r\n");
                    copied = next;
                    field_cut = true;
                    ++result.cut;
                }
            } else {
                // Not a field: mimetic ends the header here and reads the line as body; an
                // overlong one it would first collect as a name, a byte at a time.
                if (line.size() > HeaderBlock::k_max_line) {
                    begin_change(pos);
                    result.bytes.append("\r\n");
                    copied = pos;
                    ++result.ended;
                }
                in_header = false;
            }
        }
        pos = next;
    }
    if (!changed)
        return std::nullopt;
    result.bytes.append(body.substr(copied));
    return result;
}

}  // namespace redress::mime
