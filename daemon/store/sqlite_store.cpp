#include "sqlite_store.hpp"

#include "common/log.hpp"
#include "common/text.hpp"
#include "sqlite_search.hpp"
#include "tickets/erasure.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <tuple>
#include <variant>

namespace redress::store {

namespace {

// Migrations run in order, each in its own transaction; PRAGMA user_version records how far a
// file has come. Never edit a migration that has shipped: add a new one.
constexpr std::array<const char*, 13> k_migrations{R"sql(
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    customer_name TEXT NOT NULL DEFAULT '',
    customer_email TEXT NOT NULL DEFAULT '',
    customer_phone TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    source TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    language TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    assignee TEXT NOT NULL DEFAULT '',
    awaiting_customer INTEGER NOT NULL DEFAULT 0,
    first_response_due INTEGER,
    resolution_due INTEGER,
    first_responded_at INTEGER,
    resolved_at INTEGER
);
CREATE INDEX tickets_status ON tickets(status, updated_at);
CREATE INDEX tickets_customer ON tickets(customer_email);

-- Every message we received, with or without a ticket (automatic mail opens none): the source key
-- makes ingestion idempotent.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER REFERENCES tickets(id),
    channel TEXT NOT NULL,
    source TEXT NOT NULL,
    source_key TEXT NOT NULL UNIQUE,
    message_id TEXT NOT NULL DEFAULT '',
    direction TEXT NOT NULL DEFAULT 'in',
    from_address TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    received_at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT '',
    severity TEXT NOT NULL DEFAULT 'normal',
    classification TEXT NOT NULL DEFAULT '{}',
    raw BLOB NOT NULL
);
CREATE INDEX messages_ticket ON messages(ticket_id);
CREATE INDEX messages_message_id ON messages(message_id);

-- The transactional outbox: written in the same transaction as the change that asks for a letter.
CREATE TABLE letters (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER REFERENCES tickets(id),
    channel TEXT NOT NULL,
    template_name TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    message_id TEXT NOT NULL UNIQUE,
    content BLOB NOT NULL,
    dedup_key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    next_attempt_at INTEGER,
    sent_at INTEGER,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX letters_due ON letters(status, channel, next_attempt_at);
CREATE INDEX letters_ticket ON letters(ticket_id);
CREATE INDEX letters_recipient ON letters(recipient COLLATE NOCASE, created_at);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER REFERENCES tickets(id),
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_ticket ON audit(ticket_id, id);

-- Small durable state of the connectors (IMAP UIDVALIDITY and last UID per mailbox).
CREATE TABLE state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
)sql",
                                                   R"sql(
-- Ticket numbers come from a sequence that only grows (a PostgreSQL SEQUENCE later): MAX(id)+1
-- would give two daemons on one database the same number, and reuse a deleted ticket's.
CREATE TABLE sequences (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO sequences (name, value) SELECT 'tickets', COALESCE(MAX(id), 0) FROM tickets;

-- The outbox's claims: a letter is taken by one process (claimed_by, a random id per process)
-- until claimed_until before it is sent.
ALTER TABLE letters ADD COLUMN claimed_by TEXT;
ALTER TABLE letters ADD COLUMN claimed_until INTEGER;
UPDATE letters SET next_attempt_at = created_at WHERE next_attempt_at IS NULL;
-- The due query reads only queued letters; sent and failed ones pile up and stay out of this index.
DROP INDEX letters_due;
CREATE INDEX letters_due ON letters(channel, next_attempt_at) WHERE status = 'queued';
-- The hourly cap on acknowledgements counts one template's recent letters inside every ingest.
CREATE INDEX letters_template ON letters(template_name, created_at);
)sql",
                                                   R"sql(
-- The workflow (daemon/tickets/workflow.hpp). Each step raises a ticket's version: a step decided on
-- an older version is refused, so two people working one ticket never overwrite each other.
ALTER TABLE tickets ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tickets ADD COLUMN verdict TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN resolution_code TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN closed_at INTEGER;
-- The inbox's filters; the deadline indexes hold only the open tickets, whose deadlines still run.
CREATE INDEX tickets_assignee ON tickets(assignee, id);
CREATE INDEX tickets_department ON tickets(department, id);
CREATE INDEX tickets_kind ON tickets(kind, id);
CREATE INDEX tickets_received ON tickets(received_at);
CREATE INDEX tickets_first_response_due ON tickets(first_response_due)
    WHERE status NOT IN ('resolved', 'closed') AND first_responded_at IS NULL;
CREATE INDEX tickets_resolution_due ON tickets(resolution_due) WHERE status NOT IN ('resolved', 'closed');

-- Corrective actions (handbook 000 and 003): one for the customer, one for the process.
CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    target TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    responsible TEXT NOT NULL DEFAULT '',
    due INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'open',
    created_by TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    done_at INTEGER,
    verified_at INTEGER,
    verified_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX actions_ticket ON actions(ticket_id, id);
-- The reminders read the open actions past their due date.
CREATE INDEX actions_open_due ON actions(due, id) WHERE state = 'open';

-- Internal notes: never sent to the customer.
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    author TEXT NOT NULL,
    at INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX notes_ticket ON notes(ticket_id, id);

CREATE TABLE ratings (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL
);
CREATE INDEX ratings_ticket ON ratings(ticket_id, id);

-- The people who work tickets. Login names are unique whatever their case, so "Anna" and "anna" are
-- never two people in the audit.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    chat TEXT NOT NULL DEFAULT '',
    signature TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

-- Only digests of secrets are stored (auth::token_digest).
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    digest TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id, id);

CREATE TABLE sessions (
    digest TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Letter templates edited by managers: every version is kept (templates/ holds version 0).
CREATE TABLE template_versions (
    id INTEGER PRIMARY KEY,
    language TEXT NOT NULL,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    text TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL,
    UNIQUE (language, name, version)
);
)sql",
                                                   R"sql(
-- Chat customers: a ticket's conversation ("tg:123456", "slack:C123:1700000000.000100") and the
-- customer's identity in that chat ("tg:98765"). The conversation's latest ticket is found by index.
ALTER TABLE tickets ADD COLUMN conversation TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN customer_chat TEXT NOT NULL DEFAULT '';
CREATE INDEX tickets_conversation ON tickets(conversation, id) WHERE conversation <> '';
)sql",
                                                   R"sql(
-- A person's corrections of a ticket's kind and severity, kept as labelled examples for training:
-- the words the classifier read (the customer's first message) with the corrected values.
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    ticket_number TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    from_kind TEXT NOT NULL,
    from_severity TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    by_user TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX corrections_ticket ON corrections(ticket_id, id);
)sql",
                                                   R"sql(
-- Full-text search (sqlite_search.hpp): one row per searchable record with its original text, and
-- an FTS5 index over that text with external content, so snippets show the words as written. The
-- store writes both in the transaction that writes the record. Filters read the row's own columns
-- and its ticket; erasing a customer deletes their tickets' rows here and optimises the index.
CREATE TABLE search_docs (
    id INTEGER PRIMARY KEY,
    record TEXT NOT NULL,             -- message, letter, note, ticket (subject and customer name)
    record_id INTEGER NOT NULL,       -- the id in its own table
    ticket_id INTEGER REFERENCES tickets(id),
    at INTEGER NOT NULL,
    sender TEXT NOT NULL DEFAULT '',  -- a message's From, a note's author, a ticket's customer address
    channel TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    UNIQUE (record, record_id)
);
CREATE INDEX search_docs_ticket ON search_docs(ticket_id);
CREATE INDEX search_docs_at ON search_docs(at);
-- prefix='6': a query's long stems are six-letter prefixes (search/normaliser.hpp); without an index of
-- them FTS5 merges every term of the prefix for each lookup (each snippet's too).
CREATE VIRTUAL TABLE search_index USING fts5(text, content='search_docs', content_rowid='id', tokenize='redress',
                                          prefix='6');

INSERT INTO search_docs (record, record_id, ticket_id, at, sender, channel, language, text)
    SELECT 'ticket', id, id, received_at, customer_email, channel, language,
           replace(replace(subject || char(10) || customer_name, char(1), ' '), char(2), ' ')
    FROM tickets ORDER BY id;
INSERT INTO search_docs (record, record_id, ticket_id, at, sender, channel, language, text)
    SELECT 'message', id, ticket_id, received_at, from_address, channel, language,
           replace(replace(subject || char(10) || text, char(1), ' '), char(2), ' ')
    FROM messages ORDER BY id;
INSERT INTO search_docs (record, record_id, ticket_id, at, sender, channel, language, text)
    SELECT 'note', n.id, n.ticket_id, n.at, n.author, t.channel, t.language,
           replace(replace(n.text, char(1), ' '), char(2), ' ')
    FROM notes n JOIN tickets t ON t.id = n.ticket_id ORDER BY n.id;
INSERT INTO search_docs (record, record_id, ticket_id, at, sender, channel, language, text)
    SELECT 'letter', l.id, l.ticket_id, l.created_at, '', l.channel, COALESCE(t.language, ''),
           redress_letter_text(l.channel, l.subject, l.content)
    FROM letters l LEFT JOIN tickets t ON t.id = l.ticket_id ORDER BY l.id;
INSERT INTO search_index (search_index) VALUES ('rebuild');
)sql",
                                                   R"sql(
-- Attachments (issue 18): a row per file of a customer's message or of one of our letters. The bytes
-- are in <data_dir>/attachments by their SHA-256; sha256 is '' for a file over a cap (refused says why).
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER REFERENCES tickets(id),
    message_id INTEGER REFERENCES messages(id),
    letter_id INTEGER REFERENCES letters(id),
    sha256 TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    declared_type TEXT NOT NULL DEFAULT '',
    sniffed_type TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL DEFAULT 0,
    inline_part INTEGER NOT NULL DEFAULT 0,
    content_id TEXT NOT NULL DEFAULT '',
    refused TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attachments_ticket ON attachments(ticket_id, id);
CREATE INDEX attachments_message ON attachments(message_id);
CREATE INDEX attachments_sha256 ON attachments(sha256) WHERE sha256 <> '';
)sql",
                                                   R"sql(
-- One customer across channels (docs/customers.md). A record's verified identities link new
-- messages to it; what a customer merely mentioned waits as a suggestion for staff. A merge points
-- the merged record to the one it joined (merged_into) and rewrites nothing, so undoing it restores
-- the split exactly.
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    merged_into INTEGER REFERENCES customers(id),
    merged_at INTEGER,
    merged_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customers_merged_into ON customers(merged_into) WHERE merged_into IS NOT NULL;

-- kind: email (lower case), phone ("+" and digits, or digits), chat ("tg:98765"). One owner each.
CREATE TABLE customer_identities (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    verified_by TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    UNIQUE (kind, value)
);
CREATE INDEX customer_identities_customer ON customer_identities(customer_id);

CREATE TABLE identity_suggestions (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    ticket_id INTEGER REFERENCES tickets(id),
    message_id INTEGER REFERENCES messages(id),
    at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'open',
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at INTEGER,
    UNIQUE (customer_id, kind, value)
);
CREATE INDEX identity_suggestions_ticket ON identity_suggestions(ticket_id);

-- A customer's own history: merges, their undoing, accepted suggestions.
CREATE TABLE customer_audit (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX customer_audit_customer ON customer_audit(customer_id, id);

ALTER TABLE tickets ADD COLUMN customer_id INTEGER REFERENCES customers(id);
-- A ticket merged into another (the same matter by mail and by chat) points to the survivor.
ALTER TABLE tickets ADD COLUMN merged_into INTEGER REFERENCES tickets(id);
CREATE INDEX tickets_customer_id ON tickets(customer_id, id);

-- The backfill: one record per verified identity of the tickets so far (the address of a mail
-- ticket, the chat user of a chat ticket), numbered by its first ticket; a ticket without one (the
-- complaint form, a phone call) gets a record of its own, numbered by the ticket, so the two kinds of
-- numbers never meet. Addresses typed into a form or by an agent, and phone numbers, become
-- suggestions.
CREATE TEMP TABLE backfill AS
SELECT id AS ticket_id, customer_name AS name, received_at,
       CASE WHEN customer_chat <> '' THEN 'chat'
            WHEN channel = 'email' AND customer_email <> '' THEN 'email' ELSE '' END AS kind,
       CASE WHEN customer_chat <> '' THEN customer_chat
            WHEN channel = 'email' THEN lower(trim(customer_email)) ELSE '' END AS value
FROM tickets;
INSERT INTO customers (id, name, created_at)
SELECT MIN(b.ticket_id),
       COALESCE((SELECT n.name FROM backfill n WHERE n.kind = b.kind AND n.value = b.value AND n.name <> ''
                 ORDER BY n.ticket_id DESC LIMIT 1), ''),
       MIN(b.received_at)
FROM backfill b WHERE b.kind <> '' GROUP BY b.kind, b.value;
INSERT INTO customer_identities (customer_id, kind, value, verified_by, added_at)
SELECT MIN(ticket_id), kind, value, 'backfill', MIN(received_at) FROM backfill WHERE kind <> '' GROUP BY kind, value;
INSERT INTO customers (id, name, created_at) SELECT ticket_id, name, received_at FROM backfill WHERE kind = '';
UPDATE tickets SET customer_id = COALESCE(
    (SELECT i.customer_id FROM backfill b JOIN customer_identities i ON i.kind = b.kind AND i.value = b.value
     WHERE b.ticket_id = tickets.id AND b.kind <> ''), tickets.id);
INSERT OR IGNORE INTO identity_suggestions (customer_id, kind, value, source, ticket_id, at)
SELECT customer_id, 'email', lower(trim(customer_email)), 'ticket (before customers)', id, received_at FROM tickets
WHERE customer_email <> '' AND channel <> 'email';
INSERT OR IGNORE INTO identity_suggestions (customer_id, kind, value, source, ticket_id, at)
SELECT customer_id, 'phone',
       replace(replace(replace(replace(replace(trim(customer_phone), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''),
       'ticket (before customers)', id, received_at FROM tickets
WHERE customer_phone <> '';
DROP TABLE backfill;
)sql",
                                                   R"sql(
-- The customer's erase and retention (docs/privacy.md): when a ticket's personal data was erased.
-- Retention reads the closed tickets not erased yet, oldest closed first.
ALTER TABLE tickets ADD COLUMN erased_at INTEGER;
CREATE INDEX tickets_retention ON tickets(closed_at) WHERE status = 'closed' AND erased_at IS NULL;
)sql",
                                                   R"sql(
-- The reports at scale (docs/reports.md, "At scale"): what the summary needs of each ticket, kept in
-- the transaction that changes the ticket, and sums per company-local month and day. The local day,
-- business-time spans and deadline outcomes come from the reports module (the zone and calendar are
-- config), so the store fills these tables in C++ at commit: the triggers below only note which
-- tickets changed (report_dirty). Every ticket so far is noted here: the first use with the
-- company's zone and calendar back-fills them all (the key in state 'report_aggregates').
CREATE TABLE report_groups (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    language TEXT NOT NULL,
    channel TEXT NOT NULL,
    department TEXT NOT NULL,
    UNIQUE (kind, severity, language, channel, department)
);
-- States: 0 no deadline, 1 kept, 2 met late, 3 not met yet (judged against `now` when read).
-- verdict: 0 none, 1 justified, 2 unjustified.
CREATE TABLE report_facts (
    ticket_id INTEGER PRIMARY KEY,
    day INTEGER NOT NULL,
    grp INTEGER NOT NULL,
    ack_s INTEGER,
    fr_s INTEGER,
    res_s INTEGER,
    fr_state INTEGER NOT NULL,
    fr_due INTEGER,
    res_state INTEGER NOT NULL,
    res_due INTEGER,
    verdict INTEGER NOT NULL,
    code TEXT NOT NULL,
    surveyed INTEGER NOT NULL,
    rating INTEGER
);
CREATE INDEX report_facts_day ON report_facts(day, grp);
CREATE INDEX report_facts_ack ON report_facts(ack_s, day, grp);
CREATE INDEX report_facts_fr ON report_facts(fr_s, day, grp);
CREATE INDEX report_facts_res ON report_facts(res_s, day, grp);
CREATE INDEX report_facts_unmet ON report_facts(day, grp) WHERE fr_state = 3 OR res_state = 3;
-- month: year * 12 + month - 1 of the local date.
CREATE TABLE report_months (
    month INTEGER NOT NULL,
    grp INTEGER NOT NULL,
    tickets INTEGER NOT NULL,
    fr_kept INTEGER NOT NULL,
    fr_late INTEGER NOT NULL,
    res_kept INTEGER NOT NULL,
    res_late INTEGER NOT NULL,
    justified INTEGER NOT NULL,
    unjustified INTEGER NOT NULL,
    surveyed INTEGER NOT NULL,
    surveyed_rated INTEGER NOT NULL,
    rated INTEGER NOT NULL,
    rating_sum INTEGER NOT NULL,
    r1 INTEGER NOT NULL,
    r2 INTEGER NOT NULL,
    r3 INTEGER NOT NULL,
    r4 INTEGER NOT NULL,
    r5 INTEGER NOT NULL,
    PRIMARY KEY (month, grp)
) WITHOUT ROWID;
CREATE TABLE report_month_codes (
    month INTEGER NOT NULL,
    grp INTEGER NOT NULL,
    code TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (month, grp, code)
) WITHOUT ROWID;
-- Span histograms by one dimension at a time (dim 0: all; 1 kind, 2 severity, 3 language, 4 channel,
-- 5 department, with its value), so a summary with at most one filter reads a few rows per month.
CREATE TABLE report_month_spans (
    dim INTEGER NOT NULL,
    value TEXT NOT NULL,
    span INTEGER NOT NULL,
    month INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (dim, value, span, month, bucket)
) WITHOUT ROWID;
CREATE TABLE report_days (
    dim INTEGER NOT NULL,
    value TEXT NOT NULL,
    day INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (dim, value, day)
) WITHOUT ROWID;
CREATE TABLE report_dirty (ticket_id INTEGER PRIMARY KEY);
INSERT INTO report_dirty SELECT id FROM tickets;
CREATE TRIGGER report_ticket_insert AFTER INSERT ON tickets BEGIN
    INSERT OR IGNORE INTO report_dirty VALUES (NEW.id);
END;
CREATE TRIGGER report_ticket_update AFTER UPDATE ON tickets BEGIN
    INSERT OR IGNORE INTO report_dirty VALUES (OLD.id);
    INSERT OR IGNORE INTO report_dirty VALUES (NEW.id);
END;
CREATE TRIGGER report_ticket_delete AFTER DELETE ON tickets BEGIN
    INSERT OR IGNORE INTO report_dirty VALUES (OLD.id);
END;
CREATE TRIGGER report_audit_insert AFTER INSERT ON audit
WHEN NEW.action = 'clock.acknowledged' AND NEW.ticket_id IS NOT NULL BEGIN
    INSERT OR IGNORE INTO report_dirty VALUES (NEW.ticket_id);
END;
CREATE TRIGGER report_audit_update AFTER UPDATE ON audit
WHEN NEW.action = 'clock.acknowledged' OR OLD.action = 'clock.acknowledged' BEGIN
    INSERT OR IGNORE INTO report_dirty SELECT OLD.ticket_id WHERE OLD.ticket_id IS NOT NULL;
    INSERT OR IGNORE INTO report_dirty SELECT NEW.ticket_id WHERE NEW.ticket_id IS NOT NULL;
END;
CREATE TRIGGER report_audit_delete AFTER DELETE ON audit
WHEN OLD.action = 'clock.acknowledged' AND OLD.ticket_id IS NOT NULL BEGIN
    INSERT OR IGNORE INTO report_dirty VALUES (OLD.ticket_id);
END;
CREATE TRIGGER report_letter_insert AFTER INSERT ON letters WHEN NEW.dedup_key LIKE 'survey:%' BEGIN
    INSERT OR IGNORE INTO report_dirty SELECT id FROM tickets WHERE number = substr(NEW.dedup_key, 8);
END;
CREATE TRIGGER report_letter_update AFTER UPDATE OF dedup_key ON letters
WHEN NEW.dedup_key LIKE 'survey:%' OR OLD.dedup_key LIKE 'survey:%' BEGIN
    INSERT OR IGNORE INTO report_dirty SELECT id FROM tickets WHERE number = substr(OLD.dedup_key, 8);
    INSERT OR IGNORE INTO report_dirty SELECT id FROM tickets WHERE number = substr(NEW.dedup_key, 8);
END;
CREATE TRIGGER report_letter_delete AFTER DELETE ON letters WHEN OLD.dedup_key LIKE 'survey:%' BEGIN
    INSERT OR IGNORE INTO report_dirty SELECT id FROM tickets WHERE number = substr(OLD.dedup_key, 8);
END;
CREATE TRIGGER report_rating_insert AFTER INSERT ON ratings BEGIN
    INSERT OR IGNORE INTO report_dirty VALUES (NEW.ticket_id);
END;
CREATE TRIGGER report_rating_update AFTER UPDATE ON ratings BEGIN
    INSERT OR IGNORE INTO report_dirty VALUES (OLD.ticket_id);
    INSERT OR IGNORE INTO report_dirty VALUES (NEW.ticket_id);
END;
CREATE TRIGGER report_rating_delete AFTER DELETE ON ratings BEGIN
    INSERT OR IGNORE INTO report_dirty VALUES (OLD.ticket_id);
END;
)sql",
                                                   R"sql(
-- Search filters inside the index (issue 18): search_docs.meta holds each record's filter values as
-- terms (r:, s:, k:, l:, c:, f:, d:/m:/y:; sqlite_search.hpp search_meta), and search_index gets it as a
-- second column, so status:, kind:, lang:, channel:, from: and dates are part of the MATCH instead of
-- a join per match. The store rewrites a ticket's rows in the transaction that changes its status or
-- kind. The index is made anew from the rows.
ALTER TABLE search_docs ADD COLUMN meta TEXT NOT NULL DEFAULT '';
UPDATE search_docs SET text = replace(text, char(3), ' ') WHERE instr(text, char(3)) > 0;
UPDATE search_docs SET meta = redress_search_meta(record,
    COALESCE((SELECT status FROM tickets WHERE tickets.id = search_docs.ticket_id), ''),
    COALESCE((SELECT kind FROM tickets WHERE tickets.id = search_docs.ticket_id), ''),
    language, channel, sender, at);
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5(text, meta, content='search_docs', content_rowid='id',
                                          tokenize='redress', prefix='6');
INSERT INTO search_index (search_index) VALUES ('rebuild');
)sql",
                                                   R"sql(
-- The reports at scale, second step (docs/reports.md, "At scale"): the deadlines not met yet are read
-- from an index that holds what they need (no row of report_facts read per open ticket), and
-- report_month_spans and report_days also keep dimension 6, one ticket's whole group (value: its
-- report_groups id), so two filters or more sum a few rows per month and group instead of reading
-- the per-ticket rows of the whole period. The aggregates' key changes with it ("2;..."), so the next
-- use rebuilds them.
-- The newest tickets of a period under filters (the recurring problems' texts) are found in
-- tickets_received_group alone, walked backwards, and only those tickets' rows read.
CREATE INDEX tickets_received_group ON tickets(received_at, kind, severity, language, channel, department);
DROP INDEX report_facts_unmet;
CREATE INDEX report_facts_undecided ON report_facts(day, grp, fr_state, fr_due, res_state, res_due)
    WHERE fr_state = 3 OR res_state = 3;
)sql",
                                                   R"sql(
-- A rating sent from the survey page carries its form's nonce (Rating::form_key): the same form sent
-- twice (a double click, a reload that posts again) records one rating. NULL for ratings by reply.
ALTER TABLE ratings ADD COLUMN form_key TEXT;
CREATE UNIQUE INDEX ratings_form_key ON ratings(ticket_id, form_key) WHERE form_key IS NOT NULL;
)sql"};

// A letter's words taken out (an erase): recipient, subject, content, last error; a queued one fails.
// The caller adds the WHERE clause.
constexpr std::string_view k_erase_letter_words =
    "UPDATE letters SET recipient = '', subject = '', content = X'', "
    "last_error = CASE WHEN status = 'queued' THEN 'erased' ELSE '' END, "
    "status = CASE WHEN status = 'queued' THEN 'failed' ELSE status END, claimed_by = NULL, claimed_until = NULL ";

// A message from ?1: its From address (ASCII letters regardless of case) or the chat user it came from.
constexpr std::string_view k_message_from =
    "(lower(trim(from_address)) = lower(?1) OR (classification LIKE '%\"chat\"%' AND json_valid(classification) "
    "AND json_extract(classification, '$.chat.user') = ?1))";

constexpr const char* k_attachment_columns =
    "id, ticket_id, message_id, letter_id, sha256, name, declared_type, sniffed_type, size, inline_part, content_id, "
    "refused";

// The stable code for logs and people; callers decide by the kind (sqlite_error_kind).
std::string error_code_name(int result_code)
{
    switch (result_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return "store.busy";
    case SQLITE_FULL:
        return "store.full";
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
        return "store.io";
    case SQLITE_CONSTRAINT:
        return "store.constraint";
    default:
        return "store.sqlite";
    }
}

Error sqlite_error(sqlite3* db, std::string_view what)
{
    int code = sqlite3_errcode(db);
    return make_error(sqlite_error_kind(code), error_code_name(code), std::string(what) + ": " + sqlite3_errmsg(db));
}

std::int64_t to_db(TimePoint t)
{
    return t.time_since_epoch().count();
}
TimePoint from_db(std::int64_t v)
{
    return TimePoint{Seconds{v}};
}

// A prepared statement, reset on destruction so the cached statement can be reused.
class Statement {
public:
    Statement(sqlite3* db, sqlite3_stmt* stmt)
        : m_db(db)
        , m_stmt(stmt)
    {
    }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement()
    {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }

    Statement& bind(int i, std::string_view v)
    {
        sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind_blob(int i, std::string_view v)
    {
        sqlite3_bind_blob(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind(int i, std::int64_t v)
    {
        sqlite3_bind_int64(m_stmt, i, v);
        return *this;
    }
    Statement& bind(int i, TimePoint t) { return bind(i, to_db(t)); }
    Statement& bind(int i, const std::optional<TimePoint>& t)
    {
        if (t)
            return bind(i, *t);
        sqlite3_bind_null(m_stmt, i);
        return *this;
    }
    Statement& bind(int i, const std::optional<std::int64_t>& v)
    {
        if (v)
            return bind(i, *v);
        sqlite3_bind_null(m_stmt, i);
        return *this;
    }

    // SQLITE_ROW -> true, SQLITE_DONE -> false, anything else -> error.
    Result<bool> step()
    {
        int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE)
            return false;
        return sqlite_error(m_db, "step");
    }
    Result<void> run()
    {
        TRY(step());
        return {};
    }

    std::string text(int col) const
    {
        auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
    }
    std::string blob(int col) const
    {
        auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, col));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
    }
    std::int64_t integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
    double real(int col) const { return sqlite3_column_double(m_stmt, col); }
    bool is_null(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
    std::optional<TimePoint> time_or_null(int col) const
    {
        if (is_null(col))
            return std::nullopt;
        return from_db(integer(col));
    }
    std::optional<std::int64_t> int_or_null(int col) const
    {
        if (is_null(col))
            return std::nullopt;
        return integer(col);
    }

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt;
};

// Reads every row of a stepped statement with `read`.
template <class Read> auto collect_rows(Statement& s, Read read) -> Result<std::vector<decltype(read(s))>>
{
    std::vector<decltype(read(s))> out;
    while (TRY(s.step()))
        out.push_back(read(s));
    return out;
}

// Reads the first row with `read`, or nullopt when there is none.
template <class Read> auto first_row(Statement& s, Read read) -> Result<std::optional<decltype(read(s))>>
{
    if (!TRY(s.step()))
        return std::optional<decltype(read(s))>{};
    return std::optional<decltype(read(s))>{read(s)};
}

constexpr const char* k_ticket_columns =
    "id, number, customer_name, customer_email, customer_phone, channel, source, received_at, updated_at, kind, "
    "language, severity, status, subject, assignee, awaiting_customer, first_response_due, resolution_due, "
    "first_responded_at, resolved_at, version, verdict, department, category, resolution_code, closed_at, "
    "conversation, customer_chat";

// The ticket whose columns (k_ticket_columns) start at column `c`.
Ticket read_ticket_at(const Statement& s, int c)
{
    Ticket t;
    t.id = s.integer(c + 0);
    t.number = s.text(c + 1);
    t.customer = Customer{s.text(c + 2), s.text(c + 3), s.text(c + 4), ""};
    t.channel = s.text(c + 5);
    t.source = s.text(c + 6);
    t.received_at = from_db(s.integer(c + 7));
    t.updated_at = from_db(s.integer(c + 8));
    t.kind = kind_from_string(s.text(c + 9)).value_or(Kind::other);
    t.language = s.text(c + 10);
    t.severity = severity_from_string(s.text(c + 11)).value_or(Severity::normal);
    t.status = ticket_status_from_string(s.text(c + 12)).value_or(TicketStatus::new_ticket);
    t.subject = s.text(c + 13);
    t.assignee = s.text(c + 14);
    t.awaiting_customer = s.integer(c + 15) != 0;
    t.first_response_due = s.time_or_null(c + 16);
    t.resolution_due = s.time_or_null(c + 17);
    t.first_responded_at = s.time_or_null(c + 18);
    t.resolved_at = s.time_or_null(c + 19);
    t.version = s.integer(c + 20);
    t.verdict = s.text(c + 21);
    t.department = s.text(c + 22);
    t.category = s.text(c + 23);
    t.resolution_code = s.text(c + 24);
    t.closed_at = s.time_or_null(c + 25);
    t.conversation = s.text(c + 26);
    t.customer.chat_user = s.text(c + 27);
    return t;
}

Ticket read_ticket(const Statement& s)
{
    return read_ticket_at(s, 0);
}

// k_ticket_columns each prefixed with a table alias ("t.id, t.number, ..."), for joins.
std::string ticket_columns_of(std::string_view alias)
{
    std::string out;
    std::string_view rest = k_ticket_columns;
    while (!rest.empty()) {
        auto comma = rest.find(", ");
        out += std::string(alias) + "." + std::string(rest.substr(0, comma));
        if (comma == std::string_view::npos)
            break;
        out += ", ";
        rest.remove_prefix(comma + 2);
    }
    return out;
}

constexpr const char* k_letter_columns =
    "id, ticket_id, channel, template_name, recipient, subject, message_id, content, dedup_key, status, attempts, "
    "created_at, next_attempt_at, sent_at, last_error";

Letter read_letter(const Statement& s)
{
    Letter l;
    l.id = s.integer(0);
    l.ticket_id = s.int_or_null(1);
    l.channel = s.text(2);
    l.template_name = s.text(3);
    l.recipient = s.text(4);
    l.subject = s.text(5);
    l.message_id = s.text(6);
    l.content = s.blob(7);
    l.dedup_key = s.text(8);
    l.status = letter_status_from_string(s.text(9)).value_or(LetterStatus::queued);
    l.attempts = static_cast<int>(s.integer(10));
    l.created_at = from_db(s.integer(11));
    l.next_attempt_at = s.time_or_null(12);
    l.sent_at = s.time_or_null(13);
    l.last_error = s.text(14);
    return l;
}

constexpr const char* k_action_columns =
    "id, ticket_id, target, text, responsible, due, state, created_by, created_at, "
    "done_at, verified_at, verified_by, note";

CorrectiveAction read_action_at(const Statement& s, int c)
{
    CorrectiveAction a;
    a.id = s.integer(c + 0);
    a.ticket_id = s.integer(c + 1);
    a.target = action_for_from_string(s.text(c + 2)).value_or(ActionFor::customer);
    a.text = s.text(c + 3);
    a.responsible = s.text(c + 4);
    a.due = from_db(s.integer(c + 5));
    a.state = action_state_from_string(s.text(c + 6)).value_or(ActionState::open);
    a.created_by = s.text(c + 7);
    a.created_at = from_db(s.integer(c + 8));
    a.done_at = s.time_or_null(c + 9);
    a.verified_at = s.time_or_null(c + 10);
    a.verified_by = s.text(c + 11);
    a.note = s.text(c + 12);
    return a;
}
constexpr int k_action_column_count = 13;

CorrectiveAction read_action(const Statement& s)
{
    return read_action_at(s, 0);
}

Rating read_rating(const Statement& s)
{
    return Rating{s.integer(0),          s.integer(1), static_cast<int>(s.integer(2)), s.text(3), s.text(4),
                  from_db(s.integer(5)), s.text(6)};
}

Correction read_correction(const Statement& s)
{
    Correction c;
    c.id = s.integer(0);
    c.ticket_id = s.integer(1);
    c.ticket_number = s.text(2);
    c.subject = s.text(3);
    c.text = s.text(4);
    c.language = s.text(5);
    c.kind = kind_from_string(s.text(6)).value_or(Kind::other);
    c.severity = severity_from_string(s.text(7)).value_or(Severity::normal);
    c.from_kind = kind_from_string(s.text(8)).value_or(Kind::other);
    c.from_severity = severity_from_string(s.text(9)).value_or(Severity::normal);
    c.reason = s.text(10);
    c.by = s.text(11);
    c.at = from_db(s.integer(12));
    return c;
}

constexpr const char* k_user_columns =
    "id, name, role, display_name, email, chat, signature, password_hash, disabled, created_at";

User read_user_at(const Statement& s, int c)
{
    User u;
    u.id = s.integer(c + 0);
    u.name = s.text(c + 1);
    u.role = role_from_string(s.text(c + 2)).value_or(Role::agent);
    u.display_name = s.text(c + 3);
    u.email = s.text(c + 4);
    u.chat = s.text(c + 5);
    u.signature = s.text(c + 6);
    u.password_hash = s.text(c + 7);
    u.disabled = s.integer(c + 8) != 0;
    u.created_at = from_db(s.integer(c + 9));
    return u;
}

User read_user(const Statement& s)
{
    return read_user_at(s, 0);
}

// ?1 to ?9 in k_user_columns' order, without the id.
void bind_user(Statement& s, const User& u)
{
    s.bind(1, u.name)
        .bind(2, to_string(u.role))
        .bind(3, u.display_name)
        .bind(4, u.email)
        .bind(5, u.chat)
        .bind(6, u.signature)
        .bind(7, u.password_hash)
        .bind(8, std::int64_t{u.disabled ? 1 : 0})
        .bind(9, u.created_at);
}

constexpr const char* k_token_columns = "id, user_id, digest, label, created_at, last_used_at, revoked_at";

ApiToken read_token(const Statement& s)
{
    return ApiToken{s.integer(0),          s.integer(1),      s.text(2),        s.text(3),
                    from_db(s.integer(4)), s.time_or_null(5), s.time_or_null(6)};
}

constexpr const char* k_template_columns = "id, language, name, text, author, at, version";

TemplateVersion read_template(const Statement& s)
{
    return TemplateVersion{s.integer(0),
                           s.text(1),
                           s.text(2),
                           s.text(3),
                           s.text(4),
                           from_db(s.integer(5)),
                           static_cast<int>(s.integer(6))};
}

// A parameter of a query built at run time (list_tickets): values are always bound, never pasted.
using Parameter = std::variant<std::int64_t, std::string>;

void bind_all(Statement& s, const std::vector<Parameter>& parameters)
{
    int i = 1;
    for (const auto& p : parameters) {
        if (const auto* n = std::get_if<std::int64_t>(&p))
            s.bind(i++, *n);
        else
            s.bind(i++, std::get<std::string>(p));
    }
}

}  // namespace

ErrorKind sqlite_error_kind(int result_code)
{
    switch (result_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
        return ErrorKind::transient;
    case SQLITE_CONSTRAINT:
        return ErrorKind::constraint;
    default:
        return ErrorKind::failed;
    }
}

struct SqliteStore::Impl {
    sqlite3* db = nullptr;
    std::recursive_mutex mutex;  // one connection, one user at a time; a transaction holds it
    std::map<std::string, sqlite3_stmt*, std::less<>> statements;
    std::string install_id;
    // The reports' aggregates (prepare_report_aggregates): none until a caller with the company's
    // zone and calendar sets it; changed tickets wait in report_dirty until then.
    std::optional<ReportAggregation> report_aggregation;
    std::map<std::int64_t, std::array<std::string, 5>> report_group_values;  // report_groups, read once
    std::map<std::array<std::string, 5>, std::int64_t> report_group_ids;

    ~Impl()
    {
        for (auto& [sql, stmt] : statements)
            sqlite3_finalize(stmt);
        if (db)
            sqlite3_close(db);
    }

    Result<void> exec(const char* sql)
    {
        char* message = nullptr;
        if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
            std::string text = message ? message : "unknown error";
            sqlite3_free(message);
            int code = sqlite3_errcode(db);
            return make_error(sqlite_error_kind(code), error_code_name(code), text);
        }
        return {};
    }

    // Prepared statements are cached by their SQL text; the caller holds the mutex.
    Result<sqlite3_stmt*> prepare(const std::string& sql)
    {
        if (auto it = statements.find(sql); it != statements.end())
            return it->second;
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
            return sqlite_error(db, "prepare");
        statements.emplace(sql, stmt);
        return stmt;
    }
};

namespace {

// Runs `fn(Statement&)` on a cached statement.
template <class Fn>
auto with_statement(SqliteStore::Impl& impl, const std::string& sql, Fn&& fn)
    -> decltype(fn(std::declval<Statement&>()))
{
    sqlite3_stmt* stmt = TRY(impl.prepare(sql));
    Statement s(impl.db, stmt);
    return fn(s);
}

Result<std::optional<Ticket>> query_one_ticket(SqliteStore::Impl& impl, const std::string& where,
                                               const std::function<void(Statement&)>& bind)
{
    return with_statement(impl, std::string("SELECT ") + k_ticket_columns + " FROM tickets WHERE " + where,
                          [&](Statement& s) {
                              bind(s);
                              return first_row(s, read_ticket);
                          });
}

Result<std::optional<std::int64_t>> query_one_id(SqliteStore::Impl& impl, const std::string& sql, std::string_view key)
{
    return with_statement(impl, sql, [&](Statement& s) {
        s.bind(1, key);
        return first_row(s, [](const Statement& r) { return r.integer(0); });
    });
}

Result<std::optional<Letter>> query_letter_by_message_id(SqliteStore::Impl& impl, std::string_view message_id)
{
    return with_statement(impl, std::string("SELECT ") + k_letter_columns + " FROM letters WHERE message_id = ?1",
                          [&](Statement& s) {
                              s.bind(1, message_id);
                              return first_row(s, read_letter);
                          });
}

Result<std::vector<AuditEvent>> query_audit(SqliteStore::Impl& impl, std::int64_t ticket_id)
{
    return with_statement(impl,
                          "SELECT id, ticket_id, at, actor, action, detail FROM audit WHERE ticket_id = ?1 ORDER BY id",
                          [&](Statement& s) {
                              s.bind(1, ticket_id);
                              return collect_rows(s, [](const Statement& r) {
                                  return AuditEvent{r.integer(0), r.int_or_null(1), from_db(r.integer(2)),
                                                    r.text(3),    r.text(4),        r.text(5)};
                              });
                          });
}

// Every column of a ticket from ?2 on (bind_ticket's order); the caller adds the WHERE clause.
constexpr const char* k_update_ticket =
    "UPDATE tickets SET number = ?2, customer_name = ?3, customer_email = ?4, customer_phone = ?5, channel = ?6, "
    "source = ?7, received_at = ?8, updated_at = ?9, kind = ?10, language = ?11, severity = ?12, status = ?13, "
    "subject = ?14, assignee = ?15, awaiting_customer = ?16, first_response_due = ?17, resolution_due = ?18, "
    "first_responded_at = ?19, resolved_at = ?20, version = ?21, verdict = ?22, department = ?23, category = ?24, "
    "resolution_code = ?25, closed_at = ?26, conversation = ?27, customer_chat = ?28";

Result<std::vector<CorrectiveAction>> query_actions(SqliteStore::Impl& impl, std::int64_t ticket_id)
{
    return with_statement(impl,
                          std::string("SELECT ") + k_action_columns + " FROM actions WHERE ticket_id = ?1 ORDER BY id",
                          [&](Statement& s) {
                              s.bind(1, ticket_id);
                              return collect_rows(s, read_action);
                          });
}

Result<std::vector<Rating>> query_ratings(SqliteStore::Impl& impl, std::int64_t ticket_id)
{
    return with_statement(
        impl,
        "SELECT id, ticket_id, score, comment, source, at, COALESCE(form_key, '') FROM ratings WHERE ticket_id = ?1 "
        "ORDER BY id",
        [&](Statement& s) {
            s.bind(1, ticket_id);
            return collect_rows(s, read_rating);
        });
}

AttachmentRecord read_attachment(const Statement& r)
{
    AttachmentRecord a;
    a.id = r.integer(0);
    a.ticket_id = r.int_or_null(1);
    a.message_id = r.int_or_null(2);
    a.letter_id = r.int_or_null(3);
    a.sha256 = r.text(4);
    a.name = r.text(5);
    a.declared_type = r.text(6);
    a.sniffed_type = r.text(7);
    a.size = r.integer(8);
    a.inline_part = r.integer(9) != 0;
    a.content_id = r.text(10);
    a.refused = r.text(11);
    return a;
}

Result<std::vector<AttachmentRecord>> query_attachments(SqliteStore::Impl& impl, std::int64_t ticket_id)
{
    return with_statement(
        impl, std::string("SELECT ") + k_attachment_columns + " FROM attachments WHERE ticket_id = ?1 ORDER BY id",
        [&](Statement& s) {
            s.bind(1, ticket_id);
            return collect_rows(s, read_attachment);
        });
}

Result<std::optional<User>> query_one_user(SqliteStore::Impl& impl, const std::string& where,
                                           const std::function<void(Statement&)>& bind)
{
    return with_statement(impl, std::string("SELECT ") + k_user_columns + " FROM users WHERE " + where,
                          [&](Statement& s) {
                              bind(s);
                              return first_row(s, read_user);
                          });
}

// An UPDATE of one letter that changed nothing: says whether the letter is missing (not_found) or
// is no longer claimed by `claim.claimant` (conflict: its lease ended and another process took it,
// or its outcome was recorded already).
Error unclaimed_letter_error(SqliteStore::Impl& impl, const LetterClaim& claim)
{
    auto row =
        with_statement(impl, "SELECT status, COALESCE(claimed_by, '') FROM letters WHERE id = ?1", [&](Statement& s) {
            s.bind(1, claim.letter_id);
            return first_row(s, [](const Statement& r) { return std::pair{r.text(0), r.text(1)}; });
        });
    if (!row)
        return row.error();
    std::string id = std::to_string(claim.letter_id);
    if (!*row)
        return make_error(ErrorKind::not_found, "store.no_letter", "no letter " + id);
    auto& [status, holder] = **row;
    if (status != "queued")
        return make_error(ErrorKind::conflict, "store.claim_lost",
                          "letter " + id + " is " + status + " already: its outcome was recorded by another claim");
    return make_error(ErrorKind::conflict, "store.claim_lost",
                      "letter " + id + " is no longer claimed by " + claim.claimant +
                          (holder.empty() ? std::string(" (unclaimed)") : " but by " + holder));
}

// Runs an UPDATE of one claimed letter (?1 letter id, ?2 claimant, further parameters bound by
// `bind`) and turns "no row changed" into not_found or conflict.
template <class Bind>
Result<void> update_claimed_letter(SqliteStore::Impl& impl, const LetterClaim& claim, const std::string& set, Bind bind)
{
    TRY(with_statement(impl,
                       "UPDATE letters SET " + set +
                           ", claimed_by = NULL, claimed_until = NULL WHERE id = ?1 AND claimed_by = ?2 AND "
                           "status = 'queued'",
                       [&](Statement& s) {
                           s.bind(1, claim.letter_id).bind(2, claim.claimant);
                           bind(s);
                           return s.run();
                       }));
    if (sqlite3_changes(impl.db) == 0)
        return unclaimed_letter_error(impl, claim);
    return {};
}

// Customers (docs/customers.md): shared by the transaction and the reads outside one.

// Audit rows of tickets (any but `except`), or without a ticket, whose detail holds one of `values`
// whole (holds_whole), oldest first: the erase rewrites their detail.
Result<std::vector<AuditEvent>> audit_mentioning(SqliteStore::Impl& impl, bool of_tickets,
                                                 const std::vector<std::string>& values,
                                                 const std::vector<std::int64_t>& except)
{
    const char* sql = of_tickets ? "SELECT id, ticket_id, at, actor, action, detail FROM audit WHERE ticket_id IS "
                                   "NOT NULL AND instr(lower(detail), lower(?1)) > 0 ORDER BY id"
                                 : "SELECT id, ticket_id, at, actor, action, detail FROM audit WHERE ticket_id IS "
                                   "NULL AND instr(lower(detail), lower(?1)) > 0 ORDER BY id";
    std::vector<AuditEvent> out;
    for (const auto& value : values) {
        auto rows = TRY(with_statement(impl, sql, [&](Statement& s) {
            s.bind(1, value);
            return collect_rows(s, [](const Statement& r) {
                return AuditEvent{r.integer(0), r.int_or_null(1), from_db(r.integer(2)),
                                  r.text(3),    r.text(4),        r.text(5)};
            });
        }));
        for (auto& row : rows) {
            bool excepted = row.ticket_id && std::find(except.begin(), except.end(), *row.ticket_id) != except.end();
            if (!excepted && tickets::names_whole(row.detail, value) &&
                std::none_of(out.begin(), out.end(), [&](const AuditEvent& e) { return e.id == row.id; }))
                out.push_back(std::move(row));
        }
    }
    std::sort(out.begin(), out.end(), [](const AuditEvent& a, const AuditEvent& b) { return a.id < b.id; });
    return out;
}

constexpr const char* k_customer_columns = "id, name, created_at, merged_into, merged_at, merged_by";

CustomerRecord read_customer(const Statement& s)
{
    CustomerRecord c;
    c.id = s.integer(0);
    c.name = s.text(1);
    c.created_at = from_db(s.integer(2));
    c.merged_into = s.int_or_null(3);
    c.merged_at = s.time_or_null(4);
    c.merged_by = s.text(5);
    return c;
}

constexpr const char* k_identity_columns = "id, customer_id, kind, value, verified_by, added_at";

CustomerIdentity read_identity(const Statement& s)
{
    CustomerIdentity i;
    i.id = s.integer(0);
    i.customer_id = s.integer(1);
    i.kind = identity_kind_from_string(s.text(2)).value_or(IdentityKind::email);
    i.value = s.text(3);
    i.verified_by = s.text(4);
    i.added_at = from_db(s.integer(5));
    return i;
}

constexpr const char* k_suggestion_columns =
    "id, customer_id, kind, value, source, ticket_id, message_id, at, state, decided_by, decided_at";

IdentitySuggestion read_suggestion(const Statement& s)
{
    IdentitySuggestion g;
    g.id = s.integer(0);
    g.customer_id = s.integer(1);
    g.kind = identity_kind_from_string(s.text(2)).value_or(IdentityKind::email);
    g.value = s.text(3);
    g.source = s.text(4);
    g.ticket_id = s.int_or_null(5);
    g.message_id = s.int_or_null(6);
    g.at = from_db(s.integer(7));
    g.state = s.text(8) == "accepted" ? SuggestionState::accepted : SuggestionState::open;
    g.decided_by = s.text(9);
    g.decided_at = s.time_or_null(10);
    return g;
}

// Every record of the customer whose root is ?1 (the root and what is merged into it, at any depth).
constexpr const char* k_customer_group =
    "WITH RECURSIVE grp(id) AS (SELECT ?1 UNION SELECT c.id FROM customers c JOIN grp ON c.merged_into = grp.id) ";

Result<std::optional<CustomerRecord>> query_customer(SqliteStore::Impl& impl, std::int64_t id)
{
    return with_statement(impl, std::string("SELECT ") + k_customer_columns + " FROM customers WHERE id = ?1",
                          [&](Statement& s) {
                              s.bind(1, id);
                              return first_row(s, read_customer);
                          });
}

Result<std::optional<CustomerIdentity>> query_identity(SqliteStore::Impl& impl, IdentityKind kind,
                                                       std::string_view value)
{
    return with_statement(
        impl, std::string("SELECT ") + k_identity_columns + " FROM customer_identities WHERE kind = ?1 AND value = ?2",
        [&](Statement& s) {
            s.bind(1, to_string(kind)).bind(2, value);
            return first_row(s, read_identity);
        });
}

// A nullable integer column of one ticket: nullopt for no such ticket or NULL.
Result<std::optional<std::int64_t>> query_ticket_column(SqliteStore::Impl& impl, const char* column,
                                                        std::int64_t ticket_id)
{
    auto row =
        TRY(with_statement(impl, std::string("SELECT ") + column + " FROM tickets WHERE id = ?1", [&](Statement& s) {
            s.bind(1, ticket_id);
            return first_row(s, [](const Statement& r) { return r.int_or_null(0); });
        }));
    return row ? *row : std::optional<std::int64_t>{};
}

// The record a customer record is merged into, at the end of the pointers (itself when not merged).
// not_found for no such record. Merges never make a cycle (the service refuses one), and the walk
// is bounded all the same.
Result<CustomerRecord> query_root(SqliteStore::Impl& impl, std::int64_t id)
{
    auto record = TRY(query_customer(impl, id));
    if (!record)
        return make_error(ErrorKind::not_found, "customer.not_found",
                          "There is no customer " + std::to_string(id) + ".");
    for (int hops = 0; record->merged_into && hops < 1000; ++hops) {
        auto next = TRY(query_customer(impl, *record->merged_into));
        if (!next)
            break;
        record = std::move(next);
    }
    return *record;
}

Result<std::optional<CustomerGroup>> query_group(SqliteStore::Impl& impl, std::int64_t id)
{
    if (!TRY(query_customer(impl, id)))
        return std::optional<CustomerGroup>{};
    CustomerGroup group;
    group.root = TRY(query_root(impl, id));
    auto bind_root = [&](Statement& s) { s.bind(1, group.root.id); };
    group.members = TRY(with_statement(impl,
                                       std::string(k_customer_group) + "SELECT " + k_customer_columns +
                                           " FROM customers WHERE id IN (SELECT id FROM grp) ORDER BY id = ?1 DESC, id",
                                       [&](Statement& s) {
                                           bind_root(s);
                                           return collect_rows(s, read_customer);
                                       }));
    group.identities =
        TRY(with_statement(impl,
                           std::string(k_customer_group) + "SELECT " + k_identity_columns +
                               " FROM customer_identities WHERE customer_id IN (SELECT id FROM grp) ORDER BY id",
                           [&](Statement& s) {
                               bind_root(s);
                               return collect_rows(s, read_identity);
                           }));
    // Open suggestions, less those the customer has verified since (by a merge or another message).
    group.suggestions = TRY(with_statement(
        impl,
        std::string(k_customer_group) + "SELECT " + k_suggestion_columns +
            " FROM identity_suggestions s WHERE s.customer_id IN (SELECT id FROM grp) AND s.state = 'open' AND "
            "NOT EXISTS (SELECT 1 FROM customer_identities i WHERE i.kind = s.kind AND i.value = s.value AND "
            "i.customer_id IN (SELECT id FROM grp)) ORDER BY s.id",
        [&](Statement& s) {
            bind_root(s);
            return collect_rows(s, read_suggestion);
        }));
    return std::optional<CustomerGroup>{std::move(group)};
}

Result<std::vector<Ticket>> query_customer_tickets(SqliteStore::Impl& impl, std::int64_t id)
{
    auto root = TRY(query_root(impl, id));
    return with_statement(impl,
                          std::string(k_customer_group) + "SELECT " + k_ticket_columns +
                              " FROM tickets WHERE customer_id IN (SELECT id FROM grp) ORDER BY id DESC",
                          [&](Statement& s) {
                              s.bind(1, root.id);
                              return collect_rows(s, read_ticket);
                          });
}

Result<std::vector<AuditEvent>> query_customer_audit(SqliteStore::Impl& impl, std::int64_t id)
{
    auto root = TRY(query_root(impl, id));
    return with_statement(impl,
                          std::string(k_customer_group) + "SELECT id, at, actor, action, detail FROM customer_audit "
                                                          "WHERE customer_id IN (SELECT id FROM grp) ORDER BY id",
                          [&](Statement& s) {
                              s.bind(1, root.id);
                              return collect_rows(s, [](const Statement& r) {
                                  return AuditEvent{r.integer(0), std::nullopt, from_db(r.integer(1)),
                                                    r.text(2),    r.text(3),    r.text(4)};
                              });
                          });
}

Result<std::int64_t> insert_identity(SqliteStore::Impl& impl, const CustomerIdentity& identity)
{
    // DO NOTHING rather than a constraint error: an identity held by another record is the caller's
    // conflict, told apart from any other refusal without reading SQLite's extended codes.
    TRY(with_statement(impl,
                       "INSERT INTO customer_identities (customer_id, kind, value, verified_by, added_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (kind, value) DO NOTHING",
                       [&](Statement& s) {
                           s.bind(1, identity.customer_id)
                               .bind(2, to_string(identity.kind))
                               .bind(3, identity.value)
                               .bind(4, identity.verified_by)
                               .bind(5, identity.added_at);
                           return s.run();
                       }));
    if (sqlite3_changes(impl.db) == 0)
        return make_error(ErrorKind::conflict, "customer.identity_taken",
                          std::string(to_string(identity.kind)) + " " + identity.value +
                              " belongs to another customer already: merge the two customers instead.");
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(impl.db));
}

Result<void> insert_suggestion(SqliteStore::Impl& impl, std::int64_t customer_id, const IdentityClaim& claim,
                               const CustomerLink& link)
{
    return with_statement(impl,
                          "INSERT INTO identity_suggestions (customer_id, kind, value, source, ticket_id, message_id, "
                          "at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (customer_id, kind, value) DO NOTHING",
                          [&](Statement& s) {
                              s.bind(1, customer_id)
                                  .bind(2, to_string(claim.kind))
                                  .bind(3, claim.value)
                                  .bind(4, claim.source)
                                  .bind(5, link.ticket_id)
                                  .bind(6, link.message_id)
                                  .bind(7, link.at);
                              return s.run();
                          });
}

Result<std::int64_t> link_ticket_customer(SqliteStore::Impl& impl, const CustomerLink& link)
{
    std::optional<std::int64_t> customer = TRY(query_ticket_column(impl, "customer_id", link.ticket_id));
    std::vector<IdentityClaim> suggested = link.suggested;
    if (customer) {
        // A ticket's customer is decided by its first message. A verified sender who is not that
        // customer (a colleague who wrote on the ticket) is a suggestion, never a link.
        if (link.verified)
            suggested.insert(suggested.begin(),
                             IdentityClaim{link.verified->kind, link.verified->value, "wrote on the ticket"});
    } else {
        if (link.verified) {
            if (auto known = TRY(query_identity(impl, link.verified->kind, link.verified->value)))
                customer = known->customer_id;  // the record holding it, so undoing a merge keeps it there
        }
        if (!customer) {
            TRY(with_statement(impl, "INSERT INTO customers (name, created_at) VALUES (?1, ?2)", [&](Statement& s) {
                s.bind(1, link.name).bind(2, link.at);
                return s.run();
            }));
            customer = static_cast<std::int64_t>(sqlite3_last_insert_rowid(impl.db));
            if (link.verified)
                TRY(insert_identity(impl, CustomerIdentity{0, *customer, link.verified->kind, link.verified->value,
                                                           link.verified->kind == IdentityKind::chat ? "chat" : "mail",
                                                           link.at}));
        } else if (!link.name.empty()) {
            TRY(with_statement(impl, "UPDATE customers SET name = ?2 WHERE id = ?1 AND name = ''", [&](Statement& s) {
                s.bind(1, *customer).bind(2, link.name);
                return s.run();
            }));
        }
        TRY(with_statement(impl, "UPDATE tickets SET customer_id = ?2 WHERE id = ?1", [&](Statement& s) {
            s.bind(1, link.ticket_id).bind(2, *customer);
            return s.run();
        }));
    }
    std::int64_t root = TRY(query_root(impl, *customer)).id;
    for (const auto& claim : suggested) {
        if (auto known = TRY(query_identity(impl, claim.kind, claim.value))) {
            if (TRY(query_root(impl, known->customer_id)).id == root)
                continue;  // the customer's own already
        }
        TRY(insert_suggestion(impl, *customer, claim, link));
    }
    return *customer;
}

// Rows of these tables follow their ticket when it is merged into another.
constexpr std::array<const char*, 10> k_ticket_record_tables{
    "messages",    "letters",     "notes",      "actions", "ratings", "audit", "identity_suggestions",
    "attachments", "search_docs", "corrections"};

Result<std::vector<CustomerRecord>> query_customers_matching(SqliteStore::Impl& impl, std::string_view text, int limit)
{
    std::string pattern = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\')
            pattern += '\\';
        pattern += c;
    }
    pattern += "%";
    auto ids = TRY(with_statement(impl,
                                  "SELECT id FROM customers WHERE name LIKE ?1 ESCAPE '\\' UNION "
                                  "SELECT customer_id FROM customer_identities WHERE value LIKE ?1 ESCAPE '\\' "
                                  "ORDER BY 1 LIMIT ?2",
                                  [&](Statement& s) {
                                      s.bind(1, pattern).bind(2, std::int64_t{limit < 0 ? 1000 : limit * 4});
                                      return collect_rows(s, [](const Statement& r) { return r.integer(0); });
                                  }));
    std::vector<CustomerRecord> out;
    for (auto id : ids) {
        auto root = TRY(query_root(impl, id));
        if (std::none_of(out.begin(), out.end(), [&](const CustomerRecord& c) { return c.id == root.id; }))
            out.push_back(std::move(root));
        if (limit >= 0 && static_cast<int>(out.size()) >= limit)
            break;
    }
    return out;
}

// The rows the reports read (report_tickets and the aggregates' refresh); `where` uses alias t.
std::string report_select(bool with_text)
{
    // The acknowledgement is the first clock.acknowledged row (audit_ticket index); the survey's
    // letter has the dedup key "survey:<number>" (unique index); the newest rating counts.
    std::string sql =
        "SELECT t.id, t.number, t.received_at, t.kind, t.language, t.channel, t.department, t.severity, t.status, "
        "t.verdict, t.resolution_code, "
        "(SELECT MIN(a.at) FROM audit a WHERE a.ticket_id = t.id AND a.action = 'clock.acknowledged'), "
        "t.first_response_due, t.first_responded_at, t.resolution_due, t.resolved_at, t.closed_at, "
        "EXISTS (SELECT 1 FROM letters l WHERE l.dedup_key = 'survey:' || t.number), "
        "(SELECT r.score FROM ratings r WHERE r.ticket_id = t.id ORDER BY r.id DESC LIMIT 1)";
    if (with_text)
        sql += ", t.subject, (SELECT m.text FROM messages m WHERE m.ticket_id = t.id AND m.direction = 'in' "
               "ORDER BY m.id LIMIT 1)";
    return sql + " FROM tickets t";
}

ReportTicket read_report_ticket(const Statement& r, bool with_text)
{
    ReportTicket t;
    t.id = r.integer(0);
    t.number = r.text(1);
    t.received_at = from_db(r.integer(2));
    t.kind = kind_from_string(r.text(3)).value_or(Kind::other);
    t.language = r.text(4);
    t.channel = r.text(5);
    t.department = r.text(6);
    t.severity = severity_from_string(r.text(7)).value_or(Severity::normal);
    t.status = ticket_status_from_string(r.text(8)).value_or(TicketStatus::new_ticket);
    t.verdict = r.text(9);
    t.resolution_code = r.text(10);
    t.acknowledged_at = r.time_or_null(11);
    t.first_response_due = r.time_or_null(12);
    t.first_responded_at = r.time_or_null(13);
    t.resolution_due = r.time_or_null(14);
    t.resolved_at = r.time_or_null(15);
    t.closed_at = r.time_or_null(16);
    t.surveyed = r.integer(17) != 0;
    if (!r.is_null(18))
        t.rating = static_cast<int>(r.integer(18));
    if (with_text) {
        t.subject = r.text(19);
        t.text = r.text(20);
    }
    return t;
}

// The aggregates. A group is a ticket's (kind, severity, language, channel, department); the
// dimensions of report_month_spans and report_days are 0 (all) and 1..5 in that order.
using ReportGroup = std::array<std::string, 5>;
constexpr int k_report_dimensions = 6;
// The whole group as one more dimension (value: the report_groups id), for two filters or more.
constexpr int k_group_dimension = 6;
constexpr std::size_t k_month_counters = 16;
constexpr const char* k_month_counter_columns =
    "tickets, fr_kept, fr_late, res_kept, res_late, justified, unjustified, surveyed, surveyed_rated, rated, "
    "rating_sum, r1, r2, r3, r4, r5";
using MonthCounters = std::array<long long, k_month_counters>;

struct FactRow {
    std::int64_t ticket_id = 0;
    std::int32_t day = 0;
    std::int64_t group = 0;
    std::array<std::optional<std::int64_t>, k_report_spans> spans;
    int first_response_state = 0;
    std::optional<std::int64_t> first_response_due;
    int resolution_state = 0;
    std::optional<std::int64_t> resolution_due;
    int verdict = 0;
    std::string code;
    bool surveyed = false;
    std::optional<std::int64_t> rating;
};

std::int32_t month_of_day(std::int32_t day)
{
    std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
    return static_cast<int>(ymd.year()) * 12 + static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
}

std::int32_t first_day_of_month(std::int32_t month)
{
    std::chrono::year_month_day ymd{std::chrono::year{month / 12},
                                    std::chrono::month{static_cast<unsigned>(month % 12 + 1)}, std::chrono::day{1}};
    return static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

const std::string& dimension_value(const ReportGroup& group, int dimension)
{
    static const std::string all;
    return dimension == 0 ? all : group[static_cast<std::size_t>(dimension - 1)];
}

// What a change of tickets adds to (or takes from) the sums, merged before it is written.
struct ReportDelta {
    std::map<std::pair<std::int32_t, std::int64_t>, MonthCounters> months;
    std::map<std::tuple<std::int32_t, std::int64_t, std::string>, long long> codes;
    std::map<std::tuple<int, std::string, int, std::int32_t, int>, long long> spans;
    std::map<std::tuple<int, std::string, std::int32_t>, long long> days;

    void add(const FactRow& f, const ReportGroup& group, long long sign)
    {
        std::int32_t month = month_of_day(f.day);
        auto& c = months[{month, f.group}];
        bool rated = f.rating.has_value();
        std::array<long long, k_month_counters> one{1,
                                                    f.first_response_state == 1,
                                                    f.first_response_state == 2,
                                                    f.resolution_state == 1,
                                                    f.resolution_state == 2,
                                                    f.verdict == 1,
                                                    f.verdict == 2,
                                                    f.surveyed,
                                                    f.surveyed && rated,
                                                    rated,
                                                    f.rating.value_or(0),
                                                    f.rating == 1,
                                                    f.rating == 2,
                                                    f.rating == 3,
                                                    f.rating == 4,
                                                    f.rating == 5};
        for (std::size_t i = 0; i < k_month_counters; ++i)
            c[i] += sign * one[i];
        if (!f.code.empty())
            codes[{month, f.group, f.code}] += sign;
        auto add_to = [&](int d, const std::string& value) {
            days[{d, value, f.day}] += sign;
            for (int s = 0; s < k_report_spans; ++s)
                if (const auto& v = f.spans[static_cast<std::size_t>(s)])
                    spans[{d, value, s, month, report_span_bucket(*v)}] += sign;
        };
        for (int d = 0; d < k_report_dimensions; ++d)
            add_to(d, dimension_value(group, d));
        add_to(k_group_dimension, std::to_string(f.group));
    }
};

Result<void> load_report_groups(SqliteStore::Impl& impl)
{
    if (!impl.report_group_values.empty())
        return {};
    return with_statement(impl, "SELECT id, kind, severity, language, channel, department FROM report_groups",
                          [&](Statement& s) -> Result<void> {
                              while (TRY(s.step())) {
                                  ReportGroup group{s.text(1), s.text(2), s.text(3), s.text(4), s.text(5)};
                                  impl.report_group_values[s.integer(0)] = group;
                                  impl.report_group_ids[group] = s.integer(0);
                              }
                              return Result<void>{};
                          });
}

Result<std::int64_t> report_group_id(SqliteStore::Impl& impl, const ReportGroup& group)
{
    if (auto it = impl.report_group_ids.find(group); it != impl.report_group_ids.end())
        return it->second;
    auto id = TRY(with_statement(impl,
                                 "INSERT INTO report_groups (kind, severity, language, channel, department) VALUES "
                                 "(?1, ?2, ?3, ?4, ?5) ON CONFLICT DO UPDATE SET kind = kind RETURNING id",
                                 [&](Statement& s) -> Result<std::int64_t> {
                                     for (int i = 0; i < 5; ++i)
                                         s.bind(i + 1, group[static_cast<std::size_t>(i)]);
                                     TRY(s.step());
                                     std::int64_t id = s.integer(0);
                                     TRY(s.step());
                                     return id;
                                 }));
    impl.report_group_values[id] = group;
    impl.report_group_ids[group] = id;
    return id;
}

FactRow read_fact(const Statement& r)
{
    FactRow f;
    f.ticket_id = r.integer(0);
    f.day = static_cast<std::int32_t>(r.integer(1));
    f.group = r.integer(2);
    for (int s = 0; s < k_report_spans; ++s)
        f.spans[static_cast<std::size_t>(s)] = r.int_or_null(3 + s);
    f.first_response_state = static_cast<int>(r.integer(6));
    f.first_response_due = r.int_or_null(7);
    f.resolution_state = static_cast<int>(r.integer(8));
    f.resolution_due = r.int_or_null(9);
    f.verdict = static_cast<int>(r.integer(10));
    f.code = r.text(11);
    f.surveyed = r.integer(12) != 0;
    f.rating = r.int_or_null(13);
    return f;
}

constexpr const char* k_fact_columns = "ticket_id, day, grp, ack_s, fr_s, res_s, fr_state, fr_due, res_state, res_due, "
                                       "verdict, code, surveyed, rating";

int deadline_state(ReportDeadline d)
{
    return static_cast<int>(d);
}

Result<void> apply_report_delta(SqliteStore::Impl& impl, const ReportDelta& delta)
{
    std::string months_sql =
        std::string("INSERT INTO report_months (month, grp, ") + k_month_counter_columns + ") VALUES (?1, ?2";
    for (std::size_t i = 0; i < k_month_counters; ++i)
        months_sql += ", ?" + std::to_string(i + 3);
    months_sql += ") ON CONFLICT (month, grp) DO UPDATE SET ";
    {
        std::string columns = k_month_counter_columns;
        std::size_t at = 0;
        bool first = true;
        while (at < columns.size()) {
            std::size_t comma = columns.find(',', at);
            std::string name = columns.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
            while (!name.empty() && name.front() == ' ')
                name.erase(0, 1);
            months_sql += (first ? "" : ", ") + name + " = " + name + " + excluded." + name;
            first = false;
            at = comma == std::string::npos ? columns.size() : comma + 1;
        }
    }
    for (const auto& [key, counters] : delta.months) {
        if (std::all_of(counters.begin(), counters.end(), [](long long v) { return v == 0; }))
            continue;
        TRY(with_statement(impl, months_sql, [&](Statement& s) {
            s.bind(1, std::int64_t{key.first}).bind(2, key.second);
            for (std::size_t i = 0; i < k_month_counters; ++i)
                s.bind(static_cast<int>(i) + 3, std::int64_t{counters[i]});
            return s.run();
        }));
    }
    for (const auto& [key, n] : delta.codes) {
        if (n == 0)
            continue;
        TRY(with_statement(impl,
                           "INSERT INTO report_month_codes (month, grp, code, n) VALUES (?1, ?2, ?3, ?4) "
                           "ON CONFLICT (month, grp, code) DO UPDATE SET n = n + excluded.n",
                           [&](Statement& s) {
                               s.bind(1, std::int64_t{std::get<0>(key)})
                                   .bind(2, std::get<1>(key))
                                   .bind(3, std::get<2>(key))
                                   .bind(4, std::int64_t{n});
                               return s.run();
                           }));
    }
    for (const auto& [key, n] : delta.spans) {
        if (n == 0)
            continue;
        TRY(with_statement(impl,
                           "INSERT INTO report_month_spans (dim, value, span, month, bucket, n) VALUES (?1, ?2, ?3, "
                           "?4, ?5, ?6) ON CONFLICT (dim, value, span, month, bucket) DO UPDATE SET n = n + excluded.n",
                           [&](Statement& s) {
                               s.bind(1, std::int64_t{std::get<0>(key)})
                                   .bind(2, std::get<1>(key))
                                   .bind(3, std::int64_t{std::get<2>(key)})
                                   .bind(4, std::int64_t{std::get<3>(key)})
                                   .bind(5, std::int64_t{std::get<4>(key)})
                                   .bind(6, std::int64_t{n});
                               return s.run();
                           }));
    }
    for (const auto& [key, n] : delta.days) {
        if (n == 0)
            continue;
        TRY(with_statement(impl,
                           "INSERT INTO report_days (dim, value, day, n) VALUES (?1, ?2, ?3, ?4) "
                           "ON CONFLICT (dim, value, day) DO UPDATE SET n = n + excluded.n",
                           [&](Statement& s) {
                               s.bind(1, std::int64_t{std::get<0>(key)})
                                   .bind(2, std::get<1>(key))
                                   .bind(3, std::int64_t{std::get<2>(key)})
                                   .bind(4, std::int64_t{n});
                               return s.run();
                           }));
    }
    return {};
}

// While a rebuild runs (state 'report_rebuild': every ticket up to that id is in), the tickets past
// it are left to the rebuild, which reads them as they are when it gets there.
Result<std::optional<std::int64_t>> report_rebuild_cursor(SqliteStore::Impl& impl)
{
    auto value = TRY(with_statement(impl, "SELECT value FROM state WHERE key = 'report_rebuild'", [](Statement& s) {
        return first_row(s, [](const Statement& r) { return r.text(0); });
    }));
    if (!value)
        return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{std::stoll(*value)};
}

// Brings the aggregates up to date with the tickets in report_dirty, in batches (a back-fill of a
// million tickets holds a batch in memory at a time). The caller holds an open transaction.
Result<void> refresh_report_aggregates(SqliteStore::Impl& impl)
{
    if (!impl.report_aggregation)
        return {};
    TRY(load_report_groups(impl));
    if (auto cursor = TRY(report_rebuild_cursor(impl)))
        TRY(with_statement(impl, "DELETE FROM report_dirty WHERE ticket_id > ?1", [&](Statement& s) {
            s.bind(1, *cursor);
            return s.run();
        }));
    constexpr std::int64_t k_batch = 5000;
    for (;;) {
        auto last = TRY(with_statement(
            impl, "SELECT MAX(ticket_id) FROM (SELECT ticket_id FROM report_dirty ORDER BY ticket_id LIMIT ?1)",
            [&](Statement& s) {
                s.bind(1, k_batch);
                return first_row(s, [](const Statement& r) { return r.int_or_null(0); });
            }));
        if (!last || !*last)
            return {};
        std::int64_t upto = **last;
        ReportDelta delta;
        auto old = TRY(with_statement(impl,
                                      std::string("SELECT ") + k_fact_columns +
                                          " FROM report_facts WHERE ticket_id IN (SELECT ticket_id FROM "
                                          "report_dirty WHERE ticket_id <= ?1)",
                                      [&](Statement& s) {
                                          s.bind(1, upto);
                                          return collect_rows(s, read_fact);
                                      }));
        for (const auto& f : old)
            delta.add(f, impl.report_group_values[f.group], -1);
        TRY(with_statement(impl,
                           "DELETE FROM report_facts WHERE ticket_id IN (SELECT ticket_id FROM report_dirty WHERE "
                           "ticket_id <= ?1)",
                           [&](Statement& s) {
                               s.bind(1, upto);
                               return s.run();
                           }));
        auto tickets = TRY(with_statement(
            impl, report_select(false) + " WHERE t.id IN (SELECT ticket_id FROM report_dirty WHERE ticket_id <= ?1)",
            [&](Statement& s) {
                s.bind(1, upto);
                return collect_rows(s, [](const Statement& r) { return read_report_ticket(r, false); });
            }));
        for (const auto& t : tickets) {
            ReportFacts facts = impl.report_aggregation->facts(t);
            ReportGroup group{std::string(to_string(t.kind)), std::string(to_string(t.severity)), t.language, t.channel,
                              t.department};
            FactRow f;
            f.ticket_id = t.id;
            f.day = facts.day;
            f.group = TRY(report_group_id(impl, group));
            f.spans = {facts.acknowledgement_s, facts.first_response_s, facts.resolution_s};
            f.first_response_state = deadline_state(facts.first_response);
            if (facts.first_response == ReportDeadline::unmet && t.first_response_due)
                f.first_response_due = to_db(*t.first_response_due);
            f.resolution_state = deadline_state(facts.resolution);
            if (facts.resolution == ReportDeadline::unmet && t.resolution_due)
                f.resolution_due = to_db(*t.resolution_due);
            f.verdict = t.verdict == "justified" ? 1 : t.verdict == "unjustified" ? 2 : 0;
            f.code = t.resolution_code;
            f.surveyed = t.surveyed;
            if (t.rating)
                f.rating = *t.rating;
            TRY(with_statement(impl,
                               std::string("INSERT INTO report_facts (") + k_fact_columns +
                                   ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                               [&](Statement& s) {
                                   s.bind(1, f.ticket_id)
                                       .bind(2, std::int64_t{f.day})
                                       .bind(3, f.group)
                                       .bind(4, f.spans[0])
                                       .bind(5, f.spans[1])
                                       .bind(6, f.spans[2])
                                       .bind(7, std::int64_t{f.first_response_state})
                                       .bind(8, f.first_response_due)
                                       .bind(9, std::int64_t{f.resolution_state})
                                       .bind(10, f.resolution_due)
                                       .bind(11, std::int64_t{f.verdict})
                                       .bind(12, f.code)
                                       .bind(13, std::int64_t{f.surveyed ? 1 : 0})
                                       .bind(14, f.rating);
                                   return s.run();
                               }));
            delta.add(f, group, +1);
        }
        TRY(apply_report_delta(impl, delta));
        TRY(with_statement(impl, "DELETE FROM report_dirty WHERE ticket_id <= ?1", [&](Statement& s) {
            s.bind(1, upto);
            return s.run();
        }));
    }
}

class SqliteTransaction final : public Transaction {
public:
    explicit SqliteTransaction(SqliteStore::Impl& impl)
        : m_impl(impl)
        , m_lock(impl.mutex)
    {
    }
    ~SqliteTransaction() override
    {
        // A rollback that fails leaves SQLite to roll back when the connection is next used.
        if (m_open) {
            if (auto r = m_impl.exec("ROLLBACK"); !r)
                log::warn("store.rollback_failed", {{"error", r.error().message}});
        }
    }

    Result<void> start()
    {
        // IMMEDIATE takes the write lock now, so a busy database fails here, before any work.
        TRY(m_impl.exec("BEGIN IMMEDIATE"));
        m_open = true;
        return {};
    }

    Result<std::optional<std::int64_t>> message_by_source_key(std::string_view key) override
    {
        return query_one_id(m_impl, "SELECT id FROM messages WHERE source_key = ?1", key);
    }

    Result<std::optional<std::int64_t>> message_by_message_id(std::string_view message_id) override
    {
        if (message_id.empty())
            return std::optional<std::int64_t>{};
        return query_one_id(m_impl, "SELECT id FROM messages WHERE message_id = ?1 AND direction = 'in' LIMIT 1",
                            message_id);
    }

    Result<bool> has_same_message(std::string_view message_id, std::string_view from_address, std::string_view subject,
                                  std::string_view text) override
    {
        return with_statement(m_impl,
                              "SELECT 1 FROM messages WHERE message_id = ?1 AND direction = 'in' AND from_address = ?2 "
                              "AND subject = ?3 AND text = ?4 LIMIT 1",
                              [&](Statement& s) -> Result<bool> {
                                  s.bind(1, message_id).bind(2, from_address).bind(3, subject).bind(4, text);
                                  return TRY(s.step());
                              });
    }

    Result<std::optional<Ticket>> ticket_by_message_ids(const std::vector<std::string>& ids) override
    {
        // Newest reference first: a reply's In-Reply-To names the latest message of the thread.
        for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
            if (it->empty())
                continue;
            auto id = TRY(query_one_id(m_impl,
                                       "SELECT ticket_id FROM messages WHERE message_id = ?1 AND ticket_id IS NOT NULL "
                                       "UNION ALL SELECT ticket_id FROM letters WHERE message_id = ?1 AND ticket_id IS "
                                       "NOT NULL LIMIT 1",
                                       *it));
            if (id)
                return ticket_by_id(*id);
        }
        return std::optional<Ticket>{};
    }

    Result<std::optional<Ticket>> ticket_by_number(std::string_view number) override
    {
        return query_one_ticket(m_impl, "number = ?1", [&](Statement& s) { s.bind(1, number); });
    }

    Result<std::optional<Ticket>> ticket_by_conversation(std::string_view conversation) override
    {
        if (conversation.empty())
            return std::optional<Ticket>{};
        return query_one_ticket(m_impl, "conversation = ?1 ORDER BY id DESC LIMIT 1",
                                [&](Statement& s) { s.bind(1, conversation); });
    }

    Result<std::optional<Ticket>> ticket_by_id(std::int64_t id) override
    {
        return query_one_ticket(m_impl, "id = ?1", [&](Statement& s) { s.bind(1, id); });
    }

    Result<Ticket> create_ticket(Ticket t, std::string_view prefix) override
    {
        // The sequence row is written in this transaction: a rollback gives the number back, a
        // commit makes it taken for good, even if the ticket is deleted later.
        auto next = TRY(
            with_statement(m_impl, "UPDATE sequences SET value = value + 1 WHERE name = 'tickets' RETURNING value",
                           [](Statement& s) { return first_row(s, [](const Statement& r) { return r.integer(0); }); }));
        if (!next)
            return make_error(ErrorKind::not_found, "store.no_sequence",
                              "the ticket sequence is missing from the database (a migration did not run)");
        t.id = *next;
        char digits[32];
        std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(t.id));
        t.number = std::string(prefix) + "-" + digits;
        TRY(with_statement(m_impl,
                           std::string("INSERT INTO tickets (") + k_ticket_columns +
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
                               "?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)",
                           [&](Statement& s) {
                               bind_ticket(s, t);
                               return s.run();
                           }));
        TRY(index_ticket(t));
        return t;
    }

    Result<void> update_ticket(const Ticket& t) override
    {
        // Every change raises the version (at least by one), so that a step decided on what the
        // person saw before a customer's message arrived is refused as stale.
        static const std::string sql = [] {
            std::string text = std::string(k_update_ticket) + " WHERE id = ?1";
            text.replace(text.find("version = ?21"), 13, "version = MAX(version + 1, ?21)");
            return text;
        }();
        TRY(with_statement(m_impl, sql, [&](Statement& s) {
            bind_ticket(s, t);
            return s.run();
        }));
        if (sqlite3_changes(m_impl.db) == 0)
            return make_error(ErrorKind::not_found, "store.no_ticket", "no ticket with id " + std::to_string(t.id));
        return index_ticket(t);
    }

    Result<void> update_ticket_at_version(const Ticket& t, std::int64_t seen_version) override
    {
        // One conditional UPDATE: the version check and the write are one statement, so it holds on a
        // database with several writers at once too.
        TRY(with_statement(m_impl, std::string(k_update_ticket) + " WHERE id = ?1 AND version = ?29",
                           [&](Statement& s) {
                               bind_ticket(s, t);
                               s.bind(29, seen_version);
                               return s.run();
                           }));
        if (sqlite3_changes(m_impl.db) != 0)
            return index_ticket(t);
        auto stored = TRY(with_statement(m_impl, "SELECT version FROM tickets WHERE id = ?1", [&](Statement& s) {
            s.bind(1, t.id);
            return first_row(s, [](const Statement& r) { return r.integer(0); });
        }));
        if (!stored)
            return make_error(ErrorKind::not_found, "store.no_ticket", "no ticket with id " + std::to_string(t.id));
        return make_error(ErrorKind::conflict, "store.version",
                          "ticket " + t.number + " changed meanwhile: it is at version " + std::to_string(*stored) +
                              ", the change was made on version " + std::to_string(seen_version));
    }

    Result<std::int64_t> add_message(const StoredMessage& m) override
    {
        auto id = TRY(insert_message(m));
        TRY(index_record("message", id, m.ticket_id ? std::optional<std::int64_t>(m.ticket_id) : std::nullopt,
                         m.received_at, m.from_address, m.channel, m.language, m.subject + "\n" + m.text));
        return id;
    }

    Result<std::int64_t> insert_message(const StoredMessage& m)
    {
        return with_statement(
            m_impl,
            "INSERT INTO messages (ticket_id, channel, source, source_key, message_id, direction, from_address, "
            "subject, text, received_at, kind, language, severity, classification, raw) VALUES (?1, ?2, ?3, ?4, ?5, "
            "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            [&](Statement& s) -> Result<std::int64_t> {
                s.bind(1, m.ticket_id ? std::optional<std::int64_t>(m.ticket_id) : std::nullopt)
                    .bind(2, m.channel)
                    .bind(3, m.source)
                    .bind(4, m.source_key)
                    .bind(5, m.message_id)
                    .bind(6, m.direction)
                    .bind(7, m.from_address)
                    .bind(8, m.subject)
                    .bind(9, m.text)
                    .bind(10, m.received_at)
                    .bind(11, to_string(m.kind))
                    .bind(12, m.language)
                    .bind(13, to_string(m.severity))
                    .bind(14, m.classification)
                    .bind_blob(15, m.raw);
                TRY(s.run());
                return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_impl.db));
            });
    }

    Result<std::optional<std::int64_t>> enqueue_letter(const Letter& l) override
    {
        auto id = TRY(insert_letter(l));
        if (id) {
            std::string language;
            if (l.ticket_id)
                language = TRY(ticket_language(*l.ticket_id));
            TRY(index_record("letter", *id, l.ticket_id, l.created_at, "", l.channel, language,
                             letter_search_text(l.channel, l.subject, l.content)));
        }
        return id;
    }

    Result<std::optional<std::int64_t>> insert_letter(const Letter& l)
    {
        return with_statement(
            m_impl,
            "INSERT INTO letters (ticket_id, channel, template_name, recipient, subject, message_id, content, "
            "dedup_key, status, attempts, created_at, next_attempt_at, sent_at, last_error) VALUES (?1, ?2, ?3, ?4, "
            "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT(dedup_key) DO NOTHING",
            [&](Statement& s) -> Result<std::optional<std::int64_t>> {
                s.bind(1, l.ticket_id)
                    .bind(2, l.channel)
                    .bind(3, l.template_name)
                    .bind(4, l.recipient)
                    .bind(5, l.subject)
                    .bind(6, l.message_id)
                    .bind_blob(7, l.content)
                    .bind(8, l.dedup_key)
                    .bind(9, to_string(l.status))
                    .bind(10, std::int64_t{l.attempts})
                    .bind(11, l.created_at)
                    .bind(12, l.next_attempt_at.value_or(l.created_at))
                    .bind(13, l.sent_at)
                    .bind(14, l.last_error);
                TRY(s.run());
                if (sqlite3_changes(m_impl.db) == 0)
                    return std::optional<std::int64_t>{};
                return std::optional<std::int64_t>{sqlite3_last_insert_rowid(m_impl.db)};
            });
    }

    Result<void> add_audit(const AuditEvent& e) override
    {
        return with_statement(
            m_impl, "INSERT INTO audit (ticket_id, at, actor, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            [&](Statement& s) {
                s.bind(1, e.ticket_id).bind(2, e.at).bind(3, e.actor).bind(4, e.action).bind(5, e.detail);
                return s.run();
            });
    }

    Result<int> automatic_letters_to(std::string_view recipient, TimePoint since) override
    {
        // A chat letter's recipient may add "#<message id>" to its conversation (Telegram quotes the
        // customer's message): those count as the same recipient. A range rather than LIKE, so that
        // the recipient index serves both terms and no character of an id is read as a wildcard.
        std::string from = std::string(recipient) + "#";
        std::string below = std::string(recipient) + "$";  // '$' is the character after '#'
        return with_statement(m_impl,
                              "SELECT COUNT(*) FROM letters WHERE (recipient = ?1 COLLATE NOCASE OR "
                              "(recipient >= ?3 COLLATE NOCASE AND recipient < ?4 COLLATE NOCASE)) "
                              "AND created_at >= ?2",
                              [&](Statement& s) -> Result<int> {
                                  s.bind(1, recipient).bind(2, since).bind(3, from).bind(4, below);
                                  TRY(s.step());
                                  return static_cast<int>(s.integer(0));
                              });
    }

    Result<int> letters_since(std::string_view template_name, TimePoint since) override
    {
        return with_statement(m_impl, "SELECT COUNT(*) FROM letters WHERE template_name = ?1 AND created_at >= ?2",
                              [&](Statement& s) -> Result<int> {
                                  s.bind(1, template_name).bind(2, since);
                                  auto row = s.step();
                                  if (!row)
                                      return row.error();
                                  return static_cast<int>(s.integer(0));
                              });
    }

    Result<bool> has_message_from(std::int64_t ticket_id, std::string_view address) override
    {
        return with_statement(
            m_impl,
            "SELECT 1 FROM messages WHERE ticket_id = ?1 AND direction = 'in' AND kind <> 'automatic' "
            "AND from_address = ?2 COLLATE NOCASE LIMIT 1",
            [&](Statement& s) -> Result<bool> {
                s.bind(1, ticket_id).bind(2, address);
                auto row = s.step();
                if (!row)
                    return row.error();
                return *row;
            });
    }

    Result<std::optional<Letter>> letter_by_message_id(std::string_view message_id) override
    {
        return query_letter_by_message_id(m_impl, message_id);
    }

    Result<std::optional<Letter>> letter_by_dedup_key(std::string_view dedup_key) override
    {
        return with_statement(m_impl, std::string("SELECT ") + k_letter_columns + " FROM letters WHERE dedup_key = ?1",
                              [&](Statement& s) {
                                  s.bind(1, dedup_key);
                                  return first_row(s, read_letter);
                              });
    }

    Result<bool> has_letter(std::string_view dedup_key) override
    {
        return with_statement(m_impl, "SELECT 1 FROM letters WHERE dedup_key = ?1 LIMIT 1",
                              [&](Statement& s) -> Result<bool> {
                                  s.bind(1, dedup_key);
                                  return TRY(s.step());
                              });
    }

    Result<void> mark_letter_failed(std::int64_t letter_id, std::string_view error) override
    {
        TRY(with_statement(m_impl,
                           "UPDATE letters SET status = 'failed', attempts = attempts + 1, last_error = ?2, "
                           "claimed_by = NULL, claimed_until = NULL WHERE id = ?1",
                           [&](Statement& s) {
                               s.bind(1, letter_id).bind(2, error);
                               return s.run();
                           }));
        if (sqlite3_changes(m_impl.db) == 0)
            return make_error(ErrorKind::not_found, "store.no_letter", "no letter " + std::to_string(letter_id));
        return {};
    }

    Result<std::vector<CorrectiveAction>> actions_of(std::int64_t ticket_id) override
    {
        return query_actions(m_impl, ticket_id);
    }

    Result<std::int64_t> add_action(const CorrectiveAction& a) override
    {
        return with_statement(
            m_impl,
            "INSERT INTO actions (ticket_id, target, text, responsible, due, state, created_by, created_at, done_at, "
            "verified_at, verified_by, note) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            [&](Statement& s) -> Result<std::int64_t> {
                bind_action(s, a);
                TRY(s.run());
                return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_impl.db));
            });
    }

    Result<void> update_action(const CorrectiveAction& a) override
    {
        TRY(with_statement(m_impl,
                           "UPDATE actions SET ticket_id = ?2, target = ?3, text = ?4, responsible = ?5, due = ?6, "
                           "state = ?7, created_by = ?8, created_at = ?9, done_at = ?10, verified_at = ?11, "
                           "verified_by = ?12, note = ?13 WHERE id = ?1",
                           [&](Statement& s) {
                               s.bind(1, a.id);
                               bind_action(s, a);
                               return s.run();
                           }));
        if (sqlite3_changes(m_impl.db) == 0)
            return make_error(ErrorKind::not_found, "store.no_action", "no corrective action " + std::to_string(a.id));
        return {};
    }

    Result<std::int64_t> add_attachment(const AttachmentRecord& a) override
    {
        return with_statement(m_impl,
                              "INSERT INTO attachments (ticket_id, message_id, letter_id, sha256, name, declared_type, "
                              "sniffed_type, size, inline_part, content_id, refused) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                              "?7, ?8, ?9, ?10, ?11)",
                              [&](Statement& s) -> Result<std::int64_t> {
                                  s.bind(1, a.ticket_id)
                                      .bind(2, a.message_id)
                                      .bind(3, a.letter_id)
                                      .bind(4, a.sha256)
                                      .bind(5, a.name)
                                      .bind(6, a.declared_type)
                                      .bind(7, a.sniffed_type)
                                      .bind(8, a.size)
                                      .bind(9, std::int64_t{a.inline_part ? 1 : 0})
                                      .bind(10, a.content_id)
                                      .bind(11, a.refused);
                                  TRY(s.run());
                                  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_impl.db));
                              });
    }

    Result<std::vector<AttachmentRecord>> remove_attachments_of_ticket(std::int64_t ticket_id,
                                                                       const std::vector<std::string>& spare) override
    {
        auto spared = TRY(spared_records(ticket_id, spare));
        auto rows = TRY(query_attachments(m_impl, ticket_id));
        std::erase_if(rows, [&](const AttachmentRecord& a) { return spared.holds(a.message_id, a.letter_id); });
        for (const auto& a : rows)
            TRY(with_statement(m_impl, "DELETE FROM attachments WHERE id = ?1", [&](Statement& s) -> Result<void> {
                s.bind(1, a.id);
                return s.run();
            }));
        return rows;
    }

    Result<std::int64_t> add_note(const Note& n) override
    {
        auto id = TRY(with_statement(m_impl, "INSERT INTO notes (ticket_id, author, at, text) VALUES (?1, ?2, ?3, ?4)",
                                     [&](Statement& s) -> Result<std::int64_t> {
                                         s.bind(1, n.ticket_id).bind(2, n.author).bind(3, n.at).bind(4, n.text);
                                         TRY(s.run());
                                         return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_impl.db));
                                     }));
        auto ticket = TRY(ticket_by_id(n.ticket_id));
        TRY(index_record("note", id, n.ticket_id, n.at, n.author, ticket ? ticket->channel : "",
                         ticket ? ticket->language : "", n.text));
        return id;
    }

    Result<std::int64_t> add_rating(const Rating& r) override
    {
        return with_statement(m_impl,
                              "INSERT INTO ratings (ticket_id, score, comment, source, at, form_key) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, NULLIF(?6, ''))",
                              [&](Statement& s) -> Result<std::int64_t> {
                                  s.bind(1, r.ticket_id)
                                      .bind(2, std::int64_t{r.score})
                                      .bind(3, r.comment)
                                      .bind(4, r.source)
                                      .bind(5, r.at)
                                      .bind(6, r.form_key);
                                  TRY(s.run());
                                  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_impl.db));
                              });
    }

    Result<std::vector<Rating>> ratings_of(std::int64_t ticket_id) override { return query_ratings(m_impl, ticket_id); }

    Result<std::int64_t> add_correction(const Correction& c) override
    {
        return with_statement(m_impl,
                              "INSERT INTO corrections (ticket_id, ticket_number, subject, text, language, kind, "
                              "severity, from_kind, from_severity, reason, by_user, at) VALUES (?1, ?2, ?3, ?4, ?5, "
                              "?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                              [&](Statement& s) -> Result<std::int64_t> {
                                  s.bind(1, c.ticket_id)
                                      .bind(2, c.ticket_number)
                                      .bind(3, c.subject)
                                      .bind(4, c.text)
                                      .bind(5, c.language)
                                      .bind(6, to_string(c.kind))
                                      .bind(7, to_string(c.severity))
                                      .bind(8, to_string(c.from_kind))
                                      .bind(9, to_string(c.from_severity))
                                      .bind(10, c.reason)
                                      .bind(11, c.by)
                                      .bind(12, c.at);
                                  TRY(s.run());
                                  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_impl.db));
                              });
    }

    Result<std::vector<AuditEvent>> audit_of(std::int64_t ticket_id) override { return query_audit(m_impl, ticket_id); }

    Result<std::int64_t> link_customer(const CustomerLink& link) override { return link_ticket_customer(m_impl, link); }

    Result<std::optional<CustomerRecord>> customer(std::int64_t id) override { return query_customer(m_impl, id); }

    Result<std::optional<std::int64_t>> customer_of_ticket(std::int64_t ticket_id) override
    {
        return query_ticket_column(m_impl, "customer_id", ticket_id);
    }

    Result<std::optional<CustomerIdentity>> identity(IdentityKind kind, std::string_view value) override
    {
        return query_identity(m_impl, kind, value);
    }

    Result<void> set_customer_merged_into(std::int64_t id, std::optional<std::int64_t> into, std::string_view by,
                                          TimePoint at) override
    {
        TRY(with_statement(m_impl,
                           "UPDATE customers SET merged_into = ?2, merged_at = ?3, merged_by = ?4 WHERE id = ?1",
                           [&](Statement& s) {
                               s.bind(1, id).bind(2, into);
                               if (into)
                                   s.bind(3, at).bind(4, by);
                               else
                                   s.bind(3, std::optional<TimePoint>{}).bind(4, std::string_view(""));
                               return s.run();
                           }));
        if (sqlite3_changes(m_impl.db) == 0)
            return make_error(ErrorKind::not_found, "customer.not_found",
                              "There is no customer " + std::to_string(id) + ".");
        return {};
    }

    Result<std::int64_t> add_identity(const CustomerIdentity& identity) override
    {
        return insert_identity(m_impl, identity);
    }

    Result<std::optional<IdentitySuggestion>> suggestion(std::int64_t id) override
    {
        return with_statement(
            m_impl, std::string("SELECT ") + k_suggestion_columns + " FROM identity_suggestions WHERE id = ?1",
            [&](Statement& s) {
                s.bind(1, id);
                return first_row(s, read_suggestion);
            });
    }

    Result<void> accept_suggestion(std::int64_t id, std::string_view by, TimePoint at) override
    {
        return with_statement(m_impl,
                              "UPDATE identity_suggestions SET state = 'accepted', decided_by = ?2, decided_at = ?3 "
                              "WHERE id = ?1",
                              [&](Statement& s) {
                                  s.bind(1, id).bind(2, by).bind(3, at);
                                  return s.run();
                              });
    }

    Result<void> add_customer_audit(std::int64_t customer_id, const AuditEvent& e) override
    {
        return with_statement(
            m_impl, "INSERT INTO customer_audit (customer_id, at, actor, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            [&](Statement& s) {
                s.bind(1, customer_id).bind(2, e.at).bind(3, e.actor).bind(4, e.action).bind(5, e.detail);
                return s.run();
            });
    }

    Result<std::optional<std::int64_t>> ticket_merged_into(std::int64_t ticket_id) override
    {
        return query_ticket_column(m_impl, "merged_into", ticket_id);
    }

    Result<void> move_ticket_records(std::int64_t from, std::int64_t into) override
    {
        for (const char* table : k_ticket_record_tables) {
            TRY(with_statement(m_impl, std::string("UPDATE ") + table + " SET ticket_id = ?2 WHERE ticket_id = ?1",
                               [&](Statement& s) {
                                   s.bind(1, from).bind(2, into);
                                   return s.run();
                               }));
        }
        return refresh_search_meta(into);
    }

    Result<void> set_ticket_merged_into(std::int64_t from, std::int64_t into) override
    {
        TRY(with_statement(m_impl, "UPDATE tickets SET merged_into = ?2 WHERE id = ?1", [&](Statement& s) {
            s.bind(1, from).bind(2, into);
            return s.run();
        }));
        if (sqlite3_changes(m_impl.db) == 0)
            return make_error(ErrorKind::not_found, "ticket.not_found", "no ticket " + std::to_string(from));
        return {};
    }

    const std::string& install_id() const override { return m_impl.install_id; }

    Result<int> remove_from_search(std::int64_t ticket_id, const std::vector<std::string>& spare) override
    {
        auto spared = TRY(spared_records(ticket_id, spare));
        // External content: FTS5 is told each row's old text to take its terms out, then the rows go.
        std::string which = "FROM search_docs WHERE ticket_id = ?1" + spared.not_in("message", "letter");
        TRY(with_statement(m_impl,
                           "INSERT INTO search_index (search_index, rowid, text, meta) SELECT 'delete', id, "
                           "text, meta " +
                               which,
                           [&](Statement& s) {
                               s.bind(1, ticket_id);
                               return s.run();
                           }));
        TRY(with_statement(m_impl, "DELETE " + which, [&](Statement& s) {
            s.bind(1, ticket_id);
            return s.run();
        }));
        return sqlite3_changes(m_impl.db);
    }

    Result<ErasedRecords> erase_ticket_words(std::int64_t ticket_id, TimePoint at,
                                             const std::vector<std::string>& spare) override
    {
        auto spared = TRY(spared_records(ticket_id, spare));
        std::string not_message = Spared::ids_not_in("id", spared.messages);
        std::string not_letter = Spared::ids_not_in("id", spared.letters);
        ErasedRecords out;
        out.letter_ids = TRY(with_statement(
            m_impl, "SELECT id FROM letters WHERE ticket_id = ?1" + not_letter + " ORDER BY id", [&](Statement& s) {
                s.bind(1, ticket_id);
                return collect_rows(s, [](const Statement& r) { return r.integer(0); });
            }));
        auto run = [&](const std::string& sql) -> Result<int> {
            TRY(with_statement(m_impl, sql, [&](Statement& s) {
                s.bind(1, ticket_id);
                return s.run();
            }));
            return sqlite3_changes(m_impl.db);
        };
        out.messages = TRY(run("UPDATE messages SET from_address = '', subject = '', text = '', message_id = '', "
                               "classification = '{}', raw = X'' WHERE ticket_id = ?1" +
                               not_message));
        out.letters = TRY(run(std::string(k_erase_letter_words) + "WHERE ticket_id = ?1" + not_letter));
        out.notes = TRY(run("UPDATE notes SET text = '' WHERE ticket_id = ?1"));
        out.ratings = TRY(run("UPDATE ratings SET comment = '' WHERE ticket_id = ?1 AND comment <> ''"));
        // A correction keeps a message's text: the spared messages' stay.
        out.corrections = TRY(run("DELETE FROM corrections WHERE ticket_id = ?1 AND trim(text) NOT IN (SELECT "
                                  "trim(text) FROM messages WHERE ticket_id = ?1 AND trim(text) <> ''" +
                                  Spared::ids_in("id", spared.messages) + ")"));
        out.suggestions = TRY(run("DELETE FROM identity_suggestions WHERE ticket_id = ?1" +
                                  (spared.messages.empty() ? std::string()
                                                           : " AND (message_id IS NULL OR message_id NOT IN (" +
                                                                 Spared::list(spared.messages) + "))")));
        TRY(with_statement(m_impl, "UPDATE tickets SET erased_at = ?2 WHERE id = ?1", [&](Statement& s) {
            s.bind(1, ticket_id).bind(2, at);
            return s.run();
        }));
        return out;
    }

    Result<RemovedMessages> remove_messages_without_ticket(const std::vector<std::string>& senders) override
    {
        RemovedMessages out;
        for (const auto& address : senders) {
            auto ids = TRY(with_statement(
                m_impl, "SELECT id FROM messages WHERE ticket_id IS NULL AND " + std::string(k_message_from),
                [&](Statement& s) {
                    s.bind(1, address);
                    return collect_rows(s, [](const Statement& r) { return r.integer(0); });
                }));
            for (std::int64_t id : ids) {
                auto files = TRY(with_statement(
                    m_impl, std::string("SELECT ") + k_attachment_columns + " FROM attachments WHERE message_id = ?1",
                    [&](Statement& s) {
                        s.bind(1, id);
                        return collect_rows(s, read_attachment);
                    }));
                out.attachments.insert(out.attachments.end(), files.begin(), files.end());
                for (const char* sql : {"DELETE FROM attachments WHERE message_id = ?1",
                                        "DELETE FROM identity_suggestions WHERE message_id = ?1"})
                    TRY(with_statement(m_impl, sql, [&](Statement& s) {
                        s.bind(1, id);
                        return s.run();
                    }));
                TRY(unindex("message", id));
                TRY(with_statement(m_impl, "DELETE FROM messages WHERE id = ?1", [&](Statement& s) {
                    s.bind(1, id);
                    return s.run();
                }));
                ++out.messages;
            }
        }
        return out;
    }

    Result<ErasedElsewhere> erase_records_elsewhere(const std::vector<std::string>& senders,
                                                    const std::vector<std::int64_t>& except) override
    {
        ErasedElsewhere out;
        auto elsewhere = [&](std::int64_t ticket_id) {
            return std::find(except.begin(), except.end(), ticket_id) == except.end();
        };
        auto add_once = [](std::vector<std::int64_t>& ids, std::int64_t id) {
            if (std::find(ids.begin(), ids.end(), id) == ids.end())
                ids.push_back(id);
        };
        struct Found {
            std::int64_t id = 0, ticket_id = 0;
            std::string subject, text;
        };
        for (const auto& sender : senders) {
            auto messages = TRY(
                with_statement(m_impl,
                               "SELECT id, ticket_id, subject, text FROM messages WHERE ticket_id IS NOT NULL AND " +
                                   std::string(k_message_from),
                               [&](Statement& s) {
                                   s.bind(1, sender);
                                   return collect_rows(s, [](const Statement& r) {
                                       return Found{r.integer(0), r.integer(1), r.text(2), r.text(3)};
                                   });
                               }));
            for (const auto& m : messages) {
                if (!elsewhere(m.ticket_id) ||
                    std::find(out.message_ids.begin(), out.message_ids.end(), m.id) != out.message_ids.end())
                    continue;
                out.message_ids.push_back(m.id);
                add_once(out.ticket_ids, m.ticket_id);
                for (const std::string* word : {&m.subject, &m.text})
                    if (!trim(*word).empty())
                        out.words.push_back(std::string(trim(*word)));
                if (!trim(m.text).empty())
                    TRY(with_statement(m_impl, "DELETE FROM corrections WHERE ticket_id = ?1 AND trim(text) = ?2",
                                       [&](Statement& s) {
                                           s.bind(1, m.ticket_id).bind(2, trim(m.text));
                                           return s.run();
                                       }));
            }
            auto letters = TRY(with_statement(m_impl,
                                              "SELECT id, ticket_id FROM letters WHERE ticket_id IS NOT NULL AND "
                                              "lower(trim(recipient)) = lower(?1)",
                                              [&](Statement& s) {
                                                  s.bind(1, sender);
                                                  return collect_rows(s, [](const Statement& r) {
                                                      return std::pair{r.integer(0), r.integer(1)};
                                                  });
                                              }));
            for (const auto& [id, ticket_id] : letters) {
                if (!elsewhere(ticket_id))
                    continue;
                add_once(out.letter_ids, id);
                add_once(out.ticket_ids, ticket_id);
            }
        }
        auto remove_attachments = [&](const char* column, std::int64_t id) -> Result<void> {
            auto files = TRY(with_statement(
                m_impl, std::string("SELECT ") + k_attachment_columns + " FROM attachments WHERE " + column + " = ?1",
                [&](Statement& s) {
                    s.bind(1, id);
                    return collect_rows(s, read_attachment);
                }));
            out.attachments.insert(out.attachments.end(), files.begin(), files.end());
            return with_statement(m_impl, std::string("DELETE FROM attachments WHERE ") + column + " = ?1",
                                  [&](Statement& s) {
                                      s.bind(1, id);
                                      return s.run();
                                  });
        };
        for (std::int64_t id : out.message_ids) {
            TRY(remove_attachments("message_id", id));
            TRY(with_statement(m_impl, "DELETE FROM identity_suggestions WHERE message_id = ?1", [&](Statement& s) {
                s.bind(1, id);
                return s.run();
            }));
            TRY(unindex("message", id));
            TRY(with_statement(m_impl,
                               "UPDATE messages SET from_address = '', subject = '', text = '', message_id = '', "
                               "classification = '{}', raw = X'' WHERE id = ?1",
                               [&](Statement& s) {
                                   s.bind(1, id);
                                   return s.run();
                               }));
            ++out.messages;
        }
        for (std::int64_t id : out.letter_ids) {
            TRY(remove_attachments("letter_id", id));
            TRY(unindex("letter", id));
            TRY(with_statement(m_impl, std::string(k_erase_letter_words) + "WHERE id = ?1", [&](Statement& s) {
                s.bind(1, id);
                return s.run();
            }));
            ++out.letters;
        }
        return out;
    }

    Result<std::vector<AuditEvent>> audit_of_tickets_mentioning(const std::vector<std::string>& values,
                                                                const std::vector<std::int64_t>& except) override
    {
        return audit_mentioning(m_impl, true, values, except);
    }

    Result<std::vector<std::int64_t>> erase_letters_without_ticket(const std::vector<std::string>& values) override
    {
        struct Found {
            std::int64_t id = 0;
            std::string recipient, subject, content;
        };
        std::vector<std::int64_t> ids;
        for (const auto& value : values) {
            auto found =
                TRY(with_statement(m_impl,
                                   "SELECT id, recipient, subject, CAST(content AS TEXT) FROM letters WHERE ticket_id "
                                   "IS NULL AND (instr(lower(recipient), lower(?1)) > 0 OR instr(lower(subject), "
                                   "lower(?1)) > 0 OR instr(lower(CAST(content AS TEXT)), lower(?1)) > 0)",
                                   [&](Statement& s) {
                                       s.bind(1, value);
                                       return collect_rows(s, [](const Statement& r) {
                                           return Found{r.integer(0), r.text(1), r.text(2), r.text(3)};
                                       });
                                   }));
            // The query finds the value inside anything; only a whole value is theirs.
            for (const auto& letter : found)
                if ((tickets::names_whole(letter.recipient, value) || tickets::names_whole(letter.subject, value) ||
                     tickets::names_whole(letter.content, value)) &&
                    std::find(ids.begin(), ids.end(), letter.id) == ids.end())
                    ids.push_back(letter.id);
        }
        for (std::int64_t id : ids) {
            TRY(with_statement(m_impl, std::string(k_erase_letter_words) + "WHERE id = ?1", [&](Statement& s) {
                s.bind(1, id);
                return s.run();
            }));
            TRY(unindex("letter", id));
        }
        return ids;
    }

    Result<int> erase_customer_records(const std::vector<std::int64_t>& customer_ids,
                                       const std::vector<std::string>& values) override
    {
        int identities = 0;
        for (std::int64_t id : customer_ids) {
            for (const char* sql : {"UPDATE customers SET name = '' WHERE id = ?1",
                                    "DELETE FROM identity_suggestions WHERE customer_id = ?1",
                                    "DELETE FROM customer_identities WHERE customer_id = ?1"})
                TRY(with_statement(m_impl, sql, [&](Statement& s) {
                    s.bind(1, id);
                    return s.run();
                }));
            identities += sqlite3_changes(m_impl.db);
        }
        for (const auto& value : values)
            TRY(with_statement(m_impl,
                               "DELETE FROM identity_suggestions WHERE state = 'open' AND lower(value) = lower(?1)",
                               [&](Statement& s) {
                                   s.bind(1, value);
                                   return s.run();
                               }));
        return identities;
    }

    Result<std::vector<AuditEvent>> audit_without_ticket_mentioning(const std::vector<std::string>& values) override
    {
        return audit_mentioning(m_impl, false, values, {});
    }

    Result<void> set_audit_detail(std::int64_t audit_id, std::string_view detail, bool customer) override
    {
        return with_statement(m_impl,
                              customer ? "UPDATE customer_audit SET detail = ?2 WHERE id = ?1"
                                       : "UPDATE audit SET detail = ?2 WHERE id = ?1",
                              [&](Statement& s) {
                                  s.bind(1, audit_id).bind(2, detail);
                                  return s.run();
                              });
    }

    Result<void> commit() override
    {
        // The reports' aggregates follow the tickets this transaction changed. A failure there is
        // logged and undone alone: the tickets stay noted in report_dirty for the next refresh.
        if (m_impl.report_aggregation) {
            TRY(m_impl.exec("SAVEPOINT report_aggregates"));
            if (auto r = refresh_report_aggregates(m_impl); !r) {
                log::warn("store.report_aggregates_failed", {{"error", r.error().message}});
                TRY(m_impl.exec("ROLLBACK TO report_aggregates"));
                m_impl.report_group_values.clear();
                m_impl.report_group_ids.clear();
            }
            TRY(m_impl.exec("RELEASE report_aggregates"));
        }
        TRY(m_impl.exec("COMMIT"));
        m_open = false;
        return {};
    }

private:
    // One record out of the search: its terms out of the index, then its row.
    // The records of other people on a ticket that an erase of it spares: the messages from one of
    // `spare` (k_message_from) and the letters to one of them (the recipient, exactly).
    struct Spared {
        std::vector<std::int64_t> messages;
        std::vector<std::int64_t> letters;

        bool holds(std::optional<std::int64_t> message, std::optional<std::int64_t> letter) const
        {
            auto in = [](const std::vector<std::int64_t>& ids, std::optional<std::int64_t> id) {
                return id && std::find(ids.begin(), ids.end(), *id) != ids.end();
            };
            return in(messages, message) || in(letters, letter);
        }
        static std::string list(const std::vector<std::int64_t>& ids)
        {
            std::string out;
            for (auto id : ids)
                out += (out.empty() ? "" : ",") + std::to_string(id);
            return out;
        }
        // " AND column NOT IN (...)", nothing for no ids (the ids are numbers: nothing to bind).
        static std::string ids_not_in(std::string_view column, const std::vector<std::int64_t>& ids)
        {
            return ids.empty() ? std::string() : " AND " + std::string(column) + " NOT IN (" + list(ids) + ")";
        }
        // " AND column IN (...)", a condition no row meets for no ids.
        static std::string ids_in(std::string_view column, const std::vector<std::int64_t>& ids)
        {
            return ids.empty() ? std::string(" AND 0") : " AND " + std::string(column) + " IN (" + list(ids) + ")";
        }
        // The search rows of the spared records left out.
        std::string not_in(std::string_view message_record, std::string_view letter_record) const
        {
            std::string out;
            if (!messages.empty())
                out += " AND NOT (record = '" + std::string(message_record) + "' AND record_id IN (" + list(messages) +
                       "))";
            if (!letters.empty())
                out +=
                    " AND NOT (record = '" + std::string(letter_record) + "' AND record_id IN (" + list(letters) + "))";
            return out;
        }
    };

    Result<Spared> spared_records(std::int64_t ticket_id, const std::vector<std::string>& spare)
    {
        Spared out;
        for (const auto& who : spare) {
            if (trim(who).empty())
                continue;
            auto collect = [&](const std::string& sql, std::vector<std::int64_t>& into) -> Result<void> {
                auto ids = TRY(with_statement(m_impl, sql, [&](Statement& s) {
                    s.bind(1, trim(who)).bind(2, ticket_id);
                    return collect_rows(s, [](const Statement& r) { return r.integer(0); });
                }));
                for (auto id : ids)
                    if (std::find(into.begin(), into.end(), id) == into.end())
                        into.push_back(id);
                return {};
            };
            TRY(collect("SELECT id FROM messages WHERE ticket_id = ?2 AND " + std::string(k_message_from),
                        out.messages));
            TRY(collect("SELECT id FROM letters WHERE ticket_id = ?2 AND lower(trim(recipient)) = lower(?1)",
                        out.letters));
        }
        return out;
    }

    Result<void> unindex(std::string_view record, std::int64_t record_id)
    {
        TRY(with_statement(m_impl,
                           "INSERT INTO search_index (search_index, rowid, text, meta) SELECT 'delete', id, text, "
                           "meta FROM search_docs WHERE record = ?1 AND record_id = ?2",
                           [&](Statement& s) {
                               s.bind(1, record).bind(2, record_id);
                               return s.run();
                           }));
        return with_statement(m_impl, "DELETE FROM search_docs WHERE record = ?1 AND record_id = ?2",
                              [&](Statement& s) {
                                  s.bind(1, record).bind(2, record_id);
                                  return s.run();
                              });
    }

    // One searchable record: its row in search_docs and its terms in search_index.
    Result<void> index_record(std::string_view record, std::int64_t record_id, std::optional<std::int64_t> ticket_id,
                              TimePoint at, std::string_view sender, std::string_view channel,
                              std::string_view language, std::string_view text)
    {
        auto clean = search_text(text);
        std::pair<std::string, std::string> status_kind;
        if (ticket_id) {
            auto found =
                TRY(with_statement(m_impl, "SELECT status, kind FROM tickets WHERE id = ?1", [&](Statement& s) {
                    s.bind(1, *ticket_id);
                    return first_row(s, [](const Statement& r) { return std::pair{r.text(0), r.text(1)}; });
                }));
            if (found)
                status_kind = std::move(*found);
        }
        auto meta = search_meta(record, status_kind.first, status_kind.second, language, channel, sender, to_db(at));
        TRY(with_statement(m_impl,
                           "INSERT INTO search_docs (record, record_id, ticket_id, at, sender, channel, language, "
                           "text, meta) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                           [&](Statement& s) {
                               s.bind(1, record)
                                   .bind(2, record_id)
                                   .bind(3, ticket_id)
                                   .bind(4, at)
                                   .bind(5, sender)
                                   .bind(6, channel)
                                   .bind(7, language)
                                   .bind(8, clean)
                                   .bind(9, meta);
                               return s.run();
                           }));
        auto doc = static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_impl.db));
        return with_statement(m_impl, "INSERT INTO search_index (rowid, text, meta) VALUES (?1, ?2, ?3)",
                              [&](Statement& s) {
                                  s.bind(1, doc).bind(2, clean).bind(3, meta);
                                  return s.run();
                              });
    }

    // Replaces a row's terms: FTS5 with external content takes the old ones out by the old values.
    Result<void> reindex_doc(std::int64_t id, std::string_view old_text, std::string_view old_meta,
                             std::string_view text, std::string_view meta)
    {
        TRY(with_statement(m_impl,
                           "INSERT INTO search_index (search_index, rowid, text, meta) VALUES ('delete', ?1, ?2, ?3)",
                           [&](Statement& s) {
                               s.bind(1, id).bind(2, old_text).bind(3, old_meta);
                               return s.run();
                           }));
        return with_statement(m_impl, "INSERT INTO search_index (rowid, text, meta) VALUES (?1, ?2, ?3)",
                              [&](Statement& s) {
                                  s.bind(1, id).bind(2, text).bind(3, meta);
                                  return s.run();
                              });
    }

    // A ticket's subject and customer name: indexed when it opens, again when they change.
    Result<void> index_ticket(const Ticket& t)
    {
        auto text = search_text(t.subject + "\n" + t.customer.name);
        struct Row {
            std::int64_t id;
            std::string text, sender, channel, language, meta;
        };
        auto row =
            TRY(with_statement(m_impl,
                               "SELECT id, text, sender, channel, language, meta FROM search_docs WHERE "
                               "record = 'ticket' AND record_id = ?1",
                               [&](Statement& s) {
                                   s.bind(1, t.id);
                                   return first_row(s, [](const Statement& r) {
                                       return Row{r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5)};
                                   });
                               }));
        if (!row)
            return index_record("ticket", t.id, t.id, t.received_at, t.customer.email, t.channel, t.language, text);
        if (row->text != text || row->sender != t.customer.email || row->channel != t.channel ||
            row->language != t.language) {
            auto meta = search_meta("ticket", to_string(t.status), to_string(t.kind), t.language, t.channel,
                                    t.customer.email, to_db(t.received_at));
            TRY(with_statement(m_impl,
                               "UPDATE search_docs SET text = ?2, sender = ?3, channel = ?4, language = ?5, meta = ?6 "
                               "WHERE id = ?1",
                               [&](Statement& s) {
                                   s.bind(1, row->id)
                                       .bind(2, text)
                                       .bind(3, t.customer.email)
                                       .bind(4, t.channel)
                                       .bind(5, t.language)
                                       .bind(6, meta);
                                   return s.run();
                               }));
            TRY(reindex_doc(row->id, row->text, row->meta, text, meta));
        }
        return refresh_search_meta(t.id);
    }

    // The filter terms of a ticket's rows after its status or kind changed (or rows moved to it in a
    // merge): each row whose terms differ is indexed anew, in the caller's transaction.
    Result<void> refresh_search_meta(std::int64_t ticket_id)
    {
        struct Stale {
            std::int64_t id;
            std::string meta, fresh;
        };
        auto rows = TRY(with_statement(
            m_impl,
            "SELECT d.id, d.meta, redress_search_meta(d.record, t.status, t.kind, d.language, d.channel, d.sender, "
            "d.at) FROM search_docs d JOIN tickets t ON t.id = d.ticket_id WHERE d.ticket_id = ?1",
            [&](Statement& s) {
                s.bind(1, ticket_id);
                return collect_rows(s, [](const Statement& r) { return Stale{r.integer(0), r.text(1), r.text(2)}; });
            }));
        for (const auto& row : rows) {
            if (row.meta == row.fresh)
                continue;
            auto text = TRY(with_statement(m_impl, "SELECT text FROM search_docs WHERE id = ?1", [&](Statement& s) {
                s.bind(1, row.id);
                return first_row(s, [](const Statement& r) { return r.text(0); });
            }));
            TRY(with_statement(m_impl, "UPDATE search_docs SET meta = ?2 WHERE id = ?1", [&](Statement& s) {
                s.bind(1, row.id).bind(2, row.fresh);
                return s.run();
            }));
            TRY(reindex_doc(row.id, text.value_or(""), row.meta, text.value_or(""), row.fresh));
        }
        return {};
    }

    Result<std::string> ticket_language(std::int64_t ticket_id)
    {
        auto language = TRY(with_statement(m_impl, "SELECT language FROM tickets WHERE id = ?1", [&](Statement& s) {
            s.bind(1, ticket_id);
            return first_row(s, [](const Statement& r) { return r.text(0); });
        }));
        return language.value_or("");
    }

    static void bind_ticket(Statement& s, const Ticket& t)
    {
        s.bind(1, t.id)
            .bind(2, t.number)
            .bind(3, t.customer.name)
            .bind(4, t.customer.email)
            .bind(5, t.customer.phone)
            .bind(6, t.channel)
            .bind(7, t.source)
            .bind(8, t.received_at)
            .bind(9, t.updated_at)
            .bind(10, to_string(t.kind))
            .bind(11, t.language)
            .bind(12, to_string(t.severity))
            .bind(13, to_string(t.status))
            .bind(14, t.subject)
            .bind(15, t.assignee)
            .bind(16, std::int64_t{t.awaiting_customer ? 1 : 0})
            .bind(17, t.first_response_due)
            .bind(18, t.resolution_due)
            .bind(19, t.first_responded_at)
            .bind(20, t.resolved_at)
            .bind(21, t.version)
            .bind(22, t.verdict)
            .bind(23, t.department)
            .bind(24, t.category)
            .bind(25, t.resolution_code)
            .bind(26, t.closed_at)
            .bind(27, t.conversation)
            .bind(28, t.customer.chat_user);
    }

    // ?2 to ?13 in k_action_columns' order (the id, ?1, is the caller's).
    static void bind_action(Statement& s, const CorrectiveAction& a)
    {
        s.bind(2, a.ticket_id)
            .bind(3, to_string(a.target))
            .bind(4, a.text)
            .bind(5, a.responsible)
            .bind(6, a.due)
            .bind(7, to_string(a.state))
            .bind(8, a.created_by)
            .bind(9, a.created_at)
            .bind(10, a.done_at)
            .bind(11, a.verified_at)
            .bind(12, a.verified_by)
            .bind(13, a.note);
    }

    SqliteStore::Impl& m_impl;
    std::unique_lock<std::recursive_mutex> m_lock;
    bool m_open = false;
};

Error open_error(const std::filesystem::path& file, const Error& e)
{
    return make_error(e.kind, e.code, "database " + file.string() + ": " + e.message);
}

// Opens the file and sets the connection up; the schema is left as it is.
Result<std::unique_ptr<SqliteStore::Impl>> connect(const std::filesystem::path& file, OpenMode mode,
                                                   const SqliteOptions& options)
{
    std::error_code ec;
    if (mode == OpenMode::existing && !std::filesystem::exists(file, ec))
        return make_error(ErrorKind::not_found, "store.missing", "no database at " + file.string());
    auto impl = std::make_unique<SqliteStore::Impl>();
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (mode == OpenMode::create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(file.c_str(), &impl->db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string why = impl->db ? sqlite3_errmsg(impl->db) : "out of memory";
        return make_error(sqlite_error_kind(rc), "store.open", "cannot open database " + file.string() + ": " + why);
    }
    sqlite3_busy_timeout(impl->db, static_cast<int>(options.busy_timeout.count()));
    // The search index's tokenizer lives in this process: every connection registers it first.
    if (int search = register_search(impl->db); search != SQLITE_OK)
        return make_error(ErrorKind::failed, "store.search",
                          "cannot set up full-text search on " + file.string() +
                              " (SQLite without FTS5?): " + sqlite3_errstr(search));
    // WAL lets the command line read while the daemon writes. FULL sync makes a commit durable
    // across a power loss, not only a process crash: the pipeline lets go of a message's source
    // (deletes the dropped file, moves the IMAP message) right after the commit, so a commit that
    // an OS crash could undo would lose the message. bench/README.md has what it costs.
    // secure_delete: deleted and overwritten content is zeroed in the file, so an erased customer's words
    // do not linger in free pages (docs/privacy.md; bench/README.md has what it costs).
    for (const char* pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON",
                               "PRAGMA secure_delete = ON"}) {
        if (auto r = impl->exec(pragma); !r)
            return open_error(file, r.error());
    }
    return impl;
}

Result<int> user_version(SqliteStore::Impl& impl)
{
    return with_statement(impl, "PRAGMA user_version", [](Statement& s) -> Result<int> {
        TRY(s.step());
        return static_cast<int>(s.integer(0));
    });
}

// Migrates from the file's version up to `target`, each migration in its own transaction.
Result<void> migrate(SqliteStore::Impl& impl, const std::filesystem::path& file, int target)
{
    auto version = user_version(impl);
    if (!version)
        return open_error(file, version.error());
    if (*version > static_cast<int>(k_migrations.size()))
        return make_error("store.version", "database " + file.string() + " has schema version " +
                                               std::to_string(*version) + ", newer than this build knows (" +
                                               std::to_string(k_migrations.size()) + "): upgrade redress");
    for (int v = *version; v < target; ++v) {
        std::string sql = std::string("BEGIN IMMEDIATE;\n") + k_migrations[static_cast<std::size_t>(v)] +
                          "\nPRAGMA user_version = " + std::to_string(v + 1) + ";\nCOMMIT;";
        if (auto r = impl.exec(sql.c_str()); !r) {
            // A failed rollback changes nothing more: the migration's transaction is not committed.
            if (auto rollback = impl.exec("ROLLBACK"); !rollback)
                log::warn("store.rollback_failed", {{"error", rollback.error().message}});
            return make_error(r.error().kind, "store.migrate",
                              "database " + file.string() + ": migration " + std::to_string(v + 1) +
                                  " failed: " + r.error().message);
        }
    }
    return {};
}

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}
SqliteStore::~SqliteStore() = default;

int SqliteStore::schema_version()
{
    return static_cast<int>(k_migrations.size());
}

Result<void> SqliteStore::create_at_version(const std::filesystem::path& file, int version)
{
    auto impl = TRY(connect(file, OpenMode::create, {}));
    return migrate(*impl, file, std::min(version, schema_version()));
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& file, OpenMode mode,
                                                       SqliteOptions options)
{
    auto impl = TRY(connect(file, mode, options));
    TRY(migrate(*impl, file, schema_version()));
    auto store = std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
    auto id = store->state("install_id");
    if (!id)
        return open_error(file, id.error());
    if (*id) {
        store->m_impl->install_id = **id;
    } else {
        std::random_device random;
        char hex[33];
        std::snprintf(hex, sizeof hex, "%08x%08x%08x%08x", random(), random(), random(), random());
        if (auto r = store->set_state("install_id", hex); !r)
            return open_error(file, r.error());
        store->m_impl->install_id = hex;
    }
    return store;
}

Result<std::optional<CustomerGroup>> SqliteStore::customer_group(std::int64_t customer_id)
{
    std::lock_guard lock(m_impl->mutex);
    return query_group(*m_impl, customer_id);
}

Result<std::vector<Ticket>> SqliteStore::tickets_of_customer(std::int64_t customer_id)
{
    std::lock_guard lock(m_impl->mutex);
    return query_customer_tickets(*m_impl, customer_id);
}

Result<std::optional<CustomerRecord>> SqliteStore::customer_by_identity(IdentityKind kind, std::string_view value)
{
    std::lock_guard lock(m_impl->mutex);
    auto identity = TRY(query_identity(*m_impl, kind, value));
    if (!identity)
        return std::optional<CustomerRecord>{};
    return std::optional<CustomerRecord>{TRY(query_root(*m_impl, identity->customer_id))};
}

Result<std::vector<CustomerRecord>> SqliteStore::customers_matching(std::string_view text, int limit)
{
    std::lock_guard lock(m_impl->mutex);
    return query_customers_matching(*m_impl, text, limit);
}

Result<std::optional<std::int64_t>> SqliteStore::ticket_customer(std::int64_t ticket_id)
{
    std::lock_guard lock(m_impl->mutex);
    return query_ticket_column(*m_impl, "customer_id", ticket_id);
}

Result<std::optional<std::string>> SqliteStore::merged_ticket_target(std::int64_t ticket_id)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl,
                          "SELECT s.number FROM tickets t JOIN tickets s ON s.id = t.merged_into WHERE t.id = ?1",
                          [&](Statement& s) {
                              s.bind(1, ticket_id);
                              return first_row(s, [](const Statement& r) { return r.text(0); });
                          });
}

Result<std::vector<Ticket>> SqliteStore::tickets_merged_into(std::int64_t ticket_id)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl,
                          std::string("WITH RECURSIVE into_it(id) AS (SELECT id FROM tickets WHERE merged_into = ?1 "
                                      "UNION SELECT t.id FROM tickets t JOIN into_it ON t.merged_into = into_it.id) "
                                      "SELECT ") +
                              k_ticket_columns + " FROM tickets WHERE id IN (SELECT id FROM into_it) ORDER BY id",
                          [&](Statement& s) {
                              s.bind(1, ticket_id);
                              return collect_rows(s, read_ticket);
                          });
}

Result<std::vector<AuditEvent>> SqliteStore::customer_audit(std::int64_t customer_id)
{
    std::lock_guard lock(m_impl->mutex);
    return query_customer_audit(*m_impl, customer_id);
}

const std::string& SqliteStore::install_id() const
{
    return m_impl->install_id;
}

Result<std::string> SqliteStore::pragma(std::string_view name)
{
    if (name.empty() || !std::all_of(name.begin(), name.end(),
                                     [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }))
        return make_error(ErrorKind::invalid, "store.pragma", "not a pragma name: " + std::string(name));
    std::lock_guard lock(m_impl->mutex);
    auto value = TRY(with_statement(*m_impl, "PRAGMA " + std::string(name), [](Statement& s) {
        return first_row(s, [](const Statement& r) { return r.text(0); });
    }));
    return value.value_or(std::string());
}

Result<std::unique_ptr<Transaction>> SqliteStore::begin()
{
    auto tx = std::make_unique<SqliteTransaction>(*m_impl);
    TRY(tx->start());
    return std::unique_ptr<Transaction>(std::move(tx));
}

Result<std::vector<Ticket>> SqliteStore::list_tickets(const TicketFilter& filter)
{
    // The clauses are fixed text; every value goes in as a bound parameter, in the order of the `?`s.
    std::vector<std::string> clauses;
    std::vector<Parameter> parameters;
    auto where = [&](std::string clause, std::initializer_list<Parameter> values = {}) {
        clauses.push_back(std::move(clause));
        parameters.insert(parameters.end(), values);
    };
    constexpr const char* open = "status NOT IN ('resolved', 'closed')";
    if (filter.status)
        where("status = ?", {std::string(to_string(*filter.status))});
    if (filter.open_only || filter.overdue_at || filter.order == TicketOrder::nearest_due)
        where(open);
    if (filter.kind)
        where("kind = ?", {std::string(to_string(*filter.kind))});
    if (filter.severity)
        where("severity = ?", {std::string(to_string(*filter.severity))});
    if (!filter.language.empty())
        where("language = ?", {filter.language});
    if (!filter.channel.empty())
        where("channel = ?", {filter.channel});
    if (!filter.department.empty())
        where("department = ?", {filter.department});
    if (filter.assignee)
        where("assignee = ?", {*filter.assignee});
    // The first response's deadline only runs until the first response.
    if (filter.overdue_at)
        where("((first_responded_at IS NULL AND first_response_due < ?) OR resolution_due < ?)",
              {to_db(*filter.overdue_at), to_db(*filter.overdue_at)});
    if (filter.received_from)
        where("received_at >= ?", {to_db(*filter.received_from)});
    if (filter.received_to)
        where("received_at < ?", {to_db(*filter.received_to)});
    if (filter.before_id)
        where("id < ?", {*filter.before_id});
    if (!filter.text.empty()) {
        // LIKE with the pattern's own wildcards escaped: the text is searched for as written.
        std::string pattern = "%";
        for (char c : filter.text) {
            if (c == '%' || c == '_' || c == '\\')
                pattern += '\\';
            pattern += c;
        }
        pattern += '%';
        where("(number LIKE ? ESCAPE '\\' OR subject LIKE ? ESCAPE '\\' OR customer_name LIKE ? ESCAPE '\\' OR "
              "customer_email LIKE ? ESCAPE '\\' OR customer_phone LIKE ? ESCAPE '\\' OR "
              "id IN (SELECT ticket_id FROM messages WHERE ticket_id IS NOT NULL AND text LIKE ? ESCAPE '\\'))",
              {pattern, pattern, pattern, pattern, pattern, pattern});
    }

    std::string sql = std::string("SELECT ") + k_ticket_columns + " FROM tickets";
    for (std::size_t i = 0; i < clauses.size(); ++i)
        sql += (i == 0 ? " WHERE " : " AND ") + clauses[i];
    if (filter.order == TicketOrder::nearest_due) {
        // The nearer of the deadlines still running (a met first response no longer counts); SQLite's
        // two-argument MIN is NULL when either is, hence the COALESCE.
        constexpr const char* first = "(CASE WHEN first_responded_at IS NULL THEN first_response_due END)";
        std::string next_due =
            std::string("COALESCE(MIN(") + first + ", resolution_due), " + first + ", resolution_due)";
        sql += " ORDER BY " + next_due + " IS NULL, " + next_due + ", id";
    } else {
        sql += " ORDER BY id DESC";
    }
    sql += " LIMIT ?";
    parameters.emplace_back(std::int64_t{filter.limit});

    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl, sql, [&](Statement& s) {
        bind_all(s, parameters);
        return collect_rows(s, read_ticket);
    });
}

Result<std::optional<Ticket>> SqliteStore::ticket(std::string_view number)
{
    std::lock_guard lock(m_impl->mutex);
    return query_one_ticket(*m_impl, "number = ?1 COLLATE NOCASE", [&](Statement& s) { s.bind(1, number); });
}

namespace {

constexpr std::string_view k_message_columns =
    "id, ticket_id, channel, source, source_key, message_id, direction, from_address, subject, text, received_at, "
    "kind, language, severity, classification, raw";

StoredMessage read_message(const Statement& r)
{
    StoredMessage m;
    m.id = r.integer(0);
    m.ticket_id = r.int_or_null(1).value_or(0);
    m.channel = r.text(2);
    m.source = r.text(3);
    m.source_key = r.text(4);
    m.message_id = r.text(5);
    m.direction = r.text(6);
    m.from_address = r.text(7);
    m.subject = r.text(8);
    m.text = r.text(9);
    m.received_at = from_db(r.integer(10));
    m.kind = kind_from_string(r.text(11)).value_or(Kind::other);
    m.language = r.text(12);
    m.severity = severity_from_string(r.text(13)).value_or(Severity::normal);
    m.classification = r.text(14);
    m.raw = r.blob(15);
    return m;
}

}  // namespace

Result<std::vector<StoredMessage>> SqliteStore::messages_of(std::int64_t ticket_id)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(
        *m_impl, "SELECT " + std::string(k_message_columns) + " FROM messages WHERE ticket_id = ?1 ORDER BY id",
        [&](Statement& s) {
            s.bind(1, ticket_id);
            return collect_rows(s, read_message);
        });
}

Result<std::vector<StoredMessage>> SqliteStore::messages_from(const std::vector<std::string>& senders)
{
    std::lock_guard lock(m_impl->mutex);
    std::vector<StoredMessage> out;
    for (const auto& sender : senders) {
        auto rows = TRY(with_statement(*m_impl,
                                       "SELECT " + std::string(k_message_columns) + " FROM messages WHERE " +
                                           std::string(k_message_from) + " ORDER BY id",
                                       [&](Statement& s) {
                                           s.bind(1, sender);
                                           return collect_rows(s, read_message);
                                       }));
        for (auto& m : rows)
            if (std::none_of(out.begin(), out.end(), [&](const StoredMessage& o) { return o.id == m.id; }))
                out.push_back(std::move(m));
    }
    std::sort(out.begin(), out.end(), [](const StoredMessage& a, const StoredMessage& b) { return a.id < b.id; });
    return out;
}

Result<std::vector<Letter>> SqliteStore::letters_of(std::int64_t ticket_id)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl,
                          std::string("SELECT ") + k_letter_columns + " FROM letters WHERE ticket_id = ?1 ORDER BY id",
                          [&](Statement& s) {
                              s.bind(1, ticket_id);
                              return collect_rows(s, read_letter);
                          });
}

Result<std::vector<AuditEvent>> SqliteStore::audit_of(std::int64_t ticket_id)
{
    std::lock_guard lock(m_impl->mutex);
    return query_audit(*m_impl, ticket_id);
}

std::string SqliteStore::claim_statement()
{
    return std::string(
               "UPDATE letters SET claimed_by = ?3, claimed_until = ?4 WHERE id IN (SELECT id FROM letters WHERE "
               "status = 'queued' AND channel = ?1 AND next_attempt_at <= ?2 AND (claimed_until IS NULL OR "
               "claimed_until <= ?2) ORDER BY next_attempt_at, id LIMIT ?5) RETURNING ") +
           k_letter_columns;
}

Result<std::vector<Letter>> SqliteStore::claim_due_letters(std::string_view channel, TimePoint now, Seconds lease,
                                                           std::string_view claimant, int limit)
{
    std::lock_guard lock(m_impl->mutex);
    // One statement: choosing the letters and claiming them happen under SQLite's write lock, so a
    // second process on the file (or a second connection) cannot choose the same ones.
    auto claimed = TRY(with_statement(*m_impl, claim_statement(), [&](Statement& s) {
        s.bind(1, channel).bind(2, now).bind(3, claimant).bind(4, now + lease).bind(5, std::int64_t{limit});
        return collect_rows(s, read_letter);
    }));
    // RETURNING gives the rows in no promised order.
    std::sort(claimed.begin(), claimed.end(), [](const Letter& a, const Letter& b) {
        return std::pair{a.next_attempt_at, a.id} < std::pair{b.next_attempt_at, b.id};
    });
    return claimed;
}

Result<int> SqliteStore::release_claims(std::string_view claimant)
{
    std::lock_guard lock(m_impl->mutex);
    TRY(with_statement(*m_impl,
                       "UPDATE letters SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ?1 AND status = "
                       "'queued'",
                       [&](Statement& s) {
                           s.bind(1, claimant);
                           return s.run();
                       }));
    return sqlite3_changes(m_impl->db);
}

Result<std::vector<std::string>> SqliteStore::due_channels(TimePoint now)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl,
                          "SELECT DISTINCT channel FROM letters WHERE status = 'queued' AND next_attempt_at <= ?1 "
                          "ORDER BY channel",
                          [&](Statement& s) {
                              s.bind(1, now);
                              return collect_rows(s, [](Statement& row) { return row.text(0); });
                          });
}

Result<void> SqliteStore::letter_sent(const LetterClaim& claim, TimePoint at)
{
    std::lock_guard lock(m_impl->mutex);
    return update_claimed_letter(*m_impl, claim,
                                 "status = 'sent', sent_at = ?3, attempts = attempts + 1, last_error = ''",
                                 [&](Statement& s) { s.bind(3, at); });
}

Result<void> SqliteStore::letter_retry(const LetterClaim& claim, TimePoint next_attempt, std::string_view error)
{
    std::lock_guard lock(m_impl->mutex);
    return update_claimed_letter(*m_impl, claim, "attempts = attempts + 1, next_attempt_at = ?3, last_error = ?4",
                                 [&](Statement& s) { s.bind(3, next_attempt).bind(4, error); });
}

Result<void> SqliteStore::letter_failed(const LetterClaim& claim, std::string_view error)
{
    std::lock_guard lock(m_impl->mutex);
    return update_claimed_letter(*m_impl, claim, "status = 'failed', attempts = attempts + 1, last_error = ?3",
                                 [&](Statement& s) { s.bind(3, error); });
}

Result<std::optional<Letter>> SqliteStore::letter_by_message_id(std::string_view message_id)
{
    std::lock_guard lock(m_impl->mutex);
    return query_letter_by_message_id(*m_impl, message_id);
}

Result<std::optional<std::string>> SqliteStore::state(std::string_view key)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl, "SELECT value FROM state WHERE key = ?1", [&](Statement& s) {
        s.bind(1, key);
        return first_row(s, [](const Statement& r) { return r.text(0); });
    });
}

Result<void> SqliteStore::set_state(std::string_view key, std::string_view value)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl,
                          "INSERT INTO state (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = "
                          "excluded.value",
                          [&](Statement& s) {
                              s.bind(1, key).bind(2, value);
                              return s.run();
                          });
}

Result<std::optional<Letter>> SqliteStore::letter(std::int64_t id)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl, std::string("SELECT ") + k_letter_columns + " FROM letters WHERE id = ?1",
                          [&](Statement& s) {
                              s.bind(1, id);
                              return first_row(s, read_letter);
                          });
}

Result<std::vector<CorrectiveAction>> SqliteStore::actions_of(std::int64_t ticket_id)
{
    std::lock_guard lock(m_impl->mutex);
    return query_actions(*m_impl, ticket_id);
}

Result<std::vector<Note>> SqliteStore::notes_of(std::int64_t ticket_id)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl, "SELECT id, ticket_id, author, at, text FROM notes WHERE ticket_id = ?1 ORDER BY id",
                          [&](Statement& s) {
                              s.bind(1, ticket_id);
                              return collect_rows(s, [](const Statement& r) {
                                  return Note{r.integer(0), r.integer(1), r.text(2), from_db(r.integer(3)), r.text(4)};
                              });
                          });
}

Result<std::vector<Rating>> SqliteStore::ratings_of(std::int64_t ticket_id)
{
    std::lock_guard lock(m_impl->mutex);
    return query_ratings(*m_impl, ticket_id);
}

Result<std::vector<AttachmentRecord>> SqliteStore::attachments_of(std::int64_t ticket_id)
{
    std::lock_guard lock(m_impl->mutex);
    return query_attachments(*m_impl, ticket_id);
}

Result<std::vector<AttachmentRecord>> SqliteStore::attachments_of_message(std::int64_t message_id)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(
        *m_impl, std::string("SELECT ") + k_attachment_columns + " FROM attachments WHERE message_id = ?1 ORDER BY id",
        [&](Statement& s) {
            s.bind(1, message_id);
            return collect_rows(s, read_attachment);
        });
}

Result<std::optional<AttachmentRecord>> SqliteStore::attachment(std::int64_t id)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl, std::string("SELECT ") + k_attachment_columns + " FROM attachments WHERE id = ?1",
                          [&](Statement& s) {
                              s.bind(1, id);
                              return first_row(s, read_attachment);
                          });
}

Result<std::vector<std::string>> SqliteStore::attachment_digests()
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl, "SELECT DISTINCT sha256 FROM attachments WHERE sha256 <> ''",
                          [&](Statement& s) { return collect_rows(s, [](const Statement& r) { return r.text(0); }); });
}

Result<std::vector<OverdueAction>> SqliteStore::overdue_actions(TimePoint now, int limit)
{
    std::lock_guard lock(m_impl->mutex);
    std::string actions;
    for (std::string_view column : {"id", "ticket_id", "target", "text", "responsible", "due", "state", "created_by",
                                    "created_at", "done_at", "verified_at", "verified_by", "note"})
        actions += (actions.empty() ? "a." : ", a.") + std::string(column);
    return with_statement(*m_impl,
                          "SELECT " + actions + ", " + ticket_columns_of("t") +
                              " FROM actions a JOIN tickets t ON t.id = a.ticket_id WHERE a.state = 'open' AND a.due "
                              "< ?1 ORDER BY a.due, a.id LIMIT ?2",
                          [&](Statement& s) {
                              s.bind(1, now).bind(2, std::int64_t{limit});
                              return collect_rows(s, [](const Statement& r) {
                                  return OverdueAction{read_action_at(r, 0), read_ticket_at(r, k_action_column_count)};
                              });
                          });
}

Result<std::vector<Correction>> SqliteStore::corrections()
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl,
                          "SELECT id, ticket_id, ticket_number, subject, text, language, kind, severity, from_kind, "
                          "from_severity, reason, by_user, at FROM corrections ORDER BY id",
                          [&](Statement& s) { return collect_rows(s, read_correction); });
}

// Reports.

namespace {

// The filter's ticket clauses (alias t), dates only when `with_dates`; values are bound, never pasted.
std::string report_where(const ReportFilter& filter, bool with_dates, std::vector<Parameter>& parameters,
                         const std::string& alias = "t")
{
    std::vector<std::string> clauses;
    auto where = [&](std::string clause, Parameter value) {
        clauses.push_back(std::move(clause));
        parameters.push_back(std::move(value));
    };
    if (with_dates && filter.received_from)
        where(alias + ".received_at >= ?", to_db(*filter.received_from));
    if (with_dates && filter.received_to)
        where(alias + ".received_at < ?", to_db(*filter.received_to));
    // With dates, the unary + keeps SQLite on tickets_received: a period (or its newest tickets,
    // walked backwards) is few rows of that index, while tickets_kind would read every complaint
    // of the history and sort them.
    std::string column = (with_dates ? "+" : "") + alias + ".";
    if (filter.kind)
        where(column + "kind = ?", std::string(to_string(*filter.kind)));
    if (filter.severity)
        where(column + "severity = ?", std::string(to_string(*filter.severity)));
    if (!filter.language.empty())
        where(column + "language = ?", filter.language);
    if (!filter.channel.empty())
        where(column + "channel = ?", filter.channel);
    if (!filter.department.empty())
        where(column + "department = ?", filter.department);
    std::string sql;
    for (std::size_t i = 0; i < clauses.size(); ++i)
        sql += (i == 0 ? " WHERE " : " AND ") + clauses[i];
    return sql;
}

}  // namespace

Result<std::vector<ReportTicket>> SqliteStore::report_tickets(const ReportFilter& filter)
{
    std::vector<Parameter> parameters;
    std::string sql;
    if (filter.newest > 0) {
        // The newest ones: their ids from tickets_received_group walked backwards (the filter's
        // columns are in it, so no ticket is read that does not match), then their rows; put oldest
        // first again below.
        std::vector<Parameter> inner;
        std::string where = report_where(filter, true, inner, "x");
        std::string ids = "SELECT x.id FROM tickets x INDEXED BY tickets_received_group" + where +
                          " ORDER BY x.received_at DESC, x.id DESC LIMIT ?";
        parameters = std::move(inner);
        parameters.emplace_back(std::int64_t{filter.newest});
        sql = report_select(filter.with_text) + " WHERE t.id IN (" + ids + ") ORDER BY t.received_at DESC, t.id DESC";
    } else {
        sql = report_select(filter.with_text) + report_where(filter, true, parameters);
        sql += " ORDER BY t.received_at, t.id";
    }
    std::lock_guard lock(m_impl->mutex);
    auto rows = TRY(with_statement(*m_impl, sql, [&](Statement& s) {
        bind_all(s, parameters);
        return collect_rows(s, [&](const Statement& r) { return read_report_ticket(r, filter.with_text); });
    }));
    if (filter.newest > 0)
        std::reverse(rows.begin(), rows.end());
    return rows;
}

Result<std::vector<ReportAction>> SqliteStore::report_actions(const ReportFilter& filter)
{
    std::vector<Parameter> parameters;
    std::string actions;
    for (std::string_view column : {"id", "ticket_id", "target", "text", "responsible", "due", "state", "created_by",
                                    "created_at", "done_at", "verified_at", "verified_by", "note"})
        actions += (actions.empty() ? "a." : ", a.") + std::string(column);
    // Without dates, but with the unary + on the tickets' columns as with them: the actions are few,
    // and SQLite must start from them, not walk every ticket of a department or kind to find theirs.
    ReportFilter undated = filter;
    undated.received_from.reset();
    undated.received_to.reset();
    std::string where = report_where(undated, true, parameters);
    where += (where.empty() ? " WHERE " : " AND ");
    where += "(a.state = 'open' OR (a.target = 'process' AND a.done_at IS NOT NULL))";
    std::string sql = "SELECT " + actions +
                      ", t.number, t.kind, t.language, t.channel, t.department, t.severity, t.resolution_code, "
                      "t.received_at "
                      "FROM actions a JOIN tickets t ON t.id = a.ticket_id" +
                      where + " ORDER BY a.id";
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl, sql, [&](Statement& s) {
        bind_all(s, parameters);
        return collect_rows(s, [](const Statement& r) {
            constexpr int c = k_action_column_count;
            ReportAction a;
            a.action = read_action_at(r, 0);
            a.number = r.text(c);
            a.kind = kind_from_string(r.text(c + 1)).value_or(Kind::other);
            a.language = r.text(c + 2);
            a.channel = r.text(c + 3);
            a.department = r.text(c + 4);
            a.severity = severity_from_string(r.text(c + 5)).value_or(Severity::normal);
            a.resolution_code = r.text(c + 6);
            a.received_at = from_db(r.integer(c + 7));
            return a;
        });
    });
}

int report_span_bucket(std::int64_t seconds)
{
    if (seconds < 64)
        return static_cast<int>(std::max<std::int64_t>(seconds, 0));
    int exponent = 63 - std::countl_zero(static_cast<std::uint64_t>(seconds));  // 6 or more
    int step = static_cast<int>((seconds >> (exponent - 5)) & 31);
    return 64 + (exponent - 6) * 32 + step;
}

std::pair<std::int64_t, std::int64_t> report_span_bucket_range(int bucket)
{
    if (bucket < 64)
        return {bucket, bucket};
    int exponent = (bucket - 64) / 32 + 6;
    std::int64_t first = std::int64_t{32 + (bucket - 64) % 32} << (exponent - 5);
    return {first, first + (std::int64_t{1} << (exponent - 5)) - 1};
}

namespace {

// The filter's dimensions as a condition on report_groups, and as (dimension, value) pairs.
struct GroupFilter {
    std::string sql;  // "" or " AND grp IN (...)", with `parameters`
    std::vector<Parameter> parameters;
    std::vector<std::pair<int, std::string>> dimensions;
};

GroupFilter group_filter(const ReportFilter& filter)
{
    GroupFilter g;
    std::string clauses;
    auto add = [&](int dimension, const char* column, std::string value) {
        clauses += (clauses.empty() ? "" : " AND ") + std::string(column) + " = ?";
        g.parameters.emplace_back(value);
        g.dimensions.emplace_back(dimension, std::move(value));
    };
    if (filter.kind)
        add(1, "kind", std::string(to_string(*filter.kind)));
    if (filter.severity)
        add(2, "severity", std::string(to_string(*filter.severity)));
    if (!filter.language.empty())
        add(3, "language", filter.language);
    if (!filter.channel.empty())
        add(4, "channel", filter.channel);
    if (!filter.department.empty())
        add(5, "department", filter.department);
    if (!clauses.empty())
        g.sql = " AND grp IN (SELECT id FROM report_groups WHERE " + clauses + ")";
    return g;
}

// The whole months inside [first, last] come from the month sums, the days around them from the
// per-ticket rows.
struct DayPlan {
    std::optional<std::pair<std::int32_t, std::int32_t>> months;
    std::vector<std::pair<std::int32_t, std::int32_t>> days;
};

DayPlan plan_days(std::int32_t first, std::int32_t last)
{
    DayPlan plan;
    std::int32_t first_month = month_of_day(first);
    if (first_day_of_month(first_month) != first)
        ++first_month;
    std::int32_t last_month = month_of_day(last);
    if (first_day_of_month(last_month + 1) != last + 1)
        --last_month;
    if (first_month > last_month) {
        plan.days.emplace_back(first, last);
        return plan;
    }
    plan.months = std::pair{first_month, last_month};
    if (first < first_day_of_month(first_month))
        plan.days.emplace_back(first, first_day_of_month(first_month) - 1);
    if (first_day_of_month(last_month + 1) <= last)
        plan.days.emplace_back(first_day_of_month(last_month + 1), last);
    return plan;
}

std::vector<Parameter> range_then(std::int64_t from, std::int64_t to, const std::vector<Parameter>& rest)
{
    std::vector<Parameter> out{from, to};
    out.insert(out.end(), rest.begin(), rest.end());
    return out;
}

constexpr std::array<const char*, k_report_spans> k_span_columns{"ack_s", "fr_s", "res_s"};
constexpr std::array<const char*, k_report_spans> k_span_indexes{"report_facts_ack", "report_facts_fr",
                                                                 "report_facts_res"};

}  // namespace

namespace {

Result<std::int64_t> last_ticket_id(SqliteStore::Impl& impl)
{
    return with_statement(impl, "SELECT COALESCE(MAX(id), 0) FROM tickets", [](Statement& s) -> Result<std::int64_t> {
        TRY(s.step());
        return s.integer(0);
    });
}

// `work` in one IMMEDIATE transaction; on a failure it is rolled back and the cached groups
// forgotten (their rows may have gone with it).
template <class Work> auto in_report_transaction(SqliteStore::Impl& impl, Work&& work) -> decltype(work())
{
    TRY(impl.exec("BEGIN IMMEDIATE"));
    auto r = work();
    if (r) {
        if (auto committed = impl.exec("COMMIT"); !committed)
            r = committed.error();
    }
    if (!r) {
        if (auto rollback = impl.exec("ROLLBACK"); !rollback)
            log::warn("store.rollback_failed", {{"error", rollback.error().message}});
        impl.report_group_values.clear();
        impl.report_group_ids.clear();
    }
    return r;
}

Result<ReportRebuild> start_report_aggregates_locked(SqliteStore::Impl& impl, ReportAggregation aggregation)
{
    std::string key = aggregation.key;
    impl.report_aggregation = std::move(aggregation);
    auto stored = TRY(with_statement(impl, "SELECT value FROM state WHERE key = 'report_aggregates'", [](Statement& s) {
        return first_row(s, [](const Statement& r) { return r.text(0); });
    }));
    if (!stored || *stored != key) {
        // Everything again with the new zone and calendar (or for the first time after the upgrade):
        // the sums emptied now, the tickets brought in by step_report_rebuild from id 0 on.
        TRY(in_report_transaction(impl, [&]() -> Result<void> {
            TRY(impl.exec("DELETE FROM report_facts; DELETE FROM report_months; DELETE FROM report_month_codes; "
                          "DELETE FROM report_month_spans; DELETE FROM report_days; DELETE FROM report_dirty; "
                          "INSERT INTO state (key, value) VALUES ('report_rebuild', '0') "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
            return with_statement(impl,
                                  "INSERT INTO state (key, value) VALUES ('report_aggregates', ?1) "
                                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                  [&](Statement& s) {
                                      s.bind(1, key);
                                      return s.run();
                                  });
        }));
    }
    if (auto cursor = TRY(report_rebuild_cursor(impl)))
        return ReportRebuild{true, *cursor, TRY(last_ticket_id(impl))};
    bool dirty =
        TRY(with_statement(impl, "SELECT EXISTS (SELECT 1 FROM report_dirty)", [](Statement& s) -> Result<bool> {
            TRY(s.step());
            return s.integer(0) != 0;
        }));
    if (dirty)
        TRY(in_report_transaction(impl, [&] { return refresh_report_aggregates(impl); }));
    return ReportRebuild{};
}

Result<ReportRebuild> step_report_rebuild_locked(SqliteStore::Impl& impl, std::int64_t tickets)
{
    if (!impl.report_aggregation)
        return make_error(ErrorKind::invalid, "store.report_rebuild",
                          "no report aggregation set: call start_report_aggregates first");
    return in_report_transaction(impl, [&]() -> Result<ReportRebuild> {
        auto cursor = TRY(report_rebuild_cursor(impl));
        if (!cursor)
            return ReportRebuild{};
        std::int64_t total = TRY(last_ticket_id(impl));
        // The next `tickets` tickets noted as changed, then brought in like any changed ticket.
        auto upto = TRY(with_statement(
            impl, "SELECT MAX(id) FROM (SELECT id FROM tickets WHERE id > ?1 ORDER BY id LIMIT ?2)", [&](Statement& s) {
                s.bind(1, *cursor).bind(2, std::max<std::int64_t>(tickets, 1));
                return first_row(s, [](const Statement& r) { return r.int_or_null(0); });
            }));
        std::int64_t reached = upto && *upto ? **upto : total;
        TRY(with_statement(impl, "INSERT OR IGNORE INTO report_dirty SELECT id FROM tickets WHERE id > ?1 AND id <= ?2",
                           [&](Statement& s) {
                               s.bind(1, *cursor).bind(2, reached);
                               return s.run();
                           }));
        bool finished = reached >= total;
        if (finished)
            TRY(impl.exec("DELETE FROM state WHERE key = 'report_rebuild'"));
        else
            TRY(with_statement(impl, "UPDATE state SET value = ?1 WHERE key = 'report_rebuild'", [&](Statement& s) {
                s.bind(1, std::to_string(reached));
                return s.run();
            }));
        TRY(refresh_report_aggregates(impl));
        return ReportRebuild{!finished, reached, total};
    });
}

}  // namespace

Result<void> SqliteStore::prepare_report_aggregates(ReportAggregation aggregation)
{
    ReportRebuild state;
    {
        std::lock_guard lock(m_impl->mutex);
        state = TRY(start_report_aggregates_locked(*m_impl, std::move(aggregation)));
    }
    // Batch by batch, the store free between them (another thread or process may write meanwhile).
    while (state.running) {
        std::lock_guard lock(m_impl->mutex);
        state = TRY(step_report_rebuild_locked(*m_impl, 5000));
    }
    return {};
}

Result<ReportRebuild> SqliteStore::start_report_aggregates(ReportAggregation aggregation)
{
    std::lock_guard lock(m_impl->mutex);
    return start_report_aggregates_locked(*m_impl, std::move(aggregation));
}

Result<ReportRebuild> SqliteStore::step_report_rebuild(std::int64_t tickets)
{
    std::lock_guard lock(m_impl->mutex);
    return step_report_rebuild_locked(*m_impl, tickets);
}

namespace {

// The `offset`-th smallest (from 0) span within `bucket` among the request's tickets: the bucket's
// own entries of the span's index, in order (as many as the bucket holds, at most).
Result<std::int64_t> span_in_bucket(SqliteStore::Impl& impl, const ReportSumsRequest& request, const GroupFilter& g,
                                    std::size_t span, int bucket, long long offset)
{
    auto [first, last] = report_span_bucket_range(bucket);
    if (first == last)
        return first;
    std::vector<Parameter> parameters{first, last, std::int64_t{request.first_day}, std::int64_t{request.last_day}};
    parameters.insert(parameters.end(), g.parameters.begin(), g.parameters.end());
    parameters.emplace_back(std::int64_t{offset});
    std::string column = k_span_columns[span];
    auto found = TRY(with_statement(impl,
                                    "SELECT " + column + " FROM report_facts INDEXED BY " + k_span_indexes[span] +
                                        " WHERE " + column + " BETWEEN ? AND ? AND day BETWEEN ? AND ?" + g.sql +
                                        " ORDER BY " + column + " LIMIT 1 OFFSET ?",
                                    [&](Statement& s) {
                                        bind_all(s, parameters);
                                        return first_row(s, [](const Statement& r) { return r.integer(0); });
                                    }));
    if (!found)
        return make_error(ErrorKind::failed, "store.report_span",
                          "the span histogram and the tickets disagree (bucket " + std::to_string(bucket) + ")");
    return *found;
}

Result<ReportSums> read_report_sums(SqliteStore::Impl& impl, const ReportSumsRequest& request)
{
    TRY(load_report_groups(impl));
    GroupFilter g = group_filter(request.filter);
    DayPlan plan = plan_days(request.first_day, request.last_day);
    // The histograms and the volume come from the sums of one dimension: all tickets, the one
    // filtered on, or with two filters or more the groups that match them all.
    int dimension = g.dimensions.empty() ? 0 : g.dimensions[0].first;
    std::vector<std::string> values{g.dimensions.empty() ? std::string() : g.dimensions[0].second};
    if (g.dimensions.size() > 1) {
        dimension = k_group_dimension;
        values.clear();
        for (const auto& [id, group] : impl.report_group_values) {
            bool all = std::all_of(g.dimensions.begin(), g.dimensions.end(), [&](const auto& d) {
                return group[static_cast<std::size_t>(d.first - 1)] == d.second;
            });
            if (all)
                values.push_back(std::to_string(id));
        }
    }
    // The values are ?11, ?12, ... after the query's own (at most ?1 to ?5).
    std::string value_list;
    for (std::size_t i = 0; i < values.size(); ++i)
        value_list += (i ? ", ?" : "?") + std::to_string(i + 11);
    auto bind_values = [&](Statement& s) {
        for (std::size_t i = 0; i < values.size(); ++i)
            s.bind(11 + static_cast<int>(i), values[i]);
    };
    auto started = std::chrono::steady_clock::now();
    ReportSums out;
    auto part = [&](const char* name) {
        auto now = std::chrono::steady_clock::now();
        out.timings.emplace_back(name, std::chrono::duration<double>(now - started).count());
        started = now;
    };
    std::map<std::int64_t, MonthCounters> by_group;
    auto add_counters = [&](const Statement& r) {
        auto& c = by_group[r.integer(0)];
        for (std::size_t i = 0; i < k_month_counters; ++i)
            c[i] += r.integer(static_cast<int>(i) + 1);
        return 0;
    };
    if (plan.months) {
        std::string sums;
        std::string columns = k_month_counter_columns;
        for (std::size_t at = 0; at < columns.size();) {
            std::size_t comma = std::min(columns.find(',', at), columns.size());
            std::string name = columns.substr(at, comma - at);
            name.erase(0, name.find_first_not_of(' '));
            sums += ", SUM(" + name + ")";
            at = comma + 1;
        }
        auto parameters = range_then(plan.months->first, plan.months->second, g.parameters);
        TRY(with_statement(
            impl, "SELECT grp" + sums + " FROM report_months WHERE month BETWEEN ? AND ?" + g.sql + " GROUP BY grp",
            [&](Statement& s) {
                bind_all(s, parameters);
                return collect_rows(s, add_counters);
            }));
    }
    part("counts of the months");
    for (auto [from, to] : plan.days) {
        auto parameters = range_then(from, to, g.parameters);
        TRY(with_statement(impl,
                           "SELECT grp, COUNT(*), SUM(fr_state = 1), SUM(fr_state = 2), SUM(res_state = 1), "
                           "SUM(res_state = 2), SUM(verdict = 1), SUM(verdict = 2), SUM(surveyed), "
                           "SUM(surveyed AND rating IS NOT NULL), COUNT(rating), SUM(rating), SUM(rating = 1), "
                           "SUM(rating = 2), SUM(rating = 3), SUM(rating = 4), SUM(rating = 5) FROM report_facts "
                           "WHERE day BETWEEN ? AND ?" +
                               g.sql + " GROUP BY grp",
                           [&](Statement& s) {
                               bind_all(s, parameters);
                               return collect_rows(s, add_counters);
                           }));
    }
    part("counts of the days around them");
    for (const auto& [group, c] : by_group) {
        if (c[0] == 0)
            continue;
        const auto& group_values = impl.report_group_values[group];
        ReportGroupCount count;
        count.kind = kind_from_string(group_values[0]).value_or(Kind::other);
        count.severity = severity_from_string(group_values[1]).value_or(Severity::normal);
        count.language = group_values[2];
        count.channel = group_values[3];
        count.department = group_values[4];
        count.tickets = c[0];
        out.groups.push_back(std::move(count));
        out.first_response_kept += c[1];
        out.first_response_missed += c[2];
        out.resolution_kept += c[3];
        out.resolution_missed += c[4];
        out.justified += c[5];
        out.unjustified += c[6];
        out.surveyed += c[7];
        out.surveyed_rated += c[8];
        out.rated += c[9];
        out.rating_sum += c[10];
        for (std::size_t i = 0; i < 5; ++i)
            out.ratings[i] += c[11 + i];
    }

    auto add_code = [&](const Statement& r) {
        out.codes[r.text(0)] += r.integer(1);
        return 0;
    };
    if (plan.months) {
        auto parameters = range_then(plan.months->first, plan.months->second, g.parameters);
        TRY(with_statement(
            impl, "SELECT code, SUM(n) FROM report_month_codes WHERE month BETWEEN ? AND ?" + g.sql + " GROUP BY code",
            [&](Statement& s) {
                bind_all(s, parameters);
                return collect_rows(s, add_code);
            }));
    }
    for (auto [from, to] : plan.days) {
        auto parameters = range_then(from, to, g.parameters);
        TRY(with_statement(impl,
                           "SELECT code, COUNT(*) FROM report_facts WHERE day BETWEEN ? AND ?" + g.sql +
                               " AND code <> '' GROUP BY code",
                           [&](Statement& s) {
                               bind_all(s, parameters);
                               return collect_rows(s, add_code);
                           }));
    }
    std::erase_if(out.codes, [](const auto& entry) { return entry.second == 0; });
    part("resolution codes");

    // The deadlines not met yet: missed once `now` is past them, else pending.
    {
        std::int64_t now = to_db(request.now);
        std::vector<Parameter> parameters{
            now, now, now, now, std::int64_t{request.first_day}, std::int64_t{request.last_day}};
        parameters.insert(parameters.end(), g.parameters.begin(), g.parameters.end());
        TRY(with_statement(impl,
                           "SELECT SUM(fr_state = 3 AND fr_due < ?), SUM(fr_state = 3 AND fr_due >= ?), "
                           "SUM(res_state = 3 AND res_due < ?), SUM(res_state = 3 AND res_due >= ?) FROM "
                           "report_facts WHERE (fr_state = 3 OR res_state = 3) AND day BETWEEN ? AND ?" +
                               g.sql,
                           [&](Statement& s) -> Result<void> {
                               bind_all(s, parameters);
                               if (TRY(s.step())) {
                                   out.first_response_missed += s.integer(0);
                                   out.first_response_pending += s.integer(1);
                                   out.resolution_missed += s.integer(2);
                                   out.resolution_pending += s.integer(3);
                               }
                               return {};
                           }));
    }

    part("deadlines not met yet");

    // Tickets per day.
    if (!values.empty())
        TRY(with_statement(impl,
                           "SELECT day, SUM(n) FROM report_days WHERE dim = ?1 AND value IN (" + value_list +
                               ") AND day BETWEEN ?2 AND ?3 GROUP BY day HAVING SUM(n) <> 0 ORDER BY day",
                           [&](Statement& s) -> Result<void> {
                               s.bind(1, std::int64_t{dimension})
                                   .bind(2, std::int64_t{request.first_day})
                                   .bind(3, std::int64_t{request.last_day});
                               bind_values(s);
                               while (TRY(s.step()))
                                   out.days.emplace_back(static_cast<std::int32_t>(s.integer(0)), s.integer(1));
                               return Result<void>{};
                           }));
    part("volume by day");

    // The span histograms: the months' sums, the per-ticket rows of the days around them.
    std::array<std::map<int, long long>, k_report_spans> histograms;
    if (plan.months && !values.empty()) {
        for (int span = 0; span < k_report_spans; ++span) {
            TRY(with_statement(impl,
                               "SELECT bucket, SUM(n) FROM report_month_spans WHERE dim = ?1 AND value IN (" +
                                   value_list + ") AND span = ?2 AND month BETWEEN ?3 AND ?4 GROUP BY bucket",
                               [&](Statement& s) -> Result<void> {
                                   s.bind(1, std::int64_t{dimension})
                                       .bind(2, std::int64_t{span})
                                       .bind(3, std::int64_t{plan.months->first})
                                       .bind(4, std::int64_t{plan.months->second});
                                   bind_values(s);
                                   while (TRY(s.step()))
                                       histograms[static_cast<std::size_t>(span)][static_cast<int>(s.integer(0))] +=
                                           s.integer(1);
                                   return Result<void>{};
                               }));
        }
    }
    part("span histograms of the months");
    for (auto [from, to] : plan.days) {
        auto parameters = range_then(from, to, g.parameters);
        TRY(with_statement(
            impl, "SELECT ack_s, fr_s, res_s FROM report_facts WHERE day BETWEEN ? AND ?" + g.sql,
            [&](Statement& s) -> Result<void> {
                bind_all(s, parameters);
                while (TRY(s.step()))
                    for (int span = 0; span < k_report_spans; ++span)
                        if (!s.is_null(span))
                            ++histograms[static_cast<std::size_t>(span)][report_span_bucket(s.integer(span))];
                return Result<void>{};
            }));
    }
    part("span histograms of the days around them");
    for (std::size_t span = 0; span < histograms.size(); ++span) {
        long long count = 0;
        for (const auto& entry : histograms[span])
            count += entry.second;
        out.span_counts[span] = count;
        if (count == 0 || !request.ranks)
            continue;
        for (long long rank : request.ranks(count)) {
            if (rank < 0 || rank >= count || out.spans_at_rank[span].contains(rank))
                continue;
            // The bucket that holds the rank, then the value from the tickets of that bucket.
            long long before = 0;
            for (const auto& [bucket, n] : histograms[span]) {
                if (rank < before + n) {
                    out.spans_at_rank[span][rank] = TRY(span_in_bucket(impl, request, g, span, bucket, rank - before));
                    break;
                }
                before += n;
            }
        }
    }
    part("medians and p90s read from their buckets");
    return out;
}

}  // namespace

Result<ReportSums> SqliteStore::report_sums(const ReportSumsRequest& request)
{
    std::lock_guard lock(m_impl->mutex);
    // One read transaction: the sums and the spans read from the tickets agree even while another
    // process writes.
    TRY(m_impl->exec("SAVEPOINT report_sums"));
    auto sums = read_report_sums(*m_impl, request);
    if (auto released = m_impl->exec("RELEASE report_sums"); !released && sums)
        return released.error();
    return sums;
}

// People.

Result<User> SqliteStore::add_user(User user)
{
    std::lock_guard lock(m_impl->mutex);
    // DO NOTHING rather than a constraint error: a taken name is the caller's conflict, told apart
    // from any other refusal without reading SQLite's extended codes.
    auto id = TRY(with_statement(
        *m_impl,
        "INSERT INTO users (name, role, display_name, email, chat, signature, password_hash, disabled, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(name) DO NOTHING",
        [&](Statement& s) -> Result<std::optional<std::int64_t>> {
            bind_user(s, user);
            TRY(s.run());
            if (sqlite3_changes(m_impl->db) == 0)
                return std::optional<std::int64_t>{};
            return std::optional<std::int64_t>{sqlite3_last_insert_rowid(m_impl->db)};
        }));
    if (!id)
        return make_error(ErrorKind::conflict, "store.user_exists", "there is a user named " + user.name + " already");
    user.id = *id;
    return user;
}

Result<void> SqliteStore::update_user(const User& user)
{
    std::lock_guard lock(m_impl->mutex);
    auto updated = with_statement(*m_impl,
                                  "UPDATE users SET name = ?1, role = ?2, display_name = ?3, email = ?4, chat = ?5, "
                                  "signature = ?6, password_hash = ?7, disabled = ?8, created_at = ?9 WHERE id = ?10",
                                  [&](Statement& s) {
                                      bind_user(s, user);
                                      s.bind(10, user.id);
                                      return s.run();
                                  });
    // The only unique column is the name: renaming to a taken one is the same conflict as add_user's.
    if (!updated && updated.error().is(ErrorKind::constraint))
        return make_error(ErrorKind::conflict, "store.user_exists", "there is a user named " + user.name + " already");
    TRY(updated);
    if (sqlite3_changes(m_impl->db) == 0)
        return make_error(ErrorKind::not_found, "store.no_user", "no user with id " + std::to_string(user.id));
    return {};
}

Result<std::optional<User>> SqliteStore::user_by_name(std::string_view name)
{
    std::lock_guard lock(m_impl->mutex);
    return query_one_user(*m_impl, "name = ?1", [&](Statement& s) { s.bind(1, name); });
}

Result<std::optional<User>> SqliteStore::user_by_id(std::int64_t id)
{
    std::lock_guard lock(m_impl->mutex);
    return query_one_user(*m_impl, "id = ?1", [&](Statement& s) { s.bind(1, id); });
}

Result<std::vector<User>> SqliteStore::list_users()
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl, std::string("SELECT ") + k_user_columns + " FROM users ORDER BY name, id",
                          [](Statement& s) { return collect_rows(s, read_user); });
}

Result<int> SqliteStore::count_users()
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl, "SELECT COUNT(*) FROM users", [](Statement& s) -> Result<int> {
        TRY(s.step());
        return static_cast<int>(s.integer(0));
    });
}

Result<ApiToken> SqliteStore::add_token(ApiToken token)
{
    std::lock_guard lock(m_impl->mutex);
    token.id = TRY(with_statement(*m_impl,
                                  "INSERT INTO api_tokens (user_id, digest, label, created_at, last_used_at, "
                                  "revoked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                  [&](Statement& s) -> Result<std::int64_t> {
                                      s.bind(1, token.user_id)
                                          .bind(2, token.digest)
                                          .bind(3, token.label)
                                          .bind(4, token.created_at)
                                          .bind(5, token.last_used_at)
                                          .bind(6, token.revoked_at);
                                      TRY(s.run());
                                      return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_impl->db));
                                  }));
    return token;
}

Result<std::optional<std::pair<ApiToken, User>>> SqliteStore::use_token(std::string_view digest, TimePoint now)
{
    using Found = std::optional<std::pair<ApiToken, User>>;
    std::lock_guard lock(m_impl->mutex);
    // One statement finds the live token of a user who may sign in and notes its use.
    auto token = TRY(with_statement(*m_impl,
                                    std::string("UPDATE api_tokens SET last_used_at = ?2 WHERE digest = ?1 AND "
                                                "revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE "
                                                "disabled = 0) RETURNING ") +
                                        k_token_columns,
                                    [&](Statement& s) {
                                        s.bind(1, digest).bind(2, now);
                                        return first_row(s, read_token);
                                    }));
    if (!token)
        return Found{};
    auto user = TRY(query_one_user(*m_impl, "id = ?1", [&](Statement& s) { s.bind(1, token->user_id); }));
    if (!user)
        return Found{};
    return Found{std::pair{std::move(*token), std::move(*user)}};
}

Result<std::vector<ApiToken>> SqliteStore::tokens_of(std::int64_t user_id)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl,
                          std::string("SELECT ") + k_token_columns + " FROM api_tokens WHERE user_id = ?1 ORDER BY id",
                          [&](Statement& s) {
                              s.bind(1, user_id);
                              return collect_rows(s, read_token);
                          });
}

Result<void> SqliteStore::revoke_token(std::int64_t token_id, TimePoint now)
{
    std::lock_guard lock(m_impl->mutex);
    // A token revoked already keeps the time of its first revocation.
    TRY(with_statement(*m_impl, "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
                       [&](Statement& s) {
                           s.bind(1, token_id).bind(2, now);
                           return s.run();
                       }));
    if (sqlite3_changes(m_impl->db) == 0)
        return make_error(ErrorKind::not_found, "store.no_token", "no API token " + std::to_string(token_id));
    return {};
}

Result<void> SqliteStore::add_session(const Session& session)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(
        *m_impl, "INSERT INTO sessions (digest, user_id, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        [&](Statement& s) {
            s.bind(1, session.digest)
                .bind(2, session.user_id)
                .bind(3, session.csrf)
                .bind(4, session.created_at)
                .bind(5, session.expires_at);
            return s.run();
        });
}

Result<std::optional<std::pair<Session, User>>> SqliteStore::session(std::string_view digest, TimePoint now)
{
    std::lock_guard lock(m_impl->mutex);
    std::string users;
    std::string_view rest = k_user_columns;
    while (!rest.empty()) {
        auto comma = rest.find(", ");
        users += ", u." + std::string(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
    }
    return with_statement(
        *m_impl,
        "SELECT s.digest, s.user_id, s.csrf, s.created_at, s.expires_at" + users +
            " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.digest = ?1 AND "
            "s.expires_at > ?2 AND u.disabled = 0",
        [&](Statement& s) {
            s.bind(1, digest).bind(2, now);
            return first_row(s, [](const Statement& r) {
                Session session{r.text(0), r.integer(1), r.text(2), from_db(r.integer(3)), from_db(r.integer(4))};
                return std::pair{std::move(session), read_user_at(r, 5)};
            });
        });
}

Result<void> SqliteStore::end_session(std::string_view digest)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl, "DELETE FROM sessions WHERE digest = ?1", [&](Statement& s) {
        s.bind(1, digest);
        return s.run();
    });
}

Result<void> SqliteStore::end_sessions_of(std::int64_t user_id)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl, "DELETE FROM sessions WHERE user_id = ?1", [&](Statement& s) {
        s.bind(1, user_id);
        return s.run();
    });
}

// Template versions.

Result<TemplateVersion> SqliteStore::save_template(TemplateVersion version)
{
    std::lock_guard lock(m_impl->mutex);
    // The next number is chosen and taken in one statement, under SQLite's write lock; the UNIQUE
    // (language, name, version) refuses a second writer that chose the same one on another database.
    auto saved = TRY(with_statement(
        *m_impl,
        "INSERT INTO template_versions (language, name, version, text, author, at) SELECT ?1, ?2, "
        "COALESCE(MAX(version), 0) + 1, ?3, ?4, ?5 FROM template_versions WHERE language = ?1 AND name = ?2 "
        "RETURNING id, version",
        [&](Statement& s) {
            s.bind(1, version.language).bind(2, version.name).bind(3, version.text).bind(4, version.author);
            s.bind(5, version.at);
            return first_row(s, [](const Statement& r) { return std::pair{r.integer(0), r.integer(1)}; });
        }));
    if (!saved)
        return make_error(ErrorKind::failed, "store.template", "saving template " + version.name + " stored nothing");
    version.id = saved->first;
    version.version = static_cast<int>(saved->second);
    return version;
}

Result<std::vector<TemplateVersion>> SqliteStore::template_history(std::string_view language, std::string_view name)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl,
                          std::string("SELECT ") + k_template_columns +
                              " FROM template_versions WHERE language = ?1 AND name = ?2 ORDER BY version",
                          [&](Statement& s) {
                              s.bind(1, language).bind(2, name);
                              return collect_rows(s, read_template);
                          });
}

Result<std::vector<TemplateVersion>> SqliteStore::current_templates()
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl,
                          std::string("SELECT ") + k_template_columns +
                              " FROM template_versions t WHERE version = (SELECT MAX(version) FROM "
                              "template_versions WHERE language = t.language AND name = t.name) ORDER BY language, "
                              "name",
                          [](Statement& s) { return collect_rows(s, read_template); });
}

namespace {

// How many of a query's newest matches are ranked (SqliteStore::search; docs/search.md).
constexpr std::int64_t k_rank_window = 5000;

// A snippet from snippet(): 0x01 opens a matched word, 0x02 closes it.
std::vector<SnippetPart> snippet_parts(std::string_view marked)
{
    std::vector<SnippetPart> parts;
    bool match = false;
    std::string piece;
    auto flush = [&] {
        if (!piece.empty())
            parts.push_back(SnippetPart{std::move(piece), match});
        piece.clear();
    };
    for (char c : marked) {
        if (c == '\x01' || c == '\x02') {
            flush();
            match = c == '\x01';
            continue;
        }
        piece += c;
    }
    flush();
    return parts;
}

// The opening of a record's text, for a query of filters only: no word to centre on.
std::vector<SnippetPart> opening_snippet(std::string_view text)
{
    constexpr std::size_t k_bytes = 200;
    if (text.size() <= k_bytes)
        return {SnippetPart{std::string(text), false}};
    auto cut = text.substr(0, k_bytes).find_last_of(" \n\t");
    if (cut == std::string_view::npos || cut < k_bytes / 2) {
        cut = k_bytes;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
            --cut;  // not inside a UTF-8 sequence
    }
    return {SnippetPart{std::string(text.substr(0, cut)) + "\u2026", false}};
}

search::RecordKind record_kind_of(std::string_view text)
{
    for (auto kind : {search::RecordKind::message, search::RecordKind::letter, search::RecordKind::note,
                      search::RecordKind::ticket})
        if (text == to_string(kind))
            return kind;
    return search::RecordKind::message;
}

}  // namespace

Result<SearchPage> SqliteStore::search(const SearchRequest& request)
{
    const auto& filters = request.query.filters;
    bool has_words = request.query.has_words();
    std::vector<std::string> clauses;
    std::vector<Parameter> parameters;
    auto where = [&](std::string clause, std::initializer_list<Parameter> values = {}) {
        clauses.push_back(std::move(clause));
        parameters.insert(parameters.end(), values);
    };
    // With words, the filters are terms of the meta column inside the MATCH (filter_expression); only
    // from: (the sender's words select, the value is checked whole) and a time of day are checked on
    // the rows FTS5 returns. Without words the rows are read newest first and checked here.
    if (!filters.from.empty()) {
        std::string pattern = "%";
        for (char c : filters.from) {
            if (c == '%' || c == '_' || c == '\\')
                pattern += '\\';
            pattern += c;
        }
        pattern += '%';
        where("d.sender LIKE ? ESCAPE '\\'", {pattern});
    }
    if (!has_words) {
        if (filters.status)
            where("t.status = ?", {std::string(to_string(*filters.status))});
        if (filters.record)
            where("d.record = ?", {std::string(to_string(*filters.record))});
        if (filters.ticket_kind)
            where("t.kind = ?", {std::string(to_string(*filters.ticket_kind))});
        if (!filters.language.empty())
            where("d.language = ?", {filters.language});
        if (filters.channel == "chat:" || filters.channel == "chat")
            where("d.channel LIKE 'chat:%'");
        else if (!filters.channel.empty())
            where("d.channel = ?", {filters.channel});
    }
    bool ticket_joined = !has_words && (filters.status || filters.ticket_kind);
    std::string match;
    bool whole_days = false;
    if (has_words) {
        match = match_expression(request.query);
        // A date range's open end stops at the oldest or newest record (search_docs_at: two seeks).
        std::pair<std::int64_t, std::int64_t> span{0, 0};
        if (filters.after || filters.before) {
            std::lock_guard lock(m_impl->mutex);
            auto read = TRY(with_statement(*m_impl, "SELECT MIN(at), MAX(at) FROM search_docs", [&](Statement& s) {
                return first_row(s, [](const Statement& r) {
                    return std::pair{r.is_null(0) ? std::int64_t{0} : r.integer(0),
                                     r.is_null(1) ? std::int64_t{0} : r.integer(1)};
                });
            }));
            if (read)
                span = *read;
        }
        if (auto selected = filter_expression(filters, span.first, span.second, &whole_days); !selected.empty())
            match = "(" + match + ") AND (" + selected + ")";
    }
    // Dates the terms cannot select exactly (a time of day) are checked on the rows.
    if (filters.after && !whole_days)
        where("d.at >= ?", {to_db(*filters.after)});
    if (filters.before && !whole_days)
        where("d.at < ?", {to_db(*filters.before)});
    bool docs_joined = !clauses.empty();

    // First the page's rows and scores: only rowids and ranks go through the sort, so snippets are
    // made for the page alone.
    std::string sql;
    std::vector<Parameter> bound;
    int limit = std::clamp(request.limit, 1, 200);
    std::lock_guard lock(m_impl->mutex);
    if (!match.empty()) {
        std::string from = " FROM search_index f";
        if (docs_joined)
            from += " JOIN search_docs d ON d.id = f.rowid";
        if (ticket_joined)
            from += " LEFT JOIN tickets t ON t.id = d.ticket_id";
        from += " WHERE search_index MATCH ?";
        for (const auto& c : clauses)
            from += " AND " + c;
        // The rank window: bm25 is computed for every match, which for a word in most records of a
        // large store costs more than people wait. Only the newest k_rank_window matches are ranked
        // (FTS5 reads matches in rowid order cheaply, without scores); the scores still use the
        // whole index's statistics. Fewer matches than that: all are ranked.
        std::int64_t window = std::max<std::int64_t>(k_rank_window, std::int64_t{request.offset} + limit + 1);
        auto oldest = TRY(with_statement(*m_impl, "SELECT f.rowid" + from + " ORDER BY f.rowid DESC LIMIT 1 OFFSET ?",
                                         [&](Statement& s) {
                                             std::vector<Parameter> p{match};
                                             p.insert(p.end(), parameters.begin(), parameters.end());
                                             p.emplace_back(window - 1);
                                             bind_all(s, p);
                                             return first_row(s, [](const Statement& r) { return r.integer(0); });
                                         }));
        // The meta column's terms weigh nothing in the score.
        sql = "SELECT f.rowid, bm25(search_index, 1.0, 0.0)" + from;
        bound.emplace_back(match);
        bound.insert(bound.end(), parameters.begin(), parameters.end());
        if (oldest) {
            sql += " AND f.rowid >= ?";
            bound.emplace_back(*oldest);
        }
        sql += " ORDER BY bm25(search_index, 1.0, 0.0), f.rowid DESC LIMIT ? OFFSET ?";
    } else {
        sql = "SELECT d.id, 0 FROM search_docs d";
        if (ticket_joined)
            sql += " LEFT JOIN tickets t ON t.id = d.ticket_id";
        for (std::size_t i = 0; i < clauses.size(); ++i)
            sql += (i == 0 ? " WHERE " : " AND ") + clauses[i];
        bound.insert(bound.end(), parameters.begin(), parameters.end());
        bool excluding = !request.query.clauses.empty();
        if (excluding) {
            search::Query negated;
            for (const auto& clause : request.query.clauses)
                negated.clauses.push_back(search::Clause{clause.any, false});
            std::string negative;
            for (const auto& clause : negated.clauses) {
                search::Query one;
                one.clauses.push_back(clause);
                negative += (negative.empty() ? "" : " OR ") + match_expression(one);
            }
            sql += std::string(clauses.empty() ? " WHERE " : " AND ") +
                   "d.id NOT IN (SELECT rowid FROM search_index WHERE search_index MATCH ?)";
            bound.emplace_back(negative);
        }
        sql += " ORDER BY d.at DESC, d.id DESC LIMIT ? OFFSET ?";
    }
    bound.emplace_back(std::int64_t{limit + 1});
    bound.emplace_back(std::int64_t{std::max(request.offset, 0)});

    auto ranked = TRY(with_statement(*m_impl, sql, [&](Statement& s) {
        bind_all(s, bound);
        return collect_rows(s, [](const Statement& r) { return std::pair{r.integer(0), r.real(1)}; });
    }));
    SearchPage page;
    if (static_cast<int>(ranked.size()) > limit) {
        page.more = true;
        ranked.resize(static_cast<std::size_t>(limit));
    }
    // Then each row with its ticket and snippet. snippet() needs the MATCH of the same query; FTS5
    // seeks to the one rowid.
    std::string detail =
        "SELECT d.record, d.record_id, d.ticket_id, d.at, d.sender, d.channel, d.language, t.number, t.subject, "
        "t.status, " +
        std::string(match.empty() ? "d.text" : "snippet(search_index, 0, char(1), char(2), '\u2026', 24)") +
        " FROM search_docs d LEFT JOIN tickets t ON t.id = d.ticket_id" +
        (match.empty() ? " WHERE d.id = ?1"
                       : " JOIN search_index ON search_index.rowid = d.id WHERE search_index MATCH ?2 AND "
                         "search_index.rowid = ?1");
    for (const auto& [id, rank] : ranked) {
        auto hit = TRY(with_statement(*m_impl, detail, [&](Statement& s) {
            s.bind(1, id);
            if (!match.empty())
                s.bind(2, match);
            return first_row(s, [&](const Statement& r) {
                SearchHit h;
                h.record = record_kind_of(r.text(0));
                h.record_id = r.integer(1);
                h.ticket_id = r.int_or_null(2);
                h.at = from_db(r.integer(3));
                h.sender = r.text(4);
                h.channel = r.text(5);
                h.language = r.text(6);
                h.ticket_number = r.text(7);
                h.ticket_subject = r.text(8);
                if (!r.is_null(9))
                    h.status = ticket_status_from_string(r.text(9));
                h.snippet = match.empty() ? opening_snippet(r.text(10)) : snippet_parts(r.text(10));
                h.score = -rank;  // bm25 is lower for a better match
                return h;
            });
        }));
        if (hit)
            page.hits.push_back(std::move(*hit));
    }
    return page;
}

Result<void> SqliteStore::optimize_search()
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->exec("INSERT INTO search_index (search_index) VALUES ('optimize')");
}

Result<void> SqliteStore::compact_after_erase()
{
    std::lock_guard lock(m_impl->mutex);
    // The index merged into one segment drops the erased terms from its pages; secure_delete zeroes
    // the pages and cells freed. Then the WAL, which still holds the pages as they were before, is
    // written into the database and truncated to nothing.
    TRY(m_impl->exec("INSERT INTO search_index (search_index) VALUES ('optimize')"));
    auto busy = TRY(with_statement(*m_impl, "PRAGMA wal_checkpoint(TRUNCATE)", [](Statement& s) {
        return first_row(s, [](const Statement& r) { return r.integer(0); });
    }));
    if (busy && *busy != 0)
        return make_error(ErrorKind::transient, "store.checkpoint_busy",
                          "the write-ahead log could not be emptied: another connection is reading; it is emptied at "
                          "the next erase or checkpoint");
    return {};
}

Result<std::vector<Ticket>> SqliteStore::tickets_due_for_erase(TimePoint closed_before, int limit)
{
    std::lock_guard lock(m_impl->mutex);
    return with_statement(*m_impl,
                          std::string("SELECT ") + k_ticket_columns +
                              " FROM tickets WHERE status = 'closed' AND erased_at IS NULL AND closed_at < ?1 "
                              "ORDER BY closed_at, id LIMIT ?2",
                          [&](Statement& s) {
                              s.bind(1, closed_before).bind(2, std::int64_t{limit});
                              return collect_rows(s, read_ticket);
                          });
}

Result<std::optional<TimePoint>> SqliteStore::ticket_erased_at(std::int64_t ticket_id)
{
    std::lock_guard lock(m_impl->mutex);
    auto row = TRY(with_statement(*m_impl, "SELECT erased_at FROM tickets WHERE id = ?1", [&](Statement& s) {
        s.bind(1, ticket_id);
        return first_row(s, [](const Statement& r) { return r.int_or_null(0); });
    }));
    if (!row || !*row)
        return std::optional<TimePoint>{};
    return std::optional<TimePoint>{from_db(**row)};
}

}  // namespace redress::store
