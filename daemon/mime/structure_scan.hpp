#pragma once
// A quick pass over the raw bytes before mimetic sees them. mimetic recurses without limit and,
// for a multipart without a boundary parameter, splits at every "--" in the text (a part object
// each): both would let one hostile message cost unbounded stack or memory. The scan counts
// container headers and marks the boundary-less ones so they can be neutralised first.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace redress::mime {

// Written over "multipart" (same length) in a Content-Type without a boundary, so mimetic reads
// the part as a leaf and the builder can guess the boundary itself.
inline constexpr std::string_view k_unbounded_marker = "x-nobound";

class StructureScan {
public:
    static StructureScan scan(std::string_view bytes);

    // Content-Type lines that name multipart/* or message/*.
    std::size_t containers() const { return m_containers; }
    // Offsets of the word "multipart" in Content-Type values that lack a boundary parameter.
    const std::vector<std::size_t>& unbounded() const { return m_unbounded; }

    // A copy of bytes with every unbounded "multipart" overwritten by k_unbounded_marker.
    std::string neutralise(std::string_view bytes) const;

private:
    std::size_t m_containers = 0;
    std::vector<std::size_t> m_unbounded;
};

}  // namespace redress::mime
