#include "structure_scan.hpp"

#include "common/text.hpp"

#include <cstring>

namespace redress::mime {

StructureScan StructureScan::scan(std::string_view bytes)
{
    StructureScan result;
    std::size_t pos = 0;
    const std::size_t n = bytes.size();
    while (pos < n) {
        std::size_t eol = bytes.find('\n', pos);
        std::size_t line_end = eol == std::string_view::npos ? n : eol;
        char c = bytes[pos];
        if ((c == 'C' || c == 'c') && line_end - pos > 13 && istarts_with(bytes.substr(pos, 13), "content-type:")) {
            // The field with its continuation lines.
            std::size_t field_end = line_end;
            while (field_end < n && field_end + 1 < n &&
                   (bytes[field_end + 1] == ' ' || bytes[field_end + 1] == '\t')) {
                std::size_t more = bytes.find('\n', field_end + 1);
                field_end = more == std::string_view::npos ? n : more;
            }
            std::string_view value = bytes.substr(pos + 13, field_end - pos - 13);
            std::string_view head = trim(value.substr(0, std::min<std::size_t>(value.size(), 40)));
            if (istarts_with(head, "multipart") || istarts_with(head, "message/")) {
                ++result.m_containers;
                if (istarts_with(head, "multipart") && !icontains(value, "boundary"))
                    result.m_unbounded.push_back(pos + 13 + static_cast<std::size_t>(head.data() - value.data()));
            }
            line_end = field_end;
        }
        pos = line_end + 1;
    }
    return result;
}

std::string StructureScan::neutralise(std::string_view bytes) const
{
    std::string copy(bytes);
    for (std::size_t offset : m_unbounded)
        std::memcpy(copy.data() + offset, k_unbounded_marker.data(), k_unbounded_marker.size());
    return copy;
}

}  // namespace redress::mime
