// Customer records in the SQLite store: the migration that made them, backfilled from the tickets of
// a store at the previous schema version, and the store-level listing of one customer's tickets.

#include "store/sqlite_store.hpp"
#include "store_file_test.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace redress;
using namespace redress::store;

namespace {

class CustomersStoreTest : public StoreFileTest {
protected:
    static std::vector<std::string> numbers(const std::vector<Ticket>& tickets)
    {
        std::vector<std::string> out;
        for (const auto& t : tickets)
            out.push_back(t.number);
        std::sort(out.begin(), out.end());
        return out;
    }
};

}  // namespace

TEST_F(CustomersStoreTest, TheMigrationMakesOneCustomerPerVerifiedIdentityAndSuggestsTheRest)
{
    // The schema before customers (version 4: chat tickets), with tickets of every channel.
    ASSERT_TRUE(SqliteStore::create_at_version(m_file, 4).ok());
    exec("INSERT INTO tickets (id, number, customer_name, customer_email, customer_phone, channel, source, "
         "received_at, updated_at, kind, language, severity, status, conversation, customer_chat) VALUES "
         "(1, 'RD-000001', 'Anna Petrova', 'Anna@Example.org', '', 'email', 'support', 100, 100, 'complaint', 'en', "
         "'normal', 'closed', '', ''),"
         "(2, 'RD-000002', '', 'anna@example.org ', '', 'email', 'support', 200, 200, 'complaint', 'en', 'normal', "
         "'investigating', '', ''),"
         "(3, 'RD-000003', 'Анна', '', '', 'chat', 'tg', 300, 300, 'complaint', 'ru', 'normal', 'new_ticket', "
         "'tg:123', 'tg:98765'),"
         "(4, 'RD-000004', 'Anna', 'anna@example.org', '+7 (912) 345-67-89', 'web', 'complaint form', 400, 400, "
         "'complaint', 'en', 'normal', 'new_ticket', '', ''),"
         "(5, 'RD-000005', 'Boris', '', '8 912 111-22-33', 'phone', 'cli', 500, 500, 'complaint', 'en', 'normal', "
         "'new_ticket', '', ''),"
         "(6, 'RD-000006', 'Vera', 'vera@example.org', '', 'email', 'support', 600, 600, 'question', 'en', 'normal', "
         "'new_ticket', '', '');"
         "UPDATE sequences SET value = 6 WHERE name = 'tickets';");
    auto opened = SqliteStore::open(m_file);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    SqliteStore& store = **opened;

    auto customer = [&](std::int64_t ticket) { return store.ticket_customer(ticket).value().value_or(0); };
    // The two mail tickets of one address (whatever its case and spaces) are one customer.
    EXPECT_EQ(customer(1), customer(2));
    auto anna = store.customer_group(customer(1)).value().value();
    EXPECT_EQ(anna.root.name, "Anna Petrova");
    ASSERT_EQ(anna.identities.size(), 1u);
    EXPECT_EQ(anna.identities[0].value, "anna@example.org");
    EXPECT_EQ(anna.identities[0].verified_by, "backfill");
    EXPECT_EQ(numbers(store.tickets_of_customer(anna.root.id).value()),
              (std::vector<std::string>{"RD-000001", "RD-000002"}));
    // The chat user is a customer of its own (nothing proves it is the same Anna).
    auto chat = store.customer_group(customer(3)).value().value();
    EXPECT_NE(chat.root.id, anna.root.id);
    ASSERT_EQ(chat.identities.size(), 1u);
    EXPECT_EQ(chat.identities[0].kind, IdentityKind::chat);
    EXPECT_EQ(chat.identities[0].value, "tg:98765");
    // The form's address and phone were typed into a public page: a record with suggestions only.
    auto form = store.customer_group(customer(4)).value().value();
    EXPECT_NE(form.root.id, anna.root.id);
    EXPECT_TRUE(form.identities.empty());
    ASSERT_EQ(form.suggestions.size(), 2u);
    EXPECT_EQ(form.suggestions[0].value, "anna@example.org");
    EXPECT_EQ(form.suggestions[1].value, "+79123456789");
    auto phone = store.customer_group(customer(5)).value().value();
    EXPECT_TRUE(phone.identities.empty());
    ASSERT_EQ(phone.suggestions.size(), 1u);
    EXPECT_EQ(phone.suggestions[0].value, "89121112233");
    EXPECT_NE(customer(6), customer(1));
    // Lookups by identity and by part of a name.
    EXPECT_EQ(store.customer_by_identity(IdentityKind::email, "anna@example.org").value()->id, anna.root.id);
    EXPECT_FALSE(store.customer_by_identity(IdentityKind::email, "nobody@example.org").value().has_value());
    auto matching = store.customers_matching("vera", 10).value();
    ASSERT_EQ(matching.size(), 1u);
    EXPECT_EQ(matching[0].id, customer(6));

    // New tickets after the migration link to the backfilled records.
    auto tx = std::move(store.begin()).value();
    Ticket t;
    t.channel = "email";
    t.source = "support";
    auto created = tx->create_ticket(t, "RD").value();
    EXPECT_EQ(created.number, "RD-000007");
    CustomerLink link;
    link.ticket_id = created.id;
    link.verified = IdentityClaim{IdentityKind::email, "anna@example.org", "mail from"};
    link.suggested = {IdentityClaim{IdentityKind::email, "anna@example.org", "message text"},
                      IdentityClaim{IdentityKind::phone, "+79991234567", "message text"}};
    EXPECT_EQ(tx->link_customer(link).value(), anna.root.id);
    ASSERT_TRUE(tx->commit().ok());
    auto after = store.customer_group(anna.root.id).value().value();
    ASSERT_EQ(after.suggestions.size(), 1u);  // its own address is no suggestion
    EXPECT_EQ(after.suggestions[0].value, "+79991234567");
    EXPECT_EQ(store.tickets_of_customer(anna.root.id).value().size(), 3u);
}
