#include "erasure.hpp"

#include "common/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace redress::tickets {

namespace {

// Keys of audit details whose values are words someone wrote or a way to reach the customer.
constexpr std::array<std::string_view, 21> k_word_keys{
    "subject", "text",      "comment",       "name",    "address", "value",   "body",
    "summary", "offer",     "reason",        "excerpt", "snippet", "preview", "phone",
    "email",   "recipient", "incident_date", "user",    "reasons", "terms",   "note"};

bool is_word_key(std::string_view key)
{
    return std::find(k_word_keys.begin(), k_word_keys.end(), key) != k_word_keys.end();
}

using json = nlohmann::json;

void scrub_json(json& value, const std::vector<std::string>& values)
{
    if (value.is_object()) {
        for (auto& [key, item] : value.items()) {
            if (item.is_string() && is_word_key(key) && !item.get<std::string>().empty())
                item = std::string(k_erased);
            else if (item.is_array() && is_word_key(key))
                for (auto& element : item)
                    element = element.is_string() ? json(std::string(k_erased)) : json(nullptr);
            else
                scrub_json(item, values);
        }
    } else if (value.is_array()) {
        for (auto& item : value)
            scrub_json(item, values);
    } else if (value.is_string()) {
        value = scrub(value.get<std::string>(), values);
    }
}

}  // namespace

std::vector<std::string> personal_values(const CustomerGroup& group, const std::vector<Ticket>& tickets)
{
    std::vector<std::string> values;
    auto add = [&](std::string_view v) {
        std::string text(trim(v));
        if (!text.empty())
            values.push_back(std::move(text));
    };
    for (const auto& m : group.members)
        add(m.name);
    for (const auto& i : group.identities)
        add(i.value);
    for (const auto& s : group.suggestions)
        add(s.value);
    for (const auto& t : tickets) {
        add(t.customer.name);
        add(t.customer.email);
        add(t.customer.phone);
        add(t.customer.chat_user);
        add(t.conversation);
    }
    return longest_first(std::move(values));
}

std::vector<std::string> longest_first(std::vector<std::string> values)
{
    std::erase_if(values, [](const std::string& v) { return v.empty(); });
    std::sort(values.begin(), values.end(), [](const std::string& a, const std::string& b) {
        if (a.size() != b.size())
            return a.size() > b.size();
        std::string la = ascii_lower(a), lb = ascii_lower(b);
        return la != lb ? la < lb : a < b;
    });
    values.erase(
        std::unique(values.begin(), values.end(),
                    [](const std::string& a, const std::string& b) { return ascii_lower(a) == ascii_lower(b); }),
        values.end());
    return values;
}

Ticket anonymised(Ticket ticket)
{
    ticket.customer = Customer{};
    ticket.conversation.clear();
    ticket.subject.clear();
    return ticket;
}

namespace {

bool address_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("!#$%&'*+-/=?^_`{|}~.@").find(c) != std::string_view::npos ||
           static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

bool names_whole(std::string_view text, std::string_view value)
{
    std::string value_folded = ascii_lower(trim(value));
    if (value_folded.empty())
        return false;
    std::string folded = ascii_lower(text);
    for (std::size_t at = folded.find(value_folded); at != std::string::npos; at = folded.find(value_folded, at + 1)) {
        std::size_t end = at + value_folded.size();
        bool before = at > 0 && address_char(folded[at - 1]);
        bool after = end < folded.size() && address_char(folded[end]) &&
                     !(folded[end] == '.' && (end + 1 == folded.size() || !address_char(folded[end + 1])));
        if (!before && !after)
            return true;
    }
    return false;
}

std::string scrub(std::string_view text, const std::vector<std::string>& values)
{
    std::string out(text);
    for (const auto& value : values) {
        if (value.empty())
            continue;
        std::string needle = ascii_lower(value);
        std::string folded = ascii_lower(out);
        std::string next;
        std::size_t from = 0;
        for (std::size_t at = folded.find(needle); at != std::string::npos; at = folded.find(needle, from)) {
            next.append(out, from, at - from);
            next.append(k_erased);
            from = at + needle.size();
        }
        if (from == 0)
            continue;
        next.append(out, from);
        out = std::move(next);
    }
    return out;
}

std::string scrub_detail(std::string_view detail, const std::vector<std::string>& values)
{
    auto parsed = nlohmann::json::parse(detail, nullptr, false);
    if (parsed.is_discarded())
        return scrub(detail, values);
    scrub_json(parsed, values);
    return parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

CorrectiveAction erased_action(CorrectiveAction action, const std::vector<std::string>& values)
{
    if (action.target == ActionFor::customer) {
        action.text = std::string(k_erased);
        action.note = action.note.empty() ? std::string() : std::string(k_erased);
    } else {
        action.text = scrub(action.text, values);
        action.note = scrub(action.note, values);
    }
    action.responsible = scrub(action.responsible, values);
    return action;
}

Result<void> check_erase(const Actor& actor, std::string_view reason)
{
    if (actor.role != Role::owner)
        return make_error(ErrorKind::refused, "erase.owner_only", "Only the owner may erase a customer's data.");
    if (trim(reason).empty())
        return make_error(ErrorKind::invalid, "erase.reason", "Say why the customer's data is erased (a reason).");
    return {};
}

bool retention_due(const Ticket& ticket, TimePoint now, int days)
{
    if (days <= 0 || ticket.status != TicketStatus::closed || !ticket.closed_at)
        return false;
    return *ticket.closed_at < now - std::chrono::days(days);
}

bool keeps_customer_alive(const Ticket& ticket)
{
    return ticket.status != TicketStatus::closed;
}

}  // namespace redress::tickets
