#pragma once
// The examples people made by correcting tickets (model/correction.hpp) as training and held-out
// data. One ticket in five is held out, chosen by a hash of its number: the same correction always
// falls on the same side, on every machine and in every run, so `redress eval --corrections`
// compares the live model and a candidate on examples the candidate never saw.

#include "labelled_data.hpp"
#include "model/correction.hpp"

#include <string_view>
#include <vector>

namespace redress::classify {

enum class CorrectionSet { training, held_out };

// Which side a ticket's correction falls on (FNV-1a of the number; one in five held out).
CorrectionSet correction_set(std::string_view ticket_number);

struct CorrectionExamples {
    std::vector<LabelledText> training;
    std::vector<LabelledText> held_out;
};

// The latest correction of each ticket (a later one overrides an earlier) as a labelled example:
// id the ticket number, text the subject and the message as the classifier read them, source
// "corrections". Corrections without text (a ticket with no message) are left out.
CorrectionExamples correction_examples(const std::vector<Correction>& corrections);

}  // namespace redress::classify
