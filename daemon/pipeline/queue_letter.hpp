#pragma once
// The one way the pipeline puts a written letter into the outbox: the outbox row and its audit row
// ("letter.queued") in the caller's transaction. The ingest's letters (the acknowledgement and the
// others a message asks for) and the greeting of Telegram's /start all go through it.

#include "common/result.hpp"
#include "common/time.hpp"
#include "model/ticket.hpp"

namespace redress::store {
class Transaction;
}

namespace redress::pipeline {

// Queues `letter`; false when a letter with its dedup key was queued before (nothing is written).
Result<bool> queue_letter(store::Transaction& tx, const Letter& letter, TimePoint now);

}  // namespace redress::pipeline
