#include "config.hpp"

#include "common/text.hpp"

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace redress::config {

using nlohmann::json;

std::string Problem::to_string() const
{
    std::string out = file.empty() ? std::string("config") : file;
    out += ": " + (pointer.empty() ? std::string("/") : pointer) + ": expected " + expected;
    if (!found.empty())
        out += ", found " + found;
    return out;
}

std::optional<std::filesystem::path> sqlite_path_of(std::string_view url)
{
    constexpr std::string_view scheme = "sqlite:";
    if (!url.starts_with(scheme))
        return std::nullopt;
    std::string_view rest = url.substr(scheme.size());
    // "sqlite:///abs/path": an empty host and an absolute path; "sqlite://host/..." names no file.
    if (rest.starts_with("//")) {
        rest.remove_prefix(2);
        if (!rest.starts_with("/"))
            return std::nullopt;
    }
    if (rest.empty())
        return std::nullopt;
    return std::filesystem::path(std::string(rest));
}

std::filesystem::path Config::database_path() const
{
    if (auto file = sqlite_path_of(store_url))
        return *file;
    return data_dir / "redress.db";
}

namespace {

std::string describe(const json& value)
{
    std::string text = value.dump();
    if (text.size() > 60)
        text = text.substr(0, 57) + "...";
    return std::string(value.type_name()) + " " + text;
}

// Walks the JSON with a JSON pointer in hand, so every problem says exactly where it is.
class Reader {
public:
    Reader(std::string file, std::vector<Problem>& problems) : m_file(std::move(file)), m_problems(problems) { }

    void problem(const std::string& pointer, std::string expected, std::string found)
    {
        m_problems.push_back(Problem{m_file, pointer, std::move(expected), std::move(found)});
    }

    // Reports keys that are not in `known`: a typo should not silently fall back to a default.
    void only_keys(const json& object, const std::string& pointer, std::initializer_list<std::string_view> known)
    {
        if (!object.is_object())
            return;
        for (auto& [key, value] : object.items()) {
            // Keys starting with "_" are comments: the example config documents each key beside it.
            bool ok = !key.empty() && key.front() == '_';
            for (auto k : known)
                ok = ok || k == key;
            if (!ok) {
                std::string list;
                for (auto k : known)
                    list += (list.empty() ? "" : ", ") + std::string(k);
                problem(pointer + "/" + key, "one of the known keys (" + list + ")", "unknown key \"" + key + "\"");
            }
        }
    }

    bool object(const json& parent, const char* key, const std::string& pointer, const json*& out)
    {
        out = nullptr;
        if (!parent.contains(key))
            return false;
        const json& v = parent.at(key);
        if (!v.is_object()) {
            problem(pointer + "/" + key, "an object", describe(v));
            return false;
        }
        out = &v;
        return true;
    }

    // Strings may be written as ${env:NAME}: secrets stay out of the file.
    void string(const json& parent, const char* key, const std::string& pointer, std::string& out)
    {
        if (!parent.contains(key))
            return;
        const json& v = parent.at(key);
        if (!v.is_string()) {
            problem(pointer + "/" + key, "a string", describe(v));
            return;
        }
        std::string text = v.get<std::string>();
        if (auto expanded = expand_env(text, pointer + "/" + key))
            out = *expanded;
    }

    void boolean(const json& parent, const char* key, const std::string& pointer, bool& out)
    {
        if (!parent.contains(key))
            return;
        const json& v = parent.at(key);
        if (!v.is_boolean()) {
            problem(pointer + "/" + key, "true or false", describe(v));
            return;
        }
        out = v.get<bool>();
    }

    template<class Int>
    void integer(const json& parent, const char* key, const std::string& pointer, Int& out, long long min, long long max)
    {
        if (!parent.contains(key))
            return;
        const json& v = parent.at(key);
        if (!v.is_number_integer() || v.get<long long>() < min || v.get<long long>() > max) {
            problem(pointer + "/" + key, "a whole number from " + std::to_string(min) + " to " + std::to_string(max),
                    describe(v));
            return;
        }
        out = static_cast<Int>(v.get<long long>());
    }

    void duration(const json& parent, const char* key, const std::string& pointer, Seconds& out)
    {
        std::string text;
        if (!parent.contains(key))
            return;
        if (!parent.at(key).is_string()) {
            problem(pointer + "/" + key, "an ISO 8601 duration such as \"PT4H\" or \"P3D\"", describe(parent.at(key)));
            return;
        }
        string(parent, key, pointer, text);
        auto d = parse_iso8601_duration(text);
        if (!d) {
            problem(pointer + "/" + key, "an ISO 8601 duration such as \"PT4H\" or \"P3D\"", "\"" + text + "\"");
            return;
        }
        out = *d;
    }

    std::optional<Mailbox> mailbox(const json& parent, const char* key, const std::string& pointer)
    {
        std::string text;
        string(parent, key, pointer, text);
        if (text.empty())
            return std::nullopt;
        auto m = parse_typed_mailbox(text);
        if (!m) {
            problem(pointer + "/" + key, "an address such as \"Support <support@example.com>\"", "\"" + text + "\"");
            return std::nullopt;
        }
        return m;
    }

private:
    std::optional<std::string> expand_env(const std::string& text, const std::string& pointer)
    {
        std::string out;
        std::size_t pos = 0;
        while (true) {
            auto start = text.find("${env:", pos);
            if (start == std::string::npos) {
                out.append(text, pos);
                return out;
            }
            auto end = text.find('}', start);
            if (end == std::string::npos) {
                problem(pointer, "a closed ${env:NAME} reference", "\"" + text + "\"");
                return std::nullopt;
            }
            out.append(text, pos, start - pos);
            std::string name = text.substr(start + 6, end - start - 6);
            const char* value = std::getenv(name.c_str());
            if (!value) {
                problem(pointer, "environment variable " + name + " to be set (the value is ${env:" + name + "})",
                        "it is not set");
                return std::nullopt;
            }
            out += value;
            pos = end + 1;
        }
    }

    std::string m_file;
    std::vector<Problem>& m_problems;
};

void read_company(Reader& r, const json& root, Config& c)
{
    const json* company = nullptr;
    if (!r.object(root, "company", "", company))
        return;
    r.only_keys(*company, "/company", {"name", "support_address", "ticket_prefix", "message_id_domain", "time_zone"});
    r.string(*company, "name", "/company", c.company.name);
    if (auto m = r.mailbox(*company, "support_address", "/company"))
        c.company.support_address = *m;
    r.string(*company, "ticket_prefix", "/company", c.company.ticket_prefix);
    bool prefix_ok = !c.company.ticket_prefix.empty() && c.company.ticket_prefix.size() <= 10;
    for (char ch : c.company.ticket_prefix)
        prefix_ok = prefix_ok && ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'));
    if (!prefix_ok)
        r.problem("/company/ticket_prefix", "1 to 10 capital letters or digits, such as \"RD\"",
                  "\"" + c.company.ticket_prefix + "\"");
    r.string(*company, "message_id_domain", "/company", c.company.message_id_domain);
    r.string(*company, "time_zone", "/company", c.company.time_zone);
}

void read_mailboxes(Reader& r, const json& root, Config& c)
{
    if (!root.contains("mailboxes"))
        return;
    const json& list = root.at("mailboxes");
    if (!list.is_array()) {
        r.problem("/mailboxes", "an array of mailboxes", describe(list));
        return;
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < list.size(); ++i) {
        std::string p = "/mailboxes/" + std::to_string(i);
        const json& m = list[i];
        if (!m.is_object()) {
            r.problem(p, "an object", describe(m));
            continue;
        }
        r.only_keys(m, p, {"name", "url", "user", "password", "oauth_token", "oauth_token_command", "after_store",
                           "move_to", "idle", "poll_interval", "max_message_size", "verify_tls", "ca_file", "starttls",
                           "skip_existing_on_first_sync"});
        MailboxConfig mb;
        r.string(m, "name", p, mb.name);
        r.string(m, "url", p, mb.url);
        r.string(m, "user", p, mb.user);
        r.string(m, "password", p, mb.password);
        r.string(m, "oauth_token", p, mb.oauth_token);
        r.string(m, "oauth_token_command", p, mb.oauth_token_command);
        std::string after = "seen";
        r.string(m, "after_store", p, after);
        if (after == "seen")
            mb.after_store = AfterStore::seen;
        else if (after == "move")
            mb.after_store = AfterStore::move;
        else if (after == "keep")
            mb.after_store = AfterStore::keep;
        else
            r.problem(p + "/after_store", "\"seen\", \"move\" or \"keep\"", "\"" + after + "\"");
        r.string(m, "move_to", p, mb.move_to);
        if (mb.after_store == AfterStore::move && mb.move_to.empty())
            r.problem(p + "/move_to", "a folder name when after_store is \"move\"", "nothing");
        r.boolean(m, "idle", p, mb.idle);
        r.duration(m, "poll_interval", p, mb.poll_interval);
        r.integer(m, "max_message_size", p, mb.max_message_size, 1024, 1LL << 31);
        r.boolean(m, "verify_tls", p, mb.verify_tls);
        r.string(m, "ca_file", p, mb.ca_file);
        r.boolean(m, "starttls", p, mb.starttls);
        r.boolean(m, "skip_existing_on_first_sync", p, mb.skip_existing_on_first_sync);
        if (mb.name.empty())
            r.problem(p + "/name", "a name for the mailbox (it keys its saved state)", "nothing");
        else if (!names.insert(mb.name).second)
            r.problem(p + "/name", "a name no other mailbox has", "\"" + mb.name + "\" again");
        bool url_is_text = !m.contains("url") || m.at("url").is_string();
        if (url_is_text && !istarts_with(mb.url, "imap://") && !istarts_with(mb.url, "imaps://"))
            r.problem(p + "/url", "an imap:// or imaps:// URL such as \"imaps://imap.example.com/INBOX\"",
                      "\"" + mb.url + "\"");
        c.mailboxes.push_back(std::move(mb));
    }
}

void read_smtp(Reader& r, const json& root, Config& c)
{
    const json* smtp = nullptr;
    if (!r.object(root, "smtp", "", smtp))
        return;
    r.only_keys(*smtp, "/smtp", {"url", "user", "password", "starttls", "verify_tls", "ca_file", "max_attempts", "first_retry"});
    Smtp s;
    r.string(*smtp, "url", "/smtp", s.url);
    r.string(*smtp, "user", "/smtp", s.user);
    r.string(*smtp, "password", "/smtp", s.password);
    r.boolean(*smtp, "starttls", "/smtp", s.starttls);
    r.boolean(*smtp, "verify_tls", "/smtp", s.verify_tls);
    r.string(*smtp, "ca_file", "/smtp", s.ca_file);
    r.integer(*smtp, "max_attempts", "/smtp", s.max_attempts, 1, 100);
    r.duration(*smtp, "first_retry", "/smtp", s.first_retry);
    bool url_is_text = !smtp->contains("url") || smtp->at("url").is_string();
    if (url_is_text && !istarts_with(s.url, "smtp://") && !istarts_with(s.url, "smtps://"))
        r.problem("/smtp/url", "an smtp:// or smtps:// URL such as \"smtp://127.0.0.1:10025\"", "\"" + s.url + "\"");
    c.smtp = std::move(s);
}

std::optional<ChatType> chat_type(std::string_view text)
{
    if (text == "telegram")
        return ChatType::telegram;
    if (text == "slack")
        return ChatType::slack;
    if (text == "webhook")
        return ChatType::webhook;
    return std::nullopt;
}

void read_chats(Reader& r, const json& root, Config& c)
{
    if (!root.contains("chats"))
        return;
    const json& list = root.at("chats");
    if (!list.is_array()) {
        r.problem("/chats", "an array of chats", describe(list));
        return;
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < list.size(); ++i) {
        std::string p = "/chats/" + std::to_string(i);
        const json& j = list[i];
        if (!j.is_object()) {
            r.problem(p, "an object", describe(j));
            continue;
        }
        r.only_keys(j, p, {"name", "type", "bot_token", "api_base", "url", "signing_secret", "secret_token", "verify_tls",
                           "ca_file", "max_attempts", "first_retry"});
        Chat chat;
        r.string(j, "name", p, chat.name);
        bool name_ok = !chat.name.empty() && chat.name.size() <= 32;
        for (char ch : chat.name)
            name_ok = name_ok && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_');
        if (!name_ok)
            r.problem(p + "/name", "1 to 32 of a-z, 0-9, - and _, such as \"tg\"", "\"" + chat.name + "\"");
        else if (!names.insert(chat.name).second)
            r.problem(p + "/name", "a name no other chat has", "\"" + chat.name + "\" again");
        std::string type;
        r.string(j, "type", p, type);
        if (auto t = chat_type(type))
            chat.type = *t;
        else
            r.problem(p + "/type", "\"telegram\", \"slack\" or \"webhook\"", "\"" + type + "\"");
        r.string(j, "bot_token", p, chat.bot_token);
        r.string(j, "api_base", p, chat.api_base);
        r.string(j, "url", p, chat.url);
        r.string(j, "signing_secret", p, chat.signing_secret);
        r.string(j, "secret_token", p, chat.secret_token);
        r.boolean(j, "verify_tls", p, chat.verify_tls);
        r.string(j, "ca_file", p, chat.ca_file);
        r.integer(j, "max_attempts", p, chat.max_attempts, 1, 100);
        r.duration(j, "first_retry", p, chat.first_retry);
        auto is_http_url = [](const std::string& u) { return istarts_with(u, "http://") || istarts_with(u, "https://"); };
        switch (chat.type) {
        case ChatType::telegram:
        case ChatType::slack:
            if (chat.api_base.empty())
                chat.api_base = chat.type == ChatType::telegram ? "https://api.telegram.org" : "https://slack.com/api";
            if (chat.bot_token.empty())
                r.problem(p + "/bot_token", "the bot's token (for example \"${env:BOT_TOKEN}\")", "none");
            if (!is_http_url(chat.api_base))
                r.problem(p + "/api_base", "an http:// or https:// URL", "\"" + chat.api_base + "\"");
            while (!chat.api_base.empty() && chat.api_base.back() == '/')
                chat.api_base.pop_back();
            break;
        case ChatType::webhook:
            if (!is_http_url(chat.url))
                r.problem(p + "/url", "an http:// or https:// URL that receives the letters", "\"" + chat.url + "\"");
            // The receiver can only trust what it can verify: webhooks are always signed.
            if (chat.signing_secret.empty())
                r.problem(p + "/signing_secret", "a secret shared with the receiver (for example \"${env:HOOK_SECRET}\")",
                          "none");
            break;
        }
        c.chats.push_back(std::move(chat));
    }
}

}  // namespace

std::optional<Problem> chat_address_problem(const Config& c, std::string_view file, const std::string& pointer,
                                            std::string_view address)
{
    if (address.empty())
        return std::nullopt;
    auto parsed = parse_chat_address(address);
    if (!parsed)
        return Problem{std::string(file), pointer, "\"<chat name>:<chat id>\", such as \"tg:123456\"",
                       "\"" + std::string(address) + "\""};
    if (c.chat(parsed->chat))
        return std::nullopt;
    std::string names;
    for (const auto& chat : c.chats)
        names += (names.empty() ? "" : ", ") + chat.name;
    return Problem{std::string(file), pointer,
                   "the name of a chat in /chats (" + (names.empty() ? std::string("there are none") : names) + ")",
                   "\"" + parsed->chat + "\""};
}

std::string_view to_string(ChatType type)
{
    switch (type) {
    case ChatType::telegram:
        return "telegram";
    case ChatType::slack:
        return "slack";
    case ChatType::webhook:
        return "webhook";
    }
    return "webhook";
}

std::optional<ChatAddress> parse_chat_address(std::string_view text)
{
    auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size())
        return std::nullopt;
    return ChatAddress{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

const Chat* Config::chat(std::string_view name) const
{
    for (const auto& c : chats)
        if (c.name == name)
            return &c;
    return nullptr;
}

LoadResult parse_config(const json& root, std::string_view file_name, const std::filesystem::path& install_dir)
{
    LoadResult result;
    Reader r{std::string(file_name), result.problems};
    Config c;
    c.templates_dir = install_dir / "templates";
    c.rules_dir = install_dir / "config" / "rules";
    c.model_path = install_dir / "config" / "model" / "classifier.bin";
    if (!root.is_object()) {
        r.problem("", "a JSON object", describe(root));
        return result;
    }
    r.only_keys(root, "", {"data_dir", "templates_dir", "rules_dir", "model_path", "company", "http", "mailboxes",
                           "smtp", "chats", "owner", "sla", "loop_protection", "log_level", "store"});
    std::string text;
    if (root.contains("data_dir")) {
        r.string(root, "data_dir", "", text);
        c.data_dir = text;
    }
    for (auto [key, target] : {std::pair{"templates_dir", &c.templates_dir}, std::pair{"rules_dir", &c.rules_dir},
                               std::pair{"model_path", &c.model_path}}) {
        if (root.contains(key)) {
            text.clear();
            r.string(root, key, "", text);
            *target = text;
        }
    }
    read_company(r, root, c);
    const json* store = nullptr;
    if (r.object(root, "store", "", store)) {
        r.only_keys(*store, "/store", {"url"});
        r.string(*store, "url", "/store", c.store_url);
        if (c.store_url.starts_with("postgresql:") || c.store_url.starts_with("postgres:"))
            // The URL itself is not repeated: it may carry a password.
            r.problem("/store/url", "a sqlite: URL", "a PostgreSQL URL: PostgreSQL is not yet supported");
        else if (!c.store_url.empty() && !sqlite_path_of(c.store_url))
            r.problem("/store/url", "\"sqlite:PATH\" or \"sqlite:///absolute/path\"", "\"" + c.store_url + "\"");
    }
    const json* http = nullptr;
    if (r.object(root, "http", "", http)) {
        // Naming an http section turns the server on unless it says "enabled": false.
        c.http.enabled = true;
        r.only_keys(*http, "/http", {"listen", "public_url", "enabled"});
        r.string(*http, "listen", "/http", c.http.listen);
        r.string(*http, "public_url", "/http", c.http.public_url);
        r.boolean(*http, "enabled", "/http", c.http.enabled);
    }
    read_mailboxes(r, root, c);
    read_smtp(r, root, c);
    read_chats(r, root, c);
    const json* owner = nullptr;
    if (r.object(root, "owner", "", owner)) {
        r.only_keys(*owner, "/owner", {"name", "email", "chat"});
        r.string(*owner, "name", "/owner", c.owner.name);
        r.string(*owner, "email", "/owner", c.owner.email);
        r.string(*owner, "chat", "/owner", c.owner.chat);
        if (!c.owner.email.empty() && c.owner.email.find('@') == std::string::npos)
            r.problem("/owner/email", "an email address", "\"" + c.owner.email + "\"");
        if (auto p = chat_address_problem(c, file_name, "/owner/chat", c.owner.chat))
            result.problems.push_back(*p);
    }
    const json* loop = nullptr;
    if (r.object(root, "loop_protection", "", loop)) {
        r.only_keys(*loop, "/loop_protection", {"max_automatic_letters_per_day"});
        r.integer(*loop, "max_automatic_letters_per_day", "/loop_protection", c.loop.max_automatic_letters_per_day, 0, 1000);
    }
    if (root.contains("sla")) {
        if (root.at("sla").is_object())
            c.sla = root.at("sla");
        else
            r.problem("/sla", "an object with calendar and policies", describe(root.at("sla")));
    }
    if (root.contains("log_level")) {
        r.string(root, "log_level", "", c.log_level);
        if (c.log_level != "debug" && c.log_level != "info" && c.log_level != "warn" && c.log_level != "error")
            r.problem("/log_level", "\"debug\", \"info\", \"warn\" or \"error\"", "\"" + c.log_level + "\"");
    }
    if (c.company.message_id_domain.empty()) {
        auto at = c.company.support_address.address.rfind('@');
        c.company.message_id_domain = at == std::string::npos ? "redress.invalid" : c.company.support_address.address.substr(at + 1);
    }
    if (c.company.time_zone == "UTC" && c.sla.contains("calendar") && c.sla["calendar"].is_object() &&
        c.sla["calendar"].contains("time_zone") && c.sla["calendar"]["time_zone"].is_string())
        c.company.time_zone = c.sla["calendar"]["time_zone"].get<std::string>();
    if (result.problems.empty())
        result.config = std::move(c);
    return result;
}

LoadResult load_config(const std::optional<std::filesystem::path>& file, const std::filesystem::path& install_dir)
{
    if (!file) {
        auto result = parse_config(json::object(), "", install_dir);
        return result;
    }
    LoadResult result;
    std::ifstream in(*file, std::ios::binary);
    if (!in) {
        result.problems.push_back(Problem{file->string(), "", "a readable JSON file", "it cannot be opened"});
        return result;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    json root = json::parse(buffer.str(), nullptr, false);
    if (root.is_discarded()) {
        // Parse again with exceptions on to learn where it broke.
        try {
            json again = json::parse(buffer.str());
            (void)again;
        } catch (const json::parse_error& e) {
            result.problems.push_back(
                Problem{file->string(), "", "valid JSON", "a syntax error at byte " + std::to_string(e.byte) + ": " + e.what()});
        }
        return result;
    }
    result = parse_config(root, file->string(), install_dir);
    if (result.config)
        result.config->file = *file;
    return result;
}

}  // namespace redress::config
