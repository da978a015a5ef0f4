#include "daemon_fixtures.hpp"

#include "daemon_process.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace redress::testing {

namespace fs = std::filesystem;

ScratchDir::ScratchDir()
{
    std::string pattern = (fs::temp_directory_path() / "redress-app-XXXXXX").string();
    if (char* made = ::mkdtemp(pattern.data()))
        m_path = made;
}

ScratchDir::~ScratchDir()
{
    // REDRESS_KEEP_SCRATCH=1 keeps the folder (daemon logs, outbox) for a look after a failure.
    if (const char* keep = std::getenv("REDRESS_KEEP_SCRATCH"); keep && *keep == '1')
        return;
    std::error_code ignored;
    if (!m_path.empty())
        fs::remove_all(m_path, ignored);
}

std::string read_file(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const fs::path& file, const std::string& bytes)
{
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
}

std::string complaint_message_id(int index, const std::string& tag)
{
    return "complaint-" + tag + "-" + std::to_string(index) + "@example.org";
}

std::string complaint_message(int index, const std::string& tag)
{
    std::string n = std::to_string(index);
    return "From: Customer " + n + " <customer" + n +
           "@example.org>\r\n"
           "To: Support <support@example.com>\r\n"
           "Subject: Order " +
           n +
           " arrived broken\r\n"
           "Date: Thu, 26 Nov 2026 09:15:00 +0300\r\n"
           "Message-ID: <" +
           complaint_message_id(index, tag) +
           ">\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n"
           "\r\n"
           "Hello,\r\n"
           "\r\n"
           "The kettle I ordered (order " +
           n +
           ") arrived broken and nobody answers the phone.\r\n"
           "I am very disappointed with your service. I want a replacement.\r\n"
           "\r\n"
           "Customer " +
           n + "\r\n";
}

std::string major_complaint_message(const std::string& message_id)
{
    return "From: Boris Major <boris@example.net>\r\n"
           "To: Support <support@example.com>\r\n"
           "Subject: Refund now or I go to court\r\n"
           "Date: Thu, 26 Nov 2026 10:00:00 +0300\r\n"
           "Message-ID: <" +
           message_id +
           ">\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n"
           "\r\n"
           "Your heater caught fire in my kitchen. This is dangerous and unacceptable.\r\n"
           "I demand a full refund of the money I paid within three days. My lawyer is\r\n"
           "preparing a claim and I will take you to court if you ignore this complaint.\r\n"
           "\r\n"
           "Boris Major\r\n";
}

void drop_message(const fs::path& inbox, const std::string& name, const std::string& bytes)
{
    fs::path hidden = inbox / ("." + name);
    write_file(hidden, bytes);
    fs::rename(hidden, inbox / name);
}

namespace {

std::vector<std::string> with_config(std::vector<std::string> args, const fs::path& data_dir, const fs::path& config)
{
    args.push_back("--data-dir");
    args.push_back(data_dir.string());
    if (!config.empty()) {
        args.push_back("--config");
        args.push_back(config.string());
    }
    return args;
}

}  // namespace

std::optional<nlohmann::json> list_tickets(const fs::path& data_dir, const fs::path& config)
{
    auto r = run_redress(with_config({"tickets", "list", "--json", "--limit", "1000"}, data_dir, config));
    if (r.exit_code != 0)
        return std::nullopt;
    auto parsed = nlohmann::json::parse(r.out, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_array())
        return std::nullopt;
    return parsed;
}

std::size_t ticket_count(const fs::path& data_dir, const fs::path& config)
{
    auto list = list_tickets(data_dir, config);
    return list ? list->size() : 0;
}

std::optional<nlohmann::json> show_ticket(const fs::path& data_dir, const std::string& number, const fs::path& config)
{
    auto r = run_redress(with_config({"tickets", "show", number, "--json"}, data_dir, config));
    if (r.exit_code != 0)
        return std::nullopt;
    auto parsed = nlohmann::json::parse(r.out, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        return std::nullopt;
    return parsed;
}

namespace {

std::string crlf(const std::string& text)
{
    std::string out;
    out.reserve(text.size() + text.size() / 40);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
            out += '\r';
        out += text[i];
    }
    return out;
}

}  // namespace

std::vector<StoredLetter> letters_in(const fs::path& dir, bool normalise_line_ends)
{
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        // Files being written (atomic rename) start with a dot or end in .tmp.
        if (it->is_regular_file() && !name.empty() && name.front() != '.' && !name.ends_with(".tmp"))
            files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    std::vector<StoredLetter> out;
    for (auto& file : files) {
        StoredLetter letter;
        letter.file = file;
        letter.bytes = read_file(file);
        letter.mail = letters::testing::read_message(normalise_line_ends ? crlf(letter.bytes) : letter.bytes);
        out.push_back(std::move(letter));
    }
    return out;
}

std::vector<StoredLetter> maildir_letters(const fs::path& maildir)
{
    auto out = letters_in(maildir / "new", true);
    auto cur = letters_in(maildir / "cur", true);
    out.insert(out.end(), cur.begin(), cur.end());
    return out;
}

std::map<std::string, int> message_id_counts(const std::vector<StoredLetter>& letters)
{
    std::map<std::string, int> counts;
    for (auto& l : letters)
        ++counts[l.header("Message-ID")];
    return counts;
}

}  // namespace redress::testing
