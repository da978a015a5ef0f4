#include "queue_letter.hpp"

#include "store/store.hpp"

#include <nlohmann/json.hpp>

namespace redress::pipeline {

Result<bool> queue_letter(store::Transaction& tx, const Letter& letter, TimePoint now)
{
    auto id = TRY(tx.enqueue_letter(letter));
    if (!id)
        return false;
    nlohmann::json detail{{"letter", *id},
                          {"template", letter.template_name},
                          {"channel", letter.channel},
                          {"recipient", letter.recipient},
                          {"message_id", letter.message_id}};
    TRY(tx.add_audit(AuditEvent{0, letter.ticket_id, now, "system", "letter.queued", detail.dump()}));
    return true;
}

}  // namespace redress::pipeline
