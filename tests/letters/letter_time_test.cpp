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
    EXPECT_EQ(format_time_for_letter(t, "ru", "Europe/Moscow"), "26 ноября 2026, 12:25 (Europe/Moscow)");
    EXPECT_EQ(format_time_for_letter(t, "en", "Europe/Moscow"), "26 November 2026, 12:25 (Europe/Moscow)");
    EXPECT_EQ(format_time_for_letter(t, "uk", "Europe/Moscow"), "26 листопада 2026, 12:25 (Europe/Moscow)");
    EXPECT_EQ(format_time_for_letter(t, "be", "Europe/Moscow"), "26 лістапада 2026, 12:25 (Europe/Moscow)");
    EXPECT_EQ(format_time_for_letter(t, "pt", "Europe/Moscow"), "26 de novembro de 2026, 12:25 (Europe/Moscow)");
    EXPECT_EQ(format_time_for_letter(t, "de", "Europe/Moscow"), "26. November 2026, 12:25 (Europe/Moscow)");
    EXPECT_EQ(format_time_for_letter(t, "es", "Europe/Moscow"), "26 de noviembre de 2026, 12:25 (Europe/Moscow)");
}

TEST(LetterTime, MoscowHasNoSummerTime)
{
    EXPECT_EQ(format_time_for_letter(at("2026-07-01T12:00:00Z"), "ru", "Europe/Moscow"), "1 июля 2026, 15:00 (Europe/Moscow)");
    EXPECT_EQ(format_time_for_letter(at("2026-01-15T12:00:00Z"), "ru", "Europe/Moscow"), "15 января 2026, 15:00 (Europe/Moscow)");
}

// Lisbon: WET (UTC+0) in winter, WEST (UTC+1) from 01:00 UTC on the last Sunday of March to 01:00
// UTC on the last Sunday of October (29 March and 25 October in 2026).
TEST(LetterTime, LisbonFollowsSummerTimeAcrossBothChanges)
{
    EXPECT_EQ(format_time_for_letter(at("2026-03-29T00:30:00Z"), "pt", "Europe/Lisbon"), "29 de março de 2026, 00:30 (Europe/Lisbon)");
    EXPECT_EQ(format_time_for_letter(at("2026-03-29T01:30:00Z"), "pt", "Europe/Lisbon"), "29 de março de 2026, 02:30 (Europe/Lisbon)");
    EXPECT_EQ(format_time_for_letter(at("2026-07-01T12:00:00Z"), "pt", "Europe/Lisbon"), "1 de julho de 2026, 13:00 (Europe/Lisbon)");
    // The autumn hour 01:xx happens twice; both instants are written as the clock on the wall shows them.
    EXPECT_EQ(format_time_for_letter(at("2026-10-25T00:30:00Z"), "pt", "Europe/Lisbon"), "25 de outubro de 2026, 01:30 (Europe/Lisbon)");
    EXPECT_EQ(format_time_for_letter(at("2026-10-25T01:30:00Z"), "pt", "Europe/Lisbon"), "25 de outubro de 2026, 01:30 (Europe/Lisbon)");
    EXPECT_EQ(format_time_for_letter(at("2026-12-01T12:00:00Z"), "pt", "Europe/Lisbon"), "1 de dezembro de 2026, 12:00 (Europe/Lisbon)");
}

TEST(LetterTime, LocalDateCanDifferFromTheUtcDate)
{
    // 22:30 UTC on New Year's Eve is already the next year in Moscow.
    EXPECT_EQ(format_time_for_letter(at("2026-12-31T22:30:00Z"), "en", "Europe/Moscow"), "1 January 2027, 01:30 (Europe/Moscow)");
    EXPECT_EQ(format_time_for_letter(at("2026-12-31T22:30:00Z"), "es", "Europe/Lisbon"), "31 de diciembre de 2026, 22:30 (Europe/Lisbon)");
}

TEST(LetterTime, MonthNamesOfEveryMonth)
{
    // The genitive forms the day number needs, one per month, in the three Cyrillic languages.
    const char* ru[] = {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"};
    const char* uk[] = {"січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня", "листопада", "грудня"};
    const char* de[] = {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"};
    for (int m = 1; m <= 12; ++m) {
        char iso[32];
        std::snprintf(iso, sizeof iso, "2026-%02d-10T12:00:00Z", m);
        EXPECT_EQ(format_time_for_letter(at(iso), "ru", "UTC"), "10 " + std::string(ru[m - 1]) + " 2026, 12:00 (UTC)");
        EXPECT_EQ(format_time_for_letter(at(iso), "uk", "UTC"), "10 " + std::string(uk[m - 1]) + " 2026, 12:00 (UTC)");
        EXPECT_EQ(format_time_for_letter(at(iso), "de", "UTC"), "10. " + std::string(de[m - 1]) + " 2026, 12:00 (UTC)");
    }
}

TEST(LetterTime, RegionalAndUnknownLanguages)
{
    TimePoint t = at("2026-11-26T09:25:00Z");
    EXPECT_EQ(format_time_for_letter(t, "pt-BR", "Europe/Lisbon"), "26 de novembro de 2026, 09:25 (Europe/Lisbon)");
    EXPECT_EQ(format_time_for_letter(t, "RU", "Europe/Moscow"), "26 ноября 2026, 12:25 (Europe/Moscow)");
    EXPECT_EQ(format_time_for_letter(t, "fr", "Europe/Moscow"), "26 November 2026, 12:25 (Europe/Moscow)");
    EXPECT_EQ(format_time_for_letter(t, "", "Europe/Moscow"), "26 November 2026, 12:25 (Europe/Moscow)");
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

}  // namespace
}  // namespace redress::letters
