#include "daemon.hpp"

#include "channels.hpp"
#include "common/log.hpp"
#include "connectors/drop_folder/drop_folder.hpp"
#include "connectors/file_outbox/file_outbox.hpp"
#include "connectors/quarantine_folder/quarantine_folder.hpp"
#include "outbox_worker.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "sla_scheduler.hpp"
#include "status_routes.hpp"
#include "store/sqlite_store.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <csignal>
#include <iostream>

namespace redress::app {

namespace asio = boost::asio;

namespace {

// How often the drop folder is looked at: a dropped file becomes a ticket well within a second.
constexpr auto k_drop_scan_interval = std::chrono::milliseconds(200);

void apply_log_level(const config::Config& config)
{
    log::Level level;
    if (log::parse_level(config.log_level, level))
        log::set_level(level);
}

}  // namespace

int serve(const ServeOptions& options, const std::filesystem::path& install_dir)
{
    auto load = pipeline::load_runtime(options.config_file, install_dir, options.data_dir);
    if (!load.runtime) {
        for (auto& p : load.problems)
            std::cerr << "redress: " << p << "\n";
        std::cerr << "redress: not started; `redress check` lists the same problems\n";
        return 2;
    }
    std::shared_ptr<const pipeline::Runtime> first = load.runtime;
    const config::Config& config = first->config;
    apply_log_level(config);
    std::error_code ec;
    for (auto dir : {config.data_dir, config.inbox_dir(), config.outbox_dir(), config.quarantine_dir()}) {
        std::filesystem::create_directories(dir, ec);
        if (ec) {
            std::cerr << "redress: cannot create " << dir << ": " << ec.message() << "\n";
            return 2;
        }
    }
    auto opened = store::SqliteStore::open(config.database_path());
    if (!opened) {
        std::cerr << "redress: " << opened.error().message << "\n";
        return 2;
    }
    auto store = std::move(opened).value();
    connectors::QuarantineFolder quarantine(config.quarantine_dir(), system_time());
    pipeline::Pipeline pipeline(*store, quarantine, first);

    OutboxWorker outbox(*store, make_letter_senders(config), [&] { return pipeline.runtime(); });
    outbox.start();

    auto ingest = [&](const pipeline::RawMessage& raw) {
        auto outcome = pipeline.ingest(raw, to_seconds(Clock::now()));
        if (outcome && !outcome->letters.empty())
            outbox.notify();
        return outcome;
    };

    asio::io_context io;
    SlaScheduler scheduler(io, *store, [&] { return pipeline.runtime(); }, [&] { outbox.notify(); }, system_time());
    connectors::DropFolder drop(config.inbox_dir(), [&](const pipeline::RawMessage& raw) {
        auto outcome = ingest(raw);
        if (outcome && !outcome->ticket_number.empty())
            scheduler.ticket_changed(outcome->ticket_number);
        return outcome;
    }, quarantine);
    auto pollers = start_mailbox_pollers(config, *store, [&](const pipeline::RawMessage& raw) {
        auto outcome = ingest(raw);
        if (outcome && !outcome->ticket_number.empty())
            scheduler.ticket_changed(outcome->ticket_number);
        return outcome;
    }, quarantine);

    http::HttpServer http_server;
    if (config.http.enabled) {
        add_status_routes(http_server, StatusSources{&pipeline, &outbox, pollers, to_seconds(Clock::now())});
        if (auto r = http_server.start(config.http.listen); !r) {
            std::cerr << "redress: " << r.error().message << "\n";
            stop_mailbox_pollers(pollers);
            outbox.stop();
            return 2;
        }
        log::info("http.listening", {{"listen", config.http.listen}, {"port", std::to_string(http_server.port())}});
    }

    asio::steady_timer drop_timer(io);
    std::function<void()> scan_drop = [&] {
        drop.scan(to_seconds(Clock::now()));
        drop_timer.expires_after(k_drop_scan_interval);
        drop_timer.async_wait([&](const boost::system::error_code& e) {
            if (!e)
                scan_drop();
        });
    };

    asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
    std::function<void()> wait_signal = [&] {
        signals.async_wait([&](const boost::system::error_code& e, int signal) {
            if (e)
                return;
            if (signal == SIGHUP) {
                auto reload = pipeline::load_runtime(options.config_file, install_dir, options.data_dir);
                if (reload.runtime) {
                    // Senders first: letters the new runtime queues find theirs.
                    outbox.replace_senders(make_letter_senders(reload.runtime->config));
                    pipeline.set_runtime(reload.runtime);
                    apply_log_level(reload.runtime->config);
                    outbox.notify();
                    scheduler.ticket_changed();
                    log::info("daemon.reloaded", {{"config", config.file.string()}});
                } else {
                    for (auto& p : reload.problems)
                        log::error("daemon.reload_problem", {{"problem", p}});
                    log::error("daemon.reload_refused", {{"why", "the running configuration stays"}});
                }
                wait_signal();
                return;
            }
            // Drain and stop: no new work starts; the work in hand finishes; the loop runs out.
            log::info("daemon.stopping", {{"signal", std::to_string(signal)}});
            drop_timer.cancel();
            scheduler.stop();
            signals.cancel();
        });
    };

    scan_drop();
    scheduler.start();
    wait_signal();
    log::info("daemon.ready", {{"data_dir", config.data_dir.string()},
                               {"inbox", config.inbox_dir().string()},
                               {"outbox", config.smtp ? config.smtp->url : config.outbox_dir().string()},
                               {"mailboxes", std::to_string(config.mailboxes.size())}});
    io.run();

    http_server.stop();
    stop_mailbox_pollers(pollers);
    outbox.stop();
    // Mail queued by the last messages goes out before the process ends. Chats wait for the next
    // start: a chat service that hangs must not hold up the stop.
    outbox.drain_lane(OutboxWorker::Lane::email, to_seconds(Clock::now()));
    const auto& counters = pipeline.counters();
    log::info("daemon.stopped", {{"created", std::to_string(counters.created.load())},
                                 {"updated", std::to_string(counters.updated.load())},
                                 {"recorded", std::to_string(counters.recorded.load())},
                                 {"duplicates", std::to_string(counters.duplicates.load())},
                                 {"quarantined", std::to_string(counters.quarantined.load())}});
    return 0;
}

}  // namespace redress::app
