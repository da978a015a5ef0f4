#include "secrets.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <charconv>
#include <stdexcept>
#include <vector>

namespace redress::auth {

namespace {

constexpr std::string_view k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string from_base64url(std::string_view text, bool& ok)
{
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    ok = true;
    for (char c : text) {
        auto pos = k_alphabet.find(c);
        if (pos == std::string_view::npos) {
            ok = false;
            return {};
        }
        buffer = (buffer << 6) | static_cast<unsigned>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return out;
}

std::string hex(const unsigned char* data, std::size_t size)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 0xf];
    }
    return out;
}

bool scrypt(std::string_view password, std::string_view salt, const ScryptCost& cost, unsigned char* out,
            std::size_t size)
{
    // Memory needed is 128 * r * n (* p); allow that plus headroom, or OpenSSL refuses.
    std::uint64_t max_mem = 128ull * cost.r * cost.n * cost.p + (16u << 20);
    return EVP_PBE_scrypt(password.data(), password.size(), reinterpret_cast<const unsigned char*>(salt.data()),
                          salt.size(), cost.n, cost.r, cost.p, max_mem, out, size) == 1;
}

std::string hmac(std::string_view key, std::string_view message)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), mac, &size);
    return std::string(reinterpret_cast<const char*>(mac), size);
}

template <class T> bool parse_number(std::string_view text, T& value)
{
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc{} && end == text.data() + text.size();
}

}  // namespace

std::string base64url(std::string_view bytes)
{
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += k_alphabet[(buffer >> bits) & 0x3f];
        }
    }
    if (bits > 0)
        out += k_alphabet[(buffer << (6 - bits)) & 0x3f];
    return out;
}

std::string random_token(std::size_t bytes)
{
    std::string raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size())) != 1)
        throw std::runtime_error("the system's random source failed");  // a broken machine, not an input
    return base64url(raw);
}

std::string token_digest(std::string_view token)
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest);
    return hex(digest, sizeof digest);
}

bool secrets_equal(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::string> hash_password(std::string_view password, ScryptCost cost)
{
    std::string salt(16, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) != 1)
        return make_error(ErrorKind::failed, "auth.random", "the system's random source failed");
    unsigned char hash[32];
    if (!scrypt(password, salt, cost, hash, sizeof hash))
        return make_error(ErrorKind::failed, "auth.scrypt", "scrypt failed (not enough memory for its cost?)");
    return "scrypt$" + std::to_string(cost.n) + "$" + std::to_string(cost.r) + "$" + std::to_string(cost.p) + "$" +
           base64url(salt) + "$" + base64url(std::string_view(reinterpret_cast<const char*>(hash), sizeof hash));
}

bool verify_password(std::string_view password, std::string_view stored)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        auto dollar = stored.find('$', start);
        parts.push_back(
            stored.substr(start, dollar == std::string_view::npos ? std::string_view::npos : dollar - start));
        if (dollar == std::string_view::npos)
            break;
        start = dollar + 1;
    }
    if (parts.size() != 6 || parts[0] != "scrypt")
        return false;
    ScryptCost cost;
    if (!parse_number(parts[1], cost.n) || !parse_number(parts[2], cost.r) || !parse_number(parts[3], cost.p))
        return false;
    // A stored cost far beyond ours would let a crafted row exhaust memory.
    if (cost.n < 2 || cost.n > (1u << 20) || cost.r == 0 || cost.r > 32 || cost.p == 0 || cost.p > 16)
        return false;
    bool ok = false;
    std::string salt = from_base64url(parts[4], ok);
    if (!ok)
        return false;
    std::string expected = from_base64url(parts[5], ok);
    if (!ok || expected.empty() || expected.size() > 64)
        return false;
    std::string actual(expected.size(), '\0');
    if (!scrypt(password, salt, cost, reinterpret_cast<unsigned char*>(actual.data()), actual.size()))
        return false;
    return secrets_equal(actual, expected);
}

std::string sign(std::string_view key, std::string_view message)
{
    return base64url(hmac(key, message));
}

bool signature_valid(std::string_view key, std::string_view message, std::string_view signature)
{
    return secrets_equal(sign(key, message), signature);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message)
{
    std::string mac = hmac(key, message);
    return hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

}  // namespace redress::auth
