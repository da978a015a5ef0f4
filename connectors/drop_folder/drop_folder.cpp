#include "drop_folder.hpp"

#include "common/log.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace redress::connectors {

namespace fs = std::filesystem;

DropFolder::DropFolder(fs::path dir, Ingest ingest, pipeline::Quarantine& quarantine)
    : m_dir(std::move(dir)), m_ingest(std::move(ingest)), m_quarantine(quarantine)
{
}

std::string DropFolder::source_key(std::string_view bytes)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
    static constexpr char hex[] = "0123456789abcdef";
    std::string key = "drop:";
    for (unsigned int i = 0; i < length; ++i) {
        key += hex[digest[i] >> 4];
        key += hex[digest[i] & 0xF];
    }
    return key;
}

DropFolder::ScanResult DropFolder::scan(TimePoint now)
{
    ScanResult result;
    std::error_code ec;
    std::vector<std::pair<fs::file_time_type, fs::path>> files;
    for (fs::directory_iterator it(m_dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto& entry = *it;
        std::string name = entry.path().filename().string();
        if (name.empty() || name.front() == '.' || name.ends_with(".tmp"))
            continue;
        std::error_code type_ec;
        if (!entry.is_regular_file(type_ec))
            continue;
        files.emplace_back(entry.last_write_time(type_ec), entry.path());
    }
    if (ec) {
        log::error("drop.scan_failed", {{"dir", m_dir.string()}, {"error", ec.message()}});
        return result;
    }
    std::sort(files.begin(), files.end());

    for (auto& [mtime, path] : files) {
        pipeline::RawMessage raw;
        // Files in the drop folder are email messages; the folder is where they came in.
        raw.channel = "email";
        raw.source = "drop-folder";
        raw.received_at = now;
        std::ifstream in(path, std::ios::binary);
        std::ostringstream bytes;
        if (in)
            bytes << in.rdbuf();
        if (!in) {
            // Unreadable: keep a record of it aside, never block the folder on it.
            raw.source_key = "drop-unreadable:" + path.filename().string();
            auto kept = m_quarantine.keep(raw, "the file could not be read");
            if (kept)
                fs::remove(path, ec);
            log::error("drop.unreadable", {{"file", path.string()}});
            ++result.processed;
            continue;
        }
        raw.bytes = std::move(bytes).str();
        raw.source_key = source_key(raw.bytes);
        auto outcome = m_ingest(raw);
        if (!outcome) {
            log::warn("drop.deferred", {{"file", path.filename().string()}, {"error", outcome.error().message}});
            ++result.deferred;
            // The store is unavailable: later files would fail the same way.
            break;
        }
        fs::remove(path, ec);
        if (ec)
            log::error("drop.remove_failed", {{"file", path.string()}, {"error", ec.message()}});
        ++result.processed;
    }
    return result;
}

}  // namespace redress::connectors
