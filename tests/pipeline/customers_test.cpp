// One customer across channels, end to end on real parts (the MIME parser, the shipped rules and
// templates, a real SQLite file): mail and chat messages linked by their verified identity only,
// mentioned identities suggested, customers merged and the merge undone, a suggestion accepted, and
// two tickets of one matter merged with the deadlines following the earlier arrival on a test clock.

#include "connectors/quarantine_folder/quarantine_folder.hpp"
#include "pipeline/deadlines.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "service/customers.hpp"
#include "service/ticket_service.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace redress;
using namespace redress::pipeline;
namespace fs = std::filesystem;

namespace {

const TimePoint k_now = parse_iso8601("2026-11-26T09:00:00Z").value();
const Actor k_manager{"mona", Role::manager};
const Actor k_agent{"ann", Role::agent};

const char* k_config = R"({"company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>"},
    "owner": {"name": "Olga", "email": "olga@shop.test"},
    "chats": [{"name": "tg", "type": "telegram", "bot_token": "1:x", "api_base": "http://127.0.0.1:9",
               "secret_token": "s"}]})";

std::string mail(const std::string& from, const std::string& message_id, const std::string& subject,
                 const std::string& text)
{
    return "From: " + from + "\r\nTo: support@shop.test\r\nSubject: " + subject + "\r\nMessage-ID: <" + message_id +
           ">\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n";
}

const std::string k_kettle =
    "Hello, the kettle I ordered arrived broken and nobody answers the phone. This is unacceptable, I am very "
    "disappointed with your service. Please replace it.";

class CustomersTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("redress-customers-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir / "var");
        std::ofstream(m_dir / "redress.json") << k_config;
        auto load = load_runtime(m_dir / "redress.json", REDRESS_SOURCE_DIR, m_dir / "var");
        ASSERT_TRUE(load.runtime) << (load.problems.empty() ? "" : load.problems.front());
        m_runtime = load.runtime;
        auto store = store::SqliteStore::open(m_dir / "var" / "redress.db");
        ASSERT_TRUE(store.ok()) << store.error().message;
        m_store = std::move(store).value();
        m_quarantine = std::make_unique<connectors::QuarantineFolder>(m_dir / "var" / "quarantine");
        m_pipeline = std::make_unique<Pipeline>(*m_store, *m_quarantine, m_runtime);
    }
    void TearDown() override
    {
        m_pipeline.reset();
        m_store.reset();
        fs::remove_all(m_dir);
    }

    std::string ingest_mail(const std::string& bytes, const std::string& key, TimePoint at = k_now)
    {
        RawMessage raw;
        raw.channel = "email";
        raw.source = "support";
        raw.source_key = key;
        raw.bytes = bytes;
        raw.received_at = at;
        auto outcome = m_pipeline->ingest(raw, at);
        EXPECT_TRUE(outcome.ok()) << (outcome.ok() ? "" : outcome.error().message);
        return outcome.ok() ? outcome->ticket_number : std::string();
    }

    std::string ingest_chat(const std::string& key, const std::string& conversation, const std::string& user,
                            const std::string& text, const std::string& typed_email = "", TimePoint at = k_now)
    {
        Message m;
        m.from = Mailbox{"Anna Petrova", user};
        m.message_id = conversation + ":" + key;
        m.content_type = "text/plain";
        m.text = text;
        m.chat = ChatOrigin{conversation, user, key, "", typed_email, ""};
        RawMessage raw;
        raw.channel = "chat";
        raw.source = "tg";
        raw.source_key = "tg:" + key;
        raw.bytes = "{}";
        raw.parsed = std::move(m);
        raw.received_at = at;
        auto outcome = m_pipeline->ingest(raw, at);
        EXPECT_TRUE(outcome.ok()) << (outcome.ok() ? "" : outcome.error().message);
        return outcome.ok() ? outcome->ticket_number : std::string();
    }

    std::int64_t customer_of(const std::string& number)
    {
        auto ticket = m_store->ticket(number).value();
        EXPECT_TRUE(ticket.has_value()) << number;
        if (!ticket)
            return 0;
        auto id = m_store->ticket_customer(ticket->id).value();
        EXPECT_TRUE(id.has_value()) << number << " has no customer";
        return id.value_or(0);
    }

    // The customer's root record as the service shows it.
    service::CustomerView view(std::int64_t id)
    {
        auto v = service::CustomerService(*m_store).show(id);
        EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().message);
        return v.ok() ? *v : service::CustomerView{};
    }

    static std::vector<std::string> numbers(const service::CustomerView& v)
    {
        std::vector<std::string> out;
        for (const auto& t : v.tickets)
            out.push_back(t.number);
        std::sort(out.begin(), out.end());
        return out;
    }

    fs::path m_dir;
    std::shared_ptr<const Runtime> m_runtime;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<connectors::QuarantineFolder> m_quarantine;
    std::unique_ptr<Pipeline> m_pipeline;
};

}  // namespace

TEST_F(CustomersTest, TwoMailsFromOneAddressAreOneCustomerWhateverTheCase)
{
    std::string first =
        ingest_mail(mail("Anna Petrova <anna@customer.test>", "m1@customer.test", "Broken kettle", k_kettle), "drop:1");
    std::string second =
        ingest_mail(mail("ANNA@Customer.TEST", "m2@customer.test", "Late courier again",
                         "The courier was late again and the parcel was damaged. I want my money back."),
                    "drop:2");
    ASSERT_FALSE(first.empty());
    ASSERT_FALSE(second.empty());
    ASSERT_NE(first, second);
    EXPECT_EQ(customer_of(first), customer_of(second));
    auto v = view(customer_of(first));
    EXPECT_EQ(v.name, "Anna Petrova");
    ASSERT_EQ(v.group.identities.size(), 1u);
    EXPECT_EQ(v.group.identities[0].kind, IdentityKind::email);
    EXPECT_EQ(v.group.identities[0].value, "anna@customer.test");
    EXPECT_EQ(v.group.identities[0].verified_by, "mail");
    EXPECT_EQ(numbers(v), (std::vector<std::string>{first, second}));
    // The ticket's view names the earlier complaint.
    auto of = service::CustomerService(*m_store).of_ticket(m_store->ticket(second).value().value());
    ASSERT_TRUE(of.ok());
    ASSERT_EQ(of->other_tickets.size(), 1u);
    EXPECT_EQ(of->other_tickets[0].number, first);
}

TEST_F(CustomersTest, TwoChatConversationsOfOneChatUserAreOneCustomer)
{
    std::string first = ingest_chat("1", "tg:111", "tg:98765", k_kettle);
    std::string second = ingest_chat("2", "tg:222", "tg:98765", "The courier was rude and the parcel was damaged.");
    std::string stranger = ingest_chat("3", "tg:333", "tg:55555", k_kettle);
    ASSERT_NE(first, second);
    EXPECT_EQ(customer_of(first), customer_of(second));
    EXPECT_NE(customer_of(first), customer_of(stranger));
    auto v = view(customer_of(second));
    ASSERT_EQ(v.group.identities.size(), 1u);
    EXPECT_EQ(v.group.identities[0].kind, IdentityKind::chat);
    EXPECT_EQ(v.group.identities[0].value, "tg:98765");
    EXPECT_EQ(numbers(v), (std::vector<std::string>{first, second}));
}

TEST_F(CustomersTest, MailAndChatOfOnePersonAreTwoCustomersUntilStaffMergeThemAndUndoingRestoresBoth)
{
    std::string by_mail =
        ingest_mail(mail("Anna <anna@customer.test>", "m1@customer.test", "Broken kettle", k_kettle), "drop:1");
    // She types the same address into the chat: unverified, a suggestion only.
    std::string by_chat = ingest_chat("1", "tg:111", "tg:98765", k_kettle, "anna@customer.test");
    std::int64_t mail_customer = customer_of(by_mail);
    std::int64_t chat_customer = customer_of(by_chat);
    ASSERT_NE(mail_customer, chat_customer);
    auto chat_view = view(chat_customer);
    ASSERT_EQ(chat_view.group.suggestions.size(), 1u);
    EXPECT_EQ(chat_view.group.suggestions[0].value, "anna@customer.test");
    EXPECT_EQ(chat_view.group.suggestions[0].source, "chat contact");

    service::CustomerService customers(*m_store);
    // An agent may not merge.
    auto refused = customers.merge(chat_customer, mail_customer, k_agent);
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(refused.error().is(ErrorKind::refused));

    auto merged = customers.merge(chat_customer, mail_customer, k_manager);
    ASSERT_TRUE(merged.ok()) << merged.error().message;
    EXPECT_EQ(merged->group.root.id, mail_customer);
    EXPECT_EQ(numbers(*merged), (std::vector<std::string>{by_mail, by_chat}));
    EXPECT_EQ(merged->group.identities.size(), 2u);
    // The suggestion is the customer's own identity now: no longer shown.
    EXPECT_TRUE(merged->group.suggestions.empty());
    // Either record shows the one customer; a merged record cannot be merged again.
    EXPECT_EQ(view(chat_customer).group.root.id, mail_customer);
    EXPECT_TRUE(customers.merge(chat_customer, mail_customer, k_manager).error().is(ErrorKind::conflict));
    EXPECT_TRUE(customers.merge(mail_customer, chat_customer, k_manager).error().is(ErrorKind::conflict));

    // A later chat message of hers links to the chat record, so the undoing keeps it there.
    std::string later = ingest_chat("2", "tg:444", "tg:98765", "The replacement kettle leaks as well. Refund me.");
    EXPECT_EQ(customer_of(later), chat_customer);
    EXPECT_EQ(view(mail_customer).tickets.size(), 3u);

    auto unmerged = customers.unmerge(chat_customer, k_manager);
    ASSERT_TRUE(unmerged.ok()) << unmerged.error().message;
    auto mail_after = view(mail_customer);
    auto chat_after = view(chat_customer);
    EXPECT_EQ(mail_after.group.root.id, mail_customer);
    EXPECT_EQ(chat_after.group.root.id, chat_customer);
    EXPECT_EQ(numbers(mail_after), (std::vector<std::string>{by_mail}));
    EXPECT_EQ(numbers(chat_after), (std::vector<std::string>{by_chat, later}));
    ASSERT_EQ(mail_after.group.identities.size(), 1u);
    EXPECT_EQ(mail_after.group.identities[0].value, "anna@customer.test");
    ASSERT_EQ(chat_after.group.identities.size(), 1u);
    EXPECT_EQ(chat_after.group.identities[0].value, "tg:98765");
    ASSERT_EQ(chat_after.group.suggestions.size(), 1u);
    EXPECT_FALSE(chat_after.group.root.merged_into.has_value());
    // Both audited on the records.
    std::vector<std::string> actions;
    for (const auto& e : chat_after.audit)
        actions.push_back(e.action + " by " + e.actor);
    EXPECT_EQ(actions, (std::vector<std::string>{"customer.merged by mona", "customer.unmerged by mona"}));
    EXPECT_TRUE(customers.unmerge(chat_customer, k_manager).error().is(ErrorKind::conflict));
}

TEST_F(CustomersTest, AnAddressMentionedInTheTextIsSuggestedNeverLinkedUntilStaffAcceptIt)
{
    std::string first = ingest_mail(
        mail("Anna <anna@customer.test>", "m1@customer.test", "Broken kettle",
             k_kettle + std::string(" My other address is Anna.P@Other.test. Call me on +7 (912) 345-67-89, order "
                                    "20261126 of 2026-11-20.")),
        "drop:1");
    std::int64_t anna = customer_of(first);
    auto v = view(anna);
    std::vector<std::string> suggested;
    for (const auto& s : v.group.suggestions)
        suggested.push_back(std::string(to_string(s.kind)) + " " + s.value + " (" + s.source + ")");
    EXPECT_EQ(suggested, (std::vector<std::string>{"email anna.p@other.test (message text)",
                                                   "phone +79123456789 (message text)"}));
    // A mail from the mentioned address is someone else until a person says otherwise.
    std::string other =
        ingest_mail(mail("anna.p@other.test", "m2@other.test", "Broken kettle again", k_kettle), "drop:2");
    EXPECT_NE(customer_of(other), anna);

    // Accepting the phone number links it as verified by staff; the address is held by the other record.
    service::CustomerService customers(*m_store);
    std::int64_t phone_suggestion = 0;
    std::int64_t address_suggestion = 0;
    for (const auto& s : v.group.suggestions)
        (s.kind == IdentityKind::phone ? phone_suggestion : address_suggestion) = s.id;
    auto accepted = customers.accept_suggestion(anna, phone_suggestion, k_agent);
    ASSERT_TRUE(accepted.ok()) << accepted.error().message;
    ASSERT_EQ(accepted->group.identities.size(), 2u);
    EXPECT_EQ(accepted->group.identities[1].value, "+79123456789");
    EXPECT_EQ(accepted->group.identities[1].verified_by, "staff:ann");
    EXPECT_EQ(accepted->audit.back().action, "customer.identity_added");
    auto taken = customers.accept_suggestion(anna, address_suggestion, k_agent);
    ASSERT_FALSE(taken.ok());
    EXPECT_TRUE(taken.error().is(ErrorKind::conflict)) << taken.error().message;
    // Found by the accepted number however it is written.
    auto found = customers.show_who("+7 912 345 67 89");
    ASSERT_TRUE(found.ok()) << found.error().message;
    EXPECT_EQ(found->group.root.id, anna);
}

TEST_F(CustomersTest, MergingTicketsMovesEverythingAndTheDeadlinesFollowTheEarlierArrival)
{
    // The same complaint by mail, then two hours later by chat (another customer record until merged).
    std::string by_mail =
        ingest_mail(mail("Anna <anna@customer.test>", "m1@customer.test", "Broken kettle", k_kettle), "drop:1", k_now);
    TimePoint later = k_now + Seconds{2 * 3600};
    std::string by_chat = ingest_chat("1", "tg:111", "tg:98765", k_kettle, "", later);
    auto mail_ticket = m_store->ticket(by_mail).value().value();
    auto chat_ticket = m_store->ticket(by_chat).value().value();
    ASSERT_TRUE(mail_ticket.first_response_due && chat_ticket.first_response_due);
    ASSERT_LT(*mail_ticket.first_response_due, *chat_ticket.first_response_due);
    std::size_t mail_messages = m_store->messages_of(mail_ticket.id).value().size();
    std::size_t mail_letters = m_store->letters_of(mail_ticket.id).value().size();
    std::size_t chat_letters = m_store->letters_of(chat_ticket.id).value().size();
    // A note on the mail ticket moves too.
    {
        ManualTimeSource clock(later);
        service::TicketService tickets(*m_store, *m_pipeline, clock);
        service::StepCommand note;
        note.step.kind = tickets::StepKind::note;
        note.step.actor = k_manager;
        note.step.text = "Same customer as the chat, I think.";
        ASSERT_TRUE(tickets.apply(by_mail, note).ok());
    }

    TimePoint now = later + Seconds{600};
    // Two customers: refused unless a person confirms; an agent never.
    auto unconfirmed = service::merge_tickets(*m_store, *m_runtime, by_mail, by_chat, false, k_manager, now);
    ASSERT_FALSE(unconfirmed.ok());
    EXPECT_TRUE(unconfirmed.error().is(ErrorKind::conflict));
    EXPECT_TRUE(service::merge_tickets(*m_store, *m_runtime, by_mail, by_chat, true, k_agent, now)
                    .error()
                    .is(ErrorKind::refused));
    auto merged = service::merge_tickets(*m_store, *m_runtime, by_mail, by_chat, true, k_manager, now);
    ASSERT_TRUE(merged.ok()) << merged.error().message;

    auto survivor = m_store->ticket(by_chat).value().value();
    auto gone = m_store->ticket(by_mail).value().value();
    EXPECT_EQ(survivor.received_at, k_now);
    EXPECT_EQ(survivor.first_response_due, mail_ticket.first_response_due);
    EXPECT_EQ(survivor.resolution_due, mail_ticket.resolution_due);
    EXPECT_EQ(gone.status, TicketStatus::closed);
    EXPECT_EQ(m_store->merged_ticket_target(gone.id).value(), std::optional<std::string>(by_chat));
    EXPECT_TRUE(m_store->messages_of(gone.id).value().empty());
    EXPECT_TRUE(m_store->notes_of(gone.id).value().empty());
    EXPECT_EQ(m_store->messages_of(survivor.id).value().size(), mail_messages + 1);
    EXPECT_EQ(m_store->letters_of(survivor.id).value().size(), mail_letters + chat_letters);
    ASSERT_EQ(m_store->notes_of(survivor.id).value().size(), 1u);
    auto gone_audit = m_store->audit_of(gone.id).value();
    ASSERT_EQ(gone_audit.size(), 1u);
    EXPECT_EQ(gone_audit[0].action, "ticket.merged");
    EXPECT_EQ(m_store->audit_of(survivor.id).value().back().action, "ticket.merged_in");
    // Merged once: not again, and nothing merges into it.
    EXPECT_TRUE(service::merge_tickets(*m_store, *m_runtime, by_mail, by_chat, true, k_manager, now)
                    .error()
                    .is(ErrorKind::conflict));

    // A reply to the merged ticket's tag lands on the survivor.
    std::string reply = ingest_mail(mail("anna@customer.test", "m2@customer.test",
                                         "Re: [" + by_mail + "] Broken kettle", "Any news about my kettle?"),
                                    "drop:2", now + Seconds{60});
    EXPECT_EQ(reply, by_chat);
    EXPECT_EQ(m_store->messages_of(survivor.id).value().size(), mail_messages + 2);
}
