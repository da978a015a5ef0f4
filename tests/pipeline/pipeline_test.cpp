// The pipeline end to end on real parts: the MIME parser, the shipped classifier rules and model,
// the shipped templates, a real SQLite file and the quarantine folder.

#include "connectors/quarantine_folder/quarantine_folder.hpp"
#include "mime/letter_reader.hpp"
#include "pipeline/chat_customer.hpp"
#include "pipeline/deadlines.hpp"
#include "pipeline/letter_writer.hpp"
#include "pipeline/loop_guard.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "service/ticket_service.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

using namespace redress;
using namespace redress::pipeline;
namespace fs = std::filesystem;

namespace {

const TimePoint k_now = parse_iso8601("2026-11-26T09:00:00Z").value();

class PipelineTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("redress-pipeline-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        load(R"({"company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>"},
                 "owner": {"name": "Olga", "email": "olga@shop.test"}})");
    }
    void TearDown() override
    {
        m_pipeline.reset();
        m_store.reset();
        m_quarantine.reset();
        fs::remove_all(m_dir);
    }

    void load(const std::string& config_json)
    {
        auto file = m_dir / "redress.json";
        std::ofstream(file) << config_json;
        auto load = load_runtime(file, REDRESS_SOURCE_DIR, m_dir / "var");
        std::string problems;
        for (auto& p : load.problems)
            problems += p + "\n";
        ASSERT_TRUE(load.runtime) << problems;
        m_runtime = load.runtime;
        fs::create_directories(m_dir / "var");
        if (!m_store) {
            auto store = store::SqliteStore::open(m_dir / "var" / "redress.db");
            ASSERT_TRUE(store.ok()) << store.error().message;
            m_store = std::move(store).value();
            m_quarantine = std::make_unique<connectors::QuarantineFolder>(m_dir / "var" / "quarantine");
            m_pipeline = std::make_unique<Pipeline>(*m_store, *m_quarantine, m_runtime);
        } else {
            m_pipeline->set_runtime(m_runtime);
        }
    }

    IngestOutcome ingest(const std::string& bytes, const std::string& key, TimePoint now = k_now)
    {
        RawMessage raw;
        raw.channel = "email";
        raw.source = "support";
        raw.source_key = key;
        raw.bytes = bytes;
        raw.received_at = now;
        auto outcome = m_pipeline->ingest(raw, now);
        EXPECT_TRUE(outcome.ok()) << (outcome.ok() ? "" : outcome.error().message);
        return outcome.ok() ? *outcome : IngestOutcome{};
    }

    // What a person records through the service (the CLI's `tickets event` and `tickets assign`).
    Result<Ticket> staff_step(const std::string& number, tickets::StepKind kind, const std::string& note, TimePoint now,
                              const std::string& assignee = {})
    {
        ManualTimeSource clock(now);
        service::TicketService tickets(*m_store, *m_pipeline, clock);
        service::StepCommand c;
        c.step.kind = kind;
        c.step.actor = Actor{"olga", Role::owner};
        c.step.note = note;
        c.step.assignee = assignee;
        auto r = tickets.apply(number, c);
        if (!r)
            return r.error();
        return r->ticket;
    }

    std::vector<Letter> letters_of(const std::string& number)
    {
        auto t = m_store->ticket(number).value();
        return t ? m_store->letters_of(t->id).value() : std::vector<Letter>{};
    }

    fs::path m_dir;
    std::shared_ptr<const Runtime> m_runtime;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<connectors::QuarantineFolder> m_quarantine;
    std::unique_ptr<Pipeline> m_pipeline;
};

const std::string k_complaint =
    "From: Anna Petrova <anna@customer.test>\r\n"
    "To: support@shop.test\r\n"
    "Subject: My order arrived broken\r\n"
    "Message-ID: <c1@customer.test>\r\n"
    "Date: Thu, 26 Nov 2026 08:55:00 +0000\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Hello, the kettle I ordered arrived broken and nobody answers the phone. This is unacceptable,\r\n"
    "I am very disappointed with your service. Please replace it.\r\n";

const std::string k_russian_major =
    "From: =?UTF-8?B?0JjQstCw0L0=?= <ivan@customer.test>\r\n"
    "To: support@shop.test\r\n"
    "Subject: =?UTF-8?B?0J/RgNC10YLQtdC90LfQuNGP?=\r\n"
    "Message-ID: <r1@customer.test>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "\xD0\x97\xD0\xB4\xD1\x80\xD0\xB0\xD0\xB2\xD1\x81\xD1\x82\xD0\xB2\xD1\x83\xD0\xB9\xD1\x82\xD0\xB5. "
    "\xD0\x9C\xD0\xBD\xD0\xB5 \xD0\xBF\xD1\x80\xD0\xB8\xD1\x81\xD0\xBB\xD0\xB0\xD0\xBB\xD0\xB8 "
    "\xD0\xB8\xD1\x81\xD0\xBF\xD0\xBE\xD1\x80\xD1\x87\xD0\xB5\xD0\xBD\xD0\xBD\xD1\x8B\xD0\xB9 "
    "\xD1\x82\xD0\xBE\xD0\xB2\xD0\xB0\xD1\x80, \xD0\xB4\xD0\xB5\xD0\xBD\xD1\x8C\xD0\xB3\xD0\xB8 "
    "\xD0\xBD\xD0\xB5 \xD0\xB2\xD0\xB5\xD1\x80\xD0\xBD\xD1\x83\xD0\xBB\xD0\xB8. \xD0\xAF "
    "\xD0\xBE\xD0\xB1\xD1\x80\xD0\xB0\xD1\x89\xD1\x83\xD1\x81\xD1\x8C \xD0\xB2 \xD1\x81\xD1\x83\xD0\xB4 "
    "\xD0\xB8 \xD0\xB2 \xD0\xA0\xD0\xBE\xD1\x81\xD0\xBF\xD0\xBE\xD1\x82\xD1\x80\xD0\xB5\xD0\xB1"
    "\xD0\xBD\xD0\xB0\xD0\xB4\xD0\xB7\xD0\xBE\xD1\x80.\r\n";

const std::string k_auto_reply = "From: Anna Petrova <anna@customer.test>\r\n"
                                 "To: support@shop.test\r\n"
                                 "Subject: Out of office: My order arrived broken\r\n"
                                 "Message-ID: <ooo1@customer.test>\r\n"
                                 "Auto-Submitted: auto-replied\r\n"
                                 "Content-Type: text/plain\r\n"
                                 "\r\n"
                                 "I am away until Monday and have no access to email. This is an automatic reply.\r\n";

}  // namespace

TEST_F(PipelineTest, AComplaintOpensATicketAndQueuesAnAcknowledgementInOneGo)
{
    auto outcome = ingest(k_complaint, "imap:support:1:1");
    EXPECT_EQ(outcome.action, IngestOutcome::Action::created);
    EXPECT_EQ(outcome.ticket_number, "RD-000001");
    EXPECT_EQ(outcome.kind, Kind::complaint);
    EXPECT_EQ(outcome.language, "en");
    ASSERT_EQ(outcome.letters, std::vector<std::string>{"acknowledgement"});

    auto ticket = m_store->ticket("RD-000001").value().value();
    EXPECT_EQ(ticket.status, TicketStatus::acknowledged);
    EXPECT_EQ(ticket.customer.email, "anna@customer.test");
    EXPECT_EQ(ticket.customer.name, "Anna Petrova");
    auto letters = letters_of("RD-000001");
    ASSERT_EQ(letters.size(), 1u);
    const Letter& ack = letters[0];
    EXPECT_EQ(ack.recipient, "anna@customer.test");
    EXPECT_NE(ack.subject.find("[RD-000001]"), std::string::npos);
    EXPECT_NE(ack.content.find("In-Reply-To: <c1@customer.test>"), std::string::npos);
    EXPECT_NE(ack.content.find("Auto-Submitted: auto-replied"), std::string::npos);
    EXPECT_NE(ack.content.find("Message-ID: <" + ack.message_id + ">"), std::string::npos);
    EXPECT_NE(ack.content.find("X-Redress-Loop: shop.test"), std::string::npos);
    auto audit = m_store->audit_of(ticket.id).value();
    ASSERT_GE(audit.size(), 3u);
    EXPECT_EQ(audit[0].action, "ticket.created");
}

TEST_F(PipelineTest, EveryCustomerGetsAnAnswerWhateverTheyWrote)
{
    auto message = [](const std::string& id, const std::string& from, const std::string& text) {
        return "From: " + from + "\r\nTo: support@shop.test\r\nSubject: hello\r\nMessage-ID: <" + id +
               ">\r\nContent-Type: text/plain\r\n\r\n" + text + "\r\n";
    };
    struct Case {
        std::string text;
        Kind kind;
        std::string letter;
    };
    std::vector<Case> cases{
        {"Hello, could you tell me what time your shop opens on Sunday? Thanks", Kind::question, "question_received"},
        {"Thank you so much for the quick delivery and the friendly courier, great service!", Kind::gratitude,
         "gratitude_received"},
        {"I suggest you add a gift wrapping option to the checkout page, it would be nice.", Kind::suggestion,
         "suggestion_received"}};
    int n = 0;
    for (const auto& c : cases) {
        ++n;
        auto outcome =
            ingest(message("k" + std::to_string(n) + "@customer.test",
                           "Client " + std::to_string(n) + " <client" + std::to_string(n) + "@customer.test>", c.text),
                   "kind:" + std::to_string(n));
        ASSERT_EQ(outcome.kind, c.kind) << c.text;
        auto letters = letters_of(outcome.ticket_number);
        ASSERT_EQ(letters.size(), 1u) << c.text;
        EXPECT_EQ(letters[0].template_name, c.letter);
        EXPECT_EQ(letters[0].recipient, "client" + std::to_string(n) + "@customer.test");
        EXPECT_EQ(m_store->ticket(outcome.ticket_number).value()->status, TicketStatus::acknowledged);
    }
}

TEST_F(PipelineTest, TheSameMessageTwiceMakesNoSecondTicketAndNoSecondLetter)
{
    ingest(k_complaint, "imap:support:1:1");
    // Same source key (a redelivery), then the same Message-ID from another mailbox.
    EXPECT_EQ(ingest(k_complaint, "imap:support:1:1").action, IngestOutcome::Action::duplicate);
    EXPECT_EQ(ingest(k_complaint, "imap:sales:9:4").action, IngestOutcome::Action::duplicate);
    // The same mail by another route: other trace headers and line endings, the same message.
    std::string routed = "Received: from mx2.shop.test by imap.shop.test; Mon, 30 Nov 2026 10:00:00 +0000\n"
                         "Delivered-To: sales@shop.test\n" +
                         k_complaint;
    for (auto pos = routed.find("\r\n"); pos != std::string::npos; pos = routed.find("\r\n", pos))
        routed.replace(pos, 2, "\n");
    EXPECT_EQ(ingest(routed, "drop:other-route").action, IngestOutcome::Action::duplicate);
    EXPECT_EQ(m_store->list_tickets({}).value().size(), 1u);
    EXPECT_EQ(letters_of("RD-000001").size(), 1u);
}

TEST_F(PipelineTest, ADifferentMessageReusingAKnownMessageIdIsStoredFlaggedNotDropped)
{
    ingest(k_complaint, "imap:support:1:1");
    // Another customer's mail program hands out Message-IDs it has used before (RFC 5322 3.6.4
    // asks for unique ones): the same <c1@customer.test>, other bytes.
    std::string reused = "From: Boris <boris@elsewhere.test>\r\nTo: support@shop.test\r\n"
                         "Subject: Refund for a broken blender\r\nMessage-ID: <c1@customer.test>\r\n"
                         "Content-Type: text/plain\r\n\r\nThe blender broke on the first day and I am very "
                         "disappointed. I want my money back.\r\n";
    auto outcome = ingest(reused, "imap:support:1:2");
    EXPECT_NE(outcome.action, IngestOutcome::Action::duplicate);
    EXPECT_NE(std::find(outcome.reasons.begin(), outcome.reasons.end(), "reused Message-ID"), outcome.reasons.end());
    ASSERT_EQ(outcome.action, IngestOutcome::Action::created);
    auto ticket = m_store->ticket(outcome.ticket_number).value();
    ASSERT_TRUE(ticket);
    auto messages = m_store->messages_of(ticket->id).value();
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].raw, reused);
    EXPECT_NE(messages[0].classification.find("reused_message_id_of"), std::string::npos) << messages[0].classification;
    // The first message's exact bytes again are still a duplicate, whatever the source.
    EXPECT_EQ(ingest(k_complaint, "drop:abc").action, IngestOutcome::Action::duplicate);
    EXPECT_EQ(ingest(reused, "imap:sales:2:2").action, IngestOutcome::Action::duplicate);
    EXPECT_EQ(m_store->list_tickets({}).value().size(), 2u);
}

TEST_F(PipelineTest, RepliesJoinTheirTicketByTagOrByReferences)
{
    ingest(k_complaint, "k1");
    auto ack = letters_of("RD-000001").at(0);
    std::string by_tag = "From: anna@customer.test\r\nSubject: Re: [RD-000001] My order arrived broken\r\n"
                         "Message-ID: <c2@customer.test>\r\n\r\nAny news? Still waiting.\r\n";
    auto second = ingest(by_tag, "k2");
    EXPECT_EQ(second.action, IngestOutcome::Action::updated);
    EXPECT_EQ(second.ticket_number, "RD-000001");
    std::string by_reference =
        "From: anna@customer.test\r\nSubject: Re: your letter\r\nMessage-ID: <c3@customer.test>\r\n"
        "In-Reply-To: <" +
        ack.message_id + ">\r\n\r\nThank you for the quick reply.\r\n";
    auto third = ingest(by_reference, "k3");
    EXPECT_EQ(third.action, IngestOutcome::Action::updated);
    EXPECT_EQ(third.ticket_number, "RD-000001");
    EXPECT_TRUE(third.letters.empty());
    EXPECT_EQ(m_store->messages_of(m_store->ticket("RD-000001").value()->id).value().size(), 3u);
}

TEST_F(PipelineTest, AutomaticMailIsRecordedWithoutTicketOrLetter)
{
    auto outcome = ingest(k_auto_reply, "k1");
    EXPECT_EQ(outcome.action, IngestOutcome::Action::recorded);
    EXPECT_EQ(outcome.kind, Kind::automatic);
    EXPECT_TRUE(outcome.ticket_number.empty());
    EXPECT_TRUE(outcome.letters.empty());
    EXPECT_TRUE(m_store->list_tickets({}).value().empty());
}

TEST_F(PipelineTest, AMajorComplaintInRussianIsAcknowledgedInRussianAndAlertsTheOwnerAtOnce)
{
    auto outcome = ingest(k_russian_major, "k1");
    EXPECT_EQ(outcome.action, IngestOutcome::Action::created);
    EXPECT_EQ(outcome.language, "ru");
    EXPECT_EQ(outcome.severity, Severity::major);
    auto letters = letters_of(outcome.ticket_number);
    ASSERT_EQ(letters.size(), 2u);
    EXPECT_EQ(letters[0].template_name, "acknowledgement");
    EXPECT_NE(letters[0].content.find("Content-Language: ru"), std::string::npos);
    EXPECT_EQ(letters[1].template_name, "major_complaint");
    EXPECT_EQ(letters[1].recipient, "olga@shop.test");
    EXPECT_NE(letters[1].content.find("Auto-Submitted: auto-generated"), std::string::npos);
}

TEST_F(PipelineTest, AMajorComplaintAlsoReachesTheOwnersChatOnceAsPlainText)
{
    load(R"({"company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>"},
             "chats": [{"name": "tg", "type": "telegram", "bot_token": "1:x", "api_base": "http://127.0.0.1:9"}],
             "owner": {"name": "Olga", "email": "olga@shop.test", "chat": "tg:4242"}})");
    auto outcome = ingest(k_russian_major, "k1");
    ASSERT_EQ(outcome.severity, Severity::major);
    auto letters = letters_of(outcome.ticket_number);
    ASSERT_EQ(letters.size(), 3u);
    EXPECT_EQ(letters[1].template_name, "major_complaint");
    EXPECT_EQ(letters[1].channel, "email");
    const Letter& chat = letters[2];
    EXPECT_EQ(chat.template_name, "major_complaint");
    EXPECT_EQ(chat.channel, "chat:tg");
    EXPECT_EQ(chat.recipient, "4242");
    EXPECT_EQ(chat.dedup_key, letters[1].dedup_key + ":chat");
    EXPECT_NE(chat.message_id, letters[1].message_id);
    // Plain text: the subject with the ticket's tag, then the body; no mail headers.
    EXPECT_TRUE(chat.content.starts_with(letters[1].subject + "\n\n")) << chat.content;
    EXPECT_EQ(chat.content.find("Auto-Submitted"), std::string::npos);
    EXPECT_NE(chat.content.find(outcome.ticket_number), std::string::npos);
    // It says why in the classifier's words (a severity cue such as "legal: ..."), not "major complaint".
    EXPECT_EQ(chat.content.find("major complaint\n"), std::string::npos) << chat.content;
    EXPECT_TRUE(chat.content.find("Why:") != std::string::npos ||
                chat.content.find("Why it looks major:") != std::string::npos)
        << chat.content;
    EXPECT_EQ(chat.content.find("severity "), std::string::npos) << chat.content;
    EXPECT_NE(chat.content.find("legal: \xD1\x81\xD1\x83\xD0\xB4"), std::string::npos) << chat.content;  // "суд"

    // The same message again (a second delivery) queues nothing more.
    ingest(k_russian_major, "k1");
    EXPECT_EQ(letters_of(outcome.ticket_number).size(), 3u);
}

// A customer who wrote to a chat gets the chat variant of each letter: short, plain, no email phrasing.
TEST_F(PipelineTest, ALetterToACustomersChatUsesTheChatVariantOfItsTemplate)
{
    load(R"({"company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>"},
             "chats": [{"name": "tg", "type": "telegram", "bot_token": "1:x", "api_base": "http://127.0.0.1:9"}],
             "owner": {"name": "Olga", "email": "olga@shop.test"}})");
    auto outcome = ingest(k_complaint, "k1");
    auto ticket = m_store->ticket(outcome.ticket_number).value();
    ASSERT_TRUE(ticket);

    LetterRequest request;
    request.template_name = "acknowledgement";
    request.language = "ru";
    request.channel = "chat:tg";
    request.to = Mailbox{"Anna Petrova", "4242"};
    request.dedup_key = "ack:" + ticket->number + ":chat";
    request.ticket = &*ticket;
    request.install_id = "test";

    auto text = render_letter(*m_runtime, request);
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_EQ(text->template_name, "chat_acknowledgement");
    EXPECT_EQ(text->language, "ru");

    auto letter = write_letter(*m_runtime, request, k_now);
    ASSERT_TRUE(letter) << letter.error().message;
    // The letter is still the acknowledgement (the hourly cap counts it); its words are the chat's.
    EXPECT_EQ(letter->template_name, "acknowledgement");
    EXPECT_EQ(letter->channel, "chat:tg");
    EXPECT_EQ(letter->recipient, "4242");
    EXPECT_TRUE(letter->content.starts_with("[" + ticket->number + "] Жалоба принята\n\n")) << letter->content;
    EXPECT_NE(letter->content.find("Здравствуйте, Anna Petrova!"), std::string::npos) << letter->content;
    ASSERT_TRUE(ticket->first_response_due);
    EXPECT_NE(letter->content.find("не позднее "), std::string::npos) << letter->content;
    EXPECT_EQ(letter->content.find("письм"), std::string::npos) << letter->content;
    EXPECT_EQ(letter->content.find("теме"), std::string::npos) << letter->content;
    EXPECT_EQ(letter->content.find("Content-Type"), std::string::npos) << letter->content;

    // The same letter by email keeps the email template.
    request.channel = "email";
    request.to = Mailbox{"Anna Petrova", "anna@customer.test"};
    auto email = render_letter(*m_runtime, request);
    ASSERT_TRUE(email);
    EXPECT_EQ(email->template_name, "acknowledgement");
    EXPECT_NE(email->body.find("в теме письма"), std::string::npos) << email->body;

    // A language without its own letters gets the English chat variant.
    request.channel = "chat:tg";
    request.language = "fr";
    auto english = render_letter(*m_runtime, request);
    ASSERT_TRUE(english);
    EXPECT_EQ(english->template_name, "chat_acknowledgement");
    EXPECT_EQ(english->language, "en");
    EXPECT_EQ(english->subject, "[" + ticket->number + "] Complaint received");

    // A staff letter copied to a chat has no chat variant and stays itself.
    request.template_name = "major_complaint";
    request.language = "en";
    auto alert = render_letter(*m_runtime, request);
    ASSERT_TRUE(alert) << alert.error().message;
    EXPECT_EQ(alert->template_name, "major_complaint");
}

TEST_F(PipelineTest, ABounceOfOurLetterMarksItFailedAndAlertsTheOwnerWithoutATicket)
{
    ingest(k_complaint, "k1");
    auto ack = letters_of("RD-000001").at(0);
    std::string bounce =
        "From: Mail Delivery System <MAILER-DAEMON@mx.customer.test>\r\n"
        "To: support@shop.test\r\nReturn-Path: <>\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <b1@mx.customer.test>\r\nAuto-Submitted: auto-replied\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n"
        "--B\r\nContent-Type: text/plain\r\n\r\nThe mail system could not deliver your message: user unknown.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.customer.test\r\n\r\n"
        "Final-Recipient: rfc822; anna@customer.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: support@shop.test\r\nMessage-ID: <" +
        ack.message_id + ">\r\nSubject: x\r\n--B--\r\n";
    auto outcome = ingest(bounce, "k2");
    EXPECT_EQ(outcome.action, IngestOutcome::Action::recorded);
    EXPECT_EQ(m_store->list_tickets({}).value().size(), 1u);
    auto letters = letters_of("RD-000001");
    ASSERT_EQ(letters.size(), 2u);
    EXPECT_EQ(letters[0].status, LetterStatus::failed);
    EXPECT_EQ(letters[1].template_name, "delivery_failure");
    EXPECT_EQ(letters[1].recipient, "olga@shop.test");
}

TEST_F(PipelineTest, CapsAutomaticLettersPerSenderPerDay)
{
    load(
        R"({"company": {"support_address": "support@shop.test"}, "loop_protection": {"max_automatic_letters_per_day": 2}})");
    for (int i = 0; i < 4; ++i) {
        std::string m = "From: loop@robot.test\r\nSubject: Complaint " + std::to_string(i) + "\r\nMessage-ID: <l" +
                        std::to_string(i) +
                        "@robot.test>\r\n\r\nMy parcel is lost and broken, terrible service, I want a refund.\r\n";
        ingest(m, "k" + std::to_string(i));
    }
    int acknowledgements = 0;
    auto tickets = m_store->list_tickets({}).value();
    for (auto& t : tickets)
        acknowledgements += static_cast<int>(m_store->letters_of(t.id).value().size());
    EXPECT_EQ(acknowledgements, 2);
}

TEST_F(PipelineTest, QuarantinesWhatCannotBeReadAndKeepsItWithAReason)
{
    auto outcome = ingest(std::string(), "k-empty");
    EXPECT_EQ(outcome.action, IngestOutcome::Action::quarantined);
    EXPECT_FALSE(outcome.quarantine_reason.empty());
    int kept = 0, reasons = 0;
    for (auto& e : fs::directory_iterator(m_dir / "var" / "quarantine")) {
        kept += e.path().extension() == ".eml";
        reasons += e.path().string().ends_with(".reason.txt");
    }
    EXPECT_EQ(kept, 1);
    EXPECT_EQ(reasons, 1);
    EXPECT_EQ(m_pipeline->counters().quarantined.load(), 1);
}

TEST_F(PipelineTest, OurOwnLetterComingBackIsRecordedAndNotAnswered)
{
    ingest(k_complaint, "k1");
    auto ack = letters_of("RD-000001").at(0);
    auto outcome = ingest(ack.content, "k2");
    EXPECT_EQ(outcome.action, IngestOutcome::Action::recorded);
    EXPECT_TRUE(outcome.letters.empty());
    EXPECT_EQ(letters_of("RD-000001").size(), 1u);
}

TEST_F(PipelineTest, WaitingForTheCustomerPausesDeadlinesAndTheirReplyResumesThem)
{
    ingest(k_complaint, "k1");
    auto opened = m_store->ticket("RD-000001").value().value();
    ASSERT_TRUE(opened.first_response_due);
    ASSERT_TRUE(opened.resolution_due);

    auto an_hour_later = k_now + Seconds{3600};
    auto waiting = staff_step("RD-000001", tickets::StepKind::waiting, "asked for the order number", an_hour_later);
    ASSERT_TRUE(waiting.ok()) << waiting.error().message;
    EXPECT_TRUE(waiting->awaiting_customer);
    EXPECT_FALSE(waiting->first_response_due) << "a paused deadline has no due time";

    // The customer answers two hours later: the deadlines move by exactly the paused time.
    std::string reply = "From: anna@customer.test\r\nSubject: Re: [RD-000001] My order arrived broken\r\n"
                        "Message-ID: <c9@customer.test>\r\n\r\nThe order number is 12345.\r\n";
    auto three_hours_later = k_now + Seconds{3 * 3600};
    EXPECT_EQ(ingest(reply, "k9", three_hours_later).action, IngestOutcome::Action::updated);
    auto resumed = m_store->ticket("RD-000001").value().value();
    EXPECT_FALSE(resumed.awaiting_customer);
    ASSERT_TRUE(resumed.first_response_due);
    EXPECT_EQ(*resumed.first_response_due, *opened.first_response_due + Seconds{2 * 3600});
    EXPECT_EQ(*resumed.resolution_due, *opened.resolution_due + Seconds{2 * 3600});
}

TEST_F(PipelineTest, APersonsFirstAnswerMeetsTheFirstResponseDeadline)
{
    ingest(k_complaint, "k1");
    auto answered = staff_step("RD-000001", tickets::StepKind::responded, "", k_now + Seconds{600});
    ASSERT_TRUE(answered.ok()) << answered.error().message;
    EXPECT_EQ(answered->status, TicketStatus::investigating);
    EXPECT_EQ(answered->first_responded_at, k_now + Seconds{600});
    EXPECT_FALSE(staff_step("RD-999999", tickets::StepKind::responded, "", k_now).ok());
}

// The documented example must stay loadable: every key it shows is one the daemon reads.
TEST(ExampleConfig, LoadsWhenItsSecretsAreSet)
{
    for (const char* name : {"IMAP_PASSWORD", "TG_BOT_TOKEN", "TG_SECRET", "OPS_HOOK_SECRET"})
        ::setenv(name, "example-secret", 0);
    auto load = load_runtime(fs::path(REDRESS_SOURCE_DIR) / "config" / "redress.example.json", REDRESS_SOURCE_DIR);
    std::string problems;
    for (auto& p : load.problems)
        problems += p + "\n";
    ASSERT_TRUE(load.runtime) << problems;
    const auto& c = load.runtime->config;
    ASSERT_EQ(c.chats.size(), 2u);
    EXPECT_EQ(c.owner.chat, "tg:123456");
    EXPECT_FALSE(load.runtime->sla.policies.empty());
}

TEST(ExampleConfig, ASecondLevelChatMustNameAConfiguredChat)
{
    auto dir = fs::temp_directory_path() / ("redress-example-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "redress.json") << R"({"sla": {"policies": [{"name": "p", "match": {}, "first_response": "PT1H",
        "resolution": "P1D", "second_level_after": "PT1H", "second_level": {"name": "D", "chat": "tg:1"}}]}})";
    auto load = load_runtime(dir / "redress.json", REDRESS_SOURCE_DIR);
    fs::remove_all(dir);
    ASSERT_FALSE(load.runtime);
    ASSERT_EQ(load.problems.size(), 1u);
    EXPECT_NE(load.problems[0].find("/sla/policies/0/second_level/chat"), std::string::npos) << load.problems[0];
}

// Breaches go by email and chat; a chat address added later does not replay what email already said.
TEST_F(PipelineTest, BreachesGoToTheOwnersChatWithTheEmailAndAreNotReplayedWhenAChatIsAdded)
{
    const std::string policy = R"("sla": {"policies": [{"name": "p", "match": {}, "first_response": "PT1H",
                                   "resolution": "PT5H", "warn_before": "PT10M"}]})";
    load(R"({"company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>"},
             "owner": {"name": "Olga", "email": "olga@shop.test"}, )" +
         policy + "}");
    auto outcome = ingest(k_complaint, "k1");
    auto run_alerts = [&](TimePoint now) {
        auto tx = std::move(m_store->begin()).value();
        auto ticket = tx->ticket_by_number(outcome.ticket_number).value().value();
        int queued = 0;
        EXPECT_TRUE(queue_due_alerts(*m_runtime, *tx, *m_store, ticket, now, queued).ok());
        EXPECT_TRUE(tx->commit().ok());
        return queued;
    };
    EXPECT_EQ(run_alerts(k_now + Seconds{55 * 60}), 1);   // first response: the warning, by email
    EXPECT_EQ(run_alerts(k_now + Seconds{2 * 3600}), 1);  // its breach, by email

    load(R"({"company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>"},
             "chats": [{"name": "tg", "type": "telegram", "bot_token": "1:x", "api_base": "http://127.0.0.1:9"}],
             "owner": {"name": "Olga", "email": "olga@shop.test", "chat": "tg:4242"}, )" +
         policy + "}");
    EXPECT_EQ(run_alerts(k_now + Seconds{2 * 3600}), 0);
    // Resolution: the warning by email only; the breach by email and chat.
    EXPECT_EQ(run_alerts(k_now + Seconds{4 * 3600 + 55 * 60}), 1);
    EXPECT_EQ(run_alerts(k_now + Seconds{6 * 3600}), 2);
    EXPECT_EQ(run_alerts(k_now + Seconds{6 * 3600}), 0);
    // The owner drops her email and keeps the chat: nothing already said is said again by chat.
    load(R"({"company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>"},
             "chats": [{"name": "tg", "type": "telegram", "bot_token": "1:x", "api_base": "http://127.0.0.1:9"}],
             "owner": {"name": "Olga", "chat": "tg:4242"}, )" +
         policy + "}");
    EXPECT_EQ(run_alerts(k_now + Seconds{6 * 3600}), 0);
    std::map<std::string, std::vector<std::string>> by_template;
    for (const Letter& l : letters_of(outcome.ticket_number))
        by_template[l.template_name].push_back(l.channel);
    EXPECT_EQ(by_template["deadline_warning"], (std::vector<std::string>{"email", "email"}));
    EXPECT_EQ(by_template["escalation"], (std::vector<std::string>{"email", "email", "chat:tg"}));
}

// A ticket taken by a person is assigned to their login name: the warning reaches their address.
TEST_F(PipelineTest, AWarningReachesTheUserWhoTookTheTicket)
{
    load(R"({"company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>"},
             "owner": {"name": "Olga", "email": "olga@shop.test"},
             "sla": {"policies": [{"name": "p", "match": {}, "first_response": "PT1H", "resolution": "PT5H",
                                   "warn_before": "PT10M"}]}})");
    User alice;
    alice.name = "alice";
    alice.display_name = "Alice Smith";
    alice.email = "alice@shop.test";
    ASSERT_TRUE(m_store->add_user(alice).ok());
    auto outcome = ingest(k_complaint, "k1");
    {
        auto tx = std::move(m_store->begin()).value();
        auto ticket = tx->ticket_by_number(outcome.ticket_number).value().value();
        ticket.assignee = "alice";
        ASSERT_TRUE(tx->update_ticket(ticket).ok());
        int queued = 0;
        ASSERT_TRUE(queue_due_alerts(*m_runtime, *tx, *m_store, ticket, k_now + Seconds{55 * 60}, queued).ok());
        ASSERT_TRUE(tx->commit().ok());
    }
    std::vector<std::string> to;
    for (const Letter& l : letters_of(outcome.ticket_number))
        if (l.template_name == "deadline_warning")
            to.push_back(l.recipient);
    EXPECT_EQ(to, std::vector<std::string>{"alice@shop.test"});
}

// Warnings go to whoever works the ticket; breaches still go to the owner.
TEST_F(PipelineTest, WarningsGoToTheAssigneeAndBreachesToTheOwner)
{
    load(R"({"company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>"},
             "owner": {"name": "Olga", "email": "olga@shop.test"},
             "sla": {"policies": [{"name": "p", "match": {}, "first_response": "PT1H", "resolution": "PT5H",
                                   "warn_before": "PT10M"}]}})");
    auto outcome = ingest(k_complaint, "k1");
    auto assigned =
        staff_step(outcome.ticket_number, tickets::StepKind::assign, "", k_now, "Ivan Petrov <ivan@shop.test>");
    ASSERT_TRUE(assigned.ok()) << assigned.error().message;
    EXPECT_EQ(assigned->assignee, "Ivan Petrov <ivan@shop.test>");
    EXPECT_FALSE(staff_step(outcome.ticket_number, tickets::StepKind::assign, "", k_now, "Ivan Petrov").ok());
    EXPECT_FALSE(staff_step("RD-999999", tickets::StepKind::assign, "", k_now, "ivan@shop.test").ok());

    auto run_alerts = [&](TimePoint now) {
        auto tx = std::move(m_store->begin()).value();
        auto ticket = tx->ticket_by_number(outcome.ticket_number).value().value();
        int queued = 0;
        EXPECT_TRUE(queue_due_alerts(*m_runtime, *tx, *m_store, ticket, now, queued).ok());
        EXPECT_TRUE(tx->commit().ok());
    };
    run_alerts(k_now + Seconds{55 * 60});
    run_alerts(k_now + Seconds{2 * 3600});
    // Handed back to the owner: the next warning is hers.
    ASSERT_TRUE(staff_step(outcome.ticket_number, tickets::StepKind::assign, "", k_now, "").ok());
    run_alerts(k_now + Seconds{4 * 3600 + 55 * 60});

    std::vector<std::pair<std::string, std::string>> sent;
    for (const Letter& l : letters_of(outcome.ticket_number))
        if (l.template_name != "acknowledgement")
            sent.emplace_back(l.template_name, l.recipient);
    // The new assignee is told at once (ticket_assigned), then warned like the owner would be.
    EXPECT_EQ(sent, (std::vector<std::pair<std::string, std::string>>{{"ticket_assigned", "ivan@shop.test"},
                                                                      {"deadline_warning", "ivan@shop.test"},
                                                                      {"escalation", "olga@shop.test"},
                                                                      {"deadline_warning", "olga@shop.test"}}));
    auto first_warning = letters_of(outcome.ticket_number).at(2);
    EXPECT_NE(first_warning.content.find("Hello Ivan Petrov,"), std::string::npos) << first_warning.content;
    bool audited = false;
    auto audit = m_store->audit_of(assigned->id).value();
    for (const auto& a : audit)
        audited = audited || (a.action == "ticket.assigned" && a.actor == "olga");
    EXPECT_TRUE(audited);
}

namespace {

std::string complaint_from(const std::string& from, const std::string& id, const std::string& extra_headers = "")
{
    return "From: " + from + "\r\nTo: support@shop.test\r\nSubject: My order arrived broken\r\nMessage-ID: <" + id +
           ">\r\n" + extra_headers +
           "Content-Type: text/plain; charset=utf-8\r\n\r\n"
           "Hello, the kettle I ordered arrived broken and nobody answers the phone. This is unacceptable,\r\n"
           "I am very disappointed with your service. Please replace it.\r\n";
}

// Staff resolve tickets through the manager's API (next round); here the store is told directly.
void resolve(store::Store& store, const std::string& number, TimePoint at)
{
    auto tx = std::move(store.begin()).value();
    auto ticket = tx->ticket_by_number(number).value().value();
    ticket.status = TicketStatus::resolved;
    ticket.resolved_at = at;
    ASSERT_TRUE(tx->update_ticket(ticket).ok());
    ASSERT_TRUE(tx->commit().ok());
}

bool audit_has(const std::vector<AuditEvent>& audit, const std::string& action)
{
    for (const auto& a : audit)
        if (a.action == action)
            return true;
    return false;
}

}  // namespace

// Defect 3: Reply-To is anyone's to write; our letters must not be aimed at a third party.
TEST_F(PipelineTest, TheAcknowledgementAnswersFromWhenReplyToIsInAnotherDomain)
{
    auto outcome = ingest(
        complaint_from("Anna <anna@customer.test>", "rt1@customer.test", "Reply-To: victim@third.test\r\n"), "k1");
    ASSERT_EQ(outcome.letters, std::vector<std::string>{"acknowledgement"});
    auto letters = letters_of(outcome.ticket_number);
    ASSERT_EQ(letters.size(), 1u);
    EXPECT_EQ(letters[0].recipient, "anna@customer.test");
    EXPECT_EQ(letters[0].content.find("victim@third.test"), std::string::npos);
    EXPECT_EQ(m_store->ticket(outcome.ticket_number).value()->customer.email, "anna@customer.test");
}

TEST_F(PipelineTest, TheAcknowledgementFollowsReplyToWithinTheSendersDomain)
{
    auto outcome = ingest(
        complaint_from("Anna <anna@customer.test>", "rt2@customer.test", "Reply-To: Orders <orders@Customer.test>\r\n"),
        "k1");
    auto letters = letters_of(outcome.ticket_number);
    ASSERT_EQ(letters.size(), 1u);
    EXPECT_EQ(letters[0].recipient, "orders@Customer.test");
}

TEST_F(PipelineTest, AnOverlongOrControlFilledDisplayNameIsCutToAPlainName)
{
    // A "name" that is an advertisement with line breaks and a right-to-left override in it.
    std::string name = "=?UTF-8?Q?Win_=E2=80=AE_a_prize=0D=0ABcc:_x@y.test_?= " + std::string(300, 'A');
    auto outcome = ingest(complaint_from("\"" + name + "\" <anna@customer.test>", "dn1@customer.test"), "k1");
    auto ticket = m_store->ticket(outcome.ticket_number).value().value();
    EXPECT_LE(ticket.customer.name.size(), k_max_display_name_letters);
    EXPECT_TRUE(ticket.customer.name.starts_with("Win a prize Bcc: x@y.test")) << ticket.customer.name;
    EXPECT_EQ(ticket.customer.name.find('\r'), std::string::npos);
    EXPECT_EQ(ticket.customer.name.find("\xE2\x80\xAE"), std::string::npos);
    auto letters = letters_of(outcome.ticket_number);
    ASSERT_EQ(letters.size(), 1u);
    EXPECT_EQ(letters[0].content.find(std::string(100, 'A')), std::string::npos);
}

TEST_F(PipelineTest, AGlobalHourlyCapHoldsBackAcknowledgementsAndSaysWhy)
{
    load(
        R"({"company": {"support_address": "support@shop.test"}, "loop_protection": {"max_automatic_letters_per_hour": 2}})");
    std::vector<IngestOutcome> outcomes;
    for (int i = 0; i < 4; ++i)
        outcomes.push_back(ingest(complaint_from("sender" + std::to_string(i) + "@forged" + std::to_string(i) + ".test",
                                                 "h" + std::to_string(i) + "@x.test"),
                                  "k" + std::to_string(i), k_now + Seconds{i * 60}));
    EXPECT_EQ(outcomes[0].letters.size(), 1u);
    EXPECT_EQ(outcomes[1].letters.size(), 1u);
    for (int i = 2; i < 4; ++i) {
        EXPECT_EQ(outcomes[i].action, IngestOutcome::Action::created);
        EXPECT_TRUE(outcomes[i].letters.empty());
        bool said = false;
        for (auto& r : outcomes[i].reasons)
            said = said || r.find("no acknowledgement: 2 acknowledgements in the last hour") != std::string::npos;
        EXPECT_TRUE(said);
        auto ticket = m_store->ticket(outcomes[i].ticket_number).value().value();
        EXPECT_EQ(ticket.status, TicketStatus::new_ticket);
        EXPECT_TRUE(audit_has(m_store->audit_of(ticket.id).value(), "letter.capped"));
    }
    // An hour after the first two, there is room again.
    auto later = ingest(complaint_from("late@later.test", "h9@x.test"), "k9", k_now + Seconds{3600 + 61});
    EXPECT_EQ(later.letters, std::vector<std::string>{"acknowledgement"});
}

// Defect 4: the tag is a number anyone can type; it says which ticket a message talks about, not
// that its sender may act on it.
TEST_F(PipelineTest, AStrangerWithTheTagOpensItsOwnTicketAndLeavesTheNamedOneAlone)
{
    ingest(k_complaint, "k1");
    auto before = staff_step("RD-000001", tickets::StepKind::waiting, "asked", k_now + Seconds{600});
    ASSERT_TRUE(before.ok()) << before.error().message;
    std::string stranger = "From: Mallory <mallory@evil.test>\r\nSubject: Re: [RD-000001] My order arrived broken\r\n"
                           "Message-ID: <s1@evil.test>\r\n\r\nI will go to court and to the police, this is fraud and "
                           "a danger to life!\r\n";
    auto outcome = ingest(stranger, "k2", k_now + Seconds{3600});
    EXPECT_EQ(outcome.action, IngestOutcome::Action::created);
    EXPECT_EQ(outcome.ticket_number, "RD-000002");

    auto named = m_store->ticket("RD-000001").value().value();
    EXPECT_TRUE(named.awaiting_customer) << "a stranger does not end the wait";
    EXPECT_FALSE(named.first_response_due) << "paused deadlines stay paused";
    EXPECT_EQ(named.status, before->status);
    EXPECT_EQ(named.severity, before->severity);
    EXPECT_EQ(m_store->messages_of(named.id).value().size(), 1u);
    for (const Letter& l : letters_of("RD-000001"))
        EXPECT_NE(l.template_name, "major_complaint");
    auto audit = m_store->audit_of(named.id).value();
    ASSERT_TRUE(audit_has(audit, "message.from_stranger"));
    for (const auto& a : audit)
        if (a.action == "message.from_stranger") {
            auto detail = nlohmann::json::parse(a.detail);
            EXPECT_EQ(detail["from"], "mallory@evil.test");
            EXPECT_EQ(detail["threaded_by"], "tag");
            EXPECT_EQ(detail["own_ticket"], "RD-000002");
        }
    auto own = m_store->ticket("RD-000002").value().value();
    EXPECT_EQ(own.customer.email, "mallory@evil.test");
    EXPECT_TRUE(audit_has(m_store->audit_of(own.id).value(), "message.names_other_ticket"));
}

TEST_F(PipelineTest, AStrangerAnsweringOurLetterByReferencesIsAStrangerToo)
{
    ingest(k_complaint, "k1");
    auto ack = letters_of("RD-000001").at(0);
    resolve(*m_store, "RD-000001", k_now + Seconds{600});
    std::string forwarded_reply = "From: lawyer@firm.test\r\nSubject: Re: your letter\r\nMessage-ID: <f1@firm.test>\r\n"
                                  "In-Reply-To: <" +
                                  ack.message_id + ">\r\n\r\nWe represent the customer. Please call us.\r\n";
    auto outcome = ingest(forwarded_reply, "k2", k_now + Seconds{3600});
    EXPECT_NE(outcome.ticket_number, "RD-000001");
    auto named = m_store->ticket("RD-000001").value().value();
    EXPECT_EQ(named.status, TicketStatus::resolved) << "a stranger does not reopen";
    auto audit = m_store->audit_of(named.id).value();
    bool by_references = false;
    for (const auto& a : audit)
        by_references = by_references || (a.action == "message.from_stranger" &&
                                          nlohmann::json::parse(a.detail)["threaded_by"] == "references");
    EXPECT_TRUE(by_references);
}

TEST_F(PipelineTest, AnAddressThatWroteOnTheTicketBeforeIsStillItsParticipant)
{
    // The customer asked for answers at another address of her company; she still writes from hers.
    auto first = ingest(
        complaint_from("Anna <anna@customer.test>", "p1@customer.test", "Reply-To: orders@customer.test\r\n"), "k1");
    ASSERT_EQ(m_store->ticket(first.ticket_number).value()->customer.email, "orders@customer.test");
    std::string again = "From: anna@customer.test\r\nSubject: Re: [" + first.ticket_number +
                        "] My order arrived broken\r\nMessage-ID: <p2@customer.test>\r\n\r\nAny news?\r\n";
    auto outcome = ingest(again, "k2");
    EXPECT_EQ(outcome.action, IngestOutcome::Action::updated);
    EXPECT_EQ(outcome.ticket_number, first.ticket_number);
}

// Defect 13: an auto-reply is no answer from the customer.
TEST_F(PipelineTest, AnAutoReplyOnAWaitingTicketIsStoredAndTheWaitGoesOn)
{
    ingest(k_complaint, "k1");
    ASSERT_TRUE(staff_step("RD-000001", tickets::StepKind::waiting, "asked", k_now + Seconds{600}).ok());
    std::string auto_reply =
        "From: Anna Petrova <anna@customer.test>\r\nSubject: Out of office: Re: [RD-000001] My order\r\n"
        "Message-ID: <ooo2@customer.test>\r\nAuto-Submitted: auto-replied\r\n\r\n"
        "I am away until Monday. This is urgent? Call the police.\r\n";
    auto outcome = ingest(auto_reply, "k2", k_now + Seconds{3600});
    EXPECT_EQ(outcome.action, IngestOutcome::Action::updated);
    EXPECT_EQ(outcome.ticket_number, "RD-000001");
    EXPECT_EQ(outcome.kind, Kind::automatic);
    auto t = m_store->ticket("RD-000001").value().value();
    EXPECT_TRUE(t.awaiting_customer);
    EXPECT_FALSE(t.first_response_due);
    EXPECT_FALSE(t.resolution_due);
    auto messages = m_store->messages_of(t.id).value();
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[1].kind, Kind::automatic);
    EXPECT_TRUE(audit_has(m_store->audit_of(t.id).value(), "message.automatic"));
}

TEST_F(PipelineTest, ARussianAutoReplyWithoutHeadersDoesNotReopenAResolvedTicket)
{
    ingest(k_complaint, "k1");
    resolve(*m_store, "RD-000001", k_now + Seconds{600});
    std::string auto_reply =
        "From: anna@customer.test\r\nSubject: =?UTF-8?B?0JDQstGC0L7QvtGC0LLQtdGCOiBSZTogW1JELTAwMDAwMV0=?=\r\n"
        "Message-ID: <ooo3@customer.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "\xD0\xAF \xD0\xB2 \xD0\xBE\xD1\x82\xD0\xBF\xD1\x83\xD1\x81\xD0\xBA\xD0\xB5.\r\n";
    auto outcome = ingest(auto_reply, "k2", k_now + Seconds{3600});
    EXPECT_EQ(outcome.kind, Kind::automatic);
    EXPECT_EQ(outcome.ticket_number, "RD-000001");
    EXPECT_EQ(m_store->ticket("RD-000001").value()->status, TicketStatus::resolved);
}

// Letters to staff are written in the company's language (company.language), whatever the
// customer's; their dates and words follow the letter, and no internal code shows.
namespace {

const std::string k_ukrainian_complaint =
    "From: Oksana <oksana@customer.test>\r\n"
    "To: support@shop.test\r\n"
    "Subject: =?UTF-8?B?0KfQsNC50L3QuNC6?=\r\n"
    "Message-ID: <uk1@customer.test>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "Добрий день. Я замовила чайник, він прийшов розбитий, і ніхто не відповідає на дзвінки. "
    "Це неприпустимо, я дуже розчарована вашим сервісом. Прошу замінити товар.\r\n";

std::string staff_config(const std::string& language)
{
    return R"({"company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>",
                           "time_zone": "Europe/Moscow", "language": ")" +
           language + R"("},
               "owner": {"name": "Olga", "email": "olga@shop.test"},
               "sla": {"policies": [{"name": "p", "match": {}, "first_response": "PT1H", "resolution": "PT5H",
                                     "warn_before": "PT10M", "second_level_after": "PT1H",
                                     "second_level": {"name": "Director", "email": "director@shop.test"}}]}})";
}

// Subject and body of a letter as its reader sees them.
std::string readable(const Letter& letter)
{
    auto read = mime::read_letter(letter.content);
    return (read.header("Subject") ? *read.header("Subject") : std::string()) + "\n" + read.body;
}

}  // namespace

class StaffLetterLanguage : public PipelineTest {
protected:
    // The Ukrainian complaint, then every alert due three hours later: the breach of the first
    // response and its second level.
    std::map<std::string, std::string> alerts_in(const std::string& language)
    {
        load(staff_config(language));
        auto outcome = ingest(k_ukrainian_complaint, "k1");
        EXPECT_EQ(outcome.language, "uk");
        auto tx = std::move(m_store->begin()).value();
        auto ticket = tx->ticket_by_number(outcome.ticket_number).value().value();
        int queued = 0;
        EXPECT_TRUE(queue_due_alerts(*m_runtime, *tx, *m_store, ticket, k_now + Seconds{3 * 3600}, queued).ok());
        EXPECT_TRUE(tx->commit().ok());
        std::map<std::string, std::string> by_template;
        for (const Letter& l : letters_of(outcome.ticket_number))
            by_template[l.template_name] = readable(l);
        return by_template;
    }
};

TEST_F(StaffLetterLanguage, AnAlertAboutAUkrainianCustomerIsInRussianWhenTheCompanyWritesRussian)
{
    auto letters = alerts_in("ru");
    ASSERT_TRUE(letters.contains("escalation"));
    const std::string& escalation = letters["escalation"];
    EXPECT_NE(escalation.find("Срок нарушен: первый ответ"), std::string::npos) << escalation;
    EXPECT_NE(escalation.find("26 ноября 2026"), std::string::npos) << escalation;
    EXPECT_EQ(escalation.find("листопада"), std::string::npos) << escalation;
    EXPECT_EQ(escalation.find("November"), std::string::npos) << escalation;
    // The customer still hears in Ukrainian.
    EXPECT_NE(letters["acknowledgement"].find("листопада"), std::string::npos) << letters["acknowledgement"];
}

TEST_F(StaffLetterLanguage, AnAlertAboutAUkrainianCustomerIsInEnglishWhenTheCompanyWritesEnglish)
{
    auto letters = alerts_in("en");
    const std::string& escalation = letters["escalation"];
    EXPECT_NE(escalation.find("Deadline missed: first response"), std::string::npos) << escalation;
    EXPECT_NE(escalation.find("26 November 2026"), std::string::npos) << escalation;
    EXPECT_EQ(escalation.find("листопада"), std::string::npos) << escalation;
}

TEST_F(StaffLetterLanguage, ALanguageWithoutStaffTemplatesFallsBackToEnglishWithEnglishDates)
{
    auto letters = alerts_in("de");
    const std::string& escalation = letters["escalation"];
    EXPECT_NE(escalation.find("Deadline missed: first response"), std::string::npos) << escalation;
    EXPECT_NE(escalation.find("26 November 2026"), std::string::npos) << escalation;
    EXPECT_EQ(escalation.find("26. November"), std::string::npos) << escalation;
    EXPECT_EQ(escalation.find("Uhr"), std::string::npos) << escalation;
}

TEST_F(StaffLetterLanguage, TheSecondLevelAlertSaysItsLevelInWordsNotAsACode)
{
    for (const std::string language : {"en", "ru"}) {
        auto letters = alerts_in(language);
        ASSERT_TRUE(letters.contains("second_level")) << language;
        const std::string& second = letters["second_level"];
        EXPECT_EQ(second.find("second_level"), std::string::npos) << second;
        EXPECT_EQ(second.find("first_response"), std::string::npos) << second;
        EXPECT_NE(second.find(language == "ru" ? "второй уровень" : "second level"), std::string::npos) << second;
        TearDown();
        SetUp();
    }
}

TEST_F(StaffLetterLanguage, TheMajorComplaintAlertIsInTheCompanysLanguage)
{
    load(staff_config("ru"));
    auto outcome = ingest(k_russian_major, "k1");
    ASSERT_EQ(outcome.severity, Severity::major);
    std::string alert;
    for (const Letter& l : letters_of(outcome.ticket_number))
        if (l.template_name == "major_complaint")
            alert = readable(l);
    EXPECT_NE(alert.find("Поступила серьёзная жалоба"), std::string::npos) << alert;
}

namespace {

// A chat message as connectors/chat_in hands it over: a ready Message with its conversation.
RawMessage chat_message(const std::string& key, const std::string& conversation, const std::string& text,
                        const std::string& language_hint = "", const std::string& reply_to = "42")
{
    Message m;
    m.from = Mailbox{"Анна Петрова", "tg:98765"};
    m.message_id = conversation + ":" + key;
    m.content_type = "text/plain";
    m.text = text;
    m.chat = ChatOrigin{conversation, "tg:98765", reply_to, language_hint, "anna@example.ru", ""};
    RawMessage raw;
    raw.channel = "chat";
    raw.source = "tg";
    raw.source_key = "tg:" + key;
    raw.bytes = "{}";
    raw.parsed = std::move(m);
    raw.received_at = k_now;
    return raw;
}

const char* k_chat_config = R"({"company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>"},
    "owner": {"name": "Olga", "email": "olga@shop.test"},
    "workflow": {"reopen_window": "P7D"},
    "chats": [{"name": "tg", "type": "telegram", "bot_token": "1:x", "api_base": "http://127.0.0.1:9",
               "secret_token": "s"}]})";

const std::string k_chat_complaint =
    "Здравствуйте! Чайник сломался через неделю, не включается. Требую замену или возврат денег.";

}  // namespace

TEST_F(PipelineTest, AChatConversationIsOneTicketAnsweredInTheConversation)
{
    load(k_chat_config);
    auto first = m_pipeline->ingest(chat_message("1", "tg:123456", k_chat_complaint), k_now);
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(first->action, IngestOutcome::Action::created);
    EXPECT_EQ(first->language, "ru");
    auto ticket = m_store->ticket(first->ticket_number).value().value();
    EXPECT_EQ(ticket.conversation, "tg:123456");
    EXPECT_EQ(ticket.customer.chat_user, "tg:98765");
    EXPECT_EQ(ticket.customer.email, "");  // the address in the text is no identity
    EXPECT_EQ(ticket.channel, "chat");
    // The acknowledgement (beside the owner's alert about a demand for money, by email).
    std::vector<Letter> acks;
    for (auto& l : letters_of(first->ticket_number))
        if (l.template_name == "acknowledgement")
            acks.push_back(l);
    ASSERT_EQ(acks.size(), 1u);
    EXPECT_EQ(acks[0].channel, "chat:tg");
    EXPECT_EQ(acks[0].recipient, "123456#42");                       // quoting the customer's message
    EXPECT_EQ(acks[0].content.find("Subject:"), std::string::npos);  // plain text, no mail headers
    auto messages = m_store->messages_of(ticket.id).value();
    ASSERT_EQ(messages.size(), 1u);
    auto classification = nlohmann::json::parse(messages[0].classification);
    EXPECT_EQ(classification["contact"]["email"], "anna@example.ru");
    EXPECT_EQ(classification["contact"]["verified"], false);

    // The next message in the conversation joins the ticket; another chat opens its own.
    auto second = m_pipeline->ingest(chat_message("2", "tg:123456", "Есть новости?"), k_now + Seconds{60});
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->action, IngestOutcome::Action::updated);
    EXPECT_EQ(second->ticket_number, first->ticket_number);
    auto other = m_pipeline->ingest(chat_message("3", "tg:777", k_chat_complaint), k_now + Seconds{60});
    ASSERT_TRUE(other.ok());
    EXPECT_NE(other->ticket_number, first->ticket_number);
    // The same update again: nothing twice.
    auto again = m_pipeline->ingest(chat_message("1", "tg:123456", k_chat_complaint), k_now + Seconds{90});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->action, IngestOutcome::Action::duplicate);
}

TEST_F(PipelineTest, AChatTicketResolvedLongAgoIsFollowedUpByANewTicketAndRecentlyIsReopened)
{
    load(k_chat_config);
    auto first = m_pipeline->ingest(chat_message("1", "tg:123456", k_chat_complaint), k_now);
    ASSERT_TRUE(first.ok());
    resolve(*m_store, first->ticket_number, k_now + Seconds{600});
    auto soon = m_pipeline->ingest(chat_message("2", "tg:123456", "Опять сломался!"), k_now + Seconds{3600});
    ASSERT_TRUE(soon.ok());
    EXPECT_EQ(soon->ticket_number, first->ticket_number);  // within the reopen window: reopened
    resolve(*m_store, first->ticket_number, k_now + Seconds{7200});
    auto later = m_pipeline->ingest(chat_message("3", "tg:123456", k_chat_complaint), k_now + Seconds{30 * 86400});
    ASSERT_TRUE(later.ok());
    EXPECT_EQ(later->action, IngestOutcome::Action::created);
    EXPECT_NE(later->ticket_number, first->ticket_number);
}

TEST_F(PipelineTest, AChatEditIsRecordedOnTheTicketOfTheMessageItEditsAndChangesNothingElse)
{
    load(k_chat_config);
    auto first = m_pipeline->ingest(chat_message("1", "tg:123456", k_chat_complaint), k_now);
    ASSERT_TRUE(first.ok());
    resolve(*m_store, first->ticket_number, k_now + Seconds{600});
    auto before = m_store->ticket(first->ticket_number).value().value();
    std::size_t letters_before = letters_of(first->ticket_number).size();

    // Telegram's edited_message of message 1 (connectors/chat_in names the message it edits).
    RawMessage edit = chat_message("2", "tg:123456", "Чайник сломался, прошу замену.");
    edit.parsed->message_id = "tg:123456:1:edit:1764500060";
    edit.parsed->chat->edit_of = "tg:123456:1";
    auto edited = m_pipeline->ingest(edit, k_now + Seconds{3600});
    ASSERT_TRUE(edited.ok()) << edited.error().message;
    EXPECT_EQ(edited->action, IngestOutcome::Action::updated);
    EXPECT_EQ(edited->ticket_number, first->ticket_number);
    EXPECT_TRUE(edited->letters.empty());
    EXPECT_EQ(letters_of(first->ticket_number).size(), letters_before) << "no acknowledgement, no other letter";

    // No reopening, no deadline moved: an edit is not the customer's new message.
    auto after = m_store->ticket(first->ticket_number).value().value();
    EXPECT_EQ(after.status, before.status);
    EXPECT_EQ(after.first_response_due, before.first_response_due);
    EXPECT_EQ(after.resolution_due, before.resolution_due);
    EXPECT_EQ(after.version, before.version);

    auto messages = m_store->messages_of(after.id).value();
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[1].subject, "(edited)");
    auto classification = nlohmann::json::parse(messages[1].classification);
    EXPECT_EQ(classification["edit_of"], "tg:123456:1");
    EXPECT_EQ(classification["edited_message"], messages[0].id);
    bool audited = false;
    // Held in a variable: a range-for over value() of a temporary Result would read a destroyed vector
    // (value() && hands out the temporary's own).
    auto audit = m_store->audit_of(after.id).value();
    for (const auto& a : audit)
        audited = audited || (a.action == "message.edited" && a.actor == "customer");
    EXPECT_TRUE(audited);

    // The same edit again is one; an edit in a conversation we have nothing of is its first message.
    auto again = m_pipeline->ingest(edit, k_now + Seconds{3700});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->action, IngestOutcome::Action::duplicate);
    RawMessage stray = chat_message("9", "tg:555", k_chat_complaint);
    stray.parsed->chat->edit_of = "tg:555:8";
    auto opened = m_pipeline->ingest(stray, k_now + Seconds{3800});
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(opened->action, IngestOutcome::Action::created);
}

TEST_F(PipelineTest, TelegramsLanguageCodeDecidesWhenTheTextIsTooShortToTell)
{
    load(k_chat_config);
    auto hinted = m_pipeline->ingest(chat_message("1", "tg:1", "ok?", "uk"), k_now);
    ASSERT_TRUE(hinted.ok());
    EXPECT_EQ(hinted->language, "uk");
    // A long text is told by itself, whatever the hint.
    auto long_text = m_pipeline->ingest(chat_message("2", "tg:2", k_chat_complaint, "en"), k_now);
    ASSERT_TRUE(long_text.ok());
    EXPECT_EQ(long_text->language, "ru");
}

// The per-day cap counts a chat customer by conversation: each acknowledgement quotes the message
// it answers ("123456#42", "123456#43"), and those are one recipient, not one each.
TEST_F(PipelineTest, ChatAcknowledgementsAreCappedPerConversationWhateverMessageTheyQuote)
{
    std::string config = k_chat_config;
    config.replace(config.find(R"("reopen_window": "P7D")"), 22, R"("reopen_window": "PT1M")");
    config.replace(config.find(R"("workflow")"), 0, R"("loop_protection": {"max_automatic_letters_per_day": 2}, )");
    load(config);
    int acknowledgements = 0;
    for (int i = 0; i < 3; ++i) {
        TimePoint at = k_now + Seconds{3600 * i};
        auto outcome = m_pipeline->ingest(
            chat_message(std::to_string(i + 1), "tg:123456", k_chat_complaint, "", std::to_string(42 + i)), at);
        ASSERT_TRUE(outcome.ok()) << outcome.error().message;
        // Each message comes after the last ticket was resolved and the reopen window passed: a new ticket.
        EXPECT_EQ(outcome->action, IngestOutcome::Action::created);
        for (auto& l : letters_of(outcome->ticket_number))
            if (l.template_name == "acknowledgement") {
                ++acknowledgements;
                EXPECT_EQ(l.recipient, "123456#" + std::to_string(42 + i));
            }
        resolve(*m_store, outcome->ticket_number, at + Seconds{60});
    }
    EXPECT_EQ(acknowledgements, 2);
}

// A person's long answer to a chat customer is not cut where an email could carry the rest: there is
// no email. It goes whole where the platform takes it (a Telegram message of 3,000 Russian characters
// is 6,000 bytes), and is cut only past the platform's own limit.
TEST_F(PipelineTest, APersonsLongAnswerToAChatCustomerGoesWholeWithinThePlatformsLimit)
{
    load(R"({"company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>"},
             "chats": [{"name": "tg", "type": "telegram", "bot_token": "1:x", "api_base": "http://127.0.0.1:9"},
                       {"name": "web", "type": "webhook", "url": "http://127.0.0.1:9/hook", "signing_secret": "s"}],
             "owner": {"name": "Olga", "email": "olga@shop.test"}})");
    auto outcome = ingest(k_complaint, "k1");
    auto ticket = m_store->ticket(outcome.ticket_number).value();
    ASSERT_TRUE(ticket);
    std::string answer;
    while (answer.size() < 6000)
        answer += "Мы проверили ваш заказ и вернём деньги за чайник в течение трёх рабочих дней.\n";
    answer += "С уважением, Ольга";

    LetterRequest request;
    request.template_name = "reply";
    request.language = "ru";
    request.channel = "chat:tg";
    request.to = Mailbox{"Anna Petrova", "4242"};
    request.dedup_key = "reply:" + ticket->number + ":1";
    request.ticket = &*ticket;
    request.install_id = "test";
    request.extra_values["reply.text"] = answer;
    auto letter = write_letter(*m_runtime, request, k_now);
    ASSERT_TRUE(letter) << letter.error().message;
    // The whole answer and the template's last line, the ticket's number.
    EXPECT_NE(letter->content.find("С уважением, Ольга"), std::string::npos);
    EXPECT_TRUE(letter->content.ends_with(ticket->number)) << letter->content.substr(letter->content.size() - 80);
    EXPECT_GT(letter->content.size(), 6000u);

    // Twice as long is past Telegram's 4,096 characters: cut there, at a line's end.
    request.extra_values["reply.text"] = answer + "\n" + answer;
    auto cut = write_letter(*m_runtime, request, k_now);
    ASSERT_TRUE(cut);
    EXPECT_TRUE(cut->content.ends_with("дней.\n[...]")) << cut->content.substr(cut->content.size() - 80);
    // A webhook's bridge takes it whole.
    request.channel = "chat:web";
    auto whole = write_letter(*m_runtime, request, k_now);
    ASSERT_TRUE(whole);
    EXPECT_TRUE(whole->content.ends_with(ticket->number));
}

// A Slack customer's name learnt after the commit goes on the ticket only where the name is unknown
// (empty, or the bare id older tickets carried), and only for that customer; the profile's email
// stays an unverified detail in the audit, never the customer's address.
TEST_F(PipelineTest, AChatCustomersLearntNameFillsOnlyAnUnknownNameOfThatCustomer)
{
    load(k_chat_config);
    RawMessage raw = chat_message("1", "tg:123456", k_chat_complaint);
    raw.parsed->from.name = "";
    auto unnamed = m_pipeline->ingest(raw, k_now);
    ASSERT_TRUE(unnamed.ok());
    ChatProfile profile{"tg:98765", "Anna Petrova", "anna.petrova@example.org", "test"};
    EXPECT_TRUE(chat_name_unknown("", "slack:U024BE7LH"));
    EXPECT_TRUE(chat_name_unknown("U024BE7LH", "slack:U024BE7LH"));
    EXPECT_FALSE(chat_name_unknown("Anna", "slack:U024BE7LH"));

    ChatProfile someone_else = profile;
    someone_else.user_id = "tg:11111";
    EXPECT_FALSE(name_chat_customer(*m_store, unnamed->ticket_number, someone_else, k_now).value());
    EXPECT_TRUE(name_chat_customer(*m_store, unnamed->ticket_number, profile, k_now + Seconds{1}).value());
    auto ticket = m_store->ticket(unnamed->ticket_number).value().value();
    EXPECT_EQ(ticket.customer.name, "Anna Petrova");
    EXPECT_EQ(ticket.customer.email, "");
    auto audit = m_store->audit_of(ticket.id).value();
    auto named =
        std::find_if(audit.begin(), audit.end(), [](const AuditEvent& e) { return e.action == "customer.named"; });
    ASSERT_NE(named, audit.end());
    auto detail = nlohmann::json::parse(named->detail);
    EXPECT_EQ(detail["contact"]["email"], "anna.petrova@example.org");
    EXPECT_EQ(detail["contact"]["verified"], false);
    // A name once known is not overwritten.
    profile.name = "Someone Else";
    EXPECT_FALSE(name_chat_customer(*m_store, unnamed->ticket_number, profile, k_now + Seconds{2}).value());
    EXPECT_TRUE(name_chat_customer(*m_store, "RD-999999", profile, k_now).error().is(ErrorKind::not_found));
}
