// The attachment store on a real folder: files by SHA-256 in two-digit folders, the same bytes kept
// once, and the sweep that removes files nobody refers to once the grace period has passed (on a test
// clock: the file's time is the `now` it was written at).

#include "attachments/file_store.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace redress;
using namespace redress::attachments;
namespace fs = std::filesystem;

namespace {

const TimePoint k_now = parse_iso8601("2026-11-26T09:00:00Z").value();
constexpr Seconds k_grace{24 * 3600};

class FileStoreTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("redress-files-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    std::size_t files_under_root() const
    {
        std::size_t n = 0;
        for (const auto& e : fs::recursive_directory_iterator(m_dir / "attachments"))
            n += e.is_regular_file() ? 1 : 0;
        return n;
    }

    fs::path m_dir;
};

TEST_F(FileStoreTest, KeepsBytesUnderTheirDigestInATwoDigitFolder)
{
    FileStore store(m_dir / "attachments");
    auto digest = store.put("hello", k_now);
    ASSERT_TRUE(digest.ok()) << digest.error().message;
    // SHA-256("hello"), RFC 6234's algorithm as every tool computes it.
    EXPECT_EQ(*digest, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    EXPECT_TRUE(
        fs::exists(m_dir / "attachments" / "2c" / "f24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"));
    EXPECT_EQ(store.read(*digest).value(), "hello");
    EXPECT_EQ(files_under_root(), 1u);  // no temporary file left behind
}

TEST_F(FileStoreTest, TheSameBytesTwiceAreOneFile)
{
    FileStore store(m_dir / "attachments");
    auto first = store.put(std::string(100000, 'x'), k_now).value();
    auto second = store.put(std::string(100000, 'x'), k_now + Seconds{60}).value();
    EXPECT_EQ(first, second);
    EXPECT_EQ(files_under_root(), 1u);
}

TEST_F(FileStoreTest, ReadingAMissingOrMalformedDigestIsNotFound)
{
    FileStore store(m_dir / "attachments");
    auto missing = store.read(std::string(64, 'a'));
    ASSERT_FALSE(missing.ok());
    EXPECT_TRUE(missing.error().is(ErrorKind::not_found));
    auto escape = store.read("../../etc/passwd");
    ASSERT_FALSE(escape.ok());
    EXPECT_TRUE(escape.error().is(ErrorKind::not_found));
}

TEST_F(FileStoreTest, SweepRemovesUnreferencedFilesOnlyAfterTheGracePeriod)
{
    FileStore store(m_dir / "attachments");
    std::string kept = store.put("referenced by a message", k_now).value();
    std::string orphan = store.put("written, then the transaction failed", k_now).value();

    // Within the grace period nothing goes: the orphan may belong to a transaction still in flight.
    auto early = store.sweep({kept}, k_now + Seconds{3600}, k_grace);
    EXPECT_EQ(early.removed, 0);
    EXPECT_TRUE(fs::exists(store.path_of(orphan)));

    auto late = store.sweep({kept}, k_now + k_grace + Seconds{1}, k_grace);
    EXPECT_EQ(late.removed, 1);
    EXPECT_EQ(late.kept, 1);
    EXPECT_FALSE(fs::exists(store.path_of(orphan)));
    EXPECT_TRUE(fs::exists(store.path_of(kept)));
}

TEST_F(FileStoreTest, KeepingAnOldOrphanAgainMakesItYoung)
{
    // An orphan from long ago is sent again: the new message will refer to it, and a sweep that read
    // the references before that commit must not take it away.
    FileStore store(m_dir / "attachments");
    std::string digest = store.put("photo", k_now).value();
    TimePoint later = k_now + Seconds{30 * 24 * 3600};
    ASSERT_TRUE(store.put("photo", later).ok());
    auto report = store.sweep({}, later + Seconds{60}, k_grace);
    EXPECT_EQ(report.removed, 0);
    EXPECT_TRUE(fs::exists(store.path_of(digest)));
}

TEST_F(FileStoreTest, SweepLeavesFilesThatAreNotOursAndRemovesOldTemporaries)
{
    FileStore store(m_dir / "attachments");
    std::string digest = store.put("x", k_now).value();
    fs::path folder = store.path_of(digest).parent_path();
    std::ofstream(folder / "README") << "not an attachment";
    fs::path temporary = folder / (digest.substr(2) + ".tmp.1.1");
    std::ofstream(temporary) << "half a file from a crash";
    fs::last_write_time(temporary, fs::file_time_type::clock::now() - std::chrono::hours(24 * 400));
    auto report = store.sweep({digest}, k_now + k_grace * 2, k_grace);
    EXPECT_EQ(report.removed, 1);
    EXPECT_FALSE(fs::exists(temporary));
    EXPECT_TRUE(fs::exists(folder / "README"));
    EXPECT_TRUE(fs::exists(store.path_of(digest)));
}

TEST_F(FileStoreTest, SweepOfAMissingFolderDoesNothing)
{
    FileStore store(m_dir / "nothing-here");
    auto report = store.sweep({}, k_now, k_grace);
    EXPECT_EQ(report.removed + report.kept + report.failed, 0);
}

}  // namespace
