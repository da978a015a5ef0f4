#pragma once
// What every outbound channel implements: the outbox worker hands it one letter at a time.
// The file outbox (embedded default), SMTP, and next the chat APIs.

#include "model/ticket.hpp"

#include <string>

namespace redress::connectors {

struct SendResult {
    enum class Status { sent, temporary_failure, permanent_failure };
    Status status = Status::sent;
    std::string detail;  // server reply or error, for the letter's last_error and the logs
};

class LetterSender {
public:
    virtual ~LetterSender() = default;
    virtual SendResult send(const Letter& letter) = 0;
};

}  // namespace redress::connectors
