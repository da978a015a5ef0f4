#pragma once
// OAuth access tokens for XOAUTH2 expire within the hour (Gmail, Microsoft 365); the mailbox
// config names a command that prints a fresh one (docs/mailboxes.md). The poller runs it before
// each new connection.

#include "common/result.hpp"

#include <chrono>
#include <stop_token>
#include <string>

namespace redress::connectors::imap {

// Runs `command` with /bin/sh -c, reads its standard output and returns it without surrounding
// white space. Fails (code "imap.token") when the command exits non-zero, prints nothing, or
// runs longer than `timeout` (it is killed then).
Result<std::string> run_token_command(const std::string& command, std::chrono::milliseconds timeout,
                                      std::stop_token stop = {});

}  // namespace redress::connectors::imap
