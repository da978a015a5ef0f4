#pragma once
// Times written into letters: the concrete moments the handbooks want promised ("you will hear from
// a person by 26 November 2026, 12:25"), in the company's time zone and the reader's language.

#include "common/time.hpp"

#include <string>
#include <string_view>

namespace redress::letters {

// "26 ноября 2026, 12:25 (Europe/Moscow)", "26 November 2026, 12:25 (Europe/Moscow)",
// "26 de novembro de 2026, 12:25 (Europe/Lisbon)", "26. November 2026, 12:25 (Europe/Berlin)".
// Languages: en, ru, uk, be, pt, de, es; any other (and regional forms such as "pt-BR") falls back
// to its base language, then to English. An unknown zone is written as UTC, "(UTC)": config
// validation (is_known_time_zone) is where a wrong zone is reported.
std::string format_time_for_letter(TimePoint t, std::string_view language, std::string_view time_zone);

// True when the IANA database knows the zone ("Europe/Moscow", "UTC").
bool is_known_time_zone(std::string_view time_zone);

}  // namespace redress::letters
