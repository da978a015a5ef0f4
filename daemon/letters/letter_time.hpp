#pragma once
// Times written into letters: the concrete moments the handbooks want promised ("you will hear from
// a person by 26 November 2026, 12:25 Moscow time (UTC+3)"), in the company's time zone and the
// language of the letter.

#include "common/time.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace redress::letters {

// "26 ноября 2026, 12:25 по московскому времени (UTC+3)", "26 November 2026, 12:25 Moscow time (UTC+3)",
// "26 de novembro de 2026, 12:25, hora de Lisboa (UTC+0)", "26. November 2026, 12:25 Uhr deutscher Zeit (UTC+1)".
// The zone is named as people say it (zone_words) with its offset at that instant, so summer time
// shows; a zone without a name here is written by its offset alone, "(UTC+5:30)". Languages: en, ru,
// uk, be, pt, de, es; any other (and regional forms such as "pt-BR") falls back to its base language,
// then to English. Pass the language of the template actually used (TemplateSet::render's builder
// hands it over), so that a letter that fell back to English carries English dates. An unknown zone
// is written as UTC, "(UTC)": config validation (is_known_time_zone) is where a wrong zone is reported.
std::string format_time_for_letter(TimePoint t, std::string_view language, std::string_view time_zone);

// "2026-11-26 12:25 UTC+3": a compact local time for tables and the command line, in `time_zone`
// with its offset at that instant ("UTC" for UTC and for an unknown zone).
std::string format_local_time(TimePoint t, std::string_view time_zone);

// How people of `language` name the zone: "Moscow time", "по московскому времени", "hora de Lisboa".
// Empty for a zone the table lacks (format_time_for_letter then writes the offset alone).
std::string_view zone_words(std::string_view time_zone, std::string_view language);

// "UTC+3", "UTC-3", "UTC+5:30", "UTC+0": an offset as people write it.
std::string utc_offset_text(std::chrono::seconds offset);

// True when the IANA database knows the zone ("Europe/Moscow", "UTC").
bool is_known_time_zone(std::string_view time_zone);

}  // namespace redress::letters
