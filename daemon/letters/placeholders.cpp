#include "placeholders.hpp"

#include <algorithm>

namespace redress::letters {

namespace {

std::vector<std::string_view> make_vocabulary()
{
    std::vector<std::string_view> names{
        // The ticket; times are written in the company's zone and the letter's language.
        "ticket.number",
        "ticket.subject",
        "ticket.status",
        "ticket.kind",
        "ticket.severity",
        "ticket.channel",
        "ticket.received_at",
        "ticket.first_response_due",
        "ticket.resolution_due",
        "ticket.url",
        // The customer's status page (a signed link, no login), when the daemon serves it.
        "ticket.status_url",
        // The codes above in words of the letter's language (letter_words.hpp; TemplateSet::render sets them).
        "ticket.status_text",
        "ticket.kind_text",
        "ticket.severity_text",
        // The people.
        "customer.name",
        "customer.email",
        "company.name",
        "company.support_address",
        "owner.name",
        "owner.email",
        "agent.name",
        "agent.signature",
        "recipient.name",
        // What the customer wrote, and what a person answers.
        "message.excerpt",
        "reply.text",
        // What the company decided and did (written by a manager).
        "action.plan",
        "verdict.explanation",
        "verdict.offer",
        "resolution.summary",
        "resolution.prevention",
        "resolution.code",
        "survey.url",
        // One corrective action, for the letter about it being overdue.
        "action.text",
        "action.responsible",
        "action.due",
        // Alerts to the owner and staff.
        "alert.level",
        "alert.level_text",
        "alert.deadline",
        "alert.due",
        "alert.reason",
        "alert.reasons",
        // The weekly digest to the owner (daemon/reports/digest.hpp).
        "digest.from",
        "digest.to",
        "digest.tickets",
        "digest.first_response",
        "digest.resolution",
        "digest.deadlines_kept",
        "digest.justified",
        "digest.satisfaction",
        "digest.open_actions",
        "digest.rising",
        "digest.fixes_failing",
        "digest.fixes_working",
        // A letter of ours that bounced.
        "delivery.recipient",
        "delivery.subject",
        "delivery.error",
    };
    std::sort(names.begin(), names.end());
    return names;
}

// Plain Levenshtein distance; the names are short, so the quadratic table costs nothing.
std::size_t edit_distance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

const std::vector<std::string_view>& known_placeholders()
{
    static const std::vector<std::string_view> k_vocabulary = make_vocabulary();
    return k_vocabulary;
}

bool is_known_placeholder(std::string_view name)
{
    const auto& names = known_placeholders();
    return std::binary_search(names.begin(), names.end(), name);
}

std::optional<std::string_view> suggest_placeholder(std::string_view unknown)
{
    std::optional<std::string_view> best;
    std::size_t best_distance = 0;
    for (std::string_view name : known_placeholders()) {
        std::size_t d = edit_distance(unknown, name);
        if (!best || d < best_distance) {
            best = name;
            best_distance = d;
        }
    }
    // Only a near miss is a useful hint; otherwise the README's list is.
    if (best && best_distance <= std::max<std::size_t>(2, unknown.size() / 4))
        return best;
    return std::nullopt;
}

}  // namespace redress::letters
