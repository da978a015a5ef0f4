// The ticket's rules (daemon/tickets/lifecycle): pure, no store.

#include "tickets/lifecycle.hpp"

#include <gtest/gtest.h>

using namespace redress;
using redress::tickets::ReplyRole;

namespace {

const TimePoint k_now = parse_iso8601("2026-11-26T09:00:00Z").value();

Ticket ticket_of(std::string email, TicketStatus status = TicketStatus::investigating, bool awaiting = false)
{
    Ticket t;
    t.id = 1;
    t.number = "RD-000001";
    t.customer.email = std::move(email);
    t.status = status;
    t.awaiting_customer = awaiting;
    return t;
}

}  // namespace

TEST(ReplyRole, TheCustomerIsRecognisedWhateverTheCase)
{
    auto t = ticket_of("anna@customer.test");
    EXPECT_EQ(tickets::reply_role(t, "anna@customer.test", false, false), ReplyRole::customer);
    EXPECT_EQ(tickets::reply_role(t, "Anna@Customer.TEST", false, false), ReplyRole::customer);
    EXPECT_EQ(tickets::reply_role(t, " anna@customer.test ", false, false), ReplyRole::customer);
}

TEST(ReplyRole, AnAddressThatWroteOnTheTicketBeforeIsAParticipant)
{
    auto t = ticket_of("anna@customer.test");
    EXPECT_EQ(tickets::reply_role(t, "anna.work@office.test", true, false), ReplyRole::customer);
}

TEST(ReplyRole, AnyoneElseIsAStrangerEvenWithTheRightTag)
{
    auto t = ticket_of("anna@customer.test");
    EXPECT_EQ(tickets::reply_role(t, "mallory@evil.test", false, false), ReplyRole::stranger);
    // Automatic mail from a stranger stays a stranger's: it may not join the ticket either.
    EXPECT_EQ(tickets::reply_role(t, "mallory@evil.test", false, true), ReplyRole::stranger);
    // No address is nobody's, even on a ticket whose customer has no address (chat).
    EXPECT_EQ(tickets::reply_role(t, "", false, false), ReplyRole::stranger);
    EXPECT_EQ(tickets::reply_role(ticket_of(""), "", false, false), ReplyRole::stranger);
}

TEST(ReplyRole, AutomaticMailFromTheCustomerIsNoAnswer)
{
    auto t = ticket_of("anna@customer.test");
    EXPECT_EQ(tickets::reply_role(t, "anna@customer.test", false, true), ReplyRole::automatic);
    EXPECT_TRUE(tickets::counts_as_customer_answer(ReplyRole::customer));
    EXPECT_FALSE(tickets::counts_as_customer_answer(ReplyRole::automatic));
    EXPECT_FALSE(tickets::counts_as_customer_answer(ReplyRole::stranger));
}

TEST(CustomerReply, ReopensAResolvedTicketAndEndsAWait)
{
    auto t = ticket_of("anna@customer.test", TicketStatus::resolved, true);
    t.resolved_at = k_now;
    std::string what = tickets::apply_customer_reply(t, k_now);
    EXPECT_EQ(t.status, TicketStatus::investigating);
    EXPECT_FALSE(t.resolved_at);
    EXPECT_FALSE(t.awaiting_customer);
    EXPECT_NE(what.find("reopened"), std::string::npos);
    EXPECT_NE(what.find("deadlines run again"), std::string::npos);
}
