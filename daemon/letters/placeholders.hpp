#pragma once
// The vocabulary of letter templates: every {{name}} a template may use. A name outside this list is
// a load-time error, so a typo in a template stops `redress check` instead of reaching a customer.
// templates/README.md documents each name; keep the two in step.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::letters {

// The values a letter is rendered with, keyed by placeholder name ("ticket.number" -> "RD-000123").
// Times are already written for people (format_time_for_letter), so templates never format.
using Values = std::map<std::string, std::string, std::less<>>;

// Every known placeholder name, sorted.
const std::vector<std::string_view>& known_placeholders();
bool is_known_placeholder(std::string_view name);

// The known name closest to a misspelt one ("tiket.number" -> "ticket.number"), if one is close.
std::optional<std::string_view> suggest_placeholder(std::string_view unknown);

}  // namespace redress::letters
