#pragma once
// HTML for the customer pages, written here and nowhere else: one escaping function that every value
// passes through, and the frame every page shares (language, title, the stylesheet file, an optional
// script module file). No inline script and no style attribute anywhere: the server's
// Content-Security-Policy forbids both (daemon/http/http_server.cpp).

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace redress::pages {

// Text made safe inside HTML elements and attribute values (&, <, >, " and '). Whatever a customer
// or the store gives a page goes through here; so do our own words.
std::string html_escape(std::string_view text);

// Our words with {name} slots filled: the words are escaped, then each value escaped into its slot.
std::string fill(std::string_view words, std::initializer_list<std::pair<std::string_view, std::string_view>> values);
// The same with values that are HTML already (made by the caller from escaped parts), put in as they are.
std::string fill_markup(std::string_view words,
                        std::initializer_list<std::pair<std::string_view, std::string_view>> markup);

struct PageFrame {
    std::string language;  // <html lang>
    std::string title;     // plain text
    std::string root;  // the way from this page's folder back to the root: "" or "../../" (the proxy may add a prefix)
    std::string script;  // a script module under customer/, or empty
    std::string footer;  // plain text (the company's name)
};

// The whole document around `content` (already HTML).
std::string render_page(const PageFrame& frame, std::string_view content);

}  // namespace redress::pages
