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

namespace {

using namespace redress;

TEST(SurveyByReply, AScoreAtTheStartOfTheReplyInAnyLanguage)
{
    EXPECT_EQ(tickets::rating_in_reply("5"), 5);
    EXPECT_EQ(tickets::rating_in_reply("  4 - спасибо"), 4);
    EXPECT_EQ(tickets::rating_in_reply("5/5 obrigado"), 5);
    EXPECT_EQ(tickets::rating_in_reply("3."), 3);
    EXPECT_EQ(tickets::rating_in_reply("1, дуже погано"), 1);
    EXPECT_EQ(tickets::rating_in_reply("10 days later still nothing"), std::nullopt);
    EXPECT_EQ(tickets::rating_in_reply("3.5 kg of broken glass"), std::nullopt);
    EXPECT_EQ(tickets::rating_in_reply("2026-12-01 is too late"), std::nullopt);
    EXPECT_EQ(tickets::rating_in_reply("7"), std::nullopt);
    EXPECT_EQ(tickets::rating_in_reply("0"), std::nullopt);
    EXPECT_EQ(tickets::rating_in_reply("Five stars"), std::nullopt);
    EXPECT_EQ(tickets::rating_in_reply("2 parcels are still missing"), std::nullopt);
    EXPECT_EQ(tickets::rating_in_reply("5 :)"), 5);
    EXPECT_EQ(tickets::rating_in_reply("4 \xE2\x80\x93 good"), 4);
    EXPECT_EQ(tickets::rating_in_reply("5\r\nThank you"), 5);
}

TEST(SurveyByReply, OnlyAShortReplyWithoutAQuestionJustRates)
{
    EXPECT_TRUE(tickets::reply_only_rates("5 - спасибо, всё отлично!"));
    EXPECT_TRUE(tickets::reply_only_rates("4"));
    EXPECT_FALSE(tickets::reply_only_rates("2 - and when will you send the money back?"));
    EXPECT_FALSE(tickets::reply_only_rates(
        "1. The replacement arrived broken as well and nobody called me back as promised last week"));
    EXPECT_FALSE(tickets::reply_only_rates("Thanks!"));
}

TEST(ReopenWindow, AReplyLongAfterResolutionOpensANewTicket)
{
    Ticket t;
    t.status = TicketStatus::resolved;
    TimePoint resolved = parse_iso8601("2026-10-01T10:00:00Z").value();
    t.resolved_at = resolved;
    Seconds window{30 * 86400};
    EXPECT_TRUE(tickets::within_reopen_window(t, resolved + Seconds{29 * 86400}, window));
    EXPECT_TRUE(tickets::within_reopen_window(t, resolved + window, window));
    EXPECT_FALSE(tickets::within_reopen_window(t, resolved + window + Seconds{1}, window));
    t.status = TicketStatus::investigating;
    EXPECT_TRUE(tickets::within_reopen_window(t, resolved + Seconds{400 * 86400}, window)) << "an open ticket";
}

TEST(CustomerLinks, StayOpenWhileTheTicketIsOpenAndForTheirLifetimeAfterItsLastClosing)
{
    Ticket t;
    TimePoint resolved = parse_iso8601("2026-10-01T10:00:00Z").value();
    Seconds lifetime{90 * 86400};
    t.status = TicketStatus::action_planned;
    EXPECT_TRUE(tickets::customer_links_open(t, resolved + Seconds{900 * 86400}, lifetime)) << "an open ticket";
    t.status = TicketStatus::resolved;
    t.resolved_at = resolved;
    EXPECT_TRUE(tickets::customer_links_open(t, resolved + lifetime, lifetime));
    EXPECT_FALSE(tickets::customer_links_open(t, resolved + lifetime + Seconds{1}, lifetime));
    // Signed off a week after the resolution: the lifetime counts from the sign-off.
    t.status = TicketStatus::closed;
    t.closed_at = resolved + Seconds{7 * 86400};
    EXPECT_TRUE(tickets::customer_links_open(t, resolved + lifetime + Seconds{1}, lifetime));
    EXPECT_FALSE(tickets::customer_links_open(t, *t.closed_at + lifetime + Seconds{1}, lifetime));
    // Older data closed without a resolution time counts from the closing alone.
    t.resolved_at.reset();
    EXPECT_FALSE(tickets::customer_links_open(t, *t.closed_at + lifetime + Seconds{1}, lifetime));
}

TEST(CustomerReply, ReopeningClearsTheSignOffAndRaisesTheVersion)
{
    Ticket t;
    t.status = TicketStatus::closed;
    t.resolution_code = "FIXED";
    t.closed_at = parse_iso8601("2026-10-01T10:00:00Z").value();
    t.version = 7;
    tickets::apply_customer_reply(t, parse_iso8601("2026-10-02T10:00:00Z").value());
    EXPECT_EQ(t.status, TicketStatus::investigating);
    EXPECT_TRUE(t.resolution_code.empty());
    EXPECT_FALSE(t.closed_at);
    EXPECT_EQ(t.version, 8);
}

}  // namespace
