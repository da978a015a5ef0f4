#include "ticket_values.hpp"

#include "letter_time.hpp"

namespace redress::letters {

void add_ticket_values(Values& values, const Ticket& ticket, std::string_view language, std::string_view time_zone)
{
    auto set = [&](std::string_view name, std::string value) {
        if (value.empty())
            values.erase(std::string(name));
        else
            values.insert_or_assign(std::string(name), std::move(value));
    };
    auto when = [&](const std::optional<TimePoint>& t) {
        return t ? format_time_for_letter(*t, language, time_zone) : std::string();
    };
    set("ticket.number", ticket.number);
    set("ticket.subject", ticket.subject);
    set("ticket.status", std::string(to_string(ticket.status)));
    set("ticket.kind", std::string(to_string(ticket.kind)));
    set("ticket.severity", std::string(to_string(ticket.severity)));
    set("ticket.channel", ticket.channel);
    set("ticket.received_at", format_time_for_letter(ticket.received_at, language, time_zone));
    set("ticket.first_response_due", when(ticket.first_response_due));
    set("ticket.resolution_due", when(ticket.resolution_due));
    set("customer.name", ticket.customer.name);
    set("customer.email", ticket.customer.email);
}

}  // namespace redress::letters
