#pragma once
// The daemon's configuration: one JSON file (config/redress.example.json documents every key).
// Every key has a default, so no file at all is the embedded default: data under ./var, the drop
// folder, a file outbox, deadlines around the clock.

#include "common/result.hpp"
#include "common/time.hpp"
#include "model/message.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace redress::config {

struct Company {
    std::string name = "Example Ltd";
    Mailbox support_address{"Support", "support@example.com"};
    std::string ticket_prefix = "RD";
    std::string message_id_domain;  // defaults to the support address's domain
    std::string time_zone = "UTC";  // for times written in letters; defaults to sla.calendar.time_zone
    // The language of letters to staff (alerts, warnings, reminders, the digest): "en" or "ru" at
    // least (any language whose templates/<lang>/ has the staff letters).
    std::string language = "en";
};

struct Http {
    std::string listen = "127.0.0.1:8025";
    // When set, the routes the internet must reach (the chat webhooks, the customer pages) are served
    // here and not on `listen`; the API, the staff page, /metrics and /healthz stay on `listen` only.
    std::string public_listen;
    std::string public_url = "http://127.0.0.1:8025";
    // Where staff open the staff page (the ticket links in letters to staff, the session cookie's
    // Secure flag). Empty: public_url, or http://<listen> when public_listen splits the routes (the
    // staff page is not on the public address). See staff_base_url().
    std::string staff_url;
    // On for the embedded default (no config file: the staff page on loopback) and when the config
    // has an "http" section; off for a config file without one.
    bool enabled = false;
    // A complaint form sent sooner than this after it was issued is refused as a robot's
    // (docs/customer-pages.md).
    Seconds form_min_fill{3};
};

enum class AfterStore { seen, move, keep };

struct MailboxConfig {
    std::string name;
    std::string url;  // imap://host:port/FOLDER or imaps://...
    std::string user;
    std::string password;
    std::string oauth_token;          // XOAUTH2 bearer token (instead of password)
    std::string oauth_token_command;  // command that prints a fresh token (refresh)
    AfterStore after_store = AfterStore::seen;
    std::string move_to;  // folder for AfterStore::move
    bool idle = true;
    Seconds poll_interval{60};
    std::size_t max_message_size = 25 * 1024 * 1024;
    bool verify_tls = true;
    std::string ca_file;
    bool starttls = false;  // require STARTTLS on imap://
    // Without TLS the login crosses the network in clear: the config refuses imap:// to a host that
    // is not loopback unless starttls is set or this says the operator accepts that.
    bool allow_plaintext = false;
    // First start on a mailbox with history: begin after the mail already there instead of turning
    // it all into tickets and acknowledgements.
    bool skip_existing_on_first_sync = false;

    // Every setting alike: a reload restarts a mailbox's poller when this says its settings changed
    // (app/poller_changes.hpp), so a key added above is compared without more code.
    bool operator==(const MailboxConfig&) const = default;
};

struct Smtp {
    std::string url;  // smtp://host:port, smtps://host:port
    std::string user;
    std::string password;
    bool starttls = false;
    bool verify_tls = true;
    std::string ca_file;
    int max_attempts = 8;
    Seconds first_retry{30};
    bool allow_plaintext = false;  // as for mailboxes: smtp:// to a host that is not loopback needs TLS
};

// A chat service the daemon talks to both ways: customers write in through it (the platform posts
// each message to /hooks/<name>, or a Telegram chat in "poll" mode asks getUpdates; docs/chat.md)
// and are answered in it, and the owner's alerts leave through it. secret_token and signing_secret
// are how a delivery to /hooks/<name> shows that it comes from the platform.
enum class ChatType { telegram, slack, webhook };
// How customers' messages reach us: the platform posts them to /hooks/<name> (every type), or, for
// Telegram alone, the daemon long-polls getUpdates (no public URL needed; docs/chat.md).
enum class ChatMode { webhook, poll };

struct Chat {
    std::string name;  // letters to it have channel "chat:<name>"; addresses are "<name>:<chat id>"
    ChatType type = ChatType::webhook;
    std::string bot_token;  // telegram: the bot's token; slack: the bot token (xoxb-...)
    std::string api_base;   // telegram: https://api.telegram.org; slack: https://slack.com/api
    std::string url;        // webhook: where letters are POSTed as JSON
    // webhook: the HMAC-SHA256 key of X-Redress-Signature, on letters out and deliveries in alike;
    // slack: the app's signing secret, checked on every event (X-Slack-Signature)
    std::string signing_secret;
    std::string secret_token;  // telegram: sent back by Telegram on each webhook delivery (setWebhook)
    ChatMode mode = ChatMode::webhook;
    bool verify_tls = true;
    std::string ca_file;
    int max_attempts = 8;
    Seconds first_retry{30};

    // Every setting alike, as for MailboxConfig: a reload restarts a chat's poller when they differ.
    bool operator==(const Chat&) const = default;
};

std::string_view to_string(ChatType type);

// The staff page's address without a trailing slash (Http::staff_url, with its default).
std::string staff_base_url(const Http& http);
std::string_view to_string(ChatMode mode);

// "tg:123456" -> {"tg", "123456"}: the chat's name and the id of the conversation in it.
struct ChatAddress {
    std::string chat;
    std::string id;
};
std::optional<ChatAddress> parse_chat_address(std::string_view text);

// A chat letter's recipient: the conversation's id in its chat ("123456"; Slack's
// "C123:1700000000.000100" is the channel and the thread), and for Telegram the customer's message
// it answers after a "#" ("123456#42"), sent as reply_to_message_id.
struct ChatRecipient {
    std::string conversation;
    std::string reply_to;  // may be empty
};
std::string format_chat_recipient(const ChatRecipient& recipient);
// Splits at the last "#" (Telegram chat ids are numbers or "@name", never with a "#").
ChatRecipient parse_chat_recipient(std::string_view text);

struct Owner {
    std::string name = "Owner";
    std::string email;
    std::string chat;  // "tg:123456": alerts are also sent there
};

// The second half of the method (daemon/tickets/workflow.hpp): how tickets are signed off, when the
// survey goes out, how long a resolved ticket can be reopened by the customer, and departments.
struct ResolutionCode {
    std::string code;                                         // "FIXED": 1 to 32 capitals, digits, _ or -
    std::vector<std::pair<std::string, std::string>> labels;  // language -> label, "en" at least
    // The label in `language`, else English, else the code.
    std::string label(std::string_view language) const;
};

struct Category {
    std::string name;
    // Per language, words that set this category on a new ticket (matched on whole words of the
    // message after lower-casing, like the classifier's rules): {"en": ["courier", "late delivery"]}.
    std::vector<std::pair<std::string, std::vector<std::string>>> keywords;
};

struct DepartmentConfig {
    std::string name;
    std::string default_assignee;  // a user's login name or "Name <address>"; empty: the owner
    std::vector<Category> categories;
};

struct Workflow {
    std::vector<ResolutionCode> resolution_codes = default_resolution_codes();
    Seconds survey_delay{24 * 3600};        // the survey goes out this long after sign-off
    Seconds reopen_window{30 * 24 * 3600};  // a customer's reply within this reopens; later, a new ticket
    // The customer's signed links (status page, survey) open the ticket this long after it was resolved
    // or closed; later they show a page that says the link has expired.
    Seconds links_valid_after_close{90 * 24 * 3600};
    std::vector<DepartmentConfig> departments;

    static std::vector<ResolutionCode> default_resolution_codes();
    const ResolutionCode* code(std::string_view code) const;
    const DepartmentConfig* department(std::string_view name) const;
};

struct LoopProtection {
    int max_automatic_letters_per_day = 3;  // per recipient
    // To anyone: a flood of forged senders must not turn us into a mail cannon (counted from the outbox).
    int max_automatic_letters_per_hour = 200;
};

// Files that come with messages (issue 18): kept under <data_dir>/attachments by their SHA-256. A file
// over a cap is listed on its message with the reason and not kept.
struct Attachments {
    std::int64_t max_file_size = 25LL * 1024 * 1024;     // bytes per file
    std::int64_t max_message_size = 50LL * 1024 * 1024;  // bytes of kept files per message
    // A file nobody refers to is removed once it is this old: a file written for a transaction still
    // in flight is younger.
    Seconds sweep_grace{24 * 3600};
};

// The weekly digest to the owner (docs/reports.md): on `weekday` at `time` in the company's time zone,
// the figures of the seven days before, once per week through the outbox.
struct Digest {
    bool enabled = false;  // on when the config has reports.digest
    unsigned weekday = 1;  // 0 = Sunday ... 6 = Saturday
    Seconds time{9 * 3600};
};

struct Reports {
    Digest digest;
};

// Retention (docs/privacy.md): the personal data of tickets closed more than this many days ago is
// erased by the daemon once a day; 0 keeps it (the default).
struct Retention {
    int erase_closed_after_days = 0;
};

struct Config {
    std::filesystem::path file;  // where it was read from; empty for the embedded default
    std::filesystem::path data_dir = "var";
    std::filesystem::path templates_dir;  // default: <install>/templates
    std::filesystem::path rules_dir;      // default: <install>/config/rules
    std::filesystem::path model_path;     // default: <install>/config/model/classifier.bin
    Company company;
    Http http;
    std::vector<MailboxConfig> mailboxes;
    std::optional<Smtp> smtp;  // without it letters go to <data_dir>/outbox as .eml files
    std::vector<Chat> chats;
    Owner owner;
    LoopProtection loop;
    Workflow workflow;
    Attachments attachments;
    Reports reports;
    Retention retention;
    nlohmann::json sla = nlohmann::json::object();  // read by sla::parse_settings
    std::string log_level = "info";
    // Where the store is: "" for the SQLite file in data_dir, "sqlite:PATH" or "sqlite:///abs/path".
    // Only SQLite is supported so far; store::open_store opens it.
    std::string store_url;

    const Chat* chat(std::string_view name) const;

    std::filesystem::path inbox_dir() const { return data_dir / "inbox"; }
    std::filesystem::path outbox_dir() const { return data_dir / "outbox"; }
    std::filesystem::path quarantine_dir() const { return data_dir / "quarantine"; }
    std::filesystem::path attachments_dir() const { return data_dir / "attachments"; }
    // The SQLite file: the one store_url names, else <data_dir>/redress.db.
    std::filesystem::path database_path() const;
};

// The file a "sqlite:PATH" or "sqlite:///abs/path" URL names; nullopt for any other URL.
std::optional<std::filesystem::path> sqlite_path_of(std::string_view url);

// A problem found in a config file: where, what was expected, what was found.
struct Problem {
    std::string file;
    std::string pointer;  // JSON pointer, "/mailboxes/0/url"
    std::string expected;
    std::string found;
    std::string to_string() const;
};

// Reads and validates. `environment` resolves ${env:NAME}; install_dir locates templates/, config/rules.
// Returns every problem found, not just the first.
struct LoadResult {
    std::optional<Config> config;
    std::vector<Problem> problems;
    // What could be read, also when there were problems: `redress check` reads the SLA section from
    // it, so that a mistake in /company does not hide one in /sla.
    std::optional<Config> partial;
};

// The keys the loader accepts, per place in the file: "" is the top level, "*" stands for any
// index of an array ("/mailboxes/*"). Places whose keys are names (sla hours, special days) are not
// listed. Keys starting with "_" are comments everywhere. The example config documents each of them
// (a test walks both ways).
struct KnownKeys {
    std::string_view pattern;
    std::vector<std::string_view> keys;
};
const std::vector<KnownKeys>& known_keys();

// The known key nearest to `key` by edit distance (a swapped pair of letters counts as one edit), if
// it is near enough to be a likely misspelling: "compnay" -> "company".
std::optional<std::string> nearest_key(std::string_view key, const std::vector<std::string_view>& known);

// Servers on the same machine are reached without the network: TLS is not required for them.
// "localhost", 127.0.0.0/8 and ::1 (bracketed or not).
bool is_loopback_host(std::string_view host);
// owner.chat and the like must name a configured chat, or the alert would wait in the outbox forever.
std::optional<Problem> chat_address_problem(const Config& config, std::string_view file, const std::string& pointer,
                                            std::string_view address);

LoadResult load_config(const std::optional<std::filesystem::path>& file, const std::filesystem::path& install_dir);
LoadResult parse_config(const nlohmann::json& json, std::string_view file_name,
                        const std::filesystem::path& install_dir);

}  // namespace redress::config
