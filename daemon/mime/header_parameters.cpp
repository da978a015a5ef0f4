#include "header_parameters.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <cstdlib>

namespace redress::mime {

namespace {

struct RawParam {
    std::string name;       // lower case, without the RFC 2231 "*N" / "*" suffixes
    int section = -1;       // RFC 2231 3 continuation number, -1 when none
    bool extended = false;  // RFC 2231 4 "*=": charset'lang'%XX
    std::string value;
};

class Cursor {
public:
    explicit Cursor(std::string_view s)
        : m_s(s)
    {
    }
    bool done() const { return m_pos >= m_s.size(); }
    char peek() const { return m_s[m_pos]; }
    void advance() { ++m_pos; }

    // Skips blanks and (nested) comments.
    void skip_cfws()
    {
        while (!done()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                advance();
            } else if (c == '(') {
                int depth = 0;
                while (!done()) {
                    char d = peek();
                    advance();
                    if (d == '\\' && !done())
                        advance();
                    else if (d == '(')
                        ++depth;
                    else if (d == ')' && --depth == 0)
                        break;
                }
            } else {
                return;
            }
        }
    }

    // A run up to a separator. Parameter values in the wild contain spaces without quotes, so a
    // value token runs to the next ';' and loses only trailing blanks.
    std::string_view token_until(std::string_view stops)
    {
        std::size_t start = m_pos;
        while (!done() && stops.find(peek()) == std::string_view::npos)
            advance();
        return trim(m_s.substr(start, m_pos - start));
    }

    std::string quoted_string()
    {
        std::string out;
        advance();  // opening quote
        while (!done()) {
            char c = peek();
            advance();
            if (c == '"')
                return out;
            if (c == '\\' && !done()) {
                // Windows paths in filenames ("C:\\temp\\a.pdf") are sent with single backslashes;
                // keep a backslash that does not escape a quote or a backslash.
                char next = peek();
                if (next == '"' || next == '\\') {
                    out.push_back(next);
                    advance();
                } else {
                    out.push_back('\\');
                }
                continue;
            }
            out.push_back(c);
        }
        return out;  // unterminated: keep what there is
    }

private:
    std::string_view m_s;
    std::size_t m_pos = 0;
};

}  // namespace

HeaderParameters HeaderParameters::parse(std::string_view raw, const HeaderDecoder& decoder, CharsetReport& report)
{
    HeaderParameters result;
    Cursor cur(raw);
    cur.skip_cfws();
    auto head = cur.token_until(";(");
    result.m_value = ascii_lower(head);
    // "text/plain (comment)" leaves the comment; drop blanks inside "text / plain".
    result.m_value.erase(
        std::remove_if(result.m_value.begin(), result.m_value.end(), [](char c) { return c == ' ' || c == '\t'; }),
        result.m_value.end());
    std::vector<RawParam> raws;
    while (!cur.done()) {
        cur.skip_cfws();
        if (cur.done())
            break;
        if (cur.peek() == ';') {
            cur.advance();
            continue;
        }
        std::string name = ascii_lower(cur.token_until("=;"));
        if (cur.done() || cur.peek() == ';')
            continue;   // a name without a value
        cur.advance();  // '='
        cur.skip_cfws();
        std::string value;
        if (!cur.done() && cur.peek() == '"') {
            value = cur.quoted_string();
            cur.token_until(";");  // junk after the closing quote
        } else {
            value = std::string(cur.token_until(";"));
        }
        RawParam p;
        // RFC 2231: name*N*, name*N, name*.
        if (!name.empty() && name.back() == '*') {
            p.extended = true;
            name.pop_back();
        }
        if (auto star = name.rfind('*'); star != std::string::npos) {
            std::string_view digits = std::string_view(name).substr(star + 1);
            if (!digits.empty() && digits.size() < 5 &&
                std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                p.section = std::atoi(std::string(digits).c_str());
                name.resize(star);
            }
        }
        p.name = std::move(name);
        p.value = std::move(value);
        if (!p.name.empty())
            raws.push_back(std::move(p));
    }

    // Join continuations per name, in section order; the charset comes from section 0.
    std::vector<bool> used(raws.size(), false);
    for (std::size_t i = 0; i < raws.size(); ++i) {
        if (used[i])
            continue;
        const std::string& name = raws[i].name;
        if (result.get(name))
            continue;  // the first occurrence wins
        if (raws[i].section < 0) {
            used[i] = true;
            std::string decoded = raws[i].extended ? decoder.decode_extended_value(raws[i].value, report)
                                                   : decoder.decode(raws[i].value, report);
            // RFC 2231 says the "*" form wins over a plain one of the same name; look for it.
            for (std::size_t k = i + 1; k < raws.size(); ++k)
                if (raws[k].name == name && raws[k].extended && raws[k].section < 0) {
                    decoded = decoder.decode_extended_value(raws[k].value, report);
                    used[k] = true;
                }
            result.m_params.emplace_back(name, std::move(decoded));
            continue;
        }
        std::vector<const RawParam*> parts;
        for (std::size_t k = i; k < raws.size(); ++k)
            if (raws[k].name == name && raws[k].section >= 0) {
                parts.push_back(&raws[k]);
                used[k] = true;
            }
        std::stable_sort(parts.begin(), parts.end(), [](auto* a, auto* b) { return a->section < b->section; });
        // Percent-decode extended sections, keep others literally, and convert the joined bytes once.
        std::string charset_prefix;
        std::string joined;
        for (std::size_t k = 0; k < parts.size(); ++k) {
            std::string_view v = parts[k]->value;
            if (parts[k]->extended && k == 0) {
                auto q1 = v.find('\'');
                auto q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
                if (q2 != std::string_view::npos) {
                    charset_prefix = std::string(v.substr(0, q2 + 1));
                    v = v.substr(q2 + 1);
                }
            }
            if (parts[k]->extended) {
                joined += v;
            } else {
                // A plain section may hold '%' literally; escape it so the joint decode keeps it.
                for (char c : v) {
                    if (c == '%')
                        joined += "%25";
                    else
                        joined.push_back(c);
                }
            }
        }
        std::string decoded = decoder.decode_extended_value(
            (charset_prefix.empty() ? std::string("''") : charset_prefix) + joined, report);
        if (charset_prefix.empty() && decoded.find("=?") != std::string::npos)
            decoded = decoder.decode(decoded, report);
        result.m_params.emplace_back(name, std::move(decoded));
    }
    return result;
}

const std::string* HeaderParameters::get(std::string_view name) const
{
    for (auto& [n, v] : m_params)
        if (iequals(n, name))
            return &v;
    return nullptr;
}

}  // namespace redress::mime
