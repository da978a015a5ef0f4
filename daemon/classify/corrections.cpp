#include "corrections.hpp"

#include <cstdint>
#include <map>

namespace redress::classify {

namespace {

constexpr std::uint64_t k_held_out_one_in = 5;

std::uint64_t fnv1a(std::string_view text)
{
    std::uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

}  // namespace

CorrectionSet correction_set(std::string_view ticket_number)
{
    return fnv1a(ticket_number) % k_held_out_one_in == 0 ? CorrectionSet::held_out : CorrectionSet::training;
}

CorrectionExamples correction_examples(const std::vector<Correction>& corrections)
{
    // Ordered by ticket number so that the training rows, and so the model, do not depend on the
    // order the corrections were made in.
    std::map<std::string, const Correction*> latest;
    for (const auto& c : corrections)
        if (!c.text.empty() || !c.subject.empty())
            latest[c.ticket_number] = &c;  // oldest first: the last one seen is the newest
    CorrectionExamples out;
    for (const auto& [number, c] : latest) {
        LabelledText t;
        t.id = number;
        t.text = c->subject.empty() ? c->text : c->subject + "\n" + c->text;
        t.complaint = c->kind == Kind::complaint;
        t.kind = c->kind;
        t.severity = c->severity;
        t.language = c->language;
        t.source = "corrections";
        (correction_set(number) == CorrectionSet::held_out ? out.held_out : out.training).push_back(std::move(t));
    }
    return out;
}

}  // namespace redress::classify
