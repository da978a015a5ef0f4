#include "address_parser.hpp"

#include "common/text.hpp"

namespace redress::mime {

namespace {

// Collapses runs of blanks to one space and trims.
std::string squeeze(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    bool blank = false;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            blank = true;
            continue;
        }
        if (blank && !out.empty())
            out.push_back(' ');
        blank = false;
        out.push_back(c);
    }
    return out;
}

class MailboxBuilder {
public:
    MailboxBuilder(const HeaderDecoder& decoder, CharsetReport& report)
        : m_decoder(decoder)
        , m_report(report)
    {
    }

    std::string phrase;   // display name words, quotes removed, encoded words still encoded
    std::string angle;    // text inside <...>
    std::string comment;  // the first comment, used as a name by the obsolete "addr (Name)" form
    bool has_angle = false;

    void finish(std::vector<Mailbox>& out)
    {
        Mailbox m;
        std::string name = squeeze(phrase);
        if (has_angle) {
            m.address = squeeze(angle);
            // RFC 5322 4.4 obsolete route "<@relay:user@host>".
            if (!m.address.empty() && m.address.front() == '@') {
                if (auto colon = m.address.find(':'); colon != std::string::npos)
                    m.address.erase(0, colon + 1);
            }
        } else {
            // No angle brackets: "user@host", "user@host (Name)" or the sloppy "Name user@host".
            auto last_space = name.rfind(' ');
            std::string_view last = last_space == std::string::npos ? std::string_view(name)
                                                                    : std::string_view(name).substr(last_space + 1);
            if (last.find('@') != std::string_view::npos) {
                m.address = std::string(last);
                name.resize(last_space == std::string::npos ? 0 : last_space);
            } else if (name.find('@') != std::string::npos) {
                m.address = name;
                name.clear();
            } else if (name.find(' ') == std::string::npos && !name.empty()) {
                m.address = name;  // a local part alone ("postmaster")
                name.clear();
            }
        }
        if (name.empty())
            name = squeeze(comment);
        m.name = m_decoder.decode(name, m_report);
        if (m.name.size() >= 2 &&
            ((m.name.front() == '"' && m.name.back() == '"') || (m.name.front() == '\'' && m.name.back() == '\''))) {
            m.name = m.name.substr(1, m.name.size() - 2);
        }
        if (!m.empty())
            out.push_back(std::move(m));
        phrase.clear();
        angle.clear();
        comment.clear();
        has_angle = false;
    }

private:
    const HeaderDecoder& m_decoder;
    CharsetReport& m_report;
};

}  // namespace

std::vector<Mailbox> AddressParser::parse_list(std::string_view raw, const HeaderDecoder& decoder,
                                               CharsetReport& report)
{
    std::vector<Mailbox> out;
    MailboxBuilder mb(decoder, report);
    bool in_group = false;
    std::size_t i = 0;
    const std::size_t n = raw.size();
    while (i < n) {
        char c = raw[i];
        if (c == '"') {
            // Quoted string (RFC 5322 3.2.4): unescape and keep as part of the display name.
            std::string& target = mb.phrase;
            ++i;
            while (i < n && raw[i] != '"') {
                if (raw[i] == '\\' && i + 1 < n)
                    ++i;
                target.push_back(raw[i]);
                ++i;
            }
            ++i;
            target.push_back(' ');
            continue;
        }
        if (c == '(') {
            int depth = 0;
            std::string text;
            while (i < n) {
                char d = raw[i++];
                if (d == '\\' && i < n) {
                    text.push_back(raw[i++]);
                    continue;
                }
                if (d == '(') {
                    if (depth++ > 0)
                        text.push_back(d);
                } else if (d == ')') {
                    if (--depth == 0)
                        break;
                    text.push_back(d);
                } else {
                    text.push_back(d);
                }
            }
            if (mb.comment.empty())
                mb.comment = std::move(text);
            mb.phrase.push_back(' ');
            continue;
        }
        if (c == '<') {
            std::size_t close = raw.find('>', i + 1);
            std::size_t end = close == std::string_view::npos ? n : close;
            mb.angle.assign(raw.substr(i + 1, end - i - 1));
            mb.has_angle = true;
            i = close == std::string_view::npos ? n : close + 1;
            continue;
        }
        if (c == ',') {
            mb.finish(out);
            ++i;
            continue;
        }
        if (c == ':' && !in_group && !mb.has_angle) {
            // "Group name: a@b, c@d;" - the phrase so far was the group's name.
            in_group = true;
            mb.phrase.clear();
            mb.comment.clear();
            ++i;
            continue;
        }
        if (c == ';' && in_group) {
            mb.finish(out);
            in_group = false;
            ++i;
            continue;
        }
        mb.phrase.push_back(c);
        ++i;
    }
    mb.finish(out);
    return out;
}

}  // namespace redress::mime
