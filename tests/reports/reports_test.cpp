// The reports on a generated history (history.hpp) in a real SQLite store: every figure of the
// summary against a count the test makes itself from what the generator wrote; the rising problem
// found as rising; the fix whose problem stopped flagged as working and the one whose problem went on
// flagged as not; the CSV export.

#include "history.hpp"
#include "reports/report.hpp"
#include "sla/business_calendar.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <map>

using namespace redress;
using namespace redress::test;
using nlohmann::json;

namespace {

class ReportsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        s_dir = std::filesystem::temp_directory_path() / ("redress-reports-" + std::to_string(::getpid()));
        std::filesystem::remove_all(s_dir);
        std::filesystem::create_directories(s_dir);
        s_store = store::SqliteStore::open(s_dir / "redress.db").value().release();
        s_history = new History(write_history(*s_store));
    }
    static void TearDownTestSuite()
    {
        delete s_history;
        delete s_store;
        std::filesystem::remove_all(s_dir);
    }

    static reports::ReportContext context()
    {
        reports::ReportContext c;
        c.time_zone = k_zone;
        c.now = moscow("2026-11-15T12:00:00");
        return c;
    }
    static reports::ReportRequest october()
    {
        reports::ReportRequest r;
        r.from = "2026-10-01";
        r.to = "2026-10-31";
        return r;
    }
    // The generated tickets received in October, Moscow time, that pass `keep`.
    template <class Keep> static std::vector<const GeneratedTicket*> in_october(Keep keep)
    {
        std::vector<const GeneratedTicket*> out;
        for (const auto& g : s_history->tickets)
            if (g.ticket.received_at >= moscow("2026-10-01T00:00:00") &&
                g.ticket.received_at < moscow("2026-11-01T00:00:00") && keep(g))
                out.push_back(&g);
        return out;
    }
    static json october_summary(reports::ReportRequest r = october())
    {
        auto s = reports::summary(*s_store, r, context());
        EXPECT_TRUE(s) << (s ? "" : s.error().message);
        return s ? *s : json();
    }

    static inline std::filesystem::path s_dir;
    static inline store::Store* s_store = nullptr;
    static inline History* s_history = nullptr;
};

// The middle value, or the mean of the middle two rounded down; counted here with nth_element.
json expected_median(std::vector<long long> v)
{
    if (v.empty())
        return nullptr;
    auto mid = v.begin() + static_cast<long>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    long long upper = *mid;
    if (v.size() % 2 == 1)
        return upper;
    long long lower = *std::max_element(v.begin(), mid);
    return lower + (upper - lower) / 2;
}

json expected_p90(std::vector<long long> v)
{
    if (v.empty())
        return nullptr;
    std::sort(v.begin(), v.end());
    // Nearest rank: the smallest value with at least 90 % of the values at or below it.
    for (std::size_t i = 0; i < v.size(); ++i)
        if (10 * (i + 1) >= 9 * v.size())
            return v[i];
    return v.back();
}

TEST_F(ReportsTest, EveryFigureOfTheSummaryMatchesAnIndependentCount)
{
    json s = october_summary();
    auto all = in_october([](const GeneratedTicket&) { return true; });
    ASSERT_GT(all.size(), 100U);
    EXPECT_EQ(s["tickets"], all.size());
    EXPECT_EQ(s["period"]["from"], "2026-10-01");
    EXPECT_EQ(s["period"]["to"], "2026-10-31");
    EXPECT_EQ(s["period"]["days"], 31);

    std::map<std::string, long long> kinds, languages, channels, codes, per_day;
    std::vector<long long> ack, first, resolution;
    long long kept = 0, missed = 0, pending = 0, justified = 0, unjustified = 0;
    long long surveyed = 0, surveyed_rated = 0, rated = 0, sum = 0;
    std::map<std::string, long long> distribution;
    const TimePoint now = context().now;
    for (const auto* g : all) {
        const Ticket& t = g->ticket;
        ++kinds[std::string(to_string(t.kind))];
        ++languages[t.language];
        ++channels[t.channel];
        if (!t.resolution_code.empty())
            ++codes[t.resolution_code];
        // The Moscow date: UTC+3 all year.
        ++per_day[format_iso8601_utc(t.received_at + Seconds{k_zone_offset}).substr(0, 10)];
        if (g->acknowledged_at)
            ack.push_back((*g->acknowledged_at - t.received_at).count());
        if (t.first_responded_at)
            first.push_back((*t.first_responded_at - t.received_at).count());
        if (t.resolved_at)
            resolution.push_back((*t.resolved_at - t.received_at).count());
        // First response: met by the response or the resolution, whichever came first.
        auto met_first = t.first_responded_at;
        if (t.resolved_at && (!met_first || *t.resolved_at < *met_first))
            met_first = t.resolved_at;
        if (met_first)
            (*met_first <= *t.first_response_due ? kept : missed) += 1;
        else
            (now > *t.first_response_due ? missed : pending) += 1;
        if (t.resolved_at)
            (*t.resolved_at <= *t.resolution_due ? kept : missed) += 1;
        else
            (now > *t.resolution_due ? missed : pending) += 1;
        justified += t.verdict == "justified";
        unjustified += t.verdict == "unjustified";
        surveyed += g->surveyed;
        if (g->rating) {
            ++rated;
            sum += *g->rating;
            ++distribution[std::to_string(*g->rating)];
            surveyed_rated += g->surveyed;
        }
    }
    for (const auto& [k, n] : kinds)
        EXPECT_EQ(s["by_kind"][k], n) << k;
    EXPECT_EQ(s["by_kind"].size(), kinds.size());
    for (const auto& [k, n] : languages)
        EXPECT_EQ(s["by_language"][k], n) << k;
    EXPECT_EQ(s["by_language"].size(), languages.size());
    for (const auto& [k, n] : channels)
        EXPECT_EQ(s["by_channel"][k], n) << k;
    EXPECT_EQ(s["resolution_codes"], json(codes));

    EXPECT_EQ(s["volume"]["unit"], "day");
    ASSERT_EQ(s["volume"]["buckets"].size(), 31U);
    for (const auto& b : s["volume"]["buckets"])
        EXPECT_EQ(b["tickets"], per_day[b["from"].get<std::string>()]) << b["from"];

    EXPECT_EQ(s["acknowledged"], ack.size());
    EXPECT_EQ(s["acknowledgement_median_s"], expected_median(ack));
    EXPECT_EQ(s["acknowledgement_p90_s"], expected_p90(ack));
    EXPECT_EQ(s["first_response_median_s"], expected_median(first));
    EXPECT_EQ(s["first_response_p90_s"], expected_p90(first));
    EXPECT_EQ(s["resolution_median_s"], expected_median(resolution));
    EXPECT_EQ(s["resolution_p90_s"], expected_p90(resolution));

    EXPECT_EQ(s["deadlines"]["kept"], kept);
    EXPECT_EQ(s["deadlines"]["missed"], missed);
    EXPECT_EQ(s["deadlines"]["pending"], pending);
    EXPECT_DOUBLE_EQ(s["deadlines_kept_share"].get<double>(), double(kept) / double(kept + missed));

    EXPECT_EQ(s["verdicts"]["justified"], justified);
    EXPECT_EQ(s["verdicts"]["unjustified"], unjustified);
    EXPECT_DOUBLE_EQ(s["justified_share"].get<double>(), double(justified) / double(justified + unjustified));

    EXPECT_EQ(s["surveyed"], surveyed);
    EXPECT_EQ(s["satisfaction_responses"], rated);
    ASSERT_GT(rated, 0);
    EXPECT_DOUBLE_EQ(s["satisfaction_avg"].get<double>(), double(sum) / double(rated));
    EXPECT_DOUBLE_EQ(s["satisfaction_response_rate"].get<double>(), double(surveyed_rated) / double(surveyed));
    for (int score = 1; score <= 5; ++score)
        EXPECT_EQ(s["satisfaction_distribution"][std::to_string(score)], distribution[std::to_string(score)]);

    // Open actions: two, one overdue at `now`; the oldest created on 2026-10-25 10:00.
    EXPECT_EQ(s["open_actions"]["count"], 2);
    EXPECT_EQ(s["open_actions"]["overdue"], 1);
    EXPECT_EQ(s["open_actions"]["oldest_age_s"], (now - moscow("2026-10-25T10:00:00")).count());
}

TEST_F(ReportsTest, FiltersNarrowEveryFigure)
{
    reports::ReportRequest r = october();
    r.filter.language = "ru";
    r.filter.channel = "email";
    json s = october_summary(r);
    auto expected =
        in_october([](const GeneratedTicket& g) { return g.ticket.language == "ru" && g.ticket.channel == "email"; });
    EXPECT_EQ(s["tickets"], expected.size());
    EXPECT_EQ(s["by_language"].size(), 1U);
    r = october();
    r.filter.kind = Kind::question;
    s = october_summary(r);
    expected = in_october([](const GeneratedTicket& g) { return g.ticket.kind == Kind::question; });
    EXPECT_EQ(s["tickets"], expected.size());
    EXPECT_EQ(s["justified_share"], nullptr);  // questions have no verdicts
}

TEST_F(ReportsTest, AFigureWithNoDataIsNull)
{
    reports::ReportRequest r;
    r.from = "2025-01-01";
    r.to = "2025-01-31";
    json s = october_summary(r);
    EXPECT_EQ(s["tickets"], 0);
    for (const char* key :
         {"first_response_median_s", "resolution_median_s", "deadlines_kept_share", "justified_share",
          "satisfaction_avg", "acknowledgement_median_s", "first_response_p90_s", "satisfaction_response_rate"})
        EXPECT_TRUE(s[key].is_null()) << key;
    EXPECT_TRUE(s["recurring"].empty());
}

TEST_F(ReportsTest, TheRisingProblemIsFoundAsRisingAndListedFirst)
{
    json s = october_summary();
    const json& groups = s["recurring"];
    ASSERT_GE(groups.size(), 3U);
    const json& kettle = groups[0];
    EXPECT_NE(kettle["name"].get<std::string>().find("kettle"), std::string::npos) << kettle.dump();
    EXPECT_TRUE(kettle["rising"].get<bool>());
    EXPECT_EQ(kettle["size"], 9);
    EXPECT_EQ(kettle["previous"], 2);
    // Its tickets are exactly the generated kettle complaints of October.
    auto expected = in_october([](const GeneratedTicket& g) { return g.problem == "kettle lid"; });
    std::vector<std::string> numbers;
    for (const auto* g : expected)
        numbers.push_back(g->ticket.number);
    EXPECT_EQ(kettle["tickets"].get<std::vector<std::string>>(), numbers);

    // The courier complaints, worded differently in October, are one group, and not rising (6 -> 5).
    bool seen_falling = false;
    for (const auto& g : groups) {
        if (g["name"].get<std::string>().find("courier") != std::string::npos) {
            EXPECT_EQ(g["size"], 5);
            EXPECT_EQ(g["previous"], 6);
            EXPECT_FALSE(g["rising"].get<bool>());
            seen_falling = true;
        } else if (g["rising"].get<bool>()) {
            EXPECT_FALSE(seen_falling) << "a rising problem after a falling one: " << groups.dump();
        }
    }
    EXPECT_TRUE(seen_falling) << groups.dump();

    // The Russian one is found in Russian, and only there.
    auto ru = std::find_if(groups.begin(), groups.end(), [](const json& g) {
        return g["name"].get<std::string>().find("упаковк") != std::string::npos;
    });
    ASSERT_NE(ru, groups.end()) << groups.dump();
    EXPECT_EQ((*ru)["size"], 4);
    EXPECT_EQ((*ru)["previous"], 1);
    EXPECT_EQ((*ru)["languages"], json::array({"ru"}));

    // `redress report recurring` answers the same groups.
    auto alone = reports::recurring(*s_store, october(), context());
    ASSERT_TRUE(alone);
    EXPECT_EQ((*alone)["groups"], groups);
}

TEST_F(ReportsTest, AFixWhoseProblemStoppedWorkedAndOneWhoseProblemWentOnDidNot)
{
    json s = october_summary();
    const json& actions = s["actions"];
    auto by_text = [&](const std::string& text) {
        for (const auto& a : actions)
            if (a["text"] == text)
                return a;
        return json();
    };
    // Counted here from the generator's record: the windows are 28 days either side of the fix.
    auto count = [&](const std::string& problem, TimePoint from, TimePoint to) {
        return std::count_if(s_history->tickets.begin(), s_history->tickets.end(), [&](const GeneratedTicket& g) {
            return g.problem == problem && g.ticket.received_at >= from && g.ticket.received_at < to;
        });
    };
    const Seconds window{28 * 86400};
    json blender = by_text("Change the blender motor supplier");
    ASSERT_FALSE(blender.is_null()) << actions.dump();
    TimePoint done = moscow("2026-10-10T10:00:00");
    EXPECT_EQ(blender["before"], count("blender", done - window, done));
    EXPECT_EQ(blender["after"], count("blender", done, done + window));
    EXPECT_EQ(blender["before"], 6);
    EXPECT_EQ(blender["after"], 0);
    EXPECT_EQ(blender["verdict"], "worked");
    EXPECT_FALSE(blender["keeps_coming"].get<bool>());
    EXPECT_EQ(blender["window_s"], window.count());

    json zipper = by_text("Stronger zippers from the factory");
    ASSERT_FALSE(zipper.is_null()) << actions.dump();
    done = moscow("2026-10-12T10:00:00");
    EXPECT_EQ(zipper["before"], count("zipper", done - window, done));
    EXPECT_EQ(zipper["after"], count("zipper", done, done + window));
    EXPECT_EQ(zipper["after"], 5) << zipper.dump();
    EXPECT_EQ(zipper["verdict"], "keeps_coming");
    EXPECT_TRUE(zipper["keeps_coming"].get<bool>());
    // The one that did not work is listed first; an action for the customer is never checked.
    EXPECT_EQ(actions[0]["text"], "Stronger zippers from the factory");
    EXPECT_TRUE(by_text("New blender for this customer").is_null());
}

TEST_F(ReportsTest, AFixDoneLessThanAWeekAgoIsTooEarlyToJudge)
{
    reports::ReportContext c = context();
    c.now = moscow("2026-10-14T10:00:00");  // two days after the zipper fix
    auto s = reports::summary(*s_store, october(), c);
    ASSERT_TRUE(s);
    int seen = 0;
    for (const auto& a : (*s)["actions"]) {
        if (a["text"] == "Stronger zippers from the factory") {
            EXPECT_EQ(a["verdict"], "too_early");
            ++seen;
        }
    }
    EXPECT_EQ(seen, 1);
}

TEST_F(ReportsTest, BusinessTimeCountsOnlyOpeningHours)
{
    // The figures with a Monday-to-Friday 09:00-18:00 calendar in Moscow: each span is what the
    // calendar counts between the two instants; without the calendar, plain seconds.
    reports::ReportContext c = context();
    sla::BusinessCalendar calendar;
    calendar.set_time_zone(date::locate_zone(k_zone), k_zone);
    for (unsigned day = 1; day <= 5; ++day)
        calendar.set_weekday_hours(day, {sla::OpenPeriod{Seconds{9 * 3600}, Seconds{18 * 3600}}});
    calendar.set_weekday_hours(0, {});
    calendar.set_weekday_hours(6, {});
    c.calendar = calendar;
    auto s = reports::summary(*s_store, october(), c);
    ASSERT_TRUE(s);
    EXPECT_TRUE((*s)["period"]["business_time"].get<bool>());
    std::vector<long long> first;
    for (const auto* g : in_october([](const GeneratedTicket& g) { return g.ticket.first_responded_at.has_value(); }))
        first.push_back(calendar.between(g->ticket.received_at, *g->ticket.first_responded_at).count());
    EXPECT_EQ((*s)["first_response_median_s"], expected_median(first));
    // Friday 17:00 to Monday 10:00 is two business hours.
    EXPECT_EQ(reports::span_seconds(c, moscow("2026-10-02T17:00:00"), moscow("2026-10-05T10:00:00")), 2 * 3600);
}

TEST_F(ReportsTest, TheCsvHasOneLinePerTicketWithItsFigures)
{
    auto csv = reports::tickets_csv(*s_store, october(), context());
    ASSERT_TRUE(csv);
    auto all = in_october([](const GeneratedTicket&) { return true; });
    EXPECT_EQ(std::count(csv->begin(), csv->end(), '\n'), static_cast<long>(all.size()) + 1);
    EXPECT_TRUE(csv->starts_with("number,received_at,kind,language,"));
    // The first October ticket's line, field by field.
    const Ticket& t = all.front()->ticket;
    std::string line = csv->substr(csv->find("\r\n") + 2);
    line = line.substr(0, line.find("\r\n"));
    EXPECT_TRUE(line.starts_with(t.number + "," + format_iso8601_utc(t.received_at) + "," +
                                 std::string(to_string(t.kind)) + "," + t.language + ","))
        << line;
}

TEST_F(ReportsTest, ABadPeriodIsRefusedWithTheReason)
{
    reports::ReportRequest r;
    r.from = "2026-10-31";
    r.to = "2026-10-01";
    auto s = reports::summary(*s_store, r, context());
    ASSERT_FALSE(s);
    EXPECT_TRUE(s.error().is(ErrorKind::invalid));
    r.from = "31.10.2026";
    s = reports::summary(*s_store, r, context());
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("from"), std::string::npos);
}

}  // namespace
