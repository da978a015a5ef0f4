#include "ticket_view.hpp"

#include "common/text.hpp"
#include "letters/letter_time.hpp"
#include "letters/letter_words.hpp"

#include <algorithm>

namespace redress::app {

using nlohmann::json;

namespace {

std::string when(TimePoint t, const ViewOptions& options)
{
    return letters::format_local_time(t, options.time_zone);
}

// Characters, not bytes: names and subjects are often Cyrillic.
std::size_t display_width(std::string_view text)
{
    std::size_t n = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80)
            ++n;
    return n;
}

// `text` cut to `width` characters (the last one "…" when cut) and padded with spaces to it.
std::string column(std::string_view text, std::size_t width)
{
    std::string out;
    if (display_width(text) > width) {
        std::size_t chars = 0;
        std::size_t i = 0;
        for (; i < text.size(); ++i) {
            if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++chars == width)
                break;
        }
        out = std::string(text.substr(0, i)) + "\u2026";
    } else {
        out = std::string(text);
    }
    std::size_t shown = display_width(out);
    if (shown < width)
        out.append(width - shown, ' ');
    return out;
}

// "Ivan Petrov" for "Ivan Petrov <ivan@shop.test>", the address when there is no name.
std::string person(std::string_view typed)
{
    if (typed.empty())
        return "-";
    if (auto mailbox = parse_typed_mailbox(typed))
        return mailbox->name.empty() ? mailbox->address : mailbox->name;
    return std::string(typed);
}

std::string plural(std::size_t n, std::string_view one, std::string_view many)
{
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

bool is_open(const Ticket& t)
{
    return t.status != TicketStatus::resolved && t.status != TicketStatus::closed;
}

std::string deadline_line(std::string_view label, const std::optional<TimePoint>& due,
                          const std::optional<TimePoint>& met, bool running, const ViewOptions& options)
{
    if (!due)
        return {};
    std::string line = std::string(label) + when(*due, options);
    if (met)
        line += "  (met " + when(*met, options) + ")";
    else if (running && *due < options.now)
        line += "  OVERDUE";
    return line + "\n";
}

}  // namespace

std::optional<NearestDeadline> nearest_deadline(const Ticket& t, TimePoint now)
{
    if (!is_open(t))
        return std::nullopt;
    std::optional<NearestDeadline> nearest;
    auto consider = [&](std::string_view name, const std::optional<TimePoint>& due) {
        if (due && (!nearest || *due < nearest->due))
            nearest = NearestDeadline{std::string(name), *due, *due < now};
    };
    if (!t.first_responded_at)
        consider("first response", t.first_response_due);
    consider("resolution", t.resolution_due);
    return nearest;
}

std::string indented(std::string_view text, std::string_view indent, std::size_t max_bytes)
{
    std::size_t left_out = 0;
    if (text.size() > max_bytes) {
        std::size_t cut = utf8_cut(text, max_bytes);
        left_out = text.size() - cut;
        text = text.substr(0, cut);
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.remove_suffix(1);
    std::string out;
    for (std::string_view line : split(text, '\n')) {
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        out += std::string(indent) + std::string(line) + "\n";
    }
    if (left_out > 0)
        out += std::string(indent) + "[... " + std::to_string(left_out) +
               " more bytes not shown; `tickets show --json` has the whole text]\n";
    return out;
}

std::string messages_text(const std::vector<StoredMessage>& messages, const ViewOptions& options)
{
    std::string out = "Messages (" + std::to_string(messages.size()) + "):\n";
    for (const StoredMessage& m : messages) {
        out += "  #" + std::to_string(m.id) + "  " + when(m.received_at, options) + "  " +
               (m.direction == "out" ? "to " : "from ") + m.from_address + "  (" + m.channel + ", " +
               std::string(to_string(m.kind)) + (m.severity == Severity::major ? ", major" : "") + ")\n";
        if (!m.subject.empty())
            out += "    Subject: " + m.subject + "\n";
        if (trim(m.text).empty())
            out += "    (no text)\n";
        else
            out += indented(m.text, "    | ", options.max_message_bytes);
    }
    return out;
}

std::string letters_text(const std::vector<Letter>& letters, const ViewOptions& options)
{
    std::string out = "Letters (" + std::to_string(letters.size()) + "; `redress letters show ID` prints one):\n";
    for (const Letter& l : letters) {
        out += "  #" + std::to_string(l.id) + "  " + l.template_name + " to " + l.recipient +
               (l.channel == "email" ? std::string() : " (" + l.channel + ")") + "  ";
        switch (l.status) {
        case LetterStatus::sent:
            out += "sent" + (l.sent_at ? " " + when(*l.sent_at, options) : std::string());
            break;
        case LetterStatus::queued:
            out += "waiting to be sent";
            if (l.attempts > 0 && l.next_attempt_at)
                out += ", next attempt " + when(*l.next_attempt_at, options);
            break;
        case LetterStatus::failed:
            out += "FAILED";
            break;
        }
        if (l.attempts > 1 || (l.attempts == 1 && l.status != LetterStatus::sent))
            out += " (" + plural(static_cast<std::size_t>(l.attempts), "attempt", "attempts") + ")";
        out += "\n";
        if (!l.last_error.empty() && l.status != LetterStatus::sent)
            out += "      last error: " + l.last_error + "\n";
    }
    return out;
}

std::string actions_text(const std::vector<CorrectiveAction>& actions, const ViewOptions& options)
{
    if (actions.empty())
        return {};
    std::string out = "Corrective actions (" + std::to_string(actions.size()) + "):\n";
    for (const CorrectiveAction& a : actions) {
        out += "  #" + std::to_string(a.id) + "  for the " + std::string(to_string(a.target)) + ": " + a.text + "\n";
        out += "      " + (a.responsible.empty() ? std::string("nobody named") : a.responsible) + ", due " +
               when(a.due, options) + ", " + std::string(to_string(a.state));
        if (a.state == ActionState::open && a.due < options.now)
            out += "  OVERDUE";
        if (a.done_at)
            out += ", done " + when(*a.done_at, options);
        if (a.verified_at)
            out += ", checked " + when(*a.verified_at, options) + (a.verified_by.empty() ? "" : " by " + a.verified_by);
        out += "\n";
        if (!a.note.empty())
            out += indented(a.note, "      | ", options.max_message_bytes);
    }
    return out;
}

std::string notes_text(const std::vector<Note>& notes, const ViewOptions& options)
{
    if (notes.empty())
        return {};
    std::string out = "Internal notes (" + std::to_string(notes.size()) + "):\n";
    for (const Note& n : notes) {
        out += "  " + when(n.at, options) + "  " + n.author + ":\n";
        out += indented(n.text, "    | ", options.max_message_bytes);
    }
    return out;
}

std::string ratings_text(const std::vector<Rating>& ratings, const ViewOptions& options)
{
    if (ratings.empty())
        return {};
    std::string out = "Customer's ratings:\n";
    for (const Rating& r : ratings) {
        out += "  " + std::to_string(r.score) + " of 5  " + when(r.at, options) + " (by " + r.source + ")\n";
        if (!r.comment.empty())
            out += indented(r.comment, "    | ", options.max_message_bytes);
    }
    return out;
}

std::string history_text(const std::vector<AuditEvent>& audit, const ViewOptions& options)
{
    std::string out = "History:\n";
    for (const AuditEvent& a : audit)
        out += "  " + when(a.at, options) + "  " + column(a.actor, 10) + "  " + a.action + "\n";
    return out;
}

std::string ticket_text(const TicketRecord& record, const ViewOptions& options)
{
    const Ticket& t = record.ticket;
    std::string out = t.number + "  " + std::string(to_string(t.status)) + " (" +
                      letters::words_for_code("ticket.status", to_string(t.status), "en") + ")  " +
                      std::string(to_string(t.kind)) + " / " + std::string(to_string(t.severity)) + " / " + t.language +
                      "\n";
    auto line = [&](std::string_view label, const std::string& value) {
        if (!value.empty())
            out += std::string(label) + value + "\n";
    };
    line("Subject:     ", t.subject.empty() ? std::string("(none)") : t.subject);
    // A chat customer has no address: their chat identity stands in its place.
    const std::string& address = t.customer.email.empty() ? t.customer.chat_user : t.customer.email;
    line("Customer:    ", t.customer.name.empty() ? "<" + address + ">" : t.customer.name + " <" + address + ">");
    line("Phone:       ", t.customer.phone);
    line("Chat:        ", t.conversation);
    line("Received:    ", when(t.received_at, options) + " via " + t.channel + " (" + t.source + ")");
    line("Assignee:    ", t.assignee.empty() ? std::string("nobody (the owner)") : t.assignee);
    line("Department:  ",
         t.department.empty() ? std::string() : t.department + (t.category.empty() ? "" : " / " + t.category));
    line("Verdict:     ", t.verdict);
    line("Resolution:  ", t.resolution_code);
    if (t.awaiting_customer)
        out += "Waiting for the customer: deadlines are paused\n";
    out += deadline_line("First response due: ", t.first_response_due, t.first_responded_at, is_open(t), options);
    out += deadline_line("Resolution due:     ", t.resolution_due, t.resolved_at, is_open(t), options);
    if (t.closed_at)
        out += "Closed:      " + when(*t.closed_at, options) + "\n";

    for (const std::string& section : {messages_text(record.messages, options), letters_text(record.letters, options),
                                       actions_text(record.actions, options), notes_text(record.notes, options),
                                       ratings_text(record.ratings, options), history_text(record.audit, options)}) {
        if (!section.empty())
            out += "\n" + section;
    }
    return out;
}

std::string ticket_table(const std::vector<Ticket>& tickets, const ViewOptions& options)
{
    std::string out = column("NUMBER", 11) + " " + column("STATUS", 14) + " " + column("KIND", 10) + " " +
                      column("SEVERITY", 8) + " " + column("LANG", 4) + " " + column("RECEIVED", 22) + " " +
                      column("ASSIGNEE", 16) + " " + column("NEXT DEADLINE", 31) + " " + column("CUSTOMER", 24) +
                      " SUBJECT\n";
    for (const Ticket& t : tickets) {
        std::string due = "-";
        if (auto d = nearest_deadline(t, options.now))
            due = when(d->due, options) + (d->overdue ? " OVERDUE" : "");
        out += column(t.number, 11) + " " + column(to_string(t.status), 14) + " " + column(to_string(t.kind), 10) +
               " " + column(to_string(t.severity), 8) + " " + column(t.language, 4) + " " +
               column(when(t.received_at, options), 22) + " " + column(person(t.assignee), 16) + " " + column(due, 31) +
               " " + column(t.customer.email, 24) + " " + t.subject + "\n";
    }
    return out;
}

std::string letter_text(const Letter& l, const mime::ReadableLetter* readable, const ViewOptions& options)
{
    std::string out =
        "Letter " + std::to_string(l.id) + ": " + l.template_name + " to " + l.recipient + " by " + l.channel + "\n";
    out += "Status:     ";
    switch (l.status) {
    case LetterStatus::sent:
        out += "sent" + (l.sent_at ? " " + when(*l.sent_at, options) : std::string());
        break;
    case LetterStatus::queued:
        out += "waiting to be sent" +
               (l.next_attempt_at ? ", next attempt " + when(*l.next_attempt_at, options) : std::string());
        break;
    case LetterStatus::failed:
        out += "failed";
        break;
    }
    out += ", " + plural(static_cast<std::size_t>(l.attempts), "attempt", "attempts") + "\n";
    if (!l.last_error.empty())
        out += "Last error: " + l.last_error + "\n";
    out += "Created:    " + when(l.created_at, options) + "\n";
    if (!l.message_id.empty())
        out += "Message-ID: <" + l.message_id + ">\n";
    out += "\n";
    if (!readable) {
        out += "Subject: " + l.subject + "\n\n" + l.content;
        if (!l.content.empty() && l.content.back() != '\n')
            out += "\n";
        return out;
    }
    for (std::string_view name : {"From", "To", "Cc", "Reply-To", "Subject", "Date"})
        if (const std::string* value = readable->header(name))
            out += column(std::string(name) + ":", 10) + " " + *value + "\n";
    out += "\n" + readable->body;
    if (!readable->body.empty() && readable->body.back() != '\n')
        out += "\n";
    for (const std::string& warning : readable->warnings)
        out += "(decoding: " + warning + ")\n";
    return out;
}

json letter_json(const Letter& l, const mime::ReadableLetter* readable)
{
    auto opt_time = [](const std::optional<TimePoint>& v) { return v ? json(format_iso8601_utc(*v)) : json(nullptr); };
    json headers = json::array();
    if (readable)
        for (const Header& h : readable->headers)
            headers.push_back(json{{"name", h.name}, {"value", h.value}});
    return json{{"id", l.id},
                {"ticket_id", l.ticket_id ? json(*l.ticket_id) : json(nullptr)},
                {"template", l.template_name},
                {"channel", l.channel},
                {"recipient", l.recipient},
                {"subject", readable && readable->header("Subject") ? *readable->header("Subject") : l.subject},
                {"message_id", l.message_id},
                {"status", to_string(l.status)},
                {"attempts", l.attempts},
                {"created_at", format_iso8601_utc(l.created_at)},
                {"next_attempt_at", opt_time(l.next_attempt_at)},
                {"sent_at", opt_time(l.sent_at)},
                {"last_error", l.last_error},
                {"headers", headers},
                {"body", readable ? readable->body : l.content},
                {"warnings", readable ? json(readable->warnings) : json::array()}};
}

}  // namespace redress::app
