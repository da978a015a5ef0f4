#pragma once
// The files the customer pages load: the stylesheet and the complaint form's script module, from
// web/customer/ in the source tree, compiled into the daemon so the public pages never depend on
// where it was installed.

#include <optional>
#include <string_view>

namespace redress::pages {

struct Asset {
    std::string_view content_type;
    std::string_view body;
};

// "customer.css", "complain.js"; nullopt for any other name.
std::optional<Asset> customer_asset(std::string_view name);

}  // namespace redress::pages
