#pragma once
// The drop folder: every file put into <data_dir>/inbox is one message. Writers should write to a
// name starting with "." or ending in ".tmp" and rename when done; such names are skipped.
// A file leaves the folder only after its message is stored (or quarantined); if the store is
// busy it stays and is offered again on the next scan.
//
// Only regular files are read: symbolic links (which could point anywhere the daemon may read),
// FIFOs (which would block the scan), sockets, devices and directories are skipped, logged once
// each and counted. A file larger than the limit is never read whole: its first 64 KiB go to the
// quarantine with the reason, and the file itself is moved to <inbox>/.too-large/.

#include "pipeline/pipeline.hpp"
#include "pipeline/quarantine.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <string>

namespace redress::connectors {

class DropFolder {
public:
    using Ingest = std::function<Result<pipeline::IngestOutcome>(const pipeline::RawMessage&)>;

    // The parser refuses larger messages anyway (mime::ParseOptions::max_size).
    static constexpr std::uintmax_t k_default_max_size = 25 * 1024 * 1024;
    // What of a file over the limit is kept in the quarantine, for a person to see what it was.
    static constexpr std::size_t k_kept_head = 64 * 1024;
    // Where files over the limit are moved (a dot name: the scan skips it).
    static constexpr const char* k_too_large_dir = ".too-large";

    DropFolder(std::filesystem::path dir, Ingest ingest, pipeline::Quarantine& quarantine,
               std::uintmax_t max_size = k_default_max_size);

    struct ScanResult {
        int processed = 0;  // stored, recorded, duplicate or quarantined, and removed from the folder
        int deferred = 0;   // left for the next scan (transient failure)
        int skipped = 0;    // not regular files (symbolic links, FIFOs, directories...), left where they are
        int too_large = 0;  // over the size limit: quarantined by their head and moved to .too-large/
    };
    // One pass over the folder, oldest file first. Never throws; problems are logged.
    ScanResult scan(TimePoint now);

    // "drop:<sha256 of the bytes>": the same file dropped twice is one message.
    static std::string source_key(std::string_view bytes);

private:
    // Moves a file over the limit aside; false when that failed (it is then skipped from now on).
    bool set_aside(const std::filesystem::path& path, std::uintmax_t size, std::string head, TimePoint now);

    std::filesystem::path m_dir;
    Ingest m_ingest;
    pipeline::Quarantine& m_quarantine;
    std::uintmax_t m_max_size;
    // Names already logged as skipped (kept while they stay in the folder): a symlink left in the
    // folder is reported once, not every 200 ms.
    std::set<std::string> m_reported;
    // Files over the limit that could not be moved aside: not read again while they stay.
    std::set<std::string> m_stuck;
};

}  // namespace redress::connectors
