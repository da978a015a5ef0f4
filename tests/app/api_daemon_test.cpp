// The manager's API over real HTTP on loopback against `redress serve` (not handler calls): people
// made with the CLI and the API, a complaint from the drop folder carried through the whole
// workflow to the survey and its signed page, the unjustified path, the refusals (401, 403, 409,
// 422, 429) and their counts in /metrics, two steps racing on one ticket, the session cookie with
// its CSRF token, a phone complaint, and a template edited through the API used by the next letter.

#include "common/time.hpp"
#include "daemon_fixtures.hpp"
#include "daemon_http.hpp"
#include "daemon_process.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <map>
#include <regex>
#include <thread>

namespace redress::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using nlohmann::json;

const std::string k_owner_password = "the owner's long password";
const std::string k_agent_password = "the agent's long password";

std::string api_config()
{
    return R"({"company": {"name": "Kettle Shop", "support_address": "Support <support@shop.test>"},)"
           R"( "http": {"listen": "127.0.0.1:0"},)"
           R"( "workflow": {"survey_delay": "PT1S",)"
           R"(   "resolution_codes": [{"code": "FIXED", "label": {"en": "Fixed for the customer"}}]}})";
}

Reply post(int port, const std::string& path, const std::string& token, const json& body, httplib::Headers headers = {})
{
    return call(port, "POST", path, token, body.dump(), std::move(headers));
}

class ApiDaemon : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_data = m_scratch / "data";
        m_config = m_scratch / "redress.json";
        write_file(m_config, api_config());
        // The owner comes from the command line (the first person of an installation).
        m_owner = owner_with_token(m_data, m_config, "olga", k_owner_password);
        ASSERT_FALSE(m_owner.empty());

        m_daemon = std::make_unique<DaemonProcess>(m_scratch / "daemon.log");
        ASSERT_TRUE(m_daemon->serve(m_data, m_config)) << m_daemon->log();
        m_port = listening_port(*m_daemon);
        ASSERT_GT(m_port, 0) << m_daemon->log();

        // The agent comes from the API, with a token the owner makes for her.
        Reply ann = post(m_port, "/api/v1/people", m_owner,
                         {{"name", "ann"},
                          {"role", "agent"},
                          {"password", k_agent_password},
                          {"email", "ann@shop.test"},
                          {"display_name", "Ann Lee"}});
        ASSERT_EQ(ann.status, 201) << ann;
        Reply ann_token = post(m_port, "/api/v1/people/ann/tokens", m_owner, {{"label", "test"}});
        ASSERT_EQ(ann_token.status, 201) << ann_token;
        m_agent = ann_token.body_json()["token"].get<std::string>();
    }

    void TearDown() override
    {
        if (!m_daemon)
            return;
        EXPECT_EQ(m_daemon->terminate(), 0) << m_daemon->log();
        // No secret in the log, ever.
        {
            std::string log = m_daemon->log();
            EXPECT_EQ(log.find(m_owner), std::string::npos) << "the owner's token is in the log";
            if (!m_agent.empty()) {
                EXPECT_EQ(log.find(m_agent), std::string::npos) << "the agent's token is in the log";
            }
            EXPECT_EQ(log.find(k_owner_password), std::string::npos) << "a password is in the log";
        }
    }

    // Drops complaint `index` and returns its ticket's number once the daemon made it.
    std::string complaint(int index)
    {
        int before = m_daemon->count_log("action=created");
        drop_message(m_data / "inbox", "c" + std::to_string(index) + ".eml", complaint_message(index, "api"));
        EXPECT_TRUE(m_daemon->wait_for_log("action=created", 15s, before + 1)) << m_daemon->log();
        Reply list = call(m_port, "GET", "/api/v1/tickets?limit=1", m_agent);
        EXPECT_EQ(list.status, 200) << list;
        auto tickets = list.body_json()["tickets"];
        return tickets.empty() ? std::string() : tickets[0]["number"].get<std::string>();
    }

    std::string etag_of(const std::string& number)
    {
        return call(m_port, "GET", "/api/v1/tickets/" + number, m_agent).header("ETag");
    }

    Reply step(const std::string& number, const std::string& name, const json& body, const std::string& token = {},
               const std::string& if_match = {})
    {
        httplib::Headers headers;
        if (!if_match.empty())
            headers.emplace("If-Match", if_match);
        return post(m_port, "/api/v1/tickets/" + number + "/" + name, token.empty() ? m_agent : token, body, headers);
    }

    json ticket(const std::string& number)
    {
        return call(m_port, "GET", "/api/v1/tickets/" + number, m_agent).body_json();
    }

    // The letters in the file outbox whose decoded body contains `text`.
    std::vector<StoredLetter> letters_with(const std::string& text)
    {
        std::vector<StoredLetter> out;
        for (auto& l : letters_in(m_data / "outbox"))
            if (l.body().find(text) != std::string::npos || l.header("Subject").find(text) != std::string::npos)
                out.push_back(std::move(l));
        return out;
    }

    ScratchDir m_scratch;
    fs::path m_data;
    fs::path m_config;
    std::unique_ptr<DaemonProcess> m_daemon;
    int m_port = 0;
    std::string m_owner;
    std::string m_agent;
};

TEST_F(ApiDaemon, CarriesAJustifiedComplaintFromArrivalToTheCustomersRating)
{
    std::string number = complaint(1);
    ASSERT_FALSE(number.empty());

    Reply shown = call(m_port, "GET", "/api/v1/tickets/" + number, m_agent);
    ASSERT_EQ(shown.status, 200) << shown;
    json view = shown.body_json();
    EXPECT_EQ(shown.header("ETag"), "\"v" + std::to_string(view["version"].get<long long>()) + "\"");
    ASSERT_EQ(view["messages"].size(), 1u) << view.dump(2);
    EXPECT_NE(view["messages"][0]["text"].get<std::string>().find("arrived broken"), std::string::npos);
    EXPECT_FALSE(view["deadlines"].empty()) << view.dump(2);
    EXPECT_TRUE(view["deadlines"][0]["seconds_left"].is_number_integer()) << view.dump(2);
    EXPECT_NE(std::find(view["available_steps"].begin(), view["available_steps"].end(), "take"),
              view["available_steps"].end())
        << view.dump(2);

    Reply took = step(number, "take", json::object(), {}, shown.header("ETag"));
    ASSERT_EQ(took.status, 200) << took;
    EXPECT_EQ(took.body_json()["ticket"]["status"], "investigating");
    EXPECT_EQ(took.body_json()["ticket"]["assignee"], "ann");

    // The apology, previewed (nothing changes), then sent with the person's own words.
    std::string before = etag_of(number);
    Reply preview =
        step(number, "verdict", {{"verdict", "justified"}, {"reason", "The kettle was faulty."}, {"preview", true}});
    ASSERT_EQ(preview.status, 200) << preview;
    json letter = preview.body_json()["letter"];
    ASSERT_TRUE(letter.is_object()) << preview;
    EXPECT_EQ(letter["template"], "apology");
    EXPECT_NE(letter["subject"].get<std::string>().find(number), std::string::npos) << letter.dump(2);
    EXPECT_FALSE(letter["body"].get<std::string>().empty());
    EXPECT_EQ(etag_of(number), before) << "a preview changed the ticket";

    const std::string own_words = "Dear customer, we are sorry; a new kettle is on its way. Ann (edited-7c1)";
    Reply verdict =
        step(number, "verdict",
             {{"verdict", "justified"}, {"reason", "The kettle was faulty."}, {"letter", {{"body", own_words}}}});
    ASSERT_EQ(verdict.status, 200) << verdict;
    EXPECT_EQ(verdict.body_json()["ticket"]["verdict"], "justified");
    EXPECT_TRUE(verdict.body_json()["letter_id"].is_number_integer()) << verdict;
    ASSERT_TRUE(wait_until([&] { return !letters_with("edited-7c1").empty(); }, 20s)) << m_daemon->log();

    // Two corrective actions: one for this customer, one for the process; the first one done.
    Reply for_customer =
        step(number, "actions",
             {{"for", "customer"}, {"text", "Send a new kettle"}, {"responsible", "ann"}, {"due", "2030-12-10"}});
    ASSERT_EQ(for_customer.status, 200) << for_customer;
    Reply for_process = step(
        number, "actions",
        {{"for", "process"}, {"text", "Pack kettles in double boxes"}, {"responsible", "olga"}, {"due", "2031-01-31"}});
    ASSERT_EQ(for_process.status, 200) << for_process;
    EXPECT_EQ(for_process.body_json()["ticket"]["status"], "action_planned") << for_process;
    std::int64_t action_id = for_customer.body_json()["action"]["id"].get<std::int64_t>();
    Reply done = post(m_port, "/api/v1/tickets/" + number + "/actions/" + std::to_string(action_id), m_agent,
                      {{"state", "done"}, {"note", "Sent by courier"}});
    ASSERT_EQ(done.status, 200) << done;

    // Resolve needs a summary (422, nothing changes); then it sends the resolution letter.
    Reply no_summary = step(number, "resolve", json::object());
    EXPECT_EQ(no_summary.status, 422) << no_summary;
    EXPECT_EQ(no_summary.body_json()["error"].is_string(), true) << no_summary;
    EXPECT_FALSE(no_summary.body_json()["message"].get<std::string>().empty());
    Reply resolved = step(number, "resolve", {{"summary", "A new kettle was sent and arrived whole."}});
    ASSERT_EQ(resolved.status, 200) << resolved;
    EXPECT_EQ(resolved.body_json()["ticket"]["status"], "resolved");

    // An agent may not sign off (403); the owner does, with a code; the survey follows after its delay.
    Reply by_agent = step(number, "signoff", {{"code", "FIXED"}});
    EXPECT_EQ(by_agent.status, 403) << by_agent;
    Reply signed_off = step(number, "signoff", {{"code", "FIXED"}}, m_owner);
    ASSERT_EQ(signed_off.status, 200) << signed_off;
    EXPECT_EQ(signed_off.body_json()["ticket"]["status"], "closed");
    EXPECT_EQ(signed_off.body_json()["ticket"]["resolution_code"], "FIXED");

    std::string survey_path;
    ASSERT_TRUE(wait_until(
        [&] {
            std::smatch m;
            for (auto& l : letters_in(m_data / "outbox")) {
                std::string body = l.body();
                if (std::regex_search(body, m, std::regex(R"((/survey/[A-Za-z0-9%-]+/[A-Za-z0-9_-]+))"))) {
                    survey_path = m[1].str();
                    return true;
                }
            }
            return false;
        },
        30s))
        << m_daemon->log();

    // The page: the GET shows the form and records nothing; a wrong signature is nothing at all.
    Reply page = call(m_port, "GET", survey_path, "");
    ASSERT_EQ(page.status, 200) << page;
    EXPECT_NE(page.header("Content-Type").find("text/html"), std::string::npos);
    EXPECT_NE(page.body.find("type=\"radio\""), std::string::npos) << page.body;
    EXPECT_TRUE(ticket(number)["ratings"].empty());
    Reply forged = call(m_port, "GET", survey_path.substr(0, survey_path.rfind('/') + 1) + "AAAAforged", "");
    EXPECT_EQ(forged.status, 404) << forged;
    // The form's signed token (base64url and dots: nothing to escape in a urlencoded body).
    std::smatch token;
    ASSERT_TRUE(std::regex_search(page.body, token, std::regex(R"x(name="token" value="([^"]+)")x"))) << page.body;
    Reply rated = call(m_port, "POST", survey_path, "",
                       "token=" + token[1].str() + "&score=5&comment=Quick+and+kind+%3Cb%3Ethanks%3C%2Fb%3E", {},
                       "application/x-www-form-urlencoded");
    ASSERT_EQ(rated.status, 200) << rated;
    json ratings = ticket(number)["ratings"];
    ASSERT_EQ(ratings.size(), 1u) << ratings.dump(2);
    EXPECT_EQ(ratings[0]["score"], 5);
    EXPECT_EQ(ratings[0]["source"], "link");
    EXPECT_EQ(ratings[0]["comment"], "Quick and kind <b>thanks</b>");

    // The customer also answers the survey letter by mail: a score and a few words rate the closed
    // ticket without reopening it.
    std::string customer = "customer1@example.org";
    drop_message(m_data / "inbox", "rating.eml",
                 "From: Customer <" + customer + ">\r\nTo: Support <support@example.com>\r\nSubject: Re: [" + number +
                     "] How did we handle your complaint?\r\nMessage-ID: <rating-" + number +
                     "@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n4 - спасибо!\r\n");
    ASSERT_TRUE(wait_until([&] { return ticket(number)["ratings"].size() == 2; }, 15s)) << m_daemon->log();
    json by_reply = ticket(number);
    EXPECT_EQ(by_reply["ratings"][1]["score"], 4);
    EXPECT_EQ(by_reply["ratings"][1]["source"], "reply");
    EXPECT_EQ(by_reply["status"], "closed");

    json final_view = ticket(number);
    EXPECT_EQ(final_view["actions"].size(), 2u);
    EXPECT_FALSE(final_view["audit"].empty());
    bool apology_listed = false;
    for (auto& l : final_view["letters"])
        apology_listed = apology_listed || l["template"] == "apology";
    EXPECT_TRUE(apology_listed) << final_view["letters"].dump(2);
    EXPECT_GE(metric(m_port, R"(redress_api_refusals_total{status="403"})"), 1);
}

TEST_F(ApiDaemon, AnUnjustifiedComplaintGetsItsExplanationAndIsResolved)
{
    std::string number = complaint(2);
    ASSERT_FALSE(number.empty());
    ASSERT_EQ(step(number, "take", json::object()).status, 200);
    Reply preview =
        step(number, "verdict",
             {{"verdict", "unjustified"}, {"reason", "The seal was opened by the customer."}, {"preview", true}});
    ASSERT_EQ(preview.status, 200) << preview;
    EXPECT_EQ(preview.body_json()["letter"]["template"], "unjustified") << preview;
    Reply verdict =
        step(number, "verdict", {{"verdict", "unjustified"}, {"reason", "The seal was opened by the customer."}});
    ASSERT_EQ(verdict.status, 200) << verdict;
    EXPECT_EQ(verdict.body_json()["ticket"]["status"], "unjustified");
    // No process action is needed for an unjustified complaint: one for the customer completes the plan.
    Reply action =
        step(number, "actions",
             {{"for", "customer"}, {"text", "Offer a paid repair"}, {"responsible", "ann"}, {"due", "2030-12-10"}});
    ASSERT_EQ(action.status, 200) << action;
    std::int64_t id = action.body_json()["action"]["id"].get<std::int64_t>();
    ASSERT_EQ(post(m_port, "/api/v1/tickets/" + number + "/actions/" + std::to_string(id), m_agent, {{"state", "done"}})
                  .status,
              200);
    Reply resolved = step(number, "resolve", {{"summary", "Explained; a paid repair offered."}});
    ASSERT_EQ(resolved.status, 200) << resolved;
    EXPECT_EQ(resolved.body_json()["ticket"]["status"], "resolved");
}

TEST_F(ApiDaemon, StaffCorrectTheKindAndSeverityAndTheDeadlinesFollow)
{
    std::string number = complaint(4);
    ASSERT_FALSE(number.empty());
    json before = ticket(number);
    ASSERT_EQ(before["kind"], "complaint");
    ASSERT_EQ(before["severity"], "normal") << before;
    auto steps = before["available_steps"];
    EXPECT_NE(std::find(steps.begin(), steps.end(), "reclassify"), steps.end()) << steps;

    // No reason: 422 naming the field; a major question: 422; nothing changes.
    Reply no_reason = step(number, "reclassify", {{"kind", "complaint"}, {"severity", "major"}});
    EXPECT_EQ(no_reason.status, 422) << no_reason;
    EXPECT_NE(no_reason.body_json()["message"].get<std::string>().find("\"reason\""), std::string::npos);
    EXPECT_EQ(step(number, "reclassify", {{"kind", "question"}, {"severity", "major"}, {"reason", "x"}}).status, 422);
    Reply same = step(number, "reclassify", {{"kind", "complaint"}, {"severity", "normal"}, {"reason", "x"}});
    EXPECT_EQ(same.status, 409) << same;

    std::string etag = etag_of(number);
    Reply corrected =
        step(number, "reclassify",
             {{"kind", "complaint"}, {"severity", "major"}, {"reason", "A chargeback is threatened"}}, {}, etag);
    ASSERT_EQ(corrected.status, 200) << corrected;
    EXPECT_EQ(corrected.body_json()["ticket"]["severity"], "major") << corrected;
    EXPECT_NE(corrected.header("ETag"), etag);

    json after = ticket(number);
    EXPECT_EQ(after["kind"], "complaint");
    EXPECT_EQ(after["severity"], "major");
    // The major complaint's first response (PT2H, around the clock without a calendar), counted
    // from the opening.
    std::optional<TimePoint> opened;
    json row;
    for (auto& a : after["audit"]) {
        if (a["action"] == "clock.opened")
            opened = parse_iso8601(a["at"].get<std::string>());
        if (a["action"] == "ticket.reclassified")
            row = a;
    }
    ASSERT_TRUE(opened) << after["audit"];
    auto due = parse_iso8601(after["first_response_due"].get<std::string>());
    ASSERT_TRUE(due) << after;
    EXPECT_EQ(*due - *opened, Seconds{2 * 3600}) << after;
    ASSERT_TRUE(row.is_object()) << after["audit"];
    EXPECT_EQ(row["actor"], "ann");
    EXPECT_EQ(row["detail"]["from_severity"], "normal");
    EXPECT_EQ(row["detail"]["severity"], "major");
    EXPECT_EQ(row["detail"]["reason"], "A chargeback is threatened");

    // The OpenAPI document describes the step.
    Reply doc = call(m_port, "GET", "/api/v1/openapi.json", m_agent);
    ASSERT_EQ(doc.status, 200);
    EXPECT_NE(doc.body.find("reclassify"), std::string::npos);
}

TEST_F(ApiDaemon, RefusesWithoutCredentialsTheWrongRoleAStaleVersionAndBadInputAndCountsIt)
{
    std::string number = complaint(3);
    ASSERT_FALSE(number.empty());

    Reply anonymous = call(m_port, "GET", "/api/v1/tickets", "");
    EXPECT_EQ(anonymous.status, 401) << anonymous;
    EXPECT_TRUE(anonymous.header("WWW-Authenticate").starts_with("Bearer")) << anonymous.header("WWW-Authenticate");
    EXPECT_TRUE(anonymous.body_json()["message"].is_string());
    Reply bad_token = call(m_port, "GET", "/api/v1/tickets", "rdt_not-a-token");
    EXPECT_EQ(bad_token.status, 401) << bad_token;
    EXPECT_EQ(call(m_port, "GET", "/api/v1/people", m_agent).status, 403);
    EXPECT_EQ(call(m_port, "PUT", "/api/v1/templates/en/apology", m_agent, R"({"text": "x"})").status, 403);

    // A stale If-Match: 409 with the ticket as it is now.
    std::string first = etag_of(number);
    ASSERT_EQ(step(number, "take", json::object(), {}, first).status, 200);
    Reply stale = step(number, "notes", {{"text", "Called the customer"}}, {}, first);
    EXPECT_EQ(stale.status, 409) << stale;
    EXPECT_EQ(stale.body_json()["ticket"]["number"], number) << stale;
    EXPECT_NE(stale.header("ETag"), first);

    // Steps out of order change nothing: resolve before a verdict.
    Reply early = step(number, "resolve", {{"summary", "done"}});
    EXPECT_EQ(early.status, 409) << early;
    Reply unknown_field = step(number, "notes", {{"txt", "typo"}});
    EXPECT_EQ(unknown_field.status, 422) << unknown_field;

    // A template with a placeholder nobody fills: 422 naming the line, nothing saved.
    Reply bad_template = call(m_port, "PUT", "/api/v1/templates/en/apology", m_owner,
                              json{{"text", "Subject: [{{ticket.number}}] Sorry\n\nDear {{customer.nmae}},\n"}}.dump());
    EXPECT_EQ(bad_template.status, 422) << bad_template;
    EXPECT_NE(bad_template.body_json()["message"].get<std::string>().find("line"), std::string::npos) << bad_template;
    Reply versions = call(m_port, "GET", "/api/v1/templates/en/apology/versions", m_agent);
    ASSERT_EQ(versions.status, 200) << versions;
    EXPECT_TRUE(versions.body_json()["versions"].empty()) << versions;

    // Two people at once on one version: exactly one wins, the other gets 409.
    std::string now = etag_of(number);
    std::atomic<int> won{0}, lost{0};
    auto racer = [&](const std::string& token, const std::string& text) {
        int status = step(number, "notes", {{"text", text}}, token, now).status;
        (status == 200 ? won : lost) += status == 200 || status == 409 ? 1 : 0;
    };
    std::thread a(racer, m_agent, "first note");
    std::thread b(racer, m_owner, "second note");
    a.join();
    b.join();
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(lost.load(), 1);
    EXPECT_EQ(ticket(number)["notes"].size(), 1u);

    EXPECT_GE(metric(m_port, R"(redress_api_refusals_total{status="401"})"), 2);
    EXPECT_GE(metric(m_port, R"(redress_api_refusals_total{status="403"})"), 2);
}

// One customer across channels over HTTP: the ticket names its customer and the earlier complaint,
// an agent may look but not merge (403), a manager merges two customers and undoes it, and merges
// two tickets of one matter (409 for two customers until confirmed); the merged ticket says where it went.
TEST_F(ApiDaemon, CustomersAndMergedTicketsAgentsLookManagersMerge)
{
    std::string first = complaint(41);
    // The same person writes again from the same address (another matter, its own thread).
    int before = m_daemon->count_log("action=created");
    std::string again = complaint_message(42, "api");
    auto from = again.find("customer42@example.org");
    ASSERT_NE(from, std::string::npos);
    again.replace(from, std::string("customer42@example.org").size(), "Customer41@Example.org");
    drop_message(m_data / "inbox", "c42.eml", again);
    ASSERT_TRUE(m_daemon->wait_for_log("action=created", 15s, before + 1)) << m_daemon->log();
    std::string second =
        call(m_port, "GET", "/api/v1/tickets?limit=1", m_agent).body_json()["tickets"][0]["number"].get<std::string>();
    std::string other = complaint(43);
    ASSERT_FALSE(first.empty());
    ASSERT_NE(first, second);

    json view = ticket(second);
    ASSERT_TRUE(view["customer"]["id"].is_number()) << view["customer"];
    auto anna = view["customer"]["id"].get<std::int64_t>();
    EXPECT_EQ(view["customer"]["identities"][0]["value"], "customer41@example.org");
    ASSERT_EQ(view["earlier_tickets"].size(), 1u) << view["earlier_tickets"];
    EXPECT_EQ(view["earlier_tickets"][0]["number"], first);
    EXPECT_TRUE(view["merged_into"].is_null());
    auto stranger = ticket(other)["customer"]["id"].get<std::int64_t>();
    ASSERT_NE(stranger, anna);

    Reply found = call(m_port, "GET", "/api/v1/customers?q=CUSTOMER41%40example.org", m_agent);
    ASSERT_EQ(found.status, 200) << found;
    ASSERT_EQ(found.body_json()["customers"].size(), 1u) << found;
    EXPECT_EQ(found.body_json()["customers"][0]["id"], anna);
    Reply shown = call(m_port, "GET", "/api/v1/customers/" + std::to_string(anna), m_agent);
    ASSERT_EQ(shown.status, 200) << shown;
    EXPECT_EQ(shown.body_json()["tickets"].size(), 2u) << shown;
    EXPECT_EQ(call(m_port, "GET", "/api/v1/customers/999999", m_agent).status, 404);
    // The command line beside the daemon: by any of the customer's addresses, or by id.
    auto cli = run_redress({"customer", "show", "customer41@EXAMPLE.org", "--json", "--data-dir", m_data.string(),
                            "--config", m_config.string()});
    ASSERT_EQ(cli.exit_code, 0) << cli.out << cli.err;
    json printed = json::parse(cli.out, nullptr, false);
    ASSERT_FALSE(printed.is_discarded()) << cli.out;
    EXPECT_EQ(printed["id"], anna);
    EXPECT_EQ(printed["tickets"].size(), 2u);
    auto by_id = run_redress(
        {"customer", "show", std::to_string(anna), "--data-dir", m_data.string(), "--config", m_config.string()});
    ASSERT_EQ(by_id.exit_code, 0) << by_id.out << by_id.err;
    EXPECT_NE(by_id.out.find("customer41@example.org"), std::string::npos) << by_id.out;
    auto nobody = run_redress(
        {"customer", "show", "nobody@example.org", "--data-dir", m_data.string(), "--config", m_config.string()});
    EXPECT_EQ(nobody.exit_code, 1) << nobody.out << nobody.err;

    // Merging customers: managers and the owner only; then undone, exactly.
    std::string merge_path = "/api/v1/customers/" + std::to_string(stranger) + "/merge";
    EXPECT_EQ(post(m_port, merge_path, m_agent, {{"into", anna}}).status, 403);
    Reply merged = post(m_port, merge_path, m_owner, {{"into", anna}});
    ASSERT_EQ(merged.status, 200) << merged;
    EXPECT_EQ(merged.body_json()["id"], anna);
    EXPECT_EQ(merged.body_json()["tickets"].size(), 3u) << merged;
    EXPECT_EQ(post(m_port, merge_path, m_owner, {{"into", anna}}).status, 409);
    std::string unmerge_path = "/api/v1/customers/" + std::to_string(stranger) + "/unmerge";
    EXPECT_EQ(post(m_port, unmerge_path, m_agent, json::object()).status, 403);
    Reply unmerged = post(m_port, unmerge_path, m_owner, json::object());
    ASSERT_EQ(unmerged.status, 200) << unmerged;
    EXPECT_EQ(unmerged.body_json()["id"], stranger);
    EXPECT_EQ(unmerged.body_json()["tickets"].size(), 1u);
    EXPECT_EQ(call(m_port, "GET", "/api/v1/customers/" + std::to_string(anna), m_agent).body_json()["tickets"].size(),
              2u);

    // Merging tickets: the agent is refused, two customers need a confirmation, one customer does not.
    EXPECT_EQ(post(m_port, "/api/v1/tickets/" + other + "/merge", m_agent, {{"into", second}}).status, 403);
    EXPECT_EQ(post(m_port, "/api/v1/tickets/" + other + "/merge", m_owner, {{"into", second}}).status, 409);
    Reply joined = post(m_port, "/api/v1/tickets/" + first + "/merge", m_owner, {{"into", second}});
    ASSERT_EQ(joined.status, 200) << joined;
    EXPECT_EQ(joined.body_json()["ticket"]["number"], second);
    json gone = ticket(first);
    EXPECT_EQ(gone["merged_into"], second) << gone;
    EXPECT_EQ(gone["status"], "closed");
    EXPECT_TRUE(gone["messages"].empty());
    EXPECT_EQ(ticket(second)["messages"].size(), 2u);
    EXPECT_EQ(post(m_port, "/api/v1/tickets/" + first + "/merge", m_owner, {{"into", second}}).status, 409);
}

TEST_F(ApiDaemon, ATemplateSavedThroughTheApiWritesTheNextLetterWithoutARestart)
{
    Reply current = call(m_port, "GET", "/api/v1/templates/en/apology", m_agent);
    ASSERT_EQ(current.status, 200) << current;
    std::string text = current.body_json()["text"].get<std::string>();
    EXPECT_EQ(current.body_json()["version"], 0);
    auto subject_end = text.find('\n');
    ASSERT_NE(subject_end, std::string::npos);
    std::string edited =
        text.substr(0, subject_end) + "\n\nMarker-7731: we changed this letter.\n" + text.substr(subject_end);
    Reply saved = call(m_port, "PUT", "/api/v1/templates/en/apology", m_owner, json{{"text", edited}}.dump());
    ASSERT_EQ(saved.status, 200) << saved;
    EXPECT_EQ(saved.body_json()["version"], 1);
    EXPECT_EQ(saved.body_json()["author"], "olga");

    std::string number = complaint(4);
    ASSERT_FALSE(number.empty());
    ASSERT_EQ(step(number, "take", json::object()).status, 200);
    Reply verdict = step(number, "verdict", {{"verdict", "justified"}, {"reason", "Broken in transit."}});
    ASSERT_EQ(verdict.status, 200) << verdict;
    EXPECT_NE(verdict.body_json()["letter"]["body"].get<std::string>().find("Marker-7731"), std::string::npos)
        << verdict;
    ASSERT_TRUE(wait_until([&] { return !letters_with("Marker-7731").empty(); }, 20s)) << m_daemon->log();

    // The shipped text comes back as version 2.
    Reply restored = post(m_port, "/api/v1/templates/en/apology/restore", m_owner, {{"version", 0}});
    ASSERT_EQ(restored.status, 200) << restored;
    EXPECT_EQ(restored.body_json()["version"], 2);
    Reply again = call(m_port, "GET", "/api/v1/templates/en/apology", m_agent);
    EXPECT_EQ(again.body_json()["text"], text);
}

TEST_F(ApiDaemon, ASessionCookieWorksWithItsCsrfTokenAndFailedSignInsAreLimited)
{
    Reply in = post(m_port, "/api/v1/session", "", {{"name", "olga"}, {"password", k_owner_password}});
    ASSERT_EQ(in.status, 200) << in;
    std::string set_cookie = in.header("Set-Cookie");
    EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
    EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos) << set_cookie;
    EXPECT_NE(set_cookie.find("Max-Age="), std::string::npos) << set_cookie;
    std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
    std::string csrf = in.body_json()["csrf_token"].get<std::string>();

    Reply me = call(m_port, "GET", "/api/v1/me", "", std::nullopt, {{"Cookie", cookie}});
    ASSERT_EQ(me.status, 200) << me;
    EXPECT_EQ(me.body_json()["name"], "olga");
    EXPECT_FALSE(me.body_json().contains("password_hash"));
    // A page reloaded in the browser gets its CSRF token again; a token's caller has none.
    EXPECT_EQ(me.body_json()["csrf_token"], csrf);
    EXPECT_EQ(me.header("Cache-Control"), "no-store");
    EXPECT_FALSE(call(m_port, "GET", "/api/v1/me", m_owner).body_json().contains("csrf_token"));

    json bob{{"name", "bob"}, {"role", "agent"}, {"password", "bob's long password"}};
    Reply no_csrf = call(m_port, "POST", "/api/v1/people", "", bob.dump(), {{"Cookie", cookie}});
    EXPECT_EQ(no_csrf.status, 403) << no_csrf;
    Reply with_csrf =
        call(m_port, "POST", "/api/v1/people", "", bob.dump(), {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
    EXPECT_EQ(with_csrf.status, 201) << with_csrf;

    Reply out =
        call(m_port, "DELETE", "/api/v1/session", "", std::nullopt, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
    EXPECT_EQ(out.status, 204) << out;
    EXPECT_EQ(call(m_port, "GET", "/api/v1/me", "", std::nullopt, {{"Cookie", cookie}}).status, 401);

    // Five wrong passwords, then the name is locked: 429 with when to come back.
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(post(m_port, "/api/v1/session", "", {{"name", "ann"}, {"password", "wrong password"}}).status, 401);
    Reply locked = post(m_port, "/api/v1/session", "", {{"name", "ann"}, {"password", k_agent_password}});
    EXPECT_EQ(locked.status, 429) << locked;
    EXPECT_FALSE(locked.header("Retry-After").empty());
    EXPECT_GE(metric(m_port, R"(redress_api_refusals_total{status="429"})"), 1);
    Reply metrics = call(m_port, "GET", "/metrics", "");
    EXPECT_EQ(metrics.body.find(csrf), std::string::npos);
}

TEST_F(ApiDaemon, SearchesListsByDeadlineAndShowsLettersAttachmentsAndTemplatesForThePage)
{
    // A complaint with a receipt attached; its words are what the search finds.
    std::string mail = "From: Vera Attach <vera@example.org>\r\n"
                       "To: Support <support@shop.test>\r\n"
                       "Subject: Cracked lid, receipt attached\r\n"
                       "Message-ID: <attached-1@example.org>\r\n"
                       "MIME-Version: 1.0\r\n"
                       "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
                       "\r\n"
                       "--b1\r\n"
                       "Content-Type: text/plain; charset=utf-8\r\n"
                       "\r\n"
                       "The lid of the zanzibar kettle arrived cracked. I am disappointed and want a new one.\r\n"
                       "--b1\r\n"
                       "Content-Type: application/pdf; name=\"receipt.pdf\"\r\n"
                       "Content-Disposition: attachment; filename=\"receipt.pdf\"\r\n"
                       "Content-Transfer-Encoding: base64\r\n"
                       "\r\n"
                       "JVBERi0xLjQKJcfsj6IK\r\n"
                       "--b1--\r\n";
    int before = m_daemon->count_log("action=created");
    drop_message(m_data / "inbox", "attached.eml", mail);
    ASSERT_TRUE(m_daemon->wait_for_log("action=created", 15s, before + 1)) << m_daemon->log();
    std::string other = complaint(1);

    Reply found = call(m_port, "GET", "/api/v1/tickets?q=ZANZIBAR", m_agent);
    ASSERT_EQ(found.status, 200) << found;
    ASSERT_EQ(found.body_json()["tickets"].size(), 1u) << found;
    std::string number = found.body_json()["tickets"][0]["number"].get<std::string>();
    EXPECT_EQ(call(m_port, "GET", "/api/v1/tickets?q=vera%40example", m_agent).body_json()["tickets"].size(), 1u);
    EXPECT_EQ(call(m_port, "GET", "/api/v1/tickets?q=" + other, m_agent).body_json()["tickets"][0]["number"], other);
    EXPECT_TRUE(call(m_port, "GET", "/api/v1/tickets?q=50%25_off", m_agent).body_json()["tickets"].empty())
        << "% and _ are searched for as written";

    // The inbox: open tickets, nearest deadline first, in one page.
    Reply due = call(m_port, "GET", "/api/v1/tickets?status=open&order=due&limit=1", m_agent);
    ASSERT_EQ(due.status, 200) << due;
    EXPECT_EQ(due.body_json()["tickets"].size(), 1u);
    EXPECT_TRUE(due.body_json()["next_cursor"].is_null());
    EXPECT_EQ(call(m_port, "GET", "/api/v1/tickets?order=due&cursor=5", m_agent).status, 422);
    EXPECT_EQ(call(m_port, "GET", "/api/v1/tickets?order=oldest", m_agent).status, 422);

    json view = ticket(number);
    ASSERT_EQ(view["messages"].size(), 1u) << view.dump(2);
    ASSERT_EQ(view["messages"][0]["attachments"].size(), 1u) << view.dump(2);
    EXPECT_EQ(view["messages"][0]["attachments"][0]["filename"], "receipt.pdf");
    EXPECT_EQ(view["messages"][0]["attachments"][0]["content_type"], "application/pdf");
    EXPECT_GT(view["messages"][0]["attachments"][0]["size"].get<int>(), 0);
    // The file itself, kept by the daemon under its data directory: to a signed-in person only.
    ASSERT_TRUE(view["messages"][0]["attachments"][0]["stored"].get<bool>()) << view.dump(2);
    std::string url = view["messages"][0]["attachments"][0]["url"].get<std::string>();
    Reply file = call(m_port, "GET", url, m_agent);
    ASSERT_EQ(file.status, 200) << file;
    EXPECT_EQ(file.body.substr(0, 8), "%PDF-1.4");
    EXPECT_EQ(file.header("Content-Type"), "application/pdf");
    EXPECT_TRUE(file.header("Content-Disposition").starts_with("attachment;"));
    EXPECT_EQ(call(m_port, "GET", url, "").status, 401);
    EXPECT_TRUE(m_daemon->count_log("attachments.swept") >= 1) << m_daemon->log();
    ASSERT_FALSE(view["letters"].empty()) << view.dump(2);
    EXPECT_EQ(view["letters"][0]["template"], "acknowledgement");
    EXPECT_NE(view["letters"][0]["text"].get<std::string>().find(number), std::string::npos) << view.dump(2);

    Reply templates = call(m_port, "GET", "/api/v1/templates", m_agent);
    ASSERT_EQ(templates.status, 200) << templates;
    std::map<std::string, json> en;
    json listed = templates.body_json();
    for (const auto& t : listed["templates"])
        if (t["language"] == "en")
            en[t["name"].get<std::string>()] = t;
    EXPECT_EQ(en["apology"]["audience"], "customer");
    EXPECT_EQ(en["apology"]["chat"], false);
    EXPECT_EQ(en["escalation"]["audience"], "staff");
    EXPECT_EQ(en["chat_apology"]["chat"], true);
    json state = call(m_port, "GET", "/api/v1/templates/en/apology", m_agent).body_json();
    std::vector<std::string> names = state["placeholders"].get<std::vector<std::string>>();
    EXPECT_NE(std::find(names.begin(), names.end(), "ticket.number"), names.end()) << state.dump();
    EXPECT_NE(std::find(names.begin(), names.end(), "action.plan"), names.end()) << state.dump();

    // Someone has an account here: no setup link works.
    Reply setup =
        post(m_port, "/api/v1/setup", "", {{"token", "rds_guess"}, {"name", "eve"}, {"password", "a long password"}});
    EXPECT_EQ(setup.status, 403) << setup;
    EXPECT_EQ(setup.body_json()["error"], "setup.token");
}

// Percent-encodes a query value (UTF-8 bytes as %XX), for the search's Cyrillic words.
std::string url_encode(std::string_view text)
{
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

TEST_F(ApiDaemon, FullTextSearchFindsInflectedFormsOverHttpAndOnTheCommandLine)
{
    std::string mail = "From: Olga <olga@example.ru>\r\n"
                       "To: Support <support@shop.test>\r\n"
                       "Subject: <script>alert(1)</script>\r\n"
                       "Message-ID: <search-1@example.ru>\r\n"
                       "MIME-Version: 1.0\r\n"
                       "Content-Type: text/plain; charset=utf-8\r\n"
                       "Content-Transfer-Encoding: 8bit\r\n"
                       "\r\n"
                       "Здравствуйте! Посылку так и не доставили, курьер не отвечает на звонки.\r\n";
    int before = m_daemon->count_log("action=created");
    drop_message(m_data / "inbox", "search.eml", mail);
    ASSERT_TRUE(m_daemon->wait_for_log("action=created", 15s, before + 1)) << m_daemon->log();

    Reply found = call(m_port, "GET", "/api/v1/search?q=" + url_encode("доставка kind:message"), m_agent);
    ASSERT_EQ(found.status, 200) << found;
    json results = found.body_json()["results"];
    ASSERT_EQ(results.size(), 1u) << found;
    EXPECT_EQ(results[0]["from"], "olga@example.ru");
    std::string html = results[0]["snippet_html"];
    EXPECT_NE(html.find("<mark>доставили</mark>"), std::string::npos) << html;
    std::string number = results[0]["ticket"]["number"];
    EXPECT_EQ(call(m_port, "GET", "/api/v1/search?q=" + url_encode("script kind:ticket"), m_agent)
                  .body_json()["results"][0]["snippet_html"]
                  .get<std::string>()
                  .find("<script>"),
              std::string::npos);

    EXPECT_EQ(call(m_port, "GET", "/api/v1/search?q=kettle", "").status, 401);
    Reply malformed = call(m_port, "GET", "/api/v1/search?q=" + url_encode("\"courier"), m_agent);
    EXPECT_EQ(malformed.status, 400) << malformed;
    EXPECT_NE(malformed.body.find("never closed"), std::string::npos) << malformed;

    // The command line reads the same store while the daemon runs.
    auto cli =
        run_redress({"search", "доставки", "--json", "--data-dir", m_data.string(), "--config", m_config.string()});
    ASSERT_EQ(cli.exit_code, 0) << cli.out << cli.err;
    EXPECT_NE(cli.out.find(number), std::string::npos) << cli.out;
    auto text = run_redress({"search", "курьеры", "--data-dir", m_data.string(), "--config", m_config.string()});
    ASSERT_EQ(text.exit_code, 0) << text.out << text.err;
    EXPECT_NE(text.out.find("[курьер]"), std::string::npos) << text.out;
    auto bad = run_redress({"search", "kettle OR", "--data-dir", m_data.string(), "--config", m_config.string()});
    EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
    EXPECT_NE(bad.err.find("after it"), std::string::npos) << bad.err;
}

TEST(ApiDaemonSetup, TheFirstStartPrintsAOneTimeLinkThatMakesTheOwner)
{
    ScratchDir scratch;
    write_file(scratch / "redress.json", api_config());
    DaemonProcess daemon(scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(scratch / "data", scratch / "redress.json")) << daemon.log();
    int port = listening_port(daemon);
    ASSERT_GT(port, 0) << daemon.log();
    std::smatch link;
    std::string log = daemon.log();
    ASSERT_TRUE(std::regex_search(log, link, std::regex(R"(http://127\.0\.0\.1:(\d+)/#setup=(rds_[A-Za-z0-9_-]+))")))
        << log;
    EXPECT_EQ(std::stoi(link[1].str()), port);
    std::string token = link[2].str();
    // The log line says a link was made, never the token; only the terminal line carries it.
    EXPECT_NE(log.find("setup.link_issued"), std::string::npos);
    std::size_t first = log.find(token);
    EXPECT_EQ(log.find(token, first + 1), std::string::npos) << log;

    Reply weak = post(port, "/api/v1/setup", "", {{"token", token}, {"name", "olga"}, {"password", "short"}});
    EXPECT_EQ(weak.status, 422) << weak;
    Reply made = post(port, "/api/v1/setup", "",
                      {{"token", token}, {"name", "olga"}, {"password", k_owner_password}, {"display_name", "Olga"}});
    ASSERT_EQ(made.status, 201) << made;
    EXPECT_EQ(made.body_json()["user"]["role"], "owner");
    std::string cookie = made.header("Set-Cookie");
    cookie = cookie.substr(0, cookie.find(';'));
    Reply me = call(port, "GET", "/api/v1/me", "", std::nullopt, {{"Cookie", cookie}});
    EXPECT_EQ(me.body_json()["name"], "olga") << me;
    Reply again = post(port, "/api/v1/setup", "", {{"token", token}, {"name", "eve"}, {"password", k_owner_password}});
    EXPECT_EQ(again.status, 403) << again;

    // The next start: somebody has an account, so no link.
    EXPECT_EQ(daemon.terminate(), 0);
    DaemonProcess next(scratch / "daemon2.log");
    ASSERT_TRUE(next.serve(scratch / "data", scratch / "redress.json")) << next.log();
    EXPECT_EQ(next.log().find("#setup="), std::string::npos) << next.log();
    EXPECT_EQ(next.terminate(), 0);
}

TEST_F(ApiDaemon, TakesAComplaintByPhoneAndServesItsOpenApiDocument)
{
    Reply created =
        post(m_port, "/api/v1/tickets", m_agent,
             {{"channel", "phone"},
              {"received_by", "ann"},
              {"customer_name", "Olga Petrova"},
              {"email", "olga.petrova@example.org"},
              {"phone", "+7 900 000 00 00"},
              {"incident_date", "2026-11-20"},
              {"details", "The kettle I bought leaks from the bottom after a week. I want a replacement."}});
    ASSERT_EQ(created.status, 201) << created;
    std::string number = created.body_json()["number"].get<std::string>();
    ASSERT_FALSE(number.empty()) << created;
    json view = ticket(number);
    EXPECT_EQ(view["channel"], "phone") << view.dump(2);
    EXPECT_EQ(view["customer"]["email"], "olga.petrova@example.org");

    Reply filtered = call(m_port, "GET", "/api/v1/tickets?channel=phone", m_agent);
    ASSERT_EQ(filtered.status, 200) << filtered;
    EXPECT_EQ(filtered.body_json()["tickets"].size(), 1u) << filtered;
    EXPECT_EQ(call(m_port, "GET", "/api/v1/tickets?colour=red", m_agent).status, 422);

    Reply document = call(m_port, "GET", "/api/v1/openapi.json", "");
    ASSERT_EQ(document.status, 200) << document;
    EXPECT_TRUE(document.body_json()["openapi"].get<std::string>().starts_with("3.0"));
}

TEST_F(ApiDaemon, ReportsAnswerManagersWithTheSameObjectTheCommandLinePrints)
{
    std::string first = complaint(1);
    complaint(2);
    complaint(3);
    ASSERT_EQ(step(first, "take", json::object()).status, 200);
    ASSERT_EQ(step(first, "verdict", {{"verdict", "justified"}, {"reason", "The box was crushed"}}).status, 200);

    // Today in the company's zone (UTC here): the period of the last 30 days holds the three.
    Reply agent = call(m_port, "GET", "/api/v1/reports/summary", m_agent);
    EXPECT_EQ(agent.status, 403) << agent;
    Reply summary = call(m_port, "GET", "/api/v1/reports/summary", m_owner);
    ASSERT_EQ(summary.status, 200) << summary;
    json s = summary.body_json();
    EXPECT_EQ(s["tickets"], 3);
    EXPECT_EQ(s["by_kind"]["complaint"], 3);
    EXPECT_EQ(s["verdicts"]["justified"], 1);
    EXPECT_EQ(s["justified_share"], 1.0);
    EXPECT_TRUE(s["satisfaction_avg"].is_null());
    EXPECT_TRUE(s["resolution_median_s"].is_null());
    for (const char* key : {"tickets", "by_kind", "by_language", "first_response_median_s", "resolution_median_s",
                            "deadlines_kept_share", "justified_share", "satisfaction_avg", "recurring", "actions"})
        EXPECT_TRUE(s.contains(key)) << key;

    auto cli =
        run_redress({"report", "summary", "--json", "--data-dir", m_data.string(), "--config", m_config.string()});
    ASSERT_EQ(cli.exit_code, 0) << cli.out << cli.err;
    json printed = json::parse(cli.out, nullptr, false);
    ASSERT_FALSE(printed.is_discarded()) << cli.out;
    s.erase("generated_at");
    printed.erase("generated_at");
    EXPECT_EQ(printed, s);

    Reply filtered = call(m_port, "GET", "/api/v1/reports/summary?language=de", m_owner);
    ASSERT_EQ(filtered.status, 200) << filtered;
    EXPECT_EQ(filtered.body_json()["tickets"], 0);
    EXPECT_TRUE(filtered.body_json()["first_response_median_s"].is_null());
    EXPECT_EQ(call(m_port, "GET", "/api/v1/reports/summary?colour=red", m_owner).status, 422);
    Reply bad_date = call(m_port, "GET", "/api/v1/reports/summary?from=31.10.2026", m_owner);
    EXPECT_EQ(bad_date.status, 422) << bad_date;
    EXPECT_NE(bad_date.body.find("from"), std::string::npos) << bad_date;

    Reply csv = call(m_port, "GET", "/api/v1/reports/tickets.csv", m_owner);
    ASSERT_EQ(csv.status, 200) << csv;
    EXPECT_TRUE(csv.header("Content-Type").starts_with("text/csv")) << csv.header("Content-Type");
    EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 4) << csv.body;
    EXPECT_NE(csv.body.find(first + ","), std::string::npos) << csv.body;
    Reply recurring = call(m_port, "GET", "/api/v1/reports/recurring", m_owner);
    ASSERT_EQ(recurring.status, 200) << recurring;
    EXPECT_EQ(recurring.body_json()["tickets"], 3);
}

}  // namespace
}  // namespace redress::testing
