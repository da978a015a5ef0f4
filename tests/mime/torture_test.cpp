// Parses every file under the directories in REDRESS_TORTURE_DIRS (colon-separated), e.g. the
// SpamAssassin corpus and enmime's testdata. Each must give a Message or an Error with a message.

#include "../test_requirements.hpp"
#include "mime/parser.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace fs = std::filesystem;

TEST(MimeTorture, EveryCorpusFileYieldsAMessageOrAnError)
{
    const char* dirs = std::getenv("REDRESS_TORTURE_DIRS");
    if (dirs == nullptr || *dirs == '\0')
        REDRESS_REQUIRE_OR_SKIP(
            redress::testing::Requirement::corpora,
            "REDRESS_TORTURE_DIRS is not set: name corpus directories, separated by ':', to run the "
            "torture test (scripts/fetch-corpora --print)");

    std::vector<std::string> files;
    std::string list(dirs);
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t end = list.find(':', start);
        std::string dir = list.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!dir.empty()) {
            std::error_code ec;
            if (!fs::is_directory(dir, ec))
                ADD_FAILURE() << "not a directory: " << dir;
            else {
                std::size_t before = files.size();
                for (auto& entry :
                     fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec))
                    if (entry.is_regular_file())
                        files.push_back(entry.path().string());
                // A corpus that came out empty (a half-finished fetch) is a missing corpus, not a pass.
                EXPECT_GT(files.size(), before) << "no files under " << dir;
            }
        }
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    ASSERT_FALSE(files.empty()) << "no files under " << dirs;

    // Files are read first so that the rate below measures parsing, not the disk.
    std::vector<std::string> contents;
    contents.reserve(files.size());
    std::size_t bytes = 0;
    for (auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        std::ostringstream out;
        out << in.rdbuf();
        contents.push_back(out.str());
        bytes += contents.back().size();
    }

    std::size_t parsed = 0, errors = 0, with_warnings = 0;
    auto begin = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < contents.size(); ++i) {
        auto result = redress::mime::parse_message(contents[i]);
        if (result) {
            ++parsed;
            if (!result->warnings.empty())
                ++with_warnings;
        } else {
            ++errors;
            EXPECT_FALSE(result.error().message.empty()) << files[i];
            EXPECT_FALSE(result.error().code.empty()) << files[i];
        }
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    std::cout << "torture: files=" << files.size() << " parsed=" << parsed << " errors=" << errors
              << " with_warnings=" << with_warnings << " bytes=" << bytes << " seconds=" << seconds
              << " messages_per_second=" << (seconds > 0 ? files.size() / seconds : 0) << "\n";
    EXPECT_EQ(parsed + errors, files.size());
}
