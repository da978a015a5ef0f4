#pragma once
// A person's correction of a ticket's classification, kept as a labelled example: the words the
// classifier read, in their language, with the kind and severity a person says they have. The
// trainer learns from them (`redress train --with-corrections`) and `redress eval --corrections`
// scores models on the ones held out.

#include "classification.hpp"
#include "common/time.hpp"

#include <cstdint>
#include <string>

namespace redress {

struct Correction {
    std::int64_t id = 0;
    std::int64_t ticket_id = 0;
    std::string ticket_number;  // names the example; the held-out split hashes it
    std::string subject;        // of the customer's first message
    std::string text;           // the first message's text, as the classifier read it
    std::string language;
    Kind kind = Kind::other;  // the corrected values
    Severity severity = Severity::normal;
    Kind from_kind = Kind::other;  // what the ticket said before
    Severity from_severity = Severity::normal;
    std::string reason;
    std::string by;  // the person's login name
    TimePoint at{};
};

}  // namespace redress
