// redress_bench_reports: how long the reports take over a large generated history, next to a plain
// full scan of the same tickets in the same run (bench/README.md). Not a test: figures, not asserts.
//
// The history: N tickets spread over three years (complaints, questions, thanks; four languages;
// clocks, verdicts, codes, ratings; short texts of which some repeat, so recurring groups exist),
// written through the store's own transactions into a fresh SQLite file, with the report aggregates
// kept by the store's commits as in the daemon.

#include "reports/report.hpp"
#include "store/sqlite_store.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
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
    const char* channels[] = {"email", "email", "chat", "telegram", "form"};
    const char* departments[] = {"", "delivery", "quality", "returns"};
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
            t.channel = channels[pick(5)];
            t.department = departments[pick(4)];
            t.severity = pick(10) == 0 ? Severity::major : Severity::normal;
            t.source = "bench";
            t.subject = "Order " + std::to_string(done);
            t.first_response_due = t.received_at + Seconds{8 * 3600};
            t.resolution_due = t.received_at + Seconds{5 * 86400};
            if (pick(4))
                t.first_responded_at = t.received_at + Seconds{600 + pick(36000)};
            // Old tickets are almost all resolved; of the last two months, half are still open.
            bool old = t.received_at < end - Seconds{60L * 86400};
            if (old ? pick(50) != 0 : pick(2) != 0) {
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
            tx->add_audit(AuditEvent{0, stored.id, t.received_at + Seconds{5 + pick(120)}, "system",
                                     "clock.acknowledged", "{}"})
                .value();
            if (t.closed_at && pick(3) == 0)
                tx->add_rating(Rating{0, stored.id, 1 + pick(5), "", "link", *t.closed_at, ""}).value();
        }
        tx->commit().value();
    }
}

struct Timing {
    double p50 = 0, p99 = 0;
};

// p50 and p99 (nearest rank) of `runs` timed calls.
template <class Fn> Timing time_runs(int runs, Fn&& fn)
{
    std::vector<double> times;
    for (int r = 0; r < runs; ++r) {
        auto t0 = SteadyClock::now();
        fn();
        times.push_back(seconds_since(t0));
    }
    std::sort(times.begin(), times.end());
    auto rank = [&](int percent) {
        std::size_t k = (static_cast<std::size_t>(percent) * times.size() + 99) / 100;
        return times[std::max<std::size_t>(k, 1) - 1];
    };
    return Timing{rank(50), rank(99)};
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"redress_bench_reports: the reports over a generated history, next to a full scan"};
    long tickets = 1'000'000;
    int runs = 20;
    int scan_runs = 3;
    bool keep = false;
    std::string reuse;
    app.add_option("--tickets", tickets, "How many tickets to generate (default 1000000)");
    app.add_option("--runs", runs, "Timed runs of each summary (default 20; p50 and p99 are shown)");
    app.add_option("--scan-runs", scan_runs, "Timed runs of the full scans (default 3)");
    app.add_option("--store", reuse, "Use this store (kept from an earlier --keep run) instead of generating one");
    app.add_flag("--keep", keep, "Keep the SQLite file");
    bool parts = false;
    app.add_flag("--parts", parts, "Also show how long each part of a summary took (p50 over the runs)");
    bool rebuild = false;
    app.add_flag("--rebuild", rebuild, "Also time a rebuild of the aggregates from every ticket (the back-fill)");
    CLI11_PARSE(app, argc, argv);

    auto dir = std::filesystem::temp_directory_path() / ("redress-bench-reports-" + std::to_string(::getpid()));
    std::filesystem::path file = reuse.empty() ? dir / "redress.db" : std::filesystem::path(reuse);
    if (reuse.empty())
        std::filesystem::create_directories(dir);
    auto store = store::SqliteStore::open(file).value();
    const TimePoint end = parse_iso8601("2026-11-30T00:00:00Z").value();

    reports::ReportContext context;
    context.time_zone = "Europe/Berlin";  // a zone with DST: local days are not UTC days
    context.now = end;
    // The aggregates are kept by the store's own commits, as in the daemon: set before generating.
    auto started = SteadyClock::now();
    // Batch by batch as the daemon runs a rebuild (a reused store of an older version rebuilds here):
    // the longest batch is the longest the store is held.
    auto rebuild_batches = [&](const reports::ReportContext& c) {
        auto t0 = SteadyClock::now();
        auto state = store->start_report_aggregates(reports::aggregation_of(c)).value();
        double longest = seconds_since(t0);
        int batches = 0;
        while (state.running) {
            auto b0 = SteadyClock::now();
            state = store->step_report_rebuild(2000).value();
            longest = std::max(longest, seconds_since(b0));
            ++batches;
        }
        return std::pair{batches, longest};
    };
    auto [batches, longest] = rebuild_batches(context);
    if (reuse.empty()) {
        generate(*store, tickets, end);
        std::printf("generated %ld tickets in %.1f s, aggregates kept at every commit (%s)\n", tickets,
                    seconds_since(started), file.c_str());
    } else {
        std::printf("reused %s (aggregates brought up to date in %.1f s: %d batches of 2000, the longest %.3f s)\n",
                    file.c_str(), seconds_since(started), batches, longest);
    }

    // The reference: every ticket read through the plain list query, no filter (a full scan).
    std::size_t scanned = 0;
    Timing scan = time_runs(scan_runs, [&] {
        store::TicketFilter all;
        all.limit = -1;
        scanned = store->list_tickets(all).value().size();
    });
    std::printf("%-58s %9.3f s  p99 %8.3f s  (%d runs)\n",
                ("full scan (list_tickets, " + std::to_string(scanned) + " rows)").c_str(), scan.p50, scan.p99,
                scan_runs);

    auto request = [](std::string from, std::string to) {
        reports::ReportRequest r;
        r.from = std::move(from);
        r.to = std::move(to);
        return r;
    };
    // --parts: each part's time per run, by the summary's own clock (ReportContext::timed).
    std::vector<std::string> part_order;
    std::map<std::string, std::vector<double>> part_times;
    if (parts)
        context.timed = [&](const std::string& part, double seconds) {
            if (!part_times.contains(part))
                part_order.push_back(part);
            part_times[part].push_back(seconds);
        };
    auto show = [&](const std::string& what, int n, auto&& fn) {
        long count = 0;
        part_order.clear();
        part_times.clear();
        Timing t = time_runs(n, [&] { count = fn(); });
        std::printf("%-58s %9.3f s  p99 %8.3f s  (%d runs)  ratio to the scan %.4f\n",
                    (what + " (" + std::to_string(count) + " tickets)").c_str(), t.p50, t.p99, n, t.p50 / scan.p50);
        for (const auto& part : part_order) {
            auto& times = part_times[part];
            std::sort(times.begin(), times.end());
            std::printf("    %-54s %9.4f s  (p50 of %zu)\n", part.c_str(), times[(times.size() - 1) / 2], times.size());
        }
    };
    auto summary = [&](const reports::ReportRequest& r) {
        return [&store, &context, r] { return reports::summary(*store, r, context).value()["tickets"].get<long>(); };
    };
    auto whole = request("2023-11-01", "2026-11-29");
    show("summary by scan, whole history (the old path)", scan_runs,
         [&] { return reports::summary_by_scan(*store, whole, context).value()["tickets"].get<long>(); });
    show("summary, 30 days", runs, summary(request("2026-10-31", "2026-11-29")));
    show("summary, 30 days (one calendar month)", runs, summary(request("2026-10-01", "2026-10-31")));
    show("summary, a year", runs, summary(request("2025-11-30", "2026-11-29")));
    show("summary, whole history", runs, summary(whole));
    // What of the summary is the recurring problems (bounded to the newest complaints of the period
    // and of the previous one), the rest being the figures from the aggregates.
    show("recurring problems alone, whole history", runs,
         [&] { return reports::recurring(*store, whole, context).value()["tickets"].get<long>(); });
    show("recurring problems alone, a year", runs, [&] {
        return reports::recurring(*store, request("2025-11-30", "2026-11-29"), context).value()["tickets"].get<long>();
    });
    auto complaints = whole;
    complaints.filter.kind = Kind::complaint;
    show("summary, whole history, kind=complaint", runs, summary(complaints));
    auto russian = whole;
    russian.filter.language = "ru";
    show("summary, whole history, language=ru", runs, summary(russian));
    auto two = whole;
    two.filter.language = "ru";
    two.filter.channel = "chat";
    show("summary, whole history, language=ru channel=chat", runs, summary(two));
    auto year_two = request("2025-11-30", "2026-11-29");
    year_two.filter.department = "delivery";
    year_two.filter.severity = Severity::major;
    show("summary, a year, department=delivery severity=major", runs, summary(year_two));

    // What keeping the aggregates costs a ticket's transaction: one ticket changed and committed.
    {
        auto some = store->list_tickets(store::TicketFilter{}).value();
        std::size_t i = 0;
        Timing one = time_runs(runs, [&] {
            auto tx = store->begin().value();
            Ticket t = some[i++ % some.size()];
            t.version = tx->ticket_by_id(t.id).value()->version;
            t.first_responded_at = t.received_at + Seconds{1200 + static_cast<long>(i)};
            tx->update_ticket(t).value();
            tx->commit().value();
        });
        std::printf("%-58s %9.4f s  p99 %8.4f s  (%d runs)\n", "one ticket changed and committed, with the aggregates",
                    one.p50, one.p99, runs);
    }
    if (rebuild) {
        // The back-fill: every aggregate built again from the tickets, as after the upgrade or a new
        // zone or calendar (here the zone UTC), then back to the company's zone.
        reports::ReportContext utc = context;
        utc.time_zone = "UTC";
        auto t0 = SteadyClock::now();
        auto [n, most] = rebuild_batches(utc);
        std::printf("%-58s %9.1f s  (%d batches of 2000, the longest %.3f s)\n",
                    "aggregates rebuilt from every ticket (another zone)", seconds_since(t0), n, most);
        store->prepare_report_aggregates(reports::aggregation_of(context)).value();
    }
    if (!keep && reuse.empty())
        std::filesystem::remove_all(dir);
    return 0;
}
