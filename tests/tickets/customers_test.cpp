// The pure rules of customers across channels: identities normalised, identities found in a text,
// what a message proves about its sender, and which tickets may be merged.

#include "tickets/customers.hpp"

#include <gtest/gtest.h>

using namespace redress;
using namespace redress::tickets;

TEST(CustomerIdentities, AreNormalisedSoThatOnePersonMeetsThemselves)
{
    EXPECT_EQ(normalise_email("  Anna.Petrova@Example.ORG "), "anna.petrova@example.org");
    EXPECT_EQ(normalise_email("not an address"), "");
    EXPECT_EQ(normalise_email("a@b@c"), "");
    EXPECT_EQ(normalise_phone("+7 (912) 345-67-89"), "+79123456789");
    EXPECT_EQ(normalise_phone("0049 30 1234567"), "+49301234567");
    EXPECT_EQ(normalise_phone("8 912 345 67 89"), "89123456789");
    EXPECT_EQ(normalise_phone("12345"), "");
    EXPECT_EQ(normalise_phone("call 555 1234"), "");
    EXPECT_EQ(normalise_chat_user("tg:98765"), "tg:98765");
    EXPECT_EQ(normalise_chat_user("98765"), "");
    EXPECT_EQ(guess_identity_kind("anna@example.org"), IdentityKind::email);
    EXPECT_EQ(guess_identity_kind("slack:U024BE7LH"), IdentityKind::chat);
    EXPECT_EQ(guess_identity_kind("+7 912"), IdentityKind::phone);
}

TEST(CustomerIdentities, MentionedOnesAreFoundButNotOrderNumbersOrDates)
{
    auto found = mentioned_identities("Write to Anna.P@Other.test. or call +7 (912) 345-67-89 or 8 912 111 22 33. "
                                      "Order 202611260001, sent 2026-11-20, ref ABC-1234567890, user@localhost.",
                                      "message text");
    std::vector<std::string> values;
    for (const auto& c : found)
        values.push_back(std::string(to_string(c.kind)) + " " + c.value);
    EXPECT_EQ(values, (std::vector<std::string>{"email anna.p@other.test", "phone +79123456789", "phone 89121112233"}));
    EXPECT_TRUE(mentioned_identities("", "message text").empty());
}

TEST(CustomerLink, OnlyTheFromAddressOrTheChatUserIsVerified)
{
    Message m;
    m.from = Mailbox{"Anna", "Anna@Customer.test"};
    m.text = "My husband is boris@customer.test, reach me at anna@customer.test.";
    m.quoted = "> carol@elsewhere.test wrote";
    auto mail = customer_link(m, SenderProof::mail, "", 7, 3, TimePoint{});
    ASSERT_TRUE(mail.verified);
    EXPECT_EQ(mail.verified->value, "anna@customer.test");
    ASSERT_EQ(mail.suggested.size(), 1u);  // not her own address, not the quoted history
    EXPECT_EQ(mail.suggested[0].value, "boris@customer.test");

    auto form = customer_link(m, SenderProof::public_form, "+7 912 345 67 89", 7, 3, TimePoint{});
    EXPECT_FALSE(form.verified);
    ASSERT_EQ(form.suggested.size(), 3u);
    EXPECT_EQ(form.suggested[0].value, "anna@customer.test");
    EXPECT_EQ(form.suggested[0].source, "web form");
    EXPECT_EQ(form.suggested[1].value, "+79123456789");

    Message chat;
    chat.from = Mailbox{"Anna", "tg:98765"};
    chat.chat = ChatOrigin{"tg:123", "tg:98765", "42", "", "anna@customer.test", ""};
    auto by_chat = customer_link(chat, SenderProof::chat, "", 8, 4, TimePoint{});
    ASSERT_TRUE(by_chat.verified);
    EXPECT_EQ(by_chat.verified->kind, IdentityKind::chat);
    ASSERT_EQ(by_chat.suggested.size(), 1u);
    EXPECT_EQ(by_chat.suggested[0].source, "chat contact");
}

TEST(TicketMerge, OnlyOpenTicketsOfOneCustomerOrConfirmed)
{
    Ticket a;
    a.id = 1;
    a.number = "RD-000001";
    a.status = TicketStatus::acknowledged;
    Ticket b = a;
    b.id = 2;
    b.number = "RD-000002";
    EXPECT_TRUE(check_ticket_merge(a, b, false, false, true, false).ok());
    EXPECT_TRUE(check_ticket_merge(a, a, false, false, true, false).error().is(ErrorKind::conflict));
    EXPECT_TRUE(check_ticket_merge(a, b, true, false, true, false).error().is(ErrorKind::conflict));
    EXPECT_TRUE(check_ticket_merge(a, b, false, true, true, false).error().is(ErrorKind::conflict));
    EXPECT_TRUE(check_ticket_merge(a, b, false, false, false, false).error().is(ErrorKind::conflict));
    EXPECT_TRUE(check_ticket_merge(a, b, false, false, false, true).ok());
    b.status = TicketStatus::closed;
    EXPECT_TRUE(check_ticket_merge(a, b, false, false, true, true).error().is(ErrorKind::conflict));
    b.status = TicketStatus::resolved;
    EXPECT_TRUE(check_ticket_merge(b, a, false, false, true, true).error().is(ErrorKind::conflict));
}

TEST(TicketMerge, TheSurvivorArrivedAtTheEarlierArrival)
{
    Ticket early;
    early.received_at = TimePoint{Seconds{100}};
    early.severity = Severity::major;
    early.first_responded_at = TimePoint{Seconds{150}};
    Ticket late;
    late.received_at = TimePoint{Seconds{500}};
    Ticket joined = merged_ticket(early, late, TimePoint{Seconds{900}});
    EXPECT_EQ(joined.received_at, TimePoint{Seconds{100}});
    EXPECT_EQ(joined.severity, Severity::major);
    EXPECT_EQ(joined.first_responded_at, TimePoint{Seconds{150}});
    EXPECT_EQ(joined.updated_at, TimePoint{Seconds{900}});
}
