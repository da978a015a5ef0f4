#include "daemon.hpp"

#include "api_routes.hpp"
#include "channels.hpp"
#include "chat_routes.hpp"
#include "common/log.hpp"
#include "connectors/drop_folder/drop_folder.hpp"
#include "connectors/file_outbox/file_outbox.hpp"
#include "connectors/files.hpp"
#include "connectors/quarantine_folder/quarantine_folder.hpp"
#include "customer_routes.hpp"
#include "fault_point.hpp"
#include "outbox_worker.hpp"
#include "pipeline/attachment_intake.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "reports/figures.hpp"
#include "retention.hpp"
#include "service/owner_setup.hpp"
#include "service/people.hpp"
#include "service/ticket_service.hpp"
#include "sla_scheduler.hpp"
#include "status_routes.hpp"
#include "store/open_store.hpp"
#include "web_routes.hpp"
#include "weekly_digest.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

namespace redress::app {

namespace asio = boost::asio;

namespace {

// How often the drop folder is looked at: a dropped file becomes a ticket well within a second.
constexpr auto k_drop_scan_interval = std::chrono::milliseconds(200);
// How often overdue corrective actions are looked for: a reminder is about days, not seconds.
constexpr auto k_action_reminder_interval = std::chrono::seconds(60);
constexpr auto k_attachment_sweep_interval = std::chrono::hours(24);
// A rebuild of the reports' aggregates: tickets per batch (each its own transaction) and the pause
// between batches, in which mail, chat and the API get the store.
constexpr std::int64_t k_report_rebuild_batch = 2000;
constexpr auto k_report_rebuild_pause = std::chrono::milliseconds(20);
constexpr auto k_report_rebuild_retry = std::chrono::seconds(5);
// Retention's erase (docs/privacy.md): once a day's run has begun, its batches follow each other
// after this pause, not after the reminder interval; a batch that failed is tried again after the
// longer one.
constexpr auto k_retention_pause = std::chrono::milliseconds(100);
constexpr auto k_retention_retry = std::chrono::seconds(5);

// SIGTERM's last drain of the mail: letters are sent one after the other until this much time has
// passed, then the rest stays queued for the next start. A letter in hand finishes first, so the
// stop takes at most this plus one letter's SMTP timeout (docs/architecture.md).
constexpr Seconds k_final_drain_limit{5};

// An exclusive lock on <data_dir>/redress.lock, held while the daemon runs: two daemons on one data
// directory would both send the same letters and both take the same dropped files. flock(2) locks
// are let go by the kernel when the process ends, however it ends, so a crash leaves no stale lock.
// The file holds the holder's PID (for the refusal message) and its outbox claimant id: the next
// daemon, holding the lock, knows that claimant is dead and gives its claims back at once.
class DataDirLock {
public:
    DataDirLock() = default;
    DataDirLock(const DataDirLock&) = delete;
    DataDirLock& operator=(const DataDirLock&) = delete;
    ~DataDirLock()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }

    // Empty when taken; else the sentence to print.
    std::string take(const std::filesystem::path& data_dir, const std::string& claimant)
    {
        std::filesystem::path file = data_dir / "redress.lock";
        m_fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (m_fd < 0)
            return "cannot open " + file.string() + ": " + std::strerror(errno);
        std::string pid;
        if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
            int err = errno;
            if (err != EWOULDBLOCK)
                return "cannot lock " + file.string() + ": " + std::strerror(err);
            std::ifstream(file) >> pid;
            return "another redress serve" + (pid.empty() ? std::string() : " (PID " + pid + ")") +
                   " is running on the data directory " + data_dir.string() +
                   ": stop it first, or give this one another --data-dir";
        }
        std::ifstream(file) >> pid >> m_previous_claimant;
        std::string content = std::to_string(::getpid()) + " " + claimant + "\n";
        if (::ftruncate(m_fd, 0) != 0 ||
            ::pwrite(m_fd, content.data(), content.size(), 0) != static_cast<ssize_t>(content.size()))
            log::warn("daemon.lock_write_failed", {{"file", file.string()}, {"error", std::strerror(errno)}});
        return {};
    }

    // The outbox claimant of the daemon that ran here before (empty for the first start).
    const std::string& previous_claimant() const { return m_previous_claimant; }

private:
    int m_fd = -1;
    std::string m_previous_claimant;
};

void apply_log_level(const config::Config& config)
{
    log::Level level;
    if (log::parse_level(config.log_level, level))
        log::set_level(level);
}

}  // namespace

namespace {

// The reports' aggregates follow every ticket change from here on (docs/reports.md, "At scale"), with
// the running config's zone and calendar; after an upgrade or a change of either this starts their
// rebuild, which the loop brings along in batches (rebuild_reports below) while mail goes on. A
// failure costs only speed: the next report tries again.
void keep_report_aggregates(store::Store& store, const pipeline::Runtime& runtime)
{
    reports::ReportContext context;
    context.calendar = runtime.sla.calendar;
    context.time_zone = runtime.config.company.time_zone;
    if (auto kept = store.start_report_aggregates(reports::aggregation_of(context)); !kept)
        log::error("reports.aggregates_failed", {{"error", kept.error().message}});
    else if (kept->running)
        log::info("reports.rebuild_started", {{"tickets", std::to_string(kept->total - kept->done)}});
}

// "<letter id> <claimant> <sent at, seconds>" per line: letters sent but not recorded at the stop.
std::filesystem::path carried_sent_file(const std::filesystem::path& data_dir)
{
    return data_dir / "redress.sent-unrecorded";
}

void carry_sent(const std::filesystem::path& data_dir, const std::vector<OutboxWorker::SentClaim>& left)
{
    std::string text;
    for (const auto& l : left) {
        text += std::to_string(l.claim.letter_id) + " " + l.claim.claimant + " " +
                std::to_string(l.sent_at.time_since_epoch().count()) + "\n";
        log::error("outbox.sent_unrecorded_at_stop", {{"letter", std::to_string(l.claim.letter_id)}});
    }
    if (auto r = connectors::write_file_atomically(carried_sent_file(data_dir), text); !r)
        log::error("outbox.carry_failed", {{"letters", std::to_string(left.size())}, {"error", r.error().message}});
}

bool record_carried_sent(store::Outbox& outbox, const std::filesystem::path& data_dir)
{
    std::ifstream in(carried_sent_file(data_dir));
    if (!in)
        return true;
    bool all = true;
    std::int64_t id = 0;
    std::string claimant;
    long long at = 0;
    while (in >> id >> claimant >> at) {
        store::LetterClaim claim{id, claimant, TimePoint{Seconds{at}}};
        auto r = outbox.letter_sent(claim, TimePoint{Seconds{at}});
        if (r || r.error().is(ErrorKind::conflict) || r.error().is(ErrorKind::not_found)) {
            log::info("letter.sent_recorded", {{"letter", std::to_string(id)}, {"carried", "from the last run"}});
            continue;
        }
        log::error("outbox.record_failed", {{"letter", std::to_string(id)}, {"error", r.error().message}});
        all = false;
    }
    in.close();
    if (all)
        std::filesystem::remove(carried_sent_file(data_dir));
    return all;
}

// While nobody has an account, the one-time link that makes the owner (docs/web.md): printed on
// the terminal, never logged (the log says only that one was made and when it ends).
void print_setup_link(service::OwnerSetup& setup, const std::string& listen, int port)
{
    auto issued = setup.issue();
    if (!issued) {
        log::error("setup.link_failed", {{"error", issued.error().message}});
        return;
    }
    if (!*issued)
        return;
    std::string host = listen.substr(0, listen.rfind(':'));
    if (host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]")
        host = "127.0.0.1";
    std::cerr << "redress: nobody has an account yet. Open this link once, within 24 hours, to make the owner's "
                 "account (a restart makes a new one):\n"
              << "redress:   http://" << host << ":" << port << "/#setup=" << (*issued)->token << "\n"
              << std::flush;
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
    // The crash tests' fault point (fault_point.hpp), read once; unset in every installation.
    const char* fault_name = std::getenv("REDRESS_FAULT");
    auto fault = fault_point_named(fault_name ? fault_name : "");
    if (!fault) {
        std::cerr << "redress: REDRESS_FAULT=" << fault_name
                  << " names no fault point (chat_hook_after_commit); it is for the crash tests only\n";
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
    DataDirLock lock;
    std::string claimant = OutboxWorker::random_claimant();
    if (auto refused = lock.take(config.data_dir, claimant); !refused.empty()) {
        std::cerr << "redress: " << refused << "\n";
        return 2;
    }
    auto opened = store::open_store(config, store::OpenMode::create);
    if (!opened) {
        std::cerr << "redress: " << opened.error().message << "\n";
        return 2;
    }
    auto store = std::move(opened).value();
    // The daemon before us on this data directory is gone (we hold its lock): the letters it had
    // claimed are free now, not when their leases end. One of them may have gone out before the
    // crash; it goes once more, with the same Message-ID (the delivery bound).
    if (!lock.previous_claimant().empty()) {
        // Letters the last daemon sent but could not record (its store refused the write until it
        // stopped) are recorded now, before their claims are released: they went out already.
        if (!record_carried_sent(*store, config.data_dir)) {
            std::cerr << "redress: letters sent by the last run are not recorded yet and the store still refuses the "
                         "write; not started, so that they are not sent twice (see the log)\n";
            return 2;
        }
        if (auto released = store->release_claims(lock.previous_claimant()); !released)
            log::error("outbox.release_failed",
                       {{"claimant", lock.previous_claimant()}, {"error", released.error().message}});
        else if (*released > 0)
            log::warn("outbox.claims_released",
                      {{"claimant", lock.previous_claimant()}, {"letters", std::to_string(*released)}});
    }
    // Templates edited through the API live in the store; the newest of each is laid over the files.
    if (auto edited = service::with_template_edits(first, *store))
        first = *edited;
    else
        log::error("template.edits_unread", {{"error", edited.error().message}});
    connectors::QuarantineFolder quarantine(config.quarantine_dir(), system_time());
    pipeline::Pipeline pipeline(*store, quarantine, first);
    keep_report_aggregates(*store, *first);
    // The one place where people change tickets (the API's steps, reminders of overdue actions).
    service::TicketService ticket_service(*store, pipeline, system_time());

    OutboxWorker outbox(
        *store, *store, make_letter_senders(config), [&] { return pipeline.runtime(); }, system_time(), claimant);
    outbox.start();

    auto ingest = [&](const pipeline::RawMessage& raw) {
        auto outcome = pipeline.ingest(raw, to_seconds(Clock::now()));
        if (outcome && !outcome->letters.empty())
            outbox.notify();
        return outcome;
    };

    asio::io_context io;
    SlaScheduler scheduler(
        io, *store, [&] { return pipeline.runtime(); }, [&] { outbox.notify(); }, system_time());
    connectors::DropFolder drop(
        config.inbox_dir(),
        [&](const pipeline::RawMessage& raw) {
            auto outcome = ingest(raw);
            if (outcome && !outcome->ticket_number.empty())
                scheduler.ticket_changed(outcome->ticket_number);
            return outcome;
        },
        quarantine);
    auto pollers = start_mailbox_pollers(
        config, *store,
        [&](const pipeline::RawMessage& raw) {
            auto outcome = ingest(raw);
            if (outcome && !outcome->ticket_number.empty())
                scheduler.ticket_changed(outcome->ticket_number);
            return outcome;
        },
        quarantine);

    // Chat customers in, by webhook (the HTTP server's /hooks/{chat}) or by polling (Telegram chats in
    // "poll" mode): each update goes the same way, and is answered or confirmed once it is committed.
    ChatRefusals chat_refusals;
    connectors::chat::ChatHealthBoard chat_health;
    // Slack customers' names, asked for after their messages are stored (chat_names.hpp).
    ChatNames chat_names(
        *store, [&] { return pipeline.runtime(); }, system_time());
    chat_names.start();
    ChatHookContext chat_context{&pipeline,
                                 store.get(),
                                 &system_time(),
                                 &chat_refusals,
                                 [&](const pipeline::RawMessage& raw) {
                                     auto outcome = ingest(raw);
                                     if (outcome && !outcome->ticket_number.empty())
                                         scheduler.ticket_changed(outcome->ticket_number);
                                     return outcome;
                                 },
                                 [&] { outbox.notify(); },
                                 *fault,
                                 &chat_names,
                                 &chat_health};
    auto chat_pollers = start_chat_pollers(
        config, *store,
        [&](const config::Chat& chat, connectors::chat_in::HookUpdate& update) -> Result<void> {
            TRY(take_chat_update(chat_context, *pipeline.runtime(), chat, update));
            return {};
        },
        quarantine, chat_health);

    // The manager's API: the people and ticket services over the daemon's store and pipeline.
    service::PeopleService people(*store, system_time());
    service::OwnerSetup owner_setup(*store, *store, people, system_time());
    api::Refusals refusals;
    // http.listen: the private routes (API, staff page, /metrics, /healthz), and the public ones too
    // unless http.public_listen gives those (webhooks, customer pages) an address of their own.
    http::HttpServer http_server;
    http::HttpServer public_server;
    const bool split = !config.http.public_listen.empty();
    http::HttpServer& public_routes = split ? public_server : http_server;
    auth::SignInLimiter complaints(api::complaint_rate_policy());
    auth::SignInLimiter customer_messages(api::message_rate_policy());
    if (config.http.enabled) {
        add_status_routes(http_server, StatusSources{&pipeline, &outbox, pollers, to_seconds(Clock::now()), &refusals,
                                                     &chat_refusals, &chat_names, &chat_health});
        // Chat customers in: answered once the pipeline has committed the message.
        add_chat_routes(public_routes, chat_context);
        auto changed = [&](const std::string& number) {
            outbox.notify();
            scheduler.ticket_changed(number);
        };
        add_api_routes(http_server.router(), api::ApiContext{&ticket_service, &people, &owner_setup, store.get(),
                                                             &pipeline, &system_time(), &refusals, changed});
        api::CustomerLimits customer_limits;
        customer_limits.min_fill = config.http.form_min_fill;
        add_customer_routes(public_routes, api::CustomerContext{&ticket_service, &pipeline, &system_time(), &complaints,
                                                                &customer_messages, customer_limits, changed});
        // The staff page (docs/web.md): its files from the install folder, beside templates/.
        add_web_routes(http_server.router(), install_dir / "web");
        auto started = http_server.start(config.http.listen);
        if (started && split) {
            if (started = public_server.start(config.http.public_listen); !started)
                started = make_error("http.public_listen", "http.public_listen: " + started.error().message);
        }
        if (!started && config.file.empty()) {
            // The embedded default asked for nothing: mail still flows without the page.
            log::warn("http.unavailable", {{"listen", config.http.listen},
                                           {"error", started.error().message},
                                           {"why", "the staff page is off; a config with an http section "
                                                   "chooses another address"}});
        } else if (!started) {
            std::cerr << "redress: " << started.error().message << "\n";
            http_server.stop();
            stop_chat_pollers(chat_pollers);
            stop_mailbox_pollers(pollers);
            chat_names.stop();
            outbox.stop();
            return 2;
        } else {
            log::info("http.listening", {{"listen", config.http.listen}, {"port", std::to_string(http_server.port())}});
            if (split)
                log::info("http.public_listening",
                          {{"listen", config.http.public_listen}, {"port", std::to_string(public_server.port())}});
            print_setup_link(owner_setup, config.http.listen, http_server.port());
        }
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

    // Corrective actions past their due date remind their person and the owner (each reminder once);
    // on the same timer, the weekly digest goes out when its time has come (once per week).
    WeeklyDigest digest(
        *store, [&] { return pipeline.runtime(); }, system_time());
    // On the same timer, retention's daily erase begins (docs/privacy.md; once per day across
    // restarts). It goes one batch at a time; while a batch leaves more, or failed, the next one waits
    // on a timer of its own and the reminder timer leaves it alone.
    Retention retention(
        *store, [&] { return pipeline.runtime(); }, system_time());
    asio::steady_timer retention_timer(io);
    bool retention_running = false;
    std::function<void()> run_retention = [&] {
        auto step = retention.run_if_due();
        if (!step)
            log::warn("retention.failed", {{"error", step.error().message}});
        retention_running = !step || step->more;
        if (!retention_running)
            return;
        retention_timer.expires_after(step ? k_retention_pause : k_retention_retry);
        retention_timer.async_wait([&](const boost::system::error_code& e) {
            if (!e)
                run_retention();
        });
    };
    asio::steady_timer actions_timer(io);
    std::function<void()> remind_actions = [&] {
        if (auto queued = ticket_service.remind_overdue_actions(); !queued)
            log::warn("actions.reminders_failed", {{"error", queued.error().message}});
        else if (*queued > 0)
            outbox.notify();
        if (auto sent = digest.send_if_due(); !sent)
            log::warn("digest.failed", {{"error", sent.error().message}});
        else if (*sent)
            outbox.notify();
        if (!retention_running)
            run_retention();
        actions_timer.expires_after(k_action_reminder_interval);
        actions_timer.async_wait([&](const boost::system::error_code& e) {
            if (!e)
                remind_actions();
        });
    };

    // Attachment files nobody refers to (a crash between a file and its message's commit) go at start
    // and daily, once older than attachments.sweep_grace (docs/attachments.md).
    asio::steady_timer sweep_timer(io);
    std::function<void()> sweep_files = [&] {
        if (auto swept = pipeline::sweep_attachments(*store, pipeline.runtime()->config, system_time().now()); !swept)
            log::warn("attachments.sweep_failed", {{"error", swept.error().message}});
        sweep_timer.expires_after(k_attachment_sweep_interval);
        sweep_timer.async_wait([&](const boost::system::error_code& e) {
            if (!e)
                sweep_files();
        });
    };

    // A rebuild of the reports' aggregates, one short batch at a time between the loop's other work.
    asio::steady_timer rebuild_timer(io);
    // A batch that failed (the store busy, say) is tried again after a longer pause.
    std::function<void()> rebuild_reports = [&] {
        auto step = store->step_report_rebuild(k_report_rebuild_batch);
        if (!step)
            log::warn("reports.rebuild_failed", {{"error", step.error().message}});
        else if (!step->running)
            return;
        rebuild_timer.expires_after(step ? k_report_rebuild_pause : k_report_rebuild_retry);
        rebuild_timer.async_wait([&](const boost::system::error_code& e) {
            if (!e)
                rebuild_reports();
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
                    if (auto installed = ticket_service.install_runtime(reload.runtime); !installed) {
                        log::error("template.edits_unread", {{"error", installed.error().message}});
                        pipeline.set_runtime(reload.runtime);
                    }
                    apply_log_level(reload.runtime->config);
                    // The pollers whose settings changed are restarted, the rest run on.
                    reload_mailbox_pollers(pollers, reload.runtime->config);
                    reload_chat_pollers(chat_pollers, reload.runtime->config);
                    keep_report_aggregates(*store, *reload.runtime);
                    rebuild_reports();
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
            actions_timer.cancel();
            sweep_timer.cancel();
            rebuild_timer.cancel();
            retention_timer.cancel();
            scheduler.stop();
            signals.cancel();
        });
    };

    if (*fault != FaultPoint::none)
        log::warn("fault.armed", {{"point", std::string(to_string(*fault))},
                                  {"why", "REDRESS_FAULT is set: this daemon ends itself there (crash tests only)"}});
    scan_drop();
    remind_actions();
    sweep_files();
    rebuild_reports();
    scheduler.start();
    wait_signal();
    log::info("daemon.ready", {{"data_dir", config.data_dir.string()},
                               {"inbox", config.inbox_dir().string()},
                               {"outbox", config.smtp ? config.smtp->url : config.outbox_dir().string()},
                               {"mailboxes", std::to_string(config.mailboxes.size())}});
    io.run();

    public_server.stop();
    http_server.stop();
    stop_chat_pollers(chat_pollers);
    chat_names.stop();
    stop_mailbox_pollers(pollers);
    outbox.stop();
    // Mail queued by the last messages goes out before the process ends, for a few seconds at most:
    // an SMTP server that drops packets must not hold up the stop. Chats wait for the next start.
    TimePoint drain_until = system_time().now() + k_final_drain_limit;
    outbox.drain_lane(OutboxWorker::Lane::email, drain_until);
    // A letter that went out but whose "sent" the store did not take must not go again after the
    // restart: what is still unrecorded is kept in the data directory for the next start.
    if (auto left = outbox.settle(drain_until); !left.empty())
        carry_sent(config.data_dir, left);
    const auto& counters = pipeline.counters();
    log::info("daemon.stopped", {{"created", std::to_string(counters.created.load())},
                                 {"updated", std::to_string(counters.updated.load())},
                                 {"recorded", std::to_string(counters.recorded.load())},
                                 {"duplicates", std::to_string(counters.duplicates.load())},
                                 {"quarantined", std::to_string(counters.quarantined.load())}});
    return 0;
}

}  // namespace redress::app
