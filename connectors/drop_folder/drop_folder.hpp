#pragma once
// The drop folder: every file put into <data_dir>/inbox is one message. Writers should write to a
// name starting with "." or ending in ".tmp" and rename when done; such names are skipped.
// A file leaves the folder only after its message is stored (or quarantined); if the store is
// busy it stays and is offered again on the next scan.

#include "pipeline/pipeline.hpp"
#include "pipeline/quarantine.hpp"

#include <filesystem>
#include <functional>
#include <string>

namespace redress::connectors {

class DropFolder {
public:
    using Ingest = std::function<Result<pipeline::IngestOutcome>(const pipeline::RawMessage&)>;

    DropFolder(std::filesystem::path dir, Ingest ingest, pipeline::Quarantine& quarantine);

    struct ScanResult {
        int processed = 0;  // stored, recorded, duplicate or quarantined, and removed from the folder
        int deferred = 0;   // left for the next scan (transient failure)
    };
    // One pass over the folder, oldest file first. Never throws; problems are logged.
    ScanResult scan(TimePoint now);

    // "drop:<sha256 of the bytes>": the same file dropped twice is one message.
    static std::string source_key(std::string_view bytes);

private:
    std::filesystem::path m_dir;
    Ingest m_ingest;
    pipeline::Quarantine& m_quarantine;
};

}  // namespace redress::connectors
