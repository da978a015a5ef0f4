// The quarantine folder on a test clock: the time in a kept file's name and in its reason note is
// the TimeSource's, so a test (and an operator reading the folder) can tell when a message was set aside.

#include "connectors/quarantine_folder/quarantine_folder.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace redress::connectors {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

TEST(QuarantineFolder, NamesAndNotesAKeptMessageWithTheTimeSourcesTime)
{
    fs::path dir = fs::temp_directory_path() / ("redress-quarantine-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    ManualTimeSource clock(parse_iso8601("2026-11-30T09:15:00Z").value());
    QuarantineFolder quarantine(dir, clock);

    pipeline::RawMessage raw;
    raw.channel = "email";
    raw.source = "drop-folder";
    raw.source_key = "drop:abc";
    raw.bytes = "not a message";
    raw.received_at = parse_iso8601("2026-11-30T09:00:00Z").value();
    clock.advance(Seconds{90});
    auto kept = quarantine.keep(raw, "mime.empty: no header");
    ASSERT_TRUE(kept.ok()) << kept.error().message;

    fs::path eml(*kept);
    EXPECT_EQ(eml.parent_path(), dir);
    EXPECT_EQ(eml.filename().string().rfind("2026-11-30T09-16-30Z-", 0), 0u) << eml;
    EXPECT_EQ(slurp(eml), "not a message");
    std::string note = slurp(eml.string().substr(0, eml.string().size() - 4) + ".reason.txt");
    EXPECT_NE(note.find("reason: mime.empty: no header\n"), std::string::npos) << note;
    EXPECT_NE(note.find("received_at: 2026-11-30T09:00:00Z\n"), std::string::npos) << note;
    EXPECT_NE(note.find("quarantined_at: 2026-11-30T09:16:30Z\n"), std::string::npos) << note;
    EXPECT_EQ(quarantine.count(), 1);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace redress::connectors
