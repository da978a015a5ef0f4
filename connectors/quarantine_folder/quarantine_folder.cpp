#include "quarantine_folder.hpp"

#include "common/time.hpp"
#include "connectors/drop_folder/drop_folder.hpp"
#include "connectors/files.hpp"

namespace redress::connectors {

namespace fs = std::filesystem;

QuarantineFolder::QuarantineFolder(fs::path dir, const TimeSource& time)
    : m_dir(std::move(dir))
    , m_time(time)
{
}

Result<std::string> QuarantineFolder::keep(const pipeline::RawMessage& raw, std::string_view reason)
{
    std::error_code ec;
    fs::create_directories(m_dir, ec);
    auto now = m_time.now();
    std::string stamp = format_iso8601_utc(now);
    for (char& c : stamp)
        if (c == ':')
            c = '-';
    // The hash of the bytes names the file, so quarantining the same message twice keeps one copy.
    std::string hash = DropFolder::source_key(raw.bytes).substr(5, 16);
    fs::path base = m_dir / (stamp + "-" + hash);
    std::string note = "reason: " + std::string(reason) + "\nchannel: " + raw.channel + "\nsource: " + raw.source +
                       "\nsource_key: " + raw.source_key + "\nreceived_at: " + format_iso8601_utc(raw.received_at) +
                       "\nquarantined_at: " + format_iso8601_utc(now) + "\nsize: " + std::to_string(raw.bytes.size()) +
                       "\n";
    TRY(write_file_atomically(base.string() + ".eml", raw.bytes));
    TRY(write_file_atomically(base.string() + ".reason.txt", note));
    ++m_count;
    return base.string() + ".eml";
}

}  // namespace redress::connectors
