// What `tickets show`, `tickets list` and `letters show` print, from values and a fixed `now`.

#include "app/ticket_view.hpp"
#include "letters/email_composer.hpp"

#include <gtest/gtest.h>

namespace redress::app {
namespace {

TimePoint at(const char* iso)
{
    return parse_iso8601(iso).value();
}

ViewOptions moscow_at(const char* now)
{
    ViewOptions options;
    options.time_zone = "Europe/Moscow";
    options.now = at(now);
    return options;
}

Ticket open_ticket()
{
    Ticket t;
    t.id = 1;
    t.number = "RD-000001";
    t.status = TicketStatus::investigating;
    t.kind = Kind::complaint;
    t.language = "ru";
    t.subject = "Чайник";
    t.customer = {"Анна", "anna@customer.test", "", ""};
    t.channel = "email";
    t.source = "support";
    t.received_at = at("2026-11-26T09:00:00Z");
    t.first_response_due = at("2026-11-26T13:00:00Z");
    t.resolution_due = at("2026-11-30T09:00:00Z");
    return t;
}

}  // namespace

TEST(TicketView, TheNearestDeadlineIsTheFirstResponseUntilSomeoneAnswers)
{
    Ticket t = open_ticket();
    auto d = nearest_deadline(t, at("2026-11-26T14:00:00Z"));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->name, "first response");
    EXPECT_TRUE(d->overdue);

    t.first_responded_at = at("2026-11-26T12:00:00Z");
    d = nearest_deadline(t, at("2026-11-26T14:00:00Z"));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->name, "resolution");
    EXPECT_FALSE(d->overdue);

    t.status = TicketStatus::resolved;
    EXPECT_FALSE(nearest_deadline(t, at("2026-12-26T14:00:00Z")));
}

TEST(TicketView, ShowsTheMessagesTextIndentedAndCutsLongOnesWithANote)
{
    TicketRecord record;
    record.ticket = open_ticket();
    StoredMessage m;
    m.id = 7;
    m.from_address = "anna@customer.test";
    m.subject = "Чайник";
    m.text = "Первая строка.\nВторая строка.\n" + std::string(3000, 'x');
    m.received_at = record.ticket.received_at;
    m.channel = "email";
    record.messages.push_back(m);
    std::string text = ticket_text(record, moscow_at("2026-11-26T10:00:00Z"));
    EXPECT_NE(text.find("    | Первая строка.\n    | Вторая строка.\n"), std::string::npos) << text;
    EXPECT_NE(text.find("more bytes not shown"), std::string::npos) << text;
    EXPECT_EQ(text.find(std::string(2500, 'x')), std::string::npos);
}

TEST(TicketView, MarksPassedDeadlinesOverdueInTheCompanysZone)
{
    TicketRecord record;
    record.ticket = open_ticket();
    record.ticket.assignee = "Ivan Petrov <ivan@shop.test>";
    record.ticket.department = "Delivery";
    record.ticket.category = "Courier";
    record.ticket.verdict = "justified";
    std::string text = ticket_text(record, moscow_at("2026-11-26T14:00:00Z"));
    EXPECT_NE(text.find("First response due: 2026-11-26 16:00 UTC+3  OVERDUE"), std::string::npos) << text;
    EXPECT_NE(text.find("Resolution due:     2026-11-30 12:00 UTC+3\n"), std::string::npos) << text;
    EXPECT_NE(text.find("Received:    2026-11-26 12:00 UTC+3"), std::string::npos) << text;
    EXPECT_NE(text.find("Assignee:    Ivan Petrov <ivan@shop.test>"), std::string::npos) << text;
    EXPECT_NE(text.find("Department:  Delivery / Courier"), std::string::npos) << text;
    EXPECT_NE(text.find("Verdict:     justified"), std::string::npos) << text;
    EXPECT_NE(text.find("investigating (being looked into)"), std::string::npos) << text;

    // Answered in time: the first response is met, not overdue.
    record.ticket.first_responded_at = at("2026-11-26T12:00:00Z");
    text = ticket_text(record, moscow_at("2026-11-26T14:00:00Z"));
    EXPECT_NE(text.find("First response due: 2026-11-26 16:00 UTC+3  (met 2026-11-26 15:00 UTC+3)"), std::string::npos)
        << text;
    EXPECT_EQ(text.find("OVERDUE"), std::string::npos) << text;
}

TEST(TicketView, PrintsActionsNotesAndRatingsWhenThereAreAny)
{
    TicketRecord record;
    record.ticket = open_ticket();
    EXPECT_EQ(ticket_text(record, moscow_at("2026-11-26T10:00:00Z")).find("Corrective actions"), std::string::npos);

    CorrectiveAction a;
    a.id = 3;
    a.target = ActionFor::process;
    a.text = "Pack kettles in double boxes";
    a.responsible = "Ivan";
    a.due = at("2026-11-27T09:00:00Z");
    record.actions.push_back(a);
    record.notes.push_back(Note{1, 1, "olga", at("2026-11-26T10:00:00Z"), "Called the courier."});
    record.ratings.push_back(Rating{1, 1, 4, "Thanks", "reply", at("2026-11-29T10:00:00Z"), ""});
    std::string text = ticket_text(record, moscow_at("2026-11-28T10:00:00Z"));
    EXPECT_NE(text.find("#3  for the process: Pack kettles in double boxes"), std::string::npos) << text;
    EXPECT_NE(text.find("open  OVERDUE"), std::string::npos) << text;
    EXPECT_NE(text.find("olga:\n    | Called the courier."), std::string::npos) << text;
    EXPECT_NE(text.find("4 of 5"), std::string::npos) << text;
}

TEST(TicketView, TheListShowsTheAssigneeAndTheNearestDeadline)
{
    Ticket t = open_ticket();
    t.assignee = "Ivan Petrov <ivan@shop.test>";
    std::string table = ticket_table({t}, moscow_at("2026-11-26T14:00:00Z"));
    EXPECT_NE(table.find("ASSIGNEE"), std::string::npos) << table;
    EXPECT_NE(table.find("Ivan Petrov"), std::string::npos) << table;
    EXPECT_EQ(table.find("ivan@shop.test"), std::string::npos) << "the name is enough: " << table;
    EXPECT_NE(table.find("2026-11-26 16:00 UTC+3 OVERDUE"), std::string::npos) << table;
}

TEST(TicketView, ALetterIsShownDecodedWithItsDeliveryState)
{
    letters::EmailDraft draft;
    draft.from = Mailbox{"Shop Support", "support@shop.test"};
    draft.to = Mailbox{"Анна", "anna@customer.test"};
    draft.subject = "[RD-000001] Мы получили ваше обращение";
    draft.body = "Здравствуйте, Анна!\n\nСпасибо, что написали нам.\n";
    draft.message_id = "rd-000001.acknowledgement.redress.1@shop.test";
    draft.date = at("2026-11-26T09:00:00Z");
    draft.language = "ru";
    Letter l;
    l.id = 12;
    l.template_name = "acknowledgement";
    l.recipient = "anna@customer.test";
    l.subject = draft.subject;
    l.message_id = draft.message_id;
    l.content = letters::compose_email(draft);
    l.status = LetterStatus::failed;
    l.attempts = 3;
    l.last_error = "550 no such user";
    l.created_at = draft.date;

    auto readable = mime::read_letter(l.content);
    std::string text = letter_text(l, &readable, moscow_at("2026-11-26T10:00:00Z"));
    EXPECT_NE(text.find("Subject:   [RD-000001] Мы получили ваше обращение"), std::string::npos) << text;
    EXPECT_NE(text.find("To:        Анна <anna@customer.test>"), std::string::npos) << text;
    EXPECT_NE(text.find("Здравствуйте, Анна!\n\nСпасибо, что написали нам.\n"), std::string::npos) << text;
    EXPECT_NE(text.find("failed, 3 attempts"), std::string::npos) << text;
    EXPECT_NE(text.find("Last error: 550 no such user"), std::string::npos) << text;
    EXPECT_EQ(text.find("=?"), std::string::npos) << text;

    auto j = letter_json(l, &readable);
    EXPECT_EQ(j["id"], 12);
    EXPECT_EQ(j["status"], "failed");
    EXPECT_EQ(j["subject"], "[RD-000001] Мы получили ваше обращение");
    EXPECT_NE(j["body"].get<std::string>().find("Спасибо"), std::string::npos);
    EXPECT_TRUE(j["headers"].is_array());
    EXPECT_TRUE(j["sent_at"].is_null());
}

TEST(TicketView, AChatLetterIsItsText)
{
    Letter l;
    l.id = 5;
    l.channel = "chat:tg";
    l.template_name = "escalation";
    l.recipient = "4242";
    l.subject = "[RD-000001] Deadline missed";
    l.content = "[RD-000001] Deadline missed\n\nHello Olga,";
    l.status = LetterStatus::sent;
    l.sent_at = at("2026-11-26T10:00:00Z");
    std::string text = letter_text(l, nullptr, moscow_at("2026-11-26T11:00:00Z"));
    EXPECT_NE(text.find("by chat:tg"), std::string::npos) << text;
    EXPECT_NE(text.find("sent 2026-11-26 13:00 UTC+3"), std::string::npos) << text;
    EXPECT_NE(text.find("Hello Olga,"), std::string::npos) << text;
    EXPECT_EQ(letter_json(l, nullptr)["body"], l.content);
}

}  // namespace redress::app
