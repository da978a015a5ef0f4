// The erase's rules (tickets/erasure.hpp): what names the customer, what an anonymised ticket keeps,
// the audit's words scrubbed, who may erase, and when retention is due.

#include "tickets/erasure.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace redress;
using namespace redress::tickets;

namespace {

const TimePoint k_now = parse_iso8601("2026-11-30T12:00:00Z").value();

Ticket ticket_of(std::string name, std::string email)
{
    Ticket t;
    t.id = 7;
    t.number = "RD-000007";
    t.customer = Customer{std::move(name), std::move(email), "+7 912 345 67 89", "tg:98765"};
    t.conversation = "tg:98765";
    t.subject = "Сломался чайник";
    t.kind = Kind::complaint;
    t.severity = Severity::major;
    t.status = TicketStatus::closed;
    t.resolution_code = "refund";
    t.received_at = k_now - std::chrono::days(50);
    t.closed_at = k_now - std::chrono::days(40);
    return t;
}

}  // namespace

TEST(Erasure, PersonalValuesNameTheCustomerOnceEachLongestFirst)
{
    CustomerGroup group;
    group.members.push_back(CustomerRecord{1, "Иван Сидоров", k_now, {}, {}, ""});
    group.identities.push_back(CustomerIdentity{1, 1, IdentityKind::email, "ivan@example.org", "mail", k_now});
    auto values = personal_values(group, {ticket_of("Ivan", "IVAN@example.org")});
    EXPECT_EQ(values.front(), "Иван Сидоров");
    EXPECT_EQ(std::count_if(values.begin(), values.end(), [](const std::string& v) { return v == "Ivan"; }), 1);
    int addresses = 0;
    for (const auto& v : values)
        addresses += v == "ivan@example.org" || v == "IVAN@example.org";
    EXPECT_EQ(addresses, 1) << "one spelling of the address is enough: the scrub ignores ASCII case";
    EXPECT_NE(std::find(values.begin(), values.end(), "tg:98765"), values.end());
}

TEST(Erasure, AnAnonymisedTicketKeepsWhatTheReportsCount)
{
    Ticket t = anonymised(ticket_of("Ivan", "ivan@example.org"));
    EXPECT_EQ(t.customer.name, "");
    EXPECT_EQ(t.customer.email, "");
    EXPECT_EQ(t.customer.phone, "");
    EXPECT_EQ(t.customer.chat_user, "");
    EXPECT_EQ(t.conversation, "");
    EXPECT_EQ(t.subject, "");
    EXPECT_EQ(t.number, "RD-000007");
    EXPECT_EQ(t.kind, Kind::complaint);
    EXPECT_EQ(t.severity, Severity::major);
    EXPECT_EQ(t.resolution_code, "refund");
    EXPECT_EQ(t.closed_at, k_now - std::chrono::days(40));
}

TEST(Erasure, AValueIsNamedOnlyWhenItStandsWhole)
{
    using tickets::names_whole;
    EXPECT_TRUE(names_whole("To: Anna <ANNA@x.org>", "anna@x.org"));
    EXPECT_TRUE(names_whole("write to anna@x.org.", "anna@x.org"));  // a sentence's full stop
    EXPECT_TRUE(names_whole("anna@x.org", " anna@x.org "));
    EXPECT_FALSE(names_whole("To: hanna@x.org", "anna@x.org"));
    EXPECT_FALSE(names_whole("anna@x.org.uk", "anna@x.org"));
    EXPECT_FALSE(names_whole("joanna@x.org and hanna@x.org", "anna@x.org"));
    EXPECT_TRUE(names_whole("hanna@x.org, anna@x.org", "anna@x.org"));  // the second one counts
    EXPECT_FALSE(names_whole("Иванна", "Ванна"));
    EXPECT_FALSE(names_whole("anything", ""));
}

TEST(Erasure, ScrubReplacesEveryOccurrenceRegardlessOfAsciiCase)
{
    std::vector<std::string> values{"ivan@example.org", "Иван"};
    EXPECT_EQ(scrub("From IVAN@Example.org and ivan@example.org, Иван.", values),
              "From [erased] and [erased], [erased].");
    EXPECT_EQ(scrub("nothing here", values), "nothing here");
}

TEST(Erasure, AnAuditDetailLosesItsWordsAndKeepsItsFacts)
{
    std::vector<std::string> values{"ivan@example.org"};
    std::string detail =
        scrub_detail(R"({"from":"ivan@example.org","subject":"Сломался чайник","kind":"complaint","letter":12,)"
                     R"("why":"reply to ivan@example.org","status":{"from":"new","to":"acknowledged"}})",
                     values);
    auto j = nlohmann::json::parse(detail);
    EXPECT_EQ(j["from"], "[erased]");
    EXPECT_EQ(j["subject"], "[erased]");
    EXPECT_EQ(j["kind"], "complaint");
    EXPECT_EQ(j["letter"], 12);
    EXPECT_EQ(j["why"], "reply to [erased]");
    EXPECT_EQ(j["status"]["from"], "new");
    EXPECT_EQ(scrub_detail("not json ivan@example.org", values), "not json [erased]");
}

TEST(Erasure, ActionsForTheCustomerLoseTheirTextProcessActionsKeepIt)
{
    std::vector<std::string> values{"Ivan"};
    CorrectiveAction mine;
    mine.target = ActionFor::customer;
    mine.text = "Refund Ivan";
    CorrectiveAction process;
    process.target = ActionFor::process;
    process.text = "Check the courier's routes (Ivan's case)";
    EXPECT_EQ(erased_action(mine, values).text, "[erased]");
    EXPECT_EQ(erased_action(process, values).text, "Check the courier's routes ([erased]'s case)");
}

TEST(Erasure, OnlyTheOwnerErasesAndSaysWhy)
{
    EXPECT_TRUE(check_erase(Actor{"olga", Role::owner}, "asked by letter").ok());
    EXPECT_TRUE(check_erase(Actor{"max", Role::manager}, "asked").error().is(ErrorKind::refused));
    EXPECT_TRUE(check_erase(Actor{"anna", Role::agent}, "asked").error().is(ErrorKind::refused));
    EXPECT_TRUE(check_erase(Actor{"olga", Role::owner}, "  ").error().is(ErrorKind::invalid));
}

TEST(Erasure, RetentionIsDueForTicketsClosedLongerAgoThanThePolicy)
{
    Ticket t = ticket_of("Ivan", "ivan@example.org");
    EXPECT_TRUE(retention_due(t, k_now, 30));
    EXPECT_FALSE(retention_due(t, k_now, 40)) << "exactly 40 days is not more than 40";
    EXPECT_FALSE(retention_due(t, k_now, 0)) << "0 is off";
    t.status = TicketStatus::resolved;
    EXPECT_FALSE(retention_due(t, k_now, 30)) << "only closed tickets";
    EXPECT_TRUE(keeps_customer_alive(t));
}
