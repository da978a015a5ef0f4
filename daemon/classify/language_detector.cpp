// Language detection (see language_detector.hpp).

#include "language_detector.hpp"

#include "common/text.hpp"
#include "text_analysis.hpp"

// compact_lang_det.h uses FILE without including <cstdio>.
#include <cstdio>
#include <string>

#include <cld2/public/compact_lang_det.h>
#include <utf8proc.h>

namespace redress::classify {

namespace {

struct LetterCounts {
    int cyrillic = 0;
    int latin = 0;
    // Cyrillic markers (lower and upper case counted together).
    int short_u = 0;        // ў
    int uk_only = 0;        // ї є ґ
    int hard_sign = 0;      // ъ
    int dotted_i = 0;       // і
    int ru_be_vowels = 0;   // ы э ё
    int ru_uk_letters = 0;  // и щ
    // Latin markers.
    int es = 0;  // ñ ¿ ¡
    int pt = 0;  // ã õ ç
    int de = 0;  // ä ö ü ß
};

LetterCounts count_letters(std::string_view text)
{
    LetterCounts c;
    auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    auto left = static_cast<utf8proc_ssize_t>(text.size());
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        auto n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) {
            ++p;
            --left;
            continue;
        }
        p += n;
        left -= n;
        if (cp >= 0x0400 && cp <= 0x04FF) {
            ++c.cyrillic;
            auto lower = utf8proc_tolower(cp);
            switch (lower) {
            case 0x045E:
                ++c.short_u;
                break;  // ў
            case 0x0457:
            case 0x0454:
            case 0x0491:
                ++c.uk_only;
                break;  // ї є ґ
            case 0x044A:
                ++c.hard_sign;
                break;  // ъ
            case 0x0456:
                ++c.dotted_i;
                break;  // і
            case 0x044B:
            case 0x044D:
            case 0x0451:
                ++c.ru_be_vowels;
                break;  // ы э ё
            case 0x0438:
            case 0x0449:
                ++c.ru_uk_letters;
                break;  // и щ
            default:
                break;
            }
        } else if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0x24F)) {
            ++c.latin;
            auto lower = utf8proc_tolower(cp);
            switch (lower) {
            case 0xF1:
                ++c.es;
                break;
            case 0xE3:
            case 0xF5:
            case 0xE7:
                ++c.pt;
                break;
            case 0xE4:
            case 0xF6:
            case 0xFC:
            case 0xDF:
                ++c.de;
                break;
            default:
                break;
            }
        } else if (cp == 0xBF || cp == 0xA1) {
            ++c.es;
        }
    }
    return c;
}

struct Cld2Answer {
    std::string code;  // empty when CLD2 did not know
    int percent = 0;
    bool reliable = false;
};

Cld2Answer ask_cld2(std::string_view text)
{
    CLD2::Language top3[3];
    int percent3[3] = {0, 0, 0};
    int text_bytes = 0;
    bool reliable = false;
    int valid_prefix = 0;
    double scores3[3] = {0, 0, 0};
    auto lang =
        CLD2::ExtDetectLanguageSummaryCheckUTF8(text.data(), static_cast<int>(text.size()), true, nullptr, 0, top3,
                                                percent3, scores3, nullptr, &text_bytes, &reliable, &valid_prefix);
    Cld2Answer answer;
    if (lang == CLD2::UNKNOWN_LANGUAGE || lang == CLD2::TG_UNKNOWN_LANGUAGE)
        return answer;
    answer.code = CLD2::LanguageCode(lang);
    answer.percent = percent3[0];
    answer.reliable = reliable;
    return answer;
}

std::string cld2_reason(const Cld2Answer& a)
{
    return "cld2 " + a.code + " " + std::to_string(a.percent) + "%" + (a.reliable ? "" : " unreliable");
}

LanguageGuess decide_cyrillic(const LetterCounts& c, const Cld2Answer& cld2, int letters)
{
    // Long text: CLD2 is right, and a borrowed name ("Київ" in a Russian letter) must not flip it.
    bool cld2_slavic = cld2.code == "ru" || cld2.code == "uk" || cld2.code == "be";
    if (letters >= 200 && cld2.reliable && cld2_slavic)
        return {cld2.code, cld2_reason(cld2)};
    // Unique letters decide first, in the order of how unambiguous they are.
    if (c.short_u > 0 && c.ru_uk_letters == 0)
        return {"be", "letters ў"};
    if (c.uk_only > 0 && c.ru_be_vowels == 0 && c.hard_sign == 0)
        return {"uk", "letters ї/є/ґ"};
    if (c.hard_sign > 0 && c.dotted_i == 0)
        return {"ru", "letters ъ"};
    // Then elimination: each marker rules out the languages that lack it.
    bool ru = true, uk = true, be = true;
    if (c.dotted_i > 0)
        ru = false;
    if (c.ru_uk_letters > 0)
        be = false;
    if (c.ru_be_vowels > 0)
        uk = false;
    int left = int(ru) + int(uk) + int(be);
    if (left == 1) {
        if (ru)
            return {"ru", "letters ы/э without і"};
        if (uk)
            return {"uk", "letters і with и/щ"};
        return {"be", "letters і with ы/э"};
    }
    bool cld2_allowed = (cld2.code == "ru" && ru) || (cld2.code == "uk" && uk) || (cld2.code == "be" && be);
    if (left > 1 && cld2_allowed)
        return {cld2.code, cld2_reason(cld2)};
    if (left > 1)
        return {ru ? "ru" : "uk", "default among Cyrillic"};
    // Contradicting markers (mixed languages or typos): trust CLD2, else Russian.
    if (cld2_slavic)
        return {cld2.code, cld2_reason(cld2)};
    return {"ru", "default among Cyrillic"};
}

LanguageGuess decide_latin(const LetterCounts& c, const Cld2Answer& cld2, int letters)
{
    if (!cld2.code.empty() && (cld2.reliable || letters >= 40))
        return {cld2.code, cld2_reason(cld2)};
    if (c.es > 0 && c.es >= c.pt && c.es >= c.de)
        return {"es", "letters ñ/¿/¡"};
    if (c.pt > 0 && c.pt >= c.de)
        return {"pt", "letters ã/õ/ç"};
    if (c.de > 0)
        return {"de", "letters ä/ö/ü/ß"};
    if (!cld2.code.empty())
        return {cld2.code, cld2_reason(cld2)};
    return {"en", "default en"};
}

}  // namespace

LanguageGuess detect_language(std::string_view utf8)
{
    // A few kilobytes settle the language; reading 64 KiB cost CLD2 a millisecond. Cut at the
    // start of a UTF-8 sequence so no letter is split.
    utf8 = utf8.substr(0, utf8_cut(utf8, k_language_bytes));
    auto counts = count_letters(utf8);
    if (counts.cyrillic == 0 && counts.latin == 0)
        return {"en", "default en"};
    auto cld2 = ask_cld2(utf8);
    if (counts.cyrillic >= counts.latin)
        return decide_cyrillic(counts, cld2, counts.cyrillic);
    return decide_latin(counts, cld2, counts.latin);
}

}  // namespace redress::classify
