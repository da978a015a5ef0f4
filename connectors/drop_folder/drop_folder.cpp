#include "drop_folder.hpp"

#include "common/log.hpp"

#include <openssl/evp.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace redress::connectors {

namespace fs = std::filesystem;

namespace {

// What kind of thing a directory entry is, for the log, when it is not a regular file.
const char* kind_of(fs::file_type type)
{
    switch (type) {
    case fs::file_type::symlink:
        return "a symbolic link";
    case fs::file_type::directory:
        return "a directory";
    case fs::file_type::fifo:
        return "a FIFO";
    case fs::file_type::socket:
        return "a socket";
    case fs::file_type::block:
    case fs::file_type::character:
        return "a device";
    default:
        return "not a regular file";
    }
}

// An open file descriptor, closed on every path out.
class Descriptor {
public:
    explicit Descriptor(int fd)
        : m_fd(fd)
    {
    }
    ~Descriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

// Appends up to `limit` bytes from fd to out; false on a read error.
bool read_up_to(int fd, std::size_t limit, std::string& out)
{
    char buffer[65536];
    while (out.size() < limit) {
        std::size_t want = std::min(sizeof buffer, limit - out.size());
        ssize_t n = ::read(fd, buffer, want);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        if (n == 0)
            break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

DropFolder::DropFolder(fs::path dir, Ingest ingest, pipeline::Quarantine& quarantine, std::uintmax_t max_size)
    : m_dir(std::move(dir))
    , m_ingest(std::move(ingest))
    , m_quarantine(quarantine)
    , m_max_size(max_size)
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

bool DropFolder::set_aside(const fs::path& path, std::uintmax_t size, std::string head, TimePoint now)
{
    std::error_code ec;
    fs::path aside_dir = m_dir / k_too_large_dir;
    fs::create_directories(aside_dir, ec);
    // A name of its own: rename(2) would silently replace an earlier file set aside under the same
    // name (message.eml comes often), losing it. Only this scan writes here, so a free name stays free.
    fs::path aside = aside_dir / path.filename();
    for (int n = 1; !ec && fs::exists(aside, ec); ++n)
        aside = aside_dir / (std::to_string(now.time_since_epoch().count()) + "-" + std::to_string(n) + "-" +
                             path.filename().string());
    if (!ec)
        fs::rename(path, aside, ec);
    if (ec) {
        log::error("drop.too_large_not_moved", {{"file", path.string()}, {"error", ec.message()}});
        return false;
    }
    pipeline::RawMessage raw;
    raw.channel = "email";
    raw.source = "drop-folder";
    raw.received_at = now;
    raw.source_key = "drop-too-large:" + aside.filename().string();
    raw.bytes = std::move(head);
    std::string reason = "the file has " + std::to_string(size) + " bytes, more than the limit of " +
                         std::to_string(m_max_size) + "; only its first " + std::to_string(k_kept_head / 1024) +
                         " KiB are kept here, the whole file is " + aside.string();
    auto kept = m_quarantine.keep(raw, reason);
    log::warn("drop.too_large", {{"file", path.filename().string()},
                                 {"size", std::to_string(size)},
                                 {"moved_to", aside.string()},
                                 {"quarantined", kept ? *kept : "failed: " + kept.error().message}});
    return true;
}

DropFolder::ScanResult DropFolder::scan(TimePoint now)
{
    ScanResult result;
    std::error_code ec;
    std::vector<std::pair<fs::file_time_type, fs::path>> files;
    std::set<std::string> still_reported;
    std::set<std::string> still_stuck;
    for (fs::directory_iterator it(m_dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto& entry = *it;
        std::string name = entry.path().filename().string();
        if (name.empty() || name.front() == '.' || name.ends_with(".tmp"))
            continue;
        if (m_stuck.contains(name)) {
            // Over the limit and could not be moved aside (logged then): left alone, not read again.
            still_stuck.insert(name);
            ++result.skipped;
            continue;
        }
        // symlink_status: a link is judged as a link, never by what it points at.
        std::error_code type_ec;
        fs::file_type type = entry.symlink_status(type_ec).type();
        if (type_ec)
            continue;  // gone since the listing
        if (type != fs::file_type::regular) {
            ++result.skipped;
            still_reported.insert(name);
            if (!m_reported.contains(name))
                log::warn("drop.skipped", {{"file", entry.path().string()}, {"why", kind_of(type)}});
            continue;
        }
        files.emplace_back(entry.last_write_time(type_ec), entry.path());
    }
    m_reported = std::move(still_reported);
    m_stuck = std::move(still_stuck);
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
        // O_NOFOLLOW: a file swapped for a link after the listing is not followed either;
        // O_NONBLOCK: nor does a FIFO put there meanwhile block the scan.
        Descriptor fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
        struct stat st { };
        bool opened = fd.get() >= 0 && ::fstat(fd.get(), &st) == 0;
        if (opened && !S_ISREG(st.st_mode)) {
            ++result.skipped;
            log::warn("drop.skipped", {{"file", path.string()}, {"why", "not a regular file any more"}});
            continue;
        }
        if (opened && static_cast<std::uintmax_t>(st.st_size) > m_max_size) {
            // Checked before reading: a file over the limit is never read whole.
            std::string head;
            read_up_to(fd.get(), k_kept_head, head);
            if (set_aside(path, static_cast<std::uintmax_t>(st.st_size), std::move(head), now))
                ++result.too_large;
            else
                m_stuck.insert(path.filename().string());
            continue;
        }
        std::string bytes;
        if (opened)
            bytes.reserve(static_cast<std::size_t>(st.st_size));
        // One byte more than the limit: a file that grew since fstat is caught here.
        bool read = opened && read_up_to(fd.get(), static_cast<std::size_t>(m_max_size) + 1, bytes);
        if (!read) {
            std::string error = std::strerror(errno);
            // Unreadable: keep a record of it aside, never block the folder on it.
            raw.source_key = "drop-unreadable:" + path.filename().string();
            auto kept = m_quarantine.keep(raw, "the file could not be read");
            if (kept)
                fs::remove(path, ec);
            log::error("drop.unreadable", {{"file", path.string()}, {"error", error}});
            ++result.processed;
            continue;
        }
        if (bytes.size() > m_max_size) {
            std::error_code size_ec;
            std::uintmax_t size = fs::file_size(path, size_ec);
            bytes.resize(k_kept_head);
            if (set_aside(path, size_ec ? bytes.size() : size, std::move(bytes), now))
                ++result.too_large;
            else
                m_stuck.insert(path.filename().string());
            continue;
        }
        raw.bytes = std::move(bytes);
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
