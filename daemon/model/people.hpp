#pragma once
// The people who work tickets, the credentials they carry, the customer's rating of how a complaint
// was handled, and the versions of letter templates edited by managers. Plain types: the rules are in
// daemon/auth (secrets) and daemon/service (who may do what through which door).

#include "common/time.hpp"
#include "workflow.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace redress {

struct User {
    std::int64_t id = 0;
    std::string name;  // login name: unique, what the audit names
    Role role = Role::agent;
    std::string display_name;   // shown to customers ({{agent.name}}); the login name when empty
    std::string email;          // where assignment notices and reminders go
    std::string chat;           // "tg:123456": a chat copy of those notices
    std::string signature;      // {{agent.signature}}
    std::string password_hash;  // auth::hash_password; empty: cannot sign in with a password
    bool disabled = false;
    TimePoint created_at{};
};

// An API token as stored: only the digest of the secret (auth::token_digest).
struct ApiToken {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string digest;
    std::string label;
    TimePoint created_at{};
    std::optional<TimePoint> last_used_at;
    std::optional<TimePoint> revoked_at;
};

// A signed-in browser: the cookie's digest, its CSRF token and when it ends.
struct Session {
    std::string digest;
    std::int64_t user_id = 0;
    std::string csrf;
    TimePoint created_at{};
    TimePoint expires_at{};
};

// The customer's answer to the survey: 1 (very poor) to 5 (excellent).
struct Rating {
    std::int64_t id = 0;
    std::int64_t ticket_id = 0;
    int score = 0;
    std::string comment;
    std::string source;  // "reply" (a digit at the start of a reply) or "link" (the signed survey page)
    TimePoint at{};
    std::string form_key;  // the survey form's nonce: one rating however often that form is sent; "" by reply
};

// One saved version of a letter template (templates/<language>/<name>.txt is version 0, the default).
struct TemplateVersion {
    std::int64_t id = 0;
    std::string language;
    std::string name;
    std::string text;
    std::string author;
    TimePoint at{};
    int version = 0;  // 1, 2, ... per language and name
};

}  // namespace redress
