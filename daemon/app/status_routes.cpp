#include "status_routes.hpp"

#include "pipeline/runtime.hpp"

#include <nlohmann/json.hpp>

namespace redress::app {

using nlohmann::json;

namespace {

// A label value in the Prometheus text format (exposition format 0.0.4): backslash, double quote and
// line feed are escaped as \\, \" and \n; everything else, UTF-8 included, goes as it is. Mailbox
// names come from the config and may hold any of them.
std::string label_value(std::string_view value)
{
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

json time_or_null(const std::optional<TimePoint>& t)
{
    return t ? json(format_iso8601_utc(*t)) : json(nullptr);
}

// Each configured chat (of the running config) with what its webhook route or its poller recorded.
// A poll chat whose getUpdates failed three times in a row makes the daemon unhealthy, as a mailbox
// does: its customers are not being read. A webhook chat's failures are deliveries refused or not
// stored; anyone can post to /hooks/<name>, so they do not.
json chat_states(const StatusSources& sources, bool& healthy)
{
    json chats = json::array();
    if (!sources.chat_health)
        return chats;
    for (const auto& chat : sources.pipeline->runtime()->config.chats) {
        auto state = sources.chat_health->state_of(chat.name);
        if (chat.mode == config::ChatMode::poll)
            healthy = healthy && state.consecutive_failures < 3;
        chats.push_back(
            json{{"name", chat.name},
                 {"type", std::string(config::to_string(chat.type))},
                 {"mode", std::string(config::to_string(chat.mode))},
                 {"last_update", time_or_null(state.last_update)},
                 {"last_error", state.last_error.empty() ? json(nullptr) : json(state.last_error)},
                 {"last_error_at", time_or_null(state.last_error_at)},
                 {"consecutive_failures", state.consecutive_failures},
                 {"updates_received", state.updates_received},
                 {"webhook_registered", state.webhook_registered ? json(*state.webhook_registered) : json(nullptr)}});
    }
    return chats;
}

}  // namespace

void add_status_routes(http::HttpServer& server, StatusSources sources)
{
    server.get("/healthz", [sources] {
        const auto& c = sources.pipeline->counters();
        json mailboxes = json::array();
        bool healthy = true;
        for (auto& m : mailbox_statuses(sources.mailboxes)) {
            // A mailbox that keeps failing makes the daemon unhealthy: mail is not being read.
            healthy = healthy && m.consecutive_failures < 3;
            mailboxes.push_back(
                json{{"name", m.name},
                     {"connected", m.connected},
                     {"push", m.push},
                     {"consecutive_failures", m.consecutive_failures},
                     {"last_error", m.last_error},
                     {"last_success", m.last_success ? json(format_iso8601_utc(*m.last_success)) : json(nullptr)},
                     {"messages_ingested", m.messages_ingested},
                     {"messages_quarantined", m.messages_quarantined}});
        }
        json body{{"status", healthy ? "ok" : "degraded"},
                  {"started_at", format_iso8601_utc(sources.started_at)},
                  {"messages",
                   {{"created", c.created.load()},
                    {"updated", c.updated.load()},
                    {"recorded", c.recorded.load()},
                    {"duplicates", c.duplicates.load()},
                    {"quarantined", c.quarantined.load()},
                    {"failed", c.failed.load()}}},
                  {"letters",
                   {{"sent", sources.outbox->counters().sent.load()},
                    {"retried", sources.outbox->counters().retried.load()},
                    {"failed", sources.outbox->counters().failed.load()}}},
                  {"mailboxes", mailboxes}};
        body["chats"] = chat_states(sources, healthy);
        body["status"] = healthy ? "ok" : "degraded";
        return http::Response{healthy ? 200 : 503, "application/json",
                              body.dump(-1, ' ', false, json::error_handler_t::replace)};
    });

    server.get("/metrics", [sources] {
        const auto& c = sources.pipeline->counters();
        std::string out;
        auto line = [&](const std::string& name, const std::string& labels, long long value) {
            out += name + (labels.empty() ? "" : "{" + labels + "}") + " " + std::to_string(value) + "\n";
        };
        out += "# HELP redress_messages_total Messages ingested, by outcome.\n# TYPE redress_messages_total counter\n";
        line("redress_messages_total", "outcome=\"created\"", c.created.load());
        line("redress_messages_total", "outcome=\"updated\"", c.updated.load());
        line("redress_messages_total", "outcome=\"recorded\"", c.recorded.load());
        line("redress_messages_total", "outcome=\"duplicate\"", c.duplicates.load());
        line("redress_messages_total", "outcome=\"quarantined\"", c.quarantined.load());
        line("redress_messages_total", "outcome=\"failed\"", c.failed.load());
        out += "# HELP redress_letters_total Letters handed to senders, by result.\n# TYPE redress_letters_total "
               "counter\n";
        line("redress_letters_total", "result=\"sent\"", sources.outbox->counters().sent.load());
        line("redress_letters_total", "result=\"retried\"", sources.outbox->counters().retried.load());
        line("redress_letters_total", "result=\"failed\"", sources.outbox->counters().failed.load());
        out += "# HELP redress_mailbox_consecutive_failures Failed rounds in a row per mailbox.\n"
               "# TYPE redress_mailbox_consecutive_failures gauge\n";
        for (auto& m : mailbox_statuses(sources.mailboxes))
            line("redress_mailbox_consecutive_failures", "mailbox=\"" + label_value(m.name) + "\"",
                 m.consecutive_failures);
        if (sources.refusals) {
            out += "# HELP redress_api_refusals_total Requests the API refused: 401 no or bad credentials, 403 the "
                   "wrong role or no CSRF token, 429 too many failed sign-ins.\n"
                   "# TYPE redress_api_refusals_total counter\n";
            line("redress_api_refusals_total", "status=\"401\"", sources.refusals->unauthorized.load());
            line("redress_api_refusals_total", "status=\"403\"", sources.refusals->forbidden.load());
            line("redress_api_refusals_total", "status=\"429\"", sources.refusals->limited.load());
        }
        if (sources.chat_refusals) {
            out += "# HELP redress_chat_refusals_total Chat webhook deliveries refused, by chat and reason "
                   "(signature, timestamp, malformed, missing, too_large, unknown_chat).\n"
                   "# TYPE redress_chat_refusals_total counter\n";
            for (const auto& [key, count] : sources.chat_refusals->snapshot())
                line("redress_chat_refusals_total",
                     "chat=\"" + label_value(key.first) + "\",reason=\"" + label_value(key.second) + "\"", count);
        }
        if (sources.chat_names) {
            out += "# HELP redress_chat_user_lookups_total Slack users.info lookups of customers' names, by chat and "
                   "result (ok, failed; named: tickets that got the name).\n"
                   "# TYPE redress_chat_user_lookups_total counter\n";
            for (const auto& [chat, tally] : sources.chat_names->tallies()) {
                std::string label = "chat=\"" + label_value(chat) + "\",result=";
                line("redress_chat_user_lookups_total", label + "\"ok\"", tally.looked_up);
                line("redress_chat_user_lookups_total", label + "\"failed\"", tally.failed);
                line("redress_chat_user_lookups_total", label + "\"named\"", tally.named);
            }
        }
        if (sources.chat_health) {
            auto chats = sources.pipeline->runtime()->config.chats;
            out += "# HELP redress_chat_updates_total Chat updates taken (webhook deliveries and polled updates), by "
                   "chat.\n# TYPE redress_chat_updates_total counter\n";
            for (const auto& chat : chats)
                line("redress_chat_updates_total", "chat=\"" + label_value(chat.name) + "\"",
                     sources.chat_health->state_of(chat.name).updates_received);
            out += "# HELP redress_chat_failures_total Failed getUpdates rounds, and webhook deliveries refused or not "
                   "stored, by chat.\n# TYPE redress_chat_failures_total counter\n";
            for (const auto& chat : chats)
                line("redress_chat_failures_total", "chat=\"" + label_value(chat.name) + "\"",
                     sources.chat_health->state_of(chat.name).failures);
        }
        return http::Response{200, "text/plain; version=0.0.4", out};
    });
}

}  // namespace redress::app
