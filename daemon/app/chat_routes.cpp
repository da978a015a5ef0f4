#include "chat_routes.hpp"

#include "chat/chat_files.hpp"
#include "common/log.hpp"
#include "common/text.hpp"
#include "pipeline/chat_greeting.hpp"
#include "pipeline/runtime.hpp"
#include "store/store.hpp"

#include <nlohmann/json.hpp>

namespace redress::app {

using connectors::chat_in::HookUpdate;
using connectors::chat_in::Refusal;
using connectors::chat_in::RefusalReason;
using nlohmann::json;

void ChatRefusals::count(const std::string& chat, RefusalReason reason)
{
    std::lock_guard lock(m_mutex);
    ++m_counts[{chat, std::string(to_string(reason))}];
}

std::map<std::pair<std::string, std::string>, long long> ChatRefusals::snapshot() const
{
    std::lock_guard lock(m_mutex);
    return m_counts;
}

namespace {

http::Response ok(json body)
{
    body["ok"] = true;
    return http::Response{200, "application/json", body.dump(-1, ' ', false, json::error_handler_t::replace)};
}

// Telegram's /start: a greeting in the conversation, once per update (its dedup key), no ticket.
// The pipeline queues it (pipeline::greet_in_chat); the outbox is woken as for an ingest's letters.
Result<void> greet(const ChatHookContext& c, const pipeline::Runtime& runtime, const config::Chat& chat,
                   const HookUpdate& update)
{
    pipeline::ChatGreeting greeting{chat.name, update.greet_conversation, update.greet_language, update.source_key};
    bool queued = TRY(pipeline::greet_in_chat(*c.store, runtime, greeting, c.time->now()));
    if (queued && c.letter_queued)
        c.letter_queued();
    log::info("chat.greeted", {{"chat", chat.name}, {"source", update.source_key}, {"queued", queued ? "yes" : "no"}});
    return {};
}

class ChatHook {
public:
    explicit ChatHook(ChatHookContext context)
        : m_c(std::move(context))
    {
    }

    http::Response operator()(const http::Request& request) const
    {
        auto runtime = m_c.pipeline->runtime();
        std::string name = request.param("chat");
        const config::Chat* chat = runtime->config.chat(name);
        if (!chat)
            return refuse("(unknown)", request,
                          Refusal{RefusalReason::unknown_chat, "no chat of that name in the config"});
        connectors::chat_in::HookHeaders headers;
        for (const auto& [header, value] : request.headers)
            headers.emplace(ascii_lower(header), value);
        auto read = connectors::chat_in::read_hook(*chat, headers, request.body, m_c.time->now());
        if (auto* refusal = std::get_if<Refusal>(&read)) {
            if (m_c.health)
                m_c.health->of(name).failed(
                    "refused: " + std::string(to_string(refusal->reason)) + ": " + refusal->detail, m_c.time->now());
            return refuse(name, request, *refusal);
        }
        auto& update = std::get<HookUpdate>(read);
        // Slack takes the challenge back as plain text (or JSON); plain text is the simplest.
        if (update.kind == HookUpdate::Kind::challenge)
            return http::Response{200, "text/plain", update.challenge};
        if (auto retry = request.header("X-Slack-Retry-Num"))
            log::info("chat.retry", {{"chat", name}, {"source", update.source_key}, {"retry", *retry}});
        ChatNames::Named named = ChatNames::Named::no;
        if (update.raw) {
            update.raw->received_at = m_c.time->now();
            if (m_c.names && update.raw->parsed)
                named = m_c.names->fill_known(*chat, *update.raw->parsed);
        }
        auto taken = take_chat_update(m_c, *runtime, *chat, update);
        if (!taken) {
            // The store is busy or gone: nothing was committed, and the platform's retry brings the
            // message again (a 5xx is what makes Telegram and Slack retry).
            if (m_c.health)
                m_c.health->of(name).failed("not stored: " + taken.error().message, m_c.time->now());
            return http::error_response(503, "chat.store", "The message could not be stored now; send it again.")
                .with_header("Retry-After", "5");
        }
        if (m_c.health) {
            auto& health = m_c.health->of(name);
            health.update_taken(m_c.time->now());
            health.succeeded();
        }
        switch (taken->kind) {
        case TakenUpdate::Kind::ignored:
            return ok(json{{"ignored", update.why}});
        case TakenUpdate::Kind::greeted:
            return ok(json{{"greeted", true}});
        case TakenUpdate::Kind::stored:
            break;
        }
        const auto& outcome = *taken->outcome;
        // The crash tests' point: stored, not yet answered (the platform will send it again).
        if (outcome.action != pipeline::IngestOutcome::Action::duplicate)
            reach_fault_point(m_c.fault, FaultPoint::chat_hook_after_commit);
        // After the commit and without waiting: the name the event left out is asked for.
        if (m_c.names && update.raw && update.raw->parsed)
            m_c.names->learn(*chat, *update.raw->parsed, outcome, named);
        return ok(pipeline::to_json(outcome));
    }

private:
    http::Response refuse(const std::string& chat, const http::Request& request, const Refusal& refusal) const
    {
        if (m_c.refusals)
            m_c.refusals->count(chat, refusal.reason);
        // Neither the body nor the headers (they carry the secret) go to the log.
        log::warn("chat.refused", {{"chat", chat},
                                   {"reason", std::string(to_string(refusal.reason))},
                                   {"detail", refusal.detail},
                                   {"remote", request.remote_address},
                                   {"bytes", std::to_string(request.body.size())}});
        return http::error_response(http_status(refusal.reason), "chat." + std::string(to_string(refusal.reason)),
                                    refusal.detail);
    }

    ChatHookContext m_c;
};

}  // namespace

Result<TakenUpdate> take_chat_update(const ChatHookContext& c, const pipeline::Runtime& runtime,
                                     const config::Chat& chat, const HookUpdate& update)
{
    TakenUpdate taken;
    switch (update.kind) {
    case HookUpdate::Kind::challenge:
    case HookUpdate::Kind::ignored:
        log::debug("chat.ignored", {{"chat", chat.name}, {"source", update.source_key}, {"why", update.why}});
        return taken;
    case HookUpdate::Kind::greeting:
        if (auto greeted = greet(c, runtime, chat, update); !greeted) {
            log::error("chat.greeting_failed",
                       {{"chat", chat.name}, {"source", update.source_key}, {"error", greeted.error().message}});
            return greeted.error();
        }
        taken.kind = TakenUpdate::Kind::greeted;
        return taken;
    case HookUpdate::Kind::message:
        break;
    }
    // The message's files are fetched from the platform before the ingest, which keeps them like a
    // mail's (a failed download is listed with its reason; the message goes on without the file).
    const pipeline::RawMessage* raw = &*update.raw;
    pipeline::RawMessage with_files;
    if (raw->parsed && !raw->parsed->attachments.empty() && raw->files.empty()) {
        with_files = *raw;
        with_files.files =
            connectors::chat::fetch_chat_files(chat, *raw->parsed, raw->bytes, runtime.config.attachments);
        raw = &with_files;
    }
    auto outcome = c.ingest(*raw);
    if (!outcome) {
        log::error("chat.ingest_failed",
                   {{"chat", chat.name}, {"source", update.source_key}, {"error", outcome.error().message}});
        return outcome.error();
    }
    taken.kind = TakenUpdate::Kind::stored;
    taken.outcome = std::move(outcome).value();
    return taken;
}

void add_chat_routes(http::HttpServer& server, ChatHookContext context)
{
    ChatRefusals* refusals = context.refusals;
    pipeline::Pipeline* pipeline = context.pipeline;
    server.route("POST", "/hooks/{chat}", ChatHook(std::move(context)));
    // A body over the server's limit is refused by the server before any route runs (and read no
    // further than the limit); it is counted here under the chat its path names.
    server.on_too_large([refusals, pipeline](const http::Request& request) {
        auto params = http::match_route("/hooks/{chat}", request.path);
        if (!params || !refusals || !pipeline)
            return;
        std::string name = params->at("chat");
        if (!pipeline->runtime()->config.chat(name))
            name = "(unknown)";
        refusals->count(name, RefusalReason::too_large);
        log::warn("chat.refused", {{"chat", name}, {"reason", "too_large"}, {"remote", request.remote_address}});
    });
}

}  // namespace redress::app
