#include "file_store.hpp"

#include "common/log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace redress::attachments {

namespace {

// A disk that is full or failing may work later; a missing permission will not.
ErrorKind kind_of(int err)
{
    return err == ENOSPC || err == EIO || err == EDQUOT || err == EAGAIN || err == EINTR ? ErrorKind::transient
                                                                                         : ErrorKind::failed;
}

Error file_error(int err, const std::string& what)
{
    return make_error(kind_of(err), "attachments.file", what + ": " + std::strerror(err));
}

Result<void> sync_folder(const std::filesystem::path& dir)
{
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return file_error(errno, "cannot open folder " + dir.string());
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0)
        return file_error(err, "cannot flush folder " + dir.string());
    return {};
}

timespec timespec_of(TimePoint t)
{
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(t.time_since_epoch().count());
    return ts;
}

// Temporary names differ per process and per call, so two ingests keeping the same file at once never
// write into one temporary file.
std::string temporary_suffix()
{
    static std::atomic<unsigned long> counter{0};
    return ".tmp." + std::to_string(::getpid()) + "." + std::to_string(++counter);
}

constexpr std::string_view k_temporary_mark = ".tmp.";

}  // namespace

std::string sha256_hex(std::string_view bytes)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out.push_back(k_hex[digest[i] >> 4]);
        out.push_back(k_hex[digest[i] & 0xf]);
    }
    return out;
}

bool is_digest(std::string_view digest)
{
    if (digest.size() != 64)
        return false;
    for (char c : digest)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

std::filesystem::path FileStore::path_of(std::string_view digest) const
{
    // Two hex digits of folders keep any one folder to a few thousand files.
    return m_root / std::string(digest.substr(0, 2)) / std::string(digest.substr(2));
}

Result<std::string> FileStore::put(std::string_view bytes, TimePoint now)
{
    std::string digest = sha256_hex(bytes);
    std::filesystem::path target = path_of(digest);
    std::filesystem::path folder = target.parent_path();
    timespec times[2] = {timespec_of(now), timespec_of(now)};
    if (::utimensat(AT_FDCWD, target.c_str(), times, 0) == 0)
        return digest;  // kept already: the same file sent again
    if (errno != ENOENT)
        return file_error(errno, "cannot touch " + target.string());

    std::error_code ec;
    bool made = std::filesystem::create_directories(folder, ec);
    if (ec)
        return file_error(ec.value(), "cannot create folder " + folder.string());
    if (made) {
        // The new folders are entries of their parents: flushed, so the file's path survives a power loss.
        TRY(sync_folder(m_root));
        TRY(sync_folder(m_root.parent_path().empty() ? std::filesystem::path(".") : m_root.parent_path()));
    }
    std::filesystem::path temporary = target;
    temporary += temporary_suffix();
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0)
        return file_error(errno, "cannot create " + temporary.string());
    auto fail = [&](int err, const std::string& what) {
        ::close(fd);
        ::unlink(temporary.c_str());
        return file_error(err, what + " " + temporary.string());
    };
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(errno, "cannot write");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::futimens(fd, times) != 0)
        return fail(errno, "cannot set the time of");
    // The bytes reach the disk before the name does, or a power loss could leave the name on an
    // empty file that a committed row refers to.
    if (::fsync(fd) != 0)
        return fail(errno, "cannot flush");
    if (::close(fd) != 0) {
        int err = errno;
        ::unlink(temporary.c_str());
        return file_error(err, "cannot close " + temporary.string());
    }
    if (::rename(temporary.c_str(), target.c_str()) != 0) {
        int err = errno;
        ::unlink(temporary.c_str());
        return file_error(err, "cannot rename to " + target.string());
    }
    TRY(sync_folder(folder));
    return digest;
}

Result<std::string> FileStore::read(std::string_view digest) const
{
    if (!is_digest(digest))
        return make_error(ErrorKind::not_found, "attachments.missing", "no such file");
    std::filesystem::path path = path_of(digest);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return make_error(ErrorKind::not_found, "attachments.missing", "the file " + path.string() + " is missing");
        return file_error(errno, "cannot open " + path.string());
    }
    std::string out;
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            ::close(fd);
            return file_error(err, "cannot read " + path.string());
        }
        if (n == 0)
            break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

Result<void> FileStore::remove(std::string_view digest)
{
    if (!is_digest(digest))
        return {};
    std::filesystem::path path = path_of(digest);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        return file_error(errno, "cannot remove " + path.string());
    return {};
}

SweepReport FileStore::sweep(const std::set<std::string>& referenced, TimePoint now, Seconds grace)
{
    SweepReport report;
    std::error_code ec;
    if (!std::filesystem::is_directory(m_root, ec))
        return report;
    auto limit = (now - grace).time_since_epoch().count();
    for (const auto& folder : std::filesystem::directory_iterator(m_root, ec)) {
        std::string prefix = folder.path().filename().string();
        if (!folder.is_directory(ec) || prefix.size() != 2)
            continue;
        bool changed = false;
        for (const auto& entry : std::filesystem::directory_iterator(folder.path(), ec)) {
            std::string rest = entry.path().filename().string();
            std::string digest = prefix + rest;
            bool temporary = rest.find(k_temporary_mark) != std::string::npos;
            if (!temporary && !is_digest(digest))
                continue;  // not ours: left alone
            struct stat st { };
            if (::stat(entry.path().c_str(), &st) != 0)
                continue;
            if ((!temporary && referenced.count(digest) > 0) || st.st_mtime > limit) {
                ++report.kept;
                continue;
            }
            if (::unlink(entry.path().c_str()) != 0) {
                ++report.failed;
                log::warn("attachments.sweep_failed",
                          {{"file", entry.path().string()}, {"error", std::strerror(errno)}});
                continue;
            }
            ++report.removed;
            changed = true;
        }
        if (changed)
            (void)sync_folder(folder.path());
    }
    return report;
}

}  // namespace redress::attachments
