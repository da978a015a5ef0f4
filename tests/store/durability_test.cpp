// What keeps a message through a power loss besides the database's own sync: files are written
// whole under their final name (write_file_atomically flushes the file, renames, flushes the folder).

#include "connectors/files.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <sstream>

using namespace redress;

namespace {

std::string read_all(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::stringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

TEST(Durability, AnAtomicWriteLeavesTheWholeContentUnderTheFinalNameAndNoTemporary)
{
    auto dir = std::filesystem::temp_directory_path() / ("redress-durable-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::string bytes(100'000, 'x');
    bytes += "\r\nend";
    ASSERT_TRUE(connectors::write_file_atomically(dir / "letter.eml", bytes).ok());
    EXPECT_EQ(read_all(dir / "letter.eml"), bytes);
    EXPECT_FALSE(std::filesystem::exists(dir / "letter.eml.tmp"));
    // Again over the old file: the new content replaces it whole.
    ASSERT_TRUE(connectors::write_file_atomically(dir / "letter.eml", "short").ok());
    EXPECT_EQ(read_all(dir / "letter.eml"), "short");
    EXPECT_TRUE(connectors::sync_directory(dir).ok());
    std::filesystem::remove_all(dir);
}

TEST(Durability, AWriteIntoAMissingFolderFailsAndSaysWhere)
{
    auto missing = std::filesystem::temp_directory_path() / "redress-no-such-folder" / "x.eml";
    auto r = connectors::write_file_atomically(missing, "x");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("redress-no-such-folder"), std::string::npos) << r.error().message;
    EXPECT_FALSE(connectors::sync_directory(missing.parent_path()).ok());
}
