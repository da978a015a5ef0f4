// The customer pages over real HTTP on loopback: the daemon's own routes (app/customer_routes.cpp)
// on an in-process HTTP server, over the real pipeline, ticket service and SQLite file, with a test
// clock (the complaint form's minimum fill time is passed on it, not slept through). The status page
// in Russian and English, a forged link, a message that lands on the ticket; the form's happy path
// and each refusal (honeypot, too fast, the limit per address, no contact, too many or too large
// files, another site); the survey; what customers wrote staying text; the headers.

#include "../letters/mail_reader.hpp"
#include "api/customer_pages.hpp"
#include "app/customer_routes.hpp"
#include "connectors/quarantine_folder/quarantine_folder.hpp"
#include "in_process_server.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "service/ticket_service.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <sqlite3.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>

using namespace redress;
using redress::testing::Reply;
namespace fs = std::filesystem;

namespace {

const std::string k_attack = "<img src=x onerror=alert(1)>";

const std::string k_config = R"({
  "company": {"name": "Kettle Shop", "support_address": "Support <support@shop.test>", "time_zone": "Europe/Moscow"},
  "owner": {"name": "Olga", "email": "olga@shop.test"},
  "http": {"listen": "127.0.0.1:0", "public_url": "https://help.shop.test/"}
})";

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

class CustomerPages : public redress::testing::InProcessServer {
protected:
    void SetUp() override
    {
        open(k_config);
        if (HasFatalFailure())
            return;
        m_limits.max_bytes = 64 * 1024;  // small files keep the test quick; the rules are the same
        app::add_customer_routes(
            m_server, api::CustomerContext{m_service.get(), m_pipeline.get(), &m_clock, &m_complaints, &m_messages,
                                           m_limits, [this](const std::string& n) { m_changed.push_back(n); }});
        start_server();
    }

    Reply get(const std::string& path, httplib::Headers headers = {})
    {
        httplib::Client client("127.0.0.1", m_server.port());
        return Reply::of(client.Get(path, headers));
    }

    Reply post(const std::string& path, const httplib::MultipartFormDataItems& items, httplib::Headers headers = {})
    {
        httplib::Client client("127.0.0.1", m_server.port());
        return Reply::of(client.Post(path, headers, items));
    }

    static std::string token_in(const std::string& page)
    {
        std::smatch m;
        if (std::regex_search(page, m, std::regex(R"x(name="token" value="([^"]+)")x")))
            return m[1].str();
        return {};
    }

    std::string ingest(const std::string& from, const std::string& subject, const std::string& text)
    {
        return ingest_mail("From: " + from + "\r\nTo: support@shop.test\r\nSubject: " + subject + "\r\nMessage-ID: <m" +
                           std::to_string(m_seq + 1) +
                           "@customer.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n");
    }

    // The path of a ticket's signed status link (what the acknowledgement carries).
    std::string status_path(const std::string& number)
    {
        Ticket t;
        t.number = number;
        std::string url = m_service->status_url(t).value();
        return url.substr(std::string("https://help.shop.test").size());
    }

    // The complaint form as a person fills it in: the page first, then a while later the POST.
    Reply file(httplib::MultipartFormDataItems items, httplib::Headers headers = {}, Seconds typing = Seconds{20})
    {
        Reply form = get("/complain", headers);
        EXPECT_EQ(form.status, 200) << form;
        m_clock.advance(typing);
        items.push_back({"token", token_in(form.body), "", ""});
        return post("/complain", items, headers);
    }

    static httplib::MultipartFormDataItems complaint(const std::string& email = "anna@customer.test")
    {
        return {{"name", "Anna Petrova", "", ""},
                {"email", email, "", ""},
                {"phone", "", "", ""},
                {"details", "The kettle I ordered arrived broken and the lid is cracked. Please replace it.", "", ""},
                {"when", "Yesterday, about 3 pm", "", ""},
                {"reference", "ORDER-77", "", ""},
                {"website", "", "", ""}};
    }

    std::vector<Letter> letters(const std::string& number, const std::string& name)
    {
        std::vector<Letter> out;
        auto all = m_store->letters_of(m_store->ticket(number).value()->id);
        EXPECT_TRUE(all.ok());
        for (auto& l : all.value())
            if (l.template_name == name)
                out.push_back(l);
        return out;
    }

    // SQL on a connection of the test's own to the daemon's database (to make the store fail under a form).
    bool run_sql(const char* sql)
    {
        sqlite3* db = nullptr;
        bool done = sqlite3_open((m_dir / "var" / "redress.db").c_str(), &db) == SQLITE_OK &&
                    sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
        sqlite3_close(db);
        return done;
    }

    std::size_t ticket_total()
    {
        auto all = m_store->list_tickets(store::TicketFilter{});
        EXPECT_TRUE(all.ok());
        return all.ok() ? all->size() : 0;
    }

    void send_due_letters()
    {
        auto due = m_store->claim_due_letters("email", m_clock.now(), Seconds{300}, "t", 100);
        ASSERT_TRUE(due.ok());
        for (const auto& l : due.value())
            ASSERT_TRUE(
                m_store->letter_sent(store::LetterClaim{l.id, "t", m_clock.now() + Seconds{300}}, m_clock.now()));
    }

    auth::SignInLimiter m_complaints{api::complaint_rate_policy()};
    auth::SignInLimiter m_messages{api::message_rate_policy()};
    api::CustomerLimits m_limits;
    std::vector<std::string> m_changed;
};

TEST_F(CustomerPages, TheStatusPageSpeaksTheTicketsLanguage)
{
    std::string ru = ingest("Анна Петрова <anna@customer.test>", "Разбитый чайник",
                            "Здравствуйте! Чайник, который я заказала, пришёл разбитым, крышка треснула. "
                            "Я очень недовольна, это безобразие. Прошу заменить его как можно скорее.");
    std::string en = ingest("John Smith <john@customer.test>", "Broken kettle",
                            "Hello, the kettle I ordered arrived broken and the lid is cracked. Please replace it.");
    ASSERT_EQ(m_store->ticket(ru).value()->language, "ru");
    send_due_letters();

    Reply page = get(status_path(ru));
    ASSERT_EQ(page.status, 200) << page;
    EXPECT_TRUE(page.header("Content-Type").starts_with("text/html"));
    EXPECT_EQ(page.header("Cache-Control"), "no-store");
    EXPECT_TRUE(contains(page.body, "<html lang=\"ru\">"));
    EXPECT_TRUE(contains(page.body, "Жалоба " + ru));
    EXPECT_TRUE(contains(page.body, "Разбитый чайник"));
    EXPECT_TRUE(contains(page.body, "Зарегистрирована <span class=\"mark\">(сейчас)</span>")) << page.body;
    EXPECT_TRUE(contains(page.body, "Сотрудник ответит вам не позднее"));
    EXPECT_TRUE(contains(page.body, "по московскому времени"));
    EXPECT_TRUE(contains(page.body, "Письма, которые мы вам отправили"));
    EXPECT_TRUE(contains(page.body, "[" + ru + "]")) << "the acknowledgement's subject";
    EXPECT_TRUE(contains(page.body, "Прошу заменить его"));

    Reply english = get(status_path(en));
    ASSERT_EQ(english.status, 200);
    EXPECT_TRUE(contains(english.body, "Complaint " + en));
    EXPECT_TRUE(contains(english.body, "Where your complaint stands"));
    EXPECT_TRUE(contains(english.body, "Moscow time"));
    // The switch.
    EXPECT_TRUE(contains(get(status_path(en) + "?lang=uk").body, "Скарга " + en));
}

TEST_F(CustomerPages, AForgedLinkFindsNothingAndSaysNothing)
{
    std::string n = ingest("John Smith <john@customer.test>", "Broken kettle",
                           "Hello, the kettle I ordered arrived broken and the lid is cracked. Please replace it.");
    std::string path = status_path(n);
    std::string signature = path.substr(path.rfind('/') + 1);
    Reply forged = get("/status/" + n + "/AAAA" + signature.substr(4));
    EXPECT_EQ(forged.status, 404);
    Reply other = get("/status/RD-999999/" + signature);
    EXPECT_EQ(other.status, 404);
    EXPECT_EQ(forged.body, other.body);
    EXPECT_FALSE(contains(forged.body, n));
    // A survey link is no status link.
    std::string survey = m_service->survey_url(*m_store->ticket(n).value()).value();
    EXPECT_EQ(get("/status/" + n + survey.substr(survey.rfind('/'))).status, 404);
    EXPECT_EQ(post("/status/" + n + "/AAAA" + signature.substr(4), {{"message", "hi", "", ""}}).status, 404);
    EXPECT_EQ(get("/status/" + n).status, 404);
}

TEST_F(CustomerPages, ALinkOfATicketClosedLongAgoSaysItExpiredAndTakesNothing)
{
    std::string n = ingest("John Smith <john@customer.test>", "Broken kettle",
                           "Hello, the kettle I ordered arrived broken and the lid is cracked. Please replace it.");
    std::string status = status_path(n);
    std::string survey = m_service->survey_url(*m_store->ticket(n).value()).value();
    survey = survey.substr(std::string("https://help.shop.test").size());
    Reply form = get(status);
    ASSERT_EQ(form.status, 200) << form;
    // Worked to its end: a verdict, an action for the customer done, resolved, signed off.
    auto step = [&](tickets::StepKind kind, Role role, const std::function<void(tickets::Step&)>& fill) {
        service::StepCommand c;
        c.step.kind = kind;
        c.step.actor = Actor{role == Role::manager ? "boss" : "alice", role};
        fill(c.step);
        auto done = m_service->apply(n, c);
        ASSERT_TRUE(done.ok()) << done.error().message;
    };
    using K = tickets::StepKind;
    step(K::take, Role::agent, [](auto&) {});
    step(K::verdict, Role::agent, [](auto& s) {
        s.verdict = "unjustified";
        s.reason = "The kettle was damaged after delivery.";
    });
    step(K::add_action, Role::agent, [&](auto& s) {
        s.target = "customer";
        s.text = "Offer a repair";
        s.responsible = "alice";
        s.due = m_clock.now() + Seconds{86400};
    });
    step(K::update_action, Role::agent, [&](auto& s) {
        s.action_id = m_store->actions_of(m_store->ticket(n).value()->id).value().at(0).id;
        s.action_state = "done";
    });
    step(K::resolve, Role::agent, [](auto& s) { s.summary = "Explained"; });
    step(K::signoff, Role::manager, [](auto& s) { s.code = "EXPLAINED"; });
    m_clock.advance(Seconds{91 * 86400});
    std::size_t messages = m_store->messages_of(m_store->ticket(n).value()->id).value().size();

    Reply expired = get(status + "?lang=de");
    EXPECT_EQ(expired.status, 410) << expired;
    EXPECT_TRUE(contains(expired.body, "Dieser Link ist abgelaufen")) << expired.body;
    EXPECT_FALSE(contains(expired.body, "Broken kettle"));
    EXPECT_EQ(post(status, {{"token", token_in(form.body), "", ""}, {"message", "Still broken", "", ""}}).status, 410);
    EXPECT_EQ(m_store->messages_of(m_store->ticket(n).value()->id).value().size(), messages) << "nothing taken";
    EXPECT_EQ(get(survey).status, 410);
    EXPECT_EQ(post(survey, {{"score", "1", "", ""}}).status, 410);
    EXPECT_TRUE(m_store->ratings_of(m_store->ticket(n).value()->id).value().empty());
    // A link we never made stays a plain 404, expired ticket or not.
    EXPECT_EQ(get(status.substr(0, status.rfind('/') + 1) + "forged").status, 404);
}

TEST_F(CustomerPages, AMessageAddedOnTheStatusPageLandsOnTheTicket)
{
    std::string n = ingest("John Smith <john@customer.test>", "Broken kettle",
                           "Hello, the kettle I ordered arrived broken and the lid is cracked. Please replace it.");
    std::string path = status_path(n);
    Reply page = get(path);
    std::string token = token_in(page.body);
    ASSERT_FALSE(token.empty()) << page.body;

    Reply added =
        post(path, {{"token", token, "", ""}, {"message", "The order number is ORDER-77. " + k_attack, "", ""}});
    ASSERT_EQ(added.status, 200) << added;
    EXPECT_TRUE(contains(added.body, "your message has been added"));
    EXPECT_TRUE(contains(added.body, "The order number is ORDER-77. &lt;img src=x onerror=alert(1)&gt;"));
    EXPECT_FALSE(contains(added.body, k_attack));
    auto messages = m_store->messages_of(m_store->ticket(n).value()->id).value();
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[1].channel, "web");
    EXPECT_EQ(messages[1].text, "The order number is ORDER-77. " + k_attack);
    EXPECT_EQ(m_changed, std::vector<std::string>{n});
    // The same form sent again adds nothing.
    EXPECT_EQ(
        post(path, {{"token", token, "", ""}, {"message", "The order number is ORDER-77. " + k_attack, "", ""}}).status,
        200);
    EXPECT_EQ(m_store->messages_of(m_store->ticket(n).value()->id).value().size(), 2u);

    // Refusals, each with the page again.
    Reply empty = post(path, {{"token", token_in(get(path).body), "", ""}, {"message", "   ", "", ""}});
    EXPECT_EQ(empty.status, 422);
    EXPECT_TRUE(contains(empty.body, "Please write your message first."));
    Reply long_one =
        post(path, {{"token", token_in(get(path).body), "", ""}, {"message", std::string(5001, 'x'), "", ""}});
    EXPECT_EQ(long_one.status, 422);
    EXPECT_TRUE(contains(long_one.body, "under 5000 characters"));
    Reply no_token = post(path, {{"message", "Hello", "", ""}});
    EXPECT_EQ(no_token.status, 422);
    EXPECT_TRUE(contains(no_token.body, ">Hello</textarea>")) << "given back";
    std::string other = ingest("Eve <eve@customer.test>", "Another",
                               "Hello, my order never came although you promised it for Monday. Where is it?");
    Reply foreign = post(path, {{"token", token_in(get(status_path(other)).body), "", ""}, {"message", "Hi", "", ""}});
    EXPECT_EQ(foreign.status, 422) << "a token of another ticket's page";
    Reply cross = post(path, {{"token", token_in(get(path).body), "", ""}, {"message", "Hi", "", ""}},
                       {{"Sec-Fetch-Site", "cross-site"}});
    EXPECT_EQ(cross.status, 403);
    // A day later the page's form is stale.
    std::string old_token = token_in(get(path).body);
    m_clock.advance(Seconds{25 * 3600});
    EXPECT_EQ(post(path, {{"token", old_token, "", ""}, {"message", "Hi", "", ""}}).status, 422);
    EXPECT_EQ(m_store->messages_of(m_store->ticket(n).value()->id).value().size(), 2u);
}

TEST_F(CustomerPages, TheFormFilesAWebTicketAndShowsItsNumberAndLink)
{
    auto items = complaint();
    items.push_back({"files", "JPEG bytes", "photo.jpg", "image/jpeg"});
    Reply filed = file(items);
    ASSERT_EQ(filed.status, 201) << filed;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(filed.body, m, std::regex(R"(under the number (RD-\d+))"))) << filed.body;
    std::string n = m[1].str();
    EXPECT_TRUE(contains(filed.body, "href=\"https://help.shop.test" + status_path(n) + "\"")) << filed.body;
    EXPECT_TRUE(contains(filed.body, "confirmation to anna@customer.test"));

    Ticket t = *m_store->ticket(n).value();
    EXPECT_EQ(t.channel, "web");
    EXPECT_EQ(t.customer.email, "anna@customer.test");
    EXPECT_EQ(t.customer.name, "Anna Petrova");
    auto acks = letters(n, "acknowledgement");
    ASSERT_EQ(acks.size(), 1u);
    EXPECT_TRUE(contains(letters::testing::decoded_body(letters::testing::read_message(acks[0].content)),
                         "https://help.shop.test" + status_path(n)));
    auto messages = m_store->messages_of(t.id).value();
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_TRUE(contains(messages[0].raw, "filename=\"photo.jpg\""));
    EXPECT_TRUE(contains(messages[0].text, "Order or reference number: ORDER-77"));
    EXPECT_EQ(m_changed, std::vector<std::string>{n});
}

TEST_F(CustomerPages, TheFormSpeaksTheVisitorsLanguage)
{
    Reply ru = get("/complain", {{"Accept-Language", "ru-RU,ru;q=0.9,en;q=0.5"}});
    ASSERT_EQ(ru.status, 200);
    EXPECT_TRUE(contains(ru.body, "<html lang=\"ru\">"));
    EXPECT_TRUE(contains(ru.body, "Подать жалобу"));
    Reply de = get("/complain?lang=de", {{"Accept-Language", "ru"}});
    EXPECT_TRUE(contains(de.body, "Beschwerde einreichen"));
    // The refusal comes back in the language the form was in.
    auto items = complaint("");
    items.push_back({"lang", "es", "", ""});
    Reply refused = file(items);
    EXPECT_EQ(refused.status, 422);
    EXPECT_TRUE(contains(refused.body, "Indique un correo electrónico o un teléfono")) << refused.body;
}

TEST_F(CustomerPages, TheFormRefusesRobotsAndExplainsItselfToPeople)
{
    // Too fast: a person cannot fill it in within a second.
    Reply fast = file(complaint(), {}, Seconds{1});
    EXPECT_EQ(fast.status, 422);
    EXPECT_TRUE(contains(fast.body, "sent very quickly"));
    EXPECT_TRUE(contains(fast.body, "arrived broken and the lid is cracked")) << "filled in again";
    EXPECT_TRUE(contains(fast.body, "value=\"ORDER-77\""));
    EXPECT_FALSE(token_in(fast.body).empty());

    // The honeypot.
    auto robot = complaint();
    robot.erase(robot.end() - 1);
    robot.push_back({"website", "http://spam.example", "", ""});
    Reply caught = file(robot);
    EXPECT_EQ(caught.status, 422);
    EXPECT_TRUE(contains(caught.body, "a field that must stay empty was filled in"));

    // No token, an old one.
    auto no_token = post("/complain", complaint());
    EXPECT_EQ(no_token.status, 422);
    EXPECT_TRUE(contains(no_token.body, "The form was open for too long"));
    Reply stale = file(complaint(), {}, Seconds{25 * 3600});
    EXPECT_EQ(stale.status, 422);

    // Another site.
    Reply cross = file(complaint(), {{"Sec-Fetch-Site", "cross-site"}});
    EXPECT_EQ(cross.status, 403);
    EXPECT_EQ(m_store->ticket("RD-000001").value(), std::nullopt) << "nothing was filed";
}

TEST_F(CustomerPages, TheFormNeedsAContactAndSomethingThatHappened)
{
    Reply no_contact = file(complaint(""));
    EXPECT_EQ(no_contact.status, 422);
    EXPECT_TRUE(contains(no_contact.body, "Please give an email address or a phone number"));
    EXPECT_TRUE(contains(no_contact.body, "value=\"Anna Petrova\""));

    auto bad_email = complaint("anna at customer");
    Reply bad = file(bad_email);
    EXPECT_EQ(bad.status, 422);
    EXPECT_TRUE(contains(bad.body, "Please check the email address"));

    auto nothing = complaint();
    nothing[3] = {"details", "  ", "", ""};
    EXPECT_TRUE(contains(file(nothing).body, "Please tell us what happened."));

    // A phone alone will do.
    auto by_phone = complaint("");
    by_phone[2] = {"phone", "+7 900 000-00-00", "", ""};
    Reply phoned = file(by_phone);
    EXPECT_EQ(phoned.status, 201) << phoned;
    EXPECT_TRUE(contains(phoned.body, "We will contact you at +7 900 000-00-00."));
}

TEST_F(CustomerPages, TheFormTakesAFewFilesOfALimitedSize)
{
    auto six = complaint();
    for (int i = 0; i < 6; ++i)
        six.push_back({"files", "x", "f" + std::to_string(i) + ".txt", "text/plain"});
    Reply many = file(six);
    EXPECT_EQ(many.status, 413);
    EXPECT_TRUE(contains(many.body, "Please attach at most 5 files.")) << many.body;
    EXPECT_TRUE(contains(many.body, "please choose them again"));
    EXPECT_TRUE(contains(many.body, "arrived broken"));

    auto heavy = complaint();
    heavy.push_back({"files", std::string(40 * 1024, 'a'), "a.bin", "application/octet-stream"});
    heavy.push_back({"files", std::string(40 * 1024, 'b'), "b.bin", "application/octet-stream"});
    Reply large = file(heavy);
    EXPECT_EQ(large.status, 413);
    EXPECT_TRUE(contains(large.body, "The files are too large")) << large.body;

    // Far over what the form takes at all: refused before it is read, with the same words.
    auto huge = complaint();
    huge.push_back({"files", std::string(api::complaint_body_limit(m_limits) + 1000, 'c'), "c.bin", "x/y"});
    Reply refused = file(huge, {{"Accept-Language", "de"}});
    EXPECT_EQ(refused.status, 413);
    EXPECT_TRUE(contains(refused.body, "Die Dateien sind zu groß")) << refused.body;
    EXPECT_EQ(m_store->ticket("RD-000001").value(), std::nullopt);

    auto five = complaint();
    for (int i = 0; i < 5; ++i)
        five.push_back({"files", std::string(1000, 'z'), "f" + std::to_string(i) + ".txt", "text/plain"});
    EXPECT_EQ(file(five).status, 201);
}

TEST_F(CustomerPages, AMessageTheStoreCannotTakeComesBackInTheFormToSendAgain)
{
    std::string n = ingest("John Smith <john@customer.test>", "Broken kettle",
                           "Hello, the kettle I ordered arrived broken and the lid is cracked. Please replace it.");
    std::string path = status_path(n);
    std::string token = token_in(get(path).body);
    ASSERT_FALSE(token.empty());
    // The store fails under the form: its messages table is out of reach while the message is sent.
    ASSERT_TRUE(run_sql("ALTER TABLE messages RENAME TO messages_away"));
    Reply refused = post(path, {{"token", token, "", ""}, {"message", "The order number is ORDER-77.", "", ""}});
    ASSERT_TRUE(run_sql("ALTER TABLE messages_away RENAME TO messages"));

    // Not lost: the text in the form, with the token it was sent with, and a word to send it again.
    EXPECT_EQ(refused.status, 503) << refused;
    EXPECT_EQ(refused.header("Retry-After"), "60");
    EXPECT_TRUE(contains(refused.body, "Please try again in a few minutes.")) << refused.body;
    EXPECT_TRUE(contains(refused.body, ">The order number is ORDER-77.</textarea>")) << refused.body;
    EXPECT_EQ(token_in(refused.body), token);
    EXPECT_EQ(m_store->messages_of(m_store->ticket(n).value()->id).value().size(), 1u);

    // Sent again from that page: added once, however often it is sent.
    Reply added =
        post(path, {{"token", token_in(refused.body), "", ""}, {"message", "The order number is ORDER-77.", "", ""}});
    EXPECT_EQ(added.status, 200) << added;
    EXPECT_EQ(post(path, {{"token", token, "", ""}, {"message", "The order number is ORDER-77.", "", ""}}).status, 200);
    auto messages = m_store->messages_of(m_store->ticket(n).value()->id).value();
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[1].text, "The order number is ORDER-77.");
}

TEST_F(CustomerPages, AComplaintTheStoreCannotTakeComesBackFilledInToSendAgain)
{
    // The store fails under the form: its messages table is out of reach (renamed) while the form is sent.
    Reply form = get("/complain");
    ASSERT_EQ(form.status, 200) << form;
    std::string token = token_in(form.body);
    m_clock.advance(Seconds{20});
    ASSERT_TRUE(run_sql("ALTER TABLE messages RENAME TO messages_away"));
    auto items = complaint();
    items.push_back({"token", token, "", ""});
    Reply refused = post("/complain", items);
    ASSERT_TRUE(run_sql("ALTER TABLE messages_away RENAME TO messages"));

    // Not lost: the form again with everything typed in it, saying to send it again in a while.
    EXPECT_EQ(refused.status, 503) << refused;
    EXPECT_EQ(refused.header("Retry-After"), "60");
    EXPECT_TRUE(contains(refused.body, "Please try again in a few minutes.")) << refused.body;
    EXPECT_TRUE(contains(refused.body, "The kettle I ordered arrived broken and the lid is cracked.")) << refused.body;
    EXPECT_TRUE(contains(refused.body, "value=\"ORDER-77\"")) << refused.body;
    EXPECT_TRUE(contains(refused.body, "value=\"anna@customer.test\"")) << refused.body;
    // With the token it was sent with: sent again, it files one complaint, however the first try ended.
    EXPECT_EQ(token_in(refused.body), token);
    EXPECT_EQ(ticket_total(), 0u);

    auto again = complaint();
    again.push_back({"token", token_in(refused.body), "", ""});
    Reply filed = post("/complain", again);
    EXPECT_EQ(filed.status, 201) << filed;
    EXPECT_EQ(post("/complain", again).status, 200) << "the same form twice is one complaint";
    EXPECT_EQ(ticket_total(), 1u);
}

TEST_F(CustomerPages, OneAddressMayFileOnlySoManyComplaintsAnHour)
{
    httplib::Headers proxy{{"X-Forwarded-For", "203.0.113.7"}};
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(file(complaint("anna" + std::to_string(i) + "@customer.test"), proxy).status, 201) << i;
    Reply limited = file(complaint("anna9@customer.test"), proxy);
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.header("Retry-After"), "3600");
    EXPECT_TRUE(contains(limited.body, "write to support@shop.test"));
    EXPECT_TRUE(contains(limited.body, "anna9@customer.test")) << "filled in again";
    // Another address is not held back; an hour later neither is this one.
    EXPECT_EQ(file(complaint("bob@customer.test"), {{"X-Forwarded-For", "198.51.100.4"}}).status, 201);
    m_clock.advance(Seconds{3601});
    EXPECT_EQ(file(complaint("anna9@customer.test"), proxy).status, 201);
}

TEST_F(CustomerPages, WhatAVisitorTypesStaysText)
{
    auto items = complaint();
    items[0] = {"name", k_attack, "", ""};
    items[3] = {"details", "It broke. " + k_attack + " Please replace the kettle, it arrived with a cracked lid.", "",
                ""};
    Reply filed = file(items);
    ASSERT_EQ(filed.status, 201) << filed;
    EXPECT_FALSE(contains(filed.body, k_attack));
    std::smatch m;
    ASSERT_TRUE(std::regex_search(filed.body, m, std::regex(R"(under the number (RD-\d+))")));
    Reply page = get(status_path(m[1].str()));
    ASSERT_EQ(page.status, 200);
    EXPECT_FALSE(contains(page.body, k_attack)) << page.body;
    EXPECT_TRUE(contains(page.body, "It broke. &lt;img src=x onerror=alert(1)&gt;"));

    // A subject by mail, too.
    std::string n = ingest("Eve <eve@customer.test>", k_attack,
                           "Hello, my kettle arrived broken and nobody answers. Please replace it.");
    Reply mail = get(status_path(n));
    EXPECT_FALSE(contains(mail.body, k_attack));
    EXPECT_TRUE(contains(mail.body, "<dd>&lt;img src=x onerror=alert(1)&gt;</dd>"));
}

TEST_F(CustomerPages, TheSurveyRecordsTheScoreFromItsForm)
{
    std::string n = ingest("Анна Петрова <anna@customer.test>", "Разбитый чайник",
                           "Здравствуйте! Чайник, который я заказала, пришёл разбитым, крышка треснула. "
                           "Я очень недовольна, это безобразие. Прошу заменить его как можно скорее.");
    std::string url = m_service->survey_url(*m_store->ticket(n).value()).value();
    std::string path = url.substr(std::string("https://help.shop.test").size());
    Reply form = get(path);
    ASSERT_EQ(form.status, 200) << form;
    EXPECT_TRUE(
        contains(form.body, "Как мы справились с вашей жалобой <span class=\"ticket-number\">" + n + "</span>?"))
        << "the number is one word, never broken at its hyphen";
    EXPECT_TRUE(contains(form.body, "type=\"radio\""));
    EXPECT_TRUE(m_store->ratings_of(m_store->ticket(n).value()->id).value().empty()) << "a visit never rates";

    // The form carries a signed, time-stamped token like the other customer forms: without it, or
    // with another ticket's, nothing is recorded and the page says why in the customer's language.
    Reply no_token = post(path, {{"score", "4", "", ""}, {"comment", "Хорошо", "", ""}});
    EXPECT_EQ(no_token.status, 422);
    EXPECT_TRUE(contains(no_token.body, "Страница была открыта слишком долго")) << no_token.body;
    EXPECT_TRUE(contains(no_token.body, ">Хорошо</textarea>")) << "given back";
    EXPECT_TRUE(contains(no_token.body, "value=\"4\" required checked")) << "given back";
    EXPECT_FALSE(token_in(no_token.body).empty()) << "a fresh token to send it again";
    std::string other = ingest("Boris <boris@customer.test>", "Broken lid",
                               "Hello, the kettle lid arrived cracked. I want a replacement please.");
    std::string other_url = m_service->survey_url(*m_store->ticket(other).value()).value();
    Reply other_form = get(other_url.substr(std::string("https://help.shop.test").size()));
    Reply foreign = post(path, {{"token", token_in(other_form.body), "", ""}, {"score", "4", "", ""}});
    EXPECT_EQ(foreign.status, 422) << "a token of another ticket's survey";
    EXPECT_TRUE(m_store->ratings_of(m_store->ticket(n).value()->id).value().empty());

    Reply no_score = post(path, {{"token", token_in(form.body), "", ""}, {"comment", "Хорошо", "", ""}});
    EXPECT_EQ(no_score.status, 422);
    EXPECT_TRUE(contains(no_score.body, "выберите оценку от 1 до 5"));
    std::string token = token_in(no_score.body);
    Reply rated = post(
        path, {{"token", token, "", ""}, {"score", "4", "", ""}, {"comment", "Быстро, спасибо " + k_attack, "", ""}});
    ASSERT_EQ(rated.status, 200) << rated;
    // The same form sent again (a double click, a reload that posts again) thanks again and records
    // nothing more.
    Reply again = post(
        path, {{"token", token, "", ""}, {"score", "4", "", ""}, {"comment", "Быстро, спасибо " + k_attack, "", ""}});
    EXPECT_EQ(again.status, 200) << again;
    EXPECT_TRUE(contains(again.body, "Ваш ответ по жалобе " + n + " записан."));
    EXPECT_TRUE(contains(rated.body, "Ваш ответ по жалобе " + n + " записан."));
    auto ratings = m_store->ratings_of(m_store->ticket(n).value()->id).value();
    ASSERT_EQ(ratings.size(), 1u);
    EXPECT_EQ(ratings[0].score, 4);
    EXPECT_EQ(ratings[0].source, "link");
    EXPECT_EQ(ratings[0].comment, "Быстро, спасибо " + k_attack);
    EXPECT_EQ(get(path.substr(0, path.rfind('/') + 1) + "forged").status, 404);
}

TEST_F(CustomerPages, ThePagesLoadTheirFilesFromTheDaemon)
{
    Reply css = get("/customer/customer.css");
    ASSERT_EQ(css.status, 200);
    EXPECT_TRUE(css.header("Content-Type").starts_with("text/css"));
    Reply js = get("/customer/complain.js");
    ASSERT_EQ(js.status, 200);
    EXPECT_TRUE(js.header("Content-Type").starts_with("text/javascript"));
    EXPECT_EQ(get("/customer/redress.db").status, 404);
    // And every answer carries the headers.
    for (std::string path : {"/complain", "/customer/customer.css", "/status/RD-1/x", "/nothing"}) {
        Reply r = get(path);
        EXPECT_TRUE(r.header("Content-Security-Policy").starts_with("default-src 'self'; script-src 'self'")) << path;
        EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff") << path;
        EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer") << path;
    }
}

}  // namespace
