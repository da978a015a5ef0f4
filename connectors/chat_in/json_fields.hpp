#pragma once
// Reading a platform's JSON without exceptions: a field of the wrong type reads as absent, so a
// payload that lacks what we need is refused by the reader's own checks (400), never by a throw.

#include <nlohmann/json.hpp>

#include <string>

namespace redress::connectors::chat_in {

inline std::string text_of(const nlohmann::json& j, const char* key)
{
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

inline bool flag_of(const nlohmann::json& j, const char* key)
{
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace redress::connectors::chat_in
