#include "json_webhook.hpp"
#include "json_fields.hpp"

#include "auth/secrets.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

namespace redress::connectors::chat_in {

using nlohmann::json;

namespace {

// Ids may come as strings or numbers (a bridge's database ids).
std::string id_of(const json& j, const char* key)
{
    auto it = j.find(key);
    if (it == j.end())
        return {};
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_number_integer())
        return std::to_string(it->get<long long>());
    return {};
}

// Control characters in an id would break the log line and the conversation key.
bool plain_id(std::string_view id)
{
    if (id.empty() || id.size() > 200)
        return false;
    for (unsigned char c : id)
        if (c < 0x20 || c == 0x7f)
            return false;
    return true;
}

}  // namespace

HookResult read_json_webhook(const config::Chat& chat, const HookHeaders& headers, std::string_view body, TimePoint now)
{
    if (chat.signing_secret.empty())
        return Refusal{RefusalReason::signature, "the chat has no signing_secret configured, so it takes no webhooks"};
    const std::string* timestamp = header(headers, "x-redress-timestamp");
    const std::string* signature = header(headers, "x-redress-signature");
    if (!timestamp || !signature)
        return Refusal{RefusalReason::signature, "X-Redress-Signature or X-Redress-Timestamp is missing"};
    long long sent = 0;
    auto [end, error] = std::from_chars(timestamp->data(), timestamp->data() + timestamp->size(), sent);
    if (error != std::errc() || end != timestamp->data() + timestamp->size())
        return Refusal{RefusalReason::signature, "X-Redress-Timestamp is not unix seconds"};
    Seconds age = now.time_since_epoch() - Seconds{sent};
    if (age > k_signature_window || age < -k_signature_window)
        return Refusal{RefusalReason::timestamp, "X-Redress-Timestamp is more than five minutes from now"};
    // The scheme of our outgoing webhook (connectors/chat/chat_sender.cpp webhook_signature).
    std::string expected = "sha256=" + auth::hmac_sha256_hex(chat.signing_secret, *timestamp + "." + std::string(body));
    if (!auth::secrets_equal(*signature, expected))
        return Refusal{RefusalReason::signature, "X-Redress-Signature does not match the body"};

    json payload = json::parse(body, nullptr, false);
    if (payload.is_discarded() || !payload.is_object())
        return Refusal{RefusalReason::malformed, "the body is not a JSON object"};
    std::string message_id = id_of(payload, "message_id");
    std::string conversation_id = id_of(payload, "conversation_id");
    json sender = payload.value("sender", json::object());
    if (!sender.is_object())
        return Refusal{RefusalReason::malformed, "sender is not an object"};
    std::string sender_id = id_of(sender, "id");
    if (!plain_id(message_id) || !plain_id(conversation_id) || !plain_id(sender_id))
        return Refusal{RefusalReason::missing,
                       "message_id, conversation_id and sender.id are required (1 to 200 characters, no controls)"};

    HookUpdate result;
    result.source_key = chat.name + ":" + message_id;
    Message m;
    m.from = Mailbox{text_of(sender, "name"), chat.name + ":" + sender_id};
    if (m.from.name.empty())
        m.from.name = sender_id;
    m.message_id = chat.name + ":" + conversation_id + ":" + message_id;
    m.content_type = "text/plain";
    m.text = text_of(payload, "text");
    if (auto at = payload.find("sent_at"); at != payload.end()) {
        if (at->is_string())
            m.date = parse_iso8601(at->get<std::string>());
        else if (at->is_number_integer())
            m.date = TimePoint{Seconds{at->get<long long>()}};
    }
    if (auto files = payload.find("attachments"); files != payload.end()) {
        if (!files->is_array())
            return Refusal{RefusalReason::malformed, "attachments is not an array"};
        for (const auto& f : *files) {
            if (!f.is_object())
                return Refusal{RefusalReason::malformed, "an attachment is not an object"};
            std::size_t size = f.contains("size") && f["size"].is_number_unsigned() ? f["size"].get<std::size_t>() : 0;
            m.attachments.push_back(Attachment{text_of(f, "name"), text_of(f, "type"), size, text_of(f, "url")});
        }
    }
    if (m.text.empty() && m.attachments.empty())
        return Refusal{RefusalReason::missing, "the message has neither text nor attachments"};
    // The bridge's email and phone are what the sender told it: as unverified as what they type.
    ContactDetails typed = contact_details_in(m.text);
    std::string email = text_of(sender, "email");
    std::string phone = text_of(sender, "phone");
    m.chat = ChatOrigin{
        chat.name + ":" + conversation_id, chat.name + ":" + sender_id,         message_id,
        text_of(payload, "language"),      email.empty() ? typed.email : email, phone.empty() ? typed.phone : phone};

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
