#include "header_encoding.hpp"

#include "body_encoding.hpp"
#include "common/text.hpp"

#include <algorithm>
#include <cctype>

namespace redress::letters {

namespace {

constexpr std::size_t k_max_encoded_word = 68;  // "=?utf-8?B?" + text + "?=", shorter than RFC 2047's 75
constexpr std::size_t k_word_overhead = 12;
constexpr std::size_t k_fold_at = 78;      // RFC 5322 2.1.1 "SHOULD"
constexpr std::size_t k_line_limit = 998;  // RFC 5322 2.1.1 "MUST"
constexpr char k_hex[] = "0123456789ABCDEF";

bool is_ascii(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Control characters out, whitespace runs to one space, ends trimmed; invalid UTF-8 repaired.
std::string one_line(std::string_view text)
{
    std::string clean(text);
    sanitize_utf8(clean);
    std::string out;
    for (char c : clean) {
        unsigned char u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f)
            c = ' ';
        if (c == ' ' && (out.empty() || out.back() == ' '))
            continue;
        out += c;
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

std::size_t char_length(std::string_view s, std::size_t i)
{
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return std::min(n, s.size() - i);
}

// RFC 2047 5(3): in a phrase only letters, digits and "!*+-/" may stand for themselves; using the
// narrowest set everywhere keeps one encoder right for subjects and display names alike.
bool q_literal(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '!' || c == '*' ||
           c == '+' || c == '-' || c == '/';
}

std::size_t q_length(std::string_view chunk)
{
    std::size_t n = 0;
    for (char c : chunk)
        n += (q_literal(static_cast<unsigned char>(c)) || c == ' ') ? 1 : 3;
    return n;
}

void append_q(std::string_view chunk, std::string& out)
{
    for (char c : chunk) {
        unsigned char u = static_cast<unsigned char>(c);
        if (c == ' ')
            out += '_';  // RFC 2047 4.2(2)
        else if (q_literal(u))
            out += c;
        else {
            out += '=';
            out += k_hex[u >> 4];
            out += k_hex[u & 15];
        }
    }
}

// Encodes a whole run as encoded words separated by single spaces (which decoders drop between
// adjacent encoded words, RFC 2047 6.2, so the spaces inside the run travel encoded).
std::string encode_run(std::string_view run)
{
    std::size_t non_ascii =
        std::count_if(run.begin(), run.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    bool use_b = non_ascii * 3 > run.size();
    const std::size_t budget = k_max_encoded_word - k_word_overhead;
    // Words of even length read better than full words and a two-byte tail: aim at an equal share.
    std::size_t whole = use_b ? (run.size() + 2) / 3 * 4 : q_length(run);
    std::size_t words = std::max<std::size_t>(1, (whole + budget - 1) / budget);
    std::size_t share = std::min(budget, (whole + words - 1) / words + (use_b ? 4 : 3));
    std::string out;
    std::size_t i = 0;
    while (i < run.size()) {
        // Take whole characters while the encoded form fits the budget.
        std::size_t end = i;
        while (end < run.size()) {
            std::size_t next = end + char_length(run, end);
            std::size_t encoded = use_b ? (next - i + 2) / 3 * 4 : q_length(run.substr(i, next - i));
            if (encoded > share && end > i)
                break;
            end = next;
        }
        if (!out.empty())
            out += ' ';
        out += use_b ? "=?utf-8?B?" : "=?utf-8?Q?";
        if (use_b)
            append_base64(run.substr(i, end - i), out);
        else
            append_q(run.substr(i, end - i), out);
        out += "?=";
        i = end;
    }
    return out;
}

bool needs_encoding(std::string_view word)
{
    // A word that looks like an encoded word would be decoded by the reader (RFC 2047 6.1), and a
    // word longer than a folded line cannot be folded at all.
    return !is_ascii(word) || word.find("=?") != std::string_view::npos || word.size() > k_max_encoded_word;
}

bool atext_or_space(char c)
{
    // RFC 5322 3.2.3 atext, plus the spaces between the atoms of a phrase.
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ')
        return true;
    return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// The address as an RFC 5322 3.4.1 addr-spec that carries no structure of its own into the header:
// a plain one as it is; otherwise the local part as a quoted-string and the domain cut to dot-atom
// characters. A comma, a bracket or a line break from the input never reaches the header unquoted.
std::string header_address(std::string_view raw)
{
    std::string text;
    for (char c : raw) {
        unsigned char u = static_cast<unsigned char>(c);
        // Brackets are ours to write: an address given as "<a@b>" loses them here.
        if (u >= 0x20 && u != 0x7f && c != '<' && c != '>')
            text += c;
    }
    text = std::string(trim(text));
    if (is_plain_addr_spec(text))
        return text;
    auto at = text.rfind('@');
    std::string local = at == std::string::npos ? text : text.substr(0, at);
    std::string quoted = "\"";
    for (char c : local) {
        if (c == '"' || c == '\\')
            quoted += '\\';
        quoted += c;
    }
    quoted += '"';
    if (at == std::string::npos)
        return quoted;
    std::string domain;
    for (char c : text.substr(at + 1))
        if (c == '.' || c == '-' || std::isalnum(static_cast<unsigned char>(c)) ||
            static_cast<unsigned char>(c) >= 0x80)
            domain += c;
    return quoted + "@" + domain;
}

}  // namespace

std::string encode_header_word(std::string_view utf8)
{
    std::string text = one_line(utf8);
    std::vector<std::string_view> words = split(text, ' ');
    std::string out;
    std::size_t i = 0;
    while (i < words.size()) {
        if (!out.empty())
            out += ' ';
        if (!needs_encoding(words[i])) {
            out += words[i++];
            continue;
        }
        // The run spans consecutive words that need encoding, with the spaces between them.
        std::size_t j = i;
        while (j + 1 < words.size() && needs_encoding(words[j + 1]))
            ++j;
        const char* begin = words[i].data();
        const char* end = words[j].data() + words[j].size();
        out += encode_run(std::string_view(begin, static_cast<std::size_t>(end - begin)));
        i = j + 1;
    }
    return out;
}

std::string format_mailbox(const Mailbox& mailbox)
{
    std::string address = header_address(mailbox.address);
    std::string name = one_line(mailbox.name);
    if (name.empty())
        return address;
    if (!is_ascii(name) || name.find("=?") != std::string::npos)
        return encode_run(name) + " <" + address + ">";
    if (std::all_of(name.begin(), name.end(), atext_or_space))
        return name + " <" + address + ">";
    // RFC 5322 3.2.4 quoted-string: only the quote and the backslash need a backslash.
    std::string quoted = "\"";
    for (char c : name) {
        if (c == '"' || c == '\\')
            quoted += '\\';
        quoted += c;
    }
    return quoted + "\" <" + address + ">";
}

std::string fold_header(std::string_view name, std::string_view value)
{
    std::string out(name);
    out += ':';
    std::size_t line_length = out.size();
    bool line_has_word = false;
    for (std::string_view word : split(value, ' ')) {
        // Folding happens only where a space already is (RFC 5322 2.2.3): unfolding removes the CRLF
        // and keeps the space, so the value reads back the same.
        if (line_has_word && !word.empty() && line_length + 1 + word.size() > k_fold_at) {
            out += "\r\n";
            line_length = 0;
        }
        out += ' ';
        ++line_length;
        // Last resort for a word that alone passes the hard limit: cut it.
        while (line_length + word.size() > k_line_limit) {
            std::size_t room = k_line_limit - line_length;
            out.append(word.substr(0, room));
            out += "\r\n ";
            word.remove_prefix(room);
            line_length = 1;
        }
        out += word;
        line_length += word.size();
        line_has_word = line_has_word || !word.empty();
    }
    out += "\r\n";
    return out;
}

}  // namespace redress::letters
