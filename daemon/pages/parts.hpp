#pragma once
// Pieces every customer page shares: the language switch, the refusal box, and the two pages that
// stand in for any other (nothing here; try again later).

#include <string>
#include <string_view>

namespace redress::pages {

// Links to this page in each language we speak (?lang=xx), the current one marked.
std::string language_switch(std::string_view current);
// A refusal or a notice, announced to screen readers when the page loads.
std::string alert_box(std::string_view html, bool problem);

// 404: the same page whatever is missing (a ticket, or a link's signature), so that it tells nothing.
std::string render_not_found(std::string_view language, std::string_view root);
// 410: a link we made whose ticket was closed longer ago than links live (or was erased); it says no
// more than that, not the number nor when.
std::string render_link_expired(std::string_view language, std::string_view root);
// 503: the store is busy; nothing was done.
std::string render_try_later(std::string_view language, std::string_view root);

}  // namespace redress::pages
