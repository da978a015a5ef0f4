// Full-text search in the SQLite store: the seven languages with their inflected forms, every filter,
// phrases, exclusion, OR, ranking, snippets of the words as written, the index kept in the record's
// own transaction (a rollback leaves nothing findable), the migration that indexes what is already
// there, and a ticket's records taken out (for the customer's erase).

#include "search/query.hpp"
#include "store/sqlite_search.hpp"
#include "store/sqlite_store.hpp"
#include "store_file_test.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>

using namespace redress;
using namespace redress::store;

namespace {

TimePoint day(const char* iso)
{
    return *parse_iso8601(std::string(iso) + "T10:00:00Z");
}

class SearchTest : public StoreFileTest {
protected:
    void TearDown() override
    {
        m_store.reset();
        StoreFileTest::TearDown();
    }

    SqliteStore& store()
    {
        if (!m_store) {
            auto opened = SqliteStore::open(m_file);
            EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.error().message);
            m_store = std::move(*opened);
        }
        return *m_store;
    }

    struct Written {
        Ticket ticket;
        std::int64_t message_id = 0;
    };

    // A ticket with one customer message, committed.
    Written write(std::string_view language, std::string_view subject, std::string_view text,
                  std::string_view from = "customer@example.com", std::string_view channel = "email",
                  TimePoint at = day("2026-11-10"), Kind kind = Kind::complaint,
                  TicketStatus status = TicketStatus::new_ticket, std::string_view name = "")
    {
        auto tx = std::move(store().begin()).value();
        Ticket t;
        t.channel = std::string(channel);
        t.source = "support";
        t.kind = kind;
        t.status = status;
        t.language = std::string(language);
        t.subject = std::string(subject);
        t.customer.email = std::string(from);
        t.customer.name = std::string(name);
        t.received_at = t.updated_at = at;
        auto ticket = tx->create_ticket(t, "RD").value();
        StoredMessage m;
        m.ticket_id = ticket.id;
        m.channel = std::string(channel);
        m.source = "support";
        m.source_key = "test:" + std::to_string(++m_keys);
        m.from_address = std::string(from);
        m.subject = std::string(subject);
        m.text = std::string(text);
        m.received_at = at;
        m.kind = kind;
        m.language = std::string(language);
        m.raw = "raw";
        auto id = tx->add_message(m).value();
        EXPECT_TRUE(tx->commit().ok());
        return {ticket, id};
    }

    SearchPage find(std::string_view text, int limit = 20, int offset = 0)
    {
        auto query = search::parse_query(text);
        EXPECT_TRUE(query.ok()) << text << ": " << (query.ok() ? "" : query.error().message);
        if (!query.ok())
            return {};
        auto page = store().search(SearchRequest{*query, limit, offset});
        EXPECT_TRUE(page.ok()) << text << ": " << (page.ok() ? "" : page.error().message);
        return page.ok() ? *page : SearchPage{};
    }

    // The tickets (numbers) of the customer messages a query finds, best first.
    std::vector<std::string> messages(std::string_view text)
    {
        std::vector<std::string> out;
        for (const auto& hit : find(text).hits)
            if (hit.record == search::RecordKind::message)
                out.push_back(hit.ticket_number);
        return out;
    }

    static std::string highlighted(const SearchHit& hit)
    {
        std::string out;
        for (const auto& part : hit.snippet)
            out += part.match ? "[" + part.text + "]" : part.text;
        return out;
    }

    std::unique_ptr<SqliteStore> m_store;
    int m_keys = 0;
};

using Numbers = std::vector<std::string>;

}  // namespace

TEST_F(SearchTest, FindsInflectedFormsInEachOfTheSevenLanguages)
{
    auto en = write("en", "Refund", "I asked for a refund twice and the courier never delivered the parcel.");
    auto ru = write("ru", "Доставка", "Посылку так и не доставили, курьер не отвечает на звонки уже неделю.");
    auto uk = write("uk", "Посилка", "Кур'єр не привіз посилку, прошу повернення грошей якнайшвидше.");
    auto be = write("be", "Пасылка", "Кур'ер не прывёз пасылку, прашу вярнуць грошы як мага хутчэй, дзякуй.");
    auto pt = write("pt", "Encomenda", "A minha encomenda chegou partida e o reembolso ainda não foi feito.");
    auto de = write("de", "Lieferung", "Die Lieferung kam beschädigt an und die Erstattung fehlt noch immer.");
    auto es = write("es", "Pedido", "Mi pedido llegó roto y todavía espero el reembolso del dinero.");

    EXPECT_EQ(messages("refunds"), Numbers{en.ticket.number});
    EXPECT_EQ(messages("delivers courier"), Numbers{en.ticket.number});
    EXPECT_EQ(messages("delivery courier"), Numbers{en.ticket.number});  // "delivered" in the text
    EXPECT_EQ(messages("доставка"), Numbers{ru.ticket.number});
    EXPECT_EQ(messages("доставки"), Numbers{ru.ticket.number});
    EXPECT_EQ(messages("посилки"), Numbers{uk.ticket.number});
    EXPECT_EQ(messages("поверненням"), Numbers{uk.ticket.number});
    EXPECT_EQ(messages("пасылкі"), Numbers{be.ticket.number});
    EXPECT_EQ(messages("encomendas"), Numbers{pt.ticket.number});
    EXPECT_EQ(messages("Lieferungen"), Numbers{de.ticket.number});
    EXPECT_EQ(messages("Erstattungen"), Numbers{de.ticket.number});
    EXPECT_EQ(messages("pedidos"), Numbers{es.ticket.number});
    // "reembolso" is Portuguese and Spanish alike.
    auto both = messages("reembolsos");
    std::sort(both.begin(), both.end());
    EXPECT_EQ(both, (Numbers{pt.ticket.number, es.ticket.number}));
}

TEST_F(SearchTest, SnippetsShowTheWordsAsWrittenWithTheMatchesMarked)
{
    write("ru", "Жалоба", "Здравствуйте! Посылку так и не доставили, курьер не отвечает.");
    auto page = find("доставка");
    ASSERT_EQ(page.hits.size(), 1u);
    EXPECT_NE(highlighted(page.hits[0]).find("так и не [доставили], курьер"), std::string::npos)
        << highlighted(page.hits[0]);
}

TEST_F(SearchTest, TicketSubjectsAndCustomerNamesAreFound)
{
    auto a = write("en", "Broken kettle lid", "It cracked.", "anna@example.com", "email", day("2026-11-10"),
                   Kind::complaint, TicketStatus::new_ticket, "Anna Karenina");
    auto page = find("Karenina kind:ticket");
    ASSERT_EQ(page.hits.size(), 1u);
    EXPECT_EQ(page.hits[0].ticket_number, a.ticket.number);
    EXPECT_EQ(page.hits[0].record, search::RecordKind::ticket);

    // A new name replaces the old one in the index.
    auto tx = std::move(store().begin()).value();
    auto t = a.ticket;
    t.customer.name = "Anna Oblonskaya";
    ASSERT_TRUE(tx->update_ticket(t).ok());
    ASSERT_TRUE(tx->commit().ok());
    EXPECT_TRUE(find("Karenina").hits.empty());
    EXPECT_EQ(find("Oblonskaya").hits.size(), 1u);
}

TEST_F(SearchTest, NotesAndLettersAreFound)
{
    auto a = write("en", "Kettle", "The kettle leaks.");
    auto tx = std::move(store().begin()).value();
    Note note;
    note.ticket_id = a.ticket.id;
    note.author = "boris";
    note.at = day("2026-11-11");
    note.text = "Warehouse confirms the batch had faulty gaskets.";
    ASSERT_TRUE(tx->add_note(note).ok());
    Letter mail;
    mail.ticket_id = a.ticket.id;
    mail.template_name = "reply";
    mail.recipient = "customer@example.com";
    mail.subject = "Your kettle";
    mail.message_id = "m1@example.com";
    mail.dedup_key = "reply:1";
    mail.created_at = day("2026-11-12");
    // Quoted-printable body: the index reads it decoded.
    mail.content = "From: support@example.com\r\nTo: customer@example.com\r\nSubject: Your kettle\r\n"
                   "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                   "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                   "We will send a replacem=\r\nent gasket tomorrow.\r\n";
    ASSERT_TRUE(tx->enqueue_letter(mail).value());
    Letter chat = mail;
    chat.channel = "chat:tg";
    chat.message_id = "m2@example.com";
    chat.dedup_key = "reply:2";
    chat.content = "Курьер привезёт новую крышку завтра.";
    ASSERT_TRUE(tx->enqueue_letter(chat).value());
    ASSERT_TRUE(tx->commit().ok());

    auto notes = find("gasket kind:note");
    ASSERT_EQ(notes.hits.size(), 1u);
    EXPECT_EQ(notes.hits[0].sender, "boris");
    auto letters = find("replacement");
    ASSERT_EQ(letters.hits.size(), 1u);
    EXPECT_EQ(letters.hits[0].record, search::RecordKind::letter);
    EXPECT_EQ(find("крышки channel:chat:").hits.size(), 1u);
    EXPECT_EQ(find("gaskets").hits.size(), 2u);
}

TEST_F(SearchTest, EveryFilterNarrowsTheResults)
{
    auto a = write("en", "Parcel", "My parcel is late.", "anna@example.com", "email", day("2026-11-02"));
    auto b = write("en", "Parcel", "The parcel is late again.", "boris@example.org", "chat:tg", day("2026-11-20"),
                   Kind::question, TicketStatus::investigating);
    auto c = write("de", "Paket", "Mein parcel ist spät.", "clara@example.de", "web", day("2026-11-15"));

    EXPECT_EQ(messages("parcel from:anna@example.com"), Numbers{a.ticket.number});
    EXPECT_EQ(messages("parcel from:example.org"), Numbers{b.ticket.number});
    EXPECT_EQ(messages("parcel status:investigating"), Numbers{b.ticket.number});
    EXPECT_EQ(messages("parcel kind:question"), Numbers{b.ticket.number});
    EXPECT_EQ(messages("parcel lang:de"), Numbers{c.ticket.number});
    EXPECT_EQ(messages("parcel channel:web"), Numbers{c.ticket.number});
    EXPECT_EQ(messages("parcel channel:chat:"), Numbers{b.ticket.number});
    EXPECT_EQ(messages("parcel before:2026-11-10"), Numbers{a.ticket.number});
    EXPECT_EQ(messages("parcel after:2026-11-16"), Numbers{b.ticket.number});
    EXPECT_EQ(messages("parcel after:2026-11-10 before:2026-11-16"), Numbers{c.ticket.number});
    for (const auto& hit : find("parcel kind:message").hits)
        EXPECT_EQ(hit.record, search::RecordKind::message);
    // Filters alone list the newest first.
    auto listed = find("lang:en kind:message");
    ASSERT_EQ(listed.hits.size(), 2u);
    EXPECT_EQ(listed.hits[0].ticket_number, b.ticket.number);
    EXPECT_EQ(listed.hits[1].ticket_number, a.ticket.number);
    auto excluded = find("kind:message -again");
    ASSERT_EQ(excluded.hits.size(), 2u);
    EXPECT_EQ(excluded.hits[0].ticket_number, c.ticket.number);
}

TEST_F(SearchTest, EveryFilterFollowsAStatusChangeAndAReclassify)
{
    // Filters are terms of the index (search_docs.meta): a ticket's rows are indexed anew in the
    // transaction that changes its status or kind, and every filter still selects what it did.
    auto a = write("en", "Parcel", "My parcel is late.", "anna@example.com", "email", day("2026-11-02"));
    auto b = write("en", "Parcel", "The parcel is late again.", "boris@example.org", "chat:tg", day("2026-11-20"));
    {
        auto tx = std::move(store().begin()).value();
        ASSERT_TRUE(tx->add_note(Note{0, a.ticket.id, "boris", day("2026-11-03"), "Parcel traced to the depot."}).ok());
        ASSERT_TRUE(tx->commit().ok());
    }
    auto sorted = [](Numbers numbers) {
        std::sort(numbers.begin(), numbers.end());
        return numbers;
    };
    EXPECT_EQ(sorted(messages("parcel status:new")), (Numbers{a.ticket.number, b.ticket.number}));
    EXPECT_TRUE(messages("parcel status:investigating").empty());

    auto changed = a.ticket;
    changed.status = TicketStatus::investigating;
    {
        auto tx = std::move(store().begin()).value();
        ASSERT_TRUE(tx->update_ticket(changed).ok());
        ASSERT_TRUE(tx->commit().ok());
    }
    EXPECT_EQ(messages("parcel status:investigating"), Numbers{a.ticket.number});
    EXPECT_EQ(messages("parcel status:new"), Numbers{b.ticket.number});
    EXPECT_EQ(find("depot kind:note status:investigating").hits.size(), 1u);
    EXPECT_TRUE(find("depot status:new").hits.empty());

    // A reclassify (through the version-checked update the service uses).
    auto stored = store().ticket(a.ticket.number).value().value();
    stored.kind = Kind::question;
    {
        auto tx = std::move(store().begin()).value();
        ASSERT_TRUE(tx->update_ticket_at_version(stored, stored.version).ok());
        ASSERT_TRUE(tx->commit().ok());
    }
    EXPECT_EQ(messages("parcel kind:question"), Numbers{a.ticket.number});
    EXPECT_EQ(messages("parcel kind:complaint"), Numbers{b.ticket.number});
    EXPECT_EQ(find("depot kind:question").hits.size(), 1u);

    // The other filters, alone and together, after both changes.
    EXPECT_EQ(messages("parcel from:anna@example.com"), Numbers{a.ticket.number});
    EXPECT_EQ(messages("parcel from:example.org"), Numbers{b.ticket.number});
    EXPECT_EQ(sorted(messages("parcel lang:en")), (Numbers{a.ticket.number, b.ticket.number}));
    EXPECT_EQ(messages("parcel channel:email"), Numbers{a.ticket.number});
    EXPECT_EQ(messages("parcel channel:chat:"), Numbers{b.ticket.number});
    EXPECT_EQ(messages("parcel channel:chat:tg"), Numbers{b.ticket.number});
    EXPECT_EQ(messages("parcel before:2026-11-10"), Numbers{a.ticket.number});
    EXPECT_EQ(messages("parcel after:2026-11-16"), Numbers{b.ticket.number});
    EXPECT_EQ(messages("parcel status:investigating kind:question from:anna lang:en channel:email "
                       "after:2026-11-01 before:2026-11-03 kind:message"),
              Numbers{a.ticket.number});
    EXPECT_TRUE(messages("parcel status:investigating kind:complaint").empty());

    // A merge moves b's rows under a: they take a's status and kind.
    {
        auto tx = std::move(store().begin()).value();
        ASSERT_TRUE(tx->move_ticket_records(b.ticket.id, a.ticket.id).ok());
        ASSERT_TRUE(tx->commit().ok());
    }
    EXPECT_EQ(find("again status:investigating kind:question").hits.size(), 1u);
    EXPECT_TRUE(find("again status:new").hits.empty());

    // FTS5's own check of the index against its content, read with our tokenizer.
    m_store.reset();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(m_file.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(register_search(db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, "INSERT INTO search_index (search_index) VALUES ('integrity-check')", nullptr, nullptr,
                           &error),
              SQLITE_OK)
        << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
}

TEST_F(SearchTest, DateFiltersWithATimeOfDayAreExact)
{
    auto a = write("en", "Parcel", "My parcel is late.", "anna@example.com", "email", day("2026-11-02"));  // 10:00
    EXPECT_EQ(messages("parcel after:2026-11-02T09:59:59Z"), Numbers{a.ticket.number});
    EXPECT_TRUE(messages("parcel after:2026-11-02T10:00:01Z").empty());
    EXPECT_EQ(messages("parcel before:2026-11-02T10:00:01Z"), Numbers{a.ticket.number});
    EXPECT_TRUE(messages("parcel before:2026-11-02T10:00:00Z").empty());
    EXPECT_EQ(messages("parcel after:2026-01-01"), Numbers{a.ticket.number});
    EXPECT_EQ(messages("parcel before:2027-01-01"), Numbers{a.ticket.number});
    EXPECT_EQ(messages("parcel after:2025-12-31 before:2026-11-03"), Numbers{a.ticket.number});
    EXPECT_TRUE(messages("parcel after:2026-11-03 before:2026-11-02").empty());
    EXPECT_TRUE(messages("parcel before:1969-01-01").empty());
}

TEST_F(SearchTest, TheFilterTermsOfARecord)
{
    auto at = day("2026-11-30").time_since_epoch().count();
    EXPECT_EQ(search_meta("message", "investigating", "complaint", "ru", "chat:tg", "Anna K <Anna.K@Example.com>", at),
              "\x03r:message s:investigating k:complaint l:ru c:chat:tg c:chat: f:anna f:k f:anna f:k f:example f:com "
              "d:2026-11-30 m:2026-11 y:2026");
    EXPECT_EQ(search_meta("message", "", "", "", "email", "", 0),
              "\x03r:message c:email d:1970-01-01 m:1970-01 y:1970");
}

TEST_F(SearchTest, PhrasesExclusionAndOr)
{
    auto a = write("en", "Delivery", "The late courier left the box outside.");
    auto b = write("en", "Delivery", "The courier was late and rude.");
    auto c = write("en", "Kettle", "The kettle arrived broken.");

    EXPECT_EQ(messages("\"late courier\""), Numbers{a.ticket.number});
    auto both = messages("late courier");
    EXPECT_EQ(both.size(), 2u);
    EXPECT_EQ(messages("courier -rude"), Numbers{a.ticket.number});
    EXPECT_EQ(messages("courier -\"late courier\""), Numbers{b.ticket.number});
    auto either = messages("rude OR kettle");
    std::sort(either.begin(), either.end());
    EXPECT_EQ(either, (Numbers{b.ticket.number, c.ticket.number}));
}

TEST_F(SearchTest, MoreMentionsRankHigher)
{
    auto once = write("en", "Note", "The refund is one thing among the many things we talked about today.");
    auto thrice = write("en", "Note", "Refund, refund and refund: that is all we talked about today.");
    auto hits = messages("refund");
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits[0], thrice.ticket.number);
    EXPECT_EQ(hits[1], once.ticket.number);
    auto page = find("refund kind:message");
    EXPECT_GT(page.hits[0].score, page.hits[1].score);
}

TEST_F(SearchTest, PagesFollowEachOther)
{
    for (int i = 0; i < 5; ++i)
        write("en", "Kettle", "Kettle number " + std::to_string(i) + " leaks.");
    auto first = find("leaks", 2, 0);
    EXPECT_EQ(first.hits.size(), 2u);
    EXPECT_TRUE(first.more);
    auto last = find("leaks", 2, 4);
    EXPECT_EQ(last.hits.size(), 1u);
    EXPECT_FALSE(last.more);
}

TEST_F(SearchTest, AMessageWhoseTransactionRollsBackIsNotFound)
{
    {
        auto tx = std::move(store().begin()).value();
        Ticket t;
        t.channel = "email";
        t.source = "support";
        t.subject = "Vanishing";
        auto ticket = tx->create_ticket(t, "RD").value();
        StoredMessage m;
        m.ticket_id = ticket.id;
        m.channel = "email";
        m.source = "support";
        m.source_key = "rolled-back";
        m.text = "A zeppelin crashed into the warehouse.";
        m.raw = "raw";
        ASSERT_TRUE(tx->add_message(m).ok());
        // No commit: the transaction rolls back.
    }
    EXPECT_TRUE(find("zeppelin").hits.empty());
    EXPECT_TRUE(find("Vanishing").hits.empty());
    write("en", "Kept", "A zeppelin was sighted.");
    EXPECT_EQ(find("zeppelin").hits.size(), 1u);
}

TEST_F(SearchTest, ATicketsRecordsCanBeTakenOutOfTheIndex)
{
    auto a = write("en", "Secret", "My name is Zebediah Quux and I live at Elm Street.", "zq@example.com");
    auto b = write("en", "Other", "Elm Street deliveries are late.");
    {
        auto tx = std::move(store().begin()).value();
        EXPECT_EQ(tx->remove_from_search(a.ticket.id, {}).value(), 2);
        ASSERT_TRUE(tx->commit().ok());
    }
    ASSERT_TRUE(store().optimize_search().ok());
    EXPECT_TRUE(find("Zebediah").hits.empty());
    EXPECT_TRUE(find("Secret").hits.empty());
    EXPECT_EQ(messages("\"Elm Street\""), Numbers{b.ticket.number});
    EXPECT_EQ(store().pragma("integrity_check").value(), "ok");
}

TEST_F(SearchTest, TheMigrationIndexesWhatIsAlreadyStored)
{
    // Migration 6 adds the search index: a store at version 5 holds records written before it.
    constexpr int before_search = 5;
    ASSERT_TRUE(SqliteStore::create_at_version(m_file, before_search).ok());
    const char* rows =
        "INSERT INTO tickets (id, number, customer_name, customer_email, channel, source, received_at, updated_at, "
        "kind, language, severity, status, subject) VALUES (7, 'RD-000007', 'Olga Petrova', 'olga@example.com', "
        "'email', 'support', 1700000000, 1700000000, 'complaint', 'ru', 'normal', 'new_ticket', 'Возврат');"
        "INSERT INTO messages (ticket_id, channel, source, source_key, from_address, subject, text, received_at, kind, "
        "language, raw) VALUES (7, 'email', 'support', 'k1', 'olga@example.com', 'Возврат', "
        "'Курьер так и не доставил заказ.', 1700000000, 'complaint', 'ru', 'raw');"
        "INSERT INTO notes (ticket_id, author, at, text) VALUES (7, 'boris', 1700000100, 'Called the depot.');"
        "INSERT INTO letters (ticket_id, channel, template_name, recipient, subject, message_id, content, dedup_key, "
        "created_at) VALUES (7, 'email', 'reply', 'olga@example.com', 'Ваш заказ', 'x@y', "
        "'Subject: =?utf-8?q?x?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nWe apologise for the delay.\r\n', "
        "'d1', 1700000200);";
    exec(rows);
    ASSERT_FALSE(HasFailure()) << "the rows of version 5 were not written";

    EXPECT_EQ(messages("доставки"), Numbers{"RD-000007"});
    EXPECT_EQ(find("Petrova").hits.size(), 1u);
    EXPECT_EQ(find("depot kind:note").hits.size(), 1u);
    EXPECT_EQ(find("apologise kind:letter").hits.size(), 1u);
    // The filter terms (the last search migration) were made for these rows too.
    EXPECT_EQ(messages("доставки kind:complaint lang:ru from:olga channel:email before:2023-11-15 after:2023-11-14"),
              Numbers{"RD-000007"});
    EXPECT_TRUE(messages("доставки kind:question").empty());
    EXPECT_EQ(find("depot kind:note kind:complaint").hits.size(), 1u);
    EXPECT_TRUE(find("depot after:2023-11-15").hits.empty());
}

TEST_F(SearchTest, TheIndexHoldsWhatItsTokenizerSays)
{
    write("en", "Kettle", "The kettle leaks.");
    // FTS5's own check: the index matches the content table row by row, read with our tokenizer.
    auto tx = std::move(store().begin()).value();
    ASSERT_TRUE(tx->commit().ok());
    EXPECT_EQ(store().pragma("quick_check").value(), "ok");
}
