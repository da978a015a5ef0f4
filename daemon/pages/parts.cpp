#include "parts.hpp"

#include "html.hpp"
#include "words.hpp"

namespace redress::pages {

std::string language_switch(std::string_view current)
{
    const Words& w = words_for(current);
    std::string out = "<nav class=\"languages\" aria-label=\"" + html_escape(w.languages_label) + "\"><ul>\n";
    for (std::string_view code : page_languages()) {
        std::string name = html_escape(words_for(code).language_name);
        std::string lang = html_escape(code);
        if (code == current)
            out += "<li><span lang=\"" + lang + "\" aria-current=\"true\">" + name + "</span></li>\n";
        else
            out += "<li><a href=\"?lang=" + lang + "\" lang=\"" + lang + "\" hreflang=\"" + lang + "\">" + name +
                   "</a></li>\n";
    }
    return out + "</ul></nav>\n";
}

std::string alert_box(std::string_view html, bool problem)
{
    return std::string("<div class=\"") + (problem ? "problem" : "notice") + "\" role=\"" +
           (problem ? "alert" : "status") + "\"><p>" + std::string(html) + "</p></div>\n";
}

namespace {
// A page of a heading and one paragraph in the visitor's language: the answers that are no form.
std::string render_notice(std::string_view language, std::string_view root, std::string_view title,
                          std::string_view text)
{
    std::string content = "<h1>" + html_escape(title) + "</h1>\n<p>" + html_escape(text) + "</p>\n";
    return render_page(PageFrame{page_language(language), std::string(title), std::string(root), "", ""}, content);
}
}  // namespace

std::string render_not_found(std::string_view language, std::string_view root)
{
    const Words& w = words_for(language);
    return render_notice(language, root, w.not_found_title, w.not_found_text);
}

std::string render_link_expired(std::string_view language, std::string_view root)
{
    const Words& w = words_for(language);
    return render_notice(language, root, w.link_expired_title, w.link_expired_text);
}

std::string render_try_later(std::string_view language, std::string_view root)
{
    const Words& w = words_for(language);
    return render_notice(language, root, w.try_later_title, w.try_later_text);
}

}  // namespace redress::pages
