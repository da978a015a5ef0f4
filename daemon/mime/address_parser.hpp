#pragma once
// RFC 5322 3.4 address lists to Mailboxes: quoted display names, comments, groups, bare addresses,
// the obsolete "addr (Name)" form and the sloppy "Name addr@host" some web forms write.

#include "header_decoder.hpp"

#include "model/message.hpp"

#include <string_view>
#include <vector>

namespace redress::mime {

class AddressParser {
public:
    // Group names are dropped and their members listed (RFC 5322 3.4 "group").
    static std::vector<Mailbox> parse_list(std::string_view raw, const HeaderDecoder& decoder, CharsetReport& report);
};

}  // namespace redress::mime
