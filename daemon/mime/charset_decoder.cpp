#include "charset_decoder.hpp"

#include "ascii.hpp"

#include "common/text.hpp"

#include <uchardet/uchardet.h>

#include <array>
#include <cerrno>
#include <iconv.h>
#include <unordered_map>
#include <utility>

namespace redress::mime {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";

// Names seen in real mail that glibc iconv does not accept, or accepts with a worse meaning.
// An empty target means "no real charset was declared: guess".
constexpr std::pair<std::string_view, std::string_view> k_aliases[] = {
    {"ks_c_5601-1987", "CP949"},  // Outlook's name for Korean (really Windows code page 949)
    {"ks_c_5601-1989", "CP949"},
    {"ks_c_5601", "CP949"},
    {"ksc5601", "CP949"},
    {"ksc_5601", "CP949"},
    {"x-windows-949", "CP949"},
    {"windows-949", "CP949"},
    {"x-mac-cyrillic", "MACCYRILLIC"},
    {"x-mac-ukrainian", "MACUKRAINIAN"},
    {"mac-cyrillic", "MACCYRILLIC"},
    {"x-mac-roman", "MACINTOSH"},
    {"x-mac-ce", "MAC-CENTRALEUROPE"},
    {"x-cp1250", "CP1250"},
    {"x-cp1251", "CP1251"},
    {"win-1251", "CP1251"},
    {"cp-1251", "CP1251"},
    {"windows-1251z", "CP1251"},
    {"x-sjis", "SHIFT_JIS"},
    {"shift-jis", "SHIFT_JIS"},
    {"x-euc-jp", "EUC-JP"},
    {"x-euc-kr", "EUC-KR"},
    // GB2312 and GBK labels routinely carry GB18030 text; GB18030 is a superset of both.
    {"gb2312", "GB18030"},
    {"gbk", "GB18030"},
    {"x-gbk", "GB18030"},
    {"iso-8859-8-i", "ISO-8859-8"},
    {"iso-8859-6-i", "ISO-8859-6"},
    {"utf8", "UTF-8"},
    {"x-utf8", "UTF-8"},
    {"unicode-1-1-utf-7", "UTF-7"},
    {"x-unicode20utf8", "UTF-8"},
    // Mail labelled Latin-1 often has Windows quotes in 0x80-0x9F (WHATWG Encoding maps it the same way).
    {"iso-8859-1", "CP1252"},
    {"latin1", "CP1252"},
    // Windows font charset names leaked into MIME by some HTML mailers.
    {"default_charset", ""},
    {"ansi_charset", "CP1252"},
    {"russian_charset", "CP1251"},
    {"gb2312_charset", "GB18030"},
    {"chinesebig5", "BIG5"},
    {"chinesebig5_charset", "BIG5"},
    {"default", ""},
    {"unknown-8bit", ""},
    {"unknown", ""},
    {"x-unknown", ""},
    {"x-user-defined", ""},
    {"charset", ""},  // "charset=charset" from broken generators
};

// Thread-local caches: opening an iconv descriptor costs far more than converting a short body.
class IconvCache {
public:
    ~IconvCache()
    {
        for (auto& [name, cd] : m_descriptors)
            if (cd != invalid())
                iconv_close(cd);
    }
    // Returns invalid() when iconv does not know the charset; that answer is cached too.
    iconv_t get(const std::string& name)
    {
        auto it = m_descriptors.find(name);
        if (it != m_descriptors.end())
            return it->second;
        // Bound the cache: a message can invent any number of charset names.
        if (m_descriptors.size() > 64) {
            for (auto& [n, cd] : m_descriptors)
                if (cd != invalid())
                    iconv_close(cd);
            m_descriptors.clear();
        }
        iconv_t cd = iconv_open("UTF-8", name.c_str());
        m_descriptors.emplace(name, cd);
        return cd;
    }
    static iconv_t invalid() { return reinterpret_cast<iconv_t>(-1); }

private:
    std::unordered_map<std::string, iconv_t> m_descriptors;
};

class Detector {
public:
    Detector()
        : m_handle(uchardet_new())
    {
    }
    ~Detector() { uchardet_delete(m_handle); }
    Detector(const Detector&) = delete;
    Detector& operator=(const Detector&) = delete;
    std::string guess(std::string_view bytes)
    {
        uchardet_reset(m_handle);
        if (uchardet_handle_data(m_handle, bytes.data(), bytes.size()) != 0)
            return {};
        uchardet_data_end(m_handle);
        const char* name = uchardet_get_charset(m_handle);
        return name ? std::string(name) : std::string();
    }

private:
    uchardet_t m_handle;
};

IconvCache& iconv_cache()
{
    thread_local IconvCache cache;
    return cache;
}

Detector& detector()
{
    thread_local Detector d;
    return d;
}

std::string normalise(std::string_view charset)
{
    charset = trim(charset);
    while (!charset.empty() && (charset.front() == '"' || charset.front() == '\''))
        charset.remove_prefix(1);
    while (!charset.empty() && (charset.back() == '"' || charset.back() == '\''))
        charset.remove_suffix(1);
    // RFC 2231 section 5 allows a language after "*" in an encoded word's charset: "utf-8*en".
    if (auto star = charset.find('*'); star != std::string_view::npos)
        charset = charset.substr(0, star);
    return ascii_lower(trim(charset));
}

void append_sanitised(std::string_view bytes, std::string& out, CharsetReport& report)
{
    std::size_t start = out.size();
    out.append(bytes);
    if (is_ascii(bytes) || is_valid_utf8(std::string_view(out).substr(start)))
        return;
    std::string tail = out.substr(start);
    out.resize(start);
    report.replaced += sanitize_utf8(tail);
    out += tail;
}

// Converts with iconv, replacing each byte iconv rejects with U+FFFD and carrying on.
void convert(iconv_t cd, std::string_view bytes, std::string& out, CharsetReport& report)
{
    iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset shift state left by an earlier call
    std::size_t start = out.size();
    out.resize(start + bytes.size() * 2 + 16);
    char* in_ptr = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    char* out_ptr = out.data() + start;
    std::size_t out_left = out.size() - start;
    auto grow = [&] {
        std::size_t used = static_cast<std::size_t>(out_ptr - out.data());
        out.resize(out.size() * 2 + 16);
        out_ptr = out.data() + used;
        out_left = out.size() - used;
    };
    while (in_left > 0) {
        std::size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
        if (rc != static_cast<std::size_t>(-1))
            break;
        if (errno == E2BIG) {
            grow();
            continue;
        }
        // EILSEQ (a byte the charset does not define) or EINVAL (a sequence cut at the end).
        if (out_left < k_replacement.size())
            grow();
        for (char c : k_replacement)
            *out_ptr++ = c;
        out_left -= k_replacement.size();
        ++report.replaced;
        ++in_ptr;
        --in_left;
    }
    // Flush stateful encodings (ISO-2022-JP returns to ASCII at the end).
    while (iconv(cd, nullptr, nullptr, &out_ptr, &out_left) == static_cast<std::size_t>(-1) && errno == E2BIG)
        grow();
    out.resize(static_cast<std::size_t>(out_ptr - out.data()));
}

// Converts 8-bit text whose charset nobody declared: UTF-8 when it is valid, else uchardet's guess.
void guess_and_convert(std::string_view bytes, std::string& out, CharsetReport& report)
{
    if (is_valid_utf8(bytes)) {
        out.append(bytes);
        return;
    }
    std::string name = CharsetDecoder::guess(bytes);
    if (!name.empty() && !iequals(name, "ASCII") && !iequals(name, "UTF-8")) {
        iconv_t cd = iconv_cache().get(name);
        if (cd != IconvCache::invalid()) {
            report.guessed = std::move(name);
            convert(cd, bytes, out, report);
            return;
        }
    }
    append_sanitised(bytes, out, report);
}

}  // namespace

std::string CharsetDecoder::iconv_name(std::string_view charset)
{
    std::string name = normalise(charset);
    if (name.empty())
        return name;
    for (auto& [alias, target] : k_aliases)
        if (name == alias)
            return std::string(target);
    return name;
}

std::string CharsetDecoder::guess(std::string_view bytes)
{
    return detector().guess(bytes);
}

void CharsetDecoder::to_utf8(std::string_view bytes, std::string_view charset, std::string& out, CharsetReport& report)
{
    // Pure ASCII reads the same in every charset mail uses (UTF-16/32 and UTF-7 aside).
    std::string name = iconv_name(charset);
    bool ascii_safe =
        name.empty() || (name.find("utf-16") == std::string::npos && name.find("utf-32") == std::string::npos &&
                         name.find("utf-7") == std::string::npos && name.find("ucs") == std::string::npos &&
                         name.find("2022") == std::string::npos && name.find("hz") == std::string::npos);
    if (ascii_safe && is_ascii(bytes)) {
        out.append(bytes);
        return;
    }
    if (name.empty()) {
        guess_and_convert(bytes, out, report);
        return;
    }
    if (name == "utf-8") {
        append_sanitised(bytes, out, report);
        return;
    }
    // "us-ascii" with 8-bit bytes is a lie some clients tell; RFC 2045 5.2 default with 8-bit data.
    if (name == "us-ascii" || name == "ascii" || name == "ansi_x3.4-1968" || name == "iso646-us") {
        guess_and_convert(bytes, out, report);
        return;
    }
    iconv_t cd = iconv_cache().get(name);
    if (cd == IconvCache::invalid()) {
        report.unknown_charset = true;
        guess_and_convert(bytes, out, report);
        return;
    }
    convert(cd, bytes, out, report);
}

}  // namespace redress::mime
