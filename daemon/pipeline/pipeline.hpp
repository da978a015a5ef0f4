#pragma once
// The one entry every channel calls: raw message in, ticket change and letters out, in one
// transaction. Drop folder, IMAP and (next) chat webhooks all end in Pipeline::ingest.

#include "common/result.hpp"
#include "common/time.hpp"
#include "model/classification.hpp"
#include "model/message.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <vector>

namespace redress::pipeline {

struct RawMessage {
    std::string channel;     // "email", "drop", "chat"
    std::string source;      // mailbox name, "inbox", chat name
    std::string source_key;  // unique per delivery: "imap:support:<uidvalidity>:<uid>", "drop:<sha256>"
    std::string bytes;       // RFC 5322 bytes for email and the drop folder; the original JSON for chat
    std::optional<Message> parsed;  // chat connectors hand a ready Message; email leaves this empty
    TimePoint received_at{};
};

struct IngestOutcome {
    enum class Action { created, updated, duplicate, quarantined };
    Action action = Action::created;
    std::string ticket_number;  // empty for duplicates of nothing, quarantine, and automatic mail that opens no ticket
    Kind kind = Kind::other;
    std::string language;
    Severity severity = Severity::normal;
    std::vector<std::string> letters;  // template names of letters queued
    std::vector<std::string> reasons;  // classification reasons
    std::string quarantine_reason;
};

nlohmann::json to_json(const IngestOutcome& outcome);

}  // namespace redress::pipeline
