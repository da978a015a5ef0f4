// The drop folder (connectors/drop_folder) on a temporary directory, with an ingest function and a
// quarantine that only record what they were given.

#include "connectors/drop_folder/drop_folder.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace redress;
namespace fs = std::filesystem;

namespace {

const TimePoint k_now = parse_iso8601("2026-11-26T09:00:00Z").value();

class RecordingQuarantine final : public pipeline::Quarantine {
public:
    Result<std::string> keep(const pipeline::RawMessage& raw, std::string_view reason) override
    {
        kept.push_back({raw, std::string(reason)});
        return std::string("kept-") + std::to_string(kept.size());
    }
    std::vector<std::pair<pipeline::RawMessage, std::string>> kept;
};

class DropFolderTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("redress-drop-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir / "inbox");
        fs::create_directories(m_dir / "elsewhere");
    }
    void TearDown() override { fs::remove_all(m_dir); }

    connectors::DropFolder folder(std::uintmax_t max_size = connectors::DropFolder::k_default_max_size)
    {
        return connectors::DropFolder(
            m_dir / "inbox",
            [this](const pipeline::RawMessage& raw) -> Result<pipeline::IngestOutcome> {
                m_ingested.push_back(raw);
                return pipeline::IngestOutcome{};
            },
            m_quarantine, max_size);
    }

    void write(const fs::path& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

    fs::path m_dir;
    RecordingQuarantine m_quarantine;
    std::vector<pipeline::RawMessage> m_ingested;
};

const std::string k_message = "From: anna@customer.test\r\nSubject: broken\r\n\r\nThe kettle is broken.\r\n";

}  // namespace

TEST_F(DropFolderTest, ARegularFileIsIngestedAndRemoved)
{
    write(m_dir / "inbox" / "a.eml", k_message);
    auto drop = folder();
    auto r = drop.scan(k_now);
    EXPECT_EQ(r.processed, 1);
    EXPECT_EQ(r.skipped, 0);
    ASSERT_EQ(m_ingested.size(), 1u);
    EXPECT_EQ(m_ingested[0].bytes, k_message);
    EXPECT_EQ(m_ingested[0].source_key, connectors::DropFolder::source_key(k_message));
    EXPECT_FALSE(fs::exists(m_dir / "inbox" / "a.eml"));
}

TEST_F(DropFolderTest, AFileOverTheLimitIsNeverIngestedButQuarantinedByItsHeadAndMovedAside)
{
    std::string big = k_message + std::string(200 * 1024, 'x');
    write(m_dir / "inbox" / "big.eml", big);
    write(m_dir / "inbox" / "small.eml", k_message);
    auto drop = folder(100 * 1024);
    auto r = drop.scan(k_now);
    EXPECT_EQ(r.too_large, 1);
    EXPECT_EQ(r.processed, 1);
    ASSERT_EQ(m_ingested.size(), 1u);
    EXPECT_EQ(m_ingested[0].bytes, k_message);
    ASSERT_EQ(m_quarantine.kept.size(), 1u);
    const auto& [raw, reason] = m_quarantine.kept[0];
    EXPECT_EQ(raw.bytes.size(), connectors::DropFolder::k_kept_head);
    EXPECT_EQ(raw.bytes, big.substr(0, connectors::DropFolder::k_kept_head));
    EXPECT_NE(reason.find("the file has " + std::to_string(big.size()) + " bytes, more than the limit of 102400"),
              std::string::npos)
        << reason;
    EXPECT_FALSE(fs::exists(m_dir / "inbox" / "big.eml"));
    EXPECT_EQ(fs::file_size(m_dir / "inbox" / ".too-large" / "big.eml"), big.size()) << "kept whole, aside";
    // The next scan finds nothing more to do.
    auto again = drop.scan(k_now);
    EXPECT_EQ(again.processed + again.too_large + again.skipped, 0);
}

TEST_F(DropFolderTest, TwoOverSizeFilesOfOneNameAreBothKeptAside)
{
    std::string first = k_message + std::string(200 * 1024, 'a');
    std::string second = k_message + std::string(300 * 1024, 'b');
    auto drop = folder(100 * 1024);
    write(m_dir / "inbox" / "message.eml", first);
    EXPECT_EQ(drop.scan(k_now).too_large, 1);
    write(m_dir / "inbox" / "message.eml", second);
    EXPECT_EQ(drop.scan(k_now).too_large, 1);
    std::vector<std::uintmax_t> sizes;
    for (const auto& entry : fs::directory_iterator(m_dir / "inbox" / ".too-large"))
        sizes.push_back(entry.file_size());
    std::sort(sizes.begin(), sizes.end());
    ASSERT_EQ(sizes.size(), 2u) << "the second did not replace the first";
    EXPECT_EQ(sizes[0], first.size());
    EXPECT_EQ(sizes[1], second.size());
    ASSERT_EQ(m_quarantine.kept.size(), 2u);
    EXPECT_NE(m_quarantine.kept[0].first.source_key, m_quarantine.kept[1].first.source_key);
}

TEST_F(DropFolderTest, ASymbolicLinkIsSkippedAndWhatItPointsAtIsNeverRead)
{
    write(m_dir / "elsewhere" / "secret.eml", k_message);
    fs::create_symlink(m_dir / "elsewhere" / "secret.eml", m_dir / "inbox" / "link.eml");
    auto drop = folder();
    auto r = drop.scan(k_now);
    EXPECT_EQ(r.skipped, 1);
    EXPECT_EQ(r.processed, 0);
    EXPECT_TRUE(m_ingested.empty());
    EXPECT_TRUE(m_quarantine.kept.empty());
    EXPECT_TRUE(fs::is_symlink(m_dir / "inbox" / "link.eml")) << "left where it is";
    EXPECT_TRUE(fs::exists(m_dir / "elsewhere" / "secret.eml"));
    // Counted on every scan (logged once only).
    EXPECT_EQ(drop.scan(k_now).skipped, 1);
}

TEST_F(DropFolderTest, AFifoAndADirectoryAreSkippedWithoutBlocking)
{
    ASSERT_EQ(::mkfifo((m_dir / "inbox" / "pipe.eml").c_str(), 0600), 0);
    fs::create_directories(m_dir / "inbox" / "folder.eml");
    write(m_dir / "inbox" / "real.eml", k_message);
    auto drop = folder();
    auto r = drop.scan(k_now);
    EXPECT_EQ(r.skipped, 2);
    EXPECT_EQ(r.processed, 1);
    ASSERT_EQ(m_ingested.size(), 1u);
    EXPECT_EQ(m_ingested[0].bytes, k_message);
}
