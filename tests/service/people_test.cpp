// People, passwords, tokens and sessions (daemon/service/people.cpp) over a real SQLite store in a
// scratch folder, on a test clock, with a cheap scrypt cost so that the suite stays fast.

#include "people_fixture.hpp"

#include <gtest/gtest.h>

using namespace redress;
using namespace redress::service;

namespace {

using PeopleServiceTest = redress::testing::PeopleStoreTest;

TEST(UserName, IsLowercaseLettersDigitsDotsUnderscoresAndDashes)
{
    EXPECT_TRUE(valid_user_name("ann"));
    EXPECT_TRUE(valid_user_name("ann.lee_2-x"));
    EXPECT_TRUE(valid_user_name(std::string(64, 'a')));
    EXPECT_FALSE(valid_user_name(""));
    EXPECT_FALSE(valid_user_name(std::string(65, 'a')));
    EXPECT_FALSE(valid_user_name("Ann"));
    EXPECT_FALSE(valid_user_name("ann lee"));
    EXPECT_FALSE(valid_user_name("ann@shop"));
    EXPECT_FALSE(valid_user_name("анна"));
}

TEST_F(PeopleServiceTest, AddsAUserWithAHashedPasswordAndRefusesTheSameNameTwice)
{
    auto ann = m_people->add_user("ann", Role::manager, "correct horse battery", "ann@shop.test", "Ann Lee");
    ASSERT_TRUE(ann) << ann.error().message;
    EXPECT_GT(ann->id, 0);
    EXPECT_EQ(ann->role, Role::manager);
    EXPECT_EQ(ann->display_name, "Ann Lee");
    EXPECT_EQ(ann->password_hash.find("correct horse"), std::string::npos);
    EXPECT_TRUE(ann->password_hash.starts_with("scrypt$"));

    auto again = m_people->add_user("ann", Role::agent, "another password");
    ASSERT_FALSE(again);
    EXPECT_TRUE(again.error().is(ErrorKind::conflict)) << again.error().message;
}

TEST_F(PeopleServiceTest, RefusesABadNameAShortPasswordAndALineBreakInAnAddress)
{
    auto bad_name = m_people->add_user("Ann Lee", Role::agent, "long enough password");
    ASSERT_FALSE(bad_name);
    EXPECT_TRUE(bad_name.error().is(ErrorKind::invalid));
    auto short_password = m_people->add_user("ann", Role::agent, "short");
    ASSERT_FALSE(short_password);
    EXPECT_TRUE(short_password.error().is(ErrorKind::invalid));
    EXPECT_NE(short_password.error().message.find("10"), std::string::npos) << short_password.error().message;
    auto injected = m_people->add_user("ann", Role::agent, "long enough password", "ann@shop.test\r\nBcc: x@evil.test");
    ASSERT_FALSE(injected);
    EXPECT_TRUE(injected.error().is(ErrorKind::invalid));
    EXPECT_TRUE(m_people->list_users()->empty());
}

TEST_F(PeopleServiceTest, ATokenIsShownOnceStoredAsADigestAndStopsWorkingWhenRevoked)
{
    ASSERT_TRUE(m_people->add_user("ann", Role::agent, "correct horse battery"));
    auto issued = m_people->create_token("ann", "laptop");
    ASSERT_TRUE(issued) << issued.error().message;
    EXPECT_GE(issued->secret.size(), 40u);
    EXPECT_NE(issued->token.digest, issued->secret);
    EXPECT_EQ(issued->token.digest, auth::token_digest(issued->secret));

    auto who = m_people->authenticate_bearer(issued->secret);
    ASSERT_TRUE(who) << who.error().message;
    EXPECT_EQ(who->name, "ann");
    auto listed = m_people->tokens_of("ann");
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].label, "laptop");

    auto wrong = m_people->authenticate_bearer(issued->secret + "x");
    ASSERT_FALSE(wrong);
    EXPECT_TRUE(wrong.error().is(ErrorKind::refused));
    EXPECT_EQ(wrong.error().message.find(issued->secret), std::string::npos);

    ASSERT_TRUE(m_people->revoke_token(issued->token.id));
    auto revoked = m_people->authenticate_bearer(issued->secret);
    ASSERT_FALSE(revoked);
    EXPECT_TRUE(revoked.error().is(ErrorKind::refused));
    auto unknown = m_people->revoke_token(issued->token.id + 100);
    ASSERT_FALSE(unknown);
    EXPECT_TRUE(unknown.error().is(ErrorKind::not_found));
}

TEST_F(PeopleServiceTest, SignInOpensATwelveHourSessionWithACsrfTokenAndSignOutEndsIt)
{
    ASSERT_TRUE(m_people->add_user("ann", Role::agent, "correct horse battery"));
    auto in = m_people->sign_in("ann", "correct horse battery", "127.0.0.1");
    ASSERT_TRUE(in) << in.error().message;
    EXPECT_FALSE(in->cookie.empty());
    EXPECT_FALSE(in->session.csrf.empty());
    EXPECT_NE(in->session.digest, in->cookie);
    EXPECT_EQ(in->session.expires_at - in->session.created_at, k_session_lifetime);

    auto found = m_people->session(in->cookie);
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->user.name, "ann");
    EXPECT_EQ(found->session.csrf, in->session.csrf);

    m_clock.advance(k_session_lifetime + Seconds{1});
    EXPECT_FALSE(m_people->session(in->cookie));

    auto again = m_people->sign_in("ann", "correct horse battery", "127.0.0.1");
    ASSERT_TRUE(again);
    ASSERT_TRUE(m_people->sign_out(again->cookie));
    auto ended = m_people->session(again->cookie);
    ASSERT_FALSE(ended);
    EXPECT_TRUE(ended.error().is(ErrorKind::refused));
}

TEST_F(PeopleServiceTest, AWrongPasswordAndAnUnknownNameGetTheSameAnswer)
{
    ASSERT_TRUE(m_people->add_user("ann", Role::agent, "correct horse battery"));
    auto wrong = m_people->sign_in("ann", "wrong password!", "10.0.0.1");
    auto nobody = m_people->sign_in("bob", "wrong password!", "10.0.0.2");
    ASSERT_FALSE(wrong);
    ASSERT_FALSE(nobody);
    EXPECT_TRUE(wrong.error().is(ErrorKind::refused));
    EXPECT_EQ(wrong.error().code, nobody.error().code);
    EXPECT_EQ(wrong.error().message, nobody.error().message);
}

TEST_F(PeopleServiceTest, FailedSignInsLockTheNameAndTheAddressForAWhile)
{
    ASSERT_TRUE(m_people->add_user("ann", Role::agent, "correct horse battery"));
    for (int i = 0; i < 5; ++i)
        EXPECT_FALSE(m_people->sign_in("ann", "wrong password!", "10.0.0.1"));
    // Locked now: even the right password is refused with when to come back.
    auto locked = m_people->sign_in("ann", "correct horse battery", "10.0.0.9");
    ASSERT_FALSE(locked);
    EXPECT_TRUE(locked.error().is(ErrorKind::limited)) << locked.error().message;
    EXPECT_GT(locked.error().retry_after_seconds, 0);
    // The address is locked too, for any name.
    ASSERT_TRUE(m_people->add_user("bob", Role::agent, "another good password"));
    auto from_address = m_people->sign_in("bob", "another good password", "10.0.0.1");
    ASSERT_FALSE(from_address);
    EXPECT_TRUE(from_address.error().is(ErrorKind::limited));

    m_clock.advance(Seconds{16 * 60});
    EXPECT_TRUE(m_people->sign_in("ann", "correct horse battery", "10.0.0.1"));
}

TEST_F(PeopleServiceTest, GoodSignInsNeverLockAnAddressAndAProxyOnThisMachineIsLimitedByName)
{
    ASSERT_TRUE(m_people->add_user("ann", Role::agent, "correct horse battery"));
    ASSERT_TRUE(m_people->add_user("bob", Role::agent, "another good password"));
    // An office behind one address signs in many times.
    for (int i = 0; i < 8; ++i)
        EXPECT_TRUE(m_people->sign_in(i % 2 ? "ann" : "bob", i % 2 ? "correct horse battery" : "another good password",
                                      "10.0.0.1"));
    // Behind a reverse proxy every sign-in comes from 127.0.0.1: one person's mistakes lock their
    // name, not everyone. The name is matched regardless of case.
    for (int i = 0; i < 5; ++i)
        EXPECT_FALSE(m_people->sign_in(i % 2 ? "ANN" : "ann", "wrong password!", "127.0.0.1"));
    auto ann = m_people->sign_in("ann", "correct horse battery", "127.0.0.1");
    ASSERT_FALSE(ann);
    EXPECT_TRUE(ann.error().is(ErrorKind::limited));
    EXPECT_TRUE(m_people->sign_in("bob", "another good password", "127.0.0.1"));
}

TEST_F(PeopleServiceTest, ChangingOnesPasswordNeedsTheOldOneAndEndsTheSessions)
{
    ASSERT_TRUE(m_people->add_user("ann", Role::agent, "correct horse battery"));
    auto in = m_people->sign_in("ann", "correct horse battery", "127.0.0.1");
    ASSERT_TRUE(in);
    auto wrong_old = m_people->change_password("ann", "not the password", "a brand new password");
    ASSERT_FALSE(wrong_old);
    EXPECT_TRUE(wrong_old.error().is(ErrorKind::refused));
    auto too_short = m_people->change_password("ann", "correct horse battery", "short");
    ASSERT_FALSE(too_short);
    EXPECT_TRUE(too_short.error().is(ErrorKind::invalid));

    ASSERT_TRUE(m_people->change_password("ann", "correct horse battery", "a brand new password"));
    EXPECT_FALSE(m_people->session(in->cookie));
    EXPECT_FALSE(m_people->sign_in("ann", "correct horse battery", "127.0.0.1"));
    EXPECT_TRUE(m_people->sign_in("ann", "a brand new password", "127.0.0.1"));

    ASSERT_TRUE(m_people->reset_password("ann", "the owner's choice"));
    EXPECT_TRUE(m_people->sign_in("ann", "the owner's choice", "127.0.0.1"));
    auto nobody = m_people->reset_password("bob", "the owner's choice");
    ASSERT_FALSE(nobody);
    EXPECT_TRUE(nobody.error().is(ErrorKind::not_found));
}

TEST_F(PeopleServiceTest, DisablingEndsSessionsAndTokensAtOnce)
{
    ASSERT_TRUE(m_people->add_user("ann", Role::agent, "correct horse battery"));
    auto token = m_people->create_token("ann", "ci");
    ASSERT_TRUE(token);
    auto in = m_people->sign_in("ann", "correct horse battery", "127.0.0.1");
    ASSERT_TRUE(in);

    auto disabled = m_people->disable("ann");
    ASSERT_TRUE(disabled) << disabled.error().message;
    EXPECT_TRUE(disabled->disabled);
    EXPECT_FALSE(m_people->session(in->cookie));
    EXPECT_FALSE(m_people->authenticate_bearer(token->secret));
    EXPECT_FALSE(m_people->sign_in("ann", "correct horse battery", "127.0.0.1"));
    EXPECT_FALSE(m_people->create_token("ann", "again"));
}

TEST_F(PeopleServiceTest, UpdatesTheProfileThatRepliesCarry)
{
    ASSERT_TRUE(m_people->add_user("ann", Role::agent, "correct horse battery"));
    ProfileChange change;
    change.display_name = "Ann Lee";
    change.signature = "Ann Lee\nKettle Shop support";
    change.chat = "tg:12345";
    change.role = Role::manager;
    auto updated = m_people->update_profile("ann", change);
    ASSERT_TRUE(updated) << updated.error().message;
    auto read = m_people->user("ann");
    ASSERT_TRUE(read);
    EXPECT_EQ(read->display_name, "Ann Lee");
    EXPECT_EQ(read->signature, "Ann Lee\nKettle Shop support");
    EXPECT_EQ(read->chat, "tg:12345");
    EXPECT_EQ(read->role, Role::manager);

    ProfileChange header_injection;
    header_injection.display_name = "Ann\r\nBcc: x@evil.test";
    auto refused = m_people->update_profile("ann", header_injection);
    ASSERT_FALSE(refused);
    EXPECT_TRUE(refused.error().is(ErrorKind::invalid));
}

}  // namespace
