#pragma once
// A tar archive (POSIX ustar, IEEE 1003.1-1988) written in memory: the customer's export holds one
// JSON document and their files (docs/privacy.md). Plain files only, mode 0644, owner 0; names are
// the caller's (at most 100 bytes, or 255 split at a '/' into ustar's prefix and name).

#include "common/result.hpp"
#include "common/time.hpp"

#include <string>
#include <string_view>

namespace redress::attachments {

class TarArchive {
public:
    // invalid for a name that does not fit ustar's fields, or that is empty.
    Result<void> add_file(std::string_view name, std::string_view bytes, TimePoint modified);
    // The archive with its end (two zero blocks); the archive is empty again afterwards.
    std::string finish();

private:
    std::string m_bytes;
};

// A name for a file inside an archive: `folder/<id>-<safe name>`, shortened (keeping the extension)
// to fit ustar's 100 bytes after the folder.
std::string archive_member_name(std::string_view folder, long long id, std::string_view file_name);

}  // namespace redress::attachments
