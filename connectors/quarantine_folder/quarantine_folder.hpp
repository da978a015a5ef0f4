#pragma once
// Quarantine on disk: <data_dir>/quarantine/<time>-<hash>.eml with the bytes exactly as received,
// and beside it <same>.reason.txt saying why, where it came from and when. The time in the name and
// the note comes from a TimeSource (the system clock unless a test gives a ManualTimeSource).

#include "common/time_source.hpp"
#include "pipeline/quarantine.hpp"

#include <atomic>
#include <filesystem>

namespace redress::connectors {

class QuarantineFolder final : public pipeline::Quarantine {
public:
    explicit QuarantineFolder(std::filesystem::path dir, const TimeSource& time = system_time());
    Result<std::string> keep(const pipeline::RawMessage& raw, std::string_view reason) override;
    long count() const { return m_count.load(); }

private:
    std::filesystem::path m_dir;
    const TimeSource& m_time;
    std::atomic<long> m_count{0};
};

}  // namespace redress::connectors
