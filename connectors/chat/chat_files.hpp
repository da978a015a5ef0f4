#pragma once
// The files of a chat message, fetched before the message is handed to the pipeline (issue 18): the
// pipeline keeps them in the attachment store like a mail's files. Called by the daemon's chat route
// and poller for each message with files; it decides nothing about tickets.
//
//   telegram  getFile with the file's file_id, then GET <api_base>/file/bot<token>/<file_path>
//             (core.telegram.org/bots/api#getfile)
//   slack     GET the file's url_private_download (else url_private) with the bot token as a Bearer
//             token; only from files.slack.com or the chat's own api_base host, so the token goes
//             nowhere else
//   webhook   no download: the bridge sends the bytes in the signed body, each attachment's
//             "content_base64" (docs/chat.md); an attachment with only a "url" is listed, not fetched
//
// A file announced over attachments.max_file_size is not downloaded, and a download is cut off past
// it. A failed download is listed on the message with its reason; the message is never held back.

#include "config/config.hpp"
#include "model/message.hpp"
#include "pipeline/pipeline.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace redress::connectors::chat {

struct FileFetchOptions {
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds total_timeout{60'000};  // per file
};

// One entry per attachment of `message`, in its order: the bytes, or why they are not here.
// `original` is the delivery as the platform sent it (RawMessage::bytes): Slack's file URLs and the
// webhook's bytes are read from it.
std::vector<pipeline::RawMessage::FetchedFile> fetch_chat_files(const config::Chat& chat, const Message& message,
                                                                std::string_view original,
                                                                const config::Attachments& caps,
                                                                const FileFetchOptions& options = {});

}  // namespace redress::connectors::chat
