#pragma once
// Writing a file so that a reader sees all of it or nothing: a temporary name, fsync, rename.

#include "common/result.hpp"

#include <filesystem>
#include <string_view>

namespace redress::connectors {

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace redress::connectors
