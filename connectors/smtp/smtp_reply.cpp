#include "smtp_reply.hpp"

namespace redress::connectors::smtp {

SendResult classify_smtp_attempt(const SmtpAttempt& attempt)
{
    using Transport = SmtpAttempt::Transport;
    SendResult result;
    const std::string& reply = !attempt.failure_reply.empty() ? attempt.failure_reply : attempt.last_reply;
    auto with_reply = [&](std::string text) {
        if (!reply.empty())
            text += ": " + reply;
        else if (!attempt.transport_error.empty())
            text += ": " + attempt.transport_error;
        return text;
    };
    if (attempt.transport == Transport::ok && attempt.reply_code >= 200 && attempt.reply_code < 400) {
        result.status = SendResult::Status::sent;
        result.detail = attempt.last_reply;
        return result;
    }
    switch (attempt.transport) {
    case Transport::auth_failed:
        result.status = SendResult::Status::temporary_failure;
        result.detail = with_reply("SMTP login refused (check smtp.user and smtp.password)");
        return result;
    case Transport::connect_failed:
        result.status = SendResult::Status::temporary_failure;
        result.detail = with_reply("could not connect to the SMTP server");
        return result;
    case Transport::tls_failed:
        result.status = SendResult::Status::temporary_failure;
        // After STARTTLS the last reply is "220 Ready to start TLS", which says nothing: the reason
        // (a certificate that is not trusted) is libcurl's, unless the server refused with 4yz/5yz.
        result.detail = "TLS with the SMTP server failed (check ca_file and verify_tls): " +
                        (!attempt.failure_reply.empty()     ? attempt.failure_reply
                         : !attempt.transport_error.empty() ? attempt.transport_error
                                                            : attempt.last_reply);
        return result;
    case Transport::timed_out:
        result.status = SendResult::Status::temporary_failure;
        result.detail = with_reply("the SMTP server did not answer in time");
        return result;
    case Transport::ok:
    case Transport::refused:
    case Transport::other:
        break;
    }
    long code = attempt.reply_code;
    if (!attempt.failure_reply.empty() && attempt.failure_reply.size() >= 3) {
        // The failure reply decides: curl's own result code for it is CURLE_SEND_ERROR or similar.
        const std::string& f = attempt.failure_reply;
        if (f[0] >= '1' && f[0] <= '5' && f[1] >= '0' && f[1] <= '9' && f[2] >= '0' && f[2] <= '9')
            code = (f[0] - '0') * 100 + (f[1] - '0') * 10 + (f[2] - '0');
    }
    if (code >= 500 && code < 600) {
        result.status = SendResult::Status::permanent_failure;
        result.detail = with_reply("the SMTP server rejected the letter");
        return result;
    }
    result.status = SendResult::Status::temporary_failure;
    result.detail = with_reply(code >= 400 && code < 500 ? "the SMTP server deferred the letter" : "sending failed");
    return result;
}

std::string to_crlf(std::string_view content)
{
    std::string out;
    out.reserve(content.size() + content.size() / 32);
    for (std::size_t i = 0; i < content.size(); ++i) {
        char c = content[i];
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < content.size() && content[i + 1] == '\n')
                ++i;
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string envelope_address(std::string_view address)
{
    auto open = address.rfind('<');
    auto close = address.rfind('>');
    if (open != std::string_view::npos && close != std::string_view::npos && close > open)
        address = address.substr(open + 1, close - open - 1);
    while (!address.empty() && (address.front() == ' ' || address.front() == '\t'))
        address.remove_prefix(1);
    while (!address.empty() && (address.back() == ' ' || address.back() == '\t'))
        address.remove_suffix(1);
    return "<" + std::string(address) + ">";
}

}  // namespace redress::connectors::smtp
