#pragma once
// /healthz (JSON) and /metrics (Prometheus text format) from the daemon's counters.

#include "api/context.hpp"
#include "channels.hpp"
#include "chat_routes.hpp"
#include "http/http_server.hpp"
#include "outbox_worker.hpp"
#include "pipeline/pipeline.hpp"

#include <functional>
#include <memory>

namespace redress::app {

struct StatusSources {
    const pipeline::Pipeline* pipeline = nullptr;
    const OutboxWorker* outbox = nullptr;
    std::shared_ptr<MailboxPollers> mailboxes;
    TimePoint started_at{};
    const api::Refusals* refusals = nullptr;                         // the API's 401/403/429, when the API is served
    const ChatRefusals* chat_refusals = nullptr;                     // /hooks/{chat} refusals by chat and reason
    const ChatNames* chat_names = nullptr;                           // Slack's users.info lookups by chat and result
    const connectors::chat::ChatHealthBoard* chat_health = nullptr;  // each chat's updates and errors
};

void add_status_routes(http::HttpServer& server, StatusSources sources);

}  // namespace redress::app
