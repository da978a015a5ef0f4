#include "auth/secrets.hpp"
#include "auth/sign_in_limiter.hpp"

#include <gtest/gtest.h>

using namespace redress;

namespace {
// Cheap enough for a unit test; the daemon uses the default cost.
constexpr auth::ScryptCost k_cheap{1u << 10, 8, 1};
}  // namespace

TEST(Passwords, AHashVerifiesItsPasswordAndNoOther)
{
    auto hash = auth::hash_password("correct horse", k_cheap);
    ASSERT_TRUE(hash);
    EXPECT_TRUE(hash->starts_with("scrypt$1024$8$1$"));
    EXPECT_EQ(hash->find("correct horse"), std::string::npos);
    EXPECT_TRUE(auth::verify_password("correct horse", *hash));
    EXPECT_FALSE(auth::verify_password("correct horsE", *hash));
    EXPECT_FALSE(auth::verify_password("", *hash));
}

TEST(Passwords, TheSamePasswordHashesDifferentlyEachTime)
{
    auto a = auth::hash_password("pw", k_cheap);
    auto b = auth::hash_password("pw", k_cheap);
    ASSERT_TRUE(a && b);
    EXPECT_NE(*a, *b);  // a fresh salt each time
}

TEST(Passwords, MalformedOrExtravagantHashesNeverMatch)
{
    EXPECT_FALSE(auth::verify_password("pw", ""));
    EXPECT_FALSE(auth::verify_password("pw", "plain"));
    EXPECT_FALSE(auth::verify_password("pw", "scrypt$1024$8$1$!!$AAAA"));
    EXPECT_FALSE(auth::verify_password("pw", "scrypt$1099511627776$8$1$AAAA$AAAA"));
    EXPECT_FALSE(auth::verify_password("pw", "sha256$x"));
}

TEST(Tokens, AreRandomUrlSafeAndStoredAsDigests)
{
    std::string a = auth::random_token(), b = auth::random_token();
    EXPECT_NE(a, b);
    EXPECT_EQ(a.size(), 43u);  // 32 bytes in base64url without padding
    EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_EQ(auth::token_digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_TRUE(auth::secrets_equal("abc", "abc"));
    EXPECT_FALSE(auth::secrets_equal("abc", "abd"));
    EXPECT_FALSE(auth::secrets_equal("abc", "abcd"));
}

TEST(SignedLinks, ASignatureHoldsForItsMessageAndKeyOnly)
{
    std::string sig = auth::sign("install-secret", "survey:RD-000007");
    EXPECT_TRUE(auth::signature_valid("install-secret", "survey:RD-000007", sig));
    EXPECT_FALSE(auth::signature_valid("install-secret", "survey:RD-000008", sig));
    EXPECT_FALSE(auth::signature_valid("other-secret", "survey:RD-000007", sig));
    EXPECT_FALSE(auth::signature_valid("install-secret", "survey:RD-000007", sig.substr(1)));
    // RFC 4231 test case 2.
    EXPECT_EQ(auth::hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(SignInLimiter, LocksAfterRepeatedFailuresAndOpensAgainLater)
{
    auth::SignInLimiter limiter({3, Seconds{600}, Seconds{900}});
    TimePoint t0 = *parse_iso8601("2026-11-30T10:00:00Z");
    EXPECT_FALSE(limiter.blocked_until("alice", t0));
    limiter.failed("alice", t0);
    limiter.failed("alice", t0 + Seconds{10});
    EXPECT_FALSE(limiter.blocked_until("alice", t0 + Seconds{11}));
    limiter.failed("alice", t0 + Seconds{20});
    auto until = limiter.blocked_until("alice", t0 + Seconds{21});
    ASSERT_TRUE(until);
    EXPECT_EQ(*until, t0 + Seconds{920});
    EXPECT_FALSE(limiter.blocked_until("bob", t0 + Seconds{21}));
    EXPECT_FALSE(limiter.blocked_until("alice", t0 + Seconds{921}));
}

TEST(SignInLimiter, FailuresOutsideTheWindowDoNotCountAndSuccessClears)
{
    auth::SignInLimiter limiter({2, Seconds{60}, Seconds{300}});
    TimePoint t0 = *parse_iso8601("2026-11-30T10:00:00Z");
    limiter.failed("alice", t0);
    limiter.failed("alice", t0 + Seconds{61});
    EXPECT_FALSE(limiter.blocked_until("alice", t0 + Seconds{62}));
    limiter.succeeded("alice");
    limiter.failed("alice", t0 + Seconds{63});
    EXPECT_FALSE(limiter.blocked_until("alice", t0 + Seconds{64}));
}
