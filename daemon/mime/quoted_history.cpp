#include "quoted_history.hpp"

#include "common/text.hpp"

#include <vector>

namespace redress::mime {

namespace {

bool ends_with(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_quote_line(std::string_view line)
{
    std::size_t i = 0;
    while (i < line.size() && i < 4 && line[i] == ' ')
        ++i;
    return i < line.size() && line[i] == '>';
}

std::vector<std::string_view> lines_of(std::string_view body)
{
    std::vector<std::string_view> lines = split(body, '\n');
    if (!lines.empty() && lines.back().empty())
        lines.pop_back();
    return lines;
}

// Joins lines [from, to) with "\n", dropping blank lines at both ends.
std::string join(const std::vector<std::string_view>& lines, std::size_t from, std::size_t to)
{
    while (from < to && trim(lines[from]).empty())
        ++from;
    while (to > from && trim(lines[to - 1]).empty())
        --to;
    std::string out;
    for (std::size_t i = from; i < to; ++i) {
        out.append(lines[i]);
        if (i + 1 < to)
            out.push_back('\n');
    }
    return out;
}

// Outlook and Thunderbird place a header block ("From: ... / Sent: ... / To: ... / Subject: ...")
// above the quoted message instead of an attribution line, in the language of the client.
bool opens_header_block(const std::vector<std::string_view>& lines, std::size_t i)
{
    static constexpr std::string_view k_from[] = {"From:", "От:", "De:", "Von:", "*From:*"};
    static constexpr std::string_view k_next[] = {
        "Sent:",     "Date:",  "Отправлено:", "Дата:",    "Enviado:", "Enviada:",
        "Gesendet:", "Datum:", "Fecha:",      "Envoyé :", "Envoyé:",  "*Sent:*"};
    std::string_view line = trim(lines[i]);
    // Each opening label ends in ':' within its first eight bytes ("*From:*", "От:").
    if (line.substr(0, 8).find(':') == std::string_view::npos)
        return false;
    bool from = false;
    for (auto p : k_from)
        if (istarts_with(line, p))
            from = true;
    if (!from)
        return false;
    for (std::size_t k = i + 1; k < lines.size() && k <= i + 3; ++k) {
        std::string_view next = trim(lines[k]);
        for (auto p : k_next)
            if (istarts_with(next, p))
                return true;
    }
    return false;
}

// Two lines joined can only be an attribution when the first starts with '-' or the second ends
// with ':' (see is_attribution); checking this first spares a copy of nearly every line pair.
bool could_join_to_attribution(std::string_view first, std::string_view second)
{
    return first.front() == '-' || second.back() == ':';
}

}  // namespace

bool QuotedHistory::is_attribution(std::string_view raw)
{
    std::string_view line = trim(raw);
    if (line.empty() || line.size() > 400)
        return false;
    // Every form below starts with '-' or ends with ':'; most lines of a body do neither.
    if (line.front() != '-' && line.back() != ':')
        return false;
    // Separators written by Outlook, Apple Mail and Russian clients.
    if (line.size() > 10 && line.front() == '-' &&
        (icontains(line, "original message") || icontains(line, "исходное сообщение") ||
         icontains(line, "mensagem original") || icontains(line, "mensaje original") ||
         icontains(line, "ursprüngliche nachricht") || icontains(line, "message d'origine")))
        return true;
    // "On Tue, 3 Mar 2026, Anna <a@b> wrote:".
    if (ends_with(line, "wrote:") && (istarts_with(line, "On ") || line.find('@') != std::string_view::npos))
        return true;
    // Russian: "3 марта 2026 г., в 10:00, Анна <a@b> написал(а):".
    if (ends_with(line, "написал(а):") || ends_with(line, "написал:") || ends_with(line, "написала:") ||
        ends_with(line, "пишет:"))
        return true;
    // Portuguese "Em ..., Ana escreveu:", Spanish "El ..., Ana escribió:", French "Le ..., Anne a écrit :".
    if (ends_with(line, "escreveu:") || ends_with(line, "escribió:") || ends_with(line, "a écrit :") ||
        ends_with(line, "a écrit:"))
        return true;
    // German: "Am 03.03.2026 um 10:00 schrieb Anna <a@b>:".
    if ((istarts_with(line, "Am ") || line.find(" schrieb ") != std::string_view::npos ||
         ends_with(line, "schrieb:")) &&
        line.find("schrieb") != std::string_view::npos && line.back() == ':')
        return true;
    return false;
}

SplitText QuotedHistory::split(std::string_view body)
{
    SplitText result;
    std::vector<std::string_view> lines = lines_of(body);
    const std::size_t n = lines.size();

    // The first attribution line (possibly wrapped over two lines) or header block opens history.
    std::size_t history = n;
    for (std::size_t i = 0; i < n && history == n; ++i) {
        if (is_quote_line(lines[i]))
            continue;
        if (is_attribution(lines[i]) || opens_header_block(lines, i)) {
            history = i;
        } else if (i + 1 < n && !trim(lines[i]).empty() && !trim(lines[i + 1]).empty() &&
                   could_join_to_attribution(trim(lines[i]), trim(lines[i + 1]))) {
            // Clients wrap long attributions: "On Tue, 3 Mar 2026 at 10:00, Anna Petrova <" / "anna@x> wrote:".
            std::string joined(trim(lines[i]));
            joined.push_back(' ');
            joined.append(trim(lines[i + 1]));
            std::string_view head = trim(lines[i]);
            bool opens = istarts_with(head, "On ") || istarts_with(head, "Am ") || istarts_with(head, "Em ") ||
                         istarts_with(head, "El ") || istarts_with(head, "Le ");
            if (joined.size() < 300 && is_attribution(joined) && (opens || !is_attribution(lines[i + 1])))
                history = i;
        }
    }

    // Interleaved replies: quote lines before the history go to history, the answers stay.
    std::vector<std::string_view> own;
    std::vector<std::string_view> quoted;
    for (std::size_t i = 0; i < history; ++i) {
        if (is_quote_line(lines[i]))
            quoted.push_back(lines[i]);
        else
            own.push_back(lines[i]);
    }
    for (std::size_t i = history; i < n; ++i)
        quoted.push_back(lines[i]);

    // RFC 3676 4.3: the signature starts after the last "-- " line; some clients strip the space.
    std::size_t sig = own.size();
    for (std::size_t i = own.size(); i-- > 0;) {
        std::string_view l = own[i];
        if (!l.empty() && l.back() == '\r')
            l.remove_suffix(1);
        if (l == "-- " || l == "--") {
            sig = i;
            break;
        }
    }
    result.text = join(own, 0, sig);
    if (sig < own.size())
        result.signature = join(own, sig + 1, own.size());
    result.quoted = join(quoted, 0, quoted.size());
    return result;
}

}  // namespace redress::mime
