#include "history.hpp"

#include <random>
#include <stdexcept>

namespace redress::test {

TimePoint moscow(const std::string& local)
{
    auto t = parse_iso8601(local + "Z");
    if (!t)
        throw std::invalid_argument("bad time " + local);
    return *t - Seconds{k_zone_offset};
}

namespace {

class Writer {
public:
    Writer(store::Store& store, unsigned seed)
        : m_store(store)
        , m_random(seed)
    {
    }

    int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(m_random); }
    bool chance(int percent) { return between(1, 100) <= percent; }

    // A word of random letters: background text that makes no group.
    std::string noise()
    {
        std::string w;
        for (int i = 0; i < 7; ++i)
            w += static_cast<char>('a' + between(0, 25));
        return w;
    }

    GeneratedTicket& add(TimePoint at, Kind kind, std::string language, std::string subject, std::string text,
                         std::string problem = "")
    {
        GeneratedTicket g;
        Ticket& t = g.ticket;
        t.received_at = at;
        t.updated_at = at;
        t.kind = kind;
        t.language = std::move(language);
        t.channel = chance(70) ? "email" : "chat";
        t.source = "test";
        t.department = chance(50) ? "delivery" : (chance(50) ? "quality" : "");
        t.severity = chance(15) ? Severity::major : Severity::normal;
        t.subject = std::move(subject);
        t.customer.email = "c" + std::to_string(m_history.tickets.size()) + "@example.com";
        if (chance(85))
            g.acknowledged_at = at + Seconds{between(5, 900)};
        t.first_response_due = at + Seconds{8 * 3600};
        t.resolution_due = at + Seconds{5 * 86400};
        if (chance(75))
            t.first_responded_at = at + Seconds{between(600, 20 * 3600)};
        if (chance(60)) {
            t.resolved_at = at + Seconds{between(3600, 9 * 86400)};
            t.status = TicketStatus::resolved;
            if (chance(70)) {
                t.closed_at = *t.resolved_at + Seconds{3600};
                t.status = TicketStatus::closed;
                t.resolution_code = chance(60) ? "FIXED" : "REFUND";
                g.surveyed = chance(60);
                if (g.surveyed && chance(65))
                    g.rating = between(1, 5);
            }
        } else {
            t.status = TicketStatus::investigating;
        }
        if (kind == Kind::complaint && chance(80))
            t.verdict = chance(70) ? "justified" : "unjustified";
        g.text = std::move(text);
        g.problem = std::move(problem);

        auto tx = m_store.begin().value();
        Ticket stored = tx->create_ticket(g.ticket, "RD").value();
        g.ticket.id = stored.id;
        g.ticket.number = stored.number;
        StoredMessage m;
        m.ticket_id = stored.id;
        m.channel = g.ticket.channel;
        m.source = "test";
        m.source_key = "test:" + stored.number;
        m.message_id = stored.number + "@example.com";
        m.from_address = g.ticket.customer.email;
        m.subject = g.ticket.subject;
        m.text = g.text;
        m.received_at = at;
        m.kind = kind;
        m.language = g.ticket.language;
        tx->add_message(m).value();
        // A later message of ours is not the customer's first.
        StoredMessage out = m;
        out.direction = "out";
        out.source_key += ":out";
        out.message_id = "out-" + m.message_id;
        out.text = "Our answer about something else entirely";
        out.received_at = at + Seconds{60};
        tx->add_message(out).value();
        if (g.acknowledged_at) {
            tx->add_audit(AuditEvent{0, stored.id, *g.acknowledged_at, "system", "clock.acknowledged", "{}"}).value();
            // A second one later (a reopened ticket) does not move the first.
            tx->add_audit(
                  AuditEvent{0, stored.id, *g.acknowledged_at + Seconds{86400}, "system", "clock.acknowledged", "{}"})
                .value();
        }
        if (g.surveyed) {
            Letter l;
            l.ticket_id = stored.id;
            l.template_name = "survey";
            l.recipient = g.ticket.customer.email;
            l.message_id = "survey-" + stored.number;
            l.dedup_key = "survey:" + stored.number;
            l.created_at = *g.ticket.closed_at;
            tx->enqueue_letter(l).value();
        }
        if (g.rating) {
            // An earlier answer that the customer changed: the newest counts.
            if (chance(30))
                tx->add_rating(Rating{0, stored.id, 6 - *g.rating, "", "reply", *g.ticket.closed_at, ""}).value();
            tx->add_rating(Rating{0, stored.id, *g.rating, "", "link", *g.ticket.closed_at + Seconds{60}, ""}).value();
        }
        tx->commit().value();
        m_history.tickets.push_back(std::move(g));
        return m_history.tickets.back();
    }

    void action(const GeneratedTicket& on, ActionFor target, std::string text, TimePoint created, TimePoint due,
                std::optional<TimePoint> done, std::string problem)
    {
        CorrectiveAction a;
        a.ticket_id = on.ticket.id;
        a.target = target;
        a.text = std::move(text);
        a.responsible = "lead";
        a.created_at = created;
        a.due = due;
        a.created_by = "anna";
        if (done) {
            a.state = ActionState::done;
            a.done_at = done;
        }
        auto tx = m_store.begin().value();
        a.id = tx->add_action(a).value();
        tx->commit().value();
        m_history.actions.push_back(GeneratedAction{a, on.ticket.number, std::move(problem)});
    }

    History take() { return std::move(m_history); }

private:
    store::Store& m_store;
    std::mt19937 m_random;
    History m_history;
};

}  // namespace

History write_history(store::Store& store, unsigned seed)
{
    Writer w(store, seed);
    const TimePoint start = moscow("2026-08-01T00:00:00");
    const TimePoint end = moscow("2026-12-01T00:00:00");
    // Background: about five a day, every kind, three languages; noise words make no group.
    const Kind kinds[] = {Kind::complaint, Kind::complaint, Kind::question, Kind::suggestion, Kind::gratitude};
    const char* languages[] = {"en", "en", "ru", "de"};
    for (TimePoint t = start; t < end; t += Seconds{w.between(4 * 3600, 6 * 3600)}) {
        std::string lang = languages[w.between(0, 3)];
        w.add(t, kinds[w.between(0, 4)], lang, w.noise() + " " + w.noise(),
              w.noise() + " " + w.noise() + ". " + w.noise() + " " + w.noise());
    }
    auto complaint_at = [&](TimePoint at, const std::string& lang, const std::string& subject, const std::string& text,
                            const std::string& problem) -> GeneratedTicket& {
        return w.add(at, Kind::complaint, lang, subject + " " + w.noise(), text + " " + w.noise(), problem);
    };
    auto complaint = [&](const std::string& when, const std::string& lang, const std::string& subject,
                         const std::string& text, const std::string& problem) -> GeneratedTicket& {
        return complaint_at(moscow(when), lang, subject, text, problem);
    };
    const Seconds day{86400};
    // Kettle lid: 2 in September, 9 in October (rising).
    complaint("2026-09-07T10:00:00", "en", "Kettle", "The lid of the kettle is cracked", "kettle lid");
    complaint("2026-09-21T15:30:00", "en", "Broken", "My kettle lid cracked after a week", "kettle lid");
    for (int i = 0; i < 9; ++i)
        complaint("2026-10-" + std::string(i < 9 ? "0" : "") + std::to_string(i + 1) + "T11:00:00", "en",
                  "Kettle problem", "Kettle lid cracked again, please replace the kettle lid", "kettle lid");
    // Courier rude: 6 in September, 5 in October (not rising).
    for (int i = 0; i < 6; ++i)
        complaint("2026-09-1" + std::to_string(i) + "T09:00:00", "en", "Delivery", "The courier was rude to me",
                  "courier rude");
    for (int i = 0; i < 5; ++i)
        complaint("2026-10-2" + std::to_string(i) + "T09:00:00", "en", "Delivery", "Rude courier at the door",
                  "courier rude");
    // Упаковка порвана (Russian): 1 in September, 4 in October.
    complaint("2026-09-15T12:00:00", "ru", "Посылка", "Упаковка порвана, товар помят", "упаковка");
    for (int i = 0; i < 4; ++i)
        complaint("2026-10-1" + std::to_string(i) + "T12:00:00", "ru", "Посылка", "Упаковка порвана при доставке",
                  "упаковка");
    // Blender smell: six complaints in the 28 days before its fix (2026-10-10), none after.
    GeneratedTicket* blender = nullptr;
    for (int i = 0; i < 6; ++i)
        blender = &complaint_at(moscow("2026-09-14T14:00:00") + i * 4 * day, "en", "Blender",
                                "The blender motor smells burnt", "blender");
    w.action(*blender, ActionFor::process, "Change the blender motor supplier", moscow("2026-10-05T10:00:00"),
             moscow("2026-10-20T10:00:00"), moscow("2026-10-10T10:00:00"), "blender");
    w.action(*blender, ActionFor::customer, "New blender for this customer", moscow("2026-10-05T10:00:00"),
             moscow("2026-10-07T10:00:00"), moscow("2026-10-06T10:00:00"), "");
    // Zipper: four before its fix (2026-10-12), five after: it keeps coming.
    GeneratedTicket* zipper = nullptr;
    for (int i = 0; i < 4; ++i)
        zipper = &complaint("2026-09-" + std::to_string(20 + i * 2) + "T16:00:00", "en", "Jacket",
                            "The zipper broke on the jacket", "zipper");
    for (int i = 0; i < 5; ++i)
        complaint("2026-10-" + std::to_string(14 + i * 4) + "T16:00:00", "en", "Jacket", "Jacket zipper broke again",
                  "zipper");
    w.action(*zipper, ActionFor::process, "Stronger zippers from the factory", moscow("2026-10-01T10:00:00"),
             moscow("2026-10-15T10:00:00"), moscow("2026-10-12T10:00:00"), "zipper");
    // Open actions: one overdue at 2026-11-15, one not yet due.
    w.action(*zipper, ActionFor::customer, "Repair the jacket", moscow("2026-10-25T10:00:00"),
             moscow("2026-11-01T10:00:00"), std::nullopt, "");
    w.action(*blender, ActionFor::process, "Train the packers", moscow("2026-11-10T10:00:00"),
             moscow("2026-12-20T10:00:00"), std::nullopt, "");
    return w.take();
}

}  // namespace redress::test
