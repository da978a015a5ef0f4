#include "letters/letter_time.hpp"

#include <gtest/gtest.h>

namespace redress::letters {
namespace {

TimePoint at(const char* iso)
{
    auto t = parse_iso8601(iso);
    if (!t)
        throw std::runtime_error(std::string("bad time in test: ") + iso);
    return *t;
}

// 09:25 UTC is 12:25 in Moscow (UTC+3 all year since 2014).
TEST(LetterTime, WritesMoscowTimeInEveryLetterLanguage)
{
    TimePoint t = at("2026-11-26T09:25:00Z");
    EXPECT_EQ(format_time_for_letter(t, "ru", "Europe/Moscow"), "26 ноября 2026, 12:25 по московскому времени (UTC+3)");
    EXPECT_EQ(format_time_for_letter(t, "en", "Europe/Moscow"), "26 November 2026, 12:25 Moscow time (UTC+3)");
    EXPECT_EQ(format_time_for_letter(t, "uk", "Europe/Moscow"),
              "26 листопада 2026, 12:25 за московським часом (UTC+3)");
    EXPECT_EQ(format_time_for_letter(t, "be", "Europe/Moscow"), "26 лістапада 2026, 12:25 па маскоўскім часе (UTC+3)");
    EXPECT_EQ(format_time_for_letter(t, "pt", "Europe/Moscow"),
              "26 de novembro de 2026, 12:25, hora de Moscovo (UTC+3)");
    EXPECT_EQ(format_time_for_letter(t, "de", "Europe/Moscow"), "26. November 2026, 12:25 Uhr Moskauer Zeit (UTC+3)");
    EXPECT_EQ(format_time_for_letter(t, "es", "Europe/Moscow"),
              "26 de noviembre de 2026, 12:25, hora de Moscú (UTC+3)");
}

TEST(LetterTime, MoscowHasNoSummerTime)
{
    EXPECT_EQ(format_time_for_letter(at("2026-07-01T12:00:00Z"), "ru", "Europe/Moscow"),
              "1 июля 2026, 15:00 по московскому времени (UTC+3)");
    EXPECT_EQ(format_time_for_letter(at("2026-01-15T12:00:00Z"), "ru", "Europe/Moscow"),
              "15 января 2026, 15:00 по московскому времени (UTC+3)");
}

// Lisbon: WET (UTC+0) in winter, WEST (UTC+1) from 01:00 UTC on the last Sunday of March to 01:00
// UTC on the last Sunday of October (29 March and 25 October in 2026).
TEST(LetterTime, LisbonFollowsSummerTimeAcrossBothChanges)
{
    EXPECT_EQ(format_time_for_letter(at("2026-03-29T00:30:00Z"), "pt", "Europe/Lisbon"),
              "29 de março de 2026, 00:30, hora de Lisboa (UTC+0)");
    EXPECT_EQ(format_time_for_letter(at("2026-03-29T01:30:00Z"), "pt", "Europe/Lisbon"),
              "29 de março de 2026, 02:30, hora de Lisboa (UTC+1)");
    EXPECT_EQ(format_time_for_letter(at("2026-07-01T12:00:00Z"), "pt", "Europe/Lisbon"),
              "1 de julho de 2026, 13:00, hora de Lisboa (UTC+1)");
    // The autumn hour 01:xx happens twice; both instants are written as the clock on the wall shows them.
    // Its offset tells the two apart: summer time first, then winter time.
    EXPECT_EQ(format_time_for_letter(at("2026-10-25T00:30:00Z"), "pt", "Europe/Lisbon"),
              "25 de outubro de 2026, 01:30, hora de Lisboa (UTC+1)");
    EXPECT_EQ(format_time_for_letter(at("2026-10-25T01:30:00Z"), "pt", "Europe/Lisbon"),
              "25 de outubro de 2026, 01:30, hora de Lisboa (UTC+0)");
    EXPECT_EQ(format_time_for_letter(at("2026-12-01T12:00:00Z"), "pt", "Europe/Lisbon"),
              "1 de dezembro de 2026, 12:00, hora de Lisboa (UTC+0)");
}

TEST(LetterTime, LocalDateCanDifferFromTheUtcDate)
{
    // 22:30 UTC on New Year's Eve is already the next year in Moscow.
    EXPECT_EQ(format_time_for_letter(at("2026-12-31T22:30:00Z"), "en", "Europe/Moscow"),
              "1 January 2027, 01:30 Moscow time (UTC+3)");
    EXPECT_EQ(format_time_for_letter(at("2026-12-31T22:30:00Z"), "es", "Europe/Lisbon"),
              "31 de diciembre de 2026, 22:30, hora de Lisboa (UTC+0)");
}

TEST(LetterTime, MonthNamesOfEveryMonth)
{
    // The genitive forms the day number needs, one per month, in the three Cyrillic languages.
    const char* ru[] = {"января", "февраля", "марта",    "апреля",  "мая",    "июня",
                        "июля",   "августа", "сентября", "октября", "ноября", "декабря"};
    const char* uk[] = {"січня", "лютого", "березня", "квітня", "травня",    "червня",
                        "липня", "серпня", "вересня", "жовтня", "листопада", "грудня"};
    const char* de[] = {"Januar", "Februar", "März",      "April",   "Mai",      "Juni",
                        "Juli",   "August",  "September", "Oktober", "November", "Dezember"};
    for (int m = 1; m <= 12; ++m) {
        char iso[32];
        std::snprintf(iso, sizeof iso, "2026-%02d-10T12:00:00Z", m);
        EXPECT_EQ(format_time_for_letter(at(iso), "ru", "UTC"), "10 " + std::string(ru[m - 1]) + " 2026, 12:00 (UTC)");
        EXPECT_EQ(format_time_for_letter(at(iso), "uk", "UTC"), "10 " + std::string(uk[m - 1]) + " 2026, 12:00 (UTC)");
        EXPECT_EQ(format_time_for_letter(at(iso), "de", "UTC"),
                  "10. " + std::string(de[m - 1]) + " 2026, 12:00 Uhr (UTC)");
    }
}

TEST(LetterTime, RegionalAndUnknownLanguages)
{
    TimePoint t = at("2026-11-26T09:25:00Z");
    EXPECT_EQ(format_time_for_letter(t, "pt-BR", "Europe/Lisbon"),
              "26 de novembro de 2026, 09:25, hora de Lisboa (UTC+0)");
    EXPECT_EQ(format_time_for_letter(t, "RU", "Europe/Moscow"), "26 ноября 2026, 12:25 по московскому времени (UTC+3)");
    EXPECT_EQ(format_time_for_letter(t, "fr", "Europe/Moscow"), "26 November 2026, 12:25 Moscow time (UTC+3)");
    EXPECT_EQ(format_time_for_letter(t, "", "Europe/Moscow"), "26 November 2026, 12:25 Moscow time (UTC+3)");
}

TEST(LetterTime, UnknownZoneIsWrittenAsUtc)
{
    TimePoint t = at("2026-11-26T09:25:00Z");
    EXPECT_EQ(format_time_for_letter(t, "en", "Mars/Olympus_Mons"), "26 November 2026, 09:25 (UTC)");
    EXPECT_EQ(format_time_for_letter(t, "en", ""), "26 November 2026, 09:25 (UTC)");
    EXPECT_FALSE(is_known_time_zone("Mars/Olympus_Mons"));
    EXPECT_TRUE(is_known_time_zone("Europe/Lisbon"));
    EXPECT_TRUE(is_known_time_zone("UTC"));
}

// Kyiv: EET (UTC+2) in winter, EEST (UTC+3) from 01:00 UTC on 29 March 2026.
TEST(LetterTime, KyivNamesItsZoneAndFollowsSummerTime)
{
    EXPECT_EQ(format_time_for_letter(at("2026-03-29T00:30:00Z"), "uk", "Europe/Kyiv"),
              "29 березня 2026, 02:30 за київським часом (UTC+2)");
    EXPECT_EQ(format_time_for_letter(at("2026-03-29T01:30:00Z"), "uk", "Europe/Kyiv"),
              "29 березня 2026, 04:30 за київським часом (UTC+3)");
    EXPECT_EQ(format_time_for_letter(at("2026-11-30T10:00:00Z"), "ru", "Europe/Kyiv"),
              "30 ноября 2026, 12:00 по киевскому времени (UTC+2)");
    // The database's older name for the same zone reads the same.
    EXPECT_EQ(format_time_for_letter(at("2026-11-30T10:00:00Z"), "en", "Europe/Kiev"),
              "30 November 2026, 12:00 Kyiv time (UTC+2)");
}

TEST(LetterTime, ZonesAreNamedAsPeopleSayThemInEachLanguage)
{
    TimePoint winter = at("2026-11-30T10:00:00Z");
    TimePoint summer = at("2026-07-01T10:00:00Z");
    EXPECT_EQ(format_time_for_letter(winter, "be", "Europe/Minsk"), "30 лістапада 2026, 13:00 па мінскім часе (UTC+3)");
    EXPECT_EQ(format_time_for_letter(winter, "de", "Europe/Berlin"),
              "30. November 2026, 11:00 Uhr deutscher Zeit (UTC+1)");
    EXPECT_EQ(format_time_for_letter(summer, "de", "Europe/Berlin"), "1. Juli 2026, 12:00 Uhr deutscher Zeit (UTC+2)");
    EXPECT_EQ(format_time_for_letter(winter, "es", "Europe/Madrid"),
              "30 de noviembre de 2026, 11:00, hora peninsular (UTC+1)");
    EXPECT_EQ(format_time_for_letter(summer, "es", "Europe/Madrid"),
              "1 de julio de 2026, 12:00, hora peninsular (UTC+2)");
    EXPECT_EQ(format_time_for_letter(winter, "en", "Europe/London"), "30 November 2026, 10:00 UK time (UTC+0)");
    EXPECT_EQ(format_time_for_letter(summer, "en", "Europe/London"), "1 July 2026, 11:00 UK time (UTC+1)");
    // Brazil has had no summer time since 2019: UTC-3 all year.
    EXPECT_EQ(format_time_for_letter(winter, "pt", "America/Sao_Paulo"),
              "30 de novembro de 2026, 07:00, hora de Brasília (UTC-3)");
    EXPECT_EQ(format_time_for_letter(summer, "pt-BR", "America/Sao_Paulo"),
              "1 de julho de 2026, 07:00, hora de Brasília (UTC-3)");
    EXPECT_EQ(format_time_for_letter(winter, "ru", "Europe/Lisbon"),
              "30 ноября 2026, 10:00 по лиссабонскому времени (UTC+0)");
}

TEST(LetterTime, AZoneWithoutANameIsWrittenByItsOffsetAtThatInstant)
{
    // India: UTC+5:30, no summer time.
    EXPECT_EQ(format_time_for_letter(at("2026-11-30T10:00:00Z"), "en", "Asia/Kolkata"),
              "30 November 2026, 15:30 (UTC+5:30)");
    // Newfoundland: UTC-3:30 in winter, UTC-2:30 in summer.
    EXPECT_EQ(format_time_for_letter(at("2026-11-30T10:00:00Z"), "en", "America/St_Johns"),
              "30 November 2026, 06:30 (UTC-3:30)");
    EXPECT_EQ(format_time_for_letter(at("2026-07-01T10:00:00Z"), "ru", "America/St_Johns"),
              "1 июля 2026, 07:30 (UTC-2:30)");
    // Amsterdam is not in the table: its offset alone, summer time included.
    EXPECT_EQ(format_time_for_letter(at("2026-07-01T10:00:00Z"), "de", "Europe/Amsterdam"),
              "1. Juli 2026, 12:00 Uhr (UTC+2)");
    EXPECT_EQ(format_time_for_letter(at("2026-11-30T10:00:00Z"), "es", "UTC"), "30 de noviembre de 2026, 10:00 (UTC)");
}

TEST(LetterTime, OffsetsAreWrittenAsPeopleWriteThem)
{
    using std::chrono::hours;
    using std::chrono::minutes;
    EXPECT_EQ(utc_offset_text(hours(3)), "UTC+3");
    EXPECT_EQ(utc_offset_text(hours(0)), "UTC+0");
    EXPECT_EQ(utc_offset_text(-hours(3)), "UTC-3");
    EXPECT_EQ(utc_offset_text(hours(5) + minutes(30)), "UTC+5:30");
    EXPECT_EQ(utc_offset_text(-(hours(9) + minutes(30))), "UTC-9:30");
    EXPECT_EQ(utc_offset_text(hours(12) + minutes(45)), "UTC+12:45");
}

TEST(LetterTime, EveryNamedZoneHasWordsInEveryLanguage)
{
    for (const char* zone : {"Europe/Moscow", "Europe/Kyiv", "Europe/Minsk", "Europe/Lisbon", "Europe/Madrid",
                             "Europe/Berlin", "Europe/London", "America/Sao_Paulo", "Europe/Warsaw", "Europe/Paris"}) {
        EXPECT_TRUE(is_known_time_zone(zone)) << zone;
        for (const char* lang : {"en", "ru", "uk", "be", "pt", "de", "es"})
            EXPECT_FALSE(zone_words(zone, lang).empty()) << zone << " in " << lang;
    }
    EXPECT_TRUE(zone_words("Asia/Kolkata", "en").empty());
}

}  // namespace
}  // namespace redress::letters

TEST(LetterTime, ACompactLocalTimeForTheCommandLineNamesItsOffset)
{
    auto t = redress::parse_iso8601("2026-11-26T22:25:00Z").value();
    EXPECT_EQ(redress::letters::format_local_time(t, "Europe/Moscow"), "2026-11-27 01:25 UTC+3");
    EXPECT_EQ(redress::letters::format_local_time(t, "UTC"), "2026-11-26 22:25 UTC");
    EXPECT_EQ(redress::letters::format_local_time(t, "Nowhere/City"), "2026-11-26 22:25 UTC");
    auto summer = redress::parse_iso8601("2026-07-01T12:00:00Z").value();
    EXPECT_EQ(redress::letters::format_local_time(summer, "Europe/Lisbon"), "2026-07-01 13:00 UTC+1");
}
