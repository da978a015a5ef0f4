#pragma once
// What the classifier decided about a message, with the reasons that fired.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress {

enum class Kind { complaint, gratitude, question, suggestion, spam, automatic, other };
enum class Severity { normal, major };

std::string_view to_string(Kind kind);
std::optional<Kind> kind_from_string(std::string_view text);
std::string_view to_string(Severity severity);
std::optional<Severity> severity_from_string(std::string_view text);

struct Classification {
    Kind kind = Kind::other;
    Severity severity = Severity::normal;
    std::string language = "en";       // ISO 639-1
    double confidence = 0.0;           // 0..1, for kind
    bool bulk = false;                 // Precedence: bulk/list or List-Id: no automatic answers
    std::vector<std::string> reasons;  // "header Auto-Submitted: auto-replied", "rule en/complaint: refund"
};

}  // namespace redress
