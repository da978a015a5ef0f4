#include "routing.hpp"

#include "classify/text_analysis.hpp"

#include <vector>

namespace redress::pipeline {

namespace {

std::vector<std::string> stems_of(std::string_view language, std::string_view text)
{
    classify::TextAnalysis analysis;
    analysis.language = std::string(language);
    classify::tokenize(text.substr(0, classify::k_max_analysed_bytes), analysis);
    classify::stem_tokens(analysis);
    std::vector<std::string> out;
    for (const auto& token : analysis.tokens)
        if (token.type == classify::TokenType::word || token.type == classify::TokenType::number)
            out.emplace_back(analysis.stem_of(token));
    return out;
}

bool contains_sequence(const std::vector<std::string>& haystack, const std::vector<std::string>& needle)
{
    if (needle.empty() || needle.size() > haystack.size())
        return false;
    for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
        std::size_t k = 0;
        while (k < needle.size() && haystack[i + k] == needle[k])
            ++k;
        if (k == needle.size())
            return true;
    }
    return false;
}

}  // namespace

std::optional<Routed> route_by_keywords(const config::Workflow& workflow, std::string_view language,
                                        std::string_view subject, std::string_view text)
{
    bool any = false;
    for (const auto& d : workflow.departments)
        for (const auto& c : d.categories)
            any = any || !c.keywords.empty();
    if (!any)
        return std::nullopt;
    std::vector<std::string> words = stems_of(language, subject);
    auto body = stems_of(language, text);
    words.push_back("");  // the subject's last word and the text's first are no phrase
    words.insert(words.end(), body.begin(), body.end());
    for (const auto& d : workflow.departments)
        for (const auto& c : d.categories)
            for (const auto& [lang, keywords] : c.keywords) {
                if (lang != language)
                    continue;
                for (const auto& keyword : keywords)
                    if (contains_sequence(words, stems_of(language, keyword)))
                        return Routed{d.name, c.name, keyword};
            }
    return std::nullopt;
}

}  // namespace redress::pipeline
