#include "chat_greeting.hpp"

#include "common/text.hpp"
#include "letter_writer.hpp"
#include "queue_letter.hpp"
#include "runtime.hpp"
#include "store/store.hpp"

namespace redress::pipeline {

std::string chat_greeting(const Runtime& runtime, std::string_view language)
{
    letters::Values values{{"company.name", runtime.config.company.name}};
    if (runtime.templates.has("chat_greeting", language)) {
        auto rendered = runtime.templates.render("chat_greeting", language, values);
        if (rendered)
            return std::string(trim(rendered->body));
    }
    if (language.starts_with("ru"))
        return "Здравствуйте! Это поддержка " + runtime.config.company.name +
               ". Напишите здесь ваш вопрос или жалобу, и мы ответим в этом чате.";
    return "Hello! This is " + runtime.config.company.name +
           " support. Write your question or complaint here and we will answer in this chat.";
}

Result<bool> greet_in_chat(store::Transactions& store, const Runtime& runtime, const ChatGreeting& greeting,
                           TimePoint now)
{
    auto address = config::parse_chat_address(greeting.conversation);
    if (!address)
        return make_error(ErrorKind::invalid, "chat.greeting", "the conversation has no chat address");
    auto tx = TRY(store.begin());
    Letter letter;
    letter.channel = "chat:" + greeting.chat;
    letter.template_name = "chat_greeting";
    letter.recipient = address->id;
    letter.dedup_key = "greet:" + greeting.source_key;
    letter.message_id = letter_message_id(tx->install_id(), letter.dedup_key, "", "chat_greeting",
                                          runtime.config.company.message_id_domain);
    letter.content = chat_greeting(runtime, greeting.language);
    letter.created_at = now;
    letter.next_attempt_at = now;
    bool queued = TRY(queue_letter(*tx, letter, now));
    if (queued)
        TRY(tx->commit());
    return queued;
}

}  // namespace redress::pipeline
