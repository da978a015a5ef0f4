// A chat message's files, fetched (see chat_files.hpp).

#include "chat_files.hpp"

#include "chat_http.hpp"
#include "telegram_bot_api.hpp"

#include "common/log.hpp"
#include "mime/transfer_decoder.hpp"

#include <nlohmann/json.hpp>

namespace redress::connectors::chat {

namespace {

using nlohmann::json;
using Fetched = pipeline::RawMessage::FetchedFile;

Fetched failed(std::string reason)
{
    return Fetched{"", std::move(reason)};
}

std::string over_cap(const config::Attachments& caps)
{
    // The words of the pipeline's own refusal (pipeline/attachment_intake.cpp), so a file refused
    // before its download reads like one refused after.
    return "over the limit of " + std::to_string(caps.max_file_size) + " bytes per file (attachments.max_file_size)";
}

// "scheme://host[:port]" of a URL, lower case; "" when it has none.
std::string origin_of(std::string_view url)
{
    auto scheme = url.find("://");
    if (scheme == std::string_view::npos)
        return "";
    auto end = url.find_first_of("/?#", scheme + 3);
    std::string origin(url.substr(0, end));
    for (char& c : origin)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return origin;
}

// One GET of a file's bytes, cut off past the cap.
Fetched download(const config::Chat& chat, HttpRequest request, const config::Attachments& caps,
                 const FileFetchOptions& options)
{
    HttpCallOptions call;
    call.get = true;
    call.connect_timeout = options.connect_timeout;
    call.total_timeout = options.total_timeout;
    call.max_body = static_cast<std::size_t>(std::max<std::int64_t>(caps.max_file_size, 0));
    call.refuse_longer = true;
    HttpReply reply = perform(chat, request, call);
    if (reply.too_long)
        return failed(over_cap(caps));
    if (reply.status == 0)
        return failed("download failed: " + one_line(reply.transport_error));
    if (reply.status != 200)
        return failed("download failed: HTTP " + std::to_string(reply.status));
    return Fetched{std::move(reply.body), ""};
}

Fetched fetch_telegram(const config::Chat& chat, const Attachment& file, const config::Attachments& caps,
                       const FileFetchOptions& options)
{
    if (file.file_id.empty())
        return failed("download failed: the update names no file_id");
    TelegramBotApi api(chat);
    BotApiTiming timing;
    timing.connect_timeout = options.connect_timeout;
    timing.total_timeout = options.total_timeout;
    auto answer = api.call("getFile", json{{"file_id", file.file_id}}, timing);
    if (!answer)
        return failed("download failed: getFile: " + answer.error().message);
    std::string path = answer->is_object() ? answer->value("file_path", std::string()) : std::string();
    if (path.empty())
        return failed("download failed: getFile gave no file_path (the file is no longer on Telegram's servers)");
    if (answer->contains("file_size") && (*answer)["file_size"].is_number_integer() &&
        (*answer)["file_size"].get<std::int64_t>() > caps.max_file_size)
        return failed(over_cap(caps));
    HttpRequest request;
    request.url = chat.api_base + "/file/bot" + chat.bot_token + "/" + path;
    return download(chat, std::move(request), caps, options);
}

// The event's files in the order slack_event.cpp listed them (each object of event.files).
std::vector<const json*> slack_files(const json& delivery)
{
    std::vector<const json*> out;
    auto event = delivery.find("event");
    if (event == delivery.end() || !event->is_object())
        return out;
    auto files = event->find("files");
    if (files == event->end() || !files->is_array())
        return out;
    for (const auto& f : *files)
        if (f.is_object())
            out.push_back(&f);
    return out;
}

Fetched fetch_slack(const config::Chat& chat, const json* described, const config::Attachments& caps,
                    const FileFetchOptions& options)
{
    if (!described)
        return failed("download failed: the event does not describe the file");
    std::string url = described->value("url_private_download", std::string());
    if (url.empty())
        url = described->value("url_private", std::string());
    if (url.empty())
        return failed("download failed: the event gives no url_private for the file");
    // The bot token goes to Slack's file host only (or to the chat's own API host: a stand-in, a proxy).
    std::string origin = origin_of(url);
    if (origin != "https://files.slack.com" && origin != origin_of(chat.api_base))
        return failed("not fetched: the file's URL is on " + (origin.empty() ? std::string("no host") : origin) +
                      ", not Slack's file host");
    HttpRequest request;
    request.url = url;
    request.headers.push_back("Authorization: Bearer " + chat.bot_token);
    auto fetched = download(chat, std::move(request), caps, options);
    // Without the files:read scope Slack answers 200 with its sign-in page instead of the file.
    if (fetched.not_fetched.empty() && fetched.bytes.starts_with("<!DOCTYPE html") &&
        !described->value("mimetype", std::string()).starts_with("text/html"))
        return failed("download failed: Slack answered with a web page, not the file (does the app have the "
                      "files:read scope?)");
    return fetched;
}

// The webhook's attachments in the order json_webhook.cpp listed them.
std::vector<const json*> webhook_files(const json& delivery)
{
    std::vector<const json*> out;
    auto files = delivery.find("attachments");
    if (files == delivery.end() || !files->is_array())
        return out;
    for (const auto& f : *files)
        if (f.is_object())
            out.push_back(&f);
    return out;
}

Fetched read_webhook_file(const json* described, const config::Attachments& caps)
{
    if (!described)
        return failed("not fetched: the delivery does not describe the file");
    auto content = described->find("content_base64");
    if (content == described->end() || !content->is_string())
        return failed("not fetched: the bridge sent no content_base64 (a url alone is not downloaded)");
    const auto& text = content->get_ref<const std::string&>();
    if (static_cast<std::int64_t>(text.size() / 4 * 3) > caps.max_file_size + 2)
        return failed(over_cap(caps));
    auto bytes = mime::TransferDecoder::decode_base64_strict(text);
    if (!bytes)
        return failed("not kept: content_base64 is not valid base64");
    return Fetched{std::move(*bytes), ""};
}

}  // namespace

std::vector<Fetched> fetch_chat_files(const config::Chat& chat, const Message& message, std::string_view original,
                                      const config::Attachments& caps, const FileFetchOptions& options)
{
    std::vector<Fetched> out;
    if (message.attachments.empty())
        return out;
    json delivery;
    if (chat.type != config::ChatType::telegram)
        delivery = json::parse(original, nullptr, false);
    std::vector<const json*> described;
    if (chat.type == config::ChatType::slack && !delivery.is_discarded())
        described = slack_files(delivery);
    else if (chat.type == config::ChatType::webhook && !delivery.is_discarded())
        described = webhook_files(delivery);
    for (std::size_t i = 0; i < message.attachments.size(); ++i) {
        const Attachment& file = message.attachments[i];
        const json* about = i < described.size() ? described[i] : nullptr;
        Fetched fetched;
        if (static_cast<std::int64_t>(file.size) > caps.max_file_size)
            fetched = failed(over_cap(caps));
        else if (chat.type == config::ChatType::telegram)
            fetched = fetch_telegram(chat, file, caps, options);
        else if (chat.type == config::ChatType::slack)
            fetched = fetch_slack(chat, about, caps, options);
        else
            fetched = read_webhook_file(about, caps);
        if (!fetched.not_fetched.empty())
            log::warn("chat.file_not_fetched",
                      {{"chat", chat.name}, {"file", file.filename}, {"reason", fetched.not_fetched}});
        out.push_back(std::move(fetched));
    }
    return out;
}

}  // namespace redress::connectors::chat
