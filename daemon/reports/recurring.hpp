#pragma once
// Recurring problems: the complaints of a period grouped by the term they share (terms.hpp), the
// largest first, each named by the words its tickets use, with its size in the previous period of
// equal length, rising problems first.
//
// The grouping is greedy and explainable: the term found in the most tickets still ungrouped (a
// phrase before a single word found in the same number) makes a group of those tickets; repeat
// until no term is found in `min_size` tickets. A term found in more than `max_share` of the
// period's tickets (of 20 or more) says nothing about a problem ("delivery" at a shop that only ships)
// and is left out. The previous period's tickets are put into the same groups in the same order, so the two
// sizes count alike.

#include "terms.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace redress::reports {

struct RecurringOptions {
    int min_size = 3;
    double max_share = 0.5;
    int max_groups = 20;
};

struct RecurringGroup {
    std::string term;                    // the stems that define it: "kettl lid"
    std::string name;                    // the words its tickets use most: "kettle lid"
    std::vector<std::size_t> tickets;    // indexes into the period's tickets
    std::vector<std::string> languages;  // of its tickets, sorted
    int size = 0;
    int previous = 0;  // tickets of the previous period in this group
    int change = 0;    // size - previous
    bool rising = false;
    int made = 0;  // the order the groups were made in (a ticket is in the first made that has its term)
};

std::vector<RecurringGroup> find_recurring(const std::vector<TicketTerms>& current,
                                           const std::vector<TicketTerms>& previous,
                                           const RecurringOptions& options = {});

// Which of a ticket's terms best names its problem among the tickets of a window: the group the
// ticket falls into when the window is grouped, or else its term most often found in the window (in
// at least two tickets). Equally common wordings are told apart by how often each is found in
// `around` (for a fix: the complaints after it, so that the same problem worded the other way round
// is still the same problem). Empty when there is none.
std::string problem_term(const TicketTerms& ticket, const std::vector<TicketTerms>& window,
                         const std::vector<TicketTerms>& around, const RecurringOptions& options = {});

// Whether a ticket has a term (binary search over its sorted terms).
bool has_term(const TicketTerms& ticket, const std::string& term);

}  // namespace redress::reports
