#pragma once
// Attachments kept by content: <root>/ab/cdef... where abcdef... is the hex SHA-256 of the bytes, so
// the same file sent twice is one file. A file is written (temporary name, fsync, rename, fsync of
// its folder) before the transaction that refers to it commits: a crash leaves at worst a file
// nobody refers to, never a reference to a missing file. Such files are removed by sweep() once
// they are older than a grace period, so a file written for a transaction still in flight stays.

#include "common/result.hpp"
#include "common/time.hpp"

#include <filesystem>
#include <set>
#include <string>
#include <string_view>

namespace redress::attachments {

// Hex SHA-256 of the bytes (64 lower-case characters).
std::string sha256_hex(std::string_view bytes);
// Whether `digest` is 64 lower-case hex characters (nothing else may reach a path).
bool is_digest(std::string_view digest);

struct SweepReport {
    int kept = 0;     // referenced, or younger than the grace period
    int removed = 0;  // unreferenced and older than the grace period (left-over temporary files too)
    int failed = 0;   // could not be removed (logged)
};

class FileStore {
public:
    explicit FileStore(std::filesystem::path root)
        : m_root(std::move(root))
    {
    }

    const std::filesystem::path& root() const { return m_root; }
    // Where the file with this digest is (whether or not it exists).
    std::filesystem::path path_of(std::string_view digest) const;

    // Keeps the bytes and returns their digest. A file already there is not written again; its time
    // is set to now, so a sweep running meanwhile sees it as young and leaves it for the new reference.
    // Errors: transient (disk full, I/O), failed (no permission).
    Result<std::string> put(std::string_view bytes, TimePoint now);
    // The bytes of a kept file; not_found when there is none.
    Result<std::string> read(std::string_view digest) const;
    // Removes the file of a digest (an erase); no error when it is not there.
    Result<void> remove(std::string_view digest);

    // Removes every file whose digest is not in `referenced` and whose modification time is older
    // than `now - grace`. The caller reads `referenced` from the store before calling.
    SweepReport sweep(const std::set<std::string>& referenced, TimePoint now, Seconds grace);

private:
    std::filesystem::path m_root;
};

}  // namespace redress::attachments
