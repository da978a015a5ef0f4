// The one-time link that makes the first owner (daemon/service/owner_setup.cpp) over a real SQLite
// store on a test clock: made only while nobody has an account, kept as a digest, used once, ended
// by time and by the next start's link.

#include "people_fixture.hpp"
#include "service/owner_setup.hpp"

#include <gtest/gtest.h>

using namespace redress;
using namespace redress::service;

namespace {

class OwnerSetupTest : public redress::testing::PeopleStoreTest {
protected:
    void SetUp() override
    {
        PeopleStoreTest::SetUp();
        if (!HasFatalFailure())
            m_setup = std::make_unique<OwnerSetup>(*m_store, *m_store, *m_people, m_clock);
    }
    void TearDown() override
    {
        m_setup.reset();
        PeopleStoreTest::TearDown();
    }

    std::string issued()
    {
        auto token = m_setup->issue();
        EXPECT_TRUE(token) << token.error().message;
        EXPECT_TRUE(token && *token);
        return token && *token ? (*token)->token : std::string();
    }

    static OwnerForm olga() { return OwnerForm{"olga", "a long owner password", "Olga Owner", "olga@shop.test"}; }

    std::unique_ptr<OwnerSetup> m_setup;
};

TEST_F(OwnerSetupTest, MakesTheOwnerOnceAndSignsThemIn)
{
    auto issue = m_setup->issue();
    ASSERT_TRUE(issue && *issue);
    const SetupToken token = **issue;
    EXPECT_EQ(token.expires_at, m_clock.now() + k_setup_link_lifetime);
    // Only the digest is kept.
    auto kept = m_store->state("setup.owner");
    ASSERT_TRUE(kept && *kept);
    EXPECT_EQ(kept->value().find(token.token), std::string::npos);

    auto made = m_setup->complete(token.token, olga(), "127.0.0.1");
    ASSERT_TRUE(made) << made.error().message;
    EXPECT_EQ(made->user.name, "olga");
    EXPECT_EQ(made->user.role, Role::owner);
    EXPECT_EQ(made->user.display_name, "Olga Owner");
    EXPECT_TRUE(m_people->session(made->cookie)) << "the new owner is signed in";

    auto again = m_setup->complete(token.token, OwnerForm{"mallory", "another long password", "", ""}, "127.0.0.1");
    ASSERT_FALSE(again);
    EXPECT_TRUE(again.error().is(ErrorKind::refused)) << again.error().message;
    EXPECT_EQ(again.error().code, "setup.token");
    EXPECT_FALSE(m_people->user("mallory"));
}

TEST_F(OwnerSetupTest, RefusesAWrongOrExpiredTokenAndTheOneBeforeANewStart)
{
    std::string first = issued();
    auto wrong = m_setup->complete(first + "x", olga(), "");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, "setup.token");
    EXPECT_FALSE(m_setup->complete("", olga(), ""));

    // The next start makes a new link; the first one stops working.
    std::string second = issued();
    EXPECT_NE(first, second);
    auto old = m_setup->complete(first, olga(), "");
    ASSERT_FALSE(old);
    EXPECT_EQ(old.error().code, "setup.token");

    m_clock.advance(k_setup_link_lifetime);
    auto late = m_setup->complete(second, olga(), "");
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, "setup.token");
    auto nobody = m_store->count_users();
    ASSERT_TRUE(nobody);
    EXPECT_EQ(*nobody, 0);
}

TEST_F(OwnerSetupTest, KeepsTheTokenForABadPasswordSoThePersonCanTryAgain)
{
    std::string token = issued();
    auto weak = m_setup->complete(token, OwnerForm{"olga", "short", "", ""}, "");
    ASSERT_FALSE(weak);
    EXPECT_TRUE(weak.error().is(ErrorKind::invalid)) << weak.error().message;
    EXPECT_TRUE(m_setup->complete(token, olga(), "")) << "a refused form spends the link";
}

TEST_F(OwnerSetupTest, MakesNoLinkOnceSomeoneHasAnAccountAndForgetsALeftOverOne)
{
    std::string token = issued();
    ASSERT_TRUE(m_people->add_user("ann", Role::owner, "a long password here"));
    auto none = m_setup->issue();
    ASSERT_TRUE(none) << none.error().message;
    EXPECT_FALSE(*none);
    auto late = m_setup->complete(token, olga(), "");
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, "setup.token");
}

TEST_F(OwnerSetupTest, RefusesTheLinkWhenSomeoneMadeAnAccountMeanwhile)
{
    std::string token = issued();
    ASSERT_TRUE(m_people->add_user("ann", Role::owner, "a long password here"));
    auto made = m_setup->complete(token, olga(), "");
    ASSERT_FALSE(made);
    EXPECT_TRUE(made.error().is(ErrorKind::conflict)) << made.error().message;
    EXPECT_EQ(made.error().code, "setup.done");
}

}  // namespace
