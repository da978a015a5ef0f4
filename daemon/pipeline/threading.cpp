#include "threading.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <cctype>

namespace redress::pipeline {

std::optional<std::string> ticket_tag(std::string_view subject, std::string_view prefix)
{
    if (prefix.empty())
        return std::nullopt;
    for (std::size_t pos = subject.find('['); pos != std::string_view::npos; pos = subject.find('[', pos + 1)) {
        std::string_view rest = subject.substr(pos + 1);
        if (!istarts_with(rest, prefix) || rest.size() <= prefix.size() || rest[prefix.size()] != '-')
            continue;
        std::string_view digits = rest.substr(prefix.size() + 1);
        std::size_t n = 0;
        while (n < digits.size() && std::isdigit(static_cast<unsigned char>(digits[n])))
            ++n;
        if (n == 0 || n > 12 || n >= digits.size() || digits[n] != ']')
            continue;
        // Tickets are numbered with six digits at least; "[rd-42]" still means RD-000042.
        std::string number(digits.substr(0, n));
        if (number.size() < 6)
            number.insert(0, 6 - number.size(), '0');
        return ascii_lower(prefix).empty() ? std::nullopt : std::optional<std::string>([&] {
            std::string p(prefix);
            std::transform(p.begin(), p.end(), p.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
            return p + "-" + number;
        }());
    }
    return std::nullopt;
}

std::vector<std::string> thread_message_ids(const Message& message)
{
    std::vector<std::string> ids = message.references;
    if (!message.in_reply_to.empty() && std::find(ids.begin(), ids.end(), message.in_reply_to) == ids.end())
        ids.push_back(message.in_reply_to);
    return ids;
}

std::string tagged_subject(std::string_view subject, std::string_view number)
{
    std::string tag = "[" + std::string(number) + "]";
    if (icontains(subject, tag))
        return std::string(subject);
    if (subject.empty())
        return tag;
    return tag + " " + std::string(subject);
}

}  // namespace redress::pipeline
