#pragma once
// Slack Events API (https://api.slack.com/apis/events-api, /authentication/verifying-requests-from-slack):
// url_verification and event_callback payloads, signed with the app's signing secret.

#include "chat_hook.hpp"

namespace redress::connectors::chat_in {

HookResult read_slack_event(const config::Chat& chat, const HookHeaders& headers, std::string_view body, TimePoint now);

// "v0=" + hex HMAC-SHA256(signing_secret, "v0:<timestamp>:<body>"): what Slack sends in X-Slack-Signature.
std::string slack_signature(std::string_view signing_secret, std::string_view timestamp, std::string_view body);

}  // namespace redress::connectors::chat_in
