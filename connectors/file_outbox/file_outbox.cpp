#include "file_outbox.hpp"

#include "common/time.hpp"
#include "connectors/files.hpp"

namespace redress::connectors {

FileOutbox::FileOutbox(std::filesystem::path dir)
    : m_dir(std::move(dir))
{
}

std::filesystem::path FileOutbox::path_for(const Letter& letter) const
{
    std::string stamp = format_iso8601_utc(letter.created_at);
    for (char& c : stamp)
        if (c == ':')
            c = '-';
    // The ticket number is in the subject tag; the file name uses the letter id, which is unique,
    // so writing the same letter again after a crash replaces the file instead of doubling it.
    std::string name = stamp + "-" + letter.template_name + "-" + std::to_string(letter.id) +
                       (letter.channel == "email" ? ".eml" : ".txt");
    return m_dir / name;
}

SendResult FileOutbox::send(const Letter& letter)
{
    std::error_code ec;
    std::filesystem::create_directories(m_dir, ec);
    auto r = write_file_atomically(path_for(letter), letter.content);
    if (!r)
        return SendResult{SendResult::Status::temporary_failure, r.error().message, {}};
    return SendResult{SendResult::Status::sent, path_for(letter).string(), {}};
}

}  // namespace redress::connectors
