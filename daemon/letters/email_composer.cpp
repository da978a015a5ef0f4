#include "email_composer.hpp"

#include "body_encoding.hpp"
#include "header_encoding.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <stdexcept>

namespace redress::letters {

namespace {

constexpr std::size_t k_max_references = 20;
constexpr std::size_t k_max_id_length = 900;  // an id longer than this could not share a header line

// Headers compose_email writes; an extra header with one of these names would make two.
constexpr std::string_view k_own_headers[] = {"From",
                                              "To",
                                              "Subject",
                                              "Date",
                                              "Message-ID",
                                              "In-Reply-To",
                                              "References",
                                              "MIME-Version",
                                              "Content-Type",
                                              "Content-Transfer-Encoding",
                                              "Content-Language"};

std::string bare_id(std::string_view id)
{
    id = trim(id);
    if (!id.empty() && id.front() == '<')
        id.remove_prefix(1);
    if (!id.empty() && id.back() == '>')
        id.remove_suffix(1);
    std::string out;
    for (char c : id) {
        unsigned char u = static_cast<unsigned char>(c);
        if (u > 0x20 && u < 0x7f && c != '<' && c != '>')
            out += c;
    }
    return out;
}

void check_header_name(std::string_view name)
{
    bool printable =
        !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c > 0x20 && c < 0x7f && c != ':'; });
    if (!printable)
        throw std::invalid_argument("compose_email: '" + std::string(name) + "' is not a header name (RFC 5322 2.2)");
    for (std::string_view own : k_own_headers)
        if (iequals(own, name))
            throw std::invalid_argument("compose_email: the " + std::string(name) +
                                        " header is written from the draft's fields");
}

bool dot_atom_char(char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return true;
    // RFC 5322 3.2.3 atext without '=' (our escape) and '.' (handled separately).
    return std::string_view("!#$%&'*+-/?^_`{|}~").find(c) != std::string_view::npos;
}

// ASCII values stay as they are, so structured extra headers (List-Unsubscribe: <https://...>) keep
// their syntax; line breaks are flattened so a value can never start a header of its own.
std::string extra_header_value(std::string_view value)
{
    bool ascii = std::all_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (!ascii)
        return encode_header_word(value);
    std::string out;
    for (char c : trim(value))
        out += (c < 0x20 || c == 0x7f) ? ' ' : c;
    return out;
}

bool token_char(char c)
{
    // RFC 2045 5.1 token: printable ASCII without tspecials.
    return c > 0x20 && c < 0x7f && std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

// "type/subtype" as sent when it is one, lower case; otherwise application/octet-stream.
std::string media_type(std::string_view type)
{
    type = trim(type);
    auto slash = type.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == type.size())
        return "application/octet-stream";
    for (std::size_t i = 0; i < type.size(); ++i)
        if (i != slash && !token_char(type[i]))
            return "application/octet-stream";
    return ascii_lower(type);
}

// The file's name as a Content-Disposition parameter: a quoted string when it is plain ASCII,
// otherwise RFC 2231 4 (filename*=utf-8''<percent-encoded>). Control characters, path separators
// and quotes are left out of it.
std::string filename_parameter(std::string_view name)
{
    std::string clean;
    for (char c : name) {
        unsigned char u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f || c == '/' || c == '\\' || c == '"')
            continue;
        clean += c;
    }
    if (clean.empty())
        clean = "file";
    bool ascii = std::all_of(clean.begin(), clean.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii)
        return "filename=\"" + clean + "\"";
    constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out = "filename*=utf-8''";
    for (char c : clean) {
        unsigned char u = static_cast<unsigned char>(c);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
            c == '_') {
            out += c;
        } else {
            out += '%';
            out += k_hex[u >> 4];
            out += k_hex[u & 15];
        }
    }
    return out;
}

}  // namespace

std::string make_message_id(std::string_view unique_part, std::string_view domain)
{
    constexpr char k_hex[] = "0123456789ABCDEF";
    std::string left;
    for (std::size_t i = 0; i < unique_part.size(); ++i) {
        char c = unique_part[i];
        // Dots may not lead, trail or double up in a dot-atom (RFC 5322 3.2.3).
        bool dot_ok = c == '.' && i > 0 && i + 1 < unique_part.size() && unique_part[i - 1] != '.';
        if (dot_atom_char(c) || dot_ok) {
            left += c;
        } else {
            unsigned char u = static_cast<unsigned char>(c);
            left += '=';
            left += k_hex[u >> 4];
            left += k_hex[u & 15];
        }
    }
    if (left.empty())
        left = "letter";
    std::string right;
    for (char c : ascii_lower(trim(domain)))
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')
            right += c;
    while (!right.empty() && right.front() == '.')
        right.erase(0, 1);
    while (!right.empty() && right.back() == '.')
        right.pop_back();
    if (right.empty())
        right = "redress.invalid";
    return left + "@" + right;
}

std::vector<Header> automatic_headers(AutoSubmitted kind, std::string_view ticket_number)
{
    std::vector<Header> headers;
    if (kind != AutoSubmitted::personal) {
        headers.push_back({"Auto-Submitted", kind == AutoSubmitted::auto_replied ? "auto-replied" : "auto-generated"});
        headers.push_back({"X-Auto-Response-Suppress", "All"});
    }
    if (!ticket_number.empty())
        headers.push_back({"X-Redress-Ticket", std::string(ticket_number)});
    return headers;
}

std::string compose_email(const EmailDraft& draft)
{
    for (const Header& header : draft.extra_headers)
        check_header_name(header.name);

    std::string out;
    out += fold_header("From", format_mailbox(draft.from));
    out += fold_header("To", format_mailbox(draft.to));
    out += fold_header("Subject", encode_header_word(draft.subject));
    out += fold_header("Date", format_rfc5322_date(draft.date));
    if (std::string id = bare_id(draft.message_id); !id.empty())
        out += fold_header("Message-ID", "<" + id + ">");

    std::string parent = bare_id(draft.in_reply_to);
    if (parent.size() > k_max_id_length)
        parent.clear();
    if (!parent.empty())
        out += fold_header("In-Reply-To", "<" + parent + ">");
    std::vector<std::string> references;
    for (const std::string& ref : draft.references) {
        std::string id = bare_id(ref);
        if (!id.empty() && id.size() <= k_max_id_length)
            references.push_back(std::move(id));
    }
    if (!parent.empty() && (references.empty() || references.back() != parent))
        references.push_back(parent);
    if (references.size() > k_max_references)
        references.erase(references.begin() + 1, references.end() - static_cast<std::ptrdiff_t>(k_max_references - 1));
    if (!references.empty()) {
        std::string value;
        for (const std::string& id : references)
            value += (value.empty() ? "<" : " <") + id + ">";
        out += fold_header("References", value);
    }

    if (std::string language = bare_id(draft.language); !language.empty())
        out += fold_header("Content-Language", language);
    for (const Header& header : draft.extra_headers)
        out += fold_header(header.name, extra_header_value(header.value));

    EncodedBody body = encode_body(draft.body);
    out += "MIME-Version: 1.0\r\n";
    std::string text_headers = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: " +
                               std::string(to_string(body.encoding)) + "\r\n";
    if (draft.attachments.empty())
        return out + text_headers + "\r\n" + body.text;

    // A boundary no part contains (RFC 2046 5.1.1): base64 and quoted-printable never hold "=_",
    // and 7bit text is checked.
    std::string boundary = "=_redress_" + std::to_string(draft.attachments.size());
    while (body.text.find(boundary) != std::string::npos)
        boundary += "_";
    out += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
    out += "--" + boundary + "\r\n" + text_headers + "\r\n" + body.text;
    for (const FileAttachment& file : draft.attachments) {
        out += "--" + boundary + "\r\n";
        out += "Content-Type: " + media_type(file.content_type) + "\r\n";
        out += "Content-Transfer-Encoding: base64\r\n";
        out += fold_header("Content-Disposition", "attachment; " + filename_parameter(file.filename));
        out += "\r\n";
        out += encode_base64_lines(file.bytes);
    }
    out += "--" + boundary + "--\r\n";
    return out;
}

}  // namespace redress::letters
