#include "log.hpp"

#include "time.hpp"

#include <cstdio>
#include <mutex>

namespace redress::log {

namespace {
std::atomic<Level> g_level{Level::info};
std::mutex g_write_mutex;

constexpr std::string_view name_of(Level level)
{
    switch (level) {
    case Level::debug:
        return "debug";
    case Level::info:
        return "info";
    case Level::warn:
        return "warn";
    case Level::error:
        return "error";
    case Level::off:
        return "off";
    }
    return "?";
}

void append_value(std::string& line, std::string_view value)
{
    bool plain = !value.empty() && value.find_first_of(" \t\r\n\"=") == std::string_view::npos;
    if (plain) {
        line += value;
        return;
    }
    line += '"';
    for (char c : value) {
        if (c == '"' || c == '\\') {
            line += '\\';
            line += c;
        } else if (c == '\n')
            line += "\\n";
        else if (c == '\r')
            line += "\\r";
        else
            line += c;
    }
    line += '"';
}
}  // namespace

void set_level(Level level)
{
    g_level.store(level);
}
Level level()
{
    return g_level.load();
}

bool parse_level(std::string_view text, Level& out)
{
    for (auto l : {Level::debug, Level::info, Level::warn, Level::error, Level::off})
        if (name_of(l) == text) {
            out = l;
            return true;
        }
    return false;
}

void write(Level lvl, std::string_view event, std::initializer_list<Field> fields)
{
    if (lvl < g_level.load())
        return;
    std::string line = format_iso8601_utc(to_seconds(Clock::now()));
    line += ' ';
    line += name_of(lvl);
    line += ' ';
    line += event;
    for (auto& [key, value] : fields) {
        line += ' ';
        line += key;
        line += '=';
        append_value(line, value);
    }
    line += '\n';
    std::lock_guard lock(g_write_mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace redress::log
