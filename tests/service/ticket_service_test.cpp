// The ticket service on real parts: the shipped classifier, templates and SLA defaults, a real SQLite
// file, the pipeline's own entry, and a test clock. Every step is taken as a person would take it
// through the API or the CLI, and the letters it queues are read back from the outbox and decoded.

#include "../letters/mail_reader.hpp"
#include "connectors/quarantine_folder/quarantine_folder.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "service/customer_data.hpp"
#include "service/ticket_service.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

using namespace redress;
namespace fs = std::filesystem;

namespace {

const TimePoint k_start = parse_iso8601("2026-11-26T09:00:00Z").value();

const Actor k_agent{"alice", Role::agent};
const Actor k_manager{"maria", Role::manager};

const std::string k_config = R"({
  "company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>"},
  "owner": {"name": "Olga", "email": "olga@shop.test"},
  "http": {"public_url": "https://help.shop.test/", "enabled": true},
  "chats": [{"name": "slack", "type": "slack", "bot_token": "xoxb-1", "api_base": "http://127.0.0.1:9",
             "signing_secret": "s"}],
  "workflow": {
    "resolution_codes": [{"code": "FIXED", "label": {"en": "Fixed", "ru": "Исправлено"}},
                         {"code": "EXPLAINED", "label": {"en": "Explained"}}],
    "survey_delay": "PT2H",
    "reopen_window": "P30D",
    "departments": [
      {"name": "Delivery", "default_assignee": "Dmitry <dmitry@shop.test>",
       "categories": [{"name": "late delivery", "keywords": {"en": ["courier"], "ru": ["курьер"]}}, "damaged"]},
      {"name": "Billing", "categories": ["refund"]}
    ]
  }
})";

std::string complaint(const std::string& id, const std::string& text = {},
                      const std::string& subject = "My order arrived broken")
{
    return "From: Anna Petrova <anna@customer.test>\r\n"
           "To: support@shop.test\r\n"
           "Subject: " +
           subject +
           "\r\n"
           "Message-ID: <" +
           id +
           "@customer.test>\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n"
           "\r\n" +
           (text.empty() ? "Hello, the kettle I ordered arrived broken and nobody answers the phone. This is "
                           "unacceptable, I am very disappointed with your service. Please replace it.\r\n"
                         : text);
}

std::string reply_to(const std::string& number, const std::string& id, const std::string& text)
{
    return "From: Anna Petrova <anna@customer.test>\r\n"
           "To: support@shop.test\r\n"
           "Subject: Re: [" +
           number + "] How did we handle your complaint?\r\nMessage-ID: <" + id +
           "@customer.test>\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\n" +
           text + "\r\n";
}

class TicketServiceTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("redress-service-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir / "var");
        std::ofstream(m_dir / "redress.json") << k_config;
        auto load = pipeline::load_runtime(m_dir / "redress.json", REDRESS_SOURCE_DIR, m_dir / "var");
        std::string problems;
        for (auto& p : load.problems)
            problems += p + "\n";
        ASSERT_TRUE(load.runtime) << problems;
        auto store = store::SqliteStore::open(m_dir / "var" / "redress.db");
        ASSERT_TRUE(store.ok()) << store.error().message;
        m_store = std::move(store).value();
        m_quarantine = std::make_unique<connectors::QuarantineFolder>(m_dir / "var" / "quarantine");
        m_pipeline = std::make_unique<pipeline::Pipeline>(*m_store, *m_quarantine, load.runtime);
        m_service = std::make_unique<service::TicketService>(*m_store, *m_pipeline, m_clock);
    }
    void TearDown() override
    {
        m_service.reset();
        m_pipeline.reset();
        m_store.reset();
        fs::remove_all(m_dir);
    }

    std::string ingest(const std::string& bytes, const std::string& key)
    {
        pipeline::RawMessage raw;
        raw.channel = "email";
        raw.source = "support";
        raw.source_key = key;
        raw.bytes = bytes;
        raw.received_at = m_clock.now();
        auto outcome = m_pipeline->ingest(raw, m_clock.now());
        EXPECT_TRUE(outcome.ok()) << (outcome.ok() ? "" : outcome.error().message);
        return outcome.ok() ? outcome->ticket_number : std::string();
    }

    Result<service::StepResult> step(const std::string& number, tickets::StepKind kind, const Actor& actor,
                                     const std::function<void(service::StepCommand&)>& fill = {})
    {
        service::StepCommand c;
        c.step.kind = kind;
        c.step.actor = actor;
        if (fill)
            fill(c);
        return m_service->apply(number, c);
    }

    Ticket ticket(const std::string& number) { return m_store->ticket(number).value().value(); }

    // The shortest way through the method to a signed-off ticket: unjustified, one action for the
    // customer done, resolved, signed off with EXPLAINED.
    void work_to_sign_off(const std::string& n)
    {
        ASSERT_TRUE(step(n, tickets::StepKind::take, k_agent).ok());
        ASSERT_TRUE(step(n, tickets::StepKind::verdict, k_agent, [](auto& c) {
                        c.step.verdict = "unjustified";
                        c.step.reason = "The parcel was signed for intact";
                    }).ok());
        ASSERT_TRUE(step(n, tickets::StepKind::add_action, k_agent, [](auto& c) {
                        c.step.target = "customer";
                        c.step.text = "Offer a discount";
                        c.step.responsible = "alice";
                        c.step.due = k_start + Seconds{86400};
                    }).ok());
        ASSERT_TRUE(step(n, tickets::StepKind::update_action, k_agent, [&](auto& c) {
                        c.step.action_id = m_store->actions_of(ticket(n).id).value().at(0).id;
                        c.step.action_state = "done";
                    }).ok());
        ASSERT_TRUE(step(n, tickets::StepKind::resolve, k_agent, [](auto& c) { c.step.summary = "Explained"; }).ok());
        ASSERT_TRUE(step(n, tickets::StepKind::signoff, k_manager, [](auto& c) { c.step.code = "EXPLAINED"; }).ok());
    }

    std::vector<Letter> letters(const std::string& number, const std::string& template_name)
    {
        std::vector<Letter> out;
        auto all = m_store->letters_of(ticket(number).id);
        EXPECT_TRUE(all.ok());
        for (auto& l : all.value())
            if (l.template_name == template_name)
                out.push_back(l);
        return out;
    }

    // What the outbox worker does: every due letter claimed and recorded as sent.
    void send_due_letters()
    {
        auto due = m_store->claim_due_letters("email", m_clock.now(), Seconds{300}, "test", 1000);
        ASSERT_TRUE(due.ok());
        for (const auto& l : *due)
            ASSERT_TRUE(
                m_store->letter_sent(store::LetterClaim{l.id, "test", m_clock.now() + Seconds{300}}, m_clock.now())
                    .ok());
    }

    static std::string body_of(const Letter& l)
    {
        return letters::testing::decoded_body(letters::testing::read_message(l.content));
    }

    std::string open_complaint()
    {
        // The order in which a call's arguments are worked out is unspecified: count first.
        ++m_seq;
        std::string number = ingest(complaint("c" + std::to_string(m_seq)), "k" + std::to_string(m_seq));
        EXPECT_FALSE(number.empty());
        return number;
    }

    fs::path m_dir;
    ManualTimeSource m_clock{k_start};
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<connectors::QuarantineFolder> m_quarantine;
    std::unique_ptr<pipeline::Pipeline> m_pipeline;
    std::unique_ptr<service::TicketService> m_service;
    int m_seq = 0;
};

using K = tickets::StepKind;

TEST_F(TicketServiceTest, CarriesAJustifiedComplaintFromTakeToSurvey)
{
    std::string n = open_complaint();
    ASSERT_TRUE(step(n, K::take, k_agent).ok());
    EXPECT_EQ(ticket(n).status, TicketStatus::investigating);
    EXPECT_EQ(ticket(n).assignee, "alice");

    // The apology is previewed first: rendered in the customer's language, nothing written.
    std::int64_t version = ticket(n).version;
    auto preview = step(n, K::verdict, k_agent, [](auto& c) {
        c.step.verdict = "justified";
        c.step.reason = "The courier dropped the parcel";
        c.preview = true;
    });
    ASSERT_TRUE(preview.ok()) << preview.error().message;
    ASSERT_TRUE(preview->letter);
    EXPECT_EQ(preview->letter->template_name, "apology");
    EXPECT_NE(preview->letter->subject.find("[" + n + "]"), std::string::npos);
    EXPECT_NE(preview->letter->body.find("apologise"), std::string::npos) << preview->letter->body;
    EXPECT_EQ(ticket(n).version, version);
    EXPECT_TRUE(letters(n, "apology").empty());

    // Then sent with the person's own words.
    auto verdict = step(n, K::verdict, k_agent, [](auto& c) {
        c.step.verdict = "justified";
        c.step.reason = "The courier dropped the parcel";
        c.letter_body = "Dear Anna,\nwe are sorry: the courier dropped your parcel. A new kettle leaves today.\n";
    });
    ASSERT_TRUE(verdict.ok()) << verdict.error().message;
    EXPECT_EQ(ticket(n).status, TicketStatus::justified);
    EXPECT_EQ(ticket(n).verdict, "justified");
    EXPECT_TRUE(ticket(n).first_responded_at);
    auto apology = letters(n, "apology");
    ASSERT_EQ(apology.size(), 1u);
    EXPECT_NE(body_of(apology[0]).find("A new kettle leaves today."), std::string::npos) << body_of(apology[0]);
    EXPECT_EQ(apology[0].content.find("Auto-Submitted"), std::string::npos) << "a person's letter is not automatic";

    // Two corrective actions: one for this customer, one for the process.
    auto due = k_start + Seconds{3 * 86400};
    auto customer_action = step(n, K::add_action, k_agent, [&](auto& c) {
        c.step.target = "customer";
        c.step.text = "Send a new kettle by express";
        c.step.responsible = "alice";
        c.step.due = due;
    });
    ASSERT_TRUE(customer_action.ok()) << customer_action.error().message;
    EXPECT_EQ(ticket(n).status, TicketStatus::justified) << "a justified complaint needs a process action too";
    auto process_action = step(n, K::add_action, k_agent, [&](auto& c) {
        c.step.target = "process";
        c.step.text = "Pack kettles in double boxes";
        c.step.responsible = "Warehouse lead <warehouse@shop.test>";
        c.step.due = due + Seconds{7 * 86400};
    });
    ASSERT_TRUE(process_action.ok());
    EXPECT_EQ(ticket(n).status, TicketStatus::action_planned);
    EXPECT_EQ(m_store->actions_of(ticket(n).id).value().size(), 2u);

    // Resolving waits for the customer's action.
    auto early = step(n, K::resolve, k_agent, [](auto& c) { c.step.summary = "New kettle sent"; });
    ASSERT_FALSE(early.ok());
    EXPECT_TRUE(early.error().is(ErrorKind::conflict)) << early.error().message;
    ASSERT_TRUE(step(n, K::update_action, k_agent, [&](auto& c) {
                    c.step.action_id = customer_action->action->id;
                    c.step.action_state = "done";
                }).ok());
    auto resolved = step(n, K::resolve, k_agent, [](auto& c) { c.step.summary = "A new kettle was delivered."; });
    ASSERT_TRUE(resolved.ok()) << resolved.error().message;
    EXPECT_EQ(ticket(n).status, TicketStatus::resolved);
    auto resolution = letters(n, "resolution");
    ASSERT_EQ(resolution.size(), 1u);
    EXPECT_NE(body_of(resolution[0]).find("A new kettle was delivered."), std::string::npos);
    EXPECT_NE(body_of(resolution[0]).find("Pack kettles in double boxes"), std::string::npos)
        << "the process action is what changes so that it does not happen again";

    // Sign-off is a manager's; the survey waits for workflow.survey_delay.
    auto by_agent = step(n, K::signoff, k_agent, [](auto& c) { c.step.code = "FIXED"; });
    ASSERT_FALSE(by_agent.ok());
    EXPECT_TRUE(by_agent.error().is(ErrorKind::refused));
    auto bad_code = step(n, K::signoff, k_manager, [](auto& c) { c.step.code = "NOPE"; });
    ASSERT_FALSE(bad_code.ok());
    EXPECT_TRUE(bad_code.error().is(ErrorKind::invalid));
    auto signed_off = step(n, K::signoff, k_manager, [](auto& c) { c.step.code = "FIXED"; });
    ASSERT_TRUE(signed_off.ok()) << signed_off.error().message;
    EXPECT_EQ(ticket(n).status, TicketStatus::closed);
    EXPECT_EQ(ticket(n).resolution_code, "FIXED");
    auto survey = letters(n, "survey");
    ASSERT_EQ(survey.size(), 1u);
    EXPECT_EQ(survey[0].next_attempt_at, m_clock.now() + Seconds{2 * 3600});
    EXPECT_NE(body_of(survey[0]).find("https://help.shop.test/survey/" + n + "/"), std::string::npos)
        << body_of(survey[0]);

    // Before the survey has gone out, a reply starting with a digit is no rating.
    ingest(reply_to(n, "early", "3"), "early");
    EXPECT_TRUE(m_store->ratings_of(ticket(n).id).value().empty());
    ASSERT_TRUE(step(n, K::resolve, k_agent, [](auto& c) { c.step.summary = "A new kettle was delivered."; }).ok());
    ASSERT_TRUE(step(n, K::signoff, k_manager, [](auto& c) { c.step.code = "FIXED"; }).ok());

    // The customer rates by replying: a score and thanks do not reopen the closed ticket.
    m_clock.advance(Seconds{3 * 3600});
    send_due_letters();
    ingest(reply_to(n, "rate1", "5 - спасибо, всё отлично!"), "rate1");
    EXPECT_EQ(ticket(n).status, TicketStatus::closed);
    auto ratings = m_store->ratings_of(ticket(n).id).value();
    ASSERT_EQ(ratings.size(), 1u);
    EXPECT_EQ(ratings[0].score, 5);
    EXPECT_EQ(ratings[0].source, "reply");

    // A rating that raises the matter again reopens it.
    ingest(reply_to(n, "rate2", "2. The new kettle leaks as well, what are you going to do about it?"), "rate2");
    EXPECT_EQ(ticket(n).status, TicketStatus::investigating);
    EXPECT_EQ(m_store->ratings_of(ticket(n).id).value().size(), 2u);

    // The audit names who did what.
    auto audit = m_store->audit_of(ticket(n).id).value();
    auto has = [&](const std::string& action, const std::string& actor) {
        return std::any_of(audit.begin(), audit.end(),
                           [&](const AuditEvent& e) { return e.action == action && e.actor == actor; });
    };
    EXPECT_TRUE(has("ticket.taken", "alice"));
    EXPECT_TRUE(has("ticket.verdict", "alice"));
    EXPECT_TRUE(has("action.planned", "alice"));
    EXPECT_TRUE(has("ticket.resolved", "alice"));
    EXPECT_TRUE(has("ticket.signed_off", "maria"));
    EXPECT_TRUE(has("survey.rated", "customer"));
    EXPECT_TRUE(has("clock.first_response", "system") || has("clock.first_response", "alice"));
}

TEST_F(TicketServiceTest, TheSurveyIsAskedOnceAndRatedByTheSignedLink)
{
    std::string n = open_complaint();
    work_to_sign_off(n);
    if (HasFatalFailure())
        return;
    ASSERT_TRUE(step(n, K::reopen, k_manager, [](auto& c) { c.step.reason = "The customer called"; }).ok());
    ASSERT_TRUE(step(n, K::resolve, k_agent, [](auto& c) { c.step.summary = "Explained again"; }).ok());
    ASSERT_TRUE(step(n, K::signoff, k_manager, [](auto& c) { c.step.code = "EXPLAINED"; }).ok());
    EXPECT_EQ(letters(n, "survey").size(), 1u) << "the survey is asked once per ticket";

    auto url = m_service->survey_url(ticket(n));
    ASSERT_TRUE(url.ok());
    std::string signature = url->substr(url->rfind('/') + 1);
    EXPECT_EQ(m_service->survey_link(n, signature).value(), service::LinkState::open);
    EXPECT_EQ(m_service->survey_link(n, signature + "x").value(), service::LinkState::unknown);
    EXPECT_EQ(m_service->survey_link("RD-999999", signature).value(), service::LinkState::unknown);
    auto seven = m_service->rate(n, 7, "", "link");
    ASSERT_FALSE(seven.ok());
    EXPECT_TRUE(seven.error().is(ErrorKind::invalid));
    ASSERT_TRUE(m_service->rate(n, 4, "Quick, thank you", "link").ok());
    auto ratings = m_store->ratings_of(ticket(n).id).value();
    ASSERT_EQ(ratings.size(), 1u);
    EXPECT_EQ(ratings[0].comment, "Quick, thank you");
}

TEST_F(TicketServiceTest, ACustomersLinksExpireLongAfterTheSignOffReopenWithTheTicketAndEndWithItsErase)
{
    std::string n = open_complaint();
    std::string status = m_service->status_url(ticket(n)).value();
    std::string signature = status.substr(status.rfind('/') + 1);
    std::string survey = m_service->survey_url(ticket(n)).value();
    std::string survey_signature = survey.substr(survey.rfind('/') + 1);
    work_to_sign_off(n);
    if (HasFatalFailure())
        return;
    // The default lifetime is 90 days from the sign-off.
    m_clock.advance(Seconds{90 * 86400});
    EXPECT_EQ(m_service->status_link(n, signature).value(), service::LinkState::open);
    EXPECT_EQ(m_service->survey_link(n, survey_signature).value(), service::LinkState::open);
    m_clock.advance(Seconds{60});
    EXPECT_EQ(m_service->status_link(n, signature).value(), service::LinkState::expired);
    EXPECT_EQ(m_service->survey_link(n, survey_signature).value(), service::LinkState::expired);
    EXPECT_EQ(m_service->status_link(n, signature + "0").value(), service::LinkState::unknown)
        << "a link we did not make is unknown, expired or not";
    // A manager reopens the ticket: its links open again.
    ASSERT_TRUE(step(n, K::reopen, k_manager, [](auto& c) { c.step.reason = "The customer called"; }).ok());
    EXPECT_EQ(m_service->status_link(n, signature).value(), service::LinkState::open);
    // Erased, its links show nothing, whatever its state.
    auto customer = m_store->ticket_customer(ticket(n).id).value();
    ASSERT_TRUE(customer);
    ASSERT_TRUE(service::erase_customer(*m_store, m_pipeline->runtime()->config, *customer, Actor{"owner", Role::owner},
                                        "asked to be forgotten", m_clock.now())
                    .ok());
    EXPECT_EQ(m_service->status_link(n, signature).value(), service::LinkState::expired);
}

TEST_F(TicketServiceTest, TheUnjustifiedLetterExplainsAndStillOffersAWayOut)
{
    std::string n = open_complaint();
    ASSERT_TRUE(step(n, K::take, k_agent).ok());
    auto missing = step(n, K::verdict, k_agent, [](auto& c) { c.step.verdict = "unjustified"; });
    ASSERT_FALSE(missing.ok());
    EXPECT_TRUE(missing.error().is(ErrorKind::invalid)) << "a verdict needs its reason";
    auto r = step(n, K::verdict, k_agent, [](auto& c) {
        c.step.verdict = "unjustified";
        c.step.reason = "The kettle was damaged after delivery, as the photos show.";
        c.step.offer = "We can repair it at half the price.";
    });
    ASSERT_TRUE(r.ok()) << r.error().message;
    auto letter = letters(n, "unjustified");
    ASSERT_EQ(letter.size(), 1u);
    std::string body = body_of(letter[0]);
    EXPECT_NE(body.find("The kettle was damaged after delivery"), std::string::npos) << body;
    EXPECT_NE(body.find("We can repair it at half the price."), std::string::npos) << body;
    EXPECT_EQ(ticket(n).status, TicketStatus::unjustified);
}

TEST_F(TicketServiceTest, AStaleVersionIsRefusedAndChangesNothing)
{
    std::string n = open_complaint();
    std::int64_t seen = ticket(n).version;
    ASSERT_TRUE(step(n, K::take, k_agent).ok());
    auto stale = step(n, K::note, k_manager, [&](auto& c) {
        c.step.text = "Call her back";
        c.if_match = seen;
    });
    ASSERT_FALSE(stale.ok());
    EXPECT_TRUE(stale.error().is(ErrorKind::conflict));
    EXPECT_TRUE(m_store->notes_of(ticket(n).id).value().empty());
    auto fresh = step(n, K::note, k_manager, [&](auto& c) {
        c.step.text = "Call her back";
        c.if_match = ticket(n).version;
    });
    ASSERT_TRUE(fresh.ok()) << fresh.error().message;
    auto notes = m_store->notes_of(ticket(n).id).value();
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0].author, "maria");
    EXPECT_TRUE(letters(n, "reply").empty()) << "a note never goes to the customer";
}

TEST_F(TicketServiceTest, AQuestionIsAnsweredAndResolvedWithoutAVerdict)
{
    std::string n = ingest(
        complaint("q1", "Hello, do you deliver to Minsk and how long does it take?\r\n", "Delivery to Minsk"), "q1");
    ASSERT_EQ(ticket(n).kind, Kind::question);
    auto verdict = step(n, K::verdict, k_agent, [](auto& c) {
        c.step.verdict = "justified";
        c.step.reason = "x";
    });
    ASSERT_FALSE(verdict.ok());
    EXPECT_TRUE(verdict.error().is(ErrorKind::conflict));
    auto reply = step(n, K::reply, k_agent, [](auto& c) { c.step.text = "Yes, in three days."; });
    ASSERT_TRUE(reply.ok()) << reply.error().message;
    EXPECT_TRUE(ticket(n).first_responded_at);
    auto sent = letters(n, "reply");
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_NE(body_of(sent[0]).find("Yes, in three days."), std::string::npos);
    EXPECT_NE(sent[0].content.find("In-Reply-To: <q1@customer.test>"), std::string::npos) << sent[0].content;
    for (const char* bad : {"escalation", "no_such_letter"}) {
        auto refused = step(n, K::reply, k_agent, [&](auto& c) {
            c.step.text = "x";
            c.step.letter_template = bad;
        });
        ASSERT_FALSE(refused.ok()) << bad;
        EXPECT_TRUE(refused.error().is(ErrorKind::invalid)) << refused.error().message;
    }
    ASSERT_TRUE(step(n, K::resolve, k_agent, [](auto& c) { c.step.summary = "Answered"; }).ok());
    EXPECT_EQ(ticket(n).status, TicketStatus::resolved);
}

TEST_F(TicketServiceTest, ATemplateSavedTakesEffectAtOnceAndKeepsItsVersions)
{
    std::string n = open_complaint();
    auto bad = m_service->save_template("en", "reply", "Subject: [{{ticket.number}}] Re\n\n{{reply.txt}}\n", k_manager);
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.error().is(ErrorKind::invalid));
    EXPECT_NE(bad.error().message.find("reply.text"), std::string::npos) << "suggests the known name";
    EXPECT_NE(bad.error().message.find("en/reply, line 3:"), std::string::npos) << bad.error().message;
    auto problems = service::template_problems(bad.error());
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].line, 3);
    EXPECT_EQ(problems[0].message.rfind("unknown placeholder {{reply.txt}}", 0), 0u) << problems[0].message;
    auto by_agent = m_service->save_template("en", "reply", "x", k_agent);
    ASSERT_FALSE(by_agent.ok());
    EXPECT_TRUE(by_agent.error().is(ErrorKind::refused));

    const std::string text = "Subject: [{{ticket.number}}] A word from us\n\n{{reply.text}}\n\nEdited template.\n";
    auto saved = m_service->save_template("en", "reply", text, k_manager);
    ASSERT_TRUE(saved.ok()) << saved.error().message;
    EXPECT_EQ(saved->version, 1);
    ASSERT_TRUE(step(n, K::reply, k_agent, [](auto& c) { c.step.text = "Hello."; }).ok());
    auto sent = letters(n, "reply");
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_NE(body_of(sent[0]).find("Edited template."), std::string::npos);

    auto state = m_service->template_state("en", "reply");
    ASSERT_TRUE(state.ok());
    EXPECT_EQ(state->version, 1);
    EXPECT_EQ(state->text, text);
    ASSERT_EQ(state->history.size(), 1u);
    EXPECT_EQ(state->history[0].author, "maria");

    // Restoring the shipped file is a new version with its text.
    auto restored = m_service->restore_template("en", "reply", 0, k_manager);
    ASSERT_TRUE(restored.ok()) << restored.error().message;
    EXPECT_EQ(restored->version, 2);
    ASSERT_TRUE(step(n, K::reply, k_agent, [](auto& c) { c.step.text = "Again."; }).ok());
    auto again = letters(n, "reply");
    ASSERT_EQ(again.size(), 2u);
    EXPECT_EQ(body_of(again[1]).find("Edited template."), std::string::npos);

    // Edits survive a restart: the runtime is rebuilt from the files plus the newest versions.
    auto reloaded = service::with_template_edits(m_pipeline->runtime(), *m_store);
    ASSERT_TRUE(reloaded.ok());
    auto preview = m_service->preview_template("en", "reply", text, n);
    ASSERT_TRUE(preview.ok()) << preview.error().message;
    EXPECT_NE(preview->body.find("Edited template."), std::string::npos);
}

TEST_F(TicketServiceTest, APhoneComplaintGoesThroughThePipelineAndItsDepartment)
{
    service::IntakeForm form;
    form.channel = "phone";
    form.customer_name = "Boris Ivanov";
    form.email = "boris@customer.test";
    form.phone = "+7 900 000-00-00";
    form.department = "Delivery";
    form.incident_date = "2026-11-24";
    form.details = "The courier was three days late and was rude to me on the phone. I want an apology.";
    auto outcome = m_service->register_complaint(form, k_agent);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    ASSERT_FALSE(outcome->ticket_number.empty());
    Ticket t = ticket(outcome->ticket_number);
    EXPECT_EQ(t.channel, "phone");
    EXPECT_EQ(t.kind, Kind::complaint);
    EXPECT_EQ(t.customer.phone, "+7 900 000-00-00");
    EXPECT_EQ(t.department, "Delivery");
    EXPECT_EQ(t.assignee, "Dmitry <dmitry@shop.test>") << "the department's default assignee takes it";
    EXPECT_TRUE(t.first_response_due);
    EXPECT_EQ(letters(t.number, "acknowledgement").size(), 1u) << "the customer gave an address";
    EXPECT_FALSE(letters(t.number, "ticket_assigned").empty()) << "the assignee is told";

    service::IntakeForm nothing;
    nothing.details = "x";
    auto refused = m_service->register_complaint(nothing, k_agent);
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(refused.error().is(ErrorKind::invalid));
}

TEST_F(TicketServiceTest, KeywordsRouteANewTicketToItsDepartment)
{
    std::string n = ingest(complaint("d1", "The courier never came and my order is a week late. Very bad.\r\n"), "d1");
    Ticket t = ticket(n);
    EXPECT_EQ(t.department, "Delivery");
    EXPECT_EQ(t.category, "late delivery");
    EXPECT_EQ(t.assignee, "Dmitry <dmitry@shop.test>");
    auto assigned = letters(n, "ticket_assigned");
    ASSERT_FALSE(assigned.empty());
    EXPECT_EQ(assigned[0].recipient, "dmitry@shop.test");
}

TEST_F(TicketServiceTest, AReplyAfterTheReopenWindowOpensANewTicketThatNamesTheOld)
{
    std::string n = ingest(complaint("w1", "Hello, do you deliver to Minsk?\r\n", "Delivery to Minsk"), "w1");
    ASSERT_TRUE(step(n, K::resolve, k_agent, [](auto& c) { c.step.summary = "Answered"; }).ok());
    m_clock.advance(Seconds{31 * 86400});
    std::string later = ingest(reply_to(n, "w2", "Hello again, the kettle broke once more and I am angry."), "w2");
    EXPECT_NE(later, n);
    EXPECT_EQ(ticket(n).status, TicketStatus::resolved);
    auto audit = m_store->audit_of(ticket(later).id).value();
    bool names_old = std::any_of(audit.begin(), audit.end(), [&](const AuditEvent& e) {
        return e.action == "ticket.created" && e.detail.find(n) != std::string::npos;
    });
    EXPECT_TRUE(names_old);

    // Within the window the same reply reopens.
    std::string m = ingest(complaint("w3", "Hello, can I pay by card on delivery?\r\n", "Paying on delivery"), "w3");
    ASSERT_TRUE(step(m, K::resolve, k_agent, [](auto& c) { c.step.summary = "Answered"; }).ok());
    m_clock.advance(Seconds{2 * 86400});
    EXPECT_EQ(ingest(reply_to(m, "w4", "Sorry, one more thing: what about cash?"), "w4"), m);
    EXPECT_EQ(ticket(m).status, TicketStatus::investigating);
}

TEST_F(TicketServiceTest, AnOverdueActionRemindsItsPersonAndTheOwnerOnce)
{
    std::string n = open_complaint();
    ASSERT_TRUE(step(n, K::take, k_agent).ok());
    ASSERT_TRUE(step(n, K::verdict, k_agent, [](auto& c) {
                    c.step.verdict = "justified";
                    c.step.reason = "Broken in transit";
                }).ok());
    ASSERT_TRUE(step(n, K::add_action, k_agent, [](auto& c) {
                    c.step.target = "customer";
                    c.step.text = "Send a new kettle";
                    c.step.responsible = "Kirill <kirill@shop.test>";
                    c.step.due = k_start + Seconds{86400};
                }).ok());
    EXPECT_EQ(m_service->remind_overdue_actions().value(), 0);
    m_clock.advance(Seconds{2 * 86400});
    EXPECT_EQ(m_service->remind_overdue_actions().value(), 2);
    EXPECT_EQ(m_service->remind_overdue_actions().value(), 0) << "each reminder once";
    auto reminders = letters(n, "action_overdue");
    ASSERT_EQ(reminders.size(), 2u);
    std::set<std::string> to{reminders[0].recipient, reminders[1].recipient};
    EXPECT_EQ(to, (std::set<std::string>{"kirill@shop.test", "olga@shop.test"}));
    EXPECT_NE(body_of(reminders[0]).find("Send a new kettle"), std::string::npos);
}

TEST_F(TicketServiceTest, AnAssigneeIsToldAndHearsTheCustomer)
{
    std::string n = open_complaint();
    User dmitry;
    dmitry.name = "dmitry";
    dmitry.role = Role::agent;
    dmitry.display_name = "Dmitry";
    dmitry.email = "dmitry@shop.test";
    ASSERT_TRUE(m_store->add_user(dmitry).ok());
    auto assigned = step(n, K::assign, k_manager, [](auto& c) { c.step.assignee = "dmitry"; });
    ASSERT_TRUE(assigned.ok()) << assigned.error().message;
    auto notice = letters(n, "ticket_assigned");
    ASSERT_EQ(notice.size(), 1u);
    EXPECT_EQ(notice[0].recipient, "dmitry@shop.test");
    EXPECT_NE(body_of(notice[0]).find("https://help.shop.test/tickets/" + n), std::string::npos) << body_of(notice[0]);
    ingest(reply_to(n, "more", "I also want to add that the box was wet."), "more");
    auto wrote = letters(n, "customer_wrote");
    ASSERT_EQ(wrote.size(), 1u);
    EXPECT_EQ(wrote[0].recipient, "dmitry@shop.test");
    auto by_agent = step(n, K::assign, k_agent, [](auto& c) { c.step.assignee = "alice"; });
    ASSERT_FALSE(by_agent.ok());
    EXPECT_TRUE(by_agent.error().is(ErrorKind::refused));
}

// Reminders and assignment notices go to staff: in the company's language (here Russian, for an
// English customer), with the due date in that language too.
TEST_F(TicketServiceTest, RemindersAndNoticesAreInTheCompanysLanguage)
{
    std::string config = k_config;
    std::string company = R"("company": {"name": "Shop",)";
    config.replace(config.find(company), company.size(),
                   R"("company": {"name": "Shop", "language": "ru", "time_zone": "Europe/Moscow",)");
    std::ofstream(m_dir / "ru.json") << config;
    auto load = pipeline::load_runtime(m_dir / "ru.json", REDRESS_SOURCE_DIR, m_dir / "var");
    ASSERT_TRUE(load.runtime) << (load.problems.empty() ? "" : load.problems.front());
    m_pipeline->set_runtime(load.runtime);

    std::string n = open_complaint();
    ASSERT_TRUE(step(n, K::take, k_agent).ok());
    ASSERT_TRUE(step(n, K::verdict, k_agent, [](auto& c) {
                    c.step.verdict = "justified";
                    c.step.reason = "Broken in transit";
                }).ok());
    ASSERT_TRUE(step(n, K::add_action, k_agent, [](auto& c) {
                    c.step.target = "customer";
                    c.step.text = "Send a new kettle";
                    c.step.responsible = "Kirill <kirill@shop.test>";
                    c.step.due = k_start + Seconds{86400};
                }).ok());
    m_clock.advance(Seconds{2 * 86400});
    ASSERT_EQ(m_service->remind_overdue_actions().value(), 2);
    for (const Letter& reminder : letters(n, "action_overdue")) {
        std::string body = body_of(reminder);
        EXPECT_NE(body.find("27 ноября 2026, 12:00"), std::string::npos) << body;
        EXPECT_EQ(body.find("November"), std::string::npos) << body;
    }

    User dmitry;
    dmitry.name = "dmitry";
    dmitry.email = "dmitry@shop.test";
    ASSERT_TRUE(m_store->add_user(dmitry).ok());
    ASSERT_TRUE(step(n, K::assign, k_manager, [](auto& c) { c.step.assignee = "dmitry"; }).ok());
    auto notice = letters(n, "ticket_assigned");
    ASSERT_EQ(notice.size(), 1u);
    EXPECT_NE(body_of(notice[0]).find("назначено Вам"), std::string::npos) << body_of(notice[0]);
}

TEST_F(TicketServiceTest, TheViewShowsTheStepsTheRoleMayTake)
{
    std::string n = open_complaint();
    auto view = m_service->view(n, k_agent);
    ASSERT_TRUE(view.ok()) << view.error().message;
    auto has = [&](K k) {
        return std::find(view->available_steps.begin(), view->available_steps.end(), k) != view->available_steps.end();
    };
    EXPECT_TRUE(has(K::take));
    EXPECT_FALSE(has(K::signoff));
    EXPECT_FALSE(has(K::verdict));
    EXPECT_EQ(view->messages.size(), 1u);
    auto missing = m_service->view("RD-999999", k_agent);
    ASSERT_FALSE(missing.ok());
    EXPECT_TRUE(missing.error().is(ErrorKind::not_found));
}

}  // namespace

// A chat customer's ticket is answered in the conversation they wrote in: Slack's thread, plain text.
TEST_F(TicketServiceTest, AStepLetterToAChatCustomerGoesToTheirConversation)
{
    Message m;
    m.from = Mailbox{"U024BE7LH", "slack:U024BE7LH"};
    m.message_id = "slack:C0123:1764500400.000100";
    m.content_type = "text/plain";
    m.text = "Hello, do you deliver to Minsk and how long does it take?";
    m.chat = ChatOrigin{"slack:C0123:1764500400.000100", "slack:U024BE7LH", "1764500400.000100", "", "", ""};
    pipeline::RawMessage raw;
    raw.channel = "chat";
    raw.source = "slack";
    raw.source_key = "slack:Ev1";
    raw.bytes = "{}";
    raw.parsed = m;
    raw.received_at = m_clock.now();
    auto outcome = m_pipeline->ingest(raw, m_clock.now());
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    std::string n = outcome->ticket_number;
    auto reply = step(n, K::reply, k_agent, [](auto& c) { c.step.text = "Yes, in three days."; });
    ASSERT_TRUE(reply.ok()) << reply.error().message;
    auto sent = letters(n, "reply");
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].channel, "chat:slack");
    EXPECT_EQ(sent[0].recipient, "C0123:1764500400.000100");  // the channel and the thread
    EXPECT_NE(sent[0].content.find("Yes, in three days."), std::string::npos) << sent[0].content;
    EXPECT_EQ(sent[0].content.find("Content-Type:"), std::string::npos) << "plain text, not a mail";
}

// --- The customer pages' side of the service -------------------------------------------------

TEST_F(TicketServiceTest, TheAcknowledgementCarriesTheStatusPagesSignedLink)
{
    std::string n = open_complaint();
    auto acks = letters(n, "acknowledgement");
    ASSERT_EQ(acks.size(), 1u);
    std::string body = body_of(acks[0]);
    std::string prefix = "https://help.shop.test/status/" + n + "/";
    auto at = body.find(prefix);
    ASSERT_NE(at, std::string::npos) << body;
    std::string signature = body.substr(at + prefix.size(), body.find_first_of(" \r\n", at) - at - prefix.size());
    EXPECT_EQ(m_service->status_link(n, signature).value(), service::LinkState::open) << signature;
    EXPECT_EQ(m_service->status_url(ticket(n)).value(), prefix + signature);
    // A survey signature opens no status page, and the other way round.
    EXPECT_EQ(m_service->survey_link(n, signature).value(), service::LinkState::unknown);
}

TEST_F(TicketServiceTest, AComplaintFromTheFormOpensAWebTicketWithItsFiles)
{
    service::WebComplaint form;
    form.name = "Anna Petrova";
    form.email = "anna@customer.test";
    form.phone = "+7 900 000-00-00";
    form.details = "The kettle I ordered arrived broken, the lid is cracked and it leaks. I want a replacement.";
    form.incident_date = "26 November";
    form.reference = "ORDER-77";
    form.language = "en";
    form.files = {{"photo.jpg", "image/jpeg", std::string("\xFF\xD8\xFF\xE0 photo bytes", 16)},
                  {"чек.pdf", "application/pdf", "%PDF-1.4 receipt"}};
    form.key = "form:nonce-1";
    auto filed = m_service->file_complaint(form);
    ASSERT_TRUE(filed.ok()) << filed.error().message;
    EXPECT_EQ(filed->outcome.action, pipeline::IngestOutcome::Action::created);
    std::string n = filed->outcome.ticket_number;
    ASSERT_FALSE(n.empty());
    EXPECT_EQ(filed->status_url.rfind("https://help.shop.test/status/" + n + "/", 0), 0u) << filed->status_url;

    Ticket t = ticket(n);
    EXPECT_EQ(t.channel, "web");
    EXPECT_EQ(t.source, "complaint-form");
    EXPECT_EQ(t.customer.email, "anna@customer.test");
    EXPECT_EQ(t.customer.phone, "+7 900 000-00-00");
    EXPECT_EQ(t.customer.name, "Anna Petrova");
    // Acknowledged like any complaint, by email, with the status link.
    auto acks = letters(n, "acknowledgement");
    ASSERT_EQ(acks.size(), 1u);
    EXPECT_EQ(acks[0].recipient, "anna@customer.test");
    EXPECT_NE(body_of(acks[0]).find(filed->status_url), std::string::npos);

    auto messages = m_store->messages_of(t.id).value();
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].channel, "web");
    EXPECT_NE(messages[0].text.find("When it happened: 26 November"), std::string::npos) << messages[0].text;
    EXPECT_NE(messages[0].text.find("Order or reference number: ORDER-77"), std::string::npos);
    // The files are kept with the message as mail keeps them: in its RFC 5322 form.
    auto raw = letters::testing::read_message(messages[0].raw);
    EXPECT_NE(raw.header("Content-Type").find("multipart/mixed"), std::string::npos);
    EXPECT_NE(messages[0].raw.find("filename=\"photo.jpg\""), std::string::npos) << messages[0].raw;
    EXPECT_NE(messages[0].raw.find("filename*=utf-8''%D1%87%D0%B5%D0%BA.pdf"), std::string::npos);
    EXPECT_NE(messages[0].raw.find("JVBERi0xLjQgcmVjZWlwdA=="), std::string::npos);  // "%PDF-1.4 receipt"
    EXPECT_NE(messages[0].classification.find("\"complaint form\""), std::string::npos);

    // The same form sent twice: one ticket.
    auto again = m_service->file_complaint(form);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->outcome.action, pipeline::IngestOutcome::Action::duplicate);

    // A phone alone will do; neither is refused, as is an address that is not one.
    service::WebComplaint by_phone;
    by_phone.phone = "+7 900 111-11-11";
    by_phone.details = "Nobody came to repair the washing machine although you promised it for today.";
    auto phoned = m_service->file_complaint(by_phone);
    ASSERT_TRUE(phoned.ok()) << phoned.error().message;
    EXPECT_EQ(ticket(phoned->outcome.ticket_number).customer.phone, "+7 900 111-11-11");
    EXPECT_TRUE(letters(phoned->outcome.ticket_number, "acknowledgement").empty());
    by_phone.phone.clear();
    EXPECT_TRUE(m_service->file_complaint(by_phone).error().is(ErrorKind::invalid));
    by_phone.email = "Anna <anna@customer.test>";
    EXPECT_TRUE(m_service->file_complaint(by_phone).error().is(ErrorKind::invalid));
}

TEST_F(TicketServiceTest, TheFormNeverJoinsAnotherTicketWhateverItSays)
{
    std::string n = open_complaint();
    service::WebComplaint form;
    form.email = "anna@customer.test";  // the customer of n
    form.details = "[" + n + "] Please also refund the delivery fee, it was charged twice.";
    form.key = "form:nonce-2";
    auto filed = m_service->file_complaint(form);
    ASSERT_TRUE(filed.ok()) << filed.error().message;
    EXPECT_EQ(filed->outcome.action, pipeline::IngestOutcome::Action::created);
    EXPECT_NE(filed->outcome.ticket_number, n);
    EXPECT_EQ(m_store->messages_of(ticket(n).id).value().size(), 1u);
}

TEST_F(TicketServiceTest, AMessageFromTheStatusPageIsTheCustomersOnTheirTicket)
{
    std::string n = open_complaint();
    ASSERT_TRUE(step(n, K::take, k_agent).ok());
    ASSERT_TRUE(step(n, K::waiting, k_agent, [](auto& c) { c.step.reason = "Asked for a photo"; }).ok());
    EXPECT_TRUE(ticket(n).awaiting_customer);
    auto added = m_service->add_customer_message(n, "Here is the order number: ORDER-77.", "status:n1");
    ASSERT_TRUE(added.ok()) << added.error().message;
    EXPECT_EQ(added->action, pipeline::IngestOutcome::Action::updated);
    EXPECT_EQ(added->ticket_number, n);
    EXPECT_FALSE(ticket(n).awaiting_customer);
    auto messages = m_store->messages_of(ticket(n).id).value();
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[1].channel, "web");
    EXPECT_EQ(messages[1].text, "Here is the order number: ORDER-77.");
    EXPECT_EQ(messages[1].from_address, "anna@customer.test");
    // The same form sent twice adds one message; an empty one is refused.
    EXPECT_EQ(m_service->add_customer_message(n, "Here is the order number: ORDER-77.", "status:n1")->action,
              pipeline::IngestOutcome::Action::duplicate);
    EXPECT_TRUE(m_service->add_customer_message(n, "  \n ", "status:n2").error().is(ErrorKind::invalid));
    EXPECT_TRUE(m_service->add_customer_message("RD-999999", "Hello", "status:n3").error().is(ErrorKind::not_found));

    // Long after the resolution, a new ticket that names the old one.
    std::string q = ingest(complaint("q1", "Hello, do you deliver to Minsk?\r\n", "Delivery to Minsk"), "q1");
    ASSERT_TRUE(step(q, K::resolve, k_agent, [](auto& c) { c.step.summary = "Answered"; }).ok());
    m_clock.advance(Seconds{31 * 86400});
    auto later = m_service->add_customer_message(q, "The courier never came to Minsk, I am very unhappy.", "status:n4");
    ASSERT_TRUE(later.ok());
    EXPECT_EQ(later->action, pipeline::IngestOutcome::Action::created);
    EXPECT_NE(later->ticket_number, q);
    EXPECT_EQ(ticket(q).status, TicketStatus::resolved);
}

TEST_F(TicketServiceTest, TheCustomerSeesNothingInternal)
{
    std::string n = open_complaint();
    ASSERT_TRUE(step(n, K::take, k_agent).ok());
    ASSERT_TRUE(step(n, K::note, k_agent, [](auto& c) { c.step.text = "Customer sounds like a regular"; }).ok());
    ASSERT_TRUE(step(n, K::verdict, k_agent, [](auto& c) {
                    c.step.verdict = "justified";
                    c.step.reason = "The courier dropped it";
                }).ok());
    for (std::string target : {"customer", "process"})
        ASSERT_TRUE(step(n, K::add_action, k_agent, [&](auto& c) {
                        c.step.target = target;
                        c.step.text = target == "customer" ? "Send a new kettle" : "Pack kettles in foam";
                        c.step.responsible = "alice";
                        c.step.due = k_start + Seconds{86400};
                    }).ok());
    send_due_letters();
    auto status = m_service->customer_status(n);
    ASSERT_TRUE(status.ok()) << status.error().message;
    EXPECT_EQ(status->ticket.number, n);
    ASSERT_EQ(status->actions.size(), 1u);
    EXPECT_EQ(status->actions[0].text, "Send a new kettle");
    ASSERT_FALSE(status->letters.empty());
    for (const auto& l : status->letters) {
        EXPECT_EQ(l.status, LetterStatus::sent);
        EXPECT_EQ(l.recipient, "anna@customer.test") << l.template_name;
    }
    ASSERT_EQ(status->messages.size(), 1u);
    EXPECT_TRUE(m_service->customer_status("RD-999999").error().is(ErrorKind::not_found));
}

TEST_F(TicketServiceTest, FormTokensAreSignedForOnePurposeAndCarryTheirTime)
{
    auto token = m_service->form_token("complain");
    ASSERT_TRUE(token.ok());
    auto read = m_service->check_form_token("complain", *token).value();
    ASSERT_TRUE(read);
    EXPECT_EQ(read->issued, k_start);
    EXPECT_FALSE(read->nonce.empty());
    EXPECT_FALSE(m_service->check_form_token("status:RD-000001", *token).value());
    // The time is signed: moved back, the token is no longer ours.
    std::string moved = std::to_string(k_start.time_since_epoch().count() - 60) + token->substr(token->find('.'));
    EXPECT_FALSE(m_service->check_form_token("complain", moved).value());
    EXPECT_FALSE(m_service->check_form_token("complain", "").value());
    EXPECT_FALSE(m_service->check_form_token("complain", "x.y.z").value());
    EXPECT_NE(m_service->form_token("complain").value(), *token);
}

TEST_F(TicketServiceTest, AQuestionCorrectedToAMajorComplaintGetsTheMajorDeadlinesAndTheOwnersAlert)
{
    std::string n = ingest(
        complaint("rq1", "Hello, do you deliver to Minsk and how long does it take?\r\n", "Delivery to Minsk"), "rq1");
    Ticket before = ticket(n);
    ASSERT_EQ(before.kind, Kind::question);
    // The built-in policy of a question: a first response within PT8H, around the clock.
    EXPECT_EQ(before.first_response_due, k_start + std::chrono::hours(8));
    ASSERT_EQ(letters(n, "question_received").size(), 1u);

    m_clock.advance(std::chrono::hours(1));
    auto refused = step(n, K::reclassify, k_agent, [](auto& c) { c.step.new_kind = "complaint"; });
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(refused.error().is(ErrorKind::invalid)) << refused.error().message;

    auto done = step(n, K::reclassify, k_agent, [](auto& c) {
        c.step.new_kind = "complaint";
        c.step.new_severity = "major";
        c.step.reason = "She asks where her refund is; the court is mentioned further down";
    });
    ASSERT_TRUE(done.ok()) << done.error().message;
    Ticket after = ticket(n);
    EXPECT_EQ(after.kind, Kind::complaint);
    EXPECT_EQ(after.severity, Severity::major);
    // The major complaint's policy, counted from the opening as if it had applied from the start:
    // PT2H and P3D.
    EXPECT_EQ(after.first_response_due, k_start + std::chrono::hours(2));
    EXPECT_EQ(after.resolution_due, k_start + std::chrono::hours(72));
    // The owner hears of it as of a new major complaint; the customer is not acknowledged twice.
    auto alerts = letters(n, "major_complaint");
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(alerts[0].recipient, "olga@shop.test");
    EXPECT_EQ(letters(n, "acknowledgement").size(), 0u);

    // Audited: who, the old and new values, why; and the clock row the deadlines are computed from.
    auto audit = m_store->audit_of(after.id).value();
    auto row = std::find_if(audit.begin(), audit.end(), [](auto& a) { return a.action == "ticket.reclassified"; });
    ASSERT_NE(row, audit.end());
    EXPECT_EQ(row->actor, "alice");
    EXPECT_EQ(row->at, k_start + std::chrono::hours(1));
    auto detail = nlohmann::json::parse(row->detail);
    EXPECT_EQ(detail["from_kind"], "question");
    EXPECT_EQ(detail["from_severity"], "normal");
    EXPECT_EQ(detail["kind"], "complaint");
    EXPECT_EQ(detail["severity"], "major");
    EXPECT_EQ(detail["reason"], "She asks where her refund is; the court is mentioned further down");
    EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](auto& a) { return a.action == "clock.reclassified"; }));

    // Kept as a labelled example: the customer's words, their language, the corrected values.
    auto kept = m_store->corrections().value();
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_EQ(kept[0].ticket_number, n);
    EXPECT_NE(kept[0].text.find("deliver to Minsk"), std::string::npos);
    EXPECT_EQ(kept[0].subject, "Delivery to Minsk");
    EXPECT_EQ(kept[0].language, "en");
    EXPECT_EQ(kept[0].kind, Kind::complaint);
    EXPECT_EQ(kept[0].severity, Severity::major);
    EXPECT_EQ(kept[0].from_kind, Kind::question);
    EXPECT_EQ(kept[0].by, "alice");
    EXPECT_EQ(kept[0].at, k_start + std::chrono::hours(1));

    // From then on the workflow treats it as the complaint it is: it takes a verdict.
    ASSERT_TRUE(step(n, K::take, k_agent).ok());
    auto verdict = step(n, K::verdict, k_agent, [](auto& c) {
        c.step.verdict = "justified";
        c.step.reason = "The refund was late";
        c.preview = true;
    });
    ASSERT_TRUE(verdict.ok()) << verdict.error().message;
    ASSERT_TRUE(verdict->letter);
    EXPECT_EQ(verdict->letter->template_name, "apology");
}

TEST_F(TicketServiceTest, AMessageLeftUnacknowledgedGetsTheAcknowledgementOfItsCorrectedKind)
{
    // Bulk mail gets no automatic answer whatever it says, so the ticket stays new.
    std::string bytes =
        complaint("rb1", "Hello, do you deliver to Minsk and how long does it take?\r\n", "Delivery to Minsk");
    bytes.insert(0, "Precedence: bulk\r\n");
    std::string n = ingest(bytes, "rb1");
    ASSERT_EQ(ticket(n).status, TicketStatus::new_ticket);
    ASSERT_TRUE(letters(n, "acknowledgement").empty());
    ASSERT_TRUE(letters(n, "question_received").empty());
    const Kind first = ticket(n).kind;
    Kind other = first == Kind::complaint ? Kind::question : Kind::complaint;

    auto preview = step(n, K::reclassify, k_manager, [&](auto& c) {
        c.step.new_kind = std::string(to_string(other));
        c.step.reason = "A customer writing from a list address";
        c.preview = true;
    });
    ASSERT_TRUE(preview.ok()) << preview.error().message;
    ASSERT_TRUE(preview->letter);
    EXPECT_EQ(preview->letter->template_name, *tickets::acknowledgement_for(other));
    EXPECT_EQ(ticket(n).kind, first) << "a preview changes nothing";
    EXPECT_TRUE(m_store->corrections().value().empty()) << "a preview keeps nothing";

    auto done = step(n, K::reclassify, k_manager, [&](auto& c) {
        c.step.new_kind = std::string(to_string(other));
        c.step.reason = "A customer writing from a list address";
    });
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_EQ(ticket(n).status, TicketStatus::acknowledged);
    auto sent = letters(n, *tickets::acknowledgement_for(other));
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].dedup_key, "ack:" + n);
    EXPECT_EQ(sent[0].recipient, "anna@customer.test");
    EXPECT_NE(sent[0].content.find("Auto-Submitted: auto-replied"), std::string::npos);
    auto audit = m_store->audit_of(ticket(n).id).value();
    EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](auto& a) { return a.action == "clock.acknowledged"; }));
    // The acknowledgement promised the new kind's first response: no policy change after it.
    EXPECT_TRUE(ticket(n).first_response_due);
}
