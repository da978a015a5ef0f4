#include "config.hpp"

#include "common/text.hpp"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

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

const std::vector<KnownKeys>& known_keys()
{
    // One table for the whole file, so the loader, the suggestions and the documentation test agree.
    // The SLA section is parsed by sla::parse_settings; its keys are listed here too so that a
    // misspelt one gets a suggestion like any other.
    static const std::vector<KnownKeys> table{
        {"",
         {"data_dir", "templates_dir", "rules_dir", "model_path", "company", "http", "mailboxes", "smtp", "chats",
          "owner", "sla", "loop_protection", "log_level", "store", "workflow", "attachments", "reports", "retention"}},
        {"/reports", {"digest"}},
        {"/retention", {"erase_closed_after_days"}},
        {"/reports/digest", {"weekday", "time", "enabled"}},
        {"/store", {"url"}},
        {"/company", {"name", "support_address", "ticket_prefix", "message_id_domain", "time_zone", "language"}},
        {"/workflow", {"resolution_codes", "survey_delay", "reopen_window", "links_valid_after_close", "departments"}},
        {"/workflow/resolution_codes/*", {"code", "label"}},
        {"/workflow/departments/*", {"name", "default_assignee", "categories"}},
        {"/workflow/departments/*/categories/*", {"name", "keywords"}},
        {"/http", {"listen", "public_listen", "public_url", "staff_url", "enabled", "form_min_fill"}},
        {"/mailboxes/*",
         {"name", "url", "user", "password", "oauth_token", "oauth_token_command", "after_store", "move_to", "idle",
          "poll_interval", "max_message_size", "verify_tls", "ca_file", "starttls", "allow_plaintext",
          "skip_existing_on_first_sync"}},
        {"/smtp",
         {"url", "user", "password", "starttls", "allow_plaintext", "verify_tls", "ca_file", "max_attempts",
          "first_retry"}},
        {"/chats/*",
         {"name", "type", "mode", "bot_token", "api_base", "url", "signing_secret", "secret_token", "verify_tls",
          "ca_file", "max_attempts", "first_retry"}},
        {"/owner", {"name", "email", "chat"}},
        {"/loop_protection", {"max_automatic_letters_per_day", "max_automatic_letters_per_hour"}},
        {"/attachments", {"max_file_size", "max_message_size", "sweep_grace"}},
        {"/sla", {"calendar", "policies"}},
        {"/sla/calendar", {"time_zone", "hours", "holidays", "special_days"}},
        {"/sla/policies/*",
         {"name", "match", "first_response", "resolution", "warn_before", "second_level_after", "second_level",
          "alert_owner_on_arrival"}},
        {"/sla/policies/*/match", {"kind", "severity", "channel"}},
        {"/sla/policies/*/warn_before", {"first_response", "resolution"}},
        {"/sla/policies/*/second_level", {"name", "email", "chat"}},
    };
    return table;
}

std::optional<std::string> nearest_key(std::string_view key, const std::vector<std::string_view>& known)
{
    // Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
    // neighbouring letters ("compnay") each cost one.
    auto distance = [](std::string_view a, std::string_view b) {
        std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
        for (std::size_t i = 0; i <= a.size(); ++i)
            d[i][0] = i;
        for (std::size_t j = 0; j <= b.size(); ++j)
            d[0][j] = j;
        for (std::size_t i = 1; i <= a.size(); ++i)
            for (std::size_t j = 1; j <= b.size(); ++j) {
                std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        return d[a.size()][b.size()];
    };
    std::string lower = ascii_lower(key);
    std::optional<std::string> best;
    std::size_t best_distance = 0;
    for (auto candidate : known) {
        std::size_t dist = distance(lower, candidate);
        if (!best || dist < best_distance) {
            best = std::string(candidate);
            best_distance = dist;
        }
    }
    // Up to a third of the word may be wrong, at least two letters: beyond that a guess misleads.
    std::size_t allowed = std::max<std::size_t>(2, key.size() / 3);
    if (!best || best_distance > allowed)
        return std::nullopt;
    return best;
}

bool is_loopback_host(std::string_view host)
{
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (iequals(host, "localhost") || iequals(host, "localhost.") || host == "::1")
        return true;
    // 127.0.0.0/8 written as a dotted quad (RFC 1122 3.2.1.3): four numbers 0-255, the first 127.
    auto parts = split(host, '.');
    if (parts.size() != 4)
        return false;
    for (auto part : parts) {
        if (part.empty() || part.size() > 3 ||
            !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return false;
        if (std::stoi(std::string(part)) > 255)
            return false;
    }
    return parts[0] == "127";
}

std::string ResolutionCode::label(std::string_view language) const
{
    for (const auto& [lang, text] : labels)
        if (lang == language)
            return text;
    for (const auto& [lang, text] : labels)
        if (lang == "en")
            return text;
    return code;
}

std::vector<ResolutionCode> Workflow::default_resolution_codes()
{
    // What a manager most often records at sign-off; a company replaces the list in its config.
    return {
        {"FIXED", {{"en", "Fixed for the customer"}, {"ru", "Исправлено для клиента"}}},
        {"REFUNDED", {{"en", "Money returned"}, {"ru", "Деньги возвращены"}}},
        {"REPLACED", {{"en", "Goods replaced or service redone"}, {"ru", "Товар заменён или услуга оказана заново"}}},
        {"COMPENSATED", {{"en", "Compensation given"}, {"ru", "Выплачена компенсация"}}},
        {"EXPLAINED", {{"en", "Explained; no fault found"}, {"ru", "Даны разъяснения; нарушений не найдено"}}},
        {"NO_RESPONSE", {{"en", "Customer stopped answering"}, {"ru", "Клиент перестал отвечать"}}}};
}

const ResolutionCode* Workflow::code(std::string_view code) const
{
    for (const auto& c : resolution_codes)
        if (c.code == code)
            return &c;
    return nullptr;
}

const DepartmentConfig* Workflow::department(std::string_view name) const
{
    for (const auto& d : departments)
        if (d.name == name)
            return &d;
    return nullptr;
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

// The parts of a server URL the config checks: scheme://[userinfo@]host[:port][/path].
struct ServerUrl {
    std::string scheme;  // lower case
    std::string host;    // as written, IPv6 addresses with their brackets
    bool has_userinfo = false;
};

std::optional<ServerUrl> parse_server_url(std::string_view url)
{
    auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0)
        return std::nullopt;
    ServerUrl out;
    out.scheme = ascii_lower(url.substr(0, scheme_end));
    std::string_view authority = url.substr(scheme_end + 3);
    authority = authority.substr(0, authority.find_first_of("?#"));
    // A password may hold a '/' that its writer did not escape ("user:pa/ss@host"): any '@' before
    // the query counts as userinfo, and the host follows the last one.
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        out.has_userinfo = true;
        authority.remove_prefix(at + 1);
    }
    authority = authority.substr(0, authority.find('/'));
    if (!authority.empty() && authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos)
            return std::nullopt;
        out.host = std::string(authority.substr(0, close + 1));
    } else {
        out.host = std::string(authority.substr(0, authority.find(':')));
    }
    if (out.host.empty())
        return std::nullopt;
    return out;
}

// RFC 6901 3: "~" and "/" inside a key are written "~0" and "~1" in a JSON pointer.
std::string pointer_escape(std::string_view key)
{
    std::string out;
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

const std::vector<std::string_view>& keys_at(std::string_view pattern)
{
    for (const auto& entry : known_keys())
        if (entry.pattern == pattern)
            return entry.keys;
    // A programming error: every place the loader checks is in the table.
    throw std::logic_error("config: no known keys for " + std::string(pattern));
}

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
    Reader(std::string file, std::vector<Problem>& problems)
        : m_file(std::move(file))
        , m_problems(problems)
    {
    }

    void problem(const std::string& pointer, std::string expected, std::string found)
    {
        m_problems.push_back(Problem{m_file, pointer, std::move(expected), std::move(found)});
    }

    // Reports keys that are not known at `pattern` (see known_keys), with the nearest known key as
    // a suggestion: a typo should not silently fall back to a default.
    void only_keys(const json& object, const std::string& pointer, std::string_view pattern)
    {
        if (!object.is_object())
            return;
        const auto& known = keys_at(pattern);
        for (auto& [key, value] : object.items()) {
            // Keys starting with "_" are comments: the example config documents each key beside it.
            if (!key.empty() && key.front() == '_')
                continue;
            if (std::find(known.begin(), known.end(), key) != known.end())
                continue;
            std::string list;
            for (auto k : known)
                list += (list.empty() ? "" : ", ") + std::string(k);
            std::string expected = "one of the known keys";
            if (auto near = nearest_key(key, known))
                expected += ", did you mean \"" + *near + "\"?";
            problem(pointer + "/" + pointer_escape(key), expected + " (" + list + ")", "unknown key \"" + key + "\"");
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

    template <class Int>
    void integer(const json& parent, const char* key, const std::string& pointer, Int& out, long long min,
                 long long max)
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

// Why `name` is not a zone of the IANA database, or nothing when it is one.
std::optional<std::string> time_zone_problem(const std::string& name)
{
    if (name == "UTC")
        return std::nullopt;
    try {
        (void)date::locate_zone(name);  // throws std::runtime_error for an unknown name
        return std::nullopt;
    } catch (const std::exception& e) {
        return "\"" + name + "\" (" + e.what() + ")";
    }
}

// Refuses credentials written into a URL (the URLs are logged, the secrets must not be) and a login
// in clear over the network: every host that is not loopback needs implicit TLS (`tls_scheme`) or
// STARTTLS, unless allow_plaintext says the operator accepts the risk.
void check_server_url(Reader& r, const std::string& pointer, const std::string& url, std::string_view tls_scheme,
                      bool starttls, bool allow_plaintext)
{
    auto parsed = parse_server_url(url);
    if (!parsed)
        return;  // the scheme check reports it
    if (parsed->has_userinfo) {
        r.problem(pointer + "/url",
                  "a URL without a user or password in it (write them as \"user\" and \"password\": "
                  "the URL is logged)",
                  "a URL with \"...@\" before the host");
        return;
    }
    if (parsed->scheme == tls_scheme || starttls || allow_plaintext || is_loopback_host(parsed->host))
        return;
    r.problem(
        pointer + "/starttls",
        "\"starttls\": true or an " + std::string(tls_scheme) + ":// URL, since " + parsed->host +
            " is not this machine and the login and the mail would cross the network in clear (\"allow_plaintext\": "
            "true accepts that)",
        "no TLS for " + parsed->scheme + "://" + parsed->host);
}

bool is_language_code(const std::string& text)
{
    return text.size() == 2 && std::all_of(text.begin(), text.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
}

bool is_code_text(const std::string& text)
{
    return !text.empty() && text.size() <= 32 && std::all_of(text.begin(), text.end(), [](char ch) {
        return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    });
}

// {"en": "Fixed", "ru": "..."}: a label per language.
std::vector<std::pair<std::string, std::string>> read_labels(Reader& r, const json& parent, const std::string& pointer)
{
    std::vector<std::pair<std::string, std::string>> out;
    if (!parent.contains("label"))
        return out;
    const json& v = parent.at("label");
    if (v.is_string()) {
        out.emplace_back("en", v.get<std::string>());
        return out;
    }
    if (!v.is_object()) {
        r.problem(pointer + "/label", "an object of labels by language, such as {\"en\": \"Fixed\"}", describe(v));
        return out;
    }
    for (auto& [lang, text] : v.items()) {
        if (!is_language_code(lang) || !text.is_string() || text.get<std::string>().empty()) {
            r.problem(pointer + "/label/" + lang, "a two-letter language code with a label text", describe(text));
            continue;
        }
        out.emplace_back(lang, text.get<std::string>());
    }
    return out;
}

// A category: its name, or {"name", "keywords": {"en": ["courier", ...]}}.
std::optional<Category> read_category(Reader& r, const json& j, const std::string& pointer)
{
    Category cat;
    if (j.is_string()) {
        cat.name = j.get<std::string>();
    } else if (j.is_object()) {
        r.only_keys(j, pointer, "/workflow/departments/*/categories/*");
        r.string(j, "name", pointer, cat.name);
        const json* kw = nullptr;
        if (r.object(j, "keywords", pointer, kw)) {
            for (auto& [lang, words] : kw->items()) {
                std::vector<std::string> list;
                bool ok = is_language_code(lang) && words.is_array();
                for (std::size_t i = 0; ok && i < words.size(); ++i) {
                    ok = words[i].is_string() && !words[i].get<std::string>().empty();
                    if (ok)
                        list.push_back(words[i].get<std::string>());
                }
                if (ok)
                    cat.keywords.emplace_back(lang, std::move(list));
                else
                    r.problem(pointer + "/keywords/" + lang, "a two-letter language code with a list of words",
                              describe(words));
            }
        }
    } else {
        r.problem(pointer, "a category name or {\"name\", \"keywords\"}", describe(j));
        return std::nullopt;
    }
    if (cat.name.empty()) {
        r.problem(pointer + "/name", "the category's name", "nothing");
        return std::nullopt;
    }
    return cat;
}

void read_workflow(Reader& r, const json& root, Config& c)
{
    const json* wf = nullptr;
    if (!r.object(root, "workflow", "", wf))
        return;
    r.only_keys(*wf, "/workflow", "/workflow");
    r.duration(*wf, "survey_delay", "/workflow", c.workflow.survey_delay);
    r.duration(*wf, "reopen_window", "/workflow", c.workflow.reopen_window);
    r.duration(*wf, "links_valid_after_close", "/workflow", c.workflow.links_valid_after_close);
    if (wf->contains("resolution_codes")) {
        const json& codes = wf->at("resolution_codes");
        if (!codes.is_array() || codes.empty()) {
            r.problem("/workflow/resolution_codes", "a list of {\"code\": \"FIXED\", \"label\": {\"en\": \"Fixed\"}}",
                      describe(codes));
        } else {
            c.workflow.resolution_codes.clear();
            for (std::size_t i = 0; i < codes.size(); ++i) {
                std::string p = "/workflow/resolution_codes/" + std::to_string(i);
                if (!codes[i].is_object()) {
                    r.problem(p, "an object with code and label", describe(codes[i]));
                    continue;
                }
                r.only_keys(codes[i], p, "/workflow/resolution_codes/*");
                ResolutionCode rc;
                r.string(codes[i], "code", p, rc.code);
                if (!is_code_text(rc.code))
                    r.problem(p + "/code", "1 to 32 capital letters, digits, _ or -, such as \"FIXED\"",
                              "\"" + rc.code + "\"");
                else if (c.workflow.code(rc.code))
                    r.problem(p + "/code", "a code not listed before", "\"" + rc.code + "\" again");
                rc.labels = read_labels(r, codes[i], p);
                c.workflow.resolution_codes.push_back(std::move(rc));
            }
        }
    }
    if (wf->contains("departments")) {
        const json& deps = wf->at("departments");
        if (!deps.is_array()) {
            r.problem("/workflow/departments", "a list of departments", describe(deps));
            return;
        }
        for (std::size_t i = 0; i < deps.size(); ++i) {
            std::string p = "/workflow/departments/" + std::to_string(i);
            if (!deps[i].is_object()) {
                r.problem(p, "an object with name, default_assignee and categories", describe(deps[i]));
                continue;
            }
            r.only_keys(deps[i], p, "/workflow/departments/*");
            DepartmentConfig d;
            r.string(deps[i], "name", p, d.name);
            if (d.name.empty())
                r.problem(p + "/name", "the department's name", "nothing");
            else if (c.workflow.department(d.name))
                r.problem(p + "/name", "a name not listed before", "\"" + d.name + "\" again");
            r.string(deps[i], "default_assignee", p, d.default_assignee);
            if (deps[i].contains("categories")) {
                const json& cats = deps[i].at("categories");
                if (!cats.is_array()) {
                    r.problem(p + "/categories", "a list of categories", describe(cats));
                } else {
                    for (std::size_t k = 0; k < cats.size(); ++k) {
                        std::string cp = p + "/categories/" + std::to_string(k);
                        auto cat = read_category(r, cats[k], cp);
                        if (!cat)
                            continue;
                        d.categories.push_back(std::move(*cat));
                    }
                }
            }
            c.workflow.departments.push_back(std::move(d));
        }
    }
}

void read_company(Reader& r, const json& root, Config& c)
{
    const json* company = nullptr;
    if (!r.object(root, "company", "", company))
        return;
    r.only_keys(*company, "/company", "/company");
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
    r.string(*company, "language", "/company", c.company.language);
    if (!is_language_code(c.company.language))
        r.problem("/company/language", "a two-letter language code such as \"en\" or \"ru\"",
                  "\"" + c.company.language + "\"");
    if (company->contains("time_zone") && company->at("time_zone").is_string()) {
        // Letters write times in this zone; an unknown name would silently fall back to UTC there.
        if (auto problem = time_zone_problem(c.company.time_zone))
            r.problem("/company/time_zone",
                      "an IANA time zone name such as \"Europe/Moscow\" (the tz database in "
                      "/usr/share/zoneinfo, package tzdata)",
                      *problem);
    }
}

// An address alone, as letters put it in To: exactly what parse_typed_mailbox accepts without a name.
bool is_bare_address(const std::string& text)
{
    auto m = parse_typed_mailbox(text);
    return m && m->name.empty() && m->address == trim(text);
}

// The SLA section's values are read by sla::parse_settings; its key names are checked here with the
// rest of the file, so a misspelt "warn_befor" gets the same suggestion as a misspelt "compnay". The
// second level's email goes into To like the owner's, so it is checked the same way.
void check_sla_keys(Reader& r, const json& sla)
{
    r.only_keys(sla, "/sla", "/sla");
    if (auto it = sla.find("calendar"); it != sla.end())
        r.only_keys(*it, "/sla/calendar", "/sla/calendar");
    auto policies = sla.find("policies");
    if (policies == sla.end() || !policies->is_array())
        return;
    for (std::size_t i = 0; i < policies->size(); ++i) {
        const json& policy = (*policies)[i];
        if (!policy.is_object())
            continue;
        std::string p = "/sla/policies/" + std::to_string(i);
        r.only_keys(policy, p, "/sla/policies/*");
        if (auto it = policy.find("match"); it != policy.end())
            r.only_keys(*it, p + "/match", "/sla/policies/*/match");
        if (auto it = policy.find("warn_before"); it != policy.end())
            r.only_keys(*it, p + "/warn_before", "/sla/policies/*/warn_before");
        if (auto it = policy.find("second_level"); it != policy.end() && it->is_object()) {
            r.only_keys(*it, p + "/second_level", "/sla/policies/*/second_level");
            if (auto email = it->find("email"); email != it->end() && email->is_string() &&
                                                !email->get<std::string>().empty() &&
                                                !is_bare_address(email->get<std::string>()))
                r.problem(p + "/second_level/email", "one email address such as \"director@example.com\"",
                          "\"" + email->get<std::string>() + "\"");
        }
    }
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
        r.only_keys(m, p, "/mailboxes/*");
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
        r.boolean(m, "allow_plaintext", p, mb.allow_plaintext);
        r.boolean(m, "skip_existing_on_first_sync", p, mb.skip_existing_on_first_sync);
        if (mb.name.empty())
            r.problem(p + "/name", "a name for the mailbox (it keys its saved state)", "nothing");
        else if (!names.insert(mb.name).second)
            r.problem(p + "/name", "a name no other mailbox has", "\"" + mb.name + "\" again");
        bool url_is_text = !m.contains("url") || m.at("url").is_string();
        if (url_is_text && !istarts_with(mb.url, "imap://") && !istarts_with(mb.url, "imaps://"))
            r.problem(p + "/url", "an imap:// or imaps:// URL such as \"imaps://imap.example.com/INBOX\"",
                      "\"" + mb.url + "\"");
        else if (url_is_text)
            check_server_url(r, p, mb.url, "imaps", mb.starttls, mb.allow_plaintext);
        c.mailboxes.push_back(std::move(mb));
    }
}

void read_smtp(Reader& r, const json& root, Config& c)
{
    const json* smtp = nullptr;
    if (!r.object(root, "smtp", "", smtp))
        return;
    r.only_keys(*smtp, "/smtp", "/smtp");
    Smtp s;
    r.string(*smtp, "url", "/smtp", s.url);
    r.string(*smtp, "user", "/smtp", s.user);
    r.string(*smtp, "password", "/smtp", s.password);
    r.boolean(*smtp, "starttls", "/smtp", s.starttls);
    r.boolean(*smtp, "allow_plaintext", "/smtp", s.allow_plaintext);
    r.boolean(*smtp, "verify_tls", "/smtp", s.verify_tls);
    r.string(*smtp, "ca_file", "/smtp", s.ca_file);
    r.integer(*smtp, "max_attempts", "/smtp", s.max_attempts, 1, 100);
    r.duration(*smtp, "first_retry", "/smtp", s.first_retry);
    bool url_is_text = !smtp->contains("url") || smtp->at("url").is_string();
    if (url_is_text && !istarts_with(s.url, "smtp://") && !istarts_with(s.url, "smtps://"))
        r.problem("/smtp/url", "an smtp:// or smtps:// URL such as \"smtp://127.0.0.1:10025\"", "\"" + s.url + "\"");
    else if (url_is_text)
        check_server_url(r, "/smtp", s.url, "smtps", s.starttls, s.allow_plaintext);
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
        r.only_keys(j, p, "/chats/*");
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
        std::string mode = "webhook";
        r.string(j, "mode", p, mode);
        if (mode == "poll" && chat.type == ChatType::telegram)
            chat.mode = ChatMode::poll;
        else if (mode == "poll")
            // Only Telegram's Bot API has getUpdates; Slack and bridges can only post to us.
            r.problem(p + "/mode", "\"webhook\" (only a telegram chat can poll)", "\"poll\" on a " + type + " chat");
        else if (mode != "webhook")
            r.problem(p + "/mode", "\"webhook\" or, for telegram, \"poll\"", "\"" + mode + "\"");
        r.boolean(j, "verify_tls", p, chat.verify_tls);
        r.string(j, "ca_file", p, chat.ca_file);
        r.integer(j, "max_attempts", p, chat.max_attempts, 1, 100);
        r.duration(j, "first_retry", p, chat.first_retry);
        auto is_http_url = [](const std::string& u) {
            return istarts_with(u, "http://") || istarts_with(u, "https://");
        };
        switch (chat.type) {
        case ChatType::telegram:
        case ChatType::slack:
            if (chat.api_base.empty())
                chat.api_base = chat.type == ChatType::telegram ? "https://api.telegram.org" : "https://slack.com/api";
            if (chat.bot_token.empty())
                r.problem(p + "/bot_token", "the bot's token (for example \"${env:BOT_TOKEN}\")", "none");
            if (!is_http_url(chat.api_base)) {
                r.problem(p + "/api_base", "an http:// or https:// URL", "\"" + chat.api_base + "\"");
            } else if (auto url = parse_server_url(chat.api_base);
                       url && url->scheme == "http" && !is_loopback_host(url->host)) {
                // The bot token travels in every request (Telegram: in the path; Slack: a header).
                r.problem(p + "/api_base",
                          "an https:// URL, since " + url->host +
                              " is not this machine and the bot token would cross the network in clear",
                          "\"" + chat.api_base + "\"");
            }
            while (!chat.api_base.empty() && chat.api_base.back() == '/')
                chat.api_base.pop_back();
            // setWebhook takes 1-256 of A-Z, a-z, 0-9, _ and - (core.telegram.org/bots/api#setwebhook).
            if (chat.type == ChatType::telegram && !chat.secret_token.empty()) {
                bool token_ok = chat.secret_token.size() <= 256;
                for (char ch : chat.secret_token)
                    token_ok = token_ok && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                                            (ch >= '0' && ch <= '9') || ch == '_' || ch == '-');
                if (!token_ok)
                    r.problem(p + "/secret_token",
                              "1 to 256 of A-Z, a-z, 0-9, _ and - (what Telegram's setWebhook takes)",
                              "a token with other characters");
            }
            break;
        case ChatType::webhook:
            if (!is_http_url(chat.url))
                r.problem(p + "/url", "an http:// or https:// URL that receives the letters", "\"" + chat.url + "\"");
            // The receiver can only trust what it can verify: webhooks are always signed.
            if (chat.signing_secret.empty())
                r.problem(p + "/signing_secret",
                          "a secret shared with the receiver (for example \"${env:HOOK_SECRET}\")", "none");
            break;
        }
        c.chats.push_back(std::move(chat));
    }
}

// The host of an address to listen on is every address of this machine.
bool listens_everywhere(std::string_view listen)
{
    auto colon = listen.rfind(':');
    std::string_view host = colon == std::string_view::npos ? listen : listen.substr(0, colon);
    return host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]" || host == "*";
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

std::string staff_base_url(const Http& http)
{
    std::string base = !http.staff_url.empty()      ? http.staff_url
                       : http.public_listen.empty() ? http.public_url
                                                    : "http://" + http.listen;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base;
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

std::string_view to_string(ChatMode mode)
{
    return mode == ChatMode::poll ? "poll" : "webhook";
}

std::string format_chat_recipient(const ChatRecipient& recipient)
{
    return recipient.reply_to.empty() ? recipient.conversation : recipient.conversation + "#" + recipient.reply_to;
}

ChatRecipient parse_chat_recipient(std::string_view text)
{
    auto hash = text.rfind('#');
    if (hash == std::string_view::npos)
        return ChatRecipient{std::string(text), ""};
    return ChatRecipient{std::string(text.substr(0, hash)), std::string(text.substr(hash + 1))};
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
    r.only_keys(root, "", "");
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
    read_workflow(r, root, c);
    const json* store = nullptr;
    if (r.object(root, "store", "", store)) {
        r.only_keys(*store, "/store", "/store");
        r.string(*store, "url", "/store", c.store_url);
        if (c.store_url.starts_with("postgresql:") || c.store_url.starts_with("postgres:"))
            // The URL itself is not repeated: it may carry a password.
            r.problem("/store/url", "a sqlite: URL", "a PostgreSQL URL: PostgreSQL is not yet supported");
        else if (!c.store_url.empty() && !sqlite_path_of(c.store_url)) {
            // The URL may carry a password: then it is not repeated.
            auto scheme_end = c.store_url.find("://");
            std::string shown = c.store_url.find('@') == std::string::npos || scheme_end == std::string::npos
                                    ? c.store_url
                                    : c.store_url.substr(0, scheme_end + 3) + "...";
            r.problem("/store/url", "\"sqlite:PATH\" or \"sqlite:///absolute/path\"", "\"" + shown + "\"");
        }
    }
    const json* http = nullptr;
    if (r.object(root, "http", "", http)) {
        // Naming an http section turns the server on unless it says "enabled": false.
        c.http.enabled = true;
        r.only_keys(*http, "/http", "/http");
        r.string(*http, "listen", "/http", c.http.listen);
        r.string(*http, "public_listen", "/http", c.http.public_listen);
        r.string(*http, "public_url", "/http", c.http.public_url);
        r.string(*http, "staff_url", "/http", c.http.staff_url);
        r.boolean(*http, "enabled", "/http", c.http.enabled);
        r.duration(*http, "form_min_fill", "/http", c.http.form_min_fill);
        if (!c.http.public_listen.empty()) {
            const std::string& address = c.http.public_listen;
            auto colon = address.rfind(':');
            std::string port = colon == std::string::npos ? "" : address.substr(colon + 1);
            if (colon == std::string::npos || colon == 0 || port.empty() || port.size() > 5 ||
                port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535)
                r.problem("/http/public_listen", "host:port, such as \"127.0.0.1:8026\" behind a proxy on this machine",
                          "\"" + address + "\"");
            else if (address == c.http.listen && port != "0")
                r.problem("/http/public_listen",
                          "an address other than /http/listen: the public routes get one of their own",
                          "\"" + address + "\", the same as /http/listen");
            // Without staff_url the staff links are http://<listen> (staff_base_url), which names no
            // machine when listen is every address of this one.
            if (c.http.staff_url.empty() && listens_everywhere(c.http.listen))
                r.problem("/http/staff_url",
                          "the address staff open the staff page at (\"https://staff.example.com\"), needed when "
                          "/http/public_listen is set and /http/listen is on every address: letters to staff "
                          "would link to http://" +
                              c.http.listen,
                          "nothing");
        }
    }
    read_mailboxes(r, root, c);
    read_smtp(r, root, c);
    read_chats(r, root, c);
    const json* owner = nullptr;
    if (r.object(root, "owner", "", owner)) {
        r.only_keys(*owner, "/owner", "/owner");
        r.string(*owner, "name", "/owner", c.owner.name);
        r.string(*owner, "email", "/owner", c.owner.email);
        r.string(*owner, "chat", "/owner", c.owner.chat);
        if (!c.owner.email.empty() && !is_bare_address(c.owner.email))
            r.problem("/owner/email", "one email address such as \"owner@example.com\" (the name goes in /owner/name)",
                      "\"" + c.owner.email + "\"");
        if (auto p = chat_address_problem(c, file_name, "/owner/chat", c.owner.chat))
            result.problems.push_back(*p);
    }
    const json* loop = nullptr;
    if (r.object(root, "loop_protection", "", loop)) {
        r.only_keys(*loop, "/loop_protection", "/loop_protection");
        r.integer(*loop, "max_automatic_letters_per_day", "/loop_protection", c.loop.max_automatic_letters_per_day, 0,
                  1000);
        r.integer(*loop, "max_automatic_letters_per_hour", "/loop_protection", c.loop.max_automatic_letters_per_hour, 0,
                  100000);
    }
    const json* files = nullptr;
    if (r.object(root, "attachments", "", files)) {
        r.only_keys(*files, "/attachments", "/attachments");
        r.integer(*files, "max_file_size", "/attachments", c.attachments.max_file_size, 0, 1LL << 40);
        r.integer(*files, "max_message_size", "/attachments", c.attachments.max_message_size, 0, 1LL << 40);
        r.duration(*files, "sweep_grace", "/attachments", c.attachments.sweep_grace);
    }
    const json* retention = nullptr;
    if (r.object(root, "retention", "", retention)) {
        r.only_keys(*retention, "/retention", "/retention");
        r.integer(*retention, "erase_closed_after_days", "/retention", c.retention.erase_closed_after_days, 0, 36500);
    }
    const json* reports = nullptr;
    if (r.object(root, "reports", "", reports)) {
        r.only_keys(*reports, "/reports", "/reports");
        const json* digest = nullptr;
        if (r.object(*reports, "digest", "/reports", digest)) {
            r.only_keys(*digest, "/reports/digest", "/reports/digest");
            c.reports.digest.enabled = true;
            r.boolean(*digest, "enabled", "/reports/digest", c.reports.digest.enabled);
            std::string weekday = "mon";
            r.string(*digest, "weekday", "/reports/digest", weekday);
            static const std::array<std::string_view, 7> days{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
            auto day = std::find(days.begin(), days.end(), ascii_lower(weekday));
            if (day == days.end())
                r.problem("/reports/digest/weekday", "a day of the week: mon, tue, wed, thu, fri, sat or sun",
                          "\"" + weekday + "\"");
            else
                c.reports.digest.weekday = static_cast<unsigned>(day - days.begin());
            std::string time = "09:00";
            r.string(*digest, "time", "/reports/digest", time);
            int hh = -1, mm = -1;
            if (time.size() == 5 && time[2] == ':' && std::isdigit(static_cast<unsigned char>(time[0])) &&
                std::isdigit(static_cast<unsigned char>(time[1])) &&
                std::isdigit(static_cast<unsigned char>(time[3])) &&
                std::isdigit(static_cast<unsigned char>(time[4]))) {
                hh = (time[0] - '0') * 10 + (time[1] - '0');
                mm = (time[3] - '0') * 10 + (time[4] - '0');
            }
            if (hh < 0 || hh > 23 || mm < 0 || mm > 59)
                r.problem("/reports/digest/time", "a time of day HH:MM in the company's time zone, such as \"09:00\"",
                          "\"" + time + "\"");
            else
                c.reports.digest.time = Seconds{hh * 3600 + mm * 60};
        }
    }
    if (root.contains("sla")) {
        if (root.at("sla").is_object()) {
            c.sla = root.at("sla");
            check_sla_keys(r, c.sla);
        } else
            r.problem("/sla", "an object with calendar and policies", describe(root.at("sla")));
    }
    if (root.contains("log_level")) {
        r.string(root, "log_level", "", c.log_level);
        if (c.log_level != "debug" && c.log_level != "info" && c.log_level != "warn" && c.log_level != "error")
            r.problem("/log_level", "\"debug\", \"info\", \"warn\" or \"error\"", "\"" + c.log_level + "\"");
    }
    if (c.company.message_id_domain.empty()) {
        auto at = c.company.support_address.address.rfind('@');
        c.company.message_id_domain =
            at == std::string::npos ? "redress.invalid" : c.company.support_address.address.substr(at + 1);
    }
    if (c.company.time_zone == "UTC" && c.sla.contains("calendar") && c.sla["calendar"].is_object() &&
        c.sla["calendar"].contains("time_zone") && c.sla["calendar"]["time_zone"].is_string())
        c.company.time_zone = c.sla["calendar"]["time_zone"].get<std::string>();
    if (result.problems.empty())
        result.config = std::move(c);
    else
        result.partial = std::move(c);
    return result;
}

LoadResult load_config(const std::optional<std::filesystem::path>& file, const std::filesystem::path& install_dir)
{
    if (!file) {
        auto result = parse_config(json::object(), "", install_dir);
        // The embedded default serves the staff page on loopback (http.listen's default), so that a
        // first `scripts/run` can be worked in a browser; a config file decides for itself.
        if (result.config)
            result.config->http.enabled = true;
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
            result.problems.push_back(Problem{file->string(), "", "valid JSON",
                                              "a syntax error at byte " + std::to_string(e.byte) + ": " + e.what()});
        }
        return result;
    }
    result = parse_config(root, file->string(), install_dir);
    if (result.config)
        result.config->file = *file;
    if (result.partial)
        result.partial->file = *file;
    return result;
}

}  // namespace redress::config
