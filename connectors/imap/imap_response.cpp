#include "imap_response.hpp"

#include "common/text.hpp"

#include <cctype>

namespace redress::connectors::imap {

namespace {

}  // namespace

std::string ImapResponse::status() const
{
    auto end = text.find(' ');
    return ascii_upper(std::string_view(text).substr(0, end));
}

std::string_view ImapResponse::status_text() const
{
    auto space = text.find(' ');
    if (space == std::string::npos)
        return {};
    return std::string_view(text).substr(space + 1);
}

std::optional<std::size_t> trailing_literal_size(std::string_view line)
{
    if (line.empty() || line.back() != '}')
        return std::nullopt;
    auto open = line.rfind('{');
    if (open == std::string_view::npos)
        return std::nullopt;
    auto digits = line.substr(open + 1, line.size() - open - 2);
    // RFC 7888 non-synchronizing literals ("{67+}") only come from clients, but accepting the form
    // costs nothing.
    if (!digits.empty() && digits.back() == '+')
        digits.remove_suffix(1);
    if (digits.empty() || digits.size() > 18)
        return std::nullopt;
    std::size_t size = 0;
    for (char c : digits) {
        if (c < '0' || c > '9')
            return std::nullopt;
        size = size * 10 + static_cast<std::size_t>(c - '0');
    }
    return size;
}

ImapResponseReader::ImapResponseReader(std::size_t max_literal, std::size_t max_line)
    : m_max_literal(max_literal)
    , m_max_line(max_line)
{
}

void ImapResponseReader::feed(std::string_view bytes)
{
    // Drop what has been consumed before growing the buffer, so a long session does not keep
    // every byte it ever read.
    if (m_pos > 0 && m_pos * 2 >= m_buffer.size()) {
        m_buffer.erase(0, m_pos);
        m_pos = 0;
    }
    m_buffer.append(bytes);
}

Result<std::optional<ImapResponse>> ImapResponseReader::next()
{
    for (;;) {
        if (m_literal_needed) {
            if (m_buffer.size() - m_pos < *m_literal_needed)
                return std::optional<ImapResponse>{};
            m_literals.emplace_back(m_buffer, m_pos, *m_literal_needed);
            m_pos += *m_literal_needed;
            m_literal_needed.reset();
            continue;
        }
        auto lf = m_buffer.find('\n', m_pos);
        if (lf == std::string::npos) {
            if (m_buffer.size() - m_pos + m_text.size() > m_max_line)
                return make_error(ErrorKind::invalid, "imap.protocol",
                                  "the IMAP server sent a line longer than the client accepts");
            return std::optional<ImapResponse>{};
        }
        std::string_view line(m_buffer.data() + m_pos, lf - m_pos);
        // RFC 3501 section 2.2 says CRLF; tolerate a bare LF from sloppy servers.
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        m_pos = lf + 1;
        if (m_text.size() + line.size() > m_max_line)
            return make_error(ErrorKind::invalid, "imap.protocol",
                              "the IMAP server sent a line longer than the client accepts");
        m_text.append(line);
        if (auto size = trailing_literal_size(line)) {
            if (*size > m_max_literal)
                return make_error(ErrorKind::invalid, "imap.protocol",
                                  "the IMAP server announced a literal of " + std::to_string(*size) +
                                      " bytes, more than the client accepts");
            m_literal_needed = *size;
            continue;
        }
        return finish_response();
    }
}

std::optional<ImapResponse> ImapResponseReader::finish_response()
{
    ImapResponse response;
    std::string_view text(m_text);
    if (text.substr(0, 2) == "* ") {
        response.kind = ImapResponse::Kind::untagged;
        response.text = std::string(text.substr(2));
    } else if (text == "+" || text.substr(0, 2) == "+ ") {
        response.kind = ImapResponse::Kind::continuation;
        response.text = text.size() > 2 ? std::string(text.substr(2)) : std::string();
    } else {
        response.kind = ImapResponse::Kind::tagged;
        auto space = text.find(' ');
        response.tag = std::string(text.substr(0, space));
        response.text = space == std::string_view::npos ? std::string() : std::string(text.substr(space + 1));
    }
    response.literals = std::move(m_literals);
    m_literals.clear();
    m_text.clear();
    return response;
}

}  // namespace redress::connectors::imap
