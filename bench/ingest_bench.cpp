// redress_bench_ingest: how fast one process turns raw mail into stored tickets, and where the time goes.
//
// One run has three phases over the same messages, all read into memory first so that no phase
// measures the disk that holds the corpus:
//   A. parse only:    mime::parse_message on every message;
//   B. classify only: Classifier::classify on the messages phase A parsed, timed one by one;
//   C. end to end:    Pipeline::ingest of every raw message into a fresh SQLite file (parse,
//                     classify, threading, ticket, letters, audit, commit).
// The whole run is repeated (--runs, default 3) and every figure is reported as the median of the
// runs with its min and max: the machines this runs on are shared and noisy, so one run says little
// and ratios taken inside one run are steadier than absolute rates. See bench/README.md.

#include "classify/classifier.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "connectors/quarantine_folder/quarantine_folder.hpp"
#include "mime/parser.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "store/open_store.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#ifndef REDRESS_SOURCE_DIR
#define REDRESS_SOURCE_DIR "."
#endif

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

namespace {

struct CorpusFile {
    std::string name;  // path relative to the corpus folder, for the source key
    std::string bytes;
};

struct Corpus {
    std::vector<CorpusFile> files;
    std::size_t bytes = 0;
};

// Every regular file under `dir` except hidden ones (fetch-corpora leaves a `.complete` marker),
// in a fixed order so that runs and machines ingest the same sequence.
Corpus read_corpus(const fs::path& dir, std::size_t limit)
{
    std::vector<fs::path> paths;
    for (auto& entry : fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied)) {
        if (!entry.is_regular_file())
            continue;
        if (entry.path().filename().string().starts_with("."))
            continue;
        paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    if (limit > 0 && paths.size() > limit)
        paths.resize(limit);
    Corpus corpus;
    corpus.files.reserve(paths.size());
    for (auto& p : paths) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream out;
        out << in.rdbuf();
        corpus.files.push_back(CorpusFile{fs::relative(p, dir).string(), out.str()});
        corpus.bytes += corpus.files.back().bytes.size();
    }
    return corpus;
}

double seconds_between(SteadyClock::time_point a, SteadyClock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

// CPU time of this process: on a shared machine the wall clock also counts the time other
// people's jobs held the cores, so each phase reports both. The bench is single-threaded.
double cpu_seconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// User and kernel CPU seconds of this process: the kernel's part of an ingest is SQLite's writes
// and syncs.
std::pair<double, double> user_and_system_seconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& tv) {
        return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
    };
    return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

double micros(SteadyClock::duration d)
{
    return std::chrono::duration<double, std::micro>(d).count();
}

// Nearest-rank percentile of already sorted values.
double percentile(const std::vector<double>& sorted, double p)
{
    if (sorted.empty())
        return 0;
    std::size_t rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size()) + 0.5);
    rank = std::clamp<std::size_t>(rank, 1, sorted.size());
    return sorted[rank - 1];
}

double mean_of(const std::vector<double>& values)
{
    if (values.empty())
        return 0;
    double sum = 0;
    for (double v : values)
        sum += v;
    return sum / static_cast<double>(values.size());
}

// Figures of one run, by name, in the order they are printed.
using Figures = std::vector<std::pair<std::string, double>>;

struct RunResult {
    Figures figures;
    std::map<std::string, long> outcomes;  // phase C actions, plus parse errors of phase A
};

struct Setup {
    const Corpus* corpus = nullptr;
    std::shared_ptr<const redress::pipeline::Runtime> runtime;
    fs::path work_dir;  // a fresh SQLite file and quarantine folder per run go under it
    bool keep = false;
};

RunResult run_once(const Setup& setup, int run_index)
{
    using namespace redress;
    const auto& files = setup.corpus->files;
    const double count = static_cast<double>(files.size());
    const double megabytes = static_cast<double>(setup.corpus->bytes) / (1024.0 * 1024.0);
    RunResult result;
    auto& f = result.figures;

    // Phase A: parse only. Per-message times are taken too; the rate comes from the whole loop.
    std::vector<std::optional<Message>> parsed(files.size());
    std::vector<double> parse_us;
    parse_us.reserve(files.size());
    long parse_errors = 0;
    double a0_cpu = cpu_seconds();
    auto a0 = SteadyClock::now();
    for (std::size_t i = 0; i < files.size(); ++i) {
        auto t0 = SteadyClock::now();
        auto message = mime::parse_message(files[i].bytes);
        parse_us.push_back(micros(SteadyClock::now() - t0));
        if (message)
            parsed[i] = std::move(message).value();
        else
            ++parse_errors;
    }
    auto a1 = SteadyClock::now();
    double parse_s = seconds_between(a0, a1);
    double parse_cpu_s = cpu_seconds() - a0_cpu;
    std::sort(parse_us.begin(), parse_us.end());
    f.emplace_back("parse_msgs_per_s", count / parse_s);
    f.emplace_back("parse_mb_per_s", megabytes / parse_s);
    f.emplace_back("parse_msgs_per_cpu_s", count / parse_cpu_s);
    f.emplace_back("parse_us_p50", percentile(parse_us, 50));
    f.emplace_back("parse_us_p99", percentile(parse_us, 99));
    result.outcomes["parse_errors"] = parse_errors;

    // Phase B: classify only, on phase A's messages, one timer per message.
    std::vector<double> classify_us;
    classify_us.reserve(files.size());
    std::map<std::string, long> kinds;
    double b0_cpu = cpu_seconds();
    auto b0 = SteadyClock::now();
    for (std::size_t i = 0; i < parsed.size(); ++i) {
        const auto& message = parsed[i];
        if (!message)
            continue;
        auto t0 = SteadyClock::now();
        Classification c = setup.runtime->classifier.classify(*message);
        classify_us.push_back(micros(SteadyClock::now() - t0));
        ++kinds[std::string(to_string(c.kind))];
        // Per top folder (easy-ham-1, hard-ham-1, spam-1 ...): how much mail that holds no complaint
        // is called one, and major (docs/classifier.md, "Precision on mail that is no complaint").
        auto group = "folder_" + files[i].name.substr(0, files[i].name.find('/'));
        ++result.outcomes[group + "_n"];
        result.outcomes[group + "_complaint"] += c.kind == Kind::complaint ? 1 : 0;
        result.outcomes[group + "_major"] += c.severity == Severity::major ? 1 : 0;
    }
    auto b1 = SteadyClock::now();
    double classify_s = seconds_between(b0, b1);
    double classify_cpu_s = cpu_seconds() - b0_cpu;
    f.emplace_back("classify_msgs_per_s", static_cast<double>(classify_us.size()) / classify_s);
    f.emplace_back("classify_us_mean", mean_of(classify_us));
    std::sort(classify_us.begin(), classify_us.end());
    f.emplace_back("classify_us_p50", percentile(classify_us, 50));
    f.emplace_back("classify_us_p99", percentile(classify_us, 99));
    for (auto& [kind, n] : kinds)
        result.outcomes["kind_" + kind] = n;
    parsed.clear();

    // Phase C: end to end into a fresh database. The raw messages are built before the clock
    // starts: a channel hands over bytes it already holds.
    fs::path dir = setup.work_dir / ("run-" + std::to_string(run_index));
    fs::remove_all(dir);
    fs::create_directories(dir);
    {
        // The store the default config names, in this run's folder: the SQLite file redress.db.
        config::Config store_config = setup.runtime->config;
        store_config.data_dir = dir;
        store_config.store_url.clear();
        auto store = store::open_store(store_config, store::OpenMode::create);
        if (!store)
            throw std::runtime_error("cannot open the benchmark database: " + store.error().message);
        connectors::QuarantineFolder quarantine(dir / "quarantine");
        pipeline::Pipeline pipeline(**store, quarantine, setup.runtime);

        TimePoint now = to_seconds(Clock::now());
        std::vector<pipeline::RawMessage> raws(files.size());
        for (std::size_t i = 0; i < files.size(); ++i) {
            raws[i].channel = "email";
            raws[i].source = "bench";
            raws[i].source_key = "bench:" + files[i].name;
            raws[i].bytes = files[i].bytes;
            raws[i].received_at = now;
        }
        std::vector<double> ingest_us;
        ingest_us.reserve(files.size());
        long ingest_errors = 0;
        auto [c0_user, c0_system] = user_and_system_seconds();
        double c0_cpu = cpu_seconds();
        auto c0 = SteadyClock::now();
        for (auto& raw : raws) {
            auto t0 = SteadyClock::now();
            auto outcome = pipeline.ingest(raw, now);
            ingest_us.push_back(micros(SteadyClock::now() - t0));
            if (!outcome)
                ++ingest_errors;
        }
        auto c1 = SteadyClock::now();
        double ingest_s = seconds_between(c0, c1);
        double ingest_cpu_s = cpu_seconds() - c0_cpu;
        auto [c1_user, c1_system] = user_and_system_seconds();
        double ingest_system_s = c1_system - c0_system;
        double ingest_user_s = c1_user - c0_user;
        std::sort(ingest_us.begin(), ingest_us.end());
        f.emplace_back("ingest_msgs_per_s", count / ingest_s);
        f.emplace_back("ingest_msgs_per_cpu_s", count / ingest_cpu_s);
        f.emplace_back("ingest_us_p50", percentile(ingest_us, 50));
        f.emplace_back("ingest_us_p99", percentile(ingest_us, 99));

        const auto& counters = pipeline.counters();
        result.outcomes["created"] = counters.created.load();
        result.outcomes["updated"] = counters.updated.load();
        result.outcomes["recorded"] = counters.recorded.load();
        result.outcomes["duplicate"] = counters.duplicates.load();
        result.outcomes["quarantined"] = counters.quarantined.load();
        result.outcomes["failed"] = counters.failed.load();
        result.outcomes["ingest_errors"] = ingest_errors;

        // The ratios the issue asks for, taken inside one run so that machine noise mostly cancels.
        f.emplace_back("ratio_ingest_to_parse", (count / ingest_s) / (count / parse_s));
        f.emplace_back("parse_share_of_ingest", parse_s / ingest_s);
        f.emplace_back("classify_share_of_ingest", classify_s / ingest_s);
        f.emplace_back("rest_share_of_ingest", std::max(0.0, 1.0 - (parse_s + classify_s) / ingest_s));
        // The same split in CPU seconds, which other people's jobs on the machine do not inflate.
        f.emplace_back("ratio_ingest_to_parse_cpu", parse_cpu_s / ingest_cpu_s);
        f.emplace_back("parse_share_of_ingest_cpu", parse_cpu_s / ingest_cpu_s);
        f.emplace_back("classify_share_of_ingest_cpu", classify_cpu_s / ingest_cpu_s);
        f.emplace_back("kernel_share_of_ingest_cpu", ingest_system_s / std::max(1e-9, ingest_user_s + ingest_system_s));
    }
    if (!setup.keep)
        fs::remove_all(dir);
    return result;
}

struct Summary {
    double median = 0, min = 0, max = 0;
};

Summary summarise(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    Summary s;
    s.min = values.front();
    s.max = values.back();
    std::size_t n = values.size();
    s.median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    return s;
}

std::string number(double v, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

int decimals_for(const std::string& name)
{
    if (name.starts_with("ratio") || name.find("share") != std::string::npos)
        return 3;
    if (name.find("_us_") != std::string::npos || name.find("mb_per_s") != std::string::npos)
        return 1;
    return 0;
}

std::string default_corpus(const fs::path& repo)
{
    if (const char* env = std::getenv("REDRESS_BENCH_CORPUS"); env != nullptr && *env != '\0')
        return env;
    // The first folder `scripts/fetch-corpora --print` names.
    return (repo / ".cache" / "corpora" / "spam-assassin").string();
}

}  // namespace

// --long-header: one mail with a very long header must not stall the pipeline (defect 8: mimetic's
// header loader was quadratic in a field's length). Times mime::parse_message on generated
// messages; parse time should grow in proportion to the size, not its square.
int long_header_case()
{
    using namespace redress;
    auto time_parse = [](const std::string& label, const std::string& bytes) {
        auto t0 = SteadyClock::now();
        auto m = mime::parse_message(bytes);
        double s = seconds_between(t0, SteadyClock::now());
        std::cout << label << ": " << number(static_cast<double>(bytes.size()) / 1048576.0, 2) << " MiB parsed in "
                  << number(s * 1000, 1) << " ms" << (m ? "" : " (refused: " + m.error().message + ")")
                  << (m ? ", subject " + std::to_string(m->subject.size()) + " bytes" : "") << "\n";
    };
    for (double mb : {0.25, 0.5, 1.0, 5.0}) {
        auto size = static_cast<std::size_t>(mb * 1048576);
        time_parse("Subject of " + number(mb, 2) + " MiB",
                   "From: anna@example.org\r\nSubject: " + std::string(size, 'x') +
                       "\r\n\r\nThe kettle is broken.\r\n");
    }
    std::string many = "From: anna@example.org\r\nSubject: many\r\n";
    for (int i = 0; i < 100000; ++i)
        many += "X-Filler-" + std::to_string(i) + ": v\r\n";
    time_parse("100,000 header lines", many + "\r\nbody\r\n");
    time_parse(
        "a part header of 5 MiB",
        "From: anna@example.org\r\nSubject: parts\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
        "Content-Description: " +
            std::string(5 * 1048576, 'd') + "\r\n\r\nbody\r\n--b--\r\n");
    return 0;
}

int main(int argc, char** argv)
{
    CLI::App app{"Ingest throughput: parse only, classify only and end to end into SQLite, in one process"};
    std::string repo = REDRESS_SOURCE_DIR;
    std::string corpus_dir;
    int runs = 3;
    std::size_t limit = 0;
    bool keep = false;
    std::string log_level = "error";
    app.add_option("corpus", corpus_dir,
                   "folder of raw messages, read recursively (default: $REDRESS_BENCH_CORPUS, else the first folder of "
                   "scripts/fetch-corpora --print)");
    app.add_option("--runs", runs, "how many times to repeat the three phases")->check(CLI::PositiveNumber);
    app.add_option("--limit", limit, "use only the first N messages (0: all)");
    app.add_option("--repo", repo, "the source tree whose config/rules, config/model and templates are loaded");
    app.add_flag("--keep", keep, "keep the SQLite files and quarantine folders of each run");
    app.add_option("--log-level", log_level,
                   "pipeline log level (debug, info, warn, error, off); the default keeps the per-message info lines "
                   "and the warnings about the unconfigured owner out of the figures and the terminal");
    bool long_header = false;
    app.add_flag("--long-header", long_header, "time the parser on generated mail with very long headers instead");
    CLI11_PARSE(app, argc, argv);
    if (long_header)
        return long_header_case();
    if (corpus_dir.empty())
        corpus_dir = default_corpus(repo);

    using namespace redress;
    log::Level level = log::Level::error;
    if (!log::parse_level(log_level, level)) {
        std::cerr << "redress_bench_ingest: unknown log level " << log_level << "\n";
        return 2;
    }
    log::set_level(level);

    if (!fs::is_directory(corpus_dir)) {
        std::cerr << "redress_bench_ingest: no corpus folder at " << corpus_dir
                  << " (run scripts/fetch-corpora, or name a folder of raw messages)\n";
        return 2;
    }

    fs::path work_dir = fs::temp_directory_path() / ("redress-bench-" + std::to_string(::getpid()));
    fs::remove_all(work_dir);
    fs::create_directories(work_dir);

    auto load = pipeline::load_runtime(std::nullopt, repo, work_dir / "data");
    if (!load.runtime) {
        std::cerr << "redress_bench_ingest: cannot load the runtime from " << repo << ":\n";
        for (auto& p : load.problems)
            std::cerr << "  " << p << "\n";
        return 2;
    }

    auto read0 = SteadyClock::now();
    Corpus corpus = read_corpus(corpus_dir, limit);
    double read_s = seconds_between(read0, SteadyClock::now());
    if (corpus.files.empty()) {
        std::cerr << "redress_bench_ingest: no files under " << corpus_dir << "\n";
        return 2;
    }
    std::cout << "corpus: " << corpus_dir << "\n"
              << "        " << corpus.files.size() << " messages, "
              << number(static_cast<double>(corpus.bytes) / 1048576.0, 1) << " MiB, read into memory in "
              << number(read_s, 2) << " s (not counted)\n"
              << "runs:   " << runs << " (each figure: median of the runs, then min and max)\n\n";

    Setup setup{&corpus, load.runtime, work_dir, keep};
    std::vector<RunResult> results;
    for (int r = 0; r < runs; ++r) {
        results.push_back(run_once(setup, r + 1));
        const auto& fig = results.back().figures;
        auto find = [&](const char* name) {
            for (auto& [n, v] : fig)
                if (n == name)
                    return v;
            return 0.0;
        };
        std::cout << "run " << (r + 1) << ": parse " << number(find("parse_msgs_per_s"), 0) << " msg/s, classify "
                  << number(find("classify_us_mean"), 1) << " us/msg, ingest " << number(find("ingest_msgs_per_s"), 0)
                  << " msg/s\n";
    }

    std::vector<std::string> names;
    for (auto& [n, v] : results.front().figures)
        names.push_back(n);

    std::cout << "\n" << std::left;
    char line[160];
    std::snprintf(line, sizeof line, "%-30s %14s %14s %14s\n", "figure", "median", "min", "max");
    std::cout << line;
    nlohmann::json figures = nlohmann::json::object();
    for (std::size_t i = 0; i < names.size(); ++i) {
        std::vector<double> values;
        for (auto& r : results)
            values.push_back(r.figures[i].second);
        Summary s = summarise(values);
        int d = decimals_for(names[i]);
        std::snprintf(line, sizeof line, "%-30s %14s %14s %14s\n", names[i].c_str(), number(s.median, d).c_str(),
                      number(s.min, d).c_str(), number(s.max, d).c_str());
        std::cout << line;
        figures[names[i]] = {{"median", s.median}, {"min", s.min}, {"max", s.max}};
    }

    // Outcomes are the same in every run (same messages, fresh database); the last run's are shown.
    const auto& outcomes = results.back().outcomes;
    std::cout << "\noutcomes (end to end):";
    for (const char* key : {"created", "updated", "recorded", "duplicate", "quarantined", "failed", "ingest_errors"})
        std::cout << " " << key << "=" << outcomes.at(key);
    std::cout << "\nparse errors (phase A): " << outcomes.at("parse_errors") << "\nkinds (phase B):";
    for (auto& [key, n] : outcomes)
        if (key.starts_with("kind_"))
            std::cout << " " << key.substr(5) << "=" << n;
    std::cout << "\ncalled complaint / major, by folder (phase B):";
    for (auto& [key, n] : outcomes) {
        if (!key.starts_with("folder_") || !key.ends_with("_n") || n == 0)
            continue;
        auto group = key.substr(0, key.size() - 2);
        auto share = [&](const char* what) {
            return number(100.0 * static_cast<double>(outcomes.at(group + what)) / static_cast<double>(n), 1) + "%";
        };
        std::cout << "\n  " << group.substr(7) << ": " << n << " messages, complaint " << share("_complaint")
                  << ", major " << share("_major");
    }

    auto median_of = [&](const std::string& name) { return figures[name]["median"].get<double>(); };
    std::cout << "\n\nend-to-end / parse-only rate: " << number(median_of("ratio_ingest_to_parse"), 3)
              << "   (of one ingest: parse " << number(100 * median_of("parse_share_of_ingest"), 1) << "%, classify "
              << number(100 * median_of("classify_share_of_ingest"), 1) << "%, the rest (threading, store, letters) "
              << number(100 * median_of("rest_share_of_ingest"), 1) << "%)\n"
              << "the same in CPU seconds:      " << number(median_of("ratio_ingest_to_parse_cpu"), 3) << "   (parse "
              << number(100 * median_of("parse_share_of_ingest_cpu"), 1) << "%, classify "
              << number(100 * median_of("classify_share_of_ingest_cpu"), 1)
              << "%, in the kernel (SQLite's writes and syncs) "
              << number(100 * median_of("kernel_share_of_ingest_cpu"), 1) << "%)\n"
              << "wall-clock figures include time other jobs held the cores; CPU-second figures do not, but leave out "
                 "the time SQLite waits for the disk\n\n";

    nlohmann::json out{{"bench", "ingest"},     {"corpus", corpus_dir}, {"messages", corpus.files.size()},
                       {"bytes", corpus.bytes}, {"runs", runs},         {"figures", figures},
                       {"outcomes", outcomes}};
    std::cout << out.dump() << "\n";

    if (!keep)
        fs::remove_all(work_dir);
    else
        std::cerr << "kept: " << work_dir << "\n";
    return 0;
}
