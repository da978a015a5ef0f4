#pragma once
// Walks the MIME tree mimetic builds and fills a Message: header fields, addresses, the body text
// (charset-converted, HTML turned into text, history and signature split off), attachments and
// embedded messages. One builder per message (or per embedded message); not shared across threads.

#include "attachment_parts.hpp"
#include "header_block.hpp"
#include "header_decoder.hpp"
#include "parser.hpp"

#include "common/result.hpp"
#include "model/message.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mimetic {
class MimeEntity;
}

namespace redress::mime {

class MessageBuilder {
public:
    MessageBuilder(const ParseOptions& options, int depth)
        : m_options(options)
        , m_depth(depth)
    {
    }

    // A whole message as bytes: the top level, or an embedded message kept as bytes (digest parts,
    // base64-encoded message/rfc822).
    Result<Message> build(std::string_view bytes);

    // Also decode each attachment of this message into `parts` (attachment_parts).
    void keep_parts(std::vector<AttachmentPart>& parts) { m_parts = &parts; }

private:
    struct BodyText {
        std::string plain;
        std::string html;
    };

    // Builds from header fields and the mimetic entity of the body (the entity's own headers are
    // only consulted for Content-* fields when `content_type` is null).
    Message assemble(const std::vector<RawField>& fields, const mimetic::MimeEntity& entity,
                     const std::string* content_type, std::string_view whole);
    void fill_headers(const std::vector<RawField>& fields, Message& message);
    // An address field's mailboxes; a field that yields no address but holds encoded words is
    // decoded whole and read again (said in the message's warnings).
    std::vector<Mailbox> parse_mailboxes(std::string_view raw, std::string_view name, CharsetReport& report,
                                         Message& message);
    void walk(const mimetic::MimeEntity& entity, const std::string* content_type, const std::string& path, int depth,
              bool in_digest, Message& message, BodyText& body);
    void walk_unbounded(const mimetic::MimeEntity& entity, std::string_view subtype, const std::string& path, int depth,
                        Message& message, BodyText& body);
    void embed(const mimetic::MimeEntity& entity, std::string_view encoding, const std::string& path, int depth,
               Message& message);
    void add_text_leaf(std::string_view raw_body, std::string_view type, const std::string* charset,
                       std::string_view encoding, const std::string& path, Message& message, BodyText& body);
    void finish_text(Message& message, BodyText& body);
    void warn(Message& message, std::string sentence);
    void warn_charset(Message& message, const CharsetReport& report, std::string_view where, std::string_view charset);

    const ParseOptions& m_options;
    int m_depth;
    HeaderDecoder m_decoder;
    std::string_view m_whole;  // the bytes mimetic parsed, for the closing-boundary check
    std::vector<AttachmentPart>* m_parts = nullptr;
};

}  // namespace redress::mime
