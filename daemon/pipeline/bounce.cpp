#include "bounce.hpp"

#include "common/text.hpp"

#include <algorithm>

namespace redress::pipeline {

namespace {
void add_unique(std::vector<std::string>& ids, std::string id)
{
    if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end())
        ids.push_back(std::move(id));
}

// Finds "Message-ID: <...>" lines in text (text/rfc822-headers parts often end up as text).
void scan_text(std::string_view text, std::vector<std::string>& ids)
{
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        std::string_view line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        line = trim(line);
        if (istarts_with(line, "message-id:")) {
            auto lt = line.find('<');
            auto gt = line.find('>', lt == std::string_view::npos ? 0 : lt);
            if (lt != std::string_view::npos && gt != std::string_view::npos)
                add_unique(ids, std::string(line.substr(lt + 1, gt - lt - 1)));
        }
        if (end == std::string_view::npos)
            break;
        pos = end + 1;
    }
}
}  // namespace

bool is_delivery_failure(const Message& message, std::string_view raw)
{
    if (istarts_with(message.content_type, "multipart/report")) {
        // RFC 6522: the report-type parameter says what is reported; read receipts (RFC 8098
        // disposition-notification) are reports too, but not failures.
        const std::string* type = message.header("Content-Type");
        if (!type || !icontains(*type, "delivery-status"))
            return false;
        bool any_action = false;
        std::size_t pos = 0;
        while (pos < raw.size()) {
            auto end = raw.find('\n', pos);
            std::string_view line =
                trim(raw.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
            if (istarts_with(line, "action:")) {
                any_action = true;
                if (istarts_with(trim(line.substr(7)), "failed"))
                    return true;
            }
            if (end == std::string_view::npos)
                break;
            pos = end + 1;
        }
        // A report that names no action at all is malformed; treat it as the failure it most likely is.
        return !any_action;
    }
    std::string from = ascii_lower(message.from.address);
    bool daemon = from.rfind("mailer-daemon@", 0) == 0 || from.rfind("postmaster@", 0) == 0;
    return daemon && (trim(message.return_path) == "<>" || icontains(message.subject, "undeliver") ||
                      icontains(message.subject, "delivery status") || icontains(message.subject, "failure"));
}

std::vector<std::string> bounced_message_ids(const Message& message)
{
    std::vector<std::string> ids;
    for (auto& embedded : message.embedded)
        add_unique(ids, embedded.message_id);
    scan_text(message.text, ids);
    scan_text(message.quoted, ids);
    for (auto& id : message.references)
        add_unique(ids, id);
    add_unique(ids, message.in_reply_to);
    return ids;
}

}  // namespace redress::pipeline
