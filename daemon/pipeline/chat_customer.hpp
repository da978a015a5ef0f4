#pragma once
// What a chat platform says about a customer after their message is stored: Slack's events carry
// only a user id, and users.info (connectors/chat/slack_users.hpp) gives the name a little later.
// The name goes on the ticket where the customer's name is still unknown, with an audit row; an
// email from the platform's profile is recorded in that row as unverified and never becomes the
// customer's address (docs/chat.md: a chat customer's identity is the platform's user).

#include "common/result.hpp"
#include "common/time.hpp"
#include "store/store.hpp"

#include <string>
#include <string_view>

namespace redress::pipeline {

struct ChatProfile {
    std::string user_id;  // the customer's chat identity, "slack:U024BE7LH"
    std::string name;
    std::string email;   // the platform's, unverified; may be empty
    std::string source;  // where it came from, for the audit: "slack users.info"
};

// Whether a customer's name says nothing yet: empty, or the platform's bare id ("U024BE7LH", what
// tickets of Slack customers carried before names were looked up).
bool chat_name_unknown(std::string_view name, std::string_view user_id);

// Sets the name on the ticket in one transaction with an audit row "customer.named". False (and
// nothing written) when the ticket's customer is someone else or already has a name; not_found
// for no such ticket.
Result<bool> name_chat_customer(store::Transactions& store, std::string_view ticket_number, const ChatProfile& profile,
                                TimePoint now);

}  // namespace redress::pipeline
