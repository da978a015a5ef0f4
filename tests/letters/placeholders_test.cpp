#include "letters/placeholders.hpp"
#include "letters/ticket_values.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace redress::letters {
namespace {

TEST(Placeholders, VocabularyIsSortedAndHoldsTheIssuesNames)
{
    const auto& names = known_placeholders();
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    EXPECT_TRUE(std::adjacent_find(names.begin(), names.end()) == names.end());
    for (const char* name : {"ticket.number",
                             "ticket.subject",
                             "ticket.status",
                             "ticket.kind",
                             "ticket.severity",
                             "ticket.received_at",
                             "ticket.first_response_due",
                             "ticket.resolution_due",
                             "ticket.url",
                             "customer.name",
                             "customer.email",
                             "company.name",
                             "company.support_address",
                             "owner.name",
                             "alert.deadline",
                             "alert.level",
                             "alert.due",
                             "alert.reason",
                             "message.excerpt",
                             "survey.url",
                             "reply.text",
                             "agent.name",
                             "agent.signature",
                             "action.text",
                             "action.responsible",
                             "action.due",
                             "ticket.status_text",
                             "ticket.severity_text",
                             "ticket.kind_text",
                             "alert.level_text",
                             "alert.reasons"})
        EXPECT_TRUE(is_known_placeholder(name)) << name;
    EXPECT_FALSE(is_known_placeholder("ticket"));
    EXPECT_FALSE(is_known_placeholder("Ticket.Number"));
}

TEST(Placeholders, SuggestsTheNearestNameForATypo)
{
    EXPECT_EQ(suggest_placeholder("tiket.number").value_or(""), "ticket.number");
    EXPECT_EQ(suggest_placeholder("customer_name").value_or(""), "customer.name");
    EXPECT_FALSE(suggest_placeholder("weather.tomorrow").has_value());
}

TEST(TicketValues, FillsTheTicketAndLeavesUnsetDeadlinesAbsent)
{
    Ticket t;
    t.number = "RD-000123";
    t.subject = "Разбитый заказ";
    t.customer = {"Анна Петрова", "anna@example.ru", "", ""};
    t.received_at = *parse_iso8601("2026-11-26T08:45:00Z");
    t.first_response_due = *parse_iso8601("2026-11-26T09:25:00Z");
    t.status = TicketStatus::acknowledged;
    t.kind = Kind::complaint;
    t.severity = Severity::major;
    Values v{{"ticket.resolution_due", "stale value from an earlier letter"}};
    add_ticket_values(v, t, "ru", "Europe/Moscow");
    EXPECT_EQ(v["ticket.number"], "RD-000123");
    EXPECT_EQ(v["ticket.received_at"], "26 ноября 2026, 11:45 по московскому времени (UTC+3)");
    EXPECT_EQ(v["ticket.first_response_due"], "26 ноября 2026, 12:25 по московскому времени (UTC+3)");
    EXPECT_EQ(v.count("ticket.resolution_due"), 0u);
    EXPECT_EQ(v["customer.name"], "Анна Петрова");
    EXPECT_EQ(v["ticket.status"], std::string(to_string(TicketStatus::acknowledged)));
    EXPECT_EQ(v["ticket.severity"], std::string(to_string(Severity::major)));
    for (const auto& [name, _] : v)
        EXPECT_TRUE(is_known_placeholder(name)) << name;
}

}  // namespace
}  // namespace redress::letters
