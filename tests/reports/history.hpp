#pragma once
// A generated history for the report tests: tickets with their clocks, verdicts, codes, surveys and
// ratings, recurring problems and process fixes, written into a real SQLite store through the store's
// transactions, and the generator's own record of what it wrote, from which the tests count the
// figures again without the code under test.

#include "store/sqlite_store.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace redress::test {

struct GeneratedTicket {
    Ticket ticket;
    std::string text;
    std::optional<TimePoint> acknowledged_at;
    bool surveyed = false;
    std::optional<int> rating;  // the newest
    std::string problem;        // "" or the generated problem's name
};

struct GeneratedAction {
    CorrectiveAction action;
    std::string number;
    std::string problem;
};

struct History {
    std::vector<GeneratedTicket> tickets;
    std::vector<GeneratedAction> actions;
};

// The company's zone in the tests: Moscow, UTC+3 all year (no DST since 2014).
inline constexpr const char* k_zone = "Europe/Moscow";
inline constexpr long k_zone_offset = 3 * 3600;

// "2026-10-05T12:00:00" Moscow time as an instant.
TimePoint moscow(const std::string& local);

// Writes the standard history into `store`: background tickets over 2026-08-01..2026-11-30, the
// problems "kettle lid" (rising: 2 in September, 9 in October), "courier rude" (6, then 5),
// "упаковка порвана" (1, then 4), "blender smell" (6 in the 28 days before its fix on 2026-10-10, none
// after) and "zipper" (4 before its fix on 2026-10-12, 5 after), and open actions.
History write_history(store::Store& store, unsigned seed = 19);

}  // namespace redress::test
