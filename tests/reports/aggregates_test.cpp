// The summary from the store's aggregates (docs/reports.md, "At scale") against the same summary
// counted over every ticket (summary_by_scan) on the generated history: every key equal, for whole
// and cut months, a day of a DST change, several company zones, business time, each filter and two
// at once; and again after tickets change (reclassified, merged, resolved, rated, acknowledged),
// after writers that had no aggregation set, and for the span histogram's buckets.

#include "history.hpp"
#include "reports/report.hpp"
#include "sla/business_calendar.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

using namespace redress;
using namespace redress::test;
using nlohmann::json;

namespace {

class AggregatesTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir =
            std::filesystem::temp_directory_path() / ("redress-aggregates-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
        m_store = store::SqliteStore::open(m_dir / "redress.db").value();
        m_history = write_history(*m_store);
    }
    void TearDown() override
    {
        m_store.reset();
        std::filesystem::remove_all(m_dir);
    }

    static reports::ReportContext context(const std::string& zone = k_zone)
    {
        reports::ReportContext c;
        c.time_zone = zone;
        c.now = moscow("2026-11-15T12:00:00");
        return c;
    }
    static reports::ReportRequest period(std::string from, std::string to)
    {
        reports::ReportRequest r;
        r.from = std::move(from);
        r.to = std::move(to);
        return r;
    }

    // Both summaries of `request`, compared key by key (a differing key is named).
    void expect_same(store::Store& store, const reports::ReportRequest& request, const reports::ReportContext& c,
                     const std::string& what)
    {
        auto fast = reports::summary(store, request, c);
        auto scan = reports::summary_by_scan(store, request, c);
        ASSERT_TRUE(fast) << what << ": " << fast.error().message;
        ASSERT_TRUE(scan) << what << ": " << scan.error().message;
        for (const auto& [key, value] : scan->items())
            EXPECT_EQ((*fast)[key], value) << what << ", key " << key;
        EXPECT_EQ(fast->size(), scan->size()) << what;
        ++m_compared;
    }

    static std::vector<reports::ReportRequest> periods()
    {
        return {period("2026-10-01", "2026-10-31"), period("2026-09-15", "2026-11-14"),
                period("2026-10-25", "2026-10-25"), period("2026-11-01", "2026-11-01"),
                period("2026-08-01", "2026-11-30"), period("2026-07-20", "2026-12-10"),
                period("2026-11-01", "2026-11-30")};
    }
    static std::vector<store::ReportFilter> filters()
    {
        std::vector<store::ReportFilter> out(10);
        out[1].kind = Kind::complaint;
        out[2].channel = "chat";
        out[3].language = "ru";
        out[4].severity = Severity::major;
        out[5].department = "delivery";
        out[6].language = "ru";
        out[6].channel = "email";
        out[7].kind = Kind::question;
        out[7].department = "quality";
        out[7].severity = Severity::normal;
        out[8].language = "xx";  // matches nothing
        out[9].kind = Kind::complaint;
        out[9].severity = Severity::major;
        return out;
    }
    void expect_same_everywhere(const reports::ReportContext& c, const std::string& what)
    {
        for (const auto& p : periods())
            for (std::size_t f = 0; f < filters().size(); ++f) {
                auto request = p;
                request.filter = filters()[f];
                expect_same(*m_store, request, c, what + " " + p.from + ".." + p.to + " filter " + std::to_string(f));
            }
    }

    std::filesystem::path m_dir;
    std::unique_ptr<store::SqliteStore> m_store;
    History m_history;
    int m_compared = 0;
};

sla::BusinessCalendar office_hours(const char* zone)
{
    sla::BusinessCalendar calendar;
    calendar.set_time_zone(date::locate_zone(zone), zone);
    for (unsigned day = 1; day <= 5; ++day)
        calendar.set_weekday_hours(day, {sla::OpenPeriod{Seconds{9 * 3600}, Seconds{18 * 3600}}});
    calendar.set_weekday_hours(0, {});
    calendar.set_weekday_hours(6, {});
    return calendar;
}

TEST_F(AggregatesTest, EveryFigureEqualsTheFullScanInEveryZoneAndFilter)
{
    // Moscow (no DST), Berlin and New York (their clocks go back on 2026-10-25 and 2026-11-01),
    // Kolkata (half an hour off UTC), UTC; a zone change rebuilds the aggregates.
    for (const char* zone : {"Europe/Moscow", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"})
        expect_same_everywhere(context(zone), zone);
    EXPECT_EQ(m_compared, 5 * 7 * 10);
}

TEST_F(AggregatesTest, BusinessTimeSpansEqualTheFullScan)
{
    for (const char* zone : {"Europe/Moscow", "Europe/Berlin"}) {
        auto c = context(zone);
        c.calendar = office_hours(zone);
        expect_same_everywhere(c, std::string("office hours ") + zone);
    }
    // Back to plain time: the aggregates are built again with the new key.
    expect_same_everywhere(context(), "plain time again");
}

TEST_F(AggregatesTest, TheAggregatesFollowEveryChangeOfATicket)
{
    auto c = context("Europe/Berlin");
    expect_same(*m_store, period("2026-08-01", "2026-11-30"), c, "before");
    const TimePoint now = c.now;
    // Reclassified: complaints become questions, a question becomes a major complaint.
    int changed = 0;
    for (auto& g : m_history.tickets) {
        if (changed >= 40)
            break;
        auto tx = m_store->begin().value();
        auto t = tx->ticket_by_id(g.ticket.id).value().value();
        if (t.kind == Kind::complaint && changed % 2 == 0) {
            t.kind = Kind::question;
            t.verdict.clear();
        } else if (t.kind == Kind::question) {
            t.kind = Kind::complaint;
            t.severity = Severity::major;
        } else {
            continue;
        }
        tx->update_ticket(t).value();
        tx->add_audit(AuditEvent{0, t.id, now, "anna", "ticket.reclassified", "{}"}).value();
        tx->commit().value();
        ++changed;
    }
    ASSERT_EQ(changed, 40);
    // Merged: the later of two tickets joins the earlier; its records (acknowledgement, ratings)
    // move, it is closed and points to the survivor.
    for (std::size_t i = 100; i < 110; ++i) {
        auto tx = m_store->begin().value();
        auto from = tx->ticket_by_id(m_history.tickets[i + 50].ticket.id).value().value();
        auto into = tx->ticket_by_id(m_history.tickets[i].ticket.id).value().value();
        tx->move_ticket_records(from.id, into.id).value();
        from.status = TicketStatus::closed;
        from.closed_at = now;
        tx->update_ticket(from).value();
        tx->set_ticket_merged_into(from.id, into.id).value();
        tx->commit().value();
    }
    // Open tickets resolved, acknowledged and rated now; a department changed.
    int resolved = 0;
    for (auto& g : m_history.tickets) {
        auto tx = m_store->begin().value();
        auto t = tx->ticket_by_id(g.ticket.id).value().value();
        if (t.resolved_at || resolved >= 15)
            continue;
        t.resolved_at = now - Seconds{3600};
        t.first_responded_at = t.first_responded_at.value_or(now - Seconds{7200});
        t.status = TicketStatus::resolved;
        t.resolution_code = "LATE_FIX";
        t.department = "returns";
        tx->update_ticket(t).value();
        tx->add_audit(AuditEvent{0, t.id, now - Seconds{1800}, "system", "clock.acknowledged", "{}"}).value();
        tx->add_rating(Rating{0, t.id, 1 + resolved % 5, "", "link", now, ""}).value();
        tx->commit().value();
        ++resolved;
    }
    ASSERT_EQ(resolved, 15);
    expect_same_everywhere(c, "after the changes");
}

TEST_F(AggregatesTest, ChangesByAWriterWithoutTheAggregationAreCaughtUp)
{
    auto c = context();
    expect_same(*m_store, period("2026-10-01", "2026-10-31"), c, "before");
    {
        // The command line: another connection to the same file, no aggregation set.
        auto other = store::SqliteStore::open(m_dir / "redress.db").value();
        for (std::size_t i = 0; i < 30; ++i) {
            auto tx = other->begin().value();
            auto t = tx->ticket_by_id(m_history.tickets[i * 7].ticket.id).value().value();
            t.kind = t.kind == Kind::complaint ? Kind::suggestion : Kind::complaint;
            t.channel = "telegram";
            tx->update_ticket(t).value();
            tx->add_rating(Rating{0, t.id, 2, "", "link", c.now, ""}).value();
            tx->commit().value();
        }
        Ticket fresh = m_history.tickets.back().ticket;
        fresh.id = 0;
        fresh.number.clear();
        fresh.received_at = moscow("2026-10-20T10:00:00");
        auto tx = other->begin().value();
        tx->create_ticket(fresh, "RD").value();
        tx->commit().value();
    }
    expect_same_everywhere(c, "after another writer");
}

TEST_F(AggregatesTest, TheNewestTicketsUnderFiltersAreTheLastOfAllOfThem)
{
    // The recurring problems read the newest tickets of a period (tickets_received_group walked
    // backwards): the same tickets, in the same order, as the end of the full list.
    int compared = 0;
    for (const auto& p : {std::pair{"2026-08-01", "2026-11-30"}, std::pair{"2026-10-01", "2026-10-31"}})
        for (auto filter : filters()) {
            filter.received_from = moscow(std::string(p.first) + "T00:00:00");
            filter.received_to = moscow(std::string(p.second) + "T00:00:00") + Seconds{86400};
            filter.with_text = true;
            auto all = m_store->report_tickets(filter).value();
            for (int n : {1, 7, 50, 100000}) {
                filter.newest = n;
                auto newest = m_store->report_tickets(filter).value();
                std::size_t want = std::min(all.size(), static_cast<std::size_t>(n));
                ASSERT_EQ(newest.size(), want) << p.first << " newest " << n;
                for (std::size_t i = 0; i < want; ++i) {
                    const auto& expected = all[all.size() - want + i];
                    EXPECT_EQ(newest[i].id, expected.id);
                    EXPECT_EQ(newest[i].text, expected.text);
                }
                ++compared;
            }
            filter.newest = 0;
        }
    EXPECT_EQ(compared, 2 * 10 * 4);
}

TEST_F(AggregatesTest, ARebuildRunsInBatchesWhileWritersGoOn)
{
    // Built for Berlin; Moscow is another key, so its first use rebuilds every aggregate.
    expect_same(*m_store, period("2026-10-01", "2026-10-31"), context("Europe/Berlin"), "built for Berlin");
    auto c = context();
    auto state = m_store->start_report_aggregates(reports::aggregation_of(c)).value();
    ASSERT_TRUE(state.running);
    EXPECT_EQ(state.done, 0);
    const std::int64_t total = state.total;
    ASSERT_GT(total, 100);

    // A summary that may not help the rebuild along says at once that it runs.
    auto impatient = c;
    impatient.rebuild_wait_tickets = 0;
    auto busy = reports::summary(*m_store, period("2026-10-01", "2026-10-31"), impatient);
    ASSERT_FALSE(busy);
    EXPECT_EQ(busy.error().code, "reports.rebuilding");
    EXPECT_TRUE(busy.error().is(ErrorKind::transient));

    // One batch, its own transaction: another connection writes between batches (the store is not
    // held), and this one's own commits go on too.
    state = m_store->step_report_rebuild(total / 3).value();
    ASSERT_TRUE(state.running);
    EXPECT_GT(state.done, 0);
    EXPECT_LT(state.done, total);
    const std::int64_t cut = state.done;
    const TimePoint now = c.now;
    std::vector<std::int64_t> rebuilt, waiting;
    for (const auto& g : m_history.tickets)
        (g.ticket.id <= cut ? rebuilt : waiting).push_back(g.ticket.id);
    ASSERT_GE(rebuilt.size(), 4u);
    ASSERT_GE(waiting.size(), 4u);
    auto change = [&](store::Store& store, std::int64_t id, int n) {
        auto tx = store.begin().value();
        auto t = tx->ticket_by_id(id).value().value();
        t.kind = t.kind == Kind::complaint ? Kind::question : Kind::complaint;
        t.channel = "telegram";
        t.resolved_at = now - Seconds{600 * (n + 1)};
        t.resolution_code = "MOVED";
        t.status = TicketStatus::resolved;
        tx->update_ticket(t).value();
        tx->add_rating(Rating{0, t.id, 1 + n % 5, "", "link", now, ""}).value();
        tx->commit().value();
    };
    {
        auto other = store::SqliteStore::open(m_dir / "redress.db").value();
        for (int i = 0; i < 2; ++i) {
            change(*other, rebuilt[static_cast<std::size_t>(i)], i);
            change(*other, waiting[static_cast<std::size_t>(i)], i);
        }
    }
    for (int i = 2; i < 4; ++i) {
        change(*m_store, rebuilt[static_cast<std::size_t>(i)], i);
        change(*m_store, waiting[static_cast<std::size_t>(i)], i);
    }
    Ticket fresh = m_history.tickets.front().ticket;
    fresh.id = 0;
    fresh.number.clear();
    fresh.received_at = moscow("2026-10-20T10:00:00");
    {
        auto tx = m_store->begin().value();
        tx->create_ticket(fresh, "RD").value();
        tx->commit().value();
    }

    // Still running: a summary that may bring in only a few tickets says so again.
    impatient.rebuild_wait_tickets = 5;
    busy = reports::summary(*m_store, period("2026-10-01", "2026-10-31"), impatient);
    ASSERT_FALSE(busy);
    EXPECT_EQ(busy.error().code, "reports.rebuilding");

    // The rest in small batches (the new ticket included), then every figure as the scan counts it.
    int batches = 0;
    while (state.running) {
        state = m_store->step_report_rebuild(25).value();
        ++batches;
    }
    EXPECT_GT(batches, 2);
    EXPECT_EQ(state.done, total + 1);
    EXPECT_FALSE(m_store->start_report_aggregates(reports::aggregation_of(c)).value().running);
    expect_same_everywhere(c, "after a rebuild in batches");
}

TEST_F(AggregatesTest, ASummaryBringsASmallRebuildAlongItself)
{
    expect_same(*m_store, period("2026-10-01", "2026-10-31"), context("UTC"), "built for UTC");
    // Another zone: the summary starts the rebuild and, the history being small, finishes it.
    auto c = context();
    c.rebuild_wait_tickets = 100000;
    expect_same_everywhere(c, "rebuilt by the summary");
    EXPECT_FALSE(m_store->start_report_aggregates(reports::aggregation_of(c)).value().running);
}

TEST(ReportAggregatesMigration, AnUpgradedStoreIsBackFilledAndAnswersAsTheScan)
{
    // The schema before the aggregates (version 8) with tickets, acknowledgements and ratings
    // written by an older build; the upgrade notes them all and the first summary back-fills them.
    auto dir = std::filesystem::temp_directory_path() / ("redress-aggregates-migration-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto file = dir / "redress.db";
    ASSERT_TRUE(store::SqliteStore::create_at_version(file, 8).ok());
    auto at = [](const char* local) { return std::to_string(moscow(local).time_since_epoch().count()); };
    std::string sql =
        "INSERT INTO tickets (id, number, channel, source, received_at, updated_at, kind, language, severity, status, "
        "first_response_due, first_responded_at, resolution_due, resolved_at, closed_at, verdict, resolution_code, "
        "department) VALUES "
        "(1, 'RD-000001', 'email', 'support', " +
        at("2026-10-05T10:00:00") +
        ", 0, 'complaint', 'en', 'normal', "
        "'closed', " +
        at("2026-10-05T18:00:00") + ", " + at("2026-10-05T12:00:00") + ", " + at("2026-10-10T10:00:00") + ", " +
        at("2026-10-06T10:00:00") + ", " + at("2026-10-06T10:00:00") +
        ", 'justified', 'FIXED', 'delivery'),"
        "(2, 'RD-000002', 'chat', 'tg', " +
        at("2026-10-31T23:30:00") + ", 0, 'question', 'ru', 'major', 'new_ticket', " + at("2026-11-01T07:30:00") +
        ", NULL, " + at("2026-11-05T23:30:00") +
        ", NULL, NULL, '', '', ''),"
        "(3, 'RD-000003', 'email', 'support', " +
        at("2026-11-02T09:00:00") +
        ", 0, 'complaint', 'de', 'normal', "
        "'resolved', " +
        at("2026-11-02T17:00:00") + ", " + at("2026-11-03T09:00:00") + ", " + at("2026-11-07T09:00:00") + ", " +
        at("2026-11-03T10:00:00") +
        ", NULL, 'unjustified', 'NO_FAULT', 'quality');"
        "UPDATE sequences SET value = 3 WHERE name = 'tickets';"
        "INSERT INTO audit (ticket_id, at, actor, action) VALUES (1, " +
        at("2026-10-05T10:01:00") + ", 'system', 'clock.acknowledged'), (3, " + at("2026-11-02T09:00:30") +
        ", 'system', 'clock.acknowledged');"
        "INSERT INTO ratings (ticket_id, score, at) VALUES (1, 2, " +
        at("2026-10-07T10:00:00") + "), (1, 5, " + at("2026-10-08T10:00:00") + ");";
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);

    auto opened = store::SqliteStore::open(file);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    auto& store = **opened;
    reports::ReportContext c;
    c.time_zone = k_zone;
    c.now = moscow("2026-11-15T12:00:00");
    for (auto [from, to] : {std::pair{"2026-10-01", "2026-11-30"}, std::pair{"2026-10-01", "2026-10-31"},
                            std::pair{"2026-11-01", "2026-11-14"}}) {
        reports::ReportRequest r;
        r.from = from;
        r.to = to;
        auto fast = reports::summary(store, r, c);
        auto scan = reports::summary_by_scan(store, r, c);
        ASSERT_TRUE(fast && scan);
        EXPECT_EQ(*fast, *scan) << from << ".." << to;
    }
    reports::ReportRequest all;
    all.from = "2026-10-01";
    all.to = "2026-11-30";
    auto s = reports::summary(store, all, c).value();
    EXPECT_EQ(s["tickets"], 3);
    EXPECT_EQ(s["by_kind"]["complaint"], 2);
    EXPECT_EQ(s["acknowledged"], 2);
    EXPECT_EQ(s["acknowledgement_median_s"], 45);  // 60 s and 30 s
    EXPECT_EQ(s["satisfaction_avg"], 5.0);         // the newest rating
    EXPECT_EQ(s["resolution_codes"]["NO_FAULT"], 1);
    // Ticket 2 arrived at 23:30 Moscow time on 31 October: October's in Moscow, November's in UTC.
    reports::ReportRequest october = all;
    october.to = "2026-10-31";
    EXPECT_EQ(reports::summary(store, october, c).value()["tickets"], 2);
    opened->reset();
    std::filesystem::remove_all(dir);
}

TEST(ReportSpanBuckets, EveryValueFallsInItsBucketAndBucketsAreNarrow)
{
    for (std::int64_t v = 0; v < 200'000'000; v = v < 5000 ? v + 1 : v + v / 997) {
        int bucket = store::report_span_bucket(v);
        auto [first, last] = store::report_span_bucket_range(bucket);
        ASSERT_LE(first, v);
        ASSERT_GE(last, v);
        ASSERT_LE(last - first + 1, std::max<std::int64_t>(1, first / 32)) << v;
        if (v > 0) {
            ASSERT_GE(bucket, store::report_span_bucket(v - 1));
        }
    }
}

}  // namespace
