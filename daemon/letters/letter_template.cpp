#include "letter_template.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <set>

namespace redress::letters {

namespace {

using Node = LetterTemplate::Node;

enum class TagKind { value, open, open_inverted, close, comment };

struct Token {
    bool is_tag = false;
    TagKind kind = TagKind::value;
    std::string text;  // literal text, or the tag's name
};

struct Line {
    int number = 0;
    std::string_view text;  // without its line break
    bool has_break = false;
};

class Parser {
public:
    Parser(std::string_view origin, std::vector<std::string>& problems)
        : m_origin(origin)
        , m_problems(problems)
    {
    }

    // Turns lines into a node tree. `standalone` enables the rule that a section tag alone on its
    // line removes the line (used for the body; the subject is one line and keeps its spaces).
    std::vector<Node> parse(const std::vector<Line>& lines, bool standalone)
    {
        std::vector<Node> root;
        // Open sections: the node under construction lives in `frames`, children collect there.
        struct Frame {
            Node node;
        };
        std::vector<Frame> frames;
        auto target = [&]() -> std::vector<Node>& { return frames.empty() ? root : frames.back().node.children; };
        auto append_text = [&](std::string_view text, int line) {
            if (text.empty())
                return;
            auto& nodes = target();
            if (!nodes.empty() && nodes.back().type == Node::Type::text)
                nodes.back().text += text;
            else
                nodes.push_back(Node{Node::Type::text, std::string(text), line, {}});
        };

        for (const Line& line : lines) {
            std::vector<Token> tokens;
            if (!tokenize(line, tokens))
                continue;
            bool drop_line = standalone && is_standalone(tokens);
            for (const Token& token : tokens) {
                if (!token.is_tag) {
                    if (!drop_line)
                        append_text(token.text, line.number);
                    continue;
                }
                switch (token.kind) {
                case TagKind::comment:
                    break;
                case TagKind::value:
                    target().push_back(Node{Node::Type::value, token.text, line.number, {}});
                    break;
                case TagKind::open:
                case TagKind::open_inverted:
                    frames.push_back(
                        Frame{Node{token.kind == TagKind::open ? Node::Type::section : Node::Type::inverted,
                                   token.text,
                                   line.number,
                                   {}}});
                    break;
                case TagKind::close:
                    if (frames.empty()) {
                        problem(line.number, "{{/" + token.text +
                                                 "}} closes a section that was never opened; remove it or add {{#" +
                                                 token.text + "}} before it");
                    } else if (frames.back().node.text != token.text) {
                        problem(line.number, "{{/" + token.text + "}} closes {{#" + frames.back().node.text +
                                                 "}} opened on line " + std::to_string(frames.back().node.line) +
                                                 "; close that one first with {{/" + frames.back().node.text + "}}");
                    } else {
                        Node done = std::move(frames.back().node);
                        frames.pop_back();
                        target().push_back(std::move(done));
                    }
                    break;
                }
            }
            if (line.has_break && !drop_line)
                append_text("\n", line.number);
        }
        for (auto it = frames.rbegin(); it != frames.rend(); ++it)
            problem(it->node.line,
                    "section {{#" + it->node.text + "}} is never closed; add {{/" + it->node.text + "}} where it ends");
        return root;
    }

    void problem(int line, const std::string& what)
    {
        m_problems.push_back(std::string(m_origin) + ":" + std::to_string(line) + ": " + what);
    }

private:
    static bool is_standalone(const std::vector<Token>& tokens)
    {
        int tags = 0;
        for (const Token& t : tokens) {
            if (t.is_tag) {
                if (t.kind == TagKind::value)
                    return false;
                ++tags;
            } else if (t.text.find_first_not_of(" \t") != std::string::npos) {
                return false;
            }
        }
        return tags == 1;
    }

    static bool valid_name(std::string_view name)
    {
        if (name.empty() || name.front() == '.' || name.back() == '.')
            return false;
        return std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
        });
    }

    // Splits one line into text and tags. A tag never spans lines, which keeps every problem on
    // the line where it is. Returns false (with a problem recorded) when the line cannot be read.
    bool tokenize(const Line& line, std::vector<Token>& tokens)
    {
        std::string_view rest = line.text;
        bool ok = true;
        while (!rest.empty()) {
            auto open = rest.find("{{");
            if (open == std::string_view::npos) {
                tokens.push_back(Token{false, TagKind::value, std::string(rest)});
                break;
            }
            if (open > 0)
                tokens.push_back(Token{false, TagKind::value, std::string(rest.substr(0, open))});
            rest.remove_prefix(open + 2);
            if (!rest.empty() && rest.front() == '{') {
                problem(line.number,
                        "triple braces {{{...}}} are not supported; write {{name}}: letters are plain text and values "
                        "are inserted as they are");
                return false;
            }
            auto close = rest.find("}}");
            if (close == std::string_view::npos) {
                problem(line.number, "'{{' is not closed by '}}' on the same line; a placeholder must fit on one line");
                return false;
            }
            std::string_view inside = trim(rest.substr(0, close));
            rest.remove_prefix(close + 2);
            Token tag{true, TagKind::value, {}};
            if (!inside.empty()) {
                switch (inside.front()) {
                case '#':
                    tag.kind = TagKind::open;
                    break;
                case '^':
                    tag.kind = TagKind::open_inverted;
                    break;
                case '/':
                    tag.kind = TagKind::close;
                    break;
                case '!':
                    tag.kind = TagKind::comment;
                    break;
                default:
                    break;
                }
                if (tag.kind != TagKind::value)
                    inside = trim(inside.substr(1));
            }
            if (tag.kind == TagKind::comment) {
                tokens.push_back(std::move(tag));
                continue;
            }
            tag.text = std::string(inside);
            if (!valid_name(inside)) {
                problem(line.number, "'{{" + std::string(inside) +
                                         "}}' is not a placeholder name; names are lower-case words joined by "
                                         "dots, like {{ticket.number}}");
                ok = false;
                continue;
            }
            if (!is_known_placeholder(inside)) {
                std::string hint = "see the list in templates/README.md";
                if (auto near = suggest_placeholder(inside))
                    hint = "did you mean {{" + std::string(*near) + "}}? (all names are in templates/README.md)";
                problem(line.number, "unknown placeholder {{" + std::string(inside) + "}}; " + hint);
                ok = false;
                continue;
            }
            tokens.push_back(std::move(tag));
        }
        return ok;
    }

    std::string_view m_origin;
    std::vector<std::string>& m_problems;
};

std::vector<Line> split_lines(std::string_view text, int first_number)
{
    std::vector<Line> lines;
    int number = first_number;
    while (!text.empty()) {
        auto end = text.find('\n');
        if (end == std::string_view::npos) {
            lines.push_back(Line{number, text, false});
            break;
        }
        lines.push_back(Line{number, text.substr(0, end), true});
        text.remove_prefix(end + 1);
        ++number;
    }
    return lines;
}

void collect_names(const std::vector<Node>& nodes, bool inside_section, std::set<std::string>& required,
                   std::set<std::string>& used)
{
    for (const Node& node : nodes) {
        if (node.type == Node::Type::text)
            continue;
        used.insert(node.text);
        if (node.type == Node::Type::value && !inside_section)
            required.insert(node.text);
        collect_names(node.children, inside_section || node.type != Node::Type::value, required, used);
    }
}

// The subject written back in a canonical form, to test where the ticket tag sits.
void canonical(const std::vector<Node>& nodes, std::string& out)
{
    for (const Node& node : nodes) {
        switch (node.type) {
        case Node::Type::text:
            out += node.text;
            break;
        case Node::Type::value:
            out += "{{" + node.text + "}}";
            break;
        case Node::Type::section:
        case Node::Type::inverted:
            out += (node.type == Node::Type::section ? "{{#" : "{{^") + node.text + "}}";
            canonical(node.children, out);
            out += "{{/" + node.text + "}}";
            break;
        }
    }
}

std::string_view lookup(const Values& values, std::string_view name)
{
    auto it = values.find(name);
    return it == values.end() ? std::string_view{} : std::string_view(it->second);
}

void render_nodes(const std::vector<Node>& nodes, const Values& values, bool one_line, std::string& out,
                  std::set<std::string>& missing)
{
    for (const Node& node : nodes) {
        switch (node.type) {
        case Node::Type::text:
            out += node.text;
            break;
        case Node::Type::value: {
            std::string_view value = lookup(values, node.text);
            if (value.empty()) {
                missing.insert(node.text);
                break;
            }
            if (!one_line) {
                out += value;
                break;
            }
            // A subject is one header line: a line break in a value must not start a new header.
            for (char c : value)
                out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
            break;
        }
        case Node::Type::section:
        case Node::Type::inverted: {
            bool has_value = !lookup(values, node.text).empty();
            if (has_value == (node.type == Node::Type::section))
                render_nodes(node.children, values, one_line, out, missing);
            break;
        }
        }
    }
}

// Spaces left at line ends by empty inline sections ("Customer:  {{#customer.name}}...") are dropped,
// as are blank lines at the end; the body ends with exactly one line break.
std::string tidy_body(std::string_view body)
{
    std::string out;
    for (std::string_view line : split(body, '\n')) {
        auto end = line.find_last_not_of(" \t");
        out += end == std::string_view::npos ? std::string_view{} : line.substr(0, end + 1);
        out += '\n';
    }
    while (!out.empty() && out.back() == '\n')
        out.pop_back();
    out += '\n';
    return out;
}

std::string collapse_spaces(std::string_view text)
{
    std::string out;
    for (char c : trim(text)) {
        if (c == ' ' && !out.empty() && out.back() == ' ')
            continue;
        out += c;
    }
    return out;
}

}  // namespace

ParsedTemplate LetterTemplate::parse(std::string_view raw, std::string_view origin)
{
    ParsedTemplate parsed;
    auto& problems = parsed.problems;
    auto problem = [&](int line, const std::string& what) {
        problems.push_back(std::string(origin) + ":" + std::to_string(line) + ": " + what);
    };

    // Windows editors add a byte-order mark and CRLF line ends; neither belongs in a letter.
    std::string text(raw);
    if (text.rfind("\xEF\xBB\xBF", 0) == 0)
        text.erase(0, 3);
    text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());

    std::vector<Line> lines = split_lines(text, 1);
    for (const Line& line : lines) {
        if (!is_valid_utf8(line.text)) {
            problem(line.number, "the line is not valid UTF-8; save the file in UTF-8");
            return parsed;
        }
    }
    if (lines.empty() || !istarts_with(lines[0].text, "Subject:")) {
        problem(
            1, "the first line must be the subject, written as 'Subject: ...', followed by an empty line and the body");
        return parsed;
    }
    std::string_view subject_text = trim(lines[0].text.substr(8));
    if (subject_text.empty())
        problem(1, "the subject is empty; write it after 'Subject:'");
    if (lines.size() < 2 || !trim(lines[1].text).empty()) {
        problem(2, "the subject line must be followed by an empty line, then the body");
        return parsed;
    }
    if (lines.size() < 3) {
        problem(2, "the body is missing; write the letter after the empty line");
        return parsed;
    }

    LetterTemplate letter;
    letter.m_origin = std::string(origin);
    Parser parser(origin, problems);
    letter.m_subject = parser.parse({Line{1, subject_text, false}}, false);
    std::string_view body_text = std::string_view(text).substr(text.find('\n', text.find('\n') + 1) + 1);
    letter.m_body = parser.parse(split_lines(body_text, 3), true);

    std::set<std::string> required, used;
    collect_names(letter.m_subject, false, required, used);
    collect_names(letter.m_body, false, required, used);
    letter.m_required.assign(required.begin(), required.end());
    letter.m_used.assign(used.begin(), used.end());

    std::string subject_form;
    canonical(letter.m_subject, subject_form);
    std::string_view form = trim(subject_form);
    constexpr std::string_view k_tag = "[{{ticket.number}}]";
    letter.m_subject_has_ticket_tag = form.substr(0, k_tag.size()) == k_tag ||
                                      (form.size() >= k_tag.size() && form.substr(form.size() - k_tag.size()) == k_tag);
    // Replies are threaded by the tag; a ticket letter without it would open a second ticket.
    if (required.count("ticket.number") && !letter.m_subject_has_ticket_tag)
        problem(1, "the subject must start or end with [{{ticket.number}}] so that replies find their ticket");

    if (problems.empty())
        parsed.letter = std::move(letter);
    return parsed;
}

Result<Rendered> LetterTemplate::render(const Values& values) const
{
    std::set<std::string> missing;
    std::string subject;
    render_nodes(m_subject, values, true, subject, missing);
    std::string body;
    render_nodes(m_body, values, false, body, missing);
    if (!missing.empty()) {
        std::string names;
        for (const auto& name : missing)
            names += (names.empty() ? "" : ", ") + name;
        return make_error("letters.missing_value",
                          m_origin + ": no value for " + names +
                              "; the caller must fill every placeholder the template uses outside a section");
    }
    return Rendered{collapse_spaces(subject), tidy_body(body), {}};
}

}  // namespace redress::letters
