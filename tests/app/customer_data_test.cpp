// One customer's data (docs/privacy.md) over real HTTP on loopback: the daemon's API routes on an
// in-process server over the real pipeline, services and SQLite file, with a test clock. The export
// is a tar archive that Python's tarfile and tar(1) read, with the messages in its JSON and the files
// beside it; the erase is the owner's only; after it, search finds nothing of the customer, no file
// under the data directory (database, WAL, outbox, quarantine, attachments) holds their words while
// another customer's are still there, the anonymised tickets still count in the report, the audit
// says who and why without the erased words, and a later message from the same address starts a new
// customer. The command line (`redress customer export|erase`) is run as a process. Retention erases
// only tickets closed more than N days ago, once a day, across a restart, a few tickets per call.

#include "app/api_routes.hpp"
#include "app/retention.hpp"
#include "connectors/file_outbox/file_outbox.hpp"
#include "connectors/quarantine_folder/quarantine_folder.hpp"
#include "http/http_server.hpp"
#include "mime/transfer_decoder.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "service/customers.hpp"
#include "service/people.hpp"
#include "service/ticket_service.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace redress;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const TimePoint k_start = parse_iso8601("2026-11-26T09:00:00Z").value();

// Words of the customer whose data is erased, and of one whose data stays.
const std::string k_name = "Ivan Sidorov";
const std::string k_name_ru = "Иван Сидоров";
const std::string k_address = "ivan.sidorov@example.org";
const std::string k_phrase_ru = "чайник Зефиркеттл протекает из-под крышки";
const std::string k_word = "Zephyrkettle";
const std::string k_courier = "Bartholomew-Quince";
const std::string k_file_bytes = "RECEIPT-IVAN-7731 paid 4990 roubles";
const std::string k_note = "Called him back: Quarrelsome-Heron is the courier";
const std::string k_rating_comment = "Velvetmorning was slow";
const std::string k_other_word = "Flambergast";
const std::string k_other_address = "olivia@other.test";

std::string mail(const std::string& from, const std::string& id, const std::string& subject, const std::string& body,
                 const std::string& extra_headers = {}, const std::string& file = {})
{
    std::string head = "From: " + from + "\r\nTo: support@shop.test\r\nSubject: " + subject + "\r\nMessage-ID: <" + id +
                       ">\r\n" + extra_headers + "MIME-Version: 1.0\r\n";
    if (file.empty())
        return head + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body +
               "\r\n";
    return head +
           "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; "
           "charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
           body +
           "\r\n--b1\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; "
           "filename*=UTF-8''%D1%87%D0%B5%D0%BA.bin\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
           file + "\r\n--b1--\r\n";
}

struct Reply {
    int status = 0;
    httplib::Headers headers;
    std::string body;
    std::string header(const std::string& name) const
    {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

std::string slurp(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string lower_ascii(std::string text)
{
    for (char& c : text)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return text;
}

// Runs a command; its standard output and exit status.
std::pair<int, std::string> run(const std::string& command)
{
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        return {-1, {}};
    std::array<char, 4096> buffer{};
    for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;)
        out.append(buffer.data(), n);
    int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string quoted(const std::string& text)
{
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Base64 (RFC 4648) of `bytes`, for mail the test writes.
std::string base64(const std::string& bytes)
{
    static constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                     static_cast<unsigned char>(bytes[i + 2]);
        for (int shift : {18, 12, 6, 0})
            out += k_alphabet[(v >> shift) & 63];
    }
    if (i < bytes.size()) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size())
            v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += k_alphabet[(v >> 18) & 63];
        out += k_alphabet[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? k_alphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// Every run of base64 letters (16 or more, as a body line or an encoded word's text) decoded, after
// the bytes themselves: what the grep reads of a file, so a customer's words in a base64 body or an
// RFC 2047 encoded word are found too.
std::string with_base64_decoded(const std::string& bytes)
{
    auto in_alphabet = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/'; };
    std::string out = bytes;
    std::size_t i = 0;
    while (i < bytes.size()) {
        std::size_t j = i;
        while (j < bytes.size() && in_alphabet(bytes[j]))
            ++j;
        if (j - i >= 16) {
            mime::TransferDecodeReport ignored;
            out += "\n";
            mime::TransferDecoder::decode_base64(std::string_view(bytes).substr(i, j - i), out, ignored);
        }
        i = j + 1;
    }
    return out;
}

class CustomerData : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("redress-customer-data-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir / "var");
        std::ofstream(m_dir / "redress.json") << R"({
          "company": {"name": "Kettle Shop", "support_address": "Support <support@shop.test>"},
          "owner": {"name": "Olga", "email": "olga@shop.test"},
          "retention": {"erase_closed_after_days": 30},
          "http": {"listen": "127.0.0.1:0"}})";
        open();
        ASSERT_TRUE(m_people->add_user("olga", Role::owner, "a long enough password").ok());
        ASSERT_TRUE(m_people->add_user("anna", Role::agent, "a long enough password").ok());
        ASSERT_TRUE(m_people->add_user("max", Role::manager, "a long enough password").ok());
        m_tokens["olga"] = m_people->create_token("olga", "test").value().secret;
        m_tokens["anna"] = m_people->create_token("anna", "test").value().secret;
        m_tokens["max"] = m_people->create_token("max", "test").value().secret;
    }

    void open()
    {
        auto load = pipeline::load_runtime(m_dir / "redress.json", REDRESS_SOURCE_DIR, m_dir / "var");
        ASSERT_TRUE(load.runtime);
        m_runtime = load.runtime;
        auto store = store::SqliteStore::open(m_dir / "var" / "redress.db");
        ASSERT_TRUE(store.ok()) << store.error().message;
        m_store = std::move(store).value();
        m_quarantine = std::make_unique<connectors::QuarantineFolder>(m_dir / "var" / "quarantine", m_clock);
        m_pipeline = std::make_unique<pipeline::Pipeline>(*m_store, *m_quarantine, load.runtime);
        m_tickets = std::make_unique<service::TicketService>(*m_store, *m_pipeline, m_clock);
        m_people = std::make_unique<service::PeopleService>(*m_store, m_clock, auth::ScryptCost{1024, 8, 1});
        api::ApiContext context;
        context.tickets = m_tickets.get();
        context.people = m_people.get();
        context.store = m_store.get();
        context.pipeline = m_pipeline.get();
        context.time = &m_clock;
        m_server = std::make_unique<http::HttpServer>();
        app::add_api_routes(m_server->router(), context);
        auto started = m_server->start("127.0.0.1:0");
        ASSERT_TRUE(started.ok()) << started.error().message;
    }

    void close()
    {
        if (m_server)
            m_server->stop();
        m_server.reset();
        m_tickets.reset();
        m_people.reset();
        m_pipeline.reset();
        m_store.reset();
    }

    void TearDown() override
    {
        close();
        fs::remove_all(m_dir);
    }

    std::string ingest(const std::string& bytes)
    {
        pipeline::RawMessage raw;
        raw.channel = "email";
        raw.source = "support";
        raw.source_key = "k" + std::to_string(++m_seq);
        raw.bytes = bytes;
        raw.received_at = m_clock.now();
        auto outcome = m_pipeline->ingest(raw, m_clock.now());
        EXPECT_TRUE(outcome.ok()) << (outcome.ok() ? "" : outcome.error().message);
        return outcome.ok() ? outcome->ticket_number : std::string();
    }

    // Every due letter written by the file outbox, as the daemon's embedded default does.
    void deliver()
    {
        connectors::FileOutbox outbox(m_dir / "var" / "outbox");
        auto due = m_store->claim_due_letters("email", m_clock.now(), Seconds(300), "test", 100).value();
        for (const auto& letter : due) {
            auto sent = outbox.send(letter);
            ASSERT_EQ(sent.status, connectors::SendResult::Status::sent) << sent.detail;
            ASSERT_TRUE(m_store->letter_sent(store::LetterClaim{letter.id, "test", {}}, m_clock.now()).ok());
        }
    }

    Reply call(const std::string& method, const std::string& path, const std::string& who, const json& body = {})
    {
        httplib::Client client("127.0.0.1", m_server->port());
        httplib::Headers headers{{"Authorization", "Bearer " + m_tokens.at(who)}};
        httplib::Result res =
            method == "GET" ? client.Get(path, headers) : client.Post(path, headers, body.dump(), "application/json");
        if (!res)
            return Reply{-1, {}, httplib::to_string(res.error())};
        return Reply{res->status, res->headers, res->body};
    }

    // The customer Ivan with two tickets (one in Russian with a file, one in English), a note, a reply
    // and a rating on the first, an automatic reply without a ticket, and a quarantined mail of his;
    // Olivia with one ticket. Returns Ivan's customer id.
    std::int64_t make_history()
    {
        m_ivan1 = ingest(mail(k_name_ru + " <" + k_address + ">", "i1@example.org", "Сломался чайник",
                              "Здравствуйте! Мой " + k_phrase_ru + ". Это " + k_word + ", куплен неделю назад.", {},
                              k_file_bytes));
        m_clock.advance(std::chrono::hours(1));
        m_ivan2 = ingest(mail(k_name + " <" + k_address + ">", "i2@example.org", "Late courier",
                              "The courier " + k_courier + " left my parcel in the rain. Ivan Sidorov"));
        m_olivia = ingest(mail("Olivia Brightwater <" + k_other_address + ">", "o1@other.test", "Burnt toast",
                               "My toaster " + k_other_word + " burns every slice of bread."));
        EXPECT_NE(m_ivan1, m_ivan2);
        EXPECT_EQ(call("POST", "/api/v1/tickets/" + m_ivan1 + "/note", "anna", json{{"text", k_note}}).status, 200);
        Reply reply = call("POST", "/api/v1/tickets/" + m_ivan1 + "/reply", "anna",
                           json{{"text", "Dear Ivan Sidorov, we are sorry about the " + k_word + "."}});
        EXPECT_EQ(reply.status, 200) << reply.body;
        {
            auto tx = m_store->begin().value();
            auto ticket = m_store->ticket(m_ivan1).value().value();
            EXPECT_TRUE(tx->add_rating(Rating{0, ticket.id, 2, k_rating_comment, "survey", m_clock.now(), ""}).ok());
            EXPECT_TRUE(tx->commit().ok());
        }
        // An out-of-office answer that names no ticket: recorded without one.
        ingest(mail(k_name + " <" + k_address + ">", "auto1@example.org", "Auto: away",
                    "I am away until Monday. " + k_word + " questions later.", "Auto-Submitted: auto-replied\r\n"));
        pipeline::RawMessage broken;
        broken.channel = "email";
        broken.source = "support";
        broken.source_key = "q1";
        broken.bytes = "From: " + k_address + "\r\nSubject: " + k_word + " again\r\n\r\n\x01\x02 garbage";
        broken.received_at = m_clock.now();
        EXPECT_TRUE(m_quarantine->keep(broken, "unreadable").ok());
        deliver();
        auto ivan = m_store->customer_by_identity(IdentityKind::email, k_address).value();
        EXPECT_TRUE(ivan.has_value());
        return ivan ? ivan->id : 0;
    }

    // Every file under the data directory that holds `needle` (ASCII letters regardless of case).
    std::vector<std::string> files_holding(const std::string& needle)
    {
        std::vector<std::string> found;
        std::string folded = lower_ascii(needle);
        for (const auto& entry : fs::recursive_directory_iterator(m_dir / "var")) {
            if (!entry.is_regular_file())
                continue;
            if (lower_ascii(slurp(entry.path())).find(folded) != std::string::npos)
                found.push_back(fs::relative(entry.path(), m_dir).string());
        }
        return found;
    }

    // The same over each file with its base64 runs decoded (with_base64_decoded).
    std::vector<std::string> files_holding_decoded(const std::string& needle)
    {
        std::vector<std::string> found;
        std::string folded = lower_ascii(needle);
        for (const auto& entry : fs::recursive_directory_iterator(m_dir / "var")) {
            if (!entry.is_regular_file())
                continue;
            if (lower_ascii(with_base64_decoded(slurp(entry.path()))).find(folded) != std::string::npos)
                found.push_back(fs::relative(entry.path(), m_dir).string());
        }
        return found;
    }

    int search_hits(const std::string& query)
    {
        Reply r = call("GET", "/api/v1/search?q=" + httplib::detail::encode_query_param(query), "anna");
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? static_cast<int>(json::parse(r.body)["results"].size()) : -1;
    }

    long long report_tickets()
    {
        Reply r = call("GET", "/api/v1/reports/summary?from=2026-11-01&to=2026-11-30", "max");
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? json::parse(r.body)["tickets"].get<long long>() : -1;
    }

    void close_ticket(const std::string& number, TimePoint at)
    {
        auto tx = m_store->begin().value();
        auto ticket = tx->ticket_by_number(number).value().value();
        ticket.status = TicketStatus::closed;
        ticket.closed_at = at;
        ticket.resolved_at = at;
        ASSERT_TRUE(tx->update_ticket(ticket).ok());
        ASSERT_TRUE(tx->commit().ok());
    }

    // `count` customers, each with one ticket closed 40 days ago (a minute apart, the first oldest)
    // whose text names "<word><i>"; their ids.
    std::vector<std::int64_t> old_closed_tickets(int count, const std::string& word)
    {
        std::vector<std::int64_t> ids;
        for (int i = 0; i < count; ++i) {
            std::string n = std::to_string(i);
            std::string number =
                ingest(mail("Customer " + n + " <customer" + n + "@example.net>", word + n + "@example.net",
                            "Leaking kettle", "My " + word + n + " kettle leaks."));
            close_ticket(number, k_start - std::chrono::days(40) + std::chrono::minutes(i));
            ids.push_back(m_store->ticket(number).value().value().id);
        }
        return ids;
    }

    fs::path m_dir;
    ManualTimeSource m_clock{k_start};
    std::shared_ptr<const pipeline::Runtime> m_runtime;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<connectors::QuarantineFolder> m_quarantine;
    std::unique_ptr<pipeline::Pipeline> m_pipeline;
    std::unique_ptr<service::TicketService> m_tickets;
    std::unique_ptr<service::PeopleService> m_people;
    std::unique_ptr<http::HttpServer> m_server;
    std::map<std::string, std::string> m_tokens;
    std::string m_ivan1, m_ivan2, m_olivia;
    int m_seq = 0;
};

TEST_F(CustomerData, TheExportIsATarArchiveWithTheMessagesInItsJsonAndTheFilesBesideIt)
{
    auto id = make_history();
    Reply r = call("GET", "/api/v1/customers/" + std::to_string(id) + "/export", "olga");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/x-tar");
    EXPECT_TRUE(r.header("Content-Disposition").starts_with("attachment;")) << r.header("Content-Disposition");
    fs::path archive = m_dir / "export.tar";
    std::ofstream(archive, std::ios::binary) << r.body;

    auto [tar_status, listing] = run("tar -tf " + quoted(archive.string()));
    ASSERT_EQ(tar_status, 0) << listing;
    EXPECT_NE(listing.find("customer.json\n"), std::string::npos) << listing;
    EXPECT_NE(listing.find("attachments/"), std::string::npos) << listing;

    // Python's tarfile reads it too: the file's bytes, and the JSON with both tickets' messages.
    auto [py_status, py_out] = run("python3 -c 'import json, sys, tarfile\n"
                                   "t = tarfile.open(sys.argv[1])\n"
                                   "names = t.getnames()\n"
                                   "doc = json.load(t.extractfile(\"customer.json\"))\n"
                                   "files = [n for n in names if n.startswith(\"attachments/\")]\n"
                                   "print(len(files))\n"
                                   "print(t.extractfile(files[0]).read().decode())\n"
                                   "print(json.dumps(doc, ensure_ascii=False))' " +
                                   quoted(archive.string()));
    ASSERT_EQ(py_status, 0) << py_out;
    auto first = py_out.find('\n');
    EXPECT_EQ(py_out.substr(0, first), "1");
    EXPECT_NE(py_out.find(k_file_bytes), std::string::npos);
    json doc = json::parse(py_out.substr(py_out.rfind("\n{") + 1));
    EXPECT_EQ(doc["customer"]["id"], id);
    ASSERT_EQ(doc["tickets"].size(), 2u);
    std::string all = doc.dump(-1, ' ', false);
    EXPECT_NE(all.find(k_phrase_ru), std::string::npos);
    EXPECT_NE(all.find(k_courier), std::string::npos);
    EXPECT_NE(all.find(k_note), std::string::npos);
    EXPECT_NE(all.find(k_rating_comment), std::string::npos);
    EXPECT_NE(all.find("we are sorry about the " + k_word), std::string::npos);  // the reply as Ivan read it
    EXPECT_EQ(all.find(k_other_word), std::string::npos);                        // nobody else's words
    bool listed = false;
    for (const auto& t : doc["tickets"])
        for (const auto& a : t["attachments"])
            listed =
                listed || (a["file"].is_string() && listing.find(a["file"].get<std::string>()) != std::string::npos);
    EXPECT_TRUE(listed) << "the JSON names the file's place in the archive";
}

TEST_F(CustomerData, TheExportHoldsTheirMessagesOutsideTheirTicketsAndTheirQuarantinedMail)
{
    auto id = make_history();
    auto merged = service::merge_tickets(*m_store, *m_runtime, m_ivan2, m_olivia, true, Actor{"olga", Role::owner},
                                         m_clock.now());
    ASSERT_TRUE(merged.ok()) << merged.error().message;
    Reply r = call("GET", "/api/v1/customers/" + std::to_string(id) + "/export", "olga");
    ASSERT_EQ(r.status, 200) << r.body;
    fs::path archive = m_dir / "export.tar";
    std::ofstream(archive, std::ios::binary) << r.body;
    // Python's tarfile reads the JSON and the quarantined mail named by it.
    auto [status, out] =
        run("python3 -c 'import json, sys, tarfile\n"
            "t = tarfile.open(sys.argv[1])\n"
            "doc = json.load(t.extractfile(\"customer.json\"))\n"
            "for q in doc[\"quarantined\"]:\n"
            "    print(\"MAIL \" + t.extractfile(q[\"file\"]).read().decode(\"latin-1\").replace(\"\\n\", \" \"))\n"
            "print(json.dumps(doc, ensure_ascii=False))' " +
            quoted(archive.string()));
    ASSERT_EQ(status, 0) << out;
    json doc = json::parse(out.substr(out.rfind("\n{") + 1));
    ASSERT_EQ(doc["messages_without_ticket"].size(), 1u) << doc.dump(2);
    EXPECT_NE(doc["messages_without_ticket"][0]["text"].get<std::string>().find("I am away until Monday"),
              std::string::npos);
    ASSERT_EQ(doc["messages_on_other_tickets"].size(), 1u) << doc.dump(2);
    EXPECT_EQ(doc["messages_on_other_tickets"][0]["ticket"], m_olivia);
    EXPECT_NE(doc["messages_on_other_tickets"][0]["text"].get<std::string>().find(k_courier), std::string::npos);
    ASSERT_EQ(doc["quarantined"].size(), 1u) << doc.dump(2);
    EXPECT_EQ(doc["quarantined"][0]["reason"].get<std::string>().find("unreadable") != std::string::npos, true)
        << doc["quarantined"][0].dump();
    EXPECT_NE(out.find("MAIL From: " + k_address), std::string::npos) << out.substr(0, 400);
    EXPECT_NE(out.find(k_word + " again"), std::string::npos);
    // Olivia's own message on that ticket is hers: not in Ivan's export.
    EXPECT_EQ(doc.dump().find(k_other_word), std::string::npos);
}

TEST_F(CustomerData, OnlyTheOwnerExportsOrErases)
{
    auto id = make_history();
    std::string base = "/api/v1/customers/" + std::to_string(id);
    for (const char* who : {"anna", "max"}) {
        EXPECT_EQ(call("GET", base + "/export", who).status, 403) << who;
        EXPECT_EQ(call("POST", base + "/erase", who, json{{"reason", "asked"}}).status, 403) << who;
    }
    EXPECT_EQ(call("POST", base + "/erase", "olga", json::object()).status, 422);  // no reason
    EXPECT_EQ(call("POST", "/api/v1/customers/99999/erase", "olga", json{{"reason", "asked"}}).status, 404);
    EXPECT_EQ(search_hits(k_word), 3);  // nothing was erased
}

TEST_F(CustomerData, AfterTheEraseNoFileUnderTheDataDirectoryHoldsTheirWords)
{
    auto id = make_history();
    long long before = report_tickets();
    ASSERT_EQ(before, 3);
    // The grep can fail: before the erase every needle is somewhere.
    const std::vector<std::string> needles{k_name,    k_name_ru,    k_address,        k_phrase_ru, k_word,
                                           k_courier, k_file_bytes, k_rating_comment, k_note,      "Сломался чайник"};
    for (const auto& needle : needles)
        EXPECT_FALSE(files_holding(needle).empty()) << needle;
    ASSERT_GT(search_hits(k_word), 0);

    Reply r = call("POST", "/api/v1/customers/" + std::to_string(id) + "/erase", "olga",
                   json{{"reason", "The customer asked by letter (Ivan Sidorov, " + k_address + ")"}});
    ASSERT_EQ(r.status, 200) << r.body;
    json erased = json::parse(r.body)["erased"];
    EXPECT_EQ(erased["tickets"], 2);
    EXPECT_EQ(erased["other_messages"], 1);
    EXPECT_EQ(erased["quarantined"], 1);
    EXPECT_GE(erased["outbox_files"].get<int>(), 1);
    EXPECT_EQ(erased["files"], 1);
    EXPECT_EQ(erased["compacted"], true);

    for (const std::string& q : {k_word, std::string("Sidorov"), std::string("Сидоров"), std::string("ivan.sidorov"),
                                 "\"" + k_phrase_ru + "\"", std::string("чайник"), k_courier})
        EXPECT_EQ(search_hits(q), 0) << q;
    EXPECT_EQ(search_hits(k_other_word), 1);

    for (const auto& needle : needles) {
        auto found = files_holding(needle);
        EXPECT_TRUE(found.empty()) << needle << " is still in " << (found.empty() ? "" : found.front());
    }
    // Another customer's words are still there: the grep finds what is there.
    EXPECT_FALSE(files_holding(k_other_word).empty());
    EXPECT_FALSE(files_holding(k_other_address).empty());
    EXPECT_EQ(fs::file_size(m_dir / "var" / "redress.db-wal"), 0u);

    // The tickets stay as anonymised records and still count.
    EXPECT_EQ(report_tickets(), before);
    auto ticket = m_store->ticket(m_ivan1).value().value();
    EXPECT_EQ(ticket.customer.email, "");
    EXPECT_EQ(ticket.subject, "");
    EXPECT_EQ(ticket.kind, m_store->ticket(m_ivan1).value()->kind);
    EXPECT_TRUE(m_store->ticket_erased_at(ticket.id).value().has_value());

    // Audited with the reason, without the words.
    auto audit = m_store->audit_of(ticket.id).value();
    ASSERT_FALSE(audit.empty());
    EXPECT_EQ(audit.back().action, "ticket.erased");
    EXPECT_EQ(audit.back().actor, "olga");
    auto customer_audit = m_store->customer_audit(id).value();
    ASSERT_FALSE(customer_audit.empty());
    EXPECT_EQ(customer_audit.back().action, "customer.erased");
    EXPECT_NE(customer_audit.back().detail.find("The customer asked by letter"), std::string::npos);
    EXPECT_EQ(customer_audit.back().detail.find(k_address), std::string::npos);
    EXPECT_EQ(customer_audit.back().detail.find("Sidorov"), std::string::npos);

    // A later message from the same address starts a new customer.
    std::string later = ingest(mail(k_name + " <" + k_address + ">", "i3@example.org", "Hello again", "New question."));
    ASSERT_FALSE(later.empty());
    EXPECT_NE(later, m_ivan1);
    EXPECT_NE(later, m_ivan2);
    auto again = m_store->customer_by_identity(IdentityKind::email, k_address).value();
    ASSERT_TRUE(again.has_value());
    EXPECT_NE(again->id, id);
    EXPECT_EQ(m_store->tickets_of_customer(again->id).value().size(), 1u);
}

TEST_F(CustomerData, TheEraseFindsTheirMessagesInAnotherCustomersTicketAndSparesTheOthers)
{
    auto id = make_history();
    // Ivan's English ticket gets a reply to him, then staff merge it into Olivia's ticket: his message
    // and our letter to him now sit on her ticket.
    const std::string reply_word = "Marmaladefox";
    Reply reply = call("POST", "/api/v1/tickets/" + m_ivan2 + "/reply", "anna",
                       json{{"text", "Dear Ivan, the " + reply_word + " courier is found."}});
    ASSERT_EQ(reply.status, 200) << reply.body;
    deliver();
    auto merged = service::merge_tickets(*m_store, *m_runtime, m_ivan2, m_olivia, true, Actor{"olga", Role::owner},
                                         m_clock.now());
    ASSERT_TRUE(merged.ok()) << merged.error().message;
    auto olivia = m_store->ticket(m_olivia).value().value();
    auto on_hers = m_store->messages_of(olivia.id).value();
    ASSERT_EQ(on_hers.size(), 2u);
    const std::vector<std::string> needles{k_courier, reply_word, "Late courier", k_address, "Sidorov"};
    for (const auto& needle : needles)
        EXPECT_FALSE(files_holding(needle).empty()) << needle;  // the grep can fail
    EXPECT_GT(search_hits(k_courier), 0);

    Reply r = call("POST", "/api/v1/customers/" + std::to_string(id) + "/erase", "olga", json{{"reason", "asked"}});
    ASSERT_EQ(r.status, 200) << r.body;
    json erased = json::parse(r.body)["erased"];
    EXPECT_EQ(erased["messages_elsewhere"], 1) << r.body;
    EXPECT_EQ(erased["letters_elsewhere"], 2) << r.body;  // the acknowledgement and the reply

    for (const std::string& q : {k_courier, reply_word, std::string("Sidorov"), std::string("ivan.sidorov")})
        EXPECT_EQ(search_hits(q), 0) << q;
    for (const auto& needle : needles) {
        auto found = files_holding(needle);
        EXPECT_TRUE(found.empty()) << needle << " is still in " << (found.empty() ? "" : found.front());
    }
    // Olivia's own message stays whole on her ticket, and is still found.
    EXPECT_EQ(search_hits(k_other_word), 1);
    EXPECT_FALSE(files_holding(k_other_word).empty());
    auto after = m_store->messages_of(olivia.id).value();
    ASSERT_EQ(after.size(), 2u);
    int hers = 0;
    for (const auto& m : after)
        if (m.from_address == k_other_address && m.text.find(k_other_word) != std::string::npos)
            ++hers;
    EXPECT_EQ(hers, 1);
    EXPECT_EQ(m_store->ticket(m_olivia).value()->customer.email, k_other_address);
    EXPECT_FALSE(m_store->ticket_erased_at(olivia.id).value().has_value());
}

TEST_F(CustomerData, TheEraseSparesAnotherCustomersRecordsMergedIntoTheirTicket)
{
    auto id = make_history();
    // Olivia writes again on her ticket with a file, then staff merge her ticket into Ivan's English
    // one: her messages, her file and our letters to her now sit on his ticket.
    const std::string her_file = "RECEIPT-OLIVIA-5512 toaster warranty";
    const std::string her_word = "Quillonmarsh";
    std::string again = ingest(mail("Olivia Brightwater <" + k_other_address + ">", "o2@other.test",
                                    "Re: [" + m_olivia + "] Burnt toast",
                                    "The receipt of the " + her_word + " toaster.", {}, her_file));
    ASSERT_EQ(again, m_olivia);
    Reply reply = call("POST", "/api/v1/tickets/" + m_olivia + "/reply", "anna",
                       json{{"text", "Dear Olivia, the " + her_word + " toaster is replaced."}});
    ASSERT_EQ(reply.status, 200) << reply.body;
    deliver();
    auto merged = service::merge_tickets(*m_store, *m_runtime, m_olivia, m_ivan2, true, Actor{"olga", Role::owner},
                                         m_clock.now());
    ASSERT_TRUE(merged.ok()) << merged.error().message;
    auto his = m_store->ticket(m_ivan2).value().value();
    auto hers_on_his = [&] {
        int n = 0;
        auto messages = m_store->messages_of(his.id).value();
        for (const auto& m : messages)
            if (m.from_address == k_other_address && !m.text.empty())
                ++n;
        return n;
    };
    auto letters_to_her = [&] {
        int n = 0;
        auto letters = m_store->letters_of(his.id).value();
        for (const auto& l : letters)
            if (l.recipient == k_other_address && !l.content.empty())
                ++n;
        return n;
    };
    ASSERT_EQ(hers_on_his(), 2);
    int her_letters = letters_to_her();
    ASSERT_GT(her_letters, 0);
    int her_hits = search_hits(k_other_word);
    ASSERT_GT(her_hits, 0);
    int her_word_hits = search_hits(her_word);
    ASSERT_EQ(her_word_hits, 2);  // her message and our reply to her
    ASSERT_FALSE(files_holding(her_file).empty());

    Reply r = call("POST", "/api/v1/customers/" + std::to_string(id) + "/erase", "olga", json{{"reason", "asked"}});
    ASSERT_EQ(r.status, 200) << r.body;

    // Olivia's records on Ivan's ticket stay whole, are still found, and her file stays.
    EXPECT_EQ(hers_on_his(), 2);
    EXPECT_EQ(letters_to_her(), her_letters);
    EXPECT_EQ(search_hits(k_other_word), her_hits);
    EXPECT_EQ(search_hits(her_word), her_word_hits);
    EXPECT_FALSE(files_holding(her_file).empty());
    EXPECT_FALSE(files_holding(her_word).empty());
    int her_attachments = 0;
    auto attachments = m_store->attachments_of(his.id).value();
    for (const auto& a : attachments)
        if (a.message_id)
            ++her_attachments;
    EXPECT_EQ(her_attachments, 1);
    EXPECT_EQ(m_store->ticket(m_olivia).value()->customer.email, k_other_address);

    // Ivan's words are nowhere.
    for (const std::string& q : {k_courier, std::string("Sidorov"), std::string("ivan.sidorov")})
        EXPECT_EQ(search_hits(q), 0) << q;
    for (const auto& needle :
         {k_courier, std::string("Late courier"), k_address, std::string("Sidorov"), k_word, k_name_ru, k_file_bytes}) {
        auto found = files_holding(needle);
        EXPECT_TRUE(found.empty()) << needle << " is still in " << (found.empty() ? "" : found.front());
    }
}

TEST_F(CustomerData, LettersAndAuditRowsWithoutATicketAreTheirsOnlyForAWholeAddress)
{
    auto id = make_history();
    // A longer address holds Ivan's inside it: it is someone else's.
    const std::string longer = "n" + k_address;
    const std::string his_word = "Tangerine-Moth";
    const std::string their_word = "Pomegranite-Owl";
    const std::string their_note = "Copperwillow";
    const std::string his_note = "Brassfinchley";
    {
        auto tx = m_store->begin().value();
        auto letter = [&](const std::string& to, const std::string& word) {
            Letter l;
            l.template_name = "delivery_failed";
            l.recipient = "olga@shop.test";
            l.subject = "Delivery to " + to + " failed: " + word;
            l.content = "Subject: " + l.subject + "\r\n\r\nThe letter to " + to + ". could not be delivered.\r\n";
            l.dedup_key = "failed:" + to;
            l.message_id = "failed-" + std::to_string(++m_seq) + "@shop.test";
            l.created_at = m_clock.now();
            l.next_attempt_at = m_clock.now() + std::chrono::hours(100);
            auto queued = tx->enqueue_letter(l);
            ASSERT_TRUE(queued.ok()) << queued.error().message;
        };
        letter(k_address, his_word);
        letter(longer, their_word);
        for (const auto& [to, note] : {std::pair{k_address, his_note}, std::pair{longer, their_note}})
            ASSERT_TRUE(tx->add_audit(AuditEvent{0, std::nullopt, m_clock.now(), "system", "letter.failed",
                                                 json{{"recipient", to}, {"note", note}}.dump()})
                            .ok());
        ASSERT_TRUE(tx->commit().ok());
    }
    for (const auto& word : {his_word, their_word, their_note, his_note})
        ASSERT_FALSE(files_holding(word).empty()) << word;  // the grep can fail

    Reply r = call("POST", "/api/v1/customers/" + std::to_string(id) + "/erase", "olga", json{{"reason", "asked"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body)["erased"]["other_letters"], 1) << r.body;

    // Ivan's letter and audit row lost their words; the longer address's stay whole.
    EXPECT_TRUE(files_holding(his_word).empty());
    EXPECT_TRUE(files_holding(his_note).empty());
    EXPECT_FALSE(files_holding(their_word).empty());
    EXPECT_FALSE(files_holding(their_note).empty());
    EXPECT_FALSE(files_holding(longer).empty());
}

TEST_F(CustomerData, TheEraseRemovesTheirChatMessagesWithoutATicket)
{
    // A chat customer: a complaint opens a ticket; later a spam message from the same chat user in
    // another conversation is recorded without a ticket.
    const std::string user = "tg:7310042";
    auto chat = [&](const std::string& key, const std::string& conversation, const std::string& text) {
        Message m;
        m.from = Mailbox{"Pavel Quartermain", user};
        m.message_id = conversation + ":" + key;
        m.content_type = "text/plain";
        m.text = text;
        m.chat = ChatOrigin{conversation, user, key, "", "", ""};
        pipeline::RawMessage raw;
        raw.channel = "chat";
        raw.source = "tg";
        raw.source_key = "tg:" + key;
        raw.bytes = "{}";
        raw.parsed = std::move(m);
        raw.received_at = m_clock.now();
        auto outcome = m_pipeline->ingest(raw, m_clock.now());
        EXPECT_TRUE(outcome.ok()) << (outcome.ok() ? "" : outcome.error().message);
        return outcome.ok() ? outcome->ticket_number : std::string("(failed)");
    };
    std::string number = chat("1", "tg:7310042", "My kettle Glimmerstone leaks water all over the table, please help.");
    ASSERT_FALSE(number.empty());
    const std::string spam_word = "Lanternquay";
    std::string none =
        chat("2", "tg:-100555",
             "Congratulations! You have won a prize " + spam_word + ", claim your prize: click here, the link below.");
    ASSERT_EQ(none, "");  // recorded without a ticket
    int ticketless = 0;
    auto from_them = m_store->messages_from({user}).value();
    for (const auto& m : from_them)
        if (m.ticket_id == 0 && m.text.find(spam_word) != std::string::npos)
            ++ticketless;
    ASSERT_EQ(ticketless, 1);
    ASSERT_FALSE(files_holding(spam_word).empty());  // the grep can fail
    ASSERT_EQ(search_hits(spam_word), 1);
    auto ticket = m_store->ticket(number).value().value();
    auto customer = m_store->ticket_customer(ticket.id).value();
    ASSERT_TRUE(customer.has_value());

    Reply r =
        call("POST", "/api/v1/customers/" + std::to_string(*customer) + "/erase", "olga", json{{"reason", "asked"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body)["erased"]["other_messages"], 1) << r.body;
    EXPECT_TRUE(m_store->messages_from({user}).value().empty());
    EXPECT_EQ(search_hits(spam_word), 0);
    auto found = files_holding(spam_word);
    EXPECT_TRUE(found.empty()) << spam_word << " is still in " << (found.empty() ? "" : found.front());
}

TEST_F(CustomerData, QuarantinedAndOutboxMailIsMatchedWithItsEncodedWordsAndBodiesDecoded)
{
    auto id = make_history();
    // A quarantined mail sent for Ivan by a form relay: his name and address only in an RFC 2047
    // encoded word of From and in a base64 body.
    pipeline::RawMessage relayed;
    relayed.channel = "email";
    relayed.source = "support";
    relayed.source_key = "q2";
    relayed.bytes = "From: =?UTF-8?B?" + base64(k_name_ru + " " + k_address) +
                    "?= <forms@relay.test>\r\nTo: support@shop.test\r\nSubject: =?UTF-8?B?" +
                    base64("Жалоба на чайник") +
                    "?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    "Content-Transfer-Encoding: base64\r\n\r\n" +
                    base64("Пишет " + k_address + ": " + k_phrase_ru) + "\r\n";
    ASSERT_TRUE(m_quarantine->keep(relayed, "too many recipients").ok());
    // A letter in the file outbox to the owner about a failed delivery to Ivan, its subject an encoded
    // word and its body base64.
    fs::path alert = m_dir / "var" / "outbox" / "20261126T100000Z-99999.eml";
    std::ofstream(alert, std::ios::binary)
        << "From: support@shop.test\r\nTo: olga@shop.test\r\nSubject: =?UTF-8?B?"
        << base64("Delivery to " + k_address + " failed")
        << "?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: "
           "base64\r\n\r\n"
        << base64("The letter to " + k_address + " came back.") << "\r\n";
    // A file in the quarantine that is not mail at all: matched by its bytes only, and counted.
    std::ofstream(m_dir / "var" / "quarantine" / "junk.eml", std::ios::binary) << std::string("\0\0\x01 binary", 10);
    // The literal grep misses both files; the decoded one finds them (the test can fail).
    auto literal = files_holding(k_address);
    EXPECT_EQ(std::count(literal.begin(), literal.end(), fs::relative(alert, m_dir).string()), 0);
    auto decoded = files_holding_decoded(k_address);
    EXPECT_EQ(std::count(decoded.begin(), decoded.end(), fs::relative(alert, m_dir).string()), 1);
    EXPECT_GT(decoded.size(), literal.size());

    Reply r = call("POST", "/api/v1/customers/" + std::to_string(id) + "/erase", "olga", json{{"reason", "asked"}});
    ASSERT_EQ(r.status, 200) << r.body;
    json erased = json::parse(r.body)["erased"];
    EXPECT_EQ(erased["quarantined"], 2) << r.body;
    EXPECT_EQ(erased["unread_files"], 1) << r.body;
    for (const std::string& needle : {k_address, k_phrase_ru, k_name_ru}) {
        auto found = files_holding_decoded(needle);
        EXPECT_TRUE(found.empty()) << needle << " is still in " << (found.empty() ? "" : found.front());
    }
    EXPECT_FALSE(fs::exists(alert));
    EXPECT_TRUE(fs::exists(m_dir / "var" / "quarantine" / "junk.eml"));  // not theirs: kept
}

TEST_F(CustomerData, TheCommandLineExportsAndErasesByAddress)
{
    make_history();
    fs::path archive = m_dir / "ivan.tar";
    std::string common =
        " --config " + quoted((m_dir / "redress.json").string()) + " --data-dir " + quoted((m_dir / "var").string());
    auto [status, out] = run(std::string(REDRESS_BINARY) + " customer export " + k_address + " --output " +
                             quoted(archive.string()) + common + " 2>&1");
    ASSERT_EQ(status, 0) << out;
    EXPECT_EQ(out, fs::absolute(archive).string() + "\n");
    auto [tar_status, listing] = run("tar -tf " + quoted(archive.string()));
    EXPECT_EQ(tar_status, 0);
    EXPECT_NE(listing.find("customer.json"), std::string::npos);
    EXPECT_EQ(fs::status(archive).permissions() & fs::perms::others_read, fs::perms::none);

    auto show = [&] {
        auto [code, text] = run(std::string(REDRESS_BINARY) + " tickets show " + m_ivan1 + " --json" + common);
        EXPECT_EQ(code, 0) << text;
        return json::parse(text, nullptr, false);
    };
    EXPECT_TRUE(show()["erased_at"].is_null());
    // A reply with a file: the command's JSON lists the letter's files as the API's ticket JSON does.
    Reply replied = call("POST", "/api/v1/tickets/" + m_ivan1 + "/reply", "anna",
                         json{{"text", "The label is attached."},
                              {"files", json::array({json{{"name", "label.pdf"},
                                                          {"type", "application/pdf"},
                                                          {"content_base64", "JVBERi0xLjcKbGFiZWwK"}}})}});
    ASSERT_EQ(replied.status, 200) << replied.body;
    json before = show();
    json api_view = json::parse(call("GET", "/api/v1/tickets/" + m_ivan1, "anna").body);
    json cli_files, api_files;
    for (const auto& l : before["letters"])
        if (!l["attachments"].empty())
            cli_files = l["attachments"];
    for (const auto& l : api_view["letters"])
        if (!l["attachments"].empty())
            api_files = l["attachments"];
    ASSERT_EQ(cli_files.size(), 1u) << before["letters"].dump();
    EXPECT_EQ(cli_files[0]["filename"], "label.pdf");
    EXPECT_EQ(cli_files, api_files);
    // The customer's own file is listed on their message too.
    EXPECT_EQ(before["messages"][0]["attachments"].size(), 1u) << before["messages"].dump();
    auto [refused, why] = run(std::string(REDRESS_BINARY) + " customer erase " + k_address +
                              " --reason 'asked by phone' --by anna" + common + " 2>&1");
    EXPECT_EQ(refused, 1) << why;
    auto [erased, said] = run(std::string(REDRESS_BINARY) + " customer erase " + k_address +
                              " --reason 'asked by phone' --by olga" + common + " 2>&1");
    EXPECT_EQ(erased, 0) << said;
    EXPECT_EQ(search_hits(k_word), 0);
    // The ticket says when its personal data was erased, as the API's ticket JSON does.
    json after = show();
    ASSERT_TRUE(after["erased_at"].is_string()) << after.dump();
    Reply api = call("GET", "/api/v1/tickets/" + m_ivan1, "anna");
    ASSERT_EQ(api.status, 200) << api.body;
    EXPECT_EQ(after["erased_at"], json::parse(api.body)["erased_at"]);
    fs::remove(archive);
    EXPECT_TRUE(files_holding(k_address).empty());
}

TEST_F(CustomerData, RetentionErasesOnlyTicketsClosedLongerAgoOncePerDayAcrossARestart)
{
    make_history();
    // Ivan's Russian ticket closed 40 days ago, his English one is still open; Olivia's closed 10 days ago.
    close_ticket(m_ivan1, k_start - std::chrono::days(40));
    close_ticket(m_olivia, k_start - std::chrono::days(10));
    auto ivan1 = m_store->ticket(m_ivan1).value().value();
    auto ivan2 = m_store->ticket(m_ivan2).value().value();
    auto olivia = m_store->ticket(m_olivia).value().value();

    app::Retention retention(
        *m_store, [this] { return m_runtime; }, m_clock);
    auto ran = retention.run_if_due();
    ASSERT_TRUE(ran.ok()) << ran.error().message;
    EXPECT_TRUE(ran->ran);
    EXPECT_FALSE(ran->more);
    ASSERT_TRUE(ran->run.has_value());
    EXPECT_EQ(ran->run->tickets, 1);
    EXPECT_TRUE(m_store->ticket_erased_at(ivan1.id).value().has_value());
    EXPECT_FALSE(m_store->ticket_erased_at(ivan2.id).value().has_value());
    EXPECT_FALSE(m_store->ticket_erased_at(olivia.id).value().has_value());
    EXPECT_EQ(search_hits("\"" + k_phrase_ru + "\""), 0);
    EXPECT_GT(search_hits(k_courier), 0);
    EXPECT_EQ(search_hits(k_other_word), 1);
    // Ivan has a live ticket: his record keeps its address, so his next mail joins him.
    EXPECT_TRUE(m_store->customer_by_identity(IdentityKind::email, k_address).value().has_value());
    EXPECT_TRUE(files_holding(k_phrase_ru).empty());

    // Once per day, also after a restart.
    EXPECT_FALSE(retention.run_if_due().value().ran);
    close();
    open();
    app::Retention restarted(
        *m_store, [this] { return m_runtime; }, m_clock);
    close_ticket(m_ivan2, k_start - std::chrono::days(35));
    EXPECT_FALSE(restarted.run_if_due().value().ran) << "the same day";
    EXPECT_FALSE(m_store->ticket_erased_at(ivan2.id).value().has_value());

    // The next day: Ivan's last ticket goes, and with it his record's name and address.
    m_clock.advance(std::chrono::hours(24));
    EXPECT_TRUE(restarted.run_if_due().value().ran);
    EXPECT_TRUE(m_store->ticket_erased_at(ivan2.id).value().has_value());
    EXPECT_FALSE(m_store->ticket_erased_at(olivia.id).value().has_value());
    EXPECT_FALSE(m_store->customer_by_identity(IdentityKind::email, k_address).value().has_value());
    EXPECT_TRUE(files_holding(k_address).empty());
    EXPECT_EQ(search_hits(k_other_word), 1);
    auto audit = m_store->audit_of(ivan1.id).value();
    EXPECT_EQ(audit.back().actor, "system");
    EXPECT_NE(audit.back().detail.find("retention"), std::string::npos);
}

TEST_F(CustomerData, RetentionSwitchedOffInTheMiddleOfARunEndsThatRunAtOnce)
{
    std::vector<std::int64_t> ids = old_closed_tickets(3, "Sagebrush");
    std::shared_ptr<const pipeline::Runtime> runtime = m_runtime;
    app::Retention retention(
        *m_store, [&] { return runtime; }, m_clock, 2);
    auto first = retention.run_if_due();
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_TRUE(first->more);
    EXPECT_EQ(first->batch.tickets, 2);

    // A reload switches retention off: the run's two tickets are compacted and logged at once.
    auto off = std::make_shared<pipeline::Runtime>(*m_runtime);
    off->config.retention.erase_closed_after_days = 0;
    runtime = off;
    auto ended = retention.run_if_due();
    ASSERT_TRUE(ended.ok()) << ended.error().message;
    EXPECT_FALSE(ended->ran);
    ASSERT_TRUE(ended->run.has_value()) << "the run cut short is ended";
    EXPECT_EQ(ended->run->tickets, 2);
    EXPECT_TRUE(ended->run->compacted);
    EXPECT_FALSE(retention.run_if_due().value().run.has_value()) << "and only once";
    EXPECT_FALSE(m_store->ticket_erased_at(ids[2]).value()) << "nothing more is erased while it is off";

    // Switched on again, the next run counts only its own tickets.
    runtime = m_runtime;
    auto again = retention.run_if_due();
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_FALSE(again->more);
    ASSERT_TRUE(again->run.has_value());
    EXPECT_EQ(again->run->tickets, 1);
    EXPECT_TRUE(m_store->ticket_erased_at(ids[2]).value());
}

TEST_F(CustomerData, RetentionErasesAFewTicketsPerCallAndMarksTheDayWhenNoneIsLeftAcrossARestart)
{
    // Five customers, each with one ticket closed 40 days ago (a minute apart, the first oldest).
    std::vector<std::int64_t> ids = old_closed_tickets(5, "Quillwort");
    auto erased = [&] {
        std::vector<bool> out;
        for (auto id : ids)
            out.push_back(m_store->ticket_erased_at(id).value().has_value());
        return out;
    };
    auto last_day = [&] { return m_store->state("retention.last_day").value().value_or(""); };

    ::testing::internal::CaptureStderr();
    {
        app::Retention retention(
            *m_store, [this] { return m_runtime; }, m_clock, 2);
        auto first = retention.run_if_due();
        ASSERT_TRUE(first.ok()) << first.error().message;
        EXPECT_TRUE(first->ran);
        EXPECT_TRUE(first->more);
        EXPECT_EQ(first->batch.tickets, 2);
        EXPECT_FALSE(first->batch.compacted) << "compacted once, at the end of the run";
        EXPECT_FALSE(first->run.has_value());
        EXPECT_EQ(erased(), (std::vector<bool>{true, true, false, false, false})) << "the oldest closed first";
        EXPECT_EQ(last_day(), "") << "the day is not done while tickets are due";

        m_clock.advance(std::chrono::seconds(1));
        auto second = retention.run_if_due();
        ASSERT_TRUE(second.ok()) << second.error().message;
        EXPECT_TRUE(second->more);
        EXPECT_EQ(second->batch.tickets, 2);
        EXPECT_EQ(erased(), (std::vector<bool>{true, true, true, true, false}));
        EXPECT_EQ(last_day(), "");
    }

    // A restart between batches: the same day's run carries on, and its totals count every batch.
    close();
    open();
    app::Retention restarted(
        *m_store, [this] { return m_runtime; }, m_clock, 2);
    auto third = restarted.run_if_due();
    ASSERT_TRUE(third.ok()) << third.error().message;
    EXPECT_TRUE(third->ran);
    EXPECT_FALSE(third->more);
    EXPECT_EQ(third->batch.tickets, 1);
    ASSERT_TRUE(third->run.has_value());
    EXPECT_EQ(third->run->tickets, 5);
    EXPECT_EQ(third->run->identities, 5) << "each customer's only ticket: their record goes too";
    EXPECT_TRUE(third->run->compacted);
    EXPECT_EQ(erased(), std::vector<bool>(5, true));
    EXPECT_EQ(last_day(), "2026-11-26");
    EXPECT_FALSE(restarted.run_if_due().value().ran) << "the day is done";
    std::string log = ::testing::internal::GetCapturedStderr();

    // One log line for the run, with the day's counts.
    std::vector<std::string> lines;
    for (std::size_t at = log.find("retention.erased"); at != std::string::npos;
         at = log.find("retention.erased", at + 1)) {
        auto start = log.rfind('\n', at);
        lines.push_back(log.substr(start == std::string::npos ? 0 : start + 1, log.find('\n', at) - start - 1));
    }
    ASSERT_EQ(lines.size(), 1u) << log;
    EXPECT_NE(lines[0].find("tickets=5"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("compacted=yes"), std::string::npos) << lines[0];
    for (int i = 0; i < 5; ++i)
        EXPECT_TRUE(files_holding("Quillwort" + std::to_string(i)).empty()) << i;

    // The next day's run finds nothing due: it ends at once, with nothing to log.
    m_clock.advance(std::chrono::hours(24));
    auto next = restarted.run_if_due();
    ASSERT_TRUE(next.ok()) << next.error().message;
    EXPECT_TRUE(next->ran);
    EXPECT_FALSE(next->more);
    ASSERT_TRUE(next->run.has_value());
    EXPECT_EQ(next->run->tickets, 0);
    EXPECT_EQ(last_day(), "2026-11-27");
}

}  // namespace
