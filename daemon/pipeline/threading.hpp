#pragma once
// Which ticket a message continues. Pure: the pipeline asks the store with what these return.

#include "model/message.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::pipeline {

// The ticket number in a subject tag such as "Re: [RD-000123] Broken kettle" -> "RD-000123".
// The prefix is matched case-insensitively; the number must have digits only.
std::optional<std::string> ticket_tag(std::string_view subject, std::string_view prefix);

// Message-IDs a reply points at (RFC 5322 3.6.4): References, then In-Reply-To, oldest first.
std::vector<std::string> thread_message_ids(const Message& message);

// "[RD-000123] " prepended unless the subject carries the tag already.
std::string tagged_subject(std::string_view subject, std::string_view number);

}  // namespace redress::pipeline
