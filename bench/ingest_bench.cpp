// redress_bench_ingest: how fast one process turns raw mail into stored tickets, and where the time goes.
//
// One run has three phases over the same messages, all read into memory first so that no phase
// measures the disk that holds the corpus:
//   A. parse only:    mime::parse_message on every message;
//   B. classify only: Classifier::classify on the messages phase A parsed, timed one by one;
//   C. end to end:    Pipeline::ingest of every raw message into a fresh SQLite file (parse,
//                     classify, threading, ticket, letters, audit, commit).
//   D. webhooks:      chat messages made of the corpus' texts POSTed over loopback to the daemon's
//                     own HTTP server and chat route (POST /hooks/{chat}: Telegram updates with the
//                     secret token, JSON webhook messages signed with HMAC-SHA256), each answered
//                     200 once committed; against two references in the same run: the same
//                     deliveries read and ingested in-process (no HTTP), and a trivial route on the
//                     same server (HTTP alone).
// The whole run is repeated (--runs, default 3) and every figure is reported as the median of the
// runs with its min and max: the machines this runs on are shared and noisy, so one run says little
// and ratios taken inside one run are steadier than absolute rates. See bench/README.md.

#include "app/chat_routes.hpp"
#include "auth/secrets.hpp"
#include "chat_in/chat_hook.hpp"
#include "classify/classifier.hpp"
#include "common/log.hpp"
#include "common/text.hpp"
#include "common/time.hpp"
#include "connectors/quarantine_folder/quarantine_folder.hpp"
#include "http/http_server.hpp"
#include "mime/parser.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "store/open_store.hpp"

#include <CLI/CLI.hpp>
#include <httplib.h>
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
#include <variant>
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
    // Phase D: a runtime whose config has the two chats, and the texts of the chat messages.
    std::shared_ptr<const redress::pipeline::Runtime> hook_runtime;
    std::vector<std::string> hook_texts;
};

// Phase D's chats: a Telegram bot taking webhooks and a JSON webhook. Letters are queued but never
// sent (no outbox runs here), so the addresses they would go to are never called. The hourly cap on
// acknowledgements is lifted: every delivery takes the ordinary path of a new customer's message.
const char* k_hook_config = R"({
  "loop_protection": {"max_automatic_letters_per_hour": 100000},
  "http": {"listen": "127.0.0.1:0"},
  "chats": [
    {"name": "tg", "type": "telegram", "bot_token": "1:BENCH", "api_base": "http://127.0.0.1:9",
     "secret_token": "bench-secret-token"},
    {"name": "web", "type": "webhook", "url": "http://127.0.0.1:9/answers", "signing_secret": "bench-signing-secret"}
  ]})";
constexpr const char* k_tg_secret = "bench-secret-token";
constexpr const char* k_web_secret = "bench-signing-secret";

// A chat message's text from a corpus message: its plain text, at most 3,000 bytes (a long chat
// message; most are far shorter), cut at a character boundary.
std::string chat_text_of(const redress::Message& m)
{
    std::string text(redress::trim(m.text.empty() ? m.subject : m.text));
    if (text.size() > 3000)
        text.resize(redress::utf8_cut(text, 3000));
    redress::sanitize_utf8(text);
    return text;
}

// One delivery of phase D: where it goes, its headers and its body.
struct Delivery {
    std::string path;
    httplib::Headers headers;
    std::string body;
};

// Telegram updates (Bot API Update with a private chat's message): two messages per chat, so half
// open a ticket and half join one.
std::vector<Delivery> telegram_deliveries(const std::vector<std::string>& texts, long long now)
{
    std::vector<Delivery> out;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        long long chat = 500000 + static_cast<long long>(i / 2);
        nlohmann::json update{{"update_id", 900000000 + static_cast<long long>(i)},
                              {"message",
                               {{"message_id", 10 + static_cast<long long>(i)},
                                {"from", {{"id", chat}, {"is_bot", false}, {"first_name", "Customer"}}},
                                {"chat", {{"id", chat}, {"type", "private"}}},
                                {"date", now},
                                {"text", texts[i]}}}};
        out.push_back(Delivery{"/hooks/tg",
                               {{"X-Telegram-Bot-Api-Secret-Token", k_tg_secret}},
                               update.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
    }
    return out;
}

// JSON webhook messages (docs/chat.md), signed over "<timestamp>.<body>".
std::vector<Delivery> webhook_deliveries(const std::vector<std::string>& texts, long long now)
{
    std::vector<Delivery> out;
    std::string ts = std::to_string(now);
    for (std::size_t i = 0; i < texts.size(); ++i) {
        nlohmann::json message{{"message_id", "bench-" + std::to_string(i)},
                               {"conversation_id", "conv-" + std::to_string(i / 2)},
                               {"sender", {{"id", "visitor-" + std::to_string(i / 2)}, {"name", "Customer"}}},
                               {"text", texts[i]}};
        std::string body = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        out.push_back(Delivery{
            "/hooks/web",
            {{"X-Redress-Timestamp", ts},
             {"X-Redress-Signature", "sha256=" + redress::auth::hmac_sha256_hex(k_web_secret, ts + "." + body)}},
            std::move(body)});
    }
    return out;
}

// A fresh store and pipeline with the daemon's chat route and a trivial route on a real HTTP
// server on loopback, as `redress serve` has them (only what a delivery meets).
class HookServer {
public:
    HookServer(const Setup& setup, const fs::path& dir)
    {
        using namespace redress;
        fs::create_directories(dir);
        config::Config store_config = setup.hook_runtime->config;
        store_config.data_dir = dir;
        store_config.store_url.clear();
        auto store = store::open_store(store_config, store::OpenMode::create);
        if (!store)
            throw std::runtime_error("cannot open the benchmark database: " + store.error().message);
        m_store = std::move(store).value();
        m_quarantine = std::make_unique<connectors::QuarantineFolder>(dir / "quarantine");
        m_pipeline = std::make_unique<pipeline::Pipeline>(*m_store, *m_quarantine, setup.hook_runtime);
        app::ChatHookContext context;
        context.pipeline = m_pipeline.get();
        context.store = m_store.get();
        context.refusals = &m_refusals;
        context.ingest = [this](const pipeline::RawMessage& raw) {
            return m_pipeline->ingest(raw, to_seconds(Clock::now()));
        };
        app::add_chat_routes(m_server, std::move(context));
        // The reference: the same server, the same request bodies, no work behind them.
        m_server.route("POST", "/bench/echo", [](const http::Request&) {
            return http::Response{200, "application/json", R"({"ok":true})"};
        });
        if (auto started = m_server.start("127.0.0.1:0"); !started)
            throw std::runtime_error(started.error().message);
    }
    ~HookServer() { m_server.stop(); }

    int port() const { return m_server.port(); }
    redress::pipeline::Pipeline& pipeline() { return *m_pipeline; }

private:
    std::unique_ptr<redress::store::Store> m_store;
    std::unique_ptr<redress::connectors::QuarantineFolder> m_quarantine;
    std::unique_ptr<redress::pipeline::Pipeline> m_pipeline;
    redress::app::ChatRefusals m_refusals;
    redress::http::HttpServer m_server;
};

struct Timed {
    double seconds = 0;
    std::vector<double> us;  // per request; sorted by finish()
    long ok = 0;             // answered 200 (a message: committed)
    long refused = 0;        // anything else
    void finish() { std::sort(us.begin(), us.end()); }
};

// One platform's connection: the deliveries POSTed one after the other on a keep-alive
// connection, as a platform does.
class Poster {
public:
    Poster(int port, std::string path_override = {})
        : m_client("127.0.0.1", port)
        , m_path(std::move(path_override))
    {
        m_client.set_keep_alive(true);
        // As the platforms' clients do (Go's net/http sets it on every connection): without it this
        // client's header and body wait for each other's ACK, ~40 ms a request (MEASURED.md).
        m_client.set_tcp_nodelay(true);
        m_client.set_read_timeout(30);
    }

    void post(const std::vector<Delivery>& deliveries, std::size_t from, std::size_t to, Timed& t)
    {
        auto t0 = SteadyClock::now();
        for (std::size_t i = from; i < to; ++i) {
            const Delivery& d = deliveries[i];
            auto r0 = SteadyClock::now();
            auto res = m_client.Post(m_path.empty() ? d.path : m_path, d.headers, d.body, "application/json");
            t.us.push_back(micros(SteadyClock::now() - r0));
            if (res && res->status == 200)
                ++t.ok;
            else
                ++t.refused;
        }
        t.seconds += seconds_between(t0, SteadyClock::now());
    }

private:
    httplib::Client m_client;
    std::string m_path;
};

// The in-process reference: each delivery read by the chat route's reader and ingested, no HTTP.
void ingest_direct(const Setup& setup, redress::pipeline::Pipeline& pipeline, const std::vector<Delivery>& deliveries,
                   std::size_t from, std::size_t to, Timed& t)
{
    using namespace redress;
    const config::Chat* chat = setup.hook_runtime->config.chat("tg");
    auto t0 = SteadyClock::now();
    for (std::size_t i = from; i < to; ++i) {
        const Delivery& d = deliveries[i];
        auto r0 = SteadyClock::now();
        connectors::chat_in::HookHeaders headers;
        for (const auto& [name, value] : d.headers)
            headers.emplace(ascii_lower(name), value);
        TimePoint now = to_seconds(Clock::now());
        auto read = connectors::chat_in::read_hook(*chat, headers, d.body, now);
        auto* update = std::get_if<connectors::chat_in::HookUpdate>(&read);
        bool stored = false;
        if (update && update->raw) {
            update->raw->received_at = now;
            stored = pipeline.ingest(*update->raw, now).ok();
        }
        t.us.push_back(micros(SteadyClock::now() - r0));
        stored ? ++t.ok : ++t.refused;
    }
    t.seconds += seconds_between(t0, SteadyClock::now());
}

// Phase D. Each stage has a fresh database, so that none finds the tickets of another. The stages
// take turns in rounds (a tenth of the deliveries each), so that the load other jobs put on a shared
// machine falls on all of them alike.
void run_hook_stage(const Setup& setup, const fs::path& dir, RunResult& result)
{
    auto& f = result.figures;
    const std::size_t count = setup.hook_texts.size();
    const double n = static_cast<double>(count);
    long long now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    auto telegram = telegram_deliveries(setup.hook_texts, now);
    auto webhook = webhook_deliveries(setup.hook_texts, now);

    HookServer direct_server(setup, dir / "hook-direct");
    HookServer telegram_server(setup, dir / "hook-telegram");
    HookServer webhook_server(setup, dir / "hook-webhook");
    Poster to_telegram(telegram_server.port());
    Poster to_webhook(webhook_server.port());
    Poster to_trivial(telegram_server.port(), "/bench/echo");
    Timed direct, tg, web, trivial;
    const std::size_t rounds = std::min<std::size_t>(10, count);
    for (std::size_t r = 0; r < rounds; ++r) {
        std::size_t from = count * r / rounds;
        std::size_t to = count * (r + 1) / rounds;
        ingest_direct(setup, direct_server.pipeline(), telegram, from, to, direct);
        to_telegram.post(telegram, from, to, tg);
        to_webhook.post(webhook, from, to, web);
        to_trivial.post(telegram, from, to, trivial);
    }
    for (Timed* t : {&direct, &tg, &web, &trivial})
        t->finish();
    // What each stage's pipeline stored: a message answered 200 is one of these.
    auto stored = [](redress::pipeline::Pipeline& p) {
        const auto& c = p.counters();
        return c.created.load() + c.updated.load() + c.recorded.load() + c.quarantined.load();
    };
    result.outcomes["hook_direct_stored"] = stored(direct_server.pipeline());
    result.outcomes["hook_telegram_stored"] = stored(telegram_server.pipeline());
    result.outcomes["hook_webhook_stored"] = stored(webhook_server.pipeline());
    auto add = [&](const std::string& name, const Timed& t) {
        f.emplace_back(name + "_req_per_s", n / t.seconds);
        f.emplace_back(name + "_us_p50", percentile(t.us, 50));
        f.emplace_back(name + "_us_p99", percentile(t.us, 99));
        result.outcomes[name + "_ok"] = t.ok;
        result.outcomes[name + "_refused"] = t.refused;
    };
    add("hook_telegram", tg);
    add("hook_webhook", web);
    add("hook_direct", direct);
    add("hook_trivial", trivial);
    // The ratios: a delivery over HTTP against the same work in-process (what HTTP and the route
    // add to a commit), and against the trivial route (what the commit adds to HTTP).
    f.emplace_back("ratio_hook_telegram_to_direct", (n / tg.seconds) / (n / direct.seconds));
    f.emplace_back("ratio_hook_webhook_to_direct", (n / web.seconds) / (n / direct.seconds));
    f.emplace_back("ratio_hook_telegram_to_trivial", (n / tg.seconds) / (n / trivial.seconds));
    f.emplace_back("ratio_hook_webhook_to_trivial", (n / web.seconds) / (n / trivial.seconds));
    f.emplace_back("ratio_hook_telegram_p99_to_p50", percentile(tg.us, 99) / std::max(1e-9, percentile(tg.us, 50)));
    f.emplace_back("ratio_hook_webhook_p99_to_p50", percentile(web.us, 99) / std::max(1e-9, percentile(web.us, 50)));
}

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
    if (!setup.hook_texts.empty())
        run_hook_stage(setup, dir, result);
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
    std::size_t hook_messages = 500;
    app.add_option("--hook-messages", hook_messages,
                   "phase D: chat deliveries per stage over HTTP (Telegram, JSON webhook; 0 skips the phase)");
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

    Setup setup{&corpus, load.runtime, work_dir, keep, nullptr, {}};
    if (hook_messages > 0) {
        fs::path hook_config = work_dir / "hook-config.json";
        std::ofstream(hook_config) << k_hook_config;
        auto hook_load = pipeline::load_runtime(hook_config, repo, work_dir / "data");
        if (!hook_load.runtime) {
            std::cerr << "redress_bench_ingest: the webhook phase's config does not load:\n";
            for (auto& p : hook_load.problems)
                std::cerr << "  " << p << "\n";
            return 2;
        }
        setup.hook_runtime = hook_load.runtime;
        // The chat messages' texts: the corpus' own, in its order, those with any text.
        for (const auto& file : corpus.files) {
            if (setup.hook_texts.size() >= hook_messages)
                break;
            auto parsed = mime::parse_message(file.bytes);
            if (!parsed)
                continue;
            std::string text = chat_text_of(*parsed);
            if (!text.empty())
                setup.hook_texts.push_back(std::move(text));
        }
        std::cout << "webhooks: " << setup.hook_texts.size()
                  << " chat deliveries per stage (Telegram, JSON webhook; in-process and trivial-route references)\n\n";
    }
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
                  << " msg/s";
        if (!setup.hook_texts.empty())
            std::cout << ", webhook " << number(find("hook_telegram_req_per_s"), 0) << " (Telegram) / "
                      << number(find("hook_webhook_req_per_s"), 0) << " (JSON) req/s to durable";
        std::cout << "\n";
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
                 "the time SQLite waits for the disk\n";
    if (!setup.hook_texts.empty()) {
        std::cout << "webhooks, answered 200 = committed: Telegram "
                  << number(median_of("ratio_hook_telegram_to_direct"), 3) << " and JSON webhook "
                  << number(median_of("ratio_hook_webhook_to_direct"), 3)
                  << " of the in-process rate (the same deliveries read and ingested without HTTP); "
                  << number(median_of("ratio_hook_telegram_to_trivial"), 3) << " / "
                  << number(median_of("ratio_hook_webhook_to_trivial"), 3)
                  << " of a trivial route's on the same server; p99/p50 latency "
                  << number(median_of("ratio_hook_telegram_p99_to_p50"), 2) << " / "
                  << number(median_of("ratio_hook_webhook_p99_to_p50"), 2) << "\n";
        std::cout << "webhook outcomes:";
        for (const char* stage : {"hook_telegram", "hook_webhook", "hook_direct", "hook_trivial"}) {
            std::string key(stage);
            std::cout << " " << key << " ok=" << outcomes.at(key + "_ok")
                      << " refused=" << outcomes.at(key + "_refused");
            if (outcomes.contains(key + "_stored"))
                std::cout << " stored=" << outcomes.at(key + "_stored");
        }
        std::cout << "\n";
    }
    std::cout << "\n";

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
