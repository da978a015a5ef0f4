#include "slack_event.hpp"
#include "json_fields.hpp"

#include "auth/secrets.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

namespace redress::connectors::chat_in {

using nlohmann::json;

namespace {

// "1700000000.000100" -> its whole seconds.
std::optional<long long> seconds_of(std::string_view text)
{
    long long value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end == text.data())
        return std::nullopt;
    return value;
}

// Our own app's messages come back to us as events: the app's id, or the bot user the event was
// delivered for (authorizations[].user_id with is_bot).
bool from_ourselves(const json& payload, const json& event)
{
    std::string app = text_of(payload, "api_app_id");
    if (!app.empty() && text_of(event, "app_id") == app)
        return true;
    std::string user = text_of(event, "user");
    if (auto auth = payload.find("authorizations"); auth != payload.end() && auth->is_array())
        for (const auto& a : *auth)
            if (a.is_object() && flag_of(a, "is_bot") && !user.empty() && text_of(a, "user_id") == user)
                return true;
    return false;
}

}  // namespace

std::string slack_signature(std::string_view signing_secret, std::string_view timestamp, std::string_view body)
{
    std::string base = "v0:" + std::string(timestamp) + ":" + std::string(body);
    return "v0=" + auth::hmac_sha256_hex(signing_secret, base);
}

HookResult read_slack_event(const config::Chat& chat, const HookHeaders& headers, std::string_view body, TimePoint now)
{
    // https://api.slack.com/authentication/verifying-requests-from-slack: the timestamp first (a
    // replayed request is refused whatever its signature), then the signature over the raw body.
    if (chat.signing_secret.empty())
        return Refusal{RefusalReason::signature, "the chat has no signing_secret configured, so it takes no events"};
    const std::string* timestamp = header(headers, "x-slack-request-timestamp");
    const std::string* signature = header(headers, "x-slack-signature");
    if (!timestamp || !signature)
        return Refusal{RefusalReason::signature, "X-Slack-Signature or X-Slack-Request-Timestamp is missing"};
    auto sent = seconds_of(*timestamp);
    if (!sent)
        return Refusal{RefusalReason::signature, "X-Slack-Request-Timestamp is not a number"};
    Seconds age = now.time_since_epoch() - Seconds{*sent};
    if (age > k_signature_window || age < -k_signature_window)
        return Refusal{RefusalReason::timestamp, "X-Slack-Request-Timestamp is more than five minutes from now"};
    if (!auth::secrets_equal(*signature, slack_signature(chat.signing_secret, *timestamp, body)))
        return Refusal{RefusalReason::signature, "X-Slack-Signature does not match the body"};

    json payload = json::parse(body, nullptr, false);
    if (payload.is_discarded() || !payload.is_object())
        return Refusal{RefusalReason::malformed, "the body is not a JSON object"};
    std::string type = text_of(payload, "type");
    HookUpdate result;
    if (type == "url_verification") {
        result.kind = HookUpdate::Kind::challenge;
        result.challenge = text_of(payload, "challenge");
        if (result.challenge.empty())
            return Refusal{RefusalReason::missing, "url_verification without a challenge"};
        return result;
    }
    if (type != "event_callback") {
        result.why = "a payload of type " + (type.empty() ? std::string("(none)") : type);
        return result;
    }
    // Slack retries a delivery it got no quick 2xx for, with X-Slack-Retry-Num: the same event_id,
    // so the same source key, and the pipeline finds it stored already.
    std::string event_id = text_of(payload, "event_id");
    if (event_id.empty())
        return Refusal{RefusalReason::missing, "event_callback without event_id"};
    result.source_key = chat.name + ":" + event_id;
    auto event_it = payload.find("event");
    if (event_it == payload.end() || !event_it->is_object())
        return Refusal{RefusalReason::missing, "event_callback without an event"};
    const json& event = *event_it;
    if (text_of(event, "type") != "message") {
        result.why = "an event of type " + text_of(event, "type");
        return result;
    }
    // https://api.slack.com/events/message: subtypes are edits, deletions, joins, bot posts...; only
    // a plain message and one that shares a file are a customer writing.
    std::string subtype = text_of(event, "subtype");
    if (!subtype.empty() && subtype != "file_share") {
        result.why = "a message of subtype " + subtype;
        return result;
    }
    if (event.contains("bot_id") || from_ourselves(payload, event)) {
        result.why = "a message from a bot";
        return result;
    }
    std::string channel = text_of(event, "channel");
    std::string ts = text_of(event, "ts");
    std::string user = text_of(event, "user");
    if (channel.empty() || ts.empty() || user.empty())
        return Refusal{RefusalReason::missing, "the message event has no channel, ts or user"};
    // A thread is one conversation; a message outside one starts a thread of its own (our answer goes
    // under it).
    std::string thread = text_of(event, "thread_ts");
    std::string conversation = chat.name + ":" + channel + ":" + (thread.empty() ? ts : thread);

    Message m;
    // Events carry the user's id only: the id is the identity, and the name is unknown until the
    // daemon has asked users.info (daemon/app/chat_names.hpp), after the message is stored.
    m.from = Mailbox{"", chat.name + ":" + user};
    m.message_id = chat.name + ":" + channel + ":" + ts;
    if (auto seconds = seconds_of(ts))
        m.date = TimePoint{Seconds{*seconds}};
    m.content_type = "text/plain";
    m.text = text_of(event, "text");
    if (auto files = event.find("files"); files != event.end() && files->is_array())
        for (const auto& f : *files)
            if (f.is_object())
                m.attachments.push_back(
                    Attachment{text_of(f, "name"), text_of(f, "mimetype"),
                               f.contains("size") && f["size"].is_number_unsigned() ? f["size"].get<std::size_t>() : 0,
                               text_of(f, "id")});
    if (m.text.empty() && m.attachments.empty()) {
        result.why = "a message without text or a file";
        return result;
    }
    ContactDetails contact = contact_details_in(m.text);
    m.chat = ChatOrigin{conversation, chat.name + ":" + user, ts, "", contact.email, contact.phone};

    pipeline::RawMessage raw;
    raw.channel = "chat";
    raw.source = chat.name;
    raw.source_key = result.source_key;
    raw.bytes = std::string(body);
    raw.parsed = std::move(m);
    result.kind = HookUpdate::Kind::message;
    result.raw = std::move(raw);
    return result;
}

}  // namespace redress::connectors::chat_in
