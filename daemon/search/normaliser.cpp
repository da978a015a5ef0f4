// Index terms and query forms (see normaliser.hpp).

#include "normaliser.hpp"

#include "classify/language_detector.hpp"
#include "classify/stemmer.hpp"

#include <utf8proc.h>

#include <algorithm>

namespace redress::search {

namespace {

bool is_letter(utf8proc_category_t c)
{
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

bool is_mark(utf8proc_category_t c)
{
    return c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME;
}

bool is_apostrophe(utf8proc_int32_t cp)
{
    // Ukrainian and Belarusian write apostrophes inside words ("п’ять", "сям'я"), English too.
    return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

void append_cp(std::string& out, utf8proc_int32_t cp)
{
    utf8proc_uint8_t buf[4];
    auto n = utf8proc_encode_char(cp, buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

// Takes the marks off Latin letters ("ç" -> "c", "ü" -> "u") and keeps every other script whole:
// Cyrillic "й" and "ё" are letters of their own, not marked ones.
void strip_latin_marks(std::string_view in, std::string& out)
{
    out.clear();
    auto* p = reinterpret_cast<const utf8proc_uint8_t*>(in.data());
    auto left = static_cast<utf8proc_ssize_t>(in.size());
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        auto n = utf8proc_iterate(p, left, &cp);
        if (n <= 0)
            return;
        p += n;
        left -= n;
        if (cp >= 0xC0 && cp < 0x250) {
            utf8proc_int32_t parts[4];
            int last = 0;
            auto k = utf8proc_decompose_char(
                cp, parts, 4, static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK), &last);
            if (k >= 1) {
                for (utf8proc_ssize_t i = 0; i < k; ++i)
                    append_cp(out, parts[i]);
                continue;
            }
        }
        append_cp(out, cp);
    }
}

std::size_t count_code_points(std::string_view s)
{
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Splits `text` into words: runs of letters, digits and the marks that follow them, with an
// apostrophe between two letters kept inside. Calls `each(folded, begin, end, letters_only)`.
template <typename Each> void scan_words(std::string_view text, Each&& each)
{
    std::string folded;
    auto* base = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    auto size = static_cast<utf8proc_ssize_t>(text.size());
    utf8proc_ssize_t pos = 0;
    utf8proc_ssize_t begin = -1;
    bool letters_only = true;
    auto finish = [&](utf8proc_ssize_t end) {
        if (begin >= 0 && !folded.empty() && folded.size() <= k_max_word_bytes)
            each(std::string_view(folded), static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end),
                 letters_only);
        folded.clear();
        begin = -1;
        letters_only = true;
    };
    while (pos < size) {
        utf8proc_int32_t cp = 0;
        auto n = utf8proc_iterate(base + pos, size - pos, &cp);
        if (n <= 0) {
            // Not UTF-8: the byte ends the word, so garbage never joins two words.
            finish(pos);
            ++pos;
            continue;
        }
        auto category = utf8proc_category(cp);
        if (is_letter(category) || category == UTF8PROC_CATEGORY_ND || (is_mark(category) && begin >= 0)) {
            if (begin < 0)
                begin = pos;
            if (category == UTF8PROC_CATEGORY_ND)
                letters_only = false;
            // A stress mark (U+0301) in Russian text would split the stem from its usual spelling.
            if (cp != 0x0301)
                append_cp(folded, utf8proc_tolower(cp));
            pos += n;
            continue;
        }
        if (is_apostrophe(cp) && begin >= 0 && pos + n < size) {
            utf8proc_int32_t next = 0;
            if (utf8proc_iterate(base + pos + n, size - pos - n, &next) > 0 && is_letter(utf8proc_category(next))) {
                folded.push_back('\'');
                pos += n;
                continue;
            }
        }
        finish(pos);
        pos += n;
    }
    finish(pos);
}

bool is_search_language(std::string_view language)
{
    return std::find(std::begin(k_languages), std::end(k_languages), language) != std::end(k_languages);
}

}  // namespace

std::string document_language(std::string_view text)
{
    auto guess = classify::detect_language(text);
    return is_search_language(guess.code) ? guess.code : std::string();
}

void for_each_term(std::string_view text, std::string_view language, const std::function<void(const Term&)>& each)
{
    std::string scratch;
    std::string plain;
    scan_words(text, [&](std::string_view folded, std::uint32_t begin, std::uint32_t end, bool) {
        std::string_view stem = language.empty() ? folded : classify::stem_word(language, folded, scratch);
        strip_latin_marks(stem, plain);
        if (plain.empty())
            return;
        each(Term{plain, begin, end});
    });
}

std::vector<std::string> split_words(std::string_view text)
{
    std::vector<std::string> words;
    scan_words(text, [&](std::string_view, std::uint32_t begin, std::uint32_t end, bool) {
        words.emplace_back(text.substr(begin, end - begin));
    });
    return words;
}

namespace {

// A stem of k_prefix_letters or more letters (no digits: order numbers match whole) becomes a prefix.
QueryForm form_of(std::string_view stem, bool letters)
{
    QueryForm form{std::string(stem), false};
    if (letters && count_code_points(form.text) >= k_prefix_letters) {
        std::size_t seen = 0;
        std::size_t i = 0;
        for (; i < form.text.size(); ++i)
            if ((static_cast<unsigned char>(form.text[i]) & 0xC0) != 0x80 && seen++ == k_prefix_letters)
                break;
        form.text.resize(i);
        form.prefix = true;
    }
    return form;
}

bool only_letters(std::string_view word)
{
    bool letters = true;
    scan_words(word, [&](std::string_view, std::uint32_t, std::uint32_t, bool l) { letters = letters && l; });
    return letters;
}

}  // namespace

QueryForm query_form(std::string_view word, std::string_view language)
{
    QueryForm form;
    bool letters = only_letters(word);
    for_each_term(word, language, [&](const Term& term) {
        if (form.text.empty())
            form = form_of(term.text, letters);
    });
    return form;
}

std::vector<QueryForm> query_forms(std::string_view word)
{
    std::vector<QueryForm> forms;
    bool letters = only_letters(word);
    auto add = [&](std::string_view language) {
        for_each_term(word, language, [&](const Term& term) {
            auto form = form_of(term.text, letters);
            if (std::find(forms.begin(), forms.end(), form) == forms.end())
                forms.push_back(std::move(form));
        });
    };
    add("");
    for (auto language : k_languages)
        add(language);
    // English Snowball turns a final y into i ("delivery", "deliveries" -> "deliveri") but takes -ed
    // and -ing off the verb down to its R2 ("delivered" -> "deliv"): the noun's stem is longer than the
    // verb's by more than the prefix rule reaches. A long English stem in -i also asks for the stem of
    // what is left without the i ("deliver" -> "deliv"), so "delivery" finds "delivered".
    if (letters) {
        std::vector<std::string> shorter;
        for_each_term(word, "en", [&](const Term& term) {
            if (term.text.size() > k_prefix_letters && term.text.back() == 'i')
                shorter.emplace_back(term.text.substr(0, term.text.size() - 1));
        });
        for (const auto& base : shorter)
            for_each_term(base, "en", [&](const Term& term) {
                auto form = form_of(term.text, letters);
                if (std::find(forms.begin(), forms.end(), form) == forms.end())
                    forms.push_back(std::move(form));
            });
    }
    // An exact form that a prefix form already covers adds nothing.
    const auto all = forms;
    std::erase_if(forms, [&](const QueryForm& f) {
        return !f.prefix && std::any_of(all.begin(), all.end(),
                                        [&](const QueryForm& p) { return p.prefix && f.text.starts_with(p.text); });
    });
    return forms;
}

}  // namespace redress::search
