#include "imap_syntax.hpp"

#include "common/text.hpp"
#include <array>

#include <cctype>

namespace redress::connectors::imap {

namespace {

std::optional<std::uint64_t> parse_number(std::string_view text)
{
    if (text.empty() || text.size() > 19)
        return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

std::optional<std::uint32_t> parse_u32(std::string_view text)
{
    auto value = parse_number(text);
    if (!value || *value > 0xFFFFFFFFu)
        return std::nullopt;
    return static_cast<std::uint32_t>(*value);
}

// Decodes UTF-8 into code points; a broken sequence becomes U+FFFD.
std::vector<char32_t> decode_utf8(std::string_view text)
{
    std::vector<char32_t> out;
    std::size_t i = 0;
    while (i < text.size()) {
        auto c = static_cast<unsigned char>(text[i]);
        int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
        if (extra < 0 || text.size() - i <= static_cast<std::size_t>(extra)) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        char32_t cp = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
        bool ok = true;
        for (int k = 1; k <= extra; ++k) {
            auto d = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
            if ((d & 0xC0) != 0x80) {
                ok = false;
                break;
            }
            cp = (cp << 6) | (d & 0x3F);
        }
        if (!ok || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        out.push_back(cp);
        i += static_cast<std::size_t>(extra) + 1;
    }
    return out;
}

constexpr std::string_view k_modified_base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

void flush_utf16(std::string& out, std::vector<std::uint16_t>& units)
{
    if (units.empty())
        return;
    std::string bytes;
    for (auto u : units) {
        bytes += static_cast<char>(u >> 8);
        bytes += static_cast<char>(u & 0xFF);
    }
    out += '&';
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        std::uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) |
                          (static_cast<unsigned char>(bytes[i + 1]) << 8) | static_cast<unsigned char>(bytes[i + 2]);
        out += k_modified_base64[(v >> 18) & 63];
        out += k_modified_base64[(v >> 12) & 63];
        out += k_modified_base64[(v >> 6) & 63];
        out += k_modified_base64[v & 63];
    }
    // Modified BASE64 has no "=" padding (RFC 3501 section 5.1.3).
    std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
        out += k_modified_base64[(v >> 18) & 63];
        out += k_modified_base64[(v >> 12) & 63];
    } else if (rest == 2) {
        std::uint32_t v =
            (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
        out += k_modified_base64[(v >> 18) & 63];
        out += k_modified_base64[(v >> 12) & 63];
        out += k_modified_base64[(v >> 6) & 63];
    }
    out += '-';
    units.clear();
}

// Skips one FETCH value starting at `pos` (atom, number, quoted string, literal marker or
// parenthesised list) and counts the literal markers it passes.
std::size_t skip_value(std::string_view text, std::size_t pos, std::size_t& literal_index)
{
    if (pos >= text.size())
        return pos;
    if (text[pos] == '"') {
        ++pos;
        while (pos < text.size() && text[pos] != '"') {
            if (text[pos] == '\\')
                ++pos;
            ++pos;
        }
        return pos + 1;
    }
    if (text[pos] == '{') {
        auto close = text.find('}', pos);
        ++literal_index;
        return close == std::string_view::npos ? text.size() : close + 1;
    }
    if (text[pos] == '(') {
        int depth = 0;
        while (pos < text.size()) {
            char c = text[pos];
            if (c == '"') {
                pos = skip_value(text, pos, literal_index);
                continue;
            }
            if (c == '{') {
                pos = skip_value(text, pos, literal_index);
                continue;
            }
            if (c == '(')
                ++depth;
            else if (c == ')') {
                --depth;
                if (depth == 0)
                    return pos + 1;
            }
            ++pos;
        }
        return pos;
    }
    while (pos < text.size() && text[pos] != ' ' && text[pos] != ')')
        ++pos;
    return pos;
}

std::string unquote(std::string_view quoted)
{
    std::string out;
    for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
        if (quoted[i] == '\\' && i + 2 < quoted.size())
            ++i;
        out += quoted[i];
    }
    return out;
}

}  // namespace

Result<ImapUrl> parse_imap_url(std::string_view url)
{
    ImapUrl out;
    std::string_view rest;
    if (iequals(url.substr(0, 7), "imap://")) {
        rest = url.substr(7);
    } else if (iequals(url.substr(0, 8), "imaps://")) {
        rest = url.substr(8);
        out.implicit_tls = true;
    } else {
        return make_error(ErrorKind::invalid, "imap.url", "a mailbox URL starts with imap:// or imaps://");
    }
    auto slash = rest.find('/');
    auto authority = rest.substr(0, slash);
    if (authority.empty() || authority.find('@') != std::string_view::npos)
        return make_error(ErrorKind::invalid, "imap.url",
                          "a mailbox URL names a host (and no user: the user is a key of its own)");
    out.server = std::string(url.substr(0, url.size() - rest.size())) + std::string(authority);
    auto path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (path.find_first_of(";?#") != std::string_view::npos)
        return make_error(ErrorKind::invalid, "imap.url",
                          "a mailbox URL has no parameters, query or fragment: imap://host:port/FOLDER");
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '%') {
            auto hex = hex_digit_value;
            if (i + 2 >= path.size() || hex(path[i + 1]) < 0 || hex(path[i + 2]) < 0)
                return make_error(ErrorKind::invalid, "imap.url", "a broken %-escape in the mailbox URL's folder");
            out.folder += static_cast<char>(hex(path[i + 1]) * 16 + hex(path[i + 2]));
            i += 2;
        } else {
            out.folder += path[i];
        }
    }
    while (!out.folder.empty() && out.folder.back() == '/')
        out.folder.pop_back();
    if (out.folder.empty())
        out.folder = "INBOX";
    return out;
}

std::string encode_mailbox_name(std::string_view utf8)
{
    std::string out;
    std::vector<std::uint16_t> pending;
    for (char32_t cp : decode_utf8(utf8)) {
        if (cp >= 0x20 && cp <= 0x7E) {
            flush_utf16(out, pending);
            // "&" itself is written "&-".
            out += cp == '&' ? std::string("&-") : std::string(1, static_cast<char>(cp));
            continue;
        }
        if (cp >= 0x10000) {
            char32_t v = cp - 0x10000;
            pending.push_back(static_cast<std::uint16_t>(0xD800 + (v >> 10)));
            pending.push_back(static_cast<std::uint16_t>(0xDC00 + (v & 0x3FF)));
        } else {
            pending.push_back(static_cast<std::uint16_t>(cp));
        }
    }
    flush_utf16(out, pending);
    return out;
}

std::string quote_mailbox(std::string_view utf8)
{
    std::string out = "\"";
    for (char c : encode_mailbox_name(utf8)) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

std::vector<std::string> parse_capabilities(std::string_view text)
{
    std::vector<std::string> out;
    std::size_t pos = 0;
    bool first = true;
    while (pos < text.size()) {
        auto end = text.find(' ', pos);
        if (end == std::string_view::npos)
            end = text.size();
        auto word = text.substr(pos, end - pos);
        // The leading "CAPABILITY" keyword is not a capability.
        if (!word.empty() && !(first && iequals(word, "CAPABILITY")))
            out.push_back(ascii_upper(word));
        first = false;
        pos = end + 1;
    }
    return out;
}

std::optional<std::vector<std::string>> capability_response_code(std::string_view status_text)
{
    if (status_text.substr(0, 12) != "[CAPABILITY " && status_text.substr(0, 12) != "[capability ")
        return std::nullopt;
    auto close = status_text.find(']');
    if (close == std::string_view::npos)
        return std::nullopt;
    return parse_capabilities(status_text.substr(1, close - 1));
}

std::optional<std::uint32_t> numeric_response_code(std::string_view text, std::string_view name)
{
    auto open = text.find('[');
    if (open == std::string_view::npos)
        return std::nullopt;
    auto close = text.find(']', open);
    if (close == std::string_view::npos)
        return std::nullopt;
    auto code = text.substr(open + 1, close - open - 1);
    auto space = code.find(' ');
    if (space == std::string_view::npos || !iequals(code.substr(0, space), name))
        return std::nullopt;
    return parse_u32(code.substr(space + 1));
}

bool has_response_code(std::string_view text, std::string_view name)
{
    auto open = text.find('[');
    if (open == std::string_view::npos)
        return false;
    auto code = text.substr(open + 1);
    auto end = code.find_first_of(" ]");
    return end != std::string_view::npos && iequals(code.substr(0, end), name);
}

std::optional<std::vector<std::uint32_t>> parse_search(std::string_view text)
{
    if (!iequals(text.substr(0, 6), "SEARCH"))
        return std::nullopt;
    if (text.size() > 6 && text[6] != ' ')
        return std::nullopt;
    std::vector<std::uint32_t> out;
    std::size_t pos = 7;
    while (pos < text.size()) {
        auto end = text.find(' ', pos);
        if (end == std::string_view::npos)
            end = text.size();
        auto word = text.substr(pos, end - pos);
        if (!word.empty()) {
            auto number = parse_u32(word);
            if (!number)
                return std::nullopt;
            out.push_back(*number);
        }
        pos = end + 1;
    }
    return out;
}

std::optional<std::uint32_t> parse_exists(std::string_view text)
{
    auto space = text.find(' ');
    if (space == std::string_view::npos || !iequals(text.substr(space + 1), "EXISTS"))
        return std::nullopt;
    return parse_u32(text.substr(0, space));
}

std::optional<FetchData> parse_fetch(const ImapResponse& response)
{
    if (response.kind != ImapResponse::Kind::untagged)
        return std::nullopt;
    std::string_view text(response.text);
    auto space = text.find(' ');
    if (space == std::string_view::npos)
        return std::nullopt;
    FetchData data;
    auto sequence = parse_u32(text.substr(0, space));
    if (!sequence || !iequals(text.substr(space + 1, 7), "FETCH ("))
        return std::nullopt;
    data.sequence = *sequence;
    std::size_t pos = space + 8;
    std::size_t literal_index = 0;
    while (pos < text.size()) {
        while (pos < text.size() && text[pos] == ' ')
            ++pos;
        if (pos >= text.size() || text[pos] == ')')
            break;
        // The item name, with its section and partial range: "BODY[HEADER.FIELDS (FROM)]<0>".
        std::size_t name_start = pos;
        while (pos < text.size() && text[pos] != ' ' && text[pos] != '[')
            ++pos;
        if (pos < text.size() && text[pos] == '[') {
            auto close = text.find(']', pos);
            if (close == std::string_view::npos)
                return std::nullopt;
            pos = close + 1;
            while (pos < text.size() && text[pos] != ' ')
                ++pos;
        }
        auto name = ascii_upper(text.substr(name_start, pos - name_start));
        if (pos >= text.size())
            return std::nullopt;
        ++pos;  // the space between name and value
        std::size_t value_start = pos;
        std::size_t literal_before = literal_index;
        pos = skip_value(text, pos, literal_index);
        auto value = text.substr(value_start, pos - value_start);

        if (name == "UID") {
            data.uid = parse_u32(value);
        } else if (name == "RFC822.SIZE") {
            data.size = parse_number(value);
        } else if (name == "INTERNALDATE") {
            if (value.size() >= 2 && value.front() == '"')
                data.internal_date = unquote(value);
        } else if (name == "FLAGS") {
            for (auto flag : parse_capabilities(value.substr(1, value.size() >= 2 ? value.size() - 2 : 0)))
                data.flags.push_back(flag);
        } else if (name.rfind("BODY[", 0) == 0 || name.rfind("RFC822", 0) == 0 || name.rfind("BINARY[", 0) == 0) {
            if (data.body)
                continue;
            if (!value.empty() && value.front() == '{') {
                if (literal_before >= response.literals.size())
                    return std::nullopt;
                data.body = response.literals[literal_before];
            } else if (!value.empty() && value.front() == '"') {
                data.body = unquote(value);
            } else if (iequals(value, "NIL")) {
                data.body = std::string();
            }
        }
    }
    return data;
}

std::optional<TimePoint> parse_internal_date(std::string_view text)
{
    // "dd-Mon-yyyy hh:mm:ss +zzzz"; a one-digit day is padded with a space (RFC 3501 date-day-fixed).
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    auto dash = text.find('-');
    if (dash == std::string_view::npos || dash == 0 || dash > 2)
        return std::nullopt;
    auto day = parse_u32(text.substr(0, dash));
    static constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    auto rest = text.substr(dash + 1);
    if (rest.size() < 24 - 3)
        return std::nullopt;
    unsigned month = 0;
    for (unsigned m = 0; m < 12; ++m)
        if (iequals(rest.substr(0, 3), months[m]))
            month = m + 1;
    if (month == 0 || rest[3] != '-' || rest[8] != ' ' || rest[11] != ':' || rest[14] != ':' || rest[17] != ' ')
        return std::nullopt;
    auto year = parse_u32(rest.substr(4, 4));
    auto hour = parse_u32(rest.substr(9, 2));
    auto minute = parse_u32(rest.substr(12, 2));
    auto second = parse_u32(rest.substr(15, 2));
    auto zone = rest.substr(18);
    if (!day || !year || !hour || !minute || !second || zone.size() != 5 || (zone[0] != '+' && zone[0] != '-'))
        return std::nullopt;
    auto zone_hours = parse_u32(zone.substr(1, 2));
    auto zone_minutes = parse_u32(zone.substr(3, 2));
    if (!zone_hours || !zone_minutes || *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60)
        return std::nullopt;
    std::chrono::year_month_day date{std::chrono::year{static_cast<int>(*year)}, std::chrono::month{month},
                                     std::chrono::day{*day}};
    if (!date.ok())
        return std::nullopt;
    auto offset = std::chrono::hours{*zone_hours} + std::chrono::minutes{*zone_minutes};
    auto local = std::chrono::sys_days{date} + std::chrono::hours{*hour} + std::chrono::minutes{*minute} +
                 std::chrono::seconds{*second};
    auto utc = zone[0] == '+' ? local - offset : local + offset;
    return std::chrono::time_point_cast<Seconds>(utc);
}

}  // namespace redress::connectors::imap
