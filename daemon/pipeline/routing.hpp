#pragma once
// workflow.departments: which department and category a new message belongs to, by the keywords
// each category lists per language. Words are matched after the classifier's folding and stemming,
// so "couriers" meets "courier" and "доставки" meets "доставка". Pure.

#include "config/config.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace redress::pipeline {

struct Routed {
    std::string department;
    std::string category;
    std::string keyword;  // the keyword that matched, for the audit
};

// The first category (in config order) one of whose keywords for `language` occurs in the subject
// or the text as whole words; nullopt when none does.
std::optional<Routed> route_by_keywords(const config::Workflow& workflow, std::string_view language,
                                        std::string_view subject, std::string_view text);

}  // namespace redress::pipeline
