// `redress tickets show`, `tickets list` and `letters show` as a user runs them, on a data folder
// filled by `redress ingest`.

#include "daemon_fixtures.hpp"
#include "daemon_process.hpp"
#include "mime/attachment_parts.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace redress::testing {
namespace {

namespace fs = std::filesystem;

// A Russian complaint: the acknowledgement is Russian, so its subject is RFC 2047 words and its
// body is encoded on the wire.
const std::string k_russian =
    "From: =?UTF-8?B?0JDQvdC90LA=?= <anna@customer.test>\r\n"
    "To: support@example.com\r\n"
    "Subject: =?UTF-8?B?0KfQsNC50L3QuNC6?=\r\n"
    "Message-ID: <ru1@customer.test>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "Здравствуйте. Чайник, который я заказала, пришёл разбитым, а на звонки никто не отвечает. "
    "Это недопустимо, я очень разочарована вашим сервисом. Прошу заменить товар.\r\n";

class TicketsCommands : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_data = m_scratch / "data";
        m_config = m_scratch / "redress.json";
        write_file(m_config, R"({"company": {"name": "Shop", "support_address": "Shop Support <support@example.com>",
                                             "time_zone": "Europe/Moscow"},
                                 "owner": {"name": "Olga", "email": "olga@example.com"}})");
        write_file(m_scratch / "ru.eml", k_russian);
        std::string long_text = complaint_message(2, "long");
        long_text.insert(long_text.size() - 2, "\r\n" + std::string(2500, 'z'));
        write_file(m_scratch / "long.eml", long_text);
        auto ingested = run({"ingest", (m_scratch / "ru.eml").string(), (m_scratch / "long.eml").string()});
        ASSERT_EQ(ingested.exit_code, 0) << ingested.out << ingested.err;
    }

    CommandResult run(std::vector<std::string> args)
    {
        args.insert(args.end(), {"--data-dir", m_data.string(), "--config", m_config.string()});
        return run_redress(args);
    }

    ScratchDir m_scratch;
    fs::path m_data;
    fs::path m_config;
};

}  // namespace

TEST_F(TicketsCommands, ShowPrintsTheMessagesTextAndTheLettersStateInTheCompanysZone)
{
    auto r = run({"tickets", "show", "RD-000001"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("    | Здравствуйте. Чайник"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("UTC+3"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Assignee:    nobody (the owner)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("acknowledgement to anna@customer.test  waiting to be sent"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("First response due: "), std::string::npos) << r.out;

    auto long_one = run({"tickets", "show", "RD-000002"});
    ASSERT_EQ(long_one.exit_code, 0) << long_one.out << long_one.err;
    EXPECT_NE(long_one.out.find("more bytes not shown"), std::string::npos) << long_one.out;

    auto json = run({"tickets", "show", "RD-000001", "--json"});
    ASSERT_EQ(json.exit_code, 0) << json.err;
    auto j = nlohmann::json::parse(json.out);
    EXPECT_TRUE(j["version"].is_number_integer() && j["version"].get<int>() >= 1) << j["version"];
    EXPECT_TRUE(j.contains("verdict"));
    EXPECT_TRUE(j["actions"].is_array());
    EXPECT_TRUE(j["notes"].is_array());
    EXPECT_TRUE(j["ratings"].is_array());
}

TEST_F(TicketsCommands, LettersShowDecodesTheLetterAsItsReaderSeesIt)
{
    auto shown = run({"tickets", "show", "RD-000001", "--json"});
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    auto id = nlohmann::json::parse(shown.out)["letters"][0]["id"].get<std::int64_t>();

    auto r = run({"letters", "show", std::to_string(id)});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Subject:   [RD-000001]"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("To:        Анна <anna@customer.test>"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Здравствуйте"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("=?"), std::string::npos) << "no encoded words: " << r.out;
    EXPECT_NE(r.out.find("waiting to be sent"), std::string::npos) << r.out;

    auto json = run({"letters", "show", std::to_string(id), "--json"});
    ASSERT_EQ(json.exit_code, 0) << json.err;
    auto j = nlohmann::json::parse(json.out);
    EXPECT_EQ(j["id"], id);
    EXPECT_EQ(j["template"], "acknowledgement");
    EXPECT_EQ(j["channel"], "email");
    EXPECT_EQ(j["recipient"], "anna@customer.test");
    EXPECT_EQ(j["status"], "queued");
    EXPECT_EQ(j["attempts"], 0);
    EXPECT_TRUE(j["sent_at"].is_null());
    EXPECT_TRUE(j["headers"].is_array());
    EXPECT_NE(j["subject"].get<std::string>().find("[RD-000001]"), std::string::npos);
    EXPECT_NE(j["body"].get<std::string>().find("Здравствуйте"), std::string::npos) << j["body"];

    auto missing = run({"letters", "show", "999"});
    EXPECT_EQ(missing.exit_code, 1) << missing.out << missing.err;
    EXPECT_NE(missing.err.find("no letter 999"), std::string::npos) << missing.err;
}

TEST_F(TicketsCommands, ListShowsTheAssigneeAndFiltersByIt)
{
    auto manager = run_redress({"user", "add", "olga", "--role", "manager", "--password-stdin", "--data-dir",
                                m_data.string(), "--config", m_config.string()},
                               std::chrono::seconds(60), "olga's long password\n");
    ASSERT_EQ(manager.exit_code, 0) << manager.out << manager.err;
    auto assigned = run({"tickets", "assign", "RD-000002", "Ivan Petrov <ivan@example.com>", "--by", "olga"});
    ASSERT_EQ(assigned.exit_code, 0) << assigned.out << assigned.err;

    auto table = run({"tickets", "list"});
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("ASSIGNEE"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("NEXT DEADLINE"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("Ivan Petrov"), std::string::npos) << table.out;

    auto mine = run({"tickets", "list", "--json", "--assignee", "Ivan Petrov <ivan@example.com>"});
    ASSERT_EQ(mine.exit_code, 0) << mine.err;
    auto j = nlohmann::json::parse(mine.out);
    ASSERT_EQ(j.size(), 1u) << j.dump(2);
    EXPECT_EQ(j[0]["number"], "RD-000002");

    auto russian = run({"tickets", "list", "--json", "--language", "ru", "--kind", "complaint"});
    ASSERT_EQ(russian.exit_code, 0) << russian.err;
    j = nlohmann::json::parse(russian.out);
    ASSERT_EQ(j.size(), 1u) << j.dump(2);
    EXPECT_EQ(j[0]["number"], "RD-000001");

    // Just opened: nothing is overdue yet.
    auto overdue = run({"tickets", "list", "--json", "--overdue"});
    ASSERT_EQ(overdue.exit_code, 0) << overdue.err;
    EXPECT_EQ(nlohmann::json::parse(overdue.out).size(), 0u) << overdue.out;
}

TEST_F(TicketsCommands, ShowPrintsTheInternalNotesPeopleAdded)
{
    auto added = run_redress({"user", "add", "alice", "--role", "agent", "--password-stdin", "--data-dir",
                              m_data.string(), "--config", m_config.string()},
                             std::chrono::seconds(60), "alice's long password\n");
    ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
    auto noted = run({"tickets", "note", "RD-000001", "--by", "alice", "--text", "Called the courier."});
    ASSERT_EQ(noted.exit_code, 0) << noted.out << noted.err;

    auto r = run({"tickets", "show", "RD-000001"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Internal notes (1):"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("alice:\n    | Called the courier.\n"), std::string::npos) << r.out;
    auto json = run({"tickets", "show", "RD-000001", "--json"});
    ASSERT_EQ(json.exit_code, 0) << json.err;
    auto notes = nlohmann::json::parse(json.out)["notes"];
    ASSERT_EQ(notes.size(), 1u) << notes.dump();
    EXPECT_EQ(notes[0]["text"], "Called the courier.");
}

TEST_F(TicketsCommands, ListRefusesAnUnknownKindOrSeverity)
{
    auto kind = run({"tickets", "list", "--kind", "complain"});
    EXPECT_EQ(kind.exit_code, 2);
    EXPECT_NE(kind.err.find("unknown kind \"complain\""), std::string::npos) << kind.err;
    auto severity = run({"tickets", "list", "--severity", "huge"});
    EXPECT_EQ(severity.exit_code, 2);
    EXPECT_NE(severity.err.find("unknown severity"), std::string::npos) << severity.err;
}

}  // namespace redress::testing

namespace redress::testing {
namespace {

TEST_F(TicketsCommands, TheWorkflowByCommandLineWithTheSameRulesAndPreviews)
{
    auto add = [&](const std::string& name, const std::string& role) {
        auto r = run_redress({"user", "add", name, "--role", role, "--password-stdin", "--data-dir", m_data.string(),
                              "--config", m_config.string()},
                             std::chrono::seconds(60), name + "'s long password\n");
        ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    };
    add("alice", "agent");
    add("maria", "agent");
    const std::string n = "RD-000001";
    auto unknown = run({"tickets", "take", n, "--by", "nobody"});
    EXPECT_EQ(unknown.exit_code, 2) << unknown.out;
    EXPECT_NE(unknown.err.find("redress user add nobody"), std::string::npos) << unknown.err;

    ASSERT_EQ(run({"tickets", "take", n, "--by", "alice"}).exit_code, 0);
    auto preview =
        run({"tickets", "verdict", n, "justified", "--reason", "Broken in transit", "--by", "alice", "--preview"});
    ASSERT_EQ(preview.exit_code, 0) << preview.err;
    EXPECT_NE(preview.out.find("preview: nothing changed"), std::string::npos) << preview.out;
    EXPECT_NE(preview.out.find("Letter that would be sent to anna@customer.test (apology, ru)"), std::string::npos)
        << preview.out;
    auto shown = nlohmann::json::parse(run({"tickets", "show", n, "--json"}).out);
    EXPECT_EQ(shown["status"], "investigating") << "a preview changes nothing";

    write_file(m_scratch / "apology.txt", "Анна, простите нас: курьер разбил чайник. Новый уже в пути.\n");
    auto verdict = run({"tickets", "verdict", n, "justified", "--reason", "Broken in transit", "--by", "alice",
                        "--letter-file", (m_scratch / "apology.txt").string(), "--json"});
    ASSERT_EQ(verdict.exit_code, 0) << verdict.err;
    auto sent = nlohmann::json::parse(verdict.out);
    EXPECT_EQ(sent["ticket"]["status"], "justified");
    EXPECT_NE(sent["letter"]["body"].get<std::string>().find("Новый уже в пути."), std::string::npos);

    auto resolve_early = run({"tickets", "resolve", n, "--summary", "Sent a new one", "--by", "alice"});
    EXPECT_EQ(resolve_early.exit_code, 1) << resolve_early.out;
    EXPECT_NE(resolve_early.err.find("plan the corrective actions first"), std::string::npos) << resolve_early.err;
    for (const char* target : {"customer", "process"})
        ASSERT_EQ(run({"tickets", "action", n, "--for", target, "--text", std::string("Fix for the ") + target,
                       "--responsible", "alice", "--due", "2026-12-04", "--by", "alice"})
                      .exit_code,
                  0);
    ASSERT_EQ(run({"tickets", "action", n, "1", "--state", "done", "--by", "alice"}).exit_code, 0);
    ASSERT_EQ(run({"tickets", "resolve", n, "--summary", "Sent a new one", "--by", "alice"}).exit_code, 0);

    // Sign-off is a manager's: refused to an agent until the owner's command line makes her one.
    auto refused = run({"tickets", "signoff", n, "--code", "FIXED", "--by", "maria"});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("ask a manager"), std::string::npos) << refused.err;
    auto promoted = run({"user", "edit", "maria", "--role", "manager", "--signature", "Maria, quality manager"});
    ASSERT_EQ(promoted.exit_code, 0) << promoted.err;
    auto signed_off = run({"tickets", "signoff", n, "--code", "FIXED", "--by", "maria", "--json"});
    ASSERT_EQ(signed_off.exit_code, 0) << signed_off.err;
    auto closed = nlohmann::json::parse(signed_off.out);
    EXPECT_EQ(closed["ticket"]["status"], "closed");
    EXPECT_EQ(closed["letter"]["template"], "survey");
    EXPECT_FALSE(closed["letter"]["send_at"].is_null());

    auto reset = run_redress(
        {"user", "password", "alice", "--password-stdin", "--data-dir", m_data.string(), "--config", m_config.string()},
        std::chrono::seconds(60), "a brand new password\n");
    EXPECT_EQ(reset.exit_code, 0) << reset.err;
}

TEST_F(TicketsCommands, AReplyTakesFilesThatGoOutAsMimePartsAndAreKept)
{
    auto added = run_redress({"user", "add", "alice", "--role", "agent", "--password-stdin", "--data-dir",
                              m_data.string(), "--config", m_config.string()},
                             std::chrono::seconds(60), "alice's long password\n");
    ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
    const std::string n = "RD-000001";
    const std::string pdf = "%PDF-1.7\nreturns label\n";
    std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xff", 32);
    png += std::string(40, '\0');
    write_file(m_scratch / "label.pdf", pdf);
    write_file(m_scratch / "kettle photo.png", png);

    auto missing =
        run({"tickets", "reply", n, "--text", "x", "--file", (m_scratch / "nothing.pdf").string(), "--by", "alice"});
    EXPECT_EQ(missing.exit_code, 2) << missing.out;
    EXPECT_NE(missing.err.find("cannot read"), std::string::npos) << missing.err;

    auto replied = run({"tickets", "reply", n, "--text", "Here is the returns label and the photo.", "--file",
                        (m_scratch / "label.pdf").string(), "--file", (m_scratch / "kettle photo.png").string(), "--by",
                        "alice", "--json"});
    ASSERT_EQ(replied.exit_code, 0) << replied.out << replied.err;
    auto letter_id = nlohmann::json::parse(replied.out)["letter"]["id"];
    ASSERT_TRUE(letter_id.is_number()) << replied.out;

    // Kept like a customer's files: in the attachment store by their digests.
    std::size_t kept = 0;
    for (const auto& entry : fs::recursive_directory_iterator(m_data / "attachments"))
        if (entry.is_regular_file())
            ++kept;
    EXPECT_EQ(kept, 2u);

    // The daemon sends it to the file outbox as a mail with the two files as MIME parts.
    DaemonProcess daemon(m_scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(m_data, m_config)) << daemon.log();
    std::optional<StoredLetter> sent;
    ASSERT_TRUE(wait_until(
        [&] {
            for (auto& l : letters_in(m_data / "outbox"))
                if (l.bytes.find("label.pdf") != std::string::npos)
                    sent = l;
            return sent.has_value();
        },
        std::chrono::seconds(20)))
        << daemon.log();
    auto parts = mime::attachment_parts(sent->bytes).value();
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].filename, "label.pdf");
    EXPECT_EQ(parts[0].bytes, pdf);
    EXPECT_EQ(parts[1].filename, "kettle photo.png");
    EXPECT_EQ(parts[1].bytes, png);
    EXPECT_EQ(daemon.terminate(), 0);
}

}  // namespace
}  // namespace redress::testing
