#pragma once
// The secrets people and links carry: passwords (scrypt, memory-hard, RFC 7914), API tokens and
// session ids (random, stored only as a SHA-256 digest), and signed links that need no login (the
// survey, the complaint's status page: HMAC-SHA256 with the installation's secret). Pure apart from
// the system's random source; no secret is ever logged.

#include "common/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace redress::auth {

// scrypt's cost. The default takes 32 MiB and about a tenth of a second, which is what makes a
// stolen database slow to guess; tests pass a cheaper one.
struct ScryptCost {
    std::uint64_t n = 1u << 15;
    std::uint32_t r = 8;
    std::uint32_t p = 1;
};

// "scrypt$<n>$<r>$<p>$<salt>$<hash>" (salt and hash base64url). Errors only when OpenSSL fails.
Result<std::string> hash_password(std::string_view password, ScryptCost cost = {});
// Whether the password matches the stored hash; compares in constant time. A malformed hash never
// matches.
bool verify_password(std::string_view password, std::string_view stored);

// `bytes` random bytes from the system's source, base64url without padding.
std::string random_token(std::size_t bytes = 32);
// Hex SHA-256: what the store keeps of a token or a session id.
std::string token_digest(std::string_view token);

// Equal in constant time (for secrets of the same length; different lengths are unequal at once).
bool secrets_equal(std::string_view a, std::string_view b);

// HMAC-SHA256 of the message under the key, base64url.
std::string sign(std::string_view key, std::string_view message);
bool signature_valid(std::string_view key, std::string_view message, std::string_view signature);
// Hex HMAC-SHA256, as webhook signatures are written ("sha256=<hex>").
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

std::string base64url(std::string_view bytes);

}  // namespace redress::auth
