#include "files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace redress::connectors {

namespace {

// A write that fails for lack of room or of a working disk may succeed later; a missing folder or
// a refused permission will not.
ErrorKind kind_of_errno(int err)
{
    return err == ENOSPC || err == EIO || err == EDQUOT || err == EAGAIN || err == EINTR ? ErrorKind::transient
                                                                                         : ErrorKind::failed;
}

Error file_error(int err, std::string what)
{
    return make_error(kind_of_errno(err), "file.write", std::move(what) + ": " + std::strerror(err));
}

}  // namespace

Result<void> sync_directory(const std::filesystem::path& dir)
{
    int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return file_error(errno, "cannot open folder " + dir.string());
    if (::fsync(fd) != 0) {
        int err = errno;
        ::close(fd);
        return file_error(err, "cannot flush folder " + dir.string());
    }
    ::close(fd);
    return {};
}

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view bytes)
{
    std::filesystem::path tmp = path;
    tmp += ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        return file_error(errno, "cannot create " + tmp.string());
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            return file_error(err, "cannot write " + tmp.string());
        }
        done += static_cast<std::size_t>(n);
    }
    // The content reaches the disk before the rename: otherwise a power loss could leave the new
    // name pointing at an empty or partial file.
    if (::fsync(fd) != 0) {
        int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        return file_error(err, "cannot flush " + tmp.string());
    }
    if (::close(fd) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return file_error(err, "cannot close " + tmp.string());
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return file_error(err, "cannot rename to " + path.string());
    }
    // The rename is a change of the folder: until the folder is flushed a power loss can undo it,
    // and the caller is about to let go of the source (delete the dropped file, mark the letter).
    return sync_directory(path.parent_path());
}

}  // namespace redress::connectors
