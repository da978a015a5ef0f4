// redress_bench_reports: how long the reports take over a large generated history, next to a plain
// full scan of the same tickets in the same run (bench/README.md). Not a test: figures, not asserts.
//
// The history: N tickets spread over three years (complaints, questions, thanks; four languages;
// clocks, verdicts, codes, ratings; short texts of which some repeat, so recurring groups exist),
// written through the store's own transactions into a fresh SQLite file.

#include "reports/report.hpp"
#include "store/sqlite_store.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <vector>

using namespace redress;

namespace {

using SteadyClock = std::chrono::steady_clock;

double seconds_since(SteadyClock::time_point start)
{
    return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

const char* k_problems[] = {"The kettle lid cracked",        "Courier was rude at the door",
                            "Refund never arrived",          "Zipper broke on the jacket",
                            "Blender motor smells burnt",    "Wrong colour delivered",
                            "Упаковка порвана при доставке", "Пульт не работает",
                            "Die Lieferung kam zu spät"};

void generate(store::Store& store, long count, TimePoint end)
{
    std::mt19937 random(19);
    auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(random); };
    const Seconds span{3L * 365 * 86400};
    const char* languages[] = {"en", "en", "ru", "de"};
    const Kind kinds[] = {Kind::complaint, Kind::complaint, Kind::question, Kind::gratitude};
    constexpr long k_batch = 2000;
    for (long done = 0; done < count;) {
        auto tx = store.begin().value();
        for (long i = 0; i < k_batch && done < count; ++i, ++done) {
            Ticket t;
            t.received_at = end - span + Seconds{(span.count() / count) * done};
            t.updated_at = t.received_at;
            t.kind = kinds[pick(4)];
            t.language = languages[pick(4)];
            t.channel = pick(3) ? "email" : "chat";
            t.source = "bench";
            t.subject = "Order " + std::to_string(done);
            t.first_response_due = t.received_at + Seconds{8 * 3600};
            t.resolution_due = t.received_at + Seconds{5 * 86400};
            if (pick(4))
                t.first_responded_at = t.received_at + Seconds{600 + pick(36000)};
            if (pick(2)) {
                t.resolved_at = t.received_at + Seconds{3600 + pick(600000)};
                t.status = TicketStatus::closed;
                t.closed_at = t.resolved_at;
                t.resolution_code = pick(2) ? "FIXED" : "REFUND";
            }
            if (t.kind == Kind::complaint)
                t.verdict = pick(3) ? "justified" : "unjustified";
            Ticket stored = tx->create_ticket(t, "RD").value();
            StoredMessage m;
            m.ticket_id = stored.id;
            m.channel = t.channel;
            m.source = "bench";
            m.source_key = "bench:" + std::to_string(done);
            m.text = pick(3) ? std::string(k_problems[pick(9)]) : "Something else entirely " + std::to_string(done);
            m.received_at = t.received_at;
            m.kind = t.kind;
            tx->add_message(m).value();
            tx->add_audit(AuditEvent{0, stored.id, t.received_at + Seconds{30}, "system", "clock.acknowledged", "{}"})
                .value();
            if (t.closed_at && pick(3) == 0)
                tx->add_rating(Rating{0, stored.id, 1 + pick(5), "", "link", *t.closed_at}).value();
        }
        tx->commit().value();
    }
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"redress_bench_reports: the reports over a generated history, next to a full scan"};
    long tickets = 1'000'000;
    int runs = 3;
    bool keep = false;
    app.add_option("--tickets", tickets, "How many tickets to generate (default 1000000)");
    app.add_option("--runs", runs, "Timed runs of each measurement (default 3; the median is shown)");
    app.add_flag("--keep", keep, "Keep the SQLite file");
    CLI11_PARSE(app, argc, argv);

    auto dir = std::filesystem::temp_directory_path() / ("redress-bench-reports-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto store = store::SqliteStore::open(dir / "redress.db").value();
    const TimePoint end = parse_iso8601("2026-11-30T00:00:00Z").value();
    auto started = SteadyClock::now();
    generate(*store, tickets, end);
    std::printf("generated %ld tickets in %.1f s (%s)\n", tickets, seconds_since(started),
                (dir / "redress.db").c_str());

    reports::ReportContext context;
    context.time_zone = "UTC";
    context.now = end;
    auto median_of = [&](auto&& fn) {
        std::vector<double> times;
        for (int r = 0; r < runs; ++r) {
            auto t0 = SteadyClock::now();
            fn();
            times.push_back(seconds_since(t0));
        }
        std::sort(times.begin(), times.end());
        return times[times.size() / 2];
    };

    // The reference: every ticket read through the plain list query, no filter (a full scan).
    std::size_t scanned = 0;
    double scan = median_of([&] {
        store::TicketFilter all;
        all.limit = -1;
        scanned = store->list_tickets(all).value().size();
    });
    // The rows the figures read, over the whole history.
    double rows = median_of([&] {
        store::ReportFilter all;
        (void)store->report_tickets(all).value();
    });
    reports::ReportRequest month;
    month.from = "2026-10-31";
    month.to = "2026-11-29";
    long month_tickets = 0;
    double summary_month = median_of([&] {
        auto s = reports::summary(*store, month, context).value();
        month_tickets = s["tickets"].get<long>();
    });
    reports::ReportRequest everything;
    everything.from = "2023-11-01";
    everything.to = "2026-11-29";
    long all_tickets = 0;
    double summary_all = median_of([&] {
        auto s = reports::summary(*store, everything, context).value();
        all_tickets = s["tickets"].get<long>();
    });

    std::printf("full scan (list_tickets, %zu rows):            %8.3f s\n", scanned, scan);
    std::printf("report rows, whole history:                    %8.3f s   ratio to the scan %.2f\n", rows, rows / scan);
    std::printf("summary, 30 days (%ld tickets):             %8.3f s   ratio to the scan %.3f\n", month_tickets,
                summary_month, summary_month / scan);
    std::printf("summary, whole history (%ld tickets):     %8.3f s   ratio to the scan %.2f\n", all_tickets,
                summary_all, summary_all / scan);
    if (!keep)
        std::filesystem::remove_all(dir);
    return 0;
}
