#include "letter_time.hpp"

#include "letter_words.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace redress::letters {

namespace {

using Language = LetterLanguage;

using Months = std::array<std::string_view, 12>;

// Russian, Ukrainian and Belarusian name the month in the genitive after a day number.
constexpr Months k_en{"January", "February", "March",     "April",   "May",      "June",
                      "July",    "August",   "September", "October", "November", "December"};
constexpr Months k_ru{"января", "февраля", "марта",    "апреля",  "мая",    "июня",
                      "июля",   "августа", "сентября", "октября", "ноября", "декабря"};
constexpr Months k_uk{"січня", "лютого", "березня", "квітня", "травня",    "червня",
                      "липня", "серпня", "вересня", "жовтня", "листопада", "грудня"};
constexpr Months k_be{"студзеня", "лютага", "сакавіка", "красавіка",   "мая",       "чэрвеня",
                      "ліпеня",   "жніўня", "верасня",  "кастрычніка", "лістапада", "снежня"};
constexpr Months k_pt{"janeiro", "fevereiro", "março",    "abril",   "maio",     "junho",
                      "julho",   "agosto",    "setembro", "outubro", "novembro", "dezembro"};
constexpr Months k_es{"enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
                      "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
constexpr Months k_de{"Januar", "Februar", "März",      "April",   "Mai",      "Juni",
                      "Juli",   "August",  "September", "Oktober", "November", "Dezember"};

// A zone as people name it, one column per LetterLanguage. Each phrase is written to follow the clock
// time directly ("12:25 Moscow time", "12:25 по московскому времени", "12:25 Uhr Moskauer Zeit",
// "12:25, hora de Lisboa"). Where people name the country rather than the city ("UK time",
// "deutscher Zeit", "hora peninsular"), so does the table.
struct ZoneWords {
    std::string_view zone;
    std::array<std::string_view, 7> words;  // en, ru, uk, be, pt, de, es, as LetterLanguage
};

// clang-format off
constexpr std::array k_zone_words{
    ZoneWords{"Europe/Moscow", {"Moscow time", "по московскому времени", "за московським часом", "па маскоўскім часе", "hora de Moscovo", "Moskauer Zeit", "hora de Moscú"}},
    ZoneWords{"Europe/Kyiv", {"Kyiv time", "по киевскому времени", "за київським часом", "па кіеўскім часе", "hora de Kyiv", "Kyjiwer Zeit", "hora de Kiev"}},
    ZoneWords{"Europe/Kiev", {"Kyiv time", "по киевскому времени", "за київським часом", "па кіеўскім часе", "hora de Kyiv", "Kyjiwer Zeit", "hora de Kiev"}},
    ZoneWords{"Europe/Minsk", {"Minsk time", "по минскому времени", "за мінським часом", "па мінскім часе", "hora de Minsk", "Minsker Zeit", "hora de Minsk"}},
    ZoneWords{"Europe/Kaliningrad", {"Kaliningrad time", "по калининградскому времени", "за калінінградським часом", "па калінінградскім часе", "hora de Kaliningrado", "Ortszeit Kaliningrad", "hora de Kaliningrado"}},
    ZoneWords{"Europe/Samara", {"Samara time", "по самарскому времени", "за самарським часом", "па самарскім часе", "hora de Samara", "Ortszeit Samara", "hora de Samara"}},
    ZoneWords{"Asia/Yekaterinburg", {"Yekaterinburg time", "по екатеринбургскому времени", "за єкатеринбурзьким часом", "па екацярынбургскім часе", "hora de Ecaterimburgo", "Ortszeit Jekaterinburg", "hora de Ekaterimburgo"}},
    ZoneWords{"Asia/Novosibirsk", {"Novosibirsk time", "по новосибирскому времени", "за новосибірським часом", "па новасібірскім часе", "hora de Novosibirsk", "Ortszeit Nowosibirsk", "hora de Novosibirsk"}},
    ZoneWords{"Asia/Vladivostok", {"Vladivostok time", "по владивостокскому времени", "за владивостоцьким часом", "па уладзівастоцкім часе", "hora de Vladivostok", "Ortszeit Wladiwostok", "hora de Vladivostok"}},
    ZoneWords{"Europe/Vilnius", {"Vilnius time", "по вильнюсскому времени", "за вільнюським часом", "па вільнюскім часе", "hora de Vílnius", "Ortszeit Vilnius", "hora de Vilna"}},
    ZoneWords{"Europe/Riga", {"Riga time", "по рижскому времени", "за ризьким часом", "па рыжскім часе", "hora de Riga", "Ortszeit Riga", "hora de Riga"}},
    ZoneWords{"Europe/Tallinn", {"Tallinn time", "по таллинскому времени", "за таллінським часом", "па талінскім часе", "hora de Tallinn", "Ortszeit Tallinn", "hora de Tallin"}},
    ZoneWords{"Europe/Warsaw", {"Polish time", "по варшавскому времени", "за варшавським часом", "па варшаўскім часе", "hora de Varsóvia", "polnischer Zeit", "hora de Varsovia"}},
    ZoneWords{"Europe/Berlin", {"German time", "по берлинскому времени", "за берлінським часом", "па берлінскім часе", "hora de Berlim", "deutscher Zeit", "hora de Berlín"}},
    ZoneWords{"Europe/Vienna", {"Austrian time", "по венскому времени", "за віденським часом", "па венскім часе", "hora de Viena", "österreichischer Zeit", "hora de Viena"}},
    ZoneWords{"Europe/Zurich", {"Swiss time", "по швейцарскому времени", "за швейцарським часом", "па швейцарскім часе", "hora da Suíça", "Schweizer Zeit", "hora de Suiza"}},
    ZoneWords{"Europe/Paris", {"French time", "по парижскому времени", "за паризьким часом", "па парыжскім часе", "hora de Paris", "französischer Zeit", "hora de París"}},
    ZoneWords{"Europe/Rome", {"Italian time", "по римскому времени", "за римським часом", "па рымскім часе", "hora de Roma", "italienischer Zeit", "hora de Roma"}},
    ZoneWords{"Europe/Madrid", {"Madrid time", "по мадридскому времени", "за мадридським часом", "па мадрыдскім часе", "hora de Madrid", "spanischer Zeit", "hora peninsular"}},
    ZoneWords{"Atlantic/Canary", {"Canary Islands time", "по времени Канарских островов", "за часом Канарських островів", "па часе Канарскіх астравоў", "hora das Canárias", "kanarischer Zeit", "hora canaria"}},
    ZoneWords{"Europe/Lisbon", {"Lisbon time", "по лиссабонскому времени", "за лісабонським часом", "па лісабонскім часе", "hora de Lisboa", "portugiesischer Zeit", "hora de Lisboa"}},
    ZoneWords{"Europe/London", {"UK time", "по лондонскому времени", "за лондонським часом", "па лонданскім часе", "hora de Londres", "britischer Zeit", "hora de Londres"}},
    ZoneWords{"America/Sao_Paulo", {"Brasília time", "по времени Сан-Паулу", "за часом Сан-Паулу", "па часе Сан-Паўлу", "hora de Brasília", "Ortszeit São Paulo", "hora de Brasilia"}},
    ZoneWords{"America/New_York", {"New York time", "по нью-йоркскому времени", "за нью-йоркським часом", "па нью-ёркскім часе", "hora de Nova Iorque", "Ortszeit New York", "hora de Nueva York"}},
};
// clang-format on

bool is_utc_name(std::string_view zone)
{
    return zone == "UTC" || zone == "Etc/UTC" || zone == "Etc/UCT" || zone == "UCT" || zone == "Etc/Zulu" ||
           zone == "Zulu" || zone == "Etc/Universal" || zone == "Universal";
}

const date::time_zone* find_zone(std::string_view name)
{
    if (name.empty())
        return nullptr;
    try {
        return date::locate_zone(std::string(name));
    } catch (const std::exception&) {
        // date throws std::runtime_error for a name the database lacks.
        return nullptr;
    }
}

std::string date_words(date::year_month_day ymd, Language lang)
{
    unsigned month_index = static_cast<unsigned>(ymd.month()) - 1;
    std::string day = std::to_string(static_cast<unsigned>(ymd.day()));
    std::string year = std::to_string(static_cast<int>(ymd.year()));
    auto month = [&](const Months& months) { return std::string(months[month_index]); };
    switch (lang) {
    case Language::ru:
        return day + " " + month(k_ru) + " " + year;
    case Language::uk:
        return day + " " + month(k_uk) + " " + year;
    case Language::be:
        return day + " " + month(k_be) + " " + year;
    case Language::pt:
        return day + " de " + month(k_pt) + " de " + year;
    case Language::es:
        return day + " de " + month(k_es) + " de " + year;
    case Language::de:
        return day + ". " + month(k_de) + " " + year;
    case Language::en:
        break;
    }
    return day + " " + month(k_en) + " " + year;
}

}  // namespace

bool is_known_time_zone(std::string_view time_zone)
{
    return find_zone(time_zone) != nullptr;
}

std::string_view zone_words(std::string_view time_zone, std::string_view language)
{
    Language lang = letter_language(language);
    for (const ZoneWords& row : k_zone_words) {
        if (row.zone == time_zone)
            return row.words[static_cast<std::size_t>(lang)];
    }
    return {};
}

std::string utc_offset_text(std::chrono::seconds offset)
{
    long long total = offset.count();
    char sign = total < 0 ? '-' : '+';
    long long magnitude = std::llabs(total);
    long long hours = magnitude / 3600;
    long long minutes = magnitude % 3600 / 60;
    char text[24];
    if (minutes == 0)
        std::snprintf(text, sizeof text, "UTC%c%lld", sign, hours);
    else
        std::snprintf(text, sizeof text, "UTC%c%lld:%02lld", sign, hours, minutes);
    return text;
}

std::string format_time_for_letter(TimePoint t, std::string_view language, std::string_view time_zone)
{
    Language lang = letter_language(language);
    const date::time_zone* zone = find_zone(time_zone);
    date::local_seconds local = zone ? zone->to_local(t) : date::local_seconds{t.time_since_epoch()};
    auto day_point = date::floor<date::days>(local);
    date::hh_mm_ss<std::chrono::seconds> clock{local - day_point};
    char hm[8];
    std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()));

    // German writes "12:25 Uhr"; the other languages leave the clock time bare.
    std::string text = date_words(date::year_month_day{day_point}, lang) + ", " + hm;
    if (lang == Language::de)
        text += " Uhr";

    // The offset of this very instant (date::sys_info), so a summer date shows summer time.
    if (!zone || is_utc_name(time_zone))
        return text + " (UTC)";
    std::string offset = utc_offset_text(zone->get_info(t).offset);
    std::string_view words = zone_words(time_zone, language);
    if (words.empty())
        return text + " (" + offset + ")";
    // Portuguese and Spanish set the zone off with a comma: "12:25, hora de Lisboa".
    std::string_view joint = lang == Language::pt || lang == Language::es ? ", " : " ";
    return text + std::string(joint) + std::string(words) + " (" + offset + ")";
}

std::string format_local_time(TimePoint t, std::string_view time_zone)
{
    const date::time_zone* zone = find_zone(time_zone);
    date::local_seconds local = zone ? zone->to_local(t) : date::local_seconds{t.time_since_epoch()};
    auto day_point = date::floor<date::days>(local);
    date::year_month_day ymd{day_point};
    date::hh_mm_ss<std::chrono::seconds> clock{local - day_point};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()));
    if (!zone || is_utc_name(time_zone))
        return std::string(text) + " UTC";
    return std::string(text) + " " + utc_offset_text(zone->get_info(t).offset);
}

}  // namespace redress::letters
