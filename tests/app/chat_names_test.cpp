// Slack customers' names looked up after the commit (app::ChatNames), with a stand-in lookup that
// holds its request until the stop cuts it off: what happens to the lookups still waiting at stop.
#include "app/chat_names.hpp"
#include "pipeline/runtime.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

namespace redress::app {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class ChatNamesTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("redress-chat-names-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir / "var");
        std::ofstream(m_dir / "redress.json")
            << R"({"company": {"name": "Shop", "support_address": "Shop Support <support@shop.test>"},
                  "chats": [{"name": "slack", "type": "slack", "bot_token": "xoxb-test",
                             "api_base": "http://127.0.0.1:9", "signing_secret": "slack-signing-secret-0123456789"}]})";
        auto load = pipeline::load_runtime(m_dir / "redress.json", REDRESS_SOURCE_DIR, m_dir / "var");
        std::string problems;
        for (auto& p : load.problems)
            problems += p + "\n";
        ASSERT_TRUE(load.runtime) << problems;
        m_runtime = load.runtime;
        auto store = store::SqliteStore::open(m_dir / "var" / "redress.db");
        ASSERT_TRUE(store.ok()) << store.error().message;
        m_store = std::move(store).value();
    }

    void TearDown() override
    {
        m_store.reset();
        fs::remove_all(m_dir);
    }

    // A Slack message from `user` whose name the event left out, and the ticket it opened.
    static Message slack_message(const std::string& user)
    {
        Message message;
        message.chat = ChatOrigin{};
        message.chat->conversation = "slack:C0123:1700000000.000100";
        message.chat->user_id = "slack:" + user;
        return message;
    }

    static pipeline::IngestOutcome opened(const std::string& number)
    {
        pipeline::IngestOutcome outcome;
        outcome.action = pipeline::IngestOutcome::Action::created;
        outcome.ticket_number = number;
        return outcome;
    }

    fs::path m_dir;
    std::shared_ptr<const pipeline::Runtime> m_runtime;
    std::unique_ptr<store::SqliteStore> m_store;
};

TEST_F(ChatNamesTest, StopDropsTheLookupsStillWaitingSoWaitIdleReturns)
{
    std::atomic<int> asked{0};
    std::promise<void> first_asked;
    // Slack does not answer: the lookup holds until the stop, as the real one's request is cut off.
    auto hold = [&](const config::Chat&, const std::string&,
                    const std::atomic<bool>& stopping) -> Result<connectors::chat::SlackUser> {
        if (++asked == 1)
            first_asked.set_value();
        while (!stopping)
            std::this_thread::sleep_for(2ms);
        return make_error(ErrorKind::stopped, "chat.stopped", "stopping");
    };
    ChatNames names(
        *m_store, [this] { return m_runtime; }, system_time(), ChatNames::k_default_cache_size, hold);
    names.start();
    const config::Chat& slack = *m_runtime->config.chat("slack");
    names.learn(slack, slack_message("U0001"), opened("RD-1"), ChatNames::Named::no);
    ASSERT_EQ(first_asked.get_future().wait_for(10s), std::future_status::ready);
    names.learn(slack, slack_message("U0002"), opened("RD-2"), ChatNames::Named::no);
    names.learn(slack, slack_message("U0003"), opened("RD-3"), ChatNames::Named::no);
    // One lookup in flight and two waiting: not idle.
    EXPECT_FALSE(names.wait_idle(20ms));

    names.stop();
    // The one in flight was cut off, the two waiting dropped: idle at once, and nobody asked again.
    EXPECT_TRUE(names.wait_idle(0ms));
    EXPECT_EQ(asked.load(), 1);
    auto tallies = names.tallies();
    EXPECT_EQ(tallies["slack"].looked_up, 0);

    // Stopped, it queues nothing more.
    names.learn(slack, slack_message("U0004"), opened("RD-4"), ChatNames::Named::no);
    EXPECT_TRUE(names.wait_idle(0ms));
    EXPECT_EQ(asked.load(), 1);
}

}  // namespace
}  // namespace redress::app
