// Weights, scoring and the weights file (see linear_model.hpp).
//
// File layout, little-endian:
//   "RDRSCLS1"                      8 bytes
//   u32 format version (1)
//   u32 bucket_bits, u8 word_unigrams, u8 word_bigrams, u8 use_stems, u8 char_min, u8 char_max,
//   u8 0, u16 max_tokens
//   version 2 adds: u8 cues, u8 0, u16 0, f32 word_weight, f32 char_weight, f32 cue_weight
//   u32 info length, info bytes (UTF-8 JSON written by `redress train`)
//   u32 head count (5), then per head: u8 kind (index in k_model_kinds), u8 trained, u16 0,
//     f32 bias, f32 scale, u32 n, then n pairs (varint gap to the previous bucket + 1, i16 weight)

#include "linear_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace redress::classify {

namespace {

constexpr std::string_view k_magic = "RDRSCLS1";
constexpr std::uint32_t k_version = 2;
constexpr std::uint32_t k_oldest_version = 1;  // read with the version 2 fields at their defaults

class Writer {
public:
    void bytes(std::string_view b) { m_out.append(b); }
    void u8(std::uint8_t v) { m_out.push_back(static_cast<char>(v)); }
    void u16(std::uint16_t v)
    {
        u8(static_cast<std::uint8_t>(v));
        u8(static_cast<std::uint8_t>(v >> 8));
    }
    void u32(std::uint32_t v)
    {
        u16(static_cast<std::uint16_t>(v));
        u16(static_cast<std::uint16_t>(v >> 16));
    }
    void f32(float f)
    {
        std::uint32_t v = 0;
        std::memcpy(&v, &f, sizeof v);
        u32(v);
    }
    void varint(std::uint32_t v)
    {
        while (v >= 0x80) {
            u8(static_cast<std::uint8_t>(v | 0x80));
            v >>= 7;
        }
        u8(static_cast<std::uint8_t>(v));
    }
    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
};

class Reader {
public:
    explicit Reader(std::string_view in)
        : m_in(in)
    {
    }
    bool failed() const { return m_failed; }
    std::size_t offset() const { return m_pos; }
    std::string_view bytes(std::size_t n)
    {
        if (m_in.size() - m_pos < n) {
            m_failed = true;
            m_pos = m_in.size();
            return {};
        }
        auto out = m_in.substr(m_pos, n);
        m_pos += n;
        return out;
    }
    std::uint8_t u8()
    {
        auto b = bytes(1);
        return b.empty() ? 0 : static_cast<std::uint8_t>(b[0]);
    }
    std::uint16_t u16()
    {
        std::uint16_t lo = u8();
        return static_cast<std::uint16_t>(lo | (std::uint16_t{u8()} << 8));
    }
    std::uint32_t u32()
    {
        std::uint32_t lo = u16();
        return lo | (std::uint32_t{u16()} << 16);
    }
    float f32()
    {
        auto v = u32();
        float f = 0;
        std::memcpy(&f, &v, sizeof f);
        return f;
    }
    std::uint32_t varint()
    {
        std::uint32_t v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            auto b = u8();
            v |= std::uint32_t{b & 0x7Fu} << shift;
            if ((b & 0x80) == 0 || m_failed)
                return v;
        }
        m_failed = true;
        return v;
    }

private:
    std::string_view m_in;
    std::size_t m_pos = 0;
    bool m_failed = false;
};

Error format_error(std::string_view origin, std::string what)
{
    return make_error("classify.model_format", std::string(origin) + ": " + what +
                                                   "; the file is damaged or from another version: retrain with "
                                                   "`redress train --data ... --out FILE`");
}

}  // namespace

std::size_t head_of(Kind kind)
{
    for (std::size_t h = 0; h < k_head_count; ++h)
        if (k_model_kinds[h] == kind)
            return h;
    return k_head_count;
}

LinearModel::LinearModel(const FeatureConfig& config)
    : m_config(config)
    , m_weights((std::size_t{1} << config.bucket_bits) * k_head_count, 0)
{
}

void LinearModel::set_head(std::size_t head, double bias, const std::vector<std::pair<std::uint32_t, double>>& weights)
{
    double max_abs = 0;
    for (auto& [index, w] : weights)
        max_abs = std::max(max_abs, std::abs(w));
    float scale = max_abs > 0 ? static_cast<float>(max_abs / 32767.0) : 1.0F;
    for (std::size_t i = head; i < m_weights.size(); i += k_head_count)
        m_weights[i] = 0;
    for (auto& [index, w] : weights) {
        auto q = std::lround(w / double{scale});
        m_weights[std::size_t{index} * k_head_count + head] = static_cast<std::int16_t>(std::clamp(q, -32767L, 32767L));
    }
    m_scale[head] = scale;
    m_bias[head] = static_cast<float>(bias);
    m_trained[head] = true;
}

HeadScores LinearModel::score(const FeatureVector& features) const
{
    std::array<std::int64_t, k_head_count> words{}, chars{}, cues{};
    auto add = [&](std::array<std::int64_t, k_head_count>& sums, std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) {
            const std::int16_t* row = &m_weights[std::size_t{features.indices[i]} * k_head_count];
            for (std::size_t h = 0; h < k_head_count; ++h)
                sums[h] += row[h];
        }
    };
    auto cue_begin = std::max<std::size_t>(features.word_count, features.cue_begin());
    add(words, 0, features.word_count);
    add(chars, features.word_count, cue_begin);
    add(cues, cue_begin, features.indices.size());
    HeadScores z{};
    for (std::size_t h = 0; h < k_head_count; ++h)
        z[h] = m_trained[h] ? double{m_bias[h]} +
                                  (double(words[h]) * features.word_scale + double(chars[h]) * features.char_scale +
                                   double(cues[h]) * features.cue_scale) *
                                      m_scale[h]
                            : k_untrained_logit;
    return z;
}

std::size_t LinearModel::nonzero_weights() const
{
    std::size_t n = 0;
    for (auto w : m_weights)
        n += w != 0;
    return n;
}

std::string LinearModel::serialize() const
{
    Writer w;
    w.bytes(k_magic);
    w.u32(k_version);
    w.u32(m_config.bucket_bits);
    w.u8(m_config.word_unigrams);
    w.u8(m_config.word_bigrams);
    w.u8(m_config.use_stems);
    w.u8(m_config.char_min);
    w.u8(m_config.char_max);
    w.u8(0);
    w.u16(m_config.max_tokens);
    w.u8(m_config.cues);
    w.u8(0);
    w.u16(0);
    w.f32(m_config.word_weight);
    w.f32(m_config.char_weight);
    w.f32(m_config.cue_weight);
    w.u32(static_cast<std::uint32_t>(m_info.size()));
    w.bytes(m_info);
    w.u32(k_head_count);
    std::size_t buckets = std::size_t{1} << m_config.bucket_bits;
    for (std::size_t h = 0; h < k_head_count; ++h) {
        w.u8(static_cast<std::uint8_t>(h));
        w.u8(m_trained[h]);
        w.u16(0);
        w.f32(m_bias[h]);
        w.f32(m_scale[h]);
        std::uint32_t n = 0;
        for (std::size_t b = 0; b < buckets; ++b)
            n += m_weights[b * k_head_count + h] != 0;
        w.u32(n);
        std::size_t next = 0;  // the gap is counted from one past the previous bucket
        for (std::size_t b = 0; b < buckets; ++b) {
            auto q = m_weights[b * k_head_count + h];
            if (q == 0)
                continue;
            w.varint(static_cast<std::uint32_t>(b - next));
            w.u16(static_cast<std::uint16_t>(q));
            next = b + 1;
        }
    }
    return w.take();
}

Result<LinearModel> LinearModel::parse(std::string_view bytes, std::string_view origin)
{
    Reader r(bytes);
    if (r.bytes(k_magic.size()) != k_magic)
        return format_error(origin, "not a Redress classifier model (no RDRSCLS1 signature)");
    auto version = r.u32();
    if (version < k_oldest_version || version > k_version)
        return format_error(origin, "model format version " + std::to_string(version) + ", this program reads " +
                                        std::to_string(k_oldest_version) + " to " + std::to_string(k_version));
    FeatureConfig config;
    config.bucket_bits = r.u32();
    config.word_unigrams = r.u8() != 0;
    config.word_bigrams = r.u8() != 0;
    config.use_stems = r.u8() != 0;
    config.char_min = r.u8();
    config.char_max = r.u8();
    r.u8();
    config.max_tokens = r.u16();
    if (version >= 2) {
        config.cues = r.u8() != 0;
        r.u8();
        r.u16();
        config.word_weight = r.f32();
        config.char_weight = r.f32();
        config.cue_weight = r.f32();
    }
    auto sane_weight = [](float w) { return std::isfinite(w) && w > 0 && w < 1000; };
    if (!sane_weight(config.word_weight) || !sane_weight(config.char_weight) || !sane_weight(config.cue_weight))
        return format_error(origin, "feature family weights out of range");
    if (r.failed() || config.bucket_bits < 8 || config.bucket_bits > 24 || config.char_min > config.char_max ||
        (config.char_max > 0 && config.char_min == 0) || config.char_max > 8)
        return format_error(origin, "feature settings out of range");
    auto info_size = r.u32();
    auto info = r.bytes(info_size);
    LinearModel model(config);
    model.m_info.assign(info);
    auto heads = r.u32();
    if (r.failed() || heads != k_head_count)
        return format_error(origin, "expected " + std::to_string(k_head_count) + " heads");
    std::size_t buckets = std::size_t{1} << config.bucket_bits;
    for (std::size_t i = 0; i < heads; ++i) {
        auto h = r.u8();
        if (h >= k_head_count)
            return format_error(origin, "head number " + std::to_string(h) + " at byte " + std::to_string(r.offset()));
        model.m_trained[h] = r.u8() != 0;
        r.u16();
        model.m_bias[h] = r.f32();
        model.m_scale[h] = r.f32();
        auto n = r.u32();
        std::size_t next = 0;
        for (std::uint32_t k = 0; k < n && !r.failed(); ++k) {
            std::size_t b = next + r.varint();
            if (b >= buckets)
                return format_error(origin, "bucket out of range at byte " + std::to_string(r.offset()));
            model.m_weights[b * k_head_count + h] = static_cast<std::int16_t>(r.u16());
            next = b + 1;
        }
        if (r.failed())
            return format_error(origin, "the file ends inside head " + std::to_string(h));
        if (!std::isfinite(model.m_bias[h]) || !std::isfinite(model.m_scale[h]))
            return format_error(origin, "head " + std::to_string(h) + " has a non-finite bias or scale");
    }
    if (r.offset() != bytes.size())
        return format_error(origin, "trailing bytes after the last head");
    return model;
}

Result<LinearModel> LinearModel::load(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return make_error("classify.model_missing",
                          path.string() +
                              ": cannot open the classifier model; check the path (--model FILE) or "
                              "train one with `redress train --data ... --out " +
                              path.string() + "`");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return parse(buffer.str(), path.string());
}

Result<void> LinearModel::save(const std::filesystem::path& path) const
{
    auto tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            return make_error("classify.model_write",
                              tmp.string() + ": cannot write; check the folder exists and is writable");
        auto bytes = serialize();
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out)
            return make_error("classify.model_write", tmp.string() + ": write failed (disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec)
        return make_error("classify.model_write", path.string() + ": cannot replace: " + ec.message());
    return {};
}

}  // namespace redress::classify
