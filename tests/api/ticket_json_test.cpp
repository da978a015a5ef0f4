// The JSON shape of a ticket that the API and the command line (`tickets list/show --json`) print.

#include "api/ticket_json.hpp"

#include <gtest/gtest.h>

using namespace redress;

TEST(TicketJson, CarriesTheWorkflowFieldsAndNullForATimeNotSet)
{
    Ticket t;
    t.number = "RD-000007";
    t.version = 4;
    t.status = TicketStatus::resolved;
    t.kind = Kind::complaint;
    t.received_at = parse_iso8601("2026-11-26T09:00:00Z").value();
    t.updated_at = t.received_at;
    t.verdict = "justified";
    t.department = "Delivery";
    t.resolution_code = "refund";
    t.closed_at = parse_iso8601("2026-11-28T10:30:00Z").value();

    auto j = api::ticket_json(t);
    EXPECT_EQ(j["number"], "RD-000007");
    EXPECT_EQ(j["version"], 4);
    EXPECT_EQ(j["status"], "resolved");
    EXPECT_EQ(j["verdict"], "justified");
    EXPECT_EQ(j["department"], "Delivery");
    EXPECT_EQ(j["category"], "");
    EXPECT_EQ(j["resolution_code"], "refund");
    EXPECT_EQ(j["closed_at"], "2026-11-28T10:30:00Z");
    EXPECT_TRUE(j["resolved_at"].is_null());
    EXPECT_EQ(j["received_at"], "2026-11-26T09:00:00Z");
}
