#include "config/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

using namespace redress;
using namespace redress::config;
using nlohmann::json;

namespace {
LoadResult parse(const char* text) { return parse_config(json::parse(text), "redress.json", "/opt/redress"); }

std::string all_problems(const LoadResult& r)
{
    std::string out;
    for (auto& p : r.problems)
        out += p.to_string() + "\n";
    return out;
}
}  // namespace

TEST(Config, EmbeddedDefaultNeedsNoFile)
{
    auto r = load_config(std::nullopt, "/opt/redress");
    ASSERT_TRUE(r.config) << all_problems(r);
    EXPECT_EQ(r.config->data_dir, "var");
    EXPECT_EQ(r.config->database_path(), std::filesystem::path("var/redress.db"));
    EXPECT_EQ(r.config->inbox_dir(), std::filesystem::path("var/inbox"));
    EXPECT_FALSE(r.config->smtp);
    EXPECT_EQ(r.config->company.ticket_prefix, "RD");
    EXPECT_EQ(r.config->templates_dir, std::filesystem::path("/opt/redress/templates"));
    EXPECT_EQ(r.config->company.message_id_domain, "example.com");
}

TEST(Config, ReadsTheDocumentedKeys)
{
    ::setenv("REDRESS_TEST_IMAP_PASSWORD", "s3cret", 1);
    auto r = parse(R"({
      "data_dir": "/srv/redress",
      "company": {"name": "Acme", "support_address": "Acme Support <help@acme.test>", "ticket_prefix": "AC"},
      "http": {"listen": "127.0.0.1:8025", "public_url": "http://127.0.0.1:8025"},
      "mailboxes": [{"name": "support", "url": "imap://127.0.0.1:10143/INBOX", "user": "support",
                     "password": "${env:REDRESS_TEST_IMAP_PASSWORD}", "after_store": "seen", "idle": true,
                     "poll_interval": "PT30S"}],
      "smtp": {"url": "smtp://127.0.0.1:10025", "user": "", "password": ""},
      "owner": {"name": "Olga", "email": "olga@acme.test", "chat": "tg:123456"},
      "sla": {"calendar": {"time_zone": "Europe/Moscow"}}
    })");
    ASSERT_TRUE(r.config) << all_problems(r);
    const Config& c = *r.config;
    EXPECT_EQ(c.data_dir, "/srv/redress");
    EXPECT_EQ(c.company.support_address.name, "Acme Support");
    EXPECT_EQ(c.company.support_address.address, "help@acme.test");
    EXPECT_EQ(c.company.message_id_domain, "acme.test");
    EXPECT_EQ(c.company.time_zone, "Europe/Moscow");
    ASSERT_EQ(c.mailboxes.size(), 1u);
    EXPECT_EQ(c.mailboxes[0].password, "s3cret");
    EXPECT_EQ(c.mailboxes[0].poll_interval, Seconds{30});
    ASSERT_TRUE(c.smtp);
    EXPECT_EQ(c.smtp->url, "smtp://127.0.0.1:10025");
    EXPECT_EQ(c.owner.email, "olga@acme.test");
}

TEST(Config, NamesThePointerWhatWasExpectedAndWhatWasFound)
{
    auto r = parse(R"({"company": {"ticket_prefix": 7}, "mailboxes": [{"name": "a", "url": "http://x", "poll_interval": "5 minutes"}]})");
    ASSERT_FALSE(r.config);
    std::string text = all_problems(r);
    EXPECT_NE(text.find("redress.json: /company/ticket_prefix: expected a string, found number 7"), std::string::npos) << text;
    EXPECT_NE(text.find("/mailboxes/0/url: expected an imap:// or imaps:// URL"), std::string::npos) << text;
    EXPECT_NE(text.find("/mailboxes/0/poll_interval: expected an ISO 8601 duration"), std::string::npos) << text;
}

TEST(Config, ReportsUnknownKeysAndUnsetEnvironmentVariables)
{
    ::unsetenv("REDRESS_TEST_UNSET");
    auto r = parse(R"({"compnay": {}, "smtp": {"url": "smtp://h:25", "password": "${env:REDRESS_TEST_UNSET}"}})");
    ASSERT_FALSE(r.config);
    std::string text = all_problems(r);
    EXPECT_NE(text.find("/compnay: expected one of the known keys"), std::string::npos) << text;
    EXPECT_NE(text.find("REDRESS_TEST_UNSET to be set"), std::string::npos) << text;
}

TEST(Config, ReportsASyntaxErrorWithItsPlace)
{
    auto file = std::filesystem::temp_directory_path() / "redress-config-test-broken.json";
    std::ofstream(file) << "{\"company\": {\"name\": \"x\",}}";
    auto r = load_config(file, "/opt/redress");
    ASSERT_FALSE(r.config);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_NE(r.problems[0].to_string().find("syntax error at byte"), std::string::npos) << r.problems[0].to_string();
    std::filesystem::remove(file);
}
