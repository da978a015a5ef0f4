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
      "chats": [{"name": "tg", "type": "telegram", "bot_token": "${env:REDRESS_TEST_IMAP_PASSWORD}"},
                {"name": "ops", "type": "webhook", "url": "http://127.0.0.1:9000/hook", "signing_secret": "k",
                 "first_retry": "PT5S", "max_attempts": 3}],
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
    ASSERT_EQ(c.chats.size(), 2u);
    EXPECT_EQ(c.chats[0].type, ChatType::telegram);
    EXPECT_EQ(c.chats[0].bot_token, "s3cret");
    EXPECT_EQ(c.chats[0].api_base, "https://api.telegram.org");
    EXPECT_EQ(c.chats[1].type, ChatType::webhook);
    EXPECT_EQ(c.chats[1].first_retry, Seconds{5});
    EXPECT_EQ(c.chats[1].max_attempts, 3);
    ASSERT_NE(c.chat("ops"), nullptr);
    EXPECT_EQ(c.chat("ops")->url, "http://127.0.0.1:9000/hook");
    EXPECT_EQ(c.chat("nope"), nullptr);
}

TEST(Config, ChatsNeedWhatTheirServiceNeedsAndTheOwnersChatMustExist)
{
    auto r = parse(R"({
      "chats": [{"name": "tg", "type": "telegram"},
                {"name": "Bad Name", "type": "webhook", "url": "ftp://x"},
                {"name": "tg", "type": "icq"},
                {"name": "sl", "type": "slack", "bot_token": "xoxb-1", "api_base": "slack.com/api"}],
      "owner": {"email": "olga@acme.test", "chat": "whatsapp:123"}
    })");
    ASSERT_FALSE(r.config);
    std::string text = all_problems(r);
    EXPECT_NE(text.find("/chats/0/bot_token: expected the bot's token"), std::string::npos) << text;
    EXPECT_NE(text.find("/chats/1/name: expected 1 to 32 of a-z"), std::string::npos) << text;
    EXPECT_NE(text.find("/chats/1/url: expected an http:// or https:// URL"), std::string::npos) << text;
    EXPECT_NE(text.find("/chats/1/signing_secret: expected a secret shared with the receiver"), std::string::npos) << text;
    EXPECT_NE(text.find("/chats/2/name: expected a name no other chat has"), std::string::npos) << text;
    EXPECT_NE(text.find("/chats/2/type: expected \"telegram\", \"slack\" or \"webhook\", found \"icq\""), std::string::npos) << text;
    EXPECT_NE(text.find("/chats/3/api_base: expected an http:// or https:// URL"), std::string::npos) << text;
    EXPECT_NE(text.find("/owner/chat: expected the name of a chat in /chats (tg, Bad Name, tg, sl), found \"whatsapp\""),
              std::string::npos) << text;

    auto no_id = parse(R"({"chats": [{"name": "tg", "type": "telegram", "bot_token": "1:x"}], "owner": {"chat": "tg"}})");
    EXPECT_NE(all_problems(no_id).find("/owner/chat: expected \"<chat name>:<chat id>\""), std::string::npos)
        << all_problems(no_id);
}

TEST(Config, ChatAddressesAreANameAndAnId)
{
    auto a = parse_chat_address("tg:-100123");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->chat, "tg");
    EXPECT_EQ(a->id, "-100123");
    auto slack = parse_chat_address("sl:C0123:thread");  // everything after the first colon is the id
    ASSERT_TRUE(slack);
    EXPECT_EQ(slack->id, "C0123:thread");
    EXPECT_FALSE(parse_chat_address("tg"));
    EXPECT_FALSE(parse_chat_address(":1"));
    EXPECT_FALSE(parse_chat_address("tg:"));
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

TEST(TypedMailbox, NameAndAddressOrABareAddress)
{
    auto a = parse_typed_mailbox("  \"Olga Ivanova\" <olga@shop.test> ");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->name, "Olga Ivanova");
    EXPECT_EQ(a->address, "olga@shop.test");
    EXPECT_EQ(format_typed_mailbox(*a), "Olga Ivanova <olga@shop.test>");
    auto bare = parse_typed_mailbox("ivan@shop.test");
    ASSERT_TRUE(bare);
    EXPECT_EQ(bare->name, "");
    EXPECT_EQ(format_typed_mailbox(*bare), "ivan@shop.test");
    for (const char* bad : {"", "Ivan", "ivan@", "@shop.test", "a@b.test, c@d.test", "Ivan <ivan shop@test>",
                            "ivan@shop.test\r\nBcc: x@y.test", "Iv\nan <ivan@shop.test>"})
        EXPECT_FALSE(parse_typed_mailbox(bad)) << bad;
}

TEST(Config, TheStoreUrlNamesTheSqliteFileAndRefusesOtherSchemes)
{
    auto relative = parse(R"({"store": {"url": "sqlite:data/tickets.db"}})");
    ASSERT_TRUE(relative.config) << all_problems(relative);
    EXPECT_EQ(relative.config->database_path(), std::filesystem::path("data/tickets.db"));
    auto absolute = parse(R"({"store": {"url": "sqlite:///srv/redress/tickets.db"}})");
    ASSERT_TRUE(absolute.config) << all_problems(absolute);
    EXPECT_EQ(absolute.config->database_path(), std::filesystem::path("/srv/redress/tickets.db"));
    auto defaulted = parse(R"({"data_dir": "/srv/r"})");
    ASSERT_TRUE(defaulted.config);
    EXPECT_EQ(defaulted.config->database_path(), std::filesystem::path("/srv/r/redress.db"));

    auto postgres = parse(R"({"store": {"url": "postgresql://redress:pw@db/redress"}})");
    ASSERT_FALSE(postgres.config);
    ASSERT_EQ(postgres.problems.size(), 1u);
    EXPECT_EQ(postgres.problems[0].pointer, "/store/url");
    EXPECT_NE(postgres.problems[0].to_string().find("not yet supported"), std::string::npos);
    EXPECT_EQ(postgres.problems[0].to_string().find("pw"), std::string::npos) << "the password is not repeated";
    for (const char* url : {"mysql://db/redress", "sqlite://host/file.db", "sqlite:", "/var/redress.db"}) {
        auto other = parse((std::string(R"({"store": {"url": ")") + url + R"("}})").c_str());
        ASSERT_FALSE(other.config) << url;
        EXPECT_EQ(other.problems.at(0).pointer, "/store/url") << url;
    }
}
