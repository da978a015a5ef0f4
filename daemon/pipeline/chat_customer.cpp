#include "chat_customer.hpp"

#include "loop_guard.hpp"
#include "tickets/customers.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace redress::pipeline {

bool chat_name_unknown(std::string_view name, std::string_view user_id)
{
    if (name.empty())
        return true;
    // "slack:U024BE7LH": the part after the chat's name is the platform's own id.
    auto colon = user_id.find(':');
    return colon != std::string_view::npos && name == user_id.substr(colon + 1);
}

Result<bool> name_chat_customer(store::Transactions& store, std::string_view ticket_number, const ChatProfile& profile,
                                TimePoint now)
{
    std::string name = plain_display_name(profile.name);
    if (name.empty() || profile.user_id.empty())
        return false;
    auto tx = TRY(store.begin());
    std::optional<Ticket> found = TRY(tx->ticket_by_number(ticket_number));
    if (!found)
        return make_error(ErrorKind::not_found, "ticket.not_found", "no ticket " + std::string(ticket_number));
    Ticket ticket = std::move(*found);
    if (ticket.customer.chat_user != profile.user_id || !chat_name_unknown(ticket.customer.name, profile.user_id))
        return false;
    ticket.customer.name = name;
    ticket.updated_at = std::max(ticket.updated_at, now);
    nlohmann::json detail{{"name", name}, {"user", profile.user_id}, {"source", profile.source}};
    // The profile's address is the workspace's, not one the customer gave us: shown to staff as an
    // unverified contact detail, never the customer's address and never a link to another customer.
    if (!profile.email.empty())
        detail["contact"] = {{"email", profile.email}, {"verified", false}};
    TRY(tx->update_ticket(ticket));
    // The same address waits as a suggestion on the customer record, for staff to accept or not.
    if (auto email = tickets::normalise_email(profile.email); !email.empty()) {
        CustomerLink link;
        link.ticket_id = ticket.id;
        link.at = now;
        link.suggested.push_back(IdentityClaim{IdentityKind::email, email, profile.source});
        TRY(tx->link_customer(link));
    }
    TRY(tx->add_audit(AuditEvent{0, ticket.id, now, "system", "customer.named",
                                 detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)}));
    TRY(tx->commit());
    return true;
}

}  // namespace redress::pipeline
