#pragma once
// What an SMTP attempt means for the letter, as a pure function of what happened on the wire.
// RFC 5321 section 4.2.1: a 4yz reply is a transient failure (try again later), 5yz a permanent one.

#include "connectors/letter_sender.hpp"

#include <string>
#include <string_view>

namespace redress::connectors::smtp {

struct SmtpAttempt {
    enum class Transport { ok, connect_failed, tls_failed, auth_failed, timed_out, refused, other };
    Transport transport = Transport::ok;
    long reply_code = 0;          // the last reply code the server sent (0 if none)
    std::string failure_reply;    // the last 4yz/5yz reply, as the server wrote it
    std::string last_reply;       // the last reply, as the server wrote it
    std::string transport_error;  // libcurl's error text
};

// Sent on success; 5yz -> permanent_failure; 4yz, a refused login, TLS and connection problems ->
// temporary_failure. A refused login is a configuration fault, not the letter's: retrying after the
// operator fixes the password must still deliver it, so it is not permanent even though it is 535.
SendResult classify_smtp_attempt(const SmtpAttempt& attempt);

// RFC 5321 section 2.3.8: lines end in CRLF. Bare LF and bare CR become CRLF; CRLF stays.
std::string to_crlf(std::string_view content);

// "<anna@example.com>" for an address written bare, with a display name, or already in brackets.
std::string envelope_address(std::string_view address);

}  // namespace redress::connectors::smtp
