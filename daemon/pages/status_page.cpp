#include "status_page.hpp"

#include "html.hpp"
#include "letters/letter_time.hpp"
#include "parts.hpp"
#include "words.hpp"

namespace redress::pages {

namespace {

std::string when(TimePoint t, const StatusView& view)
{
    return letters::format_time_for_letter(t, view.language, view.time_zone);
}

// A <time> element: the machine-readable instant and the words for people.
std::string time_element(TimePoint t, const StatusView& view)
{
    return "<time datetime=\"" + html_escape(format_iso8601_utc(t)) + "\">" + html_escape(when(t, view)) + "</time>";
}

// Text as the customer wrote it, line breaks kept (the stylesheet keeps them: pre-wrap).
std::string text_block(std::string_view text)
{
    return "<p class=\"text\">" + html_escape(text) + "</p>";
}

std::string explanation(const Ticket& t, const Words& w)
{
    switch (t.status) {
    case TicketStatus::new_ticket:
    case TicketStatus::acknowledged:
        return std::string(w.explain_registered);
    case TicketStatus::investigating:
        return std::string(w.explain_investigating);
    case TicketStatus::justified:
        return std::string(w.explain_justified);
    case TicketStatus::unjustified:
        return std::string(w.explain_unjustified);
    case TicketStatus::action_planned:
        return std::string(w.explain_action);
    case TicketStatus::resolved:
        return std::string(w.explain_resolved);
    case TicketStatus::closed:
        return std::string(w.explain_closed);
    }
    return {};
}

std::string stages(const Ticket& t, const Words& w)
{
    // An unjustified complaint has nothing to put right: its list goes from the verdict to the end.
    struct Stage {
        int index;
        std::string_view name;
    };
    std::vector<Stage> list{{0, w.stage_registered}, {1, w.stage_investigating}, {2, w.stage_verdict}};
    if (t.verdict != "unjustified")
        list.push_back({3, w.stage_action});
    list.push_back({4, w.stage_resolved});
    int now = stage_of(t.status);
    bool finished = now == 4;
    std::string out = "<ol class=\"stages\">\n";
    for (const auto& stage : list) {
        bool done = stage.index < now || finished;
        bool current = stage.index == now && !finished;
        std::string mark = done ? std::string(w.stage_done) : current ? std::string(w.stage_now) : "";
        out += std::string("<li class=\"") +
               (done      ? "done"
                : current ? "current"
                          : "to-come") +
               "\"" + (current ? " aria-current=\"step\"" : "") + ">" + html_escape(stage.name);
        if (!mark.empty())
            out += " <span class=\"mark\">(" + html_escape(mark) + ")</span>";
        out += "</li>\n";
    }
    return out + "</ol>\n";
}

std::string times(const Ticket& t, const Words& w, const StatusView& view)
{
    std::string rows;
    auto row = [&](std::string_view label, TimePoint at) {
        rows += "<dt>" + html_escape(label) + "</dt><dd>" + time_element(at, view) + "</dd>\n";
    };
    if (t.first_responded_at)
        row(w.first_responded, *t.first_responded_at);
    else if (t.first_response_due)
        row(w.first_response_due, *t.first_response_due);
    if (t.resolved_at)
        row(w.resolved_on, *t.resolved_at);
    else if (t.resolution_due)
        row(w.resolution_due, *t.resolution_due);
    std::string out = "<h2>" + html_escape(w.times_heading) + "</h2>\n";
    if (rows.empty())
        return out + "<p>" + html_escape(w.no_times) + "</p>\n";
    return out + "<dl class=\"times\">\n" + rows + "</dl>\n";
}

std::string actions(const std::vector<CorrectiveAction>& list, const Words& w, const StatusView& view)
{
    if (list.empty())
        return {};
    std::string out = "<h2>" + html_escape(w.actions_heading) + "</h2>\n<ul class=\"actions\">\n";
    for (const auto& a : list) {
        out += "<li>" + html_escape(a.text) + " <span class=\"when\">";
        if (a.state == ActionState::open)
            out += fill(w.action_due, {{"date", when(a.due, view)}});
        else
            out += "(" + html_escape(w.action_done) + ")";
        out += "</span></li>\n";
    }
    return out + "</ul>\n";
}

std::string letters_sent(const std::vector<Letter>& list, const Words& w, const StatusView& view)
{
    std::string out = "<h2>" + html_escape(w.letters_heading) + "</h2>\n";
    if (list.empty())
        return out + "<p>" + html_escape(w.no_letters) + "</p>\n";
    out += "<ul class=\"letters\">\n";
    for (const auto& l : list)
        out += "<li>" + time_element(l.sent_at.value_or(l.created_at), view) + " <span class=\"subject\">" +
               html_escape(l.subject) + "</span></li>\n";
    return out + "</ul>\n";
}

std::string messages(const std::vector<StoredMessage>& list, const Words& w, const StatusView& view)
{
    if (list.empty())
        return {};
    std::string out = "<h2>" + html_escape(w.messages_heading) + "</h2>\n<ul class=\"messages\">\n";
    for (const auto& m : list)
        out += "<li>" + time_element(m.received_at, view) + "\n" + text_block(m.text) + "</li>\n";
    return out + "</ul>\n";
}

std::string message_form(const Words& w, const StatusView& view)
{
    std::string limit = std::to_string(view.max_message);
    bool refused = view.problem == StatusProblem::empty || view.problem == StatusProblem::too_long;
    std::string out = "<h2 id=\"add\">" + html_escape(w.add_heading) + "</h2>\n";
    out += "<form method=\"post\" enctype=\"multipart/form-data\" accept-charset=\"utf-8\">\n";
    out += "<input type=\"hidden\" name=\"token\" value=\"" + html_escape(view.form_token) + "\">\n";
    out += "<p><label for=\"message\">" + html_escape(w.message_label) + "</label>\n";
    out += "<textarea id=\"message\" name=\"message\" rows=\"6\" required aria-describedby=\"message-hint\"" +
           std::string(refused ? " aria-invalid=\"true\"" : "") + ">" + html_escape(view.draft) + "</textarea>\n";
    out +=
        "<span class=\"hint\" id=\"message-hint\">" + fill(w.message_hint, {{"characters", limit}}) + "</span></p>\n";
    out += "<p><button type=\"submit\">" + html_escape(w.send) + "</button></p>\n</form>\n";
    return out;
}

std::string notice(const Words& w, const StatusView& view)
{
    std::string limit = std::to_string(view.max_message);
    switch (view.problem) {
    case StatusProblem::empty:
        return alert_box(html_escape(w.message_empty), true);
    case StatusProblem::too_long:
        return alert_box(fill(w.message_too_long, {{"characters", limit}}), true);
    case StatusProblem::expired:
        return alert_box(html_escape(w.form_expired), true);
    case StatusProblem::too_many:
        return alert_box(html_escape(w.too_many_messages), true);
    case StatusProblem::none:
        break;
    }
    switch (view.notice) {
    case StatusNotice::message_added:
        return alert_box(html_escape(w.message_added), false);
    case StatusNotice::follow_up_opened: {
        std::string text = fill(w.message_added_new, {{"number", view.follow_up_number}});
        if (!view.follow_up_url.empty())
            text += " <a href=\"" + html_escape(view.follow_up_url) + "\">" + html_escape(view.follow_up_url) + "</a>";
        return alert_box(text, false);
    }
    case StatusNotice::none:
        break;
    }
    return {};
}

}  // namespace

int stage_of(TicketStatus status)
{
    switch (status) {
    case TicketStatus::new_ticket:
    case TicketStatus::acknowledged:
        return 0;
    case TicketStatus::investigating:
        return 1;
    case TicketStatus::justified:
    case TicketStatus::unjustified:
        return 2;
    case TicketStatus::action_planned:
        return 3;
    case TicketStatus::resolved:
    case TicketStatus::closed:
        return 4;
    }
    return 0;
}

std::size_t characters(std::string_view utf8)
{
    std::size_t count = 0;
    for (unsigned char c : utf8)
        if ((c & 0xC0) != 0x80)  // every byte but a continuation byte starts a character
            ++count;
    return count;
}

std::string render_status_page(const StatusFacts& facts, const StatusView& view)
{
    const Words& w = words_for(view.language);
    const Ticket& t = facts.ticket;
    // The number is one word: at 360 px a heading must not break it at its hyphen ("RD-" / "000001").
    std::string number = "<span class=\"ticket-number\">" + html_escape(t.number) + "</span>";
    std::string title = fill_markup(w.status_title, {{"number", number}});
    std::string out = language_switch(view.language);
    out += "<h1>" + title + "</h1>\n";
    out += notice(w, view);
    out += "<dl class=\"facts\">\n";
    if (!t.subject.empty())
        out += "<dt>" + html_escape(w.subject_label) + "</dt><dd>" + html_escape(t.subject) + "</dd>\n";
    out += "<dt>" + html_escape(w.registered_on) + "</dt><dd>" + time_element(t.received_at, view) + "</dd>\n";
    out += "</dl>\n";
    out += "<h2>" + html_escape(w.stages_heading) + "</h2>\n";
    out += stages(t, w);
    out += "<p class=\"explanation\">" + html_escape(explanation(t, w)) + "</p>\n";
    if (t.awaiting_customer)
        out += "<p class=\"waiting\">" + html_escape(w.explain_waiting) + "</p>\n";
    out += times(t, w, view);
    out += actions(facts.actions, w, view);
    out += letters_sent(facts.letters, w, view);
    out += messages(facts.messages, w, view);
    out += message_form(w, view);
    // The title is plain text: the heading's is HTML, the frame escapes its own.
    std::string plain_title(w.status_title);
    if (auto at = plain_title.find("{number}"); at != std::string::npos)
        plain_title.replace(at, 8, t.number);
    return render_page(PageFrame{view.language, plain_title, "../../", "", view.company}, out);
}

std::string render_message_unsaved(const StatusView& view)
{
    const Words& w = words_for(view.language);
    std::string out = "<h1>" + html_escape(w.try_later_title) + "</h1>\n";
    out += alert_box(html_escape(w.try_later_text), true);
    out += message_form(w, view);
    return render_page(PageFrame{view.language, std::string(w.try_later_title), "../../", "", view.company}, out);
}

}  // namespace redress::pages
