#include "telegram_update.hpp"
#include "json_fields.hpp"

#include "common/text.hpp"

#include <nlohmann/json.hpp>

namespace redress::connectors::chat_in {

using nlohmann::json;

namespace {

// Ids are integers in the Bot API (chat ids up to 52 bits); kept as their decimal text.
std::optional<std::string> id_of(const json& j, const char* key)
{
    auto it = j.find(key);
    if (it == j.end())
        return std::nullopt;
    if (it->is_number_integer())
        return std::to_string(it->get<long long>());
    if (it->is_string() && !it->get<std::string>().empty())
        return it->get<std::string>();
    return std::nullopt;
}

long long number_of(const json& j, const char* key)
{
    auto it = j.find(key);
    return it != j.end() && it->is_number_integer() ? it->get<long long>() : 0;
}

Refusal missing(std::string what)
{
    return Refusal{RefusalReason::missing, "the update has no " + std::move(what)};
}

// A bot command is "/start" or "/start@OurBot", alone or with a deep-link parameter after a space.
bool is_start_command(std::string_view text)
{
    text = trim(text);
    if (!text.starts_with("/start"))
        return false;
    return text.size() == 6 || text[6] == ' ' || text[6] == '@';
}

void add_attachments(const json& message, Message& out)
{
    // https://core.telegram.org/bots/api#photosize: one photo in several sizes, smallest first;
    // the largest is the photo. Telegram sends photos re-encoded as JPEG and without a file name.
    if (auto photo = message.find("photo"); photo != message.end() && photo->is_array() && !photo->empty()) {
        const json& largest = photo->back();
        if (largest.is_object())
            out.attachments.push_back(Attachment{"photo.jpg", "image/jpeg",
                                                 static_cast<std::size_t>(number_of(largest, "file_size")),
                                                 text_of(largest, "file_id")});
    }
    if (auto doc = message.find("document"); doc != message.end() && doc->is_object()) {
        std::string type = ascii_lower(text_of(*doc, "mime_type"));
        out.attachments.push_back(
            Attachment{text_of(*doc, "file_name"), type.empty() ? "application/octet-stream" : type,
                       static_cast<std::size_t>(number_of(*doc, "file_size")), text_of(*doc, "file_id")});
    }
}

}  // namespace

HookResult read_telegram_update(const config::Chat& chat, const HookHeaders& headers, std::string_view body)
{
    // setWebhook's secret_token comes back in this header on every update; a chat without one in the
    // config takes no webhooks at all (anyone who guessed the URL could write as any customer).
    if (chat.secret_token.empty())
        return Refusal{RefusalReason::signature, "the chat has no secret_token configured, so it takes no webhooks"};
    if (!header_matches(headers, "x-telegram-bot-api-secret-token", chat.secret_token))
        return Refusal{RefusalReason::signature, "X-Telegram-Bot-Api-Secret-Token is missing or wrong"};

    json update = json::parse(body, nullptr, false);
    if (update.is_discarded())
        return Refusal{RefusalReason::malformed, "the body is not a JSON object"};
    return read_telegram_update_object(chat, update, std::string(body));
}

HookResult read_telegram_update_object(const config::Chat& chat, const json& update, std::string bytes)
{
    if (!update.is_object())
        return Refusal{RefusalReason::malformed, "the update is not a JSON object"};
    auto update_id = id_of(update, "update_id");
    if (!update_id)
        return missing("update_id");

    HookUpdate result;
    result.source_key = chat.name + ":" + *update_id;
    const json* message = nullptr;
    bool edited = false;
    if (auto it = update.find("message"); it != update.end())
        message = &*it;
    else if (auto e = update.find("edited_message"); e != update.end()) {
        message = &*e;
        edited = true;
    }
    if (!message) {
        // callback_query, my_chat_member, channel_post...: nothing a customer wrote to us.
        result.why = "an update without a message";
        return result;
    }
    if (!message->is_object())
        return Refusal{RefusalReason::malformed, "message is not an object"};
    auto chat_it = message->find("chat");
    if (chat_it == message->end() || !chat_it->is_object())
        return missing("message.chat");
    auto chat_id = id_of(*chat_it, "id");
    if (!chat_id)
        return missing("message.chat.id");
    auto message_id = id_of(*message, "message_id");
    if (!message_id)
        return missing("message.message_id");

    json from = message->value("from", json::object());
    if (!from.is_object())
        return Refusal{RefusalReason::malformed, "message.from is not an object"};
    if (flag_of(from, "is_bot")) {
        result.why = "a message from a bot";
        return result;
    }

    std::string text = text_of(*message, "text");
    if (text.empty())
        text = text_of(*message, "caption");
    std::string conversation = chat.name + ":" + *chat_id;
    std::string language = text_of(from, "language_code");
    if (!edited && is_start_command(text)) {
        result.kind = HookUpdate::Kind::greeting;
        result.greet_conversation = conversation;
        result.greet_language = language;
        return result;
    }

    Message m;
    std::string name(trim(text_of(from, "first_name") + " " + text_of(from, "last_name")));
    auto user_id = id_of(from, "id");
    std::string user = chat.name + ":" + user_id.value_or(*chat_id);
    m.from = Mailbox{name.empty() ? text_of(from, "username") : name, user};
    // One id per update: an edit is a message of its own, not a copy of the first; it names the
    // message it edits, whose ticket it is recorded on (the pipeline decides what it changes).
    m.message_id = conversation + ":" + *message_id;
    std::string edit_of;
    if (edited) {
        edit_of = m.message_id;
        m.message_id += ":edit:" + std::to_string(number_of(*message, "edit_date"));
    }
    if (long long date = number_of(*message, edited ? "edit_date" : "date"); date > 0)
        m.date = TimePoint{Seconds{date}};
    m.content_type = "text/plain";
    m.text = text;
    add_attachments(*message, m);
    if (m.text.empty() && m.attachments.empty()) {
        // Stickers, locations, polls, service messages (a member joined): nothing to answer.
        result.why = "a message without text or a file";
        return result;
    }
    ContactDetails contact = contact_details_in(m.text);
    m.chat = ChatOrigin{conversation, user, *message_id, language, contact.email, contact.phone, edit_of};

    pipeline::RawMessage raw;
    raw.channel = "chat";
    raw.source = chat.name;
    raw.source_key = result.source_key;
    raw.bytes = std::move(bytes);
    raw.parsed = std::move(m);
    result.kind = HookUpdate::Kind::message;
    result.raw = std::move(raw);
    return result;
}

}  // namespace redress::connectors::chat_in
