#pragma once
// Where a message goes when it cannot be processed: kept whole with its reason, counted, logged,
// never blocking the channel it came from.

#include "pipeline.hpp"

#include <string>
#include <string_view>

namespace redress::pipeline {

class Quarantine {
public:
    virtual ~Quarantine() = default;
    // Keeps the bytes and the reason; returns where (a path or key) for the logs and the outcome.
    virtual Result<std::string> keep(const RawMessage& raw, std::string_view reason) = 0;
};

}  // namespace redress::pipeline
