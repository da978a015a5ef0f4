#include "tar_archive.hpp"

#include "file_type.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace redress::attachments {

namespace {

constexpr std::size_t k_block = 512;

// An octal number in a field of `width` bytes: digits, then a NUL.
void put_octal(std::array<char, k_block>& header, std::size_t at, std::size_t width, unsigned long long value)
{
    std::string digits;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + (value & 7U)));
        value >>= 3U;
    } while (value != 0);
    if (digits.size() < width - 1)
        digits.insert(0, width - 1 - digits.size(), '0');
    std::copy(digits.begin(), digits.end(), header.begin() + static_cast<std::ptrdiff_t>(at));
    header[at + width - 1] = '\0';
}

void put_text(std::array<char, k_block>& header, std::size_t at, std::string_view text)
{
    std::copy(text.begin(), text.end(), header.begin() + static_cast<std::ptrdiff_t>(at));
}

// Cuts a UTF-8 text to at most `size` bytes without splitting a character.
std::string_view cut_utf8(std::string_view text, std::size_t size)
{
    if (text.size() <= size)
        return text;
    while (size > 0 && (static_cast<unsigned char>(text[size]) & 0xC0U) == 0x80U)
        --size;
    return text.substr(0, size);
}

}  // namespace

Result<void> TarArchive::add_file(std::string_view name, std::string_view bytes, TimePoint modified)
{
    std::string_view prefix;
    std::string_view rest = name;
    if (name.size() > 100) {
        auto slash = name.rfind('/', 155);
        if (slash == std::string_view::npos || name.size() - slash - 1 > 100 || slash == 0)
            return make_error(ErrorKind::invalid, "tar.name",
                              "the name is too long for a tar archive: " + std::string(name.substr(0, 60)) + "...");
        prefix = name.substr(0, slash);
        rest = name.substr(slash + 1);
    }
    if (rest.empty())
        return make_error(ErrorKind::invalid, "tar.name", "a member of a tar archive needs a name");
    std::array<char, k_block> header{};
    put_text(header, 0, rest);
    put_octal(header, 100, 8, 0644);
    put_octal(header, 108, 8, 0);
    put_octal(header, 116, 8, 0);
    put_octal(header, 124, 12, bytes.size());
    auto seconds = modified.time_since_epoch().count();
    put_octal(header, 136, 12, seconds > 0 ? static_cast<unsigned long long>(seconds) : 0ULL);
    std::fill(header.begin() + 148, header.begin() + 156, ' ');  // the checksum counts as spaces
    header[156] = '0';                                           // a regular file
    put_text(header, 257, std::string_view("ustar\0", 6));
    put_text(header, 263, "00");
    put_text(header, 265, "redress");
    put_text(header, 297, "redress");
    put_text(header, 345, prefix);
    unsigned long long sum = 0;
    for (char c : header)
        sum += static_cast<unsigned char>(c);
    put_octal(header, 148, 7, sum);  // six digits and a NUL, then the space already there
    m_bytes.append(header.data(), header.size());
    m_bytes.append(bytes);
    m_bytes.append((k_block - bytes.size() % k_block) % k_block, '\0');
    return {};
}

std::string TarArchive::finish()
{
    m_bytes.append(2 * k_block, '\0');
    std::string out;
    out.swap(m_bytes);
    return out;
}

std::string archive_member_name(std::string_view folder, long long id, std::string_view file_name)
{
    std::string head = std::to_string(id) + "-";
    std::string safe = safe_filename(file_name);
    constexpr std::size_t k_room = 100;
    if (head.size() + safe.size() > k_room) {
        auto dot = safe.rfind('.');
        std::string extension = dot != std::string::npos && safe.size() - dot <= 16 ? safe.substr(dot) : "";
        std::string stem = safe.substr(0, safe.size() - extension.size());
        safe = std::string(cut_utf8(stem, k_room - head.size() - extension.size())) + extension;
    }
    return std::string(folder) + "/" + head + safe;
}

}  // namespace redress::attachments
