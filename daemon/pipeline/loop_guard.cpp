#include "loop_guard.hpp"

#include "common/text.hpp"

namespace redress::pipeline {

namespace {
std::string_view domain_of(std::string_view address)
{
    auto at = address.rfind('@');
    return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}
std::string_view local_part(std::string_view address)
{
    auto at = address.rfind('@');
    return at == std::string_view::npos ? address : address.substr(0, at);
}
}  // namespace

bool is_own_letter(const Message& message, const config::Config& config)
{
    if (message.header(k_loop_header))
        return true;
    // Our Message-IDs look like "<ticket>.<template>.<hash>@<domain>"; a customer's client never
    // makes an id in our domain with our marker.
    return iequals(domain_of(message.message_id), config.company.message_id_domain) &&
           message.message_id.find(".redress.") != std::string::npos;
}

Mailbox reply_address(const Message& message)
{
    if (message.reply_to && !message.reply_to->address.empty())
        return *message.reply_to;
    return message.from;
}

std::optional<std::string> automatic_reply_refusal(const Message& message, const Classification& classification,
                                                   const config::Config& config)
{
    if (classification.kind == Kind::automatic)
        return "automatic mail (RFC 3834): no automatic answer";
    if (classification.kind == Kind::spam)
        return "spam gets no answer";
    if (classification.bulk)
        return "list or bulk mail gets no automatic answer";
    if (is_own_letter(message, config))
        return "one of our own letters came back";
    // RFC 5321 4.5.5: a null reverse-path marks a notification that must not be answered.
    if (trim(message.return_path) == "<>")
        return "empty Return-Path (a delivery notification)";
    Mailbox to = reply_address(message);
    if (to.address.empty() || to.address.find('@') == std::string::npos)
        return "no address to answer";
    std::string local = ascii_lower(local_part(to.address));
    for (std::string_view marker : {"noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply",
                                    "mailer-daemon", "postmaster", "bounce"})
        if (local.find(marker) != std::string::npos)
            return "the sender " + to.address + " does not take replies";
    if (iequals(to.address, config.company.support_address.address))
        return "the sender is our own support address";
    return std::nullopt;
}

}  // namespace redress::pipeline
