#pragma once
// What the daemon tests build around the process: a scratch folder, customer messages, the drop
// folder's write-then-rename, ticket queries through the CLI, and letters read back from disk.

#include "../letters/mail_reader.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace redress::testing {

// A fresh folder under /tmp, removed with everything in it at the end of the test.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

std::string read_file(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, const std::string& bytes);

// A plain English complaint from customer<index>@example.org (a different sender each, so the
// per-sender cap on automatic letters never applies), Message-ID <complaint-<tag>-<index>@example.org>.
std::string complaint_message(int index, const std::string& tag = "c");
std::string complaint_message_id(int index, const std::string& tag = "c");
// A complaint that threatens court and demands the money back: the classifier calls it major.
std::string major_complaint_message(const std::string& message_id);

// The drop folder takes only complete files: write under a dot name, then rename into place.
void drop_message(const std::filesystem::path& inbox, const std::string& name, const std::string& bytes);

// `redress tickets list --json` (parsed), or nullopt when the command failed.
std::optional<nlohmann::json> list_tickets(const std::filesystem::path& data_dir,
                                           const std::filesystem::path& config = {});
std::size_t ticket_count(const std::filesystem::path& data_dir, const std::filesystem::path& config = {});
// `redress tickets show NUMBER --json` (parsed), or nullopt.
std::optional<nlohmann::json> show_ticket(const std::filesystem::path& data_dir, const std::string& number,
                                          const std::filesystem::path& config = {});

// A letter as it lies on disk: the file outbox's .eml or aiosmtpd's Maildir file (which stores
// LF line ends; `wire` is then CRLF-normalised before reading).
struct StoredLetter {
    std::filesystem::path file;
    std::string bytes;
    letters::testing::ReadMessage mail;
    std::string header(const std::string& name) const { return mail.header(name); }
    // The body with its transfer encoding undone (a quoted-printable soft break may split any word).
    std::string body() const { return letters::testing::decoded_body(mail); }
};
std::vector<StoredLetter> letters_in(const std::filesystem::path& dir, bool normalise_line_ends = false);
// Maildir: the files in DIR/new and DIR/cur.
std::vector<StoredLetter> maildir_letters(const std::filesystem::path& maildir);
// How often each Message-ID occurs among the letters.
std::map<std::string, int> message_id_counts(const std::vector<StoredLetter>& letters);

}  // namespace redress::testing
