#pragma once
// Splits a plain-text body into what the customer wrote this time, the quoted history of earlier
// messages, and a trailing signature (RFC 3676 4.3 "-- " delimiter).

#include <string>
#include <string_view>

namespace redress::mime {

struct SplitText {
    std::string text;
    std::string quoted;
    std::string signature;
};

class QuotedHistory {
public:
    // `body` uses "\n" line ends. History starts at an attribution line ("On ... wrote:",
    // "-----Original Message-----", "... написал(а):", "escreveu:", "schrieb", "escribió:",
    // "a écrit :", an Outlook "From:/Sent:" block) and includes every "> " line; the signature is
    // what follows the last "-- " line before the history.
    static SplitText split(std::string_view body);

    // Whether one line (without its line end) opens quoted history.
    static bool is_attribution(std::string_view line);
};

}  // namespace redress::mime
