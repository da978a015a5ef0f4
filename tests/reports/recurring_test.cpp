// Terms and recurring groups on small hand-written sets (no store).

#include "reports/period.hpp"
#include "reports/recurring.hpp"
#include "reports/terms.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace redress;
using namespace redress::reports;

namespace {

TEST(Terms, AreStemsWithoutFunctionWordsAndPhrasesOfNeighbours)
{
    auto t = terms_of("en", "Broken", "The lids of the kettles were cracked!");
    EXPECT_TRUE(has_term(t, "lid"));
    EXPECT_TRUE(has_term(t, "kettl"));
    EXPECT_TRUE(has_term(t, "kettl lid"));  // "of the" skipped, the pair in alphabetical order
    EXPECT_FALSE(has_term(t, "the"));
    EXPECT_FALSE(has_term(t, "broken kettl"));  // the subject and the text are not one phrase
    EXPECT_EQ(t.surfaces.at("kettl lid"), "lids kettles");
    auto ru = terms_of("ru", "", "Упаковка порвана, товары помяты");
    EXPECT_TRUE(has_term(ru, "упаковк"));
    EXPECT_FALSE(has_term(ru, "порва товар"));  // the comma ends the phrase
}

std::vector<TicketTerms> many(int n, const std::string& language, const std::string& text)
{
    return std::vector<TicketTerms>(static_cast<std::size_t>(n), terms_of(language, "", text));
}

void append(std::vector<TicketTerms>& to, const std::vector<TicketTerms>& more)
{
    to.insert(to.end(), more.begin(), more.end());
}

TEST(Recurring, AGroupSpansLanguagesOnlyWhenItsTermsDo)
{
    std::vector<TicketTerms> current;
    append(current, many(3, "en", "Xiaomi screen flickers"));
    append(current, many(3, "ru", "Xiaomi мигает"));
    append(current, many(3, "en", "Parcel arrived late"));
    append(current, many(3, "ru", "Посылка опоздала"));
    append(current, many(10, "de", "Alles gut, irgendwas anderes"));
    auto groups = find_recurring(current, {}, RecurringOptions{3, 0.5, 20});
    // The group that holds a ticket (by its index).
    auto holding = [&](std::size_t index) -> const RecurringGroup* {
        for (const auto& g : groups)
            if (std::find(g.tickets.begin(), g.tickets.end(), index) != g.tickets.end())
                return &g;
        return nullptr;
    };
    const auto* xiaomi = holding(0);
    ASSERT_NE(xiaomi, nullptr);
    EXPECT_EQ(xiaomi->term, "xiaomi");
    EXPECT_EQ(xiaomi->size, 6);
    EXPECT_EQ(xiaomi->languages, (std::vector<std::string>{"en", "ru"}));
    const auto* parcel = holding(6);
    ASSERT_NE(parcel, nullptr);
    EXPECT_EQ(parcel->size, 3);
    EXPECT_EQ(parcel->languages, (std::vector<std::string>{"en"}));
    const auto* posylka = holding(9);
    ASSERT_NE(posylka, nullptr);
    EXPECT_NE(posylka, parcel);
    EXPECT_EQ(posylka->size, 3);
    EXPECT_EQ(posylka->languages, (std::vector<std::string>{"ru"}));
}

TEST(Recurring, RisingFirstThenTheLargest)
{
    std::vector<TicketTerms> current, previous;
    append(current, many(8, "en", "Refund never arrived"));
    append(current, many(4, "en", "Wrong colour delivered"));
    append(previous, many(12, "en", "Refund never arrived"));
    append(previous, many(1, "en", "Wrong colour delivered"));
    auto groups = find_recurring(current, previous, RecurringOptions{3, 1.0, 20});
    ASSERT_EQ(groups.size(), 2U);
    EXPECT_EQ(groups[0].size, 4);
    EXPECT_TRUE(groups[0].rising);
    EXPECT_EQ(groups[0].change, 3);
    EXPECT_EQ(groups[1].size, 8);
    EXPECT_EQ(groups[1].previous, 12);
    EXPECT_FALSE(groups[1].rising);
}

TEST(Recurring, ATermInMostTicketsSaysNothing)
{
    std::vector<TicketTerms> current;
    append(current, many(27, "en", "Delivery of the sofa"));
    append(current, many(3, "en", "Delivery of a chair"));
    // "delivery" is in every ticket: over 95 % of them, so it makes no group; "sofa" and "chair" do.
    auto groups = find_recurring(current, {}, RecurringOptions{3, 0.95, 20});
    ASSERT_EQ(groups.size(), 2U);
    EXPECT_NE(groups[0].term.find("sofa"), std::string::npos);
    EXPECT_EQ(groups[0].size, 27);
    EXPECT_NE(groups[1].term.find("chair"), std::string::npos);
}

TEST(Period, DatesAreLocalDaysBothIncluded)
{
    auto now = parse_iso8601("2026-11-30T22:30:00Z").value();  // already December 1st in Moscow
    auto p = period_of("", "", "Europe/Moscow", now).value();
    EXPECT_EQ(p.to_date, "2026-12-01");
    EXPECT_EQ(p.from_date, "2026-11-02");
    EXPECT_EQ(p.days, 30);
    p = period_of("2026-11-01", "2026-11-30", "Europe/Moscow", now).value();
    EXPECT_EQ(p.from, parse_iso8601("2026-10-31T21:00:00Z").value());
    EXPECT_EQ(p.to, parse_iso8601("2026-11-30T21:00:00Z").value());
    auto before = previous_period(p, "Europe/Moscow");
    EXPECT_EQ(before.from_date, "2026-10-02");
    EXPECT_EQ(before.to_date, "2026-10-31");
    EXPECT_FALSE(period_of("2026-11-31", "", "UTC", now));
    EXPECT_FALSE(period_of("", "", "Mars/Base", now));
}

}  // namespace
