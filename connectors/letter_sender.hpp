#pragma once
// What every outbound channel implements: the outbox worker hands it one letter at a time.
// The file outbox (embedded default), SMTP, and next the chat APIs.

#include "common/time.hpp"
#include "model/ticket.hpp"

#include <optional>
#include <string>

namespace redress::connectors {

struct SendResult {
    enum class Status { sent, temporary_failure, permanent_failure };
    Status status = Status::sent;
    std::string detail;  // server reply or error, for the letter's last_error and the logs
    // A temporary failure for which the server said when to come back (HTTP 429 Retry-After,
    // Telegram's retry_after): the next attempt waits at least this long.
    std::optional<Seconds> retry_after;
};

class LetterSender {
public:
    virtual ~LetterSender() = default;
    virtual SendResult send(const Letter& letter) = 0;
};

}  // namespace redress::connectors
