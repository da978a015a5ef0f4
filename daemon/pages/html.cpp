#include "html.hpp"

#include <algorithm>

namespace redress::pages {

std::string html_escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

namespace {

std::string fill_slots(std::string_view words,
                       std::initializer_list<std::pair<std::string_view, std::string_view>> values, bool escape)
{
    // One pass over our words: a value is never read again for slots, whatever braces it holds.
    std::string escaped = html_escape(words);
    std::string_view text = escaped;
    std::string out;
    while (!text.empty()) {
        auto open = text.find('{');
        auto close = open == std::string_view::npos ? open : text.find('}', open);
        if (close == std::string_view::npos) {
            out += text;
            break;
        }
        out += text.substr(0, open);
        std::string_view name = text.substr(open + 1, close - open - 1);
        const auto* value = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == name; });
        if (value == values.end())
            out += text.substr(open, close - open + 1);
        else
            out += escape ? html_escape(value->second) : std::string(value->second);
        text.remove_prefix(close + 1);
    }
    return out;
}

}  // namespace

std::string fill(std::string_view words, std::initializer_list<std::pair<std::string_view, std::string_view>> values)
{
    return fill_slots(words, values, true);
}

std::string fill_markup(std::string_view words,
                        std::initializer_list<std::pair<std::string_view, std::string_view>> markup)
{
    return fill_slots(words, markup, false);
}

std::string render_page(const PageFrame& frame, std::string_view content)
{
    std::string html = "<!DOCTYPE html>\n<html lang=\"" + html_escape(frame.language) +
                       "\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<meta name=\"robots\" content=\"noindex\">\n<title>" +
                       html_escape(frame.title) + "</title>\n<link rel=\"stylesheet\" href=\"" +
                       html_escape(frame.root) + "customer/customer.css\">\n";
    if (!frame.script.empty())
        html += "<script type=\"module\" src=\"" + html_escape(frame.root) + "customer/" + html_escape(frame.script) +
                "\"></script>\n";
    html += "</head>\n<body>\n<main>\n";
    html += content;
    html += "</main>\n";
    if (!frame.footer.empty())
        html += "<footer>" + html_escape(frame.footer) + "</footer>\n";
    html += "</body>\n</html>\n";
    return html;
}

}  // namespace redress::pages
