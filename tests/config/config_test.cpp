#include "config/config.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

using namespace redress;
using namespace redress::config;
using nlohmann::json;

namespace {
LoadResult parse(const char* text)
{
    return parse_config(json::parse(text), "redress.json", "/opt/redress");
}

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
    // The staff page is on, on loopback: a first `scripts/run` is worked in a browser.
    EXPECT_TRUE(r.config->http.enabled);
    EXPECT_EQ(r.config->http.listen, "127.0.0.1:8025");
}

TEST(Config, AFileDecidesWhetherTheHttpServerRuns)
{
    auto without = parse(R"({"company": {"name": "Acme"}})");
    ASSERT_TRUE(without.config) << all_problems(without);
    EXPECT_FALSE(without.config->http.enabled);
    auto with = parse(R"({"http": {"listen": "127.0.0.1:9025"}})");
    ASSERT_TRUE(with.config) << all_problems(with);
    EXPECT_TRUE(with.config->http.enabled);
    auto off = parse(R"({"http": {"enabled": false}})");
    ASSERT_TRUE(off.config) << all_problems(off);
    EXPECT_FALSE(off.config->http.enabled);
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
      "chats": [{"name": "tg", "type": "telegram", "secret_token": "has spaces!"},
                {"name": "Bad Name", "type": "webhook", "url": "ftp://x"},
                {"name": "tg", "type": "icq"},
                {"name": "sl", "type": "slack", "bot_token": "xoxb-1", "api_base": "slack.com/api"}],
      "owner": {"email": "olga@acme.test", "chat": "whatsapp:123"}
    })");
    ASSERT_FALSE(r.config);
    std::string text = all_problems(r);
    EXPECT_NE(text.find("/chats/0/bot_token: expected the bot's token"), std::string::npos) << text;
    EXPECT_NE(text.find("/chats/0/secret_token: expected 1 to 256 of A-Z"), std::string::npos) << text;
    EXPECT_EQ(text.find("has spaces!"), std::string::npos) << "a secret is never repeated in a problem";
    EXPECT_NE(text.find("/chats/1/name: expected 1 to 32 of a-z"), std::string::npos) << text;
    EXPECT_NE(text.find("/chats/1/url: expected an http:// or https:// URL"), std::string::npos) << text;
    EXPECT_NE(text.find("/chats/1/signing_secret: expected a secret shared with the receiver"), std::string::npos)
        << text;
    EXPECT_NE(text.find("/chats/2/name: expected a name no other chat has"), std::string::npos) << text;
    EXPECT_NE(text.find("/chats/2/type: expected \"telegram\", \"slack\" or \"webhook\", found \"icq\""),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("/chats/3/api_base: expected an http:// or https:// URL"), std::string::npos) << text;
    EXPECT_NE(
        text.find("/owner/chat: expected the name of a chat in /chats (tg, Bad Name, tg, sl), found \"whatsapp\""),
        std::string::npos)
        << text;

    auto no_id =
        parse(R"({"chats": [{"name": "tg", "type": "telegram", "bot_token": "1:x"}], "owner": {"chat": "tg"}})");
    EXPECT_NE(all_problems(no_id).find("/owner/chat: expected \"<chat name>:<chat id>\""), std::string::npos)
        << all_problems(no_id);
}

TEST(Config, OnlyATelegramChatMayPoll)
{
    auto ok = parse(R"({"chats": [{"name": "tg", "type": "telegram", "bot_token": "1:x", "mode": "poll"},
                                  {"name": "tg2", "type": "telegram", "bot_token": "2:x"}]})");
    ASSERT_TRUE(ok.config) << all_problems(ok);
    EXPECT_EQ(ok.config->chats[0].mode, ChatMode::poll);
    EXPECT_EQ(ok.config->chats[1].mode, ChatMode::webhook) << "webhook is the default";

    auto r = parse(R"({"chats": [{"name": "sl", "type": "slack", "bot_token": "xoxb-1", "mode": "poll"},
                                 {"name": "web", "type": "webhook", "url": "https://x.test/", "signing_secret": "s",
                                  "mode": "poll"},
                                 {"name": "tg", "type": "telegram", "bot_token": "1:x", "mode": "pull"}]})");
    ASSERT_FALSE(r.config);
    std::string text = all_problems(r);
    EXPECT_NE(text.find("/chats/0/mode: expected \"webhook\" (only a telegram chat can poll), found \"poll\" on a "
                        "slack chat"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("/chats/1/mode: expected \"webhook\" (only a telegram chat can poll)"), std::string::npos)
        << text;
    EXPECT_NE(text.find("/chats/2/mode: expected \"webhook\" or, for telegram, \"poll\", found \"pull\""),
              std::string::npos)
        << text;
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
    auto r = parse(
        R"({"company": {"ticket_prefix": 7}, "mailboxes": [{"name": "a", "url": "http://x", "poll_interval": "5 minutes"}]})");
    ASSERT_FALSE(r.config);
    std::string text = all_problems(r);
    EXPECT_NE(text.find("redress.json: /company/ticket_prefix: expected a string, found number 7"), std::string::npos)
        << text;
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

TEST(TypedMailbox, RefusesStructureThatWouldReachTheToHeader)
{
    for (const char* bad : {"Ivan <ivan@shop.test> , evil@x.test", "Ivan <ivan@shop.test>, Eve <eve@x.test>",
                            "Ivan <a@b.test:c@d.test>", "Ivanova, Olga <olga@shop.test>", "<\"a,b\"@shop.test>",
                            "a@b@shop.test", "ivan@shop.test>", "Ivan <ivan@shop.test", "Ivan <ivan(x)@shop.test>",
                            "\"Iv\"an\" <ivan@shop.test>", "Ivan <ivan@[127.0.0.1]>", "ivan..x@shop.test"})
        EXPECT_FALSE(parse_typed_mailbox(bad)) << bad;
    // Quoted, a name may hold a comma; it is written back quoted, so it reads back the same.
    auto quoted = parse_typed_mailbox("\"Ivanova, Olga\" <olga@shop.test>");
    ASSERT_TRUE(quoted);
    EXPECT_EQ(quoted->name, "Ivanova, Olga");
    EXPECT_EQ(format_typed_mailbox(*quoted), "\"Ivanova, Olga\" <olga@shop.test>");
    auto again = parse_typed_mailbox(format_typed_mailbox(*quoted));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->name, "Ivanova, Olga");
    EXPECT_TRUE(parse_typed_mailbox("Анна <anna@пример.рф>"));
}

TEST(Config, OwnerAndSecondLevelAddressesAreOneAddressEach)
{
    auto r = parse(R"({"owner": {"email": "olga@acme.test, eve@evil.test"},
                       "sla": {"policies": [{"name": "p", "second_level_after": "PT1H",
                                             "second_level": {"email": "Dir <dir@acme.test>"}}]}})");
    ASSERT_FALSE(r.config);
    std::string text = all_problems(r);
    EXPECT_NE(text.find("/owner/email: expected one email address"), std::string::npos) << text;
    EXPECT_NE(text.find("/sla/policies/0/second_level/email: expected one email address"), std::string::npos) << text;
}

TEST(Config, RefusesALoginInClearToAnotherMachine)
{
    auto r = parse(R"({"mailboxes": [{"name": "a", "url": "imap://imap.example.com/INBOX"},
                                     {"name": "b", "url": "imap://127.0.0.1.example.com:143/INBOX"}],
                       "smtp": {"url": "smtp://smtp.example.com:587", "user": "u", "password": "p"}})");
    ASSERT_FALSE(r.config);
    std::string text = all_problems(r);
    EXPECT_NE(text.find("/mailboxes/0/starttls: expected \"starttls\": true or an imaps:// URL"), std::string::npos)
        << text;
    EXPECT_NE(text.find("\"allow_plaintext\": true accepts that"), std::string::npos) << text;
    EXPECT_NE(text.find("/mailboxes/1/starttls"), std::string::npos) << text;
    EXPECT_NE(text.find("/smtp/starttls: expected \"starttls\": true or an smtps:// URL"), std::string::npos) << text;

    // TLS either way, a loopback server, or the operator's explicit yes: accepted.
    auto ok = parse(R"({"mailboxes": [{"name": "a", "url": "imaps://imap.example.com/INBOX"},
                                      {"name": "b", "url": "imap://imap.example.com/INBOX", "starttls": true},
                                      {"name": "c", "url": "imap://imap.example.com/INBOX", "allow_plaintext": true},
                                      {"name": "d", "url": "imap://127.0.0.1:10143/INBOX"},
                                      {"name": "e", "url": "imap://127.8.9.10/INBOX"},
                                      {"name": "f", "url": "IMAP://LocalHost:143/INBOX"},
                                      {"name": "g", "url": "imap://[::1]:143/INBOX"}],
                        "smtp": {"url": "smtp://smtp.example.com:587", "starttls": true}})");
    EXPECT_TRUE(ok.config) << all_problems(ok);
    for (const char* smtp : {R"({"smtp": {"url": "smtps://smtp.example.com"}})",
                             R"({"smtp": {"url": "smtp://relay.lan:25", "allow_plaintext": true}})",
                             R"({"smtp": {"url": "smtp://localhost:25"}})"}) {
        auto accepted = parse(smtp);
        EXPECT_TRUE(accepted.config) << smtp << "\n" << all_problems(accepted);
    }
    EXPECT_TRUE(is_loopback_host("127.0.0.1"));
    EXPECT_TRUE(is_loopback_host("[::1]"));
    EXPECT_FALSE(is_loopback_host("128.0.0.1"));
    EXPECT_FALSE(is_loopback_host("127.0.0.256"));
    EXPECT_FALSE(is_loopback_host("localhost.example.com"));
}

TEST(Config, RefusesABotTokenInClearToAnotherMachine)
{
    auto r =
        parse(R"({"chats": [{"name": "tg", "type": "telegram", "bot_token": "1:x", "api_base": "http://tg-proxy.lan"},
                                 {"name": "sl", "type": "slack", "bot_token": "xoxb-1", "api_base": "http://127.0.0.1:9000"},
                                 {"name": "hook", "type": "webhook", "url": "http://hooks.lan/r", "signing_secret": "k"}]})");
    std::string text = all_problems(r);
    EXPECT_NE(text.find("/chats/0/api_base: expected an https:// URL, since tg-proxy.lan is not this machine"),
              std::string::npos)
        << text;
    // Loopback is fine; a webhook sends no secret (its requests are signed), so http stays allowed.
    EXPECT_EQ(r.problems.size(), 1u) << text;
}

TEST(Config, RefusesCredentialsInAServerUrl)
{
    // The SMTP URL is logged at start-up: a password in it would land in the log.
    auto r = parse(R"({"smtp": {"url": "smtp://user:secret@127.0.0.1:25"},
                       "mailboxes": [{"name": "a", "url": "imaps://user:secret@imap.example.com/INBOX"}]})");
    ASSERT_FALSE(r.config);
    std::string text = all_problems(r);
    EXPECT_NE(text.find("/smtp/url: expected a URL without a user or password in it"), std::string::npos) << text;
    EXPECT_NE(text.find("/mailboxes/0/url: expected a URL without a user or password in it"), std::string::npos)
        << text;
    EXPECT_EQ(text.find("secret"), std::string::npos) << text;
    // A password with an unescaped '/' still reads as credentials, not as a host called "user".
    auto slash = parse(R"({"mailboxes": [{"name": "a", "url": "imaps://user:pa/ss@imap.example.com/INBOX"}],
                           "store": {"url": "mysql://root:hunter2@db.example.com/redress"}})");
    ASSERT_FALSE(slash.config);
    std::string slash_text = all_problems(slash);
    EXPECT_NE(slash_text.find("/mailboxes/0/url: expected a URL without a user or password in it"), std::string::npos)
        << slash_text;
    EXPECT_NE(slash_text.find("/store/url"), std::string::npos) << slash_text;
    EXPECT_EQ(slash_text.find("pa/ss"), std::string::npos) << slash_text;
    EXPECT_EQ(slash_text.find("hunter2"), std::string::npos) << slash_text;
}

TEST(Config, ReportsEveryMistakeAtOnceWithSuggestions)
{
    // Several mistakes in several sections: each is reported, none hides another.
    auto r = parse(R"({
      "compnay": {"name": "Acme"},
      "company": {"time_zone": "MSK", "ticket_prefx": "AC"},
      "mailboxes": [{"name": "a", "url": "imap://127.0.0.1/INBOX", "pasword": "x"},
                    {"name": "b", "url": "imap://127.0.0.1/INBOX", "poll_interval": "soon"}],
      "smtp": {"url": "smtp://mail.example.com", "startls": true},
      "owner": {"email": "not an address"},
      "loop_protection": {"max_automatic_letters_per_day": -1},
      "sla": {"calendar": {"time_zone": "Europe/Moscow", "holiday": []},
              "policies": [{"name": "p", "warn_befor": "PT1H", "match": {"kinds": "complaint"}}]}
    })");
    ASSERT_FALSE(r.config);
    ASSERT_TRUE(r.partial);
    std::string text = all_problems(r);
    for (const char* expected :
         {"/compnay: expected one of the known keys, did you mean \"company\"?",
          "/company/time_zone: expected an IANA time zone name such as \"Europe/Moscow\"", "found \"MSK\"",
          "/company/ticket_prefx: expected one of the known keys, did you mean \"ticket_prefix\"?",
          "/mailboxes/0/pasword: expected one of the known keys, did you mean \"password\"?",
          "/mailboxes/1/poll_interval: expected an ISO 8601 duration",
          "/smtp/startls: expected one of the known keys, did you mean \"starttls\"?",
          "/smtp/starttls: expected \"starttls\": true", "/owner/email: expected one email address",
          "/loop_protection/max_automatic_letters_per_day: expected a whole number",
          "/sla/calendar/holiday: expected one of the known keys, did you mean \"holidays\"?",
          "/sla/policies/0/warn_befor: expected one of the known keys, did you mean \"warn_before\"?",
          "/sla/policies/0/match/kinds: expected one of the known keys, did you mean \"kind\"?"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
    EXPECT_EQ(r.problems.size(), 12u) << text;
}

TEST(Config, SuggestsOnlyANearKey)
{
    std::vector<std::string_view> known{"company", "chats", "owner", "warn_before"};
    EXPECT_EQ(nearest_key("compnay", known), "company");
    EXPECT_EQ(nearest_key("Company", known), "company");
    EXPECT_EQ(nearest_key("warn_befor", known), "warn_before");
    EXPECT_EQ(nearest_key("chat", known), "chats");
    EXPECT_FALSE(nearest_key("alert_owner_on_arrival", known));
    EXPECT_FALSE(nearest_key("xyz", known));
}

TEST(Config, TimeZonesAreCheckedAgainstTheIanaDatabase)
{
    EXPECT_TRUE(parse(R"({"company": {"time_zone": "Europe/Moscow"}})").config);
    EXPECT_TRUE(parse(R"({"company": {"time_zone": "UTC"}})").config);
    for (const char* zone : {"MSK", "Europe/Moskow", "", "+03:00"}) {
        auto r = parse((R"({"company": {"time_zone": ")" + std::string(zone) + "\"}}").c_str());
        EXPECT_FALSE(r.config) << zone;
        EXPECT_NE(all_problems(r).find("/company/time_zone: expected an IANA time zone name"), std::string::npos)
            << zone << all_problems(r);
    }
}

namespace {

// "/mailboxes/0/x" -> "/mailboxes/*": the place in known_keys() an object of the file belongs to.
std::string pattern_of(const std::vector<std::string>& path)
{
    std::string out;
    for (const auto& part : path)
        out += "/" + (!part.empty() && std::all_of(part.begin(), part.end(), ::isdigit) ? std::string("*") : part);
    return out;
}

bool mentions(const std::string& text, std::string_view word)
{
    auto is_word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
        bool start = at == 0 || !is_word_char(text[at - 1]);
        bool end = at + word.size() == text.size() || !is_word_char(text[at + word.size()]);
        if (start && end)
            return true;
    }
    return false;
}

// Every object of the example with its path, and the "_" comments that document it: its own
// comments, its ancestors' below the top, and the top level's "_<section>" comment.
void walk(const json& value, std::vector<std::string>& path, const std::string& comments,
          std::map<std::string, std::pair<std::set<std::string>, std::string>>& found)
{
    if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            path.push_back(std::to_string(i));
            walk(value[i], path, comments, found);
            path.pop_back();
        }
        return;
    }
    if (!value.is_object())
        return;
    std::string own = comments;
    for (auto& [key, v] : value.items())
        if (!key.empty() && key.front() == '_' && v.is_string() && !path.empty())
            own += "\n" + v.get<std::string>();
    auto& entry = found[pattern_of(path)];
    entry.second += "\n" + own;
    for (auto& [key, v] : value.items()) {
        if (!key.empty() && key.front() == '_')
            continue;
        entry.first.insert(key);
        std::string below = own;
        if (path.empty() && value.contains("_" + key))
            below += "\n" + value["_" + key].get<std::string>();
        path.push_back(key);
        walk(v, path, below, found);
        path.pop_back();
    }
}

}  // namespace

TEST(Config, TheExampleDocumentsEveryKeyTheLoaderAccepts)
{
    for (const char* name : {"IMAP_PASSWORD", "TG_BOT_TOKEN", "TG_SECRET", "OPS_HOOK_SECRET"})
        ::setenv(name, "x", 1);
    std::ifstream in(std::string(REDRESS_SOURCE_DIR) + "/config/redress.example.json");
    ASSERT_TRUE(in);
    json example = json::parse(in);
    // Every key written in the example is accepted: it loads without a problem.
    auto loaded = parse_config(example, "redress.example.json", "/opt/redress");
    EXPECT_TRUE(loaded.config) << all_problems(loaded);

    std::map<std::string, std::pair<std::set<std::string>, std::string>> found;
    std::vector<std::string> path;
    walk(example, path, "", found);
    for (const auto& [pattern, keys] : known_keys()) {
        // Every key the loader accepts is either written at its place in the example or named in a
        // comment that documents the place. A place the example does not show (warn_before written as
        // an object) is documented by the comments of the place above it.
        std::string at(pattern);
        auto place = found.find(at);
        while (place == found.end() && !at.empty()) {
            at.erase(at.rfind('/'));
            place = found.find(at);
        }
        ASSERT_NE(place, found.end()) << pattern;
        for (auto key : keys) {
            // A section the example leaves out (store) is documented by its top-level comment.
            std::string top =
                pattern.empty() ? std::string() : std::string(pattern.substr(1, pattern.find('/', 1) - 1));
            bool documented =
                place->second.first.count(std::string(key)) > 0 || mentions(place->second.second, key) ||
                (pattern.empty() && example.contains("_" + std::string(key))) ||
                (!top.empty() && example.contains("_" + top) && mentions(example["_" + top].get<std::string>(), key));
            EXPECT_TRUE(documented) << pattern << "/" << key << " is accepted but the example does not document it";
        }
        // And every key written at a known place is one the loader knows (no key documented in vain).
        if (at == pattern) {
            for (const auto& key : place->second.first)
                EXPECT_NE(std::find(keys.begin(), keys.end(), key), keys.end()) << pattern << "/" << key;
        }
    }
}

TEST(Config, LoopProtectionHasAnHourlyCapOnAutomaticLettersToAnyone)
{
    auto defaults = parse("{}");
    ASSERT_TRUE(defaults.config) << all_problems(defaults);
    EXPECT_EQ(defaults.config->loop.max_automatic_letters_per_hour, 200);
    auto set =
        parse(R"({"loop_protection": {"max_automatic_letters_per_day": 2, "max_automatic_letters_per_hour": 50}})");
    ASSERT_TRUE(set.config) << all_problems(set);
    EXPECT_EQ(set.config->loop.max_automatic_letters_per_hour, 50);
    EXPECT_EQ(set.config->loop.max_automatic_letters_per_day, 2);
    auto bad = parse(R"({"loop_protection": {"max_automatic_letters_per_hour": -1}})");
    ASSERT_FALSE(bad.config);
    EXPECT_NE(all_problems(bad).find("/loop_protection/max_automatic_letters_per_hour"), std::string::npos)
        << all_problems(bad);
}

TEST(Config, AttachmentsHaveCapsPerFileAndPerMessageAndASweepGrace)
{
    auto defaults = parse("{}");
    ASSERT_TRUE(defaults.config) << all_problems(defaults);
    EXPECT_EQ(defaults.config->attachments.max_file_size, 25LL * 1024 * 1024);
    EXPECT_EQ(defaults.config->attachments.max_message_size, 50LL * 1024 * 1024);
    EXPECT_EQ(defaults.config->attachments.sweep_grace, Seconds{24 * 3600});
    EXPECT_EQ(defaults.config->attachments_dir(), defaults.config->data_dir / "attachments");
    auto set = parse(R"({"attachments": {"max_file_size": 1000, "max_message_size": 5000, "sweep_grace": "PT2H"}})");
    ASSERT_TRUE(set.config) << all_problems(set);
    EXPECT_EQ(set.config->attachments.max_file_size, 1000);
    EXPECT_EQ(set.config->attachments.max_message_size, 5000);
    EXPECT_EQ(set.config->attachments.sweep_grace, Seconds{7200});
    auto bad = parse(R"({"attachments": {"max_file_size": -1, "sweep_grace": "soon", "max_size": 1}})");
    ASSERT_FALSE(bad.config);
    std::string problems = all_problems(bad);
    EXPECT_NE(problems.find("/attachments/max_file_size"), std::string::npos) << problems;
    EXPECT_NE(problems.find("/attachments/sweep_grace"), std::string::npos) << problems;
    EXPECT_NE(problems.find("/attachments/max_size"), std::string::npos) << problems;
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

TEST(Config, ReadsTheWorkflowAndTheCompanysLanguage)
{
    auto r = parse(R"({"company": {"language": "ru"},
                       "workflow": {"resolution_codes": [{"code": "FIXED", "label": {"en": "Fixed", "ru": "Исправлено"}},
                                                         {"code": "NO_FAULT", "label": "No fault"}],
                                    "survey_delay": "PT4H", "reopen_window": "P14D",
                                    "departments": [{"name": "Delivery", "default_assignee": "dmitry",
                                                     "categories": ["damaged", {"name": "late", "keywords": {"en": ["courier"]}}]}]}})");
    ASSERT_TRUE(r.config) << all_problems(r);
    const auto& c = *r.config;
    EXPECT_EQ(c.company.language, "ru");
    ASSERT_EQ(c.workflow.resolution_codes.size(), 2u);
    EXPECT_EQ(c.workflow.code("FIXED")->label("ru"), "Исправлено");
    EXPECT_EQ(c.workflow.code("FIXED")->label("de"), "Fixed") << "English when the language has no label";
    EXPECT_EQ(c.workflow.code("NO_FAULT")->label("en"), "No fault");
    EXPECT_EQ(c.workflow.survey_delay, Seconds{4 * 3600});
    EXPECT_EQ(c.workflow.reopen_window, Seconds{14 * 86400});
    ASSERT_EQ(c.workflow.departments.size(), 1u);
    const auto* d = c.workflow.department("Delivery");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->default_assignee, "dmitry");
    ASSERT_EQ(d->categories.size(), 2u);
    EXPECT_EQ(d->categories[1].keywords.at(0).second.at(0), "courier");
}

TEST(Config, TheWorkflowHasSensibleDefaults)
{
    auto r = load_config(std::nullopt, "/opt/redress");
    ASSERT_TRUE(r.config);
    EXPECT_EQ(r.config->company.language, "en");
    EXPECT_TRUE(r.config->workflow.code("FIXED"));
    EXPECT_EQ(r.config->workflow.reopen_window, Seconds{30 * 86400});
}

TEST(Config, RefusesABrokenWorkflow)
{
    auto r = parse(R"({"company": {"language": "Russian"},
                       "workflow": {"resolution_codes": [{"code": "fixed"}, {"code": "A"}, {"code": "A"}],
                                    "survey_delay": "tomorrow",
                                    "departments": [{"name": ""}, {"name": "X", "categories": [{"keywords": {"en": "courier"}}]}],
                                    "reopen_windw": "P1D"}})");
    EXPECT_FALSE(r.config);
    std::string all = all_problems(r);
    for (const char* where :
         {"/company/language", "/workflow/resolution_codes/0/code", "/workflow/resolution_codes/2/code",
          "/workflow/survey_delay", "/workflow/departments/0/name", "/workflow/departments/1/categories/0/keywords/en",
          "/workflow/reopen_windw"})
        EXPECT_NE(all.find(where), std::string::npos) << where << " in\n" << all;
    EXPECT_NE(all.find("reopen_window"), std::string::npos) << "suggests the key meant";
}

TEST(Config, APublicAddressIsHostAndPortAndNotThePrivateOne)
{
    auto none = parse(R"({"http": {"listen": "127.0.0.1:8025"}})");
    ASSERT_TRUE(none.config) << all_problems(none);
    EXPECT_EQ(none.config->http.public_listen, "");
    auto set = parse(R"({"http": {"listen": "127.0.0.1:8025", "public_listen": "127.0.0.1:8026"}})");
    ASSERT_TRUE(set.config) << all_problems(set);
    EXPECT_EQ(set.config->http.public_listen, "127.0.0.1:8026");
    for (const char* bad : {R"({"http": {"public_listen": "8026"}})", R"({"http": {"public_listen": "host:port"}})",
                            R"({"http": {"public_listen": "127.0.0.1:99999"}})",
                            R"({"http": {"listen": "127.0.0.1:8025", "public_listen": "127.0.0.1:8025"}})"}) {
        auto r = parse(bad);
        EXPECT_FALSE(r.config) << bad;
        EXPECT_NE(all_problems(r).find("/http/public_listen"), std::string::npos) << bad << all_problems(r);
    }
    // Both on ports the kernel chooses (tests) is no clash.
    EXPECT_TRUE(parse(R"({"http": {"listen": "127.0.0.1:0", "public_listen": "127.0.0.1:0"}})").config);
}

TEST(Config, SplitRoutesOnEveryAddressNeedTheStaffUrl)
{
    // Letters to staff would link to http://0.0.0.0:8025, which is no machine's address.
    for (const char* everywhere : {"0.0.0.0:8025", "[::]:8025", ":8025"}) {
        std::string text =
            std::string(R"({"http": {"listen": ")") + everywhere + R"(", "public_listen": "127.0.0.1:8026"}})";
        auto r = parse(text.c_str());
        EXPECT_FALSE(r.config) << text;
        EXPECT_NE(all_problems(r).find("/http/staff_url"), std::string::npos) << text << all_problems(r);
    }
    auto named = parse(R"({"http": {"listen": "0.0.0.0:8025", "public_listen": "127.0.0.1:8026",)"
                       R"( "staff_url": "https://staff.example.com"}})");
    ASSERT_TRUE(named.config) << all_problems(named);
    EXPECT_EQ(staff_base_url(named.config->http), "https://staff.example.com");
    // Every route on one address: the links use public_url, listen does not matter.
    EXPECT_TRUE(parse(R"({"http": {"listen": "0.0.0.0:8025", "public_url": "https://help.example.com"}})").config);
}

// Staff letters link the staff page: public_url while every route is on one address; with
// public_listen the page is only on listen, so the links must not point at the public address.
TEST(StaffBaseUrl, FollowsTheAddressTheStaffPageIsOn)
{
    Http http;
    http.listen = "127.0.0.1:8025";
    http.public_url = "https://help.example.com/";
    EXPECT_EQ(staff_base_url(http), "https://help.example.com");
    http.public_listen = "127.0.0.1:8026";
    EXPECT_EQ(staff_base_url(http), "http://127.0.0.1:8025");
    http.staff_url = "https://staff.example.com/";
    EXPECT_EQ(staff_base_url(http), "https://staff.example.com");
}

namespace redress::config {
namespace {

TEST(Config, TheWeeklyDigestHasAWeekdayAndATimeOrIsOff)
{
    auto defaults = parse_config(json::parse("{}"), "c.json", "/opt/redress");
    ASSERT_TRUE(defaults.config);
    EXPECT_FALSE(defaults.config->reports.digest.enabled);
    auto set = parse_config(json::parse(R"({"reports": {"digest": {"weekday": "fri", "time": "17:30"}}})"), "c.json",
                            "/opt/redress");
    ASSERT_TRUE(set.config);
    EXPECT_TRUE(set.config->reports.digest.enabled);
    EXPECT_EQ(set.config->reports.digest.weekday, 5U);
    EXPECT_EQ(set.config->reports.digest.time, Seconds{17 * 3600 + 30 * 60});
    auto off = parse_config(json::parse(R"({"reports": {"digest": {"enabled": false}}})"), "c.json", "/opt/redress");
    ASSERT_TRUE(off.config);
    EXPECT_FALSE(off.config->reports.digest.enabled);
    auto bad = parse_config(json::parse(R"({"reports": {"digest": {"weekday": "friday", "time": "25:00", "day": 1}}})"),
                            "c.json", "/opt/redress");
    ASSERT_FALSE(bad.config);
    std::string problems;
    for (const auto& p : bad.problems)
        problems += p.to_string() + "\n";
    EXPECT_NE(problems.find("/reports/digest/weekday"), std::string::npos) << problems;
    EXPECT_NE(problems.find("/reports/digest/time"), std::string::npos) << problems;
    EXPECT_NE(problems.find("/reports/digest/day"), std::string::npos) << problems;
}

}  // namespace
}  // namespace redress::config
