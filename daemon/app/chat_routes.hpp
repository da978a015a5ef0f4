#pragma once
// POST /hooks/{chat}: chat customers in (Telegram webhooks, Slack events, the JSON webhook). The
// handler reads the delivery with connectors/chat_in (pure), hands a customer's message to the
// daemon's ingest and answers once the pipeline has committed it; refusals are counted here by chat
// and reason for /metrics (redress_chat_refusals_total). The signature is the authentication, so the
// API's hook lets /hooks/* through (api::access_of).

#include "chat/chat_health.hpp"
#include "chat_in/chat_hook.hpp"
#include "chat_names.hpp"
#include "common/time_source.hpp"
#include "fault_point.hpp"
#include "http/http_server.hpp"
#include "pipeline/pipeline.hpp"

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace redress::store {
class Store;
}

namespace redress::app {

// Refusals by chat and reason. A name that is no chat is counted as "(unknown)": anyone can post to
// /hooks/<anything>, and every name must not become a series of its own.
class ChatRefusals {
public:
    void count(const std::string& chat, connectors::chat_in::RefusalReason reason);
    std::map<std::pair<std::string, std::string>, long long> snapshot() const;

private:
    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, std::string>, long long> m_counts;
};

struct ChatHookContext {
    pipeline::Pipeline* pipeline = nullptr;  // its runtime's config has the chats
    store::Store* store = nullptr;           // the greeting letter of Telegram's /start
    const TimeSource* time = &system_time();
    ChatRefusals* refusals = nullptr;
    // The daemon's ingest: Pipeline::ingest, then the outbox and the deadline scheduler are told.
    std::function<Result<pipeline::IngestOutcome>(const pipeline::RawMessage&)> ingest;
    std::function<void()> letter_queued;  // wakes the outbox
    FaultPoint fault = FaultPoint::none;  // REDRESS_FAULT, for the crash tests (fault_point.hpp)
    ChatNames* names = nullptr;           // Slack users' names: from its cache before, looked up after the commit
    // Each chat's state for /healthz: the route counts webhook deliveries, the pollers their updates.
    connectors::chat::ChatHealthBoard* health = nullptr;
};

void add_chat_routes(http::HttpServer& server, ChatHookContext context);

// What became of one update.
struct TakenUpdate {
    enum class Kind { stored, greeted, ignored };
    Kind kind = Kind::ignored;
    std::optional<pipeline::IngestOutcome> outcome;  // stored: what the pipeline did
};

// Takes one update a chat's reader made of a delivery, however it came (a webhook's request, or
// getUpdates for a chat in "poll" mode): a customer's message is ingested (its received_at as the
// caller set it), Telegram's /start is greeted, the rest is ignored. An error means nothing was
// stored (the store is busy): the platform's retry or the next poll brings the update again.
Result<TakenUpdate> take_chat_update(const ChatHookContext& context, const pipeline::Runtime& runtime,
                                     const config::Chat& chat, const connectors::chat_in::HookUpdate& update);

}  // namespace redress::app
