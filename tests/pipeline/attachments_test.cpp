// Attachments through the real pipeline and ticket service (issue 18): the real MIME parser, a real
// SQLite file, the attachment store in a scratch data directory and a test clock. A mail's files are
// kept by SHA-256 and referenced from the message; the same file twice is one file; files over the
// caps are listed with the reason; an HTML mail's cid: picture is kept; a failed transaction leaves
// no reference, and the orphan goes at the sweep after the grace period; the complaint form's files
// and a staff reply's files are kept the same way, the reply's going out as a MIME part.

#include "../letters/mail_reader.hpp"
#include "attachments/file_store.hpp"
#include "connectors/file_outbox/file_outbox.hpp"
#include "connectors/quarantine_folder/quarantine_folder.hpp"
#include "mime/attachment_parts.hpp"
#include "pipeline/attachment_intake.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "service/ticket_service.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace redress;
using namespace redress::pipeline;
namespace fs = std::filesystem;

namespace {

const TimePoint k_now = parse_iso8601("2026-11-26T09:00:00Z").value();

// A 1x1 GIF (22 bytes) and a small PDF, in base64 as mail carries them.
const std::string k_gif_base64 = "R0lGODlhAQABAIAAAP///wAAACH5BA==";
const std::string k_pdf_base64 = "JVBERi0xLjcKJeLjz9MK";  // "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"

std::string mail_with(const std::string& message_id, const std::string& parts)
{
    return "From: Anna Petrova <anna@customer.test>\r\nTo: support@shop.test\r\n"
           "Subject: The kettle arrived broken\r\nMessage-ID: <" +
           message_id +
           ">\r\nDate: Thu, 26 Nov 2026 08:55:00 +0000\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
           "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           "I ordered a kettle and it arrived broken, the lid is cracked. I want a replacement.\r\n" +
           parts + "--b1--\r\n";
}

std::string file_part(const std::string& name, const std::string& type, const std::string& base64)
{
    return "--b1\r\nContent-Type: " + type + "; name=\"" + name +
           "\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"" + name +
           "\"\r\n\r\n" + base64 + "\r\n";
}

class AttachmentsTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("redress-attachments-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir / "var");
        open(R"({"company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>"},
                 "owner": {"name": "Olga", "email": "olga@shop.test"}})");
    }
    void TearDown() override
    {
        m_service.reset();
        m_pipeline.reset();
        m_store.reset();
        m_quarantine.reset();
        fs::remove_all(m_dir);
    }

    void open(const std::string& config_json)
    {
        std::ofstream(m_dir / "redress.json") << config_json;
        auto load = load_runtime(m_dir / "redress.json", REDRESS_SOURCE_DIR, m_dir / "var");
        std::string problems;
        for (auto& p : load.problems)
            problems += p + "\n";
        ASSERT_TRUE(load.runtime) << problems;
        m_runtime = load.runtime;
        store::SqliteOptions options;
        options.busy_timeout = std::chrono::milliseconds(20);  // the crash test holds the write lock
        auto store = store::SqliteStore::open(m_dir / "var" / "redress.db", store::OpenMode::create, options);
        ASSERT_TRUE(store.ok()) << store.error().message;
        m_store = std::move(store).value();
        m_quarantine = std::make_unique<connectors::QuarantineFolder>(m_dir / "var" / "quarantine");
        m_pipeline = std::make_unique<Pipeline>(*m_store, *m_quarantine, m_runtime);
        m_service = std::make_unique<service::TicketService>(*m_store, *m_pipeline, m_clock);
    }

    Result<IngestOutcome> ingest(const std::string& bytes, const std::string& key)
    {
        RawMessage raw;
        raw.channel = "email";
        raw.source = "support";
        raw.source_key = key;
        raw.bytes = bytes;
        raw.received_at = m_clock.now();
        return m_pipeline->ingest(raw, m_clock.now());
    }

    std::vector<store::AttachmentRecord> attachments_of(const std::string& number)
    {
        auto ticket = m_store->ticket(number).value();
        EXPECT_TRUE(ticket.has_value()) << number;
        return ticket ? m_store->attachments_of(ticket->id).value() : std::vector<store::AttachmentRecord>{};
    }

    std::size_t files_kept() const
    {
        std::size_t n = 0;
        if (fs::exists(m_dir / "var" / "attachments"))
            for (const auto& e : fs::recursive_directory_iterator(m_dir / "var" / "attachments"))
                n += e.is_regular_file() ? 1 : 0;
        return n;
    }

    attachments::FileStore file_store() const { return attachments::FileStore(m_dir / "var" / "attachments"); }

    fs::path m_dir;
    ManualTimeSource m_clock{k_now};
    std::shared_ptr<const Runtime> m_runtime;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<connectors::QuarantineFolder> m_quarantine;
    std::unique_ptr<Pipeline> m_pipeline;
    std::unique_ptr<service::TicketService> m_service;
};

TEST_F(AttachmentsTest, AMailsFilesAreKeptByDigestAndReferencedFromTheMessage)
{
    auto outcome = ingest(mail_with("a1@customer.test", file_part("kettle.gif", "image/gif", k_gif_base64) +
                                                            file_part("receipt.pdf", "application/pdf", k_pdf_base64)),
                          "k1");
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    ASSERT_EQ(outcome->action, IngestOutcome::Action::created);
    auto rows = attachments_of(outcome->ticket_number);
    ASSERT_EQ(rows.size(), 2u);
    auto messages = m_store->messages_of(*rows[0].ticket_id).value();
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(rows[0].message_id, messages[0].id);
    EXPECT_EQ(rows[0].name, "kettle.gif");
    EXPECT_EQ(rows[0].declared_type, "image/gif");
    EXPECT_EQ(rows[0].sniffed_type, "image/gif");
    EXPECT_EQ(rows[0].size, 22);
    EXPECT_TRUE(rows[0].refused.empty());
    EXPECT_EQ(rows[1].name, "receipt.pdf");
    EXPECT_EQ(rows[1].sniffed_type, "application/pdf");
    // The bytes on disk are the decoded file, under its digest.
    auto bytes = file_store().read(rows[0].sha256);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    EXPECT_EQ(bytes->substr(0, 6), "GIF89a");
    EXPECT_EQ(attachments::sha256_hex(*bytes), rows[0].sha256);
    EXPECT_EQ(files_kept(), 2u);
}

TEST_F(AttachmentsTest, TheSameFileSentTwiceIsKeptOnce)
{
    auto first = ingest(mail_with("a1@customer.test", file_part("kettle.gif", "image/gif", k_gif_base64)), "k1");
    auto second = ingest(mail_with("a2@customer.test", file_part("again.gif", "image/gif", k_gif_base64) +
                                                           file_part("copy.gif", "image/gif", k_gif_base64)),
                         "k2");
    ASSERT_TRUE(first.ok() && second.ok());
    auto a = attachments_of(first->ticket_number);
    auto b = attachments_of(second->ticket_number);
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(b.size(), 2u);
    EXPECT_EQ(a[0].sha256, b[0].sha256);
    EXPECT_EQ(b[0].sha256, b[1].sha256);
    EXPECT_EQ(files_kept(), 1u);
}

TEST_F(AttachmentsTest, AFileOverThePerFileCapIsListedWithTheReasonAndNotKept)
{
    open(R"({"company": {"name": "Shop", "support_address": "support@shop.test"},
             "attachments": {"max_file_size": 20}})");
    auto outcome = ingest(mail_with("a1@customer.test", file_part("kettle.gif", "image/gif", k_gif_base64) +
                                                            file_part("receipt.pdf", "application/pdf", k_pdf_base64)),
                          "k1");
    ASSERT_TRUE(outcome.ok());
    auto rows = attachments_of(outcome->ticket_number);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_TRUE(rows[0].sha256.empty());  // 22 bytes: over 20
    EXPECT_NE(rows[0].refused.find("max_file_size"), std::string::npos) << rows[0].refused;
    EXPECT_EQ(rows[0].size, 22);
    EXPECT_FALSE(rows[1].sha256.empty());  // 15 bytes: kept
    EXPECT_EQ(files_kept(), 1u);
    // Served to nobody: there is nothing to serve.
    auto served = m_service->attachment(outcome->ticket_number, rows[0].id);
    ASSERT_FALSE(served.ok());
    EXPECT_TRUE(served.error().is(ErrorKind::not_found));
}

TEST_F(AttachmentsTest, FilesOverThePerMessageCapAreListedWithTheReason)
{
    open(R"({"company": {"name": "Shop", "support_address": "support@shop.test"},
             "attachments": {"max_file_size": 100, "max_message_size": 30}})");
    auto outcome = ingest(mail_with("a1@customer.test", file_part("kettle.gif", "image/gif", k_gif_base64) +
                                                            file_part("receipt.pdf", "application/pdf", k_pdf_base64)),
                          "k1");
    ASSERT_TRUE(outcome.ok());
    auto rows = attachments_of(outcome->ticket_number);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_FALSE(rows[0].sha256.empty());  // 22 of 30
    EXPECT_TRUE(rows[1].sha256.empty());   // 22 + 15 > 30
    EXPECT_NE(rows[1].refused.find("max_message_size"), std::string::npos) << rows[1].refused;
    EXPECT_EQ(files_kept(), 1u);
}

TEST_F(AttachmentsTest, AnHtmlMailsInlinePictureIsKeptWithItsContentId)
{
    std::string mail =
        "From: Anna <anna@customer.test>\r\nTo: support@shop.test\r\nSubject: Broken lid\r\n"
        "Message-ID: <h1@customer.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; "
        "boundary=\"rel\"\r\n\r\n"
        "--rel\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        "<p>My kettle arrived broken, the lid is cracked, here it is:</p><img src=\"cid:lid@customer.test\">\r\n"
        "--rel\r\nContent-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <lid@customer.test>\r\n"
        "Content-Disposition: inline\r\n\r\n" +
        k_gif_base64 + "\r\n--rel--\r\n";
    auto outcome = ingest(mail, "k1");
    ASSERT_TRUE(outcome.ok());
    auto rows = attachments_of(outcome->ticket_number);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_TRUE(rows[0].inline_part);
    EXPECT_EQ(rows[0].content_id, "lid@customer.test");
    EXPECT_EQ(rows[0].sniffed_type, "image/gif");
    EXPECT_FALSE(rows[0].sha256.empty());
    auto served = m_service->attachment(outcome->ticket_number, rows[0].id);
    ASSERT_TRUE(served.ok()) << served.error().message;
    EXPECT_EQ(served->bytes.substr(0, 6), "GIF89a");
}

TEST_F(AttachmentsTest, AFailedTransactionLeavesNoReferenceAndTheSweepTakesTheFileAfterTheGracePeriod)
{
    // The secret for the customer's links and the schema exist before the database is locked.
    ASSERT_TRUE(ingest(mail_with("a0@customer.test", ""), "k0").ok());
    // Another process holds the write lock: the message's transaction cannot begin, after its file
    // was written (as a crash between the file and the commit would leave it).
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open((m_dir / "var" / "redress.db").c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    auto failed = ingest(mail_with("a1@customer.test", file_part("kettle.gif", "image/gif", k_gif_base64)), "k1");
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    ASSERT_FALSE(failed.ok());
    EXPECT_TRUE(failed.error().is(ErrorKind::transient)) << failed.error().message;

    EXPECT_EQ(files_kept(), 1u);                                 // the file was written first
    EXPECT_TRUE(m_store->attachment_digests().value().empty());  // and nothing refers to it

    // A sweep within the grace period leaves it: it could belong to a transaction still in flight.
    auto early = sweep_attachments(*m_store, m_runtime->config, k_now + Seconds{3600});
    ASSERT_TRUE(early.ok());
    EXPECT_EQ(early->removed, 0);
    EXPECT_EQ(files_kept(), 1u);
    auto late =
        sweep_attachments(*m_store, m_runtime->config, k_now + m_runtime->config.attachments.sweep_grace + Seconds{1});
    ASSERT_TRUE(late.ok());
    EXPECT_EQ(late->removed, 1);
    EXPECT_EQ(files_kept(), 0u);

    // The mail comes again (its source kept it): the file is written again and referenced.
    auto again = ingest(mail_with("a1@customer.test", file_part("kettle.gif", "image/gif", k_gif_base64)), "k1");
    ASSERT_TRUE(again.ok());
    auto rows = attachments_of(again->ticket_number);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_TRUE(file_store().read(rows[0].sha256).ok());
    auto later = sweep_attachments(*m_store, m_runtime->config, k_now + Seconds{30 * 24 * 3600});
    ASSERT_TRUE(later.ok());
    EXPECT_EQ(later->removed, 0);
    EXPECT_EQ(files_kept(), 1u);
}

TEST_F(AttachmentsTest, TheComplaintFormsFilesAreKept)
{
    service::WebComplaint complaint;
    complaint.name = "Anna Petrova";
    complaint.email = "anna@customer.test";
    complaint.details = "The kettle I ordered arrived broken and the lid is cracked. Please replace it.";
    complaint.files.push_back(letters::FileAttachment{"lid.gif", "image/gif", "GIF89a-the-lid"});
    complaint.key = "form:1";
    auto filing = m_service->file_complaint(complaint);
    ASSERT_TRUE(filing.ok()) << filing.error().message;
    auto rows = attachments_of(filing->outcome.ticket_number);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].name, "lid.gif");
    EXPECT_EQ(file_store().read(rows[0].sha256).value(), "GIF89a-the-lid");
}

TEST_F(AttachmentsTest, AReplyWithAFileGoesOutAsAMimePartAndIsKept)
{
    auto outcome = ingest(mail_with("a1@customer.test", ""), "k1");
    ASSERT_TRUE(outcome.ok());
    service::StepCommand reply;
    reply.step.kind = tickets::StepKind::reply;
    reply.step.actor = Actor{"olga", Role::owner};
    reply.step.text = "Here is the returns label; print it and put it on the box.";
    reply.files.push_back(letters::FileAttachment{"returns label.pdf", "application/pdf", "%PDF-1.7\nlabel\n"});
    auto result = m_service->apply(outcome->ticket_number, reply);
    ASSERT_TRUE(result.ok()) << result.error().message;
    ASSERT_TRUE(result->letter_id.has_value());

    auto rows = attachments_of(outcome->ticket_number);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].letter_id, result->letter_id);
    EXPECT_FALSE(rows[0].message_id.has_value());
    EXPECT_EQ(rows[0].sniffed_type, "application/pdf");
    EXPECT_EQ(file_store().read(rows[0].sha256).value(), "%PDF-1.7\nlabel\n");

    // The letter as the file outbox writes it: the text, then the file as a MIME part.
    auto letter = m_store->letter(*result->letter_id).value();
    ASSERT_TRUE(letter.has_value());
    connectors::FileOutbox outbox(m_dir / "var" / "outbox");
    auto sent = outbox.send(*letter);
    std::ifstream in(outbox.path_for(*letter), std::ios::binary);
    std::string eml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(eml.empty());
    EXPECT_NE(eml.find("multipart/mixed"), std::string::npos);
    auto parts = mime::attachment_parts(eml);
    ASSERT_TRUE(parts.ok()) << parts.error().message;
    ASSERT_EQ(parts->size(), 1u);
    EXPECT_EQ((*parts)[0].filename, "returns label.pdf");
    EXPECT_EQ((*parts)[0].bytes, "%PDF-1.7\nlabel\n");
    EXPECT_NE(letters::testing::decoded_body(letters::testing::read_message(eml)).find("returns label"),
              std::string::npos);
}

TEST_F(AttachmentsTest, AReplysFileOverTheCapRefusesTheStepAndChangesNothing)
{
    open(R"({"company": {"name": "Shop", "support_address": "support@shop.test"},
             "attachments": {"max_file_size": 10}})");
    auto outcome = ingest(mail_with("a1@customer.test", ""), "k1");
    ASSERT_TRUE(outcome.ok());
    auto before = m_store->ticket(outcome->ticket_number).value()->version;
    service::StepCommand reply;
    reply.step.kind = tickets::StepKind::reply;
    reply.step.actor = Actor{"olga", Role::owner};
    reply.step.text = "Here is the label.";
    reply.files.push_back(letters::FileAttachment{"label.pdf", "application/pdf", "%PDF-1.7\nlabel\n"});
    auto result = m_service->apply(outcome->ticket_number, reply);
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(result.error().is(ErrorKind::invalid));
    EXPECT_NE(result.error().message.find("label.pdf"), std::string::npos);
    EXPECT_EQ(m_store->ticket(outcome->ticket_number).value()->version, before);
    EXPECT_TRUE(attachments_of(outcome->ticket_number).empty());
}

TEST_F(AttachmentsTest, AChatsFilesAreListedAsNotFetched)
{
    RawMessage raw;
    raw.channel = "chat";
    raw.source = "tg";
    raw.source_key = "tg:1";
    Message m;
    m.from = Mailbox{"Anna", ""};
    m.text = "My kettle arrived broken, the lid is cracked. Photo attached.";
    m.chat = ChatOrigin{"tg:123456", "tg:98765", "42", "en", "", ""};
    m.attachments.push_back(Attachment{"photo.jpg", "image/jpeg", 5000, "AgAD-file-id"});
    raw.parsed = m;
    raw.bytes = "{}";
    raw.received_at = m_clock.now();
    auto outcome = m_pipeline->ingest(raw, m_clock.now());
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    auto rows = attachments_of(outcome->ticket_number);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_TRUE(rows[0].sha256.empty());
    EXPECT_EQ(rows[0].name, "photo.jpg");
    EXPECT_NE(rows[0].refused.find("not fetched"), std::string::npos);
    EXPECT_EQ(files_kept(), 0u);
}

}  // namespace
