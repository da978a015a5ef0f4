// Attachments served to staff over real HTTP on loopback: the daemon's API routes
// (app/api_routes.cpp) on an in-process server, over the real pipeline, ticket service, people service
// and SQLite file, with a test clock. Only a signed-in person gets a file; it is always a download with
// a safe name, typed by its bytes, with nosniff; an HTML file is never served as a page; a picture may
// be shown inline when asked; the ticket's JSON lists the files; a reply takes files as base64.

#include "../letters/mail_reader.hpp"
#include "app/api_routes.hpp"
#include "connectors/quarantine_folder/quarantine_folder.hpp"
#include "http/http_server.hpp"
#include "in_process_server.hpp"
#include "mime/attachment_parts.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/runtime.hpp"
#include "service/people.hpp"
#include "service/ticket_service.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace redress;
using redress::testing::Reply;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string k_gif_base64 = "R0lGODlhAQABAIAAAP///wAAACH5BA==";
// "<html><body><script>alert(1)</script></body></html>"
const std::string k_html_base64 = "PGh0bWw+PGJvZHk+PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0PjwvYm9keT48L2h0bWw+";

std::string part(const std::string& name, const std::string& type, const std::string& base64)
{
    return "--b1\r\nContent-Type: " + type +
           "\r\nContent-Transfer-Encoding: base64\r\n"
           "Content-Disposition: attachment; filename*=UTF-8''" +
           name + "\r\n\r\n" + base64 + "\r\n";
}

std::string mail(const std::string& id, const std::string& parts)
{
    return "From: Anna Petrova <anna@customer.test>\r\nTo: support@shop.test\r\nSubject: Broken kettle\r\n"
           "Message-ID: <" +
           id +
           ">\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
           "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           "My kettle arrived broken and the lid is cracked. I want a replacement, photos attached.\r\n" +
           parts + "--b1--\r\n";
}

// The header block of a GET as it crosses the wire: cpp-httplib's client decodes percent escapes in
// header values, and filename* must be checked as the server wrote it.
std::string raw_head(int port, const std::string& path, const std::string& token)
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        if (fd >= 0)
            ::close(fd);
        return {};
    }
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
                          "\r\nConnection: close\r\n\r\n";
    (void)::write(fd, request.data(), request.size());
    std::string answer;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;)
        answer.append(buffer, static_cast<std::size_t>(n));
    ::close(fd);
    return answer.substr(0, answer.find("\r\n\r\n"));
}

class AttachmentsApi : public redress::testing::InProcessServer {
protected:
    void SetUp() override
    {
        open(R"({
          "company": {"name": "Kettle Shop", "support_address": "Support <support@shop.test>"},
          "owner": {"name": "Olga", "email": "olga@shop.test"},
          "http": {"listen": "127.0.0.1:0"}})");
        if (HasFatalFailure())
            return;
        m_people = std::make_unique<service::PeopleService>(*m_store, m_clock, auth::ScryptCost{1024, 8, 1});
        ASSERT_TRUE(m_people->add_user("anna.agent", Role::agent, "a long enough password").ok());
        m_token = m_people->create_token("anna.agent", "test").value().secret;

        api::ApiContext context;
        context.tickets = m_service.get();
        context.people = m_people.get();
        context.store = m_store.get();
        context.pipeline = m_pipeline.get();
        context.time = &m_clock;
        app::add_api_routes(m_server.router(), context);
        start_server();

        auto outcome = ingest_mail(
            mail("a1@customer.test", part("kettle.gif", "image/gif", k_gif_base64) +
                                         part("invoice.html", "text/html", k_html_base64) +
                                         part("fake.gif", "image/gif", k_html_base64) +
                                         part("%D1%87%D0%B5%D0%BA.pdf", "application/pdf", "JVBERi0xLjcK")));
        m_number = outcome;
        auto rows = m_store->attachments_of(m_store->ticket(m_number).value()->id).value();
        ASSERT_EQ(rows.size(), 4u);
        for (const auto& r : rows)
            m_ids[r.name] = r.id;
    }

    void TearDown() override
    {
        m_server.stop();
        m_people.reset();
        InProcessServer::TearDown();
    }

    Reply get(const std::string& path, bool signed_in = true)
    {
        httplib::Client client("127.0.0.1", m_server.port());
        httplib::Headers headers;
        if (signed_in)
            headers.emplace("Authorization", "Bearer " + m_token);
        return Reply::of(client.Get(path, headers));
    }

    Reply post_json(const std::string& path, const json& body)
    {
        httplib::Client client("127.0.0.1", m_server.port());
        httplib::Headers headers{{"Authorization", "Bearer " + m_token}};
        return Reply::of(client.Post(path, headers, body.dump(), "application/json"));
    }

    std::string file_path(const std::string& name, const std::string& query = {})
    {
        return "/api/v1/tickets/" + m_number + "/attachments/" + std::to_string(m_ids.at(name)) + query;
    }

    std::unique_ptr<service::PeopleService> m_people;
    std::string m_token;
    std::string m_number;
    std::map<std::string, std::int64_t> m_ids;
};

TEST_F(AttachmentsApi, NobodySignedOutGetsAFile)
{
    Reply anonymous = get(file_path("kettle.gif"), false);
    EXPECT_EQ(anonymous.status, 401) << anonymous.body;
    EXPECT_NE(anonymous.header("WWW-Authenticate").find("Bearer"), std::string::npos);
    EXPECT_EQ(anonymous.body.find("GIF89a"), std::string::npos);

    httplib::Client client("127.0.0.1", m_server.port());
    auto forged = client.Get(file_path("kettle.gif"), httplib::Headers{{"Authorization", "Bearer not-a-token"}});
    ASSERT_TRUE(forged);
    EXPECT_EQ(forged->status, 401);
    // A session cookie that is not one: refused the same way.
    auto cookie = client.Get(file_path("kettle.gif"), httplib::Headers{{"Cookie", "redress_session=forged"}});
    ASSERT_TRUE(cookie);
    EXPECT_EQ(cookie->status, 401);
}

TEST_F(AttachmentsApi, AFileIsADownloadWithASafeNameItsTypeFromItsBytesAndNosniff)
{
    Reply pdf = get(file_path("чек.pdf"));
    ASSERT_EQ(pdf.status, 200) << pdf.body;
    EXPECT_EQ(pdf.body, "%PDF-1.7\n");
    EXPECT_EQ(pdf.header("Content-Type"), "application/pdf");
    std::string head = raw_head(m_server.port(), file_path("чек.pdf"), m_token);
    EXPECT_NE(head.find("\r\nContent-Disposition: attachment; filename=\"___.pdf\"; "
                        "filename*=UTF-8''%D1%87%D0%B5%D0%BA.pdf\r\n"),
              std::string::npos)
        << head;
    EXPECT_EQ(pdf.header("X-Content-Type-Options"), "nosniff");
    EXPECT_NE(pdf.header("Cache-Control").find("no-store"), std::string::npos);
}

TEST_F(AttachmentsApi, AnHtmlFileIsNeverServedAsAPage)
{
    for (std::string query : {"", "?inline=1"}) {
        Reply html = get(file_path("invoice.html", query));
        ASSERT_EQ(html.status, 200) << html.body;
        EXPECT_EQ(html.header("Content-Type"), "application/octet-stream") << query;
        EXPECT_TRUE(html.header("Content-Disposition").starts_with("attachment;")) << query;
        EXPECT_EQ(html.header("X-Content-Type-Options"), "nosniff");
        // Beside the server's own policy, one of the answer's: browsers enforce both.
        bool sandboxed = false;
        auto policies = html.headers.equal_range("Content-Security-Policy");
        for (auto it = policies.first; it != policies.second; ++it)
            sandboxed = sandboxed || it->second.find("sandbox") != std::string::npos;
        EXPECT_TRUE(sandboxed) << query;
        EXPECT_NE(html.body.find("<script>"), std::string::npos);  // the bytes as they came, as a download
    }
    // Named and declared a picture, but markup inside: the bytes decide.
    Reply fake = get(file_path("fake.gif", "?inline=1"));
    ASSERT_EQ(fake.status, 200);
    EXPECT_EQ(fake.header("Content-Type"), "application/octet-stream");
    EXPECT_TRUE(fake.header("Content-Disposition").starts_with("attachment;"));
}

TEST_F(AttachmentsApi, APictureIsShownInlineOnlyWhenAsked)
{
    Reply download = get(file_path("kettle.gif"));
    ASSERT_EQ(download.status, 200);
    EXPECT_EQ(download.header("Content-Type"), "image/gif");
    EXPECT_TRUE(download.header("Content-Disposition").starts_with("attachment;"));
    Reply shown = get(file_path("kettle.gif", "?inline=1"));
    ASSERT_EQ(shown.status, 200);
    EXPECT_EQ(shown.header("Content-Type"), "image/gif");
    EXPECT_EQ(shown.header("Content-Disposition"), "inline; filename=\"kettle.gif\"; filename*=UTF-8''kettle.gif");
    EXPECT_EQ(shown.body.substr(0, 6), "GIF89a");
}

TEST_F(AttachmentsApi, AnotherTicketsAttachmentOrANumberThatIsNoneIsNotFound)
{
    std::string other = ingest_mail(mail("a2@customer.test", ""));
    ASSERT_FALSE(other.empty());
    Reply wrong = get("/api/v1/tickets/" + other + "/attachments/" + std::to_string(m_ids.at("kettle.gif")));
    EXPECT_EQ(wrong.status, 404) << wrong.body;
    EXPECT_EQ(get("/api/v1/tickets/" + m_number + "/attachments/99999").status, 404);
    EXPECT_EQ(get("/api/v1/tickets/" + m_number + "/attachments/x1").status, 404);
}

TEST_F(AttachmentsApi, TheTicketListsItsFilesWithIdSizeTypeAndWhereToFetchThem)
{
    Reply ticket = get("/api/v1/tickets/" + m_number);
    ASSERT_EQ(ticket.status, 200) << ticket.body;
    json view = json::parse(ticket.body);
    const json& files = view["messages"][0]["attachments"];
    ASSERT_EQ(files.size(), 4u);
    EXPECT_EQ(files[0]["filename"], "kettle.gif");
    EXPECT_EQ(files[0]["content_type"], "image/gif");
    EXPECT_EQ(files[0]["size"], 22);
    EXPECT_EQ(files[0]["stored"], true);
    EXPECT_EQ(files[0]["image"], true);
    EXPECT_TRUE(files[0]["refused"].is_null());
    EXPECT_EQ(files[0]["url"], file_path("kettle.gif"));
    EXPECT_EQ(files[1]["content_type"], "text/html");
    EXPECT_EQ(files[1]["image"], false);
    EXPECT_EQ(files[2]["declared_type"], "image/gif");
    EXPECT_EQ(files[2]["image"], false);
}

TEST_F(AttachmentsApi, AReplyTakesFilesAsBase64AndSendsThemAsMimeParts)
{
    json body{{"text", "Here is the returns label."},
              {"files",
               json::array({json{
                   {"name", "label.pdf"}, {"type", "application/pdf"}, {"content_base64", "JVBERi0xLjcKbGFiZWwK"}}})}};
    Reply step = post_json("/api/v1/tickets/" + m_number + "/reply", body);
    ASSERT_EQ(step.status, 200) << step.body;
    json view = json::parse(get("/api/v1/tickets/" + m_number).body);
    json letter;
    for (const auto& l : view["letters"])
        if (!l["attachments"].empty())
            letter = l;
    ASSERT_FALSE(letter.is_null()) << view["letters"].dump();
    EXPECT_EQ(letter["attachments"][0]["filename"], "label.pdf");
    Reply file = get(letter["attachments"][0]["url"].get<std::string>());
    EXPECT_EQ(file.body, "%PDF-1.7\nlabel\n");
    auto stored = m_store->letter(letter["id"].get<std::int64_t>()).value();
    ASSERT_TRUE(stored.has_value());
    auto parts = mime::attachment_parts(stored->content).value();
    ASSERT_EQ(parts.size(), 1u);
    EXPECT_EQ(parts[0].bytes, "%PDF-1.7\nlabel\n");

    Reply bad = post_json("/api/v1/tickets/" + m_number + "/reply",
                          json{{"text", "x"}, {"files", json::array({json{{"name", "a"}, {"content_base64", "!!"}}})}});
    EXPECT_EQ(bad.status, 422) << bad.body;
}

}  // namespace
