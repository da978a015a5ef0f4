#pragma once
// Delivery reports about letters we sent (RFC 3464 delivery-status inside multipart/report, RFC
// 6522). A bounce opens no ticket: it marks our letter failed and alerts the owner.

#include "model/message.hpp"

#include <string>
#include <vector>

namespace redress::pipeline {

// A delivery failure report: multipart/report with report-type delivery-status whose per-recipient
// fields say "Action: failed" (RFC 3464 2.3.3; "delayed", "delivered", "relayed" and "expanded" are
// not failures), or mail from MAILER-DAEMON / postmaster with an empty Return-Path or a failure
// subject (older servers send plain text). `raw` is the whole message: the delivery-status part is
// not text, so the parser lists it as an attachment.
bool is_delivery_failure(const Message& message, std::string_view raw);

// Message-IDs of the original letter that the report is about: the returned message's headers
// (embedded message/rfc822 or text/rfc822-headers), then References and In-Reply-To.
std::vector<std::string> bounced_message_ids(const Message& message);

}  // namespace redress::pipeline
