#include "letter_time.hpp"

#include "template_set.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <array>
#include <cstdio>
#include <stdexcept>

namespace redress::letters {

namespace {

using Months = std::array<std::string_view, 12>;

// Russian, Ukrainian and Belarusian name the month in the genitive after a day number.
constexpr Months k_en{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"};
constexpr Months k_ru{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"};
constexpr Months k_uk{"січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня", "листопада", "грудня"};
constexpr Months k_be{"студзеня", "лютага", "сакавіка", "красавіка", "мая", "чэрвеня", "ліпеня", "жніўня", "верасня", "кастрычніка", "лістапада", "снежня"};
constexpr Months k_pt{"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"};
constexpr Months k_es{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"};
constexpr Months k_de{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"};

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

}  // namespace

bool is_known_time_zone(std::string_view time_zone)
{
    return find_zone(time_zone) != nullptr;
}

std::string format_time_for_letter(TimePoint t, std::string_view language, std::string_view time_zone)
{
    const date::time_zone* zone = find_zone(time_zone);
    std::string zone_label = zone ? std::string(time_zone) : "UTC";
    date::local_seconds local = zone ? zone->to_local(t) : date::local_seconds{t.time_since_epoch()};
    auto day_point = date::floor<date::days>(local);
    date::year_month_day ymd{day_point};
    date::hh_mm_ss<std::chrono::seconds> clock{local - day_point};

    unsigned day = static_cast<unsigned>(ymd.day());
    unsigned month_index = static_cast<unsigned>(ymd.month()) - 1;
    int year = static_cast<int>(ymd.year());
    char hm[8];
    std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()));

    std::string lang = base_language(language);
    std::string day_text = std::to_string(day);
    std::string year_text = std::to_string(year);
    std::string date_text;
    if (lang == "ru")
        date_text = day_text + " " + std::string(k_ru[month_index]) + " " + year_text;
    else if (lang == "uk")
        date_text = day_text + " " + std::string(k_uk[month_index]) + " " + year_text;
    else if (lang == "be")
        date_text = day_text + " " + std::string(k_be[month_index]) + " " + year_text;
    else if (lang == "pt")
        date_text = day_text + " de " + std::string(k_pt[month_index]) + " de " + year_text;
    else if (lang == "es")
        date_text = day_text + " de " + std::string(k_es[month_index]) + " de " + year_text;
    else if (lang == "de")
        date_text = day_text + ". " + std::string(k_de[month_index]) + " " + year_text;
    else
        date_text = day_text + " " + std::string(k_en[month_index]) + " " + year_text;
    return date_text + ", " + hm + " (" + zone_label + ")";
}

}  // namespace redress::letters
