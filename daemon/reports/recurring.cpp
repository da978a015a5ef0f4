#include "recurring.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace redress::reports {

namespace {

struct Candidate {
    std::string term;
    int count = 0;
    int earlier = 0;  // in the previous period: the wording that has been around longer names it
    long places = 0;  // the sum of its first places in its tickets: what people name first is the topic
};

// The better of two candidate terms: found in more tickets; then a phrase; then found more often
// before; then named earlier in the tickets; then the first in order (never a hash's order).
bool better(const Candidate& a, const Candidate& b)
{
    if (a.count != b.count)
        return a.count > b.count;
    if (is_phrase(a.term) != is_phrase(b.term))
        return is_phrase(a.term);
    if (a.earlier != b.earlier)
        return a.earlier > b.earlier;
    if (a.places != b.places)
        return a.places < b.places;
    return a.term < b.term;
}

long places_of(const std::vector<TicketTerms>& tickets, const std::vector<bool>& open, const std::string& term)
{
    long sum = 0;
    for (std::size_t i = 0; i < tickets.size(); ++i)
        if (open[i])
            if (auto it = tickets[i].first_at.find(term); it != tickets[i].first_at.end())
                sum += it->second;
    return sum;
}

int count_with(const std::vector<TicketTerms>& tickets, const std::vector<bool>& open, const std::string& term)
{
    int n = 0;
    for (std::size_t i = 0; i < tickets.size(); ++i)
        n += open[i] && has_term(tickets[i], term) ? 1 : 0;
    return n;
}

// The term of the tickets in `open` found in the most of them, within the limits; empty if none.
std::string best_term(const std::vector<TicketTerms>& tickets, const std::vector<bool>& open, int min_size,
                      int max_count, const std::vector<TicketTerms>& previous, const std::vector<bool>& previous_open)
{
    std::unordered_map<std::string_view, int> counts;
    for (std::size_t i = 0; i < tickets.size(); ++i)
        if (open[i])
            for (const auto& term : tickets[i].terms)
                ++counts[term];
    int top = 0;
    for (const auto& [term, count] : counts)
        if (count >= min_size && count <= max_count)
            top = std::max(top, count);
    if (top == 0)
        return {};
    std::optional<Candidate> best;
    for (const auto& [term, count] : counts) {
        if (count != top)
            continue;
        Candidate c{std::string(term), count, count_with(previous, previous_open, std::string(term)),
                    places_of(tickets, open, std::string(term))};
        if (!best || better(c, *best))
            best = std::move(c);
    }
    return best->term;
}

// The words the group's tickets use: its phrase found in most of them (at least 60 %) when the term
// is a single word, else the term's own most common surface.
std::string name_of(const std::string& term, const std::vector<TicketTerms>& tickets,
                    const std::vector<std::size_t>& members)
{
    auto surface_of = [&](const std::string& t) {
        std::map<std::string, int> surfaces;
        for (std::size_t i : members)
            if (auto it = tickets[i].surfaces.find(t); it != tickets[i].surfaces.end())
                ++surfaces[it->second];
        std::string best;
        int count = 0;
        for (const auto& [s, n] : surfaces)
            if (n > count) {
                best = s;
                count = n;
            }
        return best;
    };
    if (!is_phrase(term)) {
        std::map<std::string, int> phrases;
        for (std::size_t i : members)
            for (const auto& t : tickets[i].terms)
                if (is_phrase(t) && (t.starts_with(term + " ") || t.ends_with(" " + term)))
                    ++phrases[t];
        std::string best;
        int count = 0;
        for (const auto& [p, n] : phrases)
            if (n > count) {
                best = p;
                count = n;
            }
        if (!best.empty() && count * 10 >= static_cast<int>(members.size()) * 6)
            return surface_of(best);
    }
    return surface_of(term);
}

}  // namespace

bool has_term(const TicketTerms& ticket, const std::string& term)
{
    return std::binary_search(ticket.terms.begin(), ticket.terms.end(), term);
}

std::vector<RecurringGroup> find_recurring(const std::vector<TicketTerms>& current,
                                           const std::vector<TicketTerms>& previous, const RecurringOptions& options)
{
    std::vector<RecurringGroup> groups;
    std::vector<bool> open(current.size(), true);
    std::vector<bool> previous_open(previous.size(), true);
    // In a small period (under 20 tickets) every word is "in most tickets": the share says nothing there.
    int max_count =
        current.size() < 20
            ? static_cast<int>(current.size())
            : std::max(options.min_size, static_cast<int>(options.max_share * static_cast<double>(current.size())));
    while (static_cast<int>(groups.size()) < options.max_groups) {
        std::string term = best_term(current, open, options.min_size, max_count, previous, previous_open);
        if (term.empty())
            break;
        RecurringGroup g;
        g.term = term;
        g.made = static_cast<int>(groups.size());
        std::set<std::string> languages;
        for (std::size_t i = 0; i < current.size(); ++i)
            if (open[i] && has_term(current[i], term)) {
                open[i] = false;
                g.tickets.push_back(i);
                languages.insert(current[i].language);
            }
        for (std::size_t i = 0; i < previous.size(); ++i)
            if (previous_open[i] && has_term(previous[i], term)) {
                previous_open[i] = false;
                ++g.previous;
            }
        g.size = static_cast<int>(g.tickets.size());
        g.change = g.size - g.previous;
        g.rising = g.size > g.previous;
        g.languages.assign(languages.begin(), languages.end());
        g.name = name_of(term, current, g.tickets);
        groups.push_back(std::move(g));
    }
    // Rising problems first, the fastest rising first; then the largest.
    std::stable_sort(groups.begin(), groups.end(), [](const RecurringGroup& a, const RecurringGroup& b) {
        if (a.rising != b.rising)
            return a.rising;
        if (a.rising && a.change != b.change)
            return a.change > b.change;
        return a.size > b.size;
    });
    return groups;
}

std::string problem_term(const TicketTerms& ticket, const std::vector<TicketTerms>& window,
                         const std::vector<TicketTerms>& around, const RecurringOptions& options)
{
    // The ticket is in the first group made whose term it has.
    auto groups = find_recurring(window, around, options);
    std::sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a.made < b.made; });
    for (const auto& g : groups)
        if (has_term(ticket, g.term))
            return g.term;
    std::string best;
    int best_count = 0;
    for (const auto& term : ticket.terms) {
        int count = 0;
        for (const auto& other : window)
            count += has_term(other, term) ? 1 : 0;
        if (count >= 2 && (best.empty() || better(Candidate{term, count, 0, 0}, Candidate{best, best_count, 0, 0}))) {
            best = term;
            best_count = count;
        }
    }
    return best;
}

}  // namespace redress::reports
