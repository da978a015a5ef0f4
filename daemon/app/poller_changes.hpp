#pragma once
// What a reload (SIGHUP) does to the running pollers of mailboxes and chats: each is known by its
// name, and its settings are compared as a whole (the settings type's operator==). Pure, so the
// decision is tested apart from the threads that follow it (channels.cpp).

#include <map>
#include <string>
#include <vector>

namespace redress::app {

struct PollerChanges {
    std::vector<std::string> kept;     // the same settings: the poller runs on, its connection too
    std::vector<std::string> changed;  // other settings: stopped, then started with the new ones
    std::vector<std::string> removed;  // gone from the config: stopped
    std::vector<std::string> added;    // new in the config: started
};

// `running`: the settings each running poller was started with; `wanted`: what the reloaded config
// asks for. Each list comes in name order.
template <class Settings>
PollerChanges compare_pollers(const std::map<std::string, Settings>& running,
                              const std::map<std::string, Settings>& wanted)
{
    PollerChanges changes;
    for (const auto& [name, settings] : running) {
        auto now = wanted.find(name);
        if (now == wanted.end())
            changes.removed.push_back(name);
        else if (now->second == settings)
            changes.kept.push_back(name);
        else
            changes.changed.push_back(name);
    }
    for (const auto& [name, settings] : wanted)
        if (!running.contains(name))
            changes.added.push_back(name);
    return changes;
}

}  // namespace redress::app
