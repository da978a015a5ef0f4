// Header rules for automatic and bulk mail (see automatic_mail.hpp).

#include "automatic_mail.hpp"

#include "common/text.hpp"

#include <utf8proc.h>

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

// Lower case for the few scripts the subjects below use (Latin, Cyrillic): utf8proc's simple
// mapping, character by character. Invalid bytes are kept as they are.
std::string lower(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    auto left = static_cast<utf8proc_ssize_t>(text.size());
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        auto n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) {
            out.push_back(static_cast<char>(*p));
            ++p;
            --left;
            continue;
        }
        utf8proc_uint8_t buf[4];
        auto written = utf8proc_encode_char(utf8proc_tolower(cp), buf);
        out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(written));
        p += n;
        left -= n;
    }
    return out;
}

// What mail programs put before the subject of an out-of-office or other automatic reply, lower
// case, in the seven languages we answer in (en, ru, uk, be, pt, de, es). Outlook, Gmail, Thunderbird's
// vacation filters, Yandex and Mail.ru write these when they send no Auto-Submitted header.
constexpr std::string_view k_auto_reply_subjects[] = {
    "automatic reply",
    "auto reply",
    "autoreply",
    "auto-reply",
    "out of office",
    "out of the office",
    "auto",
    "away from the office",
    "автоответ",
    "автоматический ответ",
    "автоответчик",
    "нет на месте",
    "вне офиса",
    "автовідповідь",
    "автоматична відповідь",
    "поза офісом",
    "аўтаадказ",
    "аўтаматычны адказ",
    "resposta automática",
    "resposta automatica",
    "ausente",
    "fora do escritório",
    "automatische antwort",
    "abwesenheitsnotiz",
    "automatische abwesenheitsnotiz",
    "abwesend",
    "respuesta automática",
    "respuesta automatica",
    "fuera de la oficina",
    "fuera de oficina",
};

}  // namespace

std::optional<std::string> auto_reply_subject(std::string_view subject)
{
    // Only the start matters; a subject is cut by the parser already, this keeps the cost fixed.
    std::string head = lower(trim(subject.substr(0, utf8_cut(subject, 120))));
    std::string_view rest = head;
    for (std::string_view phrase : k_auto_reply_subjects) {
        if (!rest.starts_with(phrase))
            continue;
        // The phrase must be the whole subject or be followed by ':' ("Out of Office: Re: ..."): a
        // customer's "Out of office hours delivery" is not an auto-reply.
        std::string_view after = trim(rest.substr(phrase.size()));
        if (!after.empty() && after.front() != ':')
            continue;
        // Short everyday words ("Auto: brakes failed", "Ausente: ...") count only before what an
        // auto-reply repeats: the subject of the letter it answers, ours ("[RD-000042] ...") or a reply's.
        if (phrase == "auto" || phrase == "ausente" || phrase == "abwesend") {
            std::string_view answered = after.empty() ? after : trim(after.substr(1));
            bool repeats = answered.starts_with("[") || answered.starts_with("re:") || answered.starts_with("aw:") ||
                           answered.starts_with("ha:") || answered.starts_with("res:") || answered.starts_with("fw:");
            if (!repeats)
                continue;
        }
        return std::string(trim(subject.substr(0, utf8_cut(subject, 80))));
    }
    return std::nullopt;
}

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
    if (auto* value = message.header("Auto-Submitted");
        value && !iequals(first_token(*value), "no") && !first_token(*value).empty())
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
    // Many out-of-office replies carry none of the headers above (RFC 3834 is a recommendation);
    // their subject still says what they are.
    if (!v.automatic)
        if (auto said = auto_reply_subject(message.subject))
            automatic("Subject", *said);

    if (auto* value = message.header("List-Id"))
        bulk("List-Id", *value);
    if (auto* value = message.header("List-Unsubscribe"))
        bulk("List-Unsubscribe", *value);
    return v;
}

}  // namespace redress::classify
