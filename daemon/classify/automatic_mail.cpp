// Header rules for automatic and bulk mail (see automatic_mail.hpp).

#include "automatic_mail.hpp"

#include "common/text.hpp"

namespace redress::classify {

namespace {

// The first token of a structured header value, before any ";" parameters or comments:
// "auto-replied; owner-email=..." -> "auto-replied".
std::string_view first_token(std::string_view value)
{
    value = trim(value);
    auto end = value.find_first_of(";( \t");
    return value.substr(0, end);
}

std::string_view local_part(std::string_view address)
{
    auto at = address.rfind('@');
    return at == std::string_view::npos ? address : address.substr(0, at);
}

void add(AutomaticMailVerdict& v, std::string_view name, std::string_view value)
{
    std::string reason = "header ";
    reason.append(name).append(": ").append(trim(value).substr(0, 80));
    v.reasons.push_back(std::move(reason));
}

}  // namespace

AutomaticMailVerdict inspect_headers(const Message& message)
{
    AutomaticMailVerdict v;
    auto automatic = [&](std::string_view name, std::string_view value) {
        v.automatic = true;
        add(v, name, value);
    };
    auto bulk = [&](std::string_view name, std::string_view value) {
        v.bulk = true;
        add(v, name, value);
    };

    // RFC 3834 5.1: "no" is the only value that means a person sent it; absent means the same.
    if (auto* value = message.header("Auto-Submitted"); value && !iequals(first_token(*value), "no")
                                                        && !first_token(*value).empty())
        automatic("Auto-Submitted", *value);

    // RFC 5321 4.5.5: bounces and other notifications travel with the null reverse-path, which
    // the final server records as "Return-Path: <>".
    std::string_view return_path = message.return_path;
    if (return_path.empty())
        if (auto* value = message.header("Return-Path"))
            return_path = *value;
    if (trim(return_path) == "<>")
        automatic("Return-Path", "<>");

    // RFC 6522: multipart/report carries delivery (RFC 3464) and disposition (RFC 8098) reports.
    if (iequals(message.content_type, "multipart/report"))
        automatic("Content-Type", "multipart/report");

    for (std::string_view name : {"X-Autoreply", "X-Autorespond"})
        if (auto* value = message.header(name); value && !iequals(trim(*value), "no"))
            automatic(name, *value);

    // Exchange sets this on its own out-of-office and auto-replies; "DR, NDR, RN, NRN" alone are
    // also set on ordinary mail from some senders, so only the values meaning "I am automatic" count.
    if (auto* value = message.header("X-Auto-Response-Suppress")) {
        for (auto part : split(*value, ',')) {
            auto item = trim(part);
            if (iequals(item, "All") || iequals(item, "OOF") || iequals(item, "AutoReply")) {
                automatic("X-Auto-Response-Suppress", *value);
                break;
            }
        }
    }

    if (auto* value = message.header("X-Loop"))
        automatic("X-Loop", *value);

    auto sender = local_part(message.from.address);
    if (iequals(sender, "mailer-daemon") || iequals(sender, "postmaster"))
        automatic("From", message.from.address);

    if (auto* value = message.header("Precedence")) {
        auto p = first_token(*value);
        if (iequals(p, "bulk") || iequals(p, "list") || iequals(p, "junk"))
            bulk("Precedence", *value);
        else if (iequals(p, "auto_reply"))
            automatic("Precedence", *value);  // Set by vacation(1) and several autoresponders.
    }
    if (auto* value = message.header("List-Id"))
        bulk("List-Id", *value);
    if (auto* value = message.header("List-Unsubscribe"))
        bulk("List-Unsubscribe", *value);
    return v;
}

}  // namespace redress::classify
