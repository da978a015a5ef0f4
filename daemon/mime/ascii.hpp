#pragma once
// A fast test for 7-bit text. Most header values and many bodies are plain ASCII, and ASCII is
// already valid UTF-8 in every charset mail uses (UTF-16/32 and UTF-7 aside), so this check lets
// the parser skip UTF-8 validation and charset conversion; it reads eight bytes at a time.

#include <cstdint>
#include <cstring>
#include <string_view>

namespace redress::mime {

inline bool is_ascii(std::string_view bytes)
{
    constexpr std::uint64_t k_high_bits = 0x8080808080808080ULL;
    const char* p = bytes.data();
    std::size_t n = bytes.size();
    std::uint64_t seen = 0;
    while (n >= 32) {
        std::uint64_t a, b, c, d;
        std::memcpy(&a, p, 8);
        std::memcpy(&b, p + 8, 8);
        std::memcpy(&c, p + 16, 8);
        std::memcpy(&d, p + 24, 8);
        if (((a | b | c | d) & k_high_bits) != 0)
            return false;
        p += 32;
        n -= 32;
    }
    while (n >= 8) {
        std::uint64_t a;
        std::memcpy(&a, p, 8);
        seen |= a;
        p += 8;
        n -= 8;
    }
    for (; n > 0; --n, ++p)
        seen |= static_cast<unsigned char>(*p);
    return (seen & k_high_bits) == 0;
}

}  // namespace redress::mime
