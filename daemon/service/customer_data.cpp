#include "customer_data.hpp"

#include "attachments/file_store.hpp"
#include "common/log.hpp"
#include "common/text.hpp"
#include "config/config.hpp"
#include "pipeline/readable.hpp"
#include "tickets/erasure.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

namespace redress::service {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

Error no_customer(std::int64_t id)
{
    return make_error(ErrorKind::not_found, "customer.not_found", "There is no customer " + std::to_string(id) + ".");
}

std::string dump(const json& j)
{
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The ways to reach the customer (addresses, phone numbers, chat users and conversations): what is
// looked for in records without a ticket and in files. Names are not: a name is matched only inside
// the customer's own records, where it cannot be someone else's.
std::vector<std::string> contact_values(const CustomerGroup* group, const std::vector<Ticket>& tickets)
{
    std::vector<std::string> out;
    auto add = [&](std::string_view v) {
        std::string text(trim(v));
        if (text.size() >= 5 && std::find(out.begin(), out.end(), text) == out.end())
            out.push_back(std::move(text));
    };
    if (group != nullptr)
        for (const auto& i : group->identities)
            add(i.value);
    for (const auto& t : tickets) {
        add(t.customer.email);
        add(t.customer.phone);
        add(t.customer.chat_user);
        add(t.conversation);
    }
    return out;
}

bool holds_any(const std::string& bytes, const std::vector<std::string>& needles)
{
    return std::any_of(needles.begin(), needles.end(),
                       [&](const std::string& n) { return tickets::names_whole(bytes, n); });
}

// Whether a mail file names one of the contacts: by its bytes, or by what a person reads in it
// (pipeline::readable_mail: encoded words, base64 and quoted-printable bodies decoded). A file that
// cannot be read as mail is matched by its bytes alone; `unread` counts it and it is logged.
bool mail_names(const fs::path& path, const std::string& bytes, const std::vector<std::string>& contacts, int& unread)
{
    if (holds_any(bytes, contacts))
        return true;
    auto readable = pipeline::readable_mail(bytes);
    if (!readable) {
        ++unread;
        log::warn("erase.file_not_parsed", {{"file", path.filename().string()}, {"matched", "by its bytes only"}});
        return false;
    }
    return holds_any(*readable, contacts);
}

std::optional<std::string> read_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Removes a file, counting it; a failure is logged (the erase goes on: the store is what matters).
bool remove_file(const fs::path& path)
{
    std::error_code ec;
    if (fs::remove(path, ec))
        return true;
    if (ec)
        log::warn("erase.file_not_removed", {{"file", path.filename().string()}, {"error", ec.message()}});
    return false;
}

// The quarantined files (not their notes) in `dir` that name one of the contacts, by name.
std::vector<fs::path> quarantined_of(const fs::path& dir, const std::vector<std::string>& contacts, int& unread)
{
    std::vector<fs::path> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec) || contacts.empty())
        return out;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_regular_file(ec) && !entry.path().filename().string().ends_with(".reason.txt"))
            out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    std::erase_if(out, [&](const fs::path& path) {
        auto bytes = read_file(path);
        return !bytes || !mail_names(path, *bytes, contacts, unread);
    });
    return out;
}

// A kept file for the export: its bytes, or `missing` when the attachment store has lost them.
Result<void> add_export_file(const attachments::FileStore& files, const store::AttachmentRecord& a,
                             const std::string& ticket_number, std::vector<ExportFile>& out)
{
    if (a.sha256.empty())
        return {};
    ExportFile file{a, ticket_number, {}, false};
    auto bytes = files.read(a.sha256);
    if (bytes)
        file.bytes = std::move(bytes).value();
    else if (bytes.error().is(ErrorKind::not_found))
        file.missing = true;
    else
        return bytes.error();
    out.push_back(std::move(file));
    return {};
}

// The file outbox's copies: a letter's file ends with "-<letter id>.eml" (or .txt), and any other file
// there that holds one of the contacts (an alert about a failed delivery to them) goes too.
int clear_outbox(const fs::path& dir, const std::vector<std::int64_t>& letter_ids,
                 const std::vector<std::string>& contacts, int& unread)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return 0;
    std::set<std::string> endings;
    for (auto id : letter_ids) {
        endings.insert("-" + std::to_string(id) + ".eml");
        endings.insert("-" + std::to_string(id) + ".txt");
    }
    int removed = 0;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_regular_file(ec))
            continue;
        std::string name = entry.path().filename().string();
        bool ours =
            std::any_of(endings.begin(), endings.end(), [&](const std::string& e) { return name.ends_with(e); });
        if (!ours) {
            auto bytes = read_file(entry.path());
            ours = bytes && !contacts.empty() && mail_names(entry.path(), *bytes, contacts, unread);
        }
        if (ours && remove_file(entry.path()))
            ++removed;
    }
    return removed;
}

// Quarantined mail (<name>.eml with <name>.reason.txt) and mail set aside as too large: a file that
// holds one of the contacts goes with its note.
int clear_quarantine(const fs::path& dir, const std::vector<std::string>& contacts, int& unread)
{
    int removed = 0;
    for (const auto& path : quarantined_of(dir, contacts, unread)) {
        if (remove_file(path))
            ++removed;
        fs::path note = path;
        note.replace_extension(".reason.txt");
        remove_file(note);
    }
    return removed;
}

// Files of removed rows that no row refers to any more.
int remove_unreferenced(store::Store& store, const config::Config& config, const std::set<std::string>& digests)
{
    if (digests.empty())
        return 0;
    auto referenced = store.attachment_digests();
    if (!referenced) {
        log::warn("erase.files_left", {{"error", referenced.error().message}, {"why", "the daily sweep removes them"}});
        return 0;
    }
    std::set<std::string> still(referenced->begin(), referenced->end());
    attachments::FileStore files(config.attachments_dir());
    int removed = 0;
    for (const auto& digest : digests) {
        if (still.contains(digest) || !attachments::is_digest(digest))
            continue;
        if (auto r = files.remove(digest); r)
            ++removed;
        else
            log::warn("erase.file_not_removed", {{"digest", digest}, {"error", r.error().message}});
    }
    return removed;
}

// The ways to reach the other customers whose records sit on `tickets`: a ticket of theirs merged
// into one of these moved its messages and letters here. The erase spares their messages and the
// letters to them. Any value of the erased customer (`group`, `contacts`) is left out.
Result<std::vector<std::string>> others_on(store::Store& store, const CustomerGroup* group,
                                           const std::vector<Ticket>& tickets, const std::vector<Ticket>& all_tickets,
                                           const std::vector<std::string>& contacts)
{
    std::vector<std::string> out;
    auto add = [&](std::string_view v) {
        std::string text(trim(v));
        auto same = [&](const std::string& c) { return ascii_lower(c) == ascii_lower(text); };
        if (!text.empty() && std::none_of(contacts.begin(), contacts.end(), same) &&
            std::none_of(out.begin(), out.end(), same))
            out.push_back(std::move(text));
    };
    auto ours = [&](std::int64_t customer_id) {
        return group != nullptr && std::any_of(group->members.begin(), group->members.end(),
                                               [&](const CustomerRecord& m) { return m.id == customer_id; });
    };
    for (const auto& ticket : tickets) {
        for (const auto& merged : TRY(store.tickets_merged_into(ticket.id))) {
            if (std::any_of(all_tickets.begin(), all_tickets.end(), [&](const Ticket& t) { return t.id == merged.id; }))
                continue;
            auto customer = TRY(store.ticket_customer(merged.id));
            if (customer && ours(*customer))
                continue;
            add(merged.customer.email);
            add(merged.customer.chat_user);
            if (!customer)
                continue;
            auto theirs = TRY(store.customer_group(*customer));
            if (theirs)
                for (const auto& identity : theirs->identities)
                    add(identity.value);
        }
    }
    return out;
}

// One ticket's personal data out, in the caller's transaction.
Result<void> erase_ticket(store::Transaction& tx, const Ticket& ticket, const std::vector<std::string>& values,
                          const std::vector<std::string>& spare, const Actor& actor, std::string_view reason,
                          TimePoint now, EraseCounts& counts, std::vector<std::int64_t>& letter_ids,
                          std::set<std::string>& digests)
{
    EraseCounts mine;
    mine.tickets = 1;
    TRY(tx.update_ticket(tickets::anonymised(ticket)));
    auto words = TRY(tx.erase_ticket_words(ticket.id, now, spare));
    mine.messages = words.messages;
    mine.letters = words.letters;
    mine.notes = words.notes;
    mine.ratings = words.ratings;
    mine.corrections = words.corrections;
    mine.suggestions = words.suggestions;
    letter_ids.insert(letter_ids.end(), words.letter_ids.begin(), words.letter_ids.end());
    mine.search_rows = TRY(tx.remove_from_search(ticket.id, spare));
    for (const auto& a : TRY(tx.remove_attachments_of_ticket(ticket.id, spare))) {
        ++mine.attachments;
        if (!a.sha256.empty())
            digests.insert(a.sha256);
    }
    for (const auto& event : TRY(tx.audit_of(ticket.id))) {
        std::string detail = tickets::scrub_detail(event.detail, values);
        if (detail != event.detail) {
            TRY(tx.set_audit_detail(event.id, detail));
            ++mine.audit_rows;
        }
    }
    for (const auto& action : TRY(tx.actions_of(ticket.id))) {
        auto erased = tickets::erased_action(action, values);
        if (erased.text != action.text || erased.note != action.note || erased.responsible != action.responsible)
            TRY(tx.update_action(erased));
    }
    json detail = erase_counts_json(mine);
    detail["reason"] = tickets::scrub(reason, values);
    TRY(tx.add_audit(AuditEvent{0, ticket.id, now, actor.name, "ticket.erased", dump(detail)}));
    counts += mine;
    return {};
}

// The customer's records on other customers' tickets (a ticket of theirs merged into someone else's
// took its messages and letters there): their messages and letters to them lose their words, and
// those tickets' audit rows about them (a row of one of those messages, or one naming a way to reach
// them) have their words scrubbed. The other customer's own records stay.
Result<void> erase_elsewhere(store::Transaction& tx, const std::vector<std::string>& contacts,
                             const std::vector<std::string>& values, const std::vector<Ticket>& theirs,
                             EraseCounts& counts, std::vector<std::int64_t>& letter_ids, std::set<std::string>& digests)
{
    std::vector<std::int64_t> except;
    for (const auto& t : theirs)
        except.push_back(t.id);
    auto elsewhere = TRY(tx.erase_records_elsewhere(contacts, except));
    counts.messages_elsewhere += elsewhere.messages;
    counts.letters_elsewhere += elsewhere.letters;
    letter_ids.insert(letter_ids.end(), elsewhere.letter_ids.begin(), elsewhere.letter_ids.end());
    for (const auto& a : elsewhere.attachments)
        if (!a.sha256.empty())
            digests.insert(a.sha256);
    counts.attachments += static_cast<int>(elsewhere.attachments.size());

    std::vector<std::string> words = values;
    words.insert(words.end(), elsewhere.words.begin(), elsewhere.words.end());
    words = tickets::longest_first(std::move(words));
    auto about_them = [&](const AuditEvent& event) {
        auto detail = json::parse(event.detail, nullptr, false);
        if (detail.is_object()) {
            for (const char* key : {"message", "letter"}) {
                auto it = detail.find(key);
                const auto& ids = std::string_view(key) == "message" ? elsewhere.message_ids : elsewhere.letter_ids;
                if (it != detail.end() && it->is_number_integer() &&
                    std::find(ids.begin(), ids.end(), it->get<std::int64_t>()) != ids.end())
                    return true;
            }
        }
        return holds_any(event.detail, contacts);
    };
    std::vector<AuditEvent> rows = TRY(tx.audit_of_tickets_mentioning(contacts, except));
    for (std::int64_t ticket_id : elsewhere.ticket_ids)
        for (auto& event : TRY(tx.audit_of(ticket_id)))
            if (std::none_of(rows.begin(), rows.end(), [&](const AuditEvent& e) { return e.id == event.id; }))
                rows.push_back(std::move(event));
    for (const auto& event : rows) {
        if (!about_them(event))
            continue;
        std::string detail = tickets::scrub_detail(event.detail, words);
        if (detail != event.detail) {
            TRY(tx.set_audit_detail(event.id, detail));
            ++counts.audit_rows;
        }
    }
    return {};
}

// The erase of `tickets` (all of the customer's, or retention's due one). The values looked for are
// the whole customer's (`group` and `all_tickets`): an old ticket's audit may name them by what they
// said later. The customer's records go too when `records` is set.
Result<EraseCounts> erase(store::Store& store, const config::Config& config, const CustomerGroup* group, bool records,
                          const std::vector<Ticket>& tickets, const std::vector<Ticket>& all_tickets,
                          const Actor& actor, std::string_view reason, TimePoint now)
{
    std::vector<std::string> values =
        tickets::personal_values(group != nullptr ? *group : CustomerGroup{}, all_tickets);
    std::vector<std::string> contacts = contact_values(group, all_tickets);
    std::vector<std::string> spare = TRY(others_on(store, group, tickets, all_tickets, contacts));
    if (!records)
        group = nullptr;
    std::vector<AuditEvent> customer_audit;
    if (group != nullptr)
        customer_audit = TRY(store.customer_audit(group->root.id));

    EraseCounts counts;
    std::vector<std::int64_t> letter_ids;
    std::set<std::string> digests;
    auto tx = TRY(store.begin());
    for (const auto& ticket : tickets)
        TRY(erase_ticket(*tx, ticket, values, spare, actor, reason, now, counts, letter_ids, digests));
    if (group != nullptr) {
        auto removed = TRY(tx->remove_messages_without_ticket(contacts));
        counts.other_messages = removed.messages;
        for (const auto& a : removed.attachments)
            if (!a.sha256.empty())
                digests.insert(a.sha256);
        counts.attachments += static_cast<int>(removed.attachments.size());
        TRY(erase_elsewhere(*tx, contacts, values, all_tickets, counts, letter_ids, digests));
        auto letters = TRY(tx->erase_letters_without_ticket(contacts));
        counts.other_letters = static_cast<int>(letters.size());
        letter_ids.insert(letter_ids.end(), letters.begin(), letters.end());
        for (const auto& event : TRY(tx->audit_without_ticket_mentioning(contacts))) {
            TRY(tx->set_audit_detail(event.id, tickets::scrub_detail(event.detail, values)));
            ++counts.audit_rows;
        }
        std::vector<std::int64_t> ids;
        for (const auto& m : group->members)
            ids.push_back(m.id);
        counts.identities = TRY(tx->erase_customer_records(ids, contacts));
        for (const auto& event : customer_audit) {
            std::string detail = tickets::scrub_detail(event.detail, values);
            if (detail != event.detail) {
                TRY(tx->set_audit_detail(event.id, detail, true));
                ++counts.audit_rows;
            }
        }
        json detail = erase_counts_json(counts);
        detail["reason"] = tickets::scrub(reason, values);
        TRY(tx->add_customer_audit(group->root.id,
                                   AuditEvent{0, std::nullopt, now, actor.name, "customer.erased", dump(detail)}));
    }
    TRY(tx->commit());

    // The files, once the store no longer refers to them.
    counts.files = remove_unreferenced(store, config, digests);
    counts.outbox_files = clear_outbox(config.outbox_dir(), letter_ids,
                                       group != nullptr ? contacts : std::vector<std::string>{}, counts.unread_files);
    if (group != nullptr) {
        counts.quarantined = clear_quarantine(config.quarantine_dir(), contacts, counts.unread_files);
        counts.quarantined += clear_quarantine(config.inbox_dir() / ".too-large", contacts, counts.unread_files);
    }
    return counts;
}

// After the erases: nothing of the words left in the store's files.
void compact(store::Store& store, EraseCounts& counts)
{
    if (auto compacted = store.compact_after_erase(); compacted)
        counts.compacted = true;
    else
        log::warn("erase.not_compacted", {{"error", compacted.error().message}});
}

void log_counts(std::string_view event, const EraseCounts& c, std::string_view who, std::string who_value)
{
    log::info(event, {{who, std::move(who_value)},
                      {"tickets", std::to_string(c.tickets)},
                      {"messages", std::to_string(c.messages)},
                      {"letters", std::to_string(c.letters)},
                      {"notes", std::to_string(c.notes)},
                      {"attachments", std::to_string(c.attachments)},
                      {"files", std::to_string(c.files)},
                      {"identities", std::to_string(c.identities)},
                      {"other_messages", std::to_string(c.other_messages)},
                      {"quarantined", std::to_string(c.quarantined)},
                      {"outbox_files", std::to_string(c.outbox_files)},
                      {"compacted", c.compacted ? "yes" : "no"}});
}

}  // namespace

EraseCounts& EraseCounts::operator+=(const EraseCounts& o)
{
    tickets += o.tickets;
    messages += o.messages;
    letters += o.letters;
    notes += o.notes;
    ratings += o.ratings;
    corrections += o.corrections;
    suggestions += o.suggestions;
    identities += o.identities;
    attachments += o.attachments;
    files += o.files;
    search_rows += o.search_rows;
    audit_rows += o.audit_rows;
    other_messages += o.other_messages;
    other_letters += o.other_letters;
    messages_elsewhere += o.messages_elsewhere;
    letters_elsewhere += o.letters_elsewhere;
    unread_files += o.unread_files;
    quarantined += o.quarantined;
    outbox_files += o.outbox_files;
    compacted = compacted || o.compacted;
    return *this;
}

Result<CustomerExport> export_customer(store::Store& store, const config::Config& config, std::int64_t customer_id)
{
    CustomerExport out;
    out.customer = TRY(CustomerService(store).show(customer_id));
    attachments::FileStore files(config.attachments_dir());
    for (const auto& ticket : out.customer.tickets) {
        TicketRecords r;
        r.ticket = ticket;
        r.messages = TRY(store.messages_of(ticket.id));
        r.letters = TRY(store.letters_of(ticket.id));
        r.notes = TRY(store.notes_of(ticket.id));
        r.ratings = TRY(store.ratings_of(ticket.id));
        r.actions = TRY(store.actions_of(ticket.id));
        r.audit = TRY(store.audit_of(ticket.id));
        r.attachments = TRY(store.attachments_of(ticket.id));
        for (const auto& a : r.attachments)
            TRY(add_export_file(files, a, ticket.number, out.files));
        out.tickets.push_back(std::move(r));
    }

    // Their messages outside their tickets, and their quarantined mail: what the erase finds, by the
    // same ways to reach them.
    const std::vector<Ticket>& theirs = out.customer.tickets;
    std::vector<std::string> contacts = contact_values(&out.customer.group, theirs);
    std::map<std::int64_t, std::vector<store::AttachmentRecord>> attachments_on;
    for (auto& m : TRY(store.messages_from(contacts))) {
        if (std::any_of(theirs.begin(), theirs.end(), [&](const Ticket& t) { return t.id == m.ticket_id; }))
            continue;
        MessageElsewhere e;
        if (m.ticket_id != 0) {
            if (!attachments_on.contains(m.ticket_id))
                attachments_on[m.ticket_id] = TRY(store.attachments_of(m.ticket_id));
            for (const auto& a : attachments_on[m.ticket_id])
                if (a.message_id == m.id)
                    e.attachments.push_back(a);
            auto tx = TRY(store.begin());
            auto ticket = TRY(tx->ticket_by_id(m.ticket_id));
            e.ticket_number = ticket ? ticket->number : std::string();
        } else {
            e.attachments = TRY(store.attachments_of_message(m.id));
        }
        for (const auto& a : e.attachments)
            TRY(add_export_file(files, a, e.ticket_number, out.files));
        e.message = std::move(m);
        out.messages_elsewhere.push_back(std::move(e));
    }
    int unread = 0;  // logged by mail_names; the export has no counts to carry it
    for (const auto& [folder, dir] : {std::pair<std::string, fs::path>{"quarantine", config.quarantine_dir()},
                                      std::pair<std::string, fs::path>{"too-large", config.inbox_dir() / ".too-large"}})
        for (const auto& path : quarantined_of(dir, contacts, unread)) {
            auto bytes = read_file(path);
            if (!bytes)
                continue;
            fs::path note = path;
            note.replace_extension(".reason.txt");
            out.quarantined.push_back(
                QuarantinedMail{folder, path.filename().string(), std::move(*bytes), read_file(note).value_or("")});
        }
    return out;
}

Result<EraseCounts> erase_customer(store::Store& store, const config::Config& config, std::int64_t customer_id,
                                   const Actor& actor, std::string_view reason, TimePoint now)
{
    TRY(tickets::check_erase(actor, reason));
    auto group = TRY(store.customer_group(customer_id));
    if (!group)
        return no_customer(customer_id);
    auto tickets = TRY(store.tickets_of_customer(group->root.id));
    auto counts = TRY(erase(store, config, &*group, true, tickets, tickets, actor, reason, now));
    compact(store, counts);
    log_counts("customer.erased", counts, "customer", std::to_string(group->root.id));
    return counts;
}

Result<ExpiredBatch> erase_expired(store::Store& store, const config::Config& config, TimePoint now, int limit)
{
    ExpiredBatch batch;
    int days = config.retention.erase_closed_after_days;
    if (days <= 0 || limit <= 0)
        return batch;
    const Actor system{"system", Role::owner};
    std::string reason = "retention: closed more than " + std::to_string(days) + " days ago";
    TimePoint cutoff = now - std::chrono::days(days);
    for (const auto& ticket : TRY(store.tickets_due_for_erase(cutoff, limit))) {
        if (!tickets::retention_due(ticket, now, days))
            continue;
        auto customer = TRY(store.ticket_customer(ticket.id));
        std::optional<CustomerGroup> group;
        std::vector<Ticket> theirs;
        if (customer) {
            group = TRY(store.customer_group(*customer));
            if (group)
                theirs = TRY(store.tickets_of_customer(group->root.id));
        }
        // The customer's record goes with their last ticket holding personal data: when every
        // other ticket of theirs is closed and erased already.
        bool last = true;
        for (const auto& other : theirs) {
            if (other.id == ticket.id)
                continue;
            if (tickets::keeps_customer_alive(other) || !TRY(store.ticket_erased_at(other.id)))
                last = false;
        }
        if (theirs.empty())
            theirs.push_back(ticket);
        batch.counts += TRY(erase(store, config, group ? &*group : nullptr, group && last, std::vector<Ticket>{ticket},
                                  theirs, system, reason, now));
    }
    // An erased ticket is marked so (erase_ticket_words), so the store's list moves on. A batch that
    // erased nothing ends the run rather than asking for the same list again: the store's query and
    // tickets::retention_due agree, so this only keeps a disagreement from spinning the daemon's loop.
    if (batch.counts.tickets > 0)
        batch.more = !TRY(store.tickets_due_for_erase(cutoff, 1)).empty();
    return batch;
}

void finish_expired(store::Store& store, const config::Config& config, EraseCounts& run)
{
    if (run.tickets == 0)
        return;
    compact(store, run);
    log_counts("retention.erased", run, "days", std::to_string(config.retention.erase_closed_after_days));
}

EraseCounts erase_counts_from_json(const json& j)
{
    auto count = [&](const char* key) {
        auto it = j.find(key);
        return it != j.end() && it->is_number_integer() ? it->get<int>() : 0;
    };
    EraseCounts c;
    c.tickets = count("tickets");
    c.messages = count("messages");
    c.letters = count("letters");
    c.notes = count("notes");
    c.ratings = count("ratings");
    c.corrections = count("corrections");
    c.suggestions = count("suggestions");
    c.identities = count("identities");
    c.attachments = count("attachments");
    c.files = count("files");
    c.search_rows = count("search_rows");
    c.audit_rows = count("audit_rows");
    c.other_messages = count("other_messages");
    c.other_letters = count("other_letters");
    c.messages_elsewhere = count("messages_elsewhere");
    c.letters_elsewhere = count("letters_elsewhere");
    c.unread_files = count("unread_files");
    c.quarantined = count("quarantined");
    c.outbox_files = count("outbox_files");
    return c;
}

json erase_counts_json(const EraseCounts& c)
{
    return json{{"tickets", c.tickets},
                {"messages", c.messages},
                {"letters", c.letters},
                {"notes", c.notes},
                {"ratings", c.ratings},
                {"corrections", c.corrections},
                {"suggestions", c.suggestions},
                {"identities", c.identities},
                {"attachments", c.attachments},
                {"files", c.files},
                {"search_rows", c.search_rows},
                {"audit_rows", c.audit_rows},
                {"other_messages", c.other_messages},
                {"other_letters", c.other_letters},
                {"messages_elsewhere", c.messages_elsewhere},
                {"letters_elsewhere", c.letters_elsewhere},
                {"unread_files", c.unread_files},
                {"quarantined", c.quarantined},
                {"outbox_files", c.outbox_files}};
}

}  // namespace redress::service
