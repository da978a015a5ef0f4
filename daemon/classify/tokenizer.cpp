// Splitting and Unicode case folding for customer text (see text_analysis.hpp).

#include "text_analysis.hpp"

#include <utf8proc.h>

namespace redress::classify {

namespace {

bool is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool starts_with_ascii_ci(std::string_view s, std::string_view prefix)
{
    if (s.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[i])
            return false;
    }
    return true;
}

bool is_apostrophe(utf8proc_int32_t cp)
{
    // ASCII, right single quotation mark and modifier letter apostrophe: Ukrainian and Belarusian
    // write all three inside words ("п’ять", "сям'я").
    return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

void append_cp(std::string& out, utf8proc_int32_t cp)
{
    utf8proc_uint8_t buf[4];
    auto n = utf8proc_encode_char(cp, buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

class ChunkScanner {
public:
    explicit ChunkScanner(TextAnalysis& out)
        : m_out(out)
    {
    }

    void scan(std::string_view chunk)
    {
        auto* p = reinterpret_cast<const utf8proc_uint8_t*>(chunk.data());
        auto left = static_cast<utf8proc_ssize_t>(chunk.size());
        while (left > 0) {
            utf8proc_int32_t cp = 0;
            auto n = utf8proc_iterate(p, left, &cp);
            if (n <= 0) {
                // Not UTF-8: skip one byte and end the word, so garbage never joins two words.
                end_word();
                ++p;
                --left;
                continue;
            }
            p += n;
            left -= n;
            take(cp, p, left);
        }
        end_word();
    }

private:
    void take(utf8proc_int32_t cp, const utf8proc_uint8_t* next, utf8proc_ssize_t left)
    {
        auto category = category_of(cp);
        switch (category) {
        case UTF8PROC_CATEGORY_LU:
        case UTF8PROC_CATEGORY_LL:
        case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO:
            add_letter(cp, category);
            m_all_digits = false;
            return;
        case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_MC:
        case UTF8PROC_CATEGORY_ME:
            // Stress marks (U+0301) in Russian teaching texts would split the stem; drop marks that
            // follow nothing, keep the rest (already composed text rarely has them).
            if (cp != 0x0301 && m_in_word)
                add_letter(cp, category);
            return;
        case UTF8PROC_CATEGORY_ND:
            add_letter(cp, category);
            return;
        case UTF8PROC_CATEGORY_SO:
            count_emoji(cp);
            break;
        default:
            break;
        }
        if (is_apostrophe(cp) && m_in_word && !m_all_digits && left > 0) {
            utf8proc_int32_t following = 0;
            if (utf8proc_iterate(next, left, &following) > 0) {
                auto c = utf8proc_category(following);
                if (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) {
                    m_out.folded.push_back('\'');
                    return;
                }
            }
        }
        end_word();
        switch (cp) {
        case '?':
        case 0xBF:  // ¿ opens a Spanish question
            punct(TokenType::question_mark, "?");
            break;
        case '!':
        case 0xA1:  // ¡
            punct(TokenType::exclamation, "!");
            break;
        case ',':
            punct(TokenType::stop, ",");  // a clause, not a sentence, ends (rules tell them apart)
            break;
        case '.':
        case ';':
        case ':':
        case 0x2026:  // …
            punct(TokenType::stop, ".");
            break;
        default:
            break;
        }
    }

    void count_emoji(utf8proc_int32_t cp)
    {
        // Frowning, crying, angry and pouting faces, thumbs down; smiling faces, hearts, thumbs up.
        if ((cp >= 0x1F620 && cp <= 0x1F62B) || (cp >= 0x1F61E && cp <= 0x1F61F) || cp == 0x1F62D || cp == 0x1F641 ||
            cp == 0x2639 || cp == 0x1F44E || cp == 0x1F92C || cp == 0x1F612 || cp == 0x1F644)
            ++m_out.emoticons_sad;
        else if ((cp >= 0x1F600 && cp <= 0x1F60D) || cp == 0x1F642 || cp == 0x1F44D || cp == 0x2764 || cp == 0x1F64F ||
                 cp == 0x263A || cp == 0x1F917)
            ++m_out.emoticons_happy;
    }

    static utf8proc_category_t category_of(utf8proc_int32_t cp)
    {
        // ASCII answers without a table lookup.
        if (cp >= 'a' && cp <= 'z')
            return UTF8PROC_CATEGORY_LL;
        if (cp >= 'A' && cp <= 'Z')
            return UTF8PROC_CATEGORY_LU;
        if (cp >= '0' && cp <= '9')
            return UTF8PROC_CATEGORY_ND;
        return utf8proc_category(cp);
    }

    void add_letter(utf8proc_int32_t cp, utf8proc_category_t category)
    {
        if (!m_in_word) {
            m_in_word = true;
            m_all_digits = true;
            m_upper = 0;
            m_lower = false;
            m_begin = m_out.folded.size();
            m_last = m_before_last = -1;
        }
        if (category == UTF8PROC_CATEGORY_LU)
            ++m_upper;
        else if (category == UTF8PROC_CATEGORY_LL)
            m_lower = true;
        // The third of three equal letters and beyond add nothing ("sooooo" -> "soo"); digits keep
        // every repeat, since "1000" is not "100".
        if (cp == m_last && cp == m_before_last && category != UTF8PROC_CATEGORY_ND)
            return;
        m_before_last = m_last;
        m_last = cp;
        if (cp < 0x80) {
            // ASCII needs no Unicode tables: most mail is mostly ASCII.
            char c = static_cast<char>(cp);
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
            m_out.folded.push_back(c);
            return;
        }
        utf8proc_int32_t folded[4];
        int boundclass = 0;
        auto n = utf8proc_decompose_char(cp, folded, 4, static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD), &boundclass);
        if (n <= 0 || n > 4) {
            append_cp(m_out.folded, cp);
            return;
        }
        for (utf8proc_ssize_t i = 0; i < n; ++i) {
            auto f = folded[i];
            // ё is optional in Russian print; folding it to е lets "ещё" and "еще" meet.
            if (f == 0x0451)
                f = 0x0435;
            append_cp(m_out.folded, f);
        }
    }

    void end_word()
    {
        if (!m_in_word)
            return;
        m_in_word = false;
        if (m_upper >= 2 && !m_lower)
            ++m_out.caps_words;
        if (m_all_digits) {
            m_out.folded.resize(m_begin);
            emit(TokenType::number, "<num>");
            return;
        }
        Token t;
        t.begin = static_cast<std::uint32_t>(m_begin);
        t.size = static_cast<std::uint32_t>(m_out.folded.size() - m_begin);
        t.type = TokenType::word;
        m_out.tokens.push_back(t);
    }

    void punct(TokenType type, std::string_view text)
    {
        if (!m_out.tokens.empty() && m_out.tokens.back().type == type && m_out.text_of(m_out.tokens.back()) == text)
            return;  // "???" and "!!!" say the same as one
        emit(type, text);
    }

    void emit(TokenType type, std::string_view text)
    {
        Token t;
        t.begin = static_cast<std::uint32_t>(m_out.folded.size());
        t.size = static_cast<std::uint32_t>(text.size());
        t.type = type;
        m_out.folded.append(text);
        m_out.tokens.push_back(t);
    }

    TextAnalysis& m_out;
    bool m_in_word = false;
    bool m_all_digits = true;
    std::size_t m_begin = 0;
    std::uint32_t m_upper = 0;  // capitals in the current word
    bool m_lower = false;       // the current word has a small letter
    utf8proc_int32_t m_last = -1, m_before_last = -1;
};

void add_special(TextAnalysis& out, TokenType type, std::string_view text)
{
    Token t;
    t.begin = static_cast<std::uint32_t>(out.folded.size());
    t.size = static_cast<std::uint32_t>(text.size());
    t.type = type;
    out.folded.append(text);
    out.tokens.push_back(t);
}

// ASCII emoticons written as a chunk of their own (":)", ":-(", ":D"). Returns true when the chunk
// was one; it then yields no token, only a count.
bool count_emoticon(std::string_view chunk, TextAnalysis& out)
{
    static constexpr std::string_view k_happy[] = {":)", ":-)", ":D", ":-D", ";)", ";-)",
                                                   "(:", ":]",  "=)", ":P",  ":p", "<3"};
    static constexpr std::string_view k_sad[] = {":(", ":-(", ":/", ":-/", ":'(", "):", ":[", "=(", ":|", ">:(", "D:"};
    for (auto e : k_happy)
        if (chunk == e) {
            ++out.emoticons_happy;
            return true;
        }
    for (auto e : k_sad)
        if (chunk == e) {
            ++out.emoticons_sad;
            return true;
        }
    return false;
}

}  // namespace

void tokenize(std::string_view utf8, TextAnalysis& out)
{
    if (utf8.size() > k_max_analysed_bytes)
        utf8 = utf8.substr(0, k_max_analysed_bytes);
    std::size_t i = 0;
    while (i < utf8.size()) {
        while (i < utf8.size() && is_ascii_space(utf8[i]))
            ++i;
        std::size_t start = i;
        while (i < utf8.size() && !is_ascii_space(utf8[i]))
            ++i;
        if (start == i)
            break;
        auto chunk = utf8.substr(start, i - start);
        if (starts_with_ascii_ci(chunk, "http://") || starts_with_ascii_ci(chunk, "https://") ||
            starts_with_ascii_ci(chunk, "www.")) {
            add_special(out, TokenType::url, "<url>");
            continue;
        }
        if (chunk.size() > 1 && chunk[0] == '@') {
            add_special(out, TokenType::user, "<user>");
            // Keep what follows the handle ("@acme_help's" -> "<user>"; "@acme:" -> "<user>" ".").
            auto end = chunk.find_first_of(".,;:?!", 1);
            if (end != std::string_view::npos)
                ChunkScanner(out).scan(chunk.substr(end));
            continue;
        }
        if (count_emoticon(chunk, out))
            continue;
        auto at = chunk.find('@');
        if (at != std::string_view::npos && at > 0 && chunk.find('.', at) != std::string_view::npos) {
            add_special(out, TokenType::email, "<email>");
            continue;
        }
        ChunkScanner(out).scan(chunk);
    }
}

}  // namespace redress::classify
