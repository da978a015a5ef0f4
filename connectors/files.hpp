#pragma once
// Writing a file so that a reader sees all of it or nothing, and a power loss keeps it once this
// returns: a temporary name, fsync of the file, rename, fsync of the folder.

#include "common/result.hpp"

#include <filesystem>
#include <string_view>

namespace redress::connectors {

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

// fsync(2) of a folder, so that the names created or renamed in it survive a power loss.
Result<void> sync_directory(const std::filesystem::path& dir);

}  // namespace redress::connectors
