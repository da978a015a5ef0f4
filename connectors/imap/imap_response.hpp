#pragma once
// IMAP server responses (RFC 3501 section 7 / RFC 9051 section 7), read without a socket: the client
// feeds whatever bytes arrived, in any chunks, and takes out complete responses. A response may span
// several lines when it carries literals ("{67}\r\n" followed by 67 bytes); those bytes are kept
// apart in `literals`, in order, and the line text keeps the "{67}" marker where each one stood.

#include "common/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::connectors::imap {

struct ImapResponse {
    enum class Kind { untagged, tagged, continuation };
    Kind kind = Kind::untagged;
    std::string tag;   // for tagged responses: "R12"
    std::string text;  // after "* ", "+ " or the tag; CRLF removed, literal markers kept
    std::vector<std::string> literals;

    // For tagged responses and untagged status responses: "OK", "NO", "BAD", "BYE", "PREAUTH" (upper case).
    std::string status() const;
    // The text after the status word ("[READ-WRITE] Select completed").
    std::string_view status_text() const;
};

class ImapResponseReader {
public:
    // A literal or a line longer than these is refused: a broken or hostile server must not make
    // the daemon allocate without bound.
    explicit ImapResponseReader(std::size_t max_literal = 64 * 1024 * 1024, std::size_t max_line = 16 * 1024 * 1024);

    void feed(std::string_view bytes);
    // The next complete response, nullopt when more bytes are needed, or an error when the stream
    // is unusable (then the connection must be dropped).
    Result<std::optional<ImapResponse>> next();

private:
    std::optional<ImapResponse> finish_response();

    std::size_t m_max_literal;
    std::size_t m_max_line;
    std::string m_buffer;
    std::size_t m_pos = 0;
    std::string m_text;
    std::vector<std::string> m_literals;
    std::optional<std::size_t> m_literal_needed;
};

// The size of a literal announced at the end of a line ("... BODY[] {67}" or "{67+}"), if any.
std::optional<std::size_t> trailing_literal_size(std::string_view line);

}  // namespace redress::connectors::imap
