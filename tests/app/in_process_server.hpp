#pragma once
// The daemon's parts in the test's own process, for tests that speak HTTP to its routes over
// loopback: a config file in a fresh folder, the runtime loaded from it, the SQLite store, the
// quarantine, the pipeline and the ticket service on a test clock, and an HTTP server on a free
// port that the test starts once it has added its routes.

#include "common/time.hpp"
#include "connectors/quarantine_folder/quarantine_folder.hpp"
#include "http/http_server.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "service/ticket_service.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>

namespace redress::testing {

// An answer as the test reads it; status -1 and the reason in the body when none came.
struct Reply {
    int status = 0;
    httplib::Headers headers;
    std::string body;

    std::string header(const std::string& name) const
    {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }

    static Reply of(const httplib::Result& res)
    {
        if (!res)
            return Reply{-1, {}, httplib::to_string(res.error())};
        return Reply{res->status, res->headers, res->body};
    }
};

inline std::ostream& operator<<(std::ostream& out, const Reply& r)
{
    return out << r.status << "\n" << r.body;
}

class InProcessServer : public ::testing::Test {
protected:
    // Writes `config` as the folder's redress.json and opens the parts over it.
    void open(const std::string& config)
    {
        m_dir =
            std::filesystem::temp_directory_path() /
            ("redress-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name()) +
             "-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir / "var");
        std::ofstream(m_dir / "redress.json") << config;
        auto load = pipeline::load_runtime(m_dir / "redress.json", REDRESS_SOURCE_DIR, m_dir / "var");
        ASSERT_TRUE(load.runtime) << (load.problems.empty() ? "" : load.problems.front());
        auto store = store::SqliteStore::open(m_dir / "var" / "redress.db");
        ASSERT_TRUE(store.ok()) << store.error().message;
        m_store = std::move(store).value();
        m_quarantine = std::make_unique<connectors::QuarantineFolder>(m_dir / "var" / "quarantine");
        m_pipeline = std::make_unique<pipeline::Pipeline>(*m_store, *m_quarantine, load.runtime);
        m_service = std::make_unique<service::TicketService>(*m_store, *m_pipeline, m_clock);
    }

    void start_server()
    {
        auto started = m_server.start("127.0.0.1:0");
        ASSERT_TRUE(started.ok()) << started.error().message;
    }

    void TearDown() override
    {
        m_server.stop();
        m_service.reset();
        m_pipeline.reset();
        m_store.reset();
        std::filesystem::remove_all(m_dir);
    }

    // A mail as the mailbox hands it to the pipeline, now on the test clock; its ticket's number.
    std::string ingest_mail(const std::string& bytes)
    {
        pipeline::RawMessage raw;
        raw.channel = "email";
        raw.source = "support";
        raw.source_key = "k" + std::to_string(++m_seq);
        raw.bytes = bytes;
        raw.received_at = m_clock.now();
        auto outcome = m_pipeline->ingest(raw, m_clock.now());
        EXPECT_TRUE(outcome.ok());
        return outcome.ok() ? outcome->ticket_number : std::string();
    }

    std::filesystem::path m_dir;
    ManualTimeSource m_clock{parse_iso8601("2026-11-26T09:00:00Z").value()};
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<connectors::QuarantineFolder> m_quarantine;
    std::unique_ptr<pipeline::Pipeline> m_pipeline;
    std::unique_ptr<service::TicketService> m_service;
    http::HttpServer m_server;
    int m_seq = 0;  // mails ingested so far
};

}  // namespace redress::testing
