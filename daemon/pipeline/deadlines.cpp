#include "deadlines.hpp"

#include "common/log.hpp"
#include "letters/letter_time.hpp"
#include "letters/letter_words.hpp"
#include "staff_letters.hpp"
#include "store/store.hpp"

#include <nlohmann/json.hpp>

namespace redress::pipeline {

using nlohmann::json;

namespace {

constexpr std::string_view k_clock_prefix = "clock.";

std::optional<sla::ClockEventType> clock_type(std::string_view name)
{
    using T = sla::ClockEventType;
    for (T t : {T::opened, T::acknowledged, T::first_response, T::waiting_for_customer, T::customer_replied,
                T::resolved, T::reopened, T::closed, T::reclassified})
        if (sla::to_string(t) == name)
            return t;
    return std::nullopt;
}

}  // namespace

std::vector<sla::ClockEvent> clock_history(const std::vector<AuditEvent>& audit)
{
    std::vector<sla::ClockEvent> events;
    for (const AuditEvent& row : audit) {
        if (!std::string_view(row.action).starts_with(k_clock_prefix))
            continue;
        auto type = clock_type(std::string_view(row.action).substr(k_clock_prefix.size()));
        if (!type)
            continue;
        sla::ClockEvent e;
        e.at = row.at;
        e.type = *type;
        json detail = json::parse(row.detail, nullptr, false);
        if (detail.is_object()) {
            if (detail.contains("kind") && detail["kind"].is_string())
                e.kind = kind_from_string(detail["kind"].get<std::string>());
            if (detail.contains("severity") && detail["severity"].is_string())
                e.severity = severity_from_string(detail["severity"].get<std::string>());
        }
        events.push_back(e);
    }
    return events;
}

Result<void> record_clock_event(store::Transaction& tx, const Ticket& ticket, sla::ClockEventType type, TimePoint now)
{
    json detail{{"kind", to_string(ticket.kind)}, {"severity", to_string(ticket.severity)}};
    return tx.add_audit(
        AuditEvent{0, ticket.id, now, "system", "clock." + std::string(sla::to_string(type)), detail.dump()});
}

Result<sla::DeadlineSet> ticket_deadlines(const Runtime& runtime, store::Transaction& tx, const Ticket& ticket,
                                          TimePoint now)
{
    auto audit = tx.audit_of(ticket.id);
    if (!audit)
        return audit.error();
    return sla::compute_deadlines(runtime.sla, ticket.kind, ticket.severity, ticket.channel, clock_history(*audit),
                                  now);
}

Result<void> refresh_deadlines(const Runtime& runtime, store::Transaction& tx, Ticket& ticket, TimePoint now)
{
    auto set = ticket_deadlines(runtime, tx, ticket, now);
    if (!set)
        return set.error();
    ticket.first_response_due = set->due("first_response");
    // After a reopening the latest round of the resolution deadline is the one that counts.
    ticket.resolution_due.reset();
    for (const auto& d : set->deadlines)
        if (d.name == "resolution")
            ticket.resolution_due = d.due;
    return {};
}

std::string alert_dedup_key(const Ticket& ticket, std::string_view alert_key)
{
    return "alert:" + ticket.number + ":" + std::string(alert_key);
}

Result<bool> alert_already_queued(store::Transaction& tx, const std::string& dedup_key)
{
    auto email = tx.has_letter(dedup_key);
    if (!email || *email)
        return email;
    return tx.has_letter(dedup_key + ":chat");
}

Result<std::optional<TimePoint>> queue_due_alerts(const Runtime& runtime, store::Transaction& tx, store::People& people,
                                                  const Ticket& ticket, TimePoint now, int& queued)
{
    auto set = ticket_deadlines(runtime, tx, ticket, now);
    if (!set)
        return set.error();
    auto plan = sla::plan_alerts(*set, now);
    const auto& owner = runtime.config.owner;

    // Queues one copy of an alert; the dedup key makes a second call a no-op. Returns whether a
    // letter was queued.
    auto queue_copy = [&](const sla::Alert& alert, const Letter& letter) -> Result<bool> {
        auto id = tx.enqueue_letter(letter);
        if (!id)
            return id.error();
        if (!*id)
            return false;
        ++queued;
        json detail{
            {"alert", alert.key}, {"letter", **id}, {"channel", letter.channel}, {"recipient", letter.recipient}};
        if (auto r = tx.add_audit(AuditEvent{0, ticket.id, now, "system", "alert.queued", detail.dump()}); !r)
            return r.error();
        log::info("alert.queued", {{"ticket", ticket.number},
                                   {"alert", alert.key},
                                   {"channel", letter.channel},
                                   {"recipient", letter.recipient}});
        return true;
    };

    const std::string& time_zone = runtime.config.company.time_zone;
    for (const sla::Alert& alert : plan.due) {
        StaffLetterRequest request;
        request.ticket = &ticket;
        request.dedup_key = alert_dedup_key(ticket, alert.key);
        request.install_id = tx.install_id();
        switch (alert.level) {
        case sla::AlertLevel::arrival:
            request.template_name = "major_complaint";
            break;
        case sla::AlertLevel::warning:
            request.template_name = "deadline_warning";
            break;
        case sla::AlertLevel::breach:
            request.template_name = "escalation";
            break;
        case sla::AlertLevel::second_level:
            request.template_name = "second_level";
            break;
        }
        // Warnings go to the ticket's assignee (`redress tickets assign`); an unassigned ticket is the
        // owner's. Breaches and arrivals go to the owner, the second level to its contact.
        bool to_second_level = alert.recipient == sla::AlertRecipient::second_level && alert.contact;
        std::string email = to_second_level ? alert.contact->email : owner.email;
        std::string name = to_second_level ? alert.contact->name : owner.name;
        if (alert.recipient == sla::AlertRecipient::assignee) {
            // A user's login name (the one who took the ticket) or "Name <address>" as typed.
            if (auto assignee = TRY(staff_person(people, ticket.assignee))) {
                email = assignee->mailbox.address;
                name = assignee->mailbox.name.empty() ? assignee->mailbox.address : assignee->mailbox.name;
            }
        }
        // Escalations also go to the person's chat, where they are seen sooner; warnings stay in mail.
        std::string chat;
        if (alert.level != sla::AlertLevel::warning)
            chat = to_second_level ? alert.contact->chat : owner.chat;
        if (email.empty() && chat.empty()) {
            log::warn("alert.no_recipient",
                      {{"ticket", ticket.number},
                       {"alert", alert.key},
                       {"why", to_second_level ? "the second level has no address" : "owner.email is not configured"}});
            continue;
        }
        request.to = Mailbox{name, email};
        request.chat = chat;
        // The level is a code (alert.level_text has its words); the deadline, its time and the
        // reason are written in the language of the template the letter ends up in.
        request.extra_values["alert.level"] = std::string(sla::to_string(alert.level));
        request.language_values = [alert, time_zone](letters::Values& values, std::string_view language) {
            if (alert.deadline != "arrival")
                values["alert.deadline"] = letters::deadline_words(alert.deadline, language);
            else
                values["alert.reason"] = letters::alert_reason_words("major", language);
            if (alert.deadline_due)
                values["alert.due"] = letters::format_time_for_letter(*alert.deadline_due, language, time_zone);
        };

        // An alert is sent once, by whichever of email and chat the person has at that moment: an
        // address added or removed later does not replay it through the other.
        auto seen = alert_already_queued(tx, request.dedup_key);
        if (!seen)
            return seen.error();
        if (*seen)
            continue;
        auto letters = staff_letter(runtime, request, now);
        if (!letters) {
            log::error("alert.render_failed",
                       {{"ticket", ticket.number}, {"alert", alert.key}, {"error", letters.error().message}});
            continue;
        }
        if (letters->email)
            TRY(queue_copy(alert, *letters->email));
        if (letters->chat)
            TRY(queue_copy(alert, *letters->chat));
        // The config check refuses such an address; kept as a guard for settings made elsewhere.
        if (!letters->unknown_chat.empty())
            log::warn("alert.no_chat", {{"ticket", ticket.number}, {"alert", alert.key}, {"chat", chat}});
    }
    return plan.next_at;
}

}  // namespace redress::pipeline
