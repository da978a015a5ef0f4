// `redress serve` on its embedded default: drop folder in, .eml files out, no server anywhere.
// Each test starts the real binary as a child process and judges only what a user could see:
// files in the data folder, `redress tickets ... --json`, the daemon's log and its exit code.

#include "daemon_fixtures.hpp"
#include "daemon_process.hpp"

#include <gtest/gtest.h>

#include <csignal>

namespace redress::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::size_t file_count(const fs::path& dir, const std::string& suffix = {})
{
    std::size_t n = 0;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!name.empty() && name.front() != '.' && !name.ends_with(".tmp") &&
            (suffix.empty() || name.ends_with(suffix)))
            ++n;
    }
    return n;
}

// The first 8 bytes of every PNG file (RFC 2083 section 3.1) and a little of its header chunk:
// what lands in a drop folder when someone saves a screenshot there by mistake.
std::string png_bytes()
{
    std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xff"
                    "a",
                    33);
    png += std::string(64, '\0');
    return png;
}

std::string config_with_company(const std::string& name)
{
    return R"({"company": {"name": ")" + name + R"(", "support_address": "Support <support@shop.test>"}})";
}

TEST(EmbeddedDaemon, DroppedComplaintBecomesTicketAndAcknowledgementOnce)
{
    ScratchDir scratch;
    fs::path data = scratch / "data";
    DaemonProcess daemon(scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(data)) << daemon.log();

    drop_message(data / "inbox", "complaint-1.eml", complaint_message(1));
    ASSERT_TRUE(wait_until([&] { return file_count(data / "outbox", ".eml") >= 1; }, 15s)) << daemon.log();
    EXPECT_TRUE(wait_until([&] { return file_count(data / "inbox") == 0; }, 10s)) << "the drop folder keeps the file";

    auto tickets = list_tickets(data);
    ASSERT_TRUE(tickets);
    ASSERT_EQ(tickets->size(), 1u) << tickets->dump(2);
    EXPECT_EQ((*tickets)[0]["number"], "RD-000001");
    EXPECT_EQ((*tickets)[0]["kind"], "complaint");
    EXPECT_EQ((*tickets)[0]["customer"]["email"], "customer1@example.org");

    auto letters = letters_in(data / "outbox");
    ASSERT_EQ(letters.size(), 1u);
    const StoredLetter& ack = letters[0];
    // RFC 5322 on the wire: CRLF only, no line over 998, one of each required field (3.6).
    EXPECT_TRUE(ack.mail.problems.empty()) << ack.mail.problems.front();
    EXPECT_EQ(ack.mail.count("From"), 1);
    EXPECT_EQ(ack.mail.count("Date"), 1);
    EXPECT_EQ(ack.mail.count("Message-ID"), 1);
    EXPECT_EQ(ack.mail.count("Subject"), 1);
    EXPECT_NE(ack.header("Subject").find("[RD-000001]"), std::string::npos) << ack.header("Subject");
    EXPECT_NE(ack.header("To").find("customer1@example.org"), std::string::npos) << ack.header("To");
    EXPECT_EQ(ack.header("In-Reply-To"), "<" + complaint_message_id(1) + ">");
    EXPECT_NE(ack.header("References").find(complaint_message_id(1)), std::string::npos);
    // RFC 3834 section 5: an automatic answer to a person's message says so.
    EXPECT_EQ(ack.header("Auto-Submitted").rfind("auto-replied", 0), 0u) << ack.header("Auto-Submitted");

    // The same bytes once more: the source key (sha256 of the file) is known, nothing is done twice.
    drop_message(data / "inbox", "complaint-1-again.eml", complaint_message(1));
    ASSERT_TRUE(daemon.wait_for_log("action=duplicate", 15s)) << daemon.log();
    EXPECT_TRUE(wait_until([&] { return file_count(data / "inbox") == 0; }, 10s));
    EXPECT_EQ(ticket_count(data), 1u);
    EXPECT_EQ(file_count(data / "outbox", ".eml"), 1u);

    EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
}

TEST(EmbeddedDaemon, UnreadableFilesGoToQuarantineAndTheFolderKeepsWorking)
{
    ScratchDir scratch;
    fs::path data = scratch / "data";
    DaemonProcess daemon(scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(data)) << daemon.log();

    // An empty file (a copy that failed half-way) and a picture saved into the wrong folder.
    drop_message(data / "inbox", "empty.eml", "");
    drop_message(data / "inbox", "screenshot.png", png_bytes());
    EXPECT_TRUE(wait_until([&] { return file_count(data / "quarantine", ".reason.txt") >= 2; }, 15s)) << daemon.log();
    EXPECT_TRUE(wait_until([&] { return file_count(data / "inbox") == 0; }, 10s)) << "garbage blocks the drop folder";
    for (auto& entry : fs::directory_iterator(data / "quarantine")) {
        if (entry.path().string().ends_with(".reason.txt")) {
            EXPECT_NE(read_file(entry.path()).find("reason: "), std::string::npos) << entry.path();
        }
    }

    // A good message after the garbage still becomes a ticket with its acknowledgement.
    drop_message(data / "inbox", "complaint-2.eml", complaint_message(2));
    EXPECT_TRUE(wait_until([&] { return file_count(data / "outbox", ".eml") >= 1; }, 15s)) << daemon.log();
    auto tickets = list_tickets(data);
    ASSERT_TRUE(tickets);
    std::size_t from_customer = 0;
    for (auto& t : *tickets)
        if (t["customer"]["email"] == "customer2@example.org")
            ++from_customer;
    EXPECT_EQ(from_customer, 1u) << tickets->dump(2);
    EXPECT_EQ(tickets->size(), 1u) << "garbage made tickets: " << tickets->dump(2);

    EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
}

TEST(EmbeddedDaemon, SighupReloadsConfigAndRefusesABrokenOne)
{
    ScratchDir scratch;
    fs::path data = scratch / "data";
    fs::path config = scratch / "redress.json";
    write_file(config, config_with_company("Kettles First"));
    DaemonProcess daemon(scratch / "daemon.log");
    ASSERT_TRUE(daemon.serve(data, config)) << daemon.log();

    auto letter_for = [&](int customer) -> std::optional<StoredLetter> {
        for (auto& l : letters_in(data / "outbox"))
            if (l.header("To").find("customer" + std::to_string(customer) + "@") != std::string::npos)
                return l;
        return std::nullopt;
    };

    drop_message(data / "inbox", "c1.eml", complaint_message(1));
    ASSERT_TRUE(wait_until([&] { return letter_for(1).has_value(); }, 15s)) << daemon.log();
    EXPECT_NE(letter_for(1)->body().find("Kettles First"), std::string::npos);

    // A new company name, then SIGHUP: the next letter is signed with it.
    write_file(config, config_with_company("Kettles Second"));
    daemon.signal(SIGHUP);
    ASSERT_TRUE(daemon.wait_for_log("daemon.reloaded", 10s)) << daemon.log();
    drop_message(data / "inbox", "c2.eml", complaint_message(2));
    ASSERT_TRUE(wait_until([&] { return letter_for(2).has_value(); }, 15s)) << daemon.log();
    EXPECT_NE(letter_for(2)->body().find("Kettles Second"), std::string::npos) << letter_for(2)->body();
    EXPECT_EQ(letter_for(2)->body().find("Kettles First"), std::string::npos);

    // A broken file (unfinished JSON and a bad prefix): the reload is refused, the old config stays.
    write_file(config, R"({"company": {"name": "Kettles Third", "ticket_prefix": "lower case"}, "log_level": )");
    daemon.signal(SIGHUP);
    ASSERT_TRUE(daemon.wait_for_log("daemon.reload_refused", 10s)) << daemon.log();
    EXPECT_GE(daemon.count_log("daemon.reload_problem"), 1) << daemon.log();
    EXPECT_NE(daemon.log().find(config.filename().string()), std::string::npos) << "the problem does not name the file";
    ASSERT_TRUE(daemon.running());
    drop_message(data / "inbox", "c3.eml", complaint_message(3));
    ASSERT_TRUE(wait_until([&] { return letter_for(3).has_value(); }, 15s)) << daemon.log();
    EXPECT_NE(letter_for(3)->body().find("Kettles Second"), std::string::npos) << letter_for(3)->body();
    EXPECT_EQ(ticket_count(data), 3u);

    EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
}

TEST(EmbeddedDaemon, BadConfigStopsStartWithFilePointerExpectedAndFound)
{
    ScratchDir scratch;
    fs::path config = scratch / "broken.json";
    // Three independent mistakes: a prefix with lower case and a space, a number where the SMTP URL
    // goes, and a log level that does not exist.
    write_file(config, R"({"company": {"ticket_prefix": "rd x"}, "smtp": {"url": 25}, "log_level": "loud"})");

    auto served = run_redress({"serve", "--config", config.string(), "--data-dir", (scratch / "data").string()}, 20s);
    EXPECT_EQ(served.exit_code, 2) << served.out << served.err;
    std::string said = served.out + served.err;
    EXPECT_NE(said.find(config.string()), std::string::npos) << said;
    EXPECT_NE(said.find("/company/ticket_prefix"), std::string::npos) << said;
    EXPECT_NE(said.find("expected"), std::string::npos) << said;
    EXPECT_NE(said.find("found"), std::string::npos) << said;
    EXPECT_NE(said.find("\"rd x\""), std::string::npos) << "the wrong value is not quoted back: " << said;

    auto checked = run_redress({"check", "--config", config.string(), "--data-dir", (scratch / "data").string()}, 20s);
    EXPECT_EQ(checked.exit_code, 1) << checked.out << checked.err;
    for (const char* pointer : {"/company/ticket_prefix", "/smtp/url", "/log_level"})
        EXPECT_NE(checked.out.find(pointer), std::string::npos) << pointer << " missing from:\n" << checked.out;
    EXPECT_NE(checked.out.find("problems found"), std::string::npos) << checked.out;
}

}  // namespace
}  // namespace redress::testing
