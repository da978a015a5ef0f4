// What a reload does to the running pollers (daemon/app/poller_changes.hpp): by name, and by the
// settings compared whole, with the config types' own operator==.

#include "app/poller_changes.hpp"
#include "config/config.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace redress::app {
namespace {

using Names = std::vector<std::string>;

config::MailboxConfig mailbox(const std::string& name, const std::string& password = "secret")
{
    config::MailboxConfig m;
    m.name = name;
    m.url = "imap://127.0.0.1:143/INBOX";
    m.user = name;
    m.password = password;
    return m;
}

std::map<std::string, config::MailboxConfig> by_name(const std::vector<config::MailboxConfig>& list)
{
    std::map<std::string, config::MailboxConfig> out;
    for (const auto& m : list)
        out.emplace(m.name, m);
    return out;
}

TEST(PollerChanges, TheSameSettingsKeepEveryPoller)
{
    auto running = by_name({mailbox("sales"), mailbox("support")});
    auto changes = compare_pollers(running, running);
    EXPECT_EQ(changes.kept, (Names{"sales", "support"}));
    EXPECT_TRUE(changes.changed.empty());
    EXPECT_TRUE(changes.removed.empty());
    EXPECT_TRUE(changes.added.empty());
}

TEST(PollerChanges, AddedRemovedAndChangedAreToldApartByName)
{
    auto running = by_name({mailbox("kept"), mailbox("gone"), mailbox("moved", "old")});
    auto wanted = by_name({mailbox("kept"), mailbox("moved", "new"), mailbox("fresh")});
    auto changes = compare_pollers(running, wanted);
    EXPECT_EQ(changes.kept, Names{"kept"});
    EXPECT_EQ(changes.changed, Names{"moved"});
    EXPECT_EQ(changes.removed, Names{"gone"});
    EXPECT_EQ(changes.added, Names{"fresh"});
}

TEST(PollerChanges, NoPollersBeforeMeansEveryWantedOneIsAdded)
{
    auto changes = compare_pollers({}, by_name({mailbox("a"), mailbox("b")}));
    EXPECT_EQ(changes.added, (Names{"a", "b"}));
    EXPECT_TRUE(changes.kept.empty());
    auto none = compare_pollers(by_name({mailbox("a")}), {});
    EXPECT_EQ(none.removed, Names{"a"});
}

// Any one setting changed restarts the mailbox's poller: a new password, another folder, IDLE off,
// the first-sync choice. The comparison covers every key without a list kept by hand.
TEST(PollerChanges, AnyMailboxSettingChangedRestartsItsPoller)
{
    std::vector<std::function<void(config::MailboxConfig&)>> edits = {
        [](auto& m) { m.password = "another"; },
        [](auto& m) { m.url = "imap://127.0.0.1:143/Complaints"; },
        [](auto& m) { m.idle = false; },
        [](auto& m) { m.poll_interval = Seconds(5); },
        [](auto& m) { m.after_store = config::AfterStore::move; },
        [](auto& m) { m.oauth_token_command = "print-token"; },
        [](auto& m) { m.skip_existing_on_first_sync = true; },
        [](auto& m) { m.verify_tls = false; },
    };
    for (std::size_t i = 0; i < edits.size(); ++i) {
        auto edited = mailbox("support");
        edits[i](edited);
        auto changes = compare_pollers(by_name({mailbox("support")}), by_name({edited}));
        EXPECT_EQ(changes.changed, Names{"support"}) << "edit " << i;
        EXPECT_TRUE(changes.kept.empty()) << "edit " << i;
    }
}

TEST(PollerChanges, AChatsTokenOrModeChangedRestartsItsPoller)
{
    config::Chat chat;
    chat.name = "tg";
    chat.type = config::ChatType::telegram;
    chat.mode = config::ChatMode::poll;
    chat.bot_token = "1:OLD";
    auto with_token = chat;
    with_token.bot_token = "1:NEW";
    auto by_webhook = chat;
    by_webhook.mode = config::ChatMode::webhook;
    std::map<std::string, config::Chat> running{{"tg", chat}};
    EXPECT_EQ(compare_pollers(running, {{"tg", with_token}}).changed, Names{"tg"});
    EXPECT_EQ(compare_pollers(running, {{"tg", by_webhook}}).changed, Names{"tg"});
    EXPECT_EQ(compare_pollers(running, {{"tg", chat}}).kept, Names{"tg"});
}

}  // namespace
}  // namespace redress::app
