#pragma once
// Mail that no person wrote, decided from headers before any text is read: auto-replies, bounces,
// loops. Bulk mail (lists, newsletters) is marked but not called automatic: a person may still
// have written it, yet it must never get an automatic answer.

#include "model/message.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::classify {

struct AutomaticMailVerdict {
    bool automatic = false;
    bool bulk = false;
    std::vector<std::string> reasons;  // "header Auto-Submitted: auto-replied"
};

// Pure. Looks at: Auto-Submitted (RFC 3834 5.1, anything but "no"), Return-Path <> (RFC 5321
// 4.5.5, the null reverse-path of bounces), multipart/report (RFC 6522, RFC 3464 delivery status),
// X-Autoreply, X-Autorespond, X-Auto-Response-Suppress (All/OOF/AutoReply, Exchange), X-Loop,
// Precedence (bulk/list/junk mark bulk; auto_reply is automatic), List-Id (RFC 2919),
// List-Unsubscribe (RFC 2369), and a From of mailer-daemon or postmaster. Without any of those, an
// auto-reply subject (auto_reply_subject) still makes the message automatic.
AutomaticMailVerdict inspect_headers(const Message& message);

// The subject (its start) when it begins the way out-of-office and other automatic replies do in
// en, ru, uk, be, pt, de or es ("Automatic reply:", "Out of Office:", "Auto:", "Автоответ:",
// "Автовідповідь:", "Аўтаматычны адказ:", "Resposta automática:", "Ausente:", "Automatische
// Antwort:", "Abwesenheitsnotiz:", "Respuesta automática:", "Fuera de la oficina:"), else nullopt.
// The phrase must be followed by ':' or end the subject; the everyday words "Auto", "Ausente" and
// "Abwesend" only before a repeated subject ("Auto: [RD-000042] ...", "Ausente: Re: ...").
std::optional<std::string> auto_reply_subject(std::string_view subject);

}  // namespace redress::classify
