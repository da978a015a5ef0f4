#include "chat_hook.hpp"

#include "auth/secrets.hpp"
#include "json_webhook.hpp"
#include "slack_event.hpp"
#include "telegram_update.hpp"

#include <cctype>

namespace redress::connectors::chat_in {

std::string_view to_string(RefusalReason reason)
{
    switch (reason) {
    case RefusalReason::signature:
        return "signature";
    case RefusalReason::timestamp:
        return "timestamp";
    case RefusalReason::malformed:
        return "malformed";
    case RefusalReason::missing:
        return "missing";
    case RefusalReason::too_large:
        return "too_large";
    case RefusalReason::unknown_chat:
        return "unknown_chat";
    }
    return "malformed";
}

int http_status(RefusalReason reason)
{
    switch (reason) {
    case RefusalReason::signature:
    case RefusalReason::timestamp:
        return 401;
    case RefusalReason::malformed:
    case RefusalReason::missing:
        return 400;
    case RefusalReason::too_large:
        return 413;
    case RefusalReason::unknown_chat:
        return 404;
    }
    return 400;
}

HookResult read_hook(const config::Chat& chat, const HookHeaders& headers, std::string_view body, TimePoint now)
{
    switch (chat.type) {
    case config::ChatType::telegram:
        // Telegram sends a bot's updates one way only: to a webhook, or to getUpdates.
        if (chat.mode == config::ChatMode::poll)
            return Refusal{RefusalReason::unknown_chat,
                           "the chat reads its messages with getUpdates (mode \"poll\") and takes no webhooks"};
        return read_telegram_update(chat, headers, body);
    case config::ChatType::slack:
        return read_slack_event(chat, headers, body, now);
    case config::ChatType::webhook:
        return read_json_webhook(chat, headers, body, now);
    }
    return Refusal{RefusalReason::unknown_chat, "no reader for this chat's type"};
}

const std::string* header(const HookHeaders& headers, std::string_view name)
{
    auto it = headers.find(std::string(name));
    return it == headers.end() ? nullptr : &it->second;
}

bool header_matches(const HookHeaders& headers, std::string_view name, std::string_view expected)
{
    const std::string* sent = header(headers, name);
    return sent && !expected.empty() && auth::secrets_equal(*sent, expected);
}

namespace {

bool email_char(unsigned char c)
{
    return std::isalnum(c) || c >= 0x80 ||
           std::string_view(".!#$%&'*+/=?^_`{|}~-@").find(static_cast<char>(c)) != std::string_view::npos;
}

std::string first_email(std::string_view text)
{
    for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
        std::size_t begin = at;
        while (begin > 0 && email_char(static_cast<unsigned char>(text[begin - 1])) && text[begin - 1] != '@')
            --begin;
        std::size_t end = at + 1;
        while (end < text.size() && email_char(static_cast<unsigned char>(text[end])) && text[end] != '@')
            ++end;
        std::string_view candidate = text.substr(begin, end - begin);
        // A sentence's full stop after the address is not part of it.
        while (!candidate.empty() && (candidate.back() == '.' || candidate.back() == '-'))
            candidate.remove_suffix(1);
        std::string_view domain = candidate.substr(candidate.find('@') + 1);
        if (candidate.front() != '@' && domain.find('.') != std::string_view::npos && is_plain_addr_spec(candidate))
            return std::string(candidate);
    }
    return {};
}

// E.164 allows at most 15 digits. Without a leading + at least 10 are asked for, so that a date
// ("2026-11-30") or an order number is not taken for a phone.
std::string first_phone(std::string_view text)
{
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        bool starts = c == '+' || std::isdigit(static_cast<unsigned char>(c));
        if (!starts || (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]))))
            continue;
        std::string digits = c == '+' ? "+" : "";
        std::size_t j = i;
        int count = 0;
        for (; j < text.size(); ++j) {
            char d = text[j];
            if (std::isdigit(static_cast<unsigned char>(d))) {
                digits += d;
                ++count;
            } else if (!(d == ' ' || d == '-' || d == '(' || d == ')' || (d == '+' && j == i))) {
                break;
            }
        }
        if (count <= 15 && (count >= 10 || (c == '+' && count >= 7)))
            return digits;
        i = j;
    }
    return {};
}

}  // namespace

ContactDetails contact_details_in(std::string_view text)
{
    return ContactDetails{first_email(text), first_phone(text)};
}

}  // namespace redress::connectors::chat_in
