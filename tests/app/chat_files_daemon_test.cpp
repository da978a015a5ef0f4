// A chat customer's files kept in the attachment store, against `redress serve` and the stand-in
// Bot API / Slack / webhook receiver on loopback (tests/connectors/chat_service.*): a Telegram photo
// fetched with getFile and its download, stored once and served to staff by
// GET /api/v1/tickets/{n}/attachments/{id}; a document announced over attachments.max_file_size not
// downloaded, and one larger than announced cut off, both listed with the reason; a file id Telegram
// does not know listed as a failed download while the message is stored; a Slack file fetched from
// url_private with the bot token; a webhook's file sent as content_base64 in the signed body.

#include "auth/secrets.hpp"
#include "chat_fixtures.hpp"
#include "chat_service.hpp"
#include "daemon_fixtures.hpp"
#include "daemon_process.hpp"
#include "letters/body_encoding.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

namespace redress::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using nlohmann::json;

const std::string k_owner_password = "olga's long password";
constexpr std::size_t k_cap = 4096;  // attachments.max_file_size in this test's config

// A small PNG: its signature and header chunk, then zeros.
std::string png_bytes()
{
    std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xff", 32);
    png += std::string(60, '\0');
    return png;
}

std::string base64(std::string_view bytes)
{
    std::string out;
    letters::append_base64(bytes, out);
    return out;
}

class ChatFiles : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_service.start());
        m_data = m_scratch / "data";
        m_config = m_scratch / "redress.json";
        std::string base = m_service.base_url();
        write_file(m_config,
                   three_chats_config(base, json::object({{"attachments", json::object({{"max_file_size", k_cap}})}})));
        m_token = owner_with_token(m_data, m_config, "olga", k_owner_password);
        ASSERT_FALSE(m_token.empty());
        m_daemon = std::make_unique<DaemonProcess>(m_scratch / "daemon.log");
        ASSERT_TRUE(m_daemon->serve(m_data, m_config)) << m_daemon->log();
        m_port = listening_port(*m_daemon);
        ASSERT_GT(m_port, 0) << m_daemon->log();
    }

    void TearDown() override
    {
        if (m_daemon) {
            EXPECT_EQ(m_daemon->terminate(), 0) << m_daemon->log();
        }
    }

    Reply post(const std::string& path, const std::string& body, const httplib::Headers& headers)
    {
        return testing::post(m_port, path, body, headers);
    }

    Reply get(const std::string& path) { return call(m_port, "GET", path, m_token); }

    Reply telegram(const json& message, long long update_id)
    {
        json update{{"update_id", update_id}, {"message", message}};
        return post("/hooks/tg", update.dump(), {{"X-Telegram-Bot-Api-Secret-Token", k_tg_secret}});
    }

    static json telegram_message(int id, const std::string& caption)
    {
        return json{{"message_id", id},
                    {"from", {{"id", 98765}, {"is_bot", false}, {"first_name", "Anna"}, {"language_code", "en"}}},
                    {"chat", {{"id", 123456}, {"first_name", "Anna"}, {"type", "private"}}},
                    {"date", now_seconds()},
                    {"caption", caption}};
    }

    // The ticket's files as the API lists them: each message's attachments, in order.
    json files_of(const std::string& number)
    {
        Reply shown = get("/api/v1/tickets/" + number);
        EXPECT_EQ(shown.status, 200) << shown;
        json files = json::array();
        json view = shown.body_json();
        for (const auto& m : view["messages"])
            for (const auto& f : m["attachments"])
                files.push_back(f);
        if (files.empty())
            ADD_FAILURE() << shown.body << "\n" << m_daemon->log();
        return files;
    }

    std::size_t stored_files()
    {
        std::size_t n = 0;
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(m_data / "attachments", ec);
             !ec && it != fs::recursive_directory_iterator(); ++it)
            if (it->is_regular_file())
                ++n;
        return n;
    }

    ChatService m_service;
    ScratchDir m_scratch;
    fs::path m_data;
    fs::path m_config;
    std::string m_token;
    std::unique_ptr<DaemonProcess> m_daemon;
    int m_port = 0;
};

}  // namespace

TEST_F(ChatFiles, ATelegramPhotoIsFetchedKeptAndServedToStaff)
{
    const std::string photo = png_bytes();
    m_service.add_telegram_file("photo-large", "photos/file_7.png", photo);
    json message = telegram_message(43, "The kettle arrived with a cracked lid, see the photo.");
    message["photo"] = json::array({json{{"file_id", "photo-small"}, {"file_size", 20}, {"width", 90}},
                                    json{{"file_id", "photo-large"}, {"file_size", photo.size()}, {"width", 1280}}});
    Reply r = telegram(message, 20000001);
    ASSERT_EQ(r.status, 200) << r;
    std::string number = r.body_json()["ticket"].get<std::string>();

    // getFile for the largest size only, then its download from the Bot API's file path with the token.
    auto asked = m_service.bot_calls("getFile");
    ASSERT_EQ(asked.size(), 1u);
    EXPECT_EQ(json::parse(asked[0].body)["file_id"], "photo-large");
    auto downloads = m_service.bot_calls("download");
    ASSERT_EQ(downloads.size(), 1u);
    EXPECT_EQ(downloads[0].path, "/file/bot123:TEST/photos/file_7.png");

    json files = files_of(number);
    ASSERT_EQ(files.size(), 1u) << files.dump();
    EXPECT_EQ(files[0]["filename"], "photo.jpg");
    EXPECT_EQ(files[0]["stored"], true);
    EXPECT_EQ(files[0]["size"], photo.size());
    EXPECT_EQ(files[0]["content_type"], "image/png") << "the type is read from the bytes";
    Reply served = get(files[0]["url"].get<std::string>());
    ASSERT_EQ(served.status, 200) << served;
    EXPECT_EQ(served.body, photo);
    EXPECT_EQ(stored_files(), 1u);

    // The same photo in a second message is stored once.
    message["message_id"] = 44;
    ASSERT_EQ(telegram(message, 20000002).status, 200);
    EXPECT_EQ(files_of(number).size(), 2u);
    EXPECT_EQ(stored_files(), 1u);
}

TEST_F(ChatFiles, FilesOverTheCapAndFailedDownloadsAreListedWithTheReason)
{
    // Announced over the cap: not downloaded at all.
    json big = telegram_message(50, "The manual, scanned.");
    big["document"] = json{{"file_id", "doc-big"},
                           {"file_name", "manual.pdf"},
                           {"mime_type", "application/pdf"},
                           {"file_size", k_cap + 1}};
    m_service.add_telegram_file("doc-big", "documents/file_1.pdf", "%PDF-1.7\n" + std::string(k_cap, 'x'));
    Reply r = telegram(big, 20000010);
    ASSERT_EQ(r.status, 200) << r;
    std::string number = r.body_json()["ticket"].get<std::string>();
    EXPECT_TRUE(m_service.bot_calls("download").empty());

    // Announced small, larger on the wire: cut off past the cap.
    json liar = telegram_message(51, "And the receipt.");
    liar["document"] = json{{"file_id", "doc-liar"}, {"file_name", "receipt.pdf"}, {"file_size", 100}};
    m_service.add_telegram_file("doc-liar", "documents/file_2.pdf", std::string(k_cap * 4, 'y'));
    ASSERT_EQ(telegram(liar, 20000011).status, 200);

    // A file id Telegram does not know: the message is stored, the file listed as not fetched.
    json gone = telegram_message(52, "And a photo of the box.");
    gone["document"] = json{{"file_id", "doc-gone"}, {"file_name", "box.jpg"}, {"file_size", 10}};
    ASSERT_EQ(telegram(gone, 20000012).status, 200);

    json files = files_of(number);
    ASSERT_EQ(files.size(), 3u) << files.dump();
    for (const auto& f : files)
        EXPECT_EQ(f["stored"], false) << f.dump();
    EXPECT_EQ(files[0]["filename"], "manual.pdf");
    EXPECT_NE(files[0]["refused"].get<std::string>().find("attachments.max_file_size"), std::string::npos)
        << files[0].dump();
    EXPECT_NE(files[1]["refused"].get<std::string>().find("attachments.max_file_size"), std::string::npos)
        << files[1].dump();
    EXPECT_NE(files[2]["refused"].get<std::string>().find("download failed: getFile"), std::string::npos)
        << files[2].dump();
    EXPECT_EQ(stored_files(), 0u);
    Reply shown = get("/api/v1/tickets/" + number);
    EXPECT_EQ(shown.body_json()["messages"].size(), 3u) << "no message is lost for its file";
    EXPECT_EQ(m_daemon->log().find("123:TEST"), std::string::npos) << "the bot token is in the log";
}

TEST_F(ChatFiles, ASlackFileIsFetchedWithTheBotToken)
{
    const std::string photo = png_bytes();
    m_service.serve_file("/files-pri/T0001-F0PHOTO/kettle.png", photo);
    std::string url = m_service.base_url() + "/files-pri/T0001-F0PHOTO/kettle.png";
    json event{{"type", "event_callback"},
               {"team_id", "T0001"},
               {"event_id", "EvFILE1"},
               {"event_time", now_seconds()},
               {"event",
                {{"type", "message"},
                 {"channel", "C0CUSTOMERS"},
                 {"user", "U024BE7LH"},
                 {"text", "The lid of my kettle is cracked, photo attached."},
                 {"ts", "1764500400.000100"},
                 {"files", json::array({json{{"id", "F0PHOTO"},
                                             {"name", "kettle.png"},
                                             {"mimetype", "image/png"},
                                             {"size", photo.size()},
                                             {"url_private", url},
                                             {"url_private_download", url + "?download=1"}}})}}}};
    std::string body = event.dump();
    Reply r = post("/hooks/slack", body, slack_headers(body));
    ASSERT_EQ(r.status, 200) << r;
    auto downloads = m_service.bot_calls("download");
    ASSERT_EQ(downloads.size(), 1u);
    EXPECT_EQ(downloads[0].headers["authorization"], "Bearer xoxb-test");
    json files = files_of(r.body_json()["ticket"].get<std::string>());
    ASSERT_EQ(files.size(), 1u) << files.dump();
    EXPECT_EQ(files[0]["filename"], "kettle.png");
    EXPECT_EQ(files[0]["stored"], true) << files[0].dump();
    EXPECT_EQ(get(files[0]["url"].get<std::string>()).body, photo);
}

TEST_F(ChatFiles, AWebhookSendsItsFilesInTheSignedBody)
{
    const std::string photo = png_bytes();
    json payload{{"message_id", "m-file-1"},
                 {"conversation_id", "conv-9"},
                 {"sender", {{"id", "visitor-9"}, {"name", "Jan Novak"}}},
                 {"text", "The blender arrived broken, photo attached."},
                 {"attachments",
                  json::array({json{{"name", "blender.png"}, {"type", "image/png"}, {"content_base64", base64(photo)}},
                               json{{"name", "video.mp4"}, {"url", "https://widget.example/f/2"}},
                               json{{"name", "big.bin"}, {"content_base64", base64(std::string(k_cap + 10, 'z'))}}})}};
    std::string body = payload.dump();
    Reply r = post("/hooks/web", body, web_headers(body));
    ASSERT_EQ(r.status, 200) << r;
    json files = files_of(r.body_json()["ticket"].get<std::string>());
    ASSERT_EQ(files.size(), 3u) << files.dump();
    EXPECT_EQ(files[0]["stored"], true) << files[0].dump();
    EXPECT_EQ(get(files[0]["url"].get<std::string>()).body, photo);
    EXPECT_EQ(files[1]["stored"], false);
    EXPECT_NE(files[1]["refused"].get<std::string>().find("content_base64"), std::string::npos) << files[1].dump();
    EXPECT_NE(files[2]["refused"].get<std::string>().find("attachments.max_file_size"), std::string::npos)
        << files[2].dump();
    EXPECT_TRUE(m_service.bot_calls("download").empty()) << "a webhook's url is never fetched";
}

}  // namespace redress::testing
