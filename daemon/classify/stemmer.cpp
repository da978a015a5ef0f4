// Stemming (see stemmer.hpp).

#include "stemmer.hpp"

#include <libstemmer.h>

#include <array>
#include <memory>
#include <utility>

namespace redress::classify {

namespace {

// ISO 639-1 codes to Snowball algorithm names; the index is the slot in the per-thread cache.
constexpr std::array<std::pair<std::string_view, const char*>, 14> k_snowball{{
    {"en", "english"},
    {"ru", "russian"},
    {"pt", "portuguese"},
    {"de", "german"},
    {"es", "spanish"},
    {"fr", "french"},
    {"it", "italian"},
    {"nl", "dutch"},
    {"sv", "swedish"},
    {"da", "danish"},
    {"no", "norwegian"},
    {"fi", "finnish"},
    {"tr", "turkish"},
    {"ro", "romanian"},
}};

struct StemmerDeleter {
    void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

class ThreadStemmers {
public:
    sb_stemmer* get(std::size_t slot)
    {
        if (!m_tried[slot]) {
            m_tried[slot] = true;
            m_stemmers[slot].reset(sb_stemmer_new(k_snowball[slot].second, "UTF_8"));
        }
        return m_stemmers[slot].get();
    }

private:
    std::array<std::unique_ptr<sb_stemmer, StemmerDeleter>, k_snowball.size()> m_stemmers;
    std::array<bool, k_snowball.size()> m_tried{};
};

std::size_t count_code_points(std::string_view s)
{
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80)
            ++n;
    return n;
}

// Endings longest first within each list, so the first match is the longest. Chosen from the
// noun, adjective and verb paradigms; over-stripping is cheaper than under-stripping here
// because rules and features only need inflected forms of one word to meet.
constexpr std::string_view k_uk_suffixes[] = {
    "ування", "ювання", "ннями", "ннях",  "ання", "яння", "ення", "іння", "ність", "ності", "ністю", "ується",
    "ються",  "ється",  "ались", "ились", "ться", "ами",  "ями",  "ові",  "еві",   "ого",   "ому",   "ими",
    "ної",    "ній",    "ною",   "ать",   "ять",  "ити",  "ати",  "ють",  "ує",    "ий",    "ій",    "их",
    "іх",     "им",     "ім",    "ом",    "ем",   "ою",   "ею",   "ах",   "ях",    "ів",    "ам",    "ям",
    "ти",     "ла",     "ло",    "ли",    "ть",   "а",    "я",    "у",    "ю",     "і",     "и"};
constexpr std::string_view k_be_suffixes[] = {
    "аванне", "ыванне", "енняў", "анняў", "ннямі", "ннях", "анне", "енне", "нне", "асці", "асць", "асцю", "ецца",
    "уцца",   "юцца",   "цца",   "амі",   "ямі",   "ага",  "яга",  "аму",  "яму", "ымі",  "імі",  "ая",   "яя",
    "ое",     "ае",     "ыя",    "ія",    "ых",    "іх",   "ым",   "ім",   "ай",  "яй",   "ой",   "ою",   "ёй",
    "ах",     "ях",     "аў",    "яў",    "ам",    "ям",   "ем",   "ць",   "ці",  "уць",  "юць",  "аць",  "іць",
    "ыць",    "ла",     "ло",    "лі",    "а",     "я",    "у",    "ю",    "ы",   "і",    "е",    "о"};

}  // namespace

std::string_view strip_slavic_suffix(std::string_view language, std::string_view word)
{
    auto strip = [&](auto& suffixes) -> std::string_view {
        std::size_t best = 0;
        for (auto suffix : suffixes) {
            if (suffix.size() <= best || word.size() <= suffix.size())
                continue;
            if (word.substr(word.size() - suffix.size()) != suffix)
                continue;
            // Keep at least three letters, so short roots ("суд", "дім") survive whole.
            if (count_code_points(word.substr(0, word.size() - suffix.size())) < 3)
                continue;
            best = suffix.size();
        }
        auto stem = word.substr(0, word.size() - best);
        // A soft sign or й left at the end is part of the ending in both languages.
        for (std::string_view tail : {std::string_view("ь"), std::string_view("й")})
            if (stem.size() > tail.size() && stem.substr(stem.size() - tail.size()) == tail &&
                count_code_points(stem) > 3)
                stem.remove_suffix(tail.size());
        return stem;
    };
    if (language == "uk")
        return strip(k_uk_suffixes);
    if (language == "be")
        return strip(k_be_suffixes);
    return word;
}

std::string_view stem_word(std::string_view language, std::string_view word, std::string& scratch)
{
    if (language == "uk" || language == "be")
        return strip_slavic_suffix(language, word);
    for (std::size_t slot = 0; slot < k_snowball.size(); ++slot) {
        if (k_snowball[slot].first != language)
            continue;
        thread_local ThreadStemmers stemmers;
        auto* stemmer = stemmers.get(slot);
        if (stemmer == nullptr)
            return word;
        auto* out =
            sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
        if (out == nullptr)
            return word;
        scratch.assign(reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(stemmer)));
        return scratch;
    }
    return word;
}

}  // namespace redress::classify
