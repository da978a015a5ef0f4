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

// The address automatic letters about this message go to: From, or Reply-To (RFC 5322 3.6.2) when
// it is in the same domain as From. A Reply-To elsewhere is not followed: anyone can write one, and
// our letter would then go from our domain to a third party (backscatter). The display name is
// plain_display_name's.
Mailbox reply_address(const Message& message);

// A display name fit for a letter's To and greeting: control characters and bidirectional
// overrides removed, blanks collapsed, at most k_max_display_name_letters characters.
inline constexpr std::size_t k_max_display_name_letters = 64;
std::string plain_display_name(std::string_view name);

}  // namespace redress::pipeline
