#pragma once
// Structured logs: one line per event, "2026-11-26T09:15:00Z info ticket.created ticket=RD-000001 kind=complaint".
// The level can be changed while the daemon runs (SIGHUP reloads it from config). Never log a
// secret or a message body at info level.

#include <atomic>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace redress::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

void set_level(Level level);
Level level();
bool parse_level(std::string_view text, Level& out);

using Field = std::pair<std::string_view, std::string>;

// Writes to stderr; values with spaces or quotes are quoted.
void write(Level level, std::string_view event, std::initializer_list<Field> fields = {});

inline void debug(std::string_view event, std::initializer_list<Field> fields = {})
{
    write(Level::debug, event, fields);
}
inline void info(std::string_view event, std::initializer_list<Field> fields = {})
{
    write(Level::info, event, fields);
}
inline void warn(std::string_view event, std::initializer_list<Field> fields = {})
{
    write(Level::warn, event, fields);
}
inline void error(std::string_view event, std::initializer_list<Field> fields = {})
{
    write(Level::error, event, fields);
}

}  // namespace redress::log
