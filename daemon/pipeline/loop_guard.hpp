#pragma once
// Mail loops are the classic helpdesk failure: two auto-responders answering each other forever.
// Before any automatic letter to a sender, the pipeline asks here why not.

#include "config/config.hpp"
#include "model/classification.hpp"
#include "model/message.hpp"

#include <optional>
#include <string>

namespace redress::pipeline {

// The loop header every letter of ours carries; its value is the company's Message-ID domain.
inline constexpr std::string_view k_loop_header = "X-Redress-Loop";

// Is this one of our own letters coming back (our loop header, or a Message-ID in our domain made
// by us)? Such a message is recorded and nothing else.
bool is_own_letter(const Message& message, const config::Config& config);

// A reason not to send an automatic letter to this message's sender, or nullopt when one may go.
// Covers RFC 3834 automatic mail, bounces, lists and bulk, no-reply addresses and our own address.
// The per-sender daily cap needs the store and is checked by the pipeline.
std::optional<std::string> automatic_reply_refusal(const Message& message, const Classification& classification,
                                                   const config::Config& config);

// The address letters about this message go to: Reply-To if given (RFC 5322 3.6.2), else From.
Mailbox reply_address(const Message& message);

}  // namespace redress::pipeline
