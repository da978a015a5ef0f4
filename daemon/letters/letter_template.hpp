#pragma once
// One letter template file, parsed once at start-up and rendered many times.
//
// The format (templates/README.md is the manager's guide):
//   line 1     Subject: <subject text>
//   line 2     (empty)
//   line 3...  the body
// Inside subject and body: {{name}} inserts a value; {{#name}}...{{/name}} keeps its content only
// when name has a non-empty value; {{^name}}...{{/name}} only when it has none; {{! note }} is a
// comment. Whitespace inside the braces is allowed. A section or comment tag alone on its line
// takes the whole line with it, so sections do not leave blank lines behind. There is no code,
// no loops, no escaping: values are inserted as they are (letters are plain text).

#include "placeholders.hpp"

#include "common/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::letters {

struct Rendered {
    std::string subject;   // one line, no line breaks (values' line breaks become spaces)
    std::string body;      // lines end in "\n"; compose_email turns them into CRLF
    std::string language;  // the language of the template actually used (after the fallback to "en")
};

struct ParsedTemplate;

class LetterTemplate {
public:
    // Pure: `text` is the file's content, `origin` names it in problems ("templates/ru/apology.txt").
    static ParsedTemplate parse(std::string_view text, std::string_view origin);

    // Fails with "letters.missing_value" naming every placeholder that must have a value and has none
    // (used outside a section, or inside a section that is shown).
    Result<Rendered> render(const Values& values) const;

    const std::string& origin() const { return m_origin; }
    // Placeholders used outside every section: these always need a value.
    const std::vector<std::string>& required() const { return m_required; }
    // Every placeholder the template mentions, in values or section tags.
    const std::vector<std::string>& used() const { return m_used; }
    // True when the subject starts or ends with "[{{ticket.number}}]" (threading tag, see README).
    bool subject_has_ticket_tag() const { return m_subject_has_ticket_tag; }

    struct Node {
        enum class Type { text, value, section, inverted };
        Type type = Type::text;
        std::string text;  // the literal text, or the placeholder name
        int line = 0;
        std::vector<Node> children;
    };

private:
    LetterTemplate() = default;

    std::string m_origin;
    std::vector<Node> m_subject;
    std::vector<Node> m_body;
    std::vector<std::string> m_required;
    std::vector<std::string> m_used;
    bool m_subject_has_ticket_tag = false;
};

struct ParsedTemplate {
    std::optional<LetterTemplate> letter;  // set when problems is empty
    std::vector<std::string> problems;     // "<origin>:<line>: what is wrong; how to fix it"
};

}  // namespace redress::letters
