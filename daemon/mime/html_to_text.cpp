#include "html_to_text.hpp"

#include "common/text.hpp"

#include <gumbo.h>

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <unordered_map>
#include <vector>

namespace redress::mime {

namespace {

class TextWriter {
public:
    void text(std::string_view s, bool preformatted)
    {
        for (char c : s) {
            if (c == '\r')
                continue;
            if (preformatted && c == '\n') {
                newline();
                continue;
            }
            if (preformatted && (c == ' ' || c == '\t')) {
                if (m_line_empty)
                    start_line();
                m_out.push_back(c);
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '\f') {
                m_space = true;
                continue;
            }
            if (m_line_empty) {
                start_line();
            } else if (m_space) {
                m_out.push_back(' ');
            }
            m_space = false;
            m_out.push_back(c);
        }
        if (preformatted)
            m_space = false;
    }
    void raw_prefix(std::string_view s)
    {
        if (m_line_empty)
            start_line();
        m_out += s;
        m_space = false;
    }
    void newline()
    {
        m_out.push_back('\n');
        m_line_empty = true;
        m_space = false;
    }
    // Ends the current line if it has text; paragraphs add one blank line at most.
    void block_break(bool blank_line)
    {
        if (!m_line_empty)
            newline();
        if (blank_line && !m_out.empty() && !ends_with_blank_line())
            newline();
    }
    void enter_quote() { ++m_quote_depth; }
    void leave_quote()
    {
        if (m_quote_depth > 0)
            --m_quote_depth;
    }
    std::string finish()
    {
        while (!m_out.empty() && (m_out.back() == '\n' || m_out.back() == ' '))
            m_out.pop_back();
        std::size_t start = 0;
        while (start < m_out.size() && m_out[start] == '\n')
            ++start;
        return m_out.substr(start);
    }

private:
    void start_line()
    {
        for (int i = 0; i < m_quote_depth; ++i)
            m_out += "> ";
        m_line_empty = false;
    }
    bool ends_with_blank_line() const
    {
        std::size_t n = m_out.size();
        return n >= 2 && m_out[n - 1] == '\n' && m_out[n - 2] == '\n';
    }

    std::string m_out;
    bool m_line_empty = true;
    bool m_space = false;
    int m_quote_depth = 0;
};

bool is_block(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIELDSET:
        return true;
    default:
        return false;
    }
}

bool paragraph_like(GumboTag tag)
{
    return tag == GUMBO_TAG_P || (tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6) || tag == GUMBO_TAG_TABLE ||
           tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL || tag == GUMBO_TAG_BLOCKQUOTE || tag == GUMBO_TAG_PRE;
}

// Iterative walk: deeply nested tables in marketing mail must not exhaust the stack.
void walk(const GumboNode* root, TextWriter& w)
{
    struct Frame {
        const GumboNode* node;
        unsigned next_child;
        bool pre;
    };
    std::vector<Frame> stack;
    stack.push_back({root, 0, false});
    while (!stack.empty()) {
        Frame& f = stack.back();
        const GumboNode* node = f.node;
        if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT &&
            node->type != GUMBO_NODE_TEMPLATE) {
            if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA)
                w.text(node->v.text.text, f.pre);
            stack.pop_back();
            continue;
        }
        const GumboVector& children =
            node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
        GumboTag tag = node->type == GUMBO_NODE_DOCUMENT ? GUMBO_TAG_UNKNOWN : node->v.element.tag;
        if (f.next_child == 0) {
            // Entering the element.
            if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_HEAD || tag == GUMBO_TAG_TITLE ||
                tag == GUMBO_TAG_NOSCRIPT || tag == GUMBO_TAG_TEMPLATE) {
                stack.pop_back();
                continue;
            }
            if (tag == GUMBO_TAG_BR) {
                w.newline();
                stack.pop_back();
                continue;
            }
            if (tag == GUMBO_TAG_HR) {
                w.block_break(false);
                stack.pop_back();
                continue;
            }
            if (tag == GUMBO_TAG_IMG) {
                stack.pop_back();
                continue;
            }
            if (is_block(tag))
                w.block_break(paragraph_like(tag));
            if (tag == GUMBO_TAG_BLOCKQUOTE)
                w.enter_quote();
            if (tag == GUMBO_TAG_LI) {
                w.block_break(false);
                w.raw_prefix("- ");
            }
            if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH)
                w.text(" ", false);
        }
        if (f.next_child < children.length) {
            const GumboNode* child = static_cast<const GumboNode*>(children.data[f.next_child++]);
            bool pre = f.pre || tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_TEXTAREA;
            stack.push_back({child, 0, pre});
            continue;
        }
        // Leaving the element.
        if (tag == GUMBO_TAG_BLOCKQUOTE) {
            w.block_break(false);
            w.leave_quote();
        }
        if (is_block(tag) || tag == GUMBO_TAG_LI)
            w.block_break(paragraph_like(tag));
        stack.pop_back();
    }
}

// Gumbo allocates every node, string buffer and vector separately and frees them one by one;
// malloc and free were a quarter of its time. The tree lives only while it is walked, so its memory
// comes from large blocks handed out in order and released together.
class GumboArena {
public:
    GumboArena() = default;
    GumboArena(const GumboArena&) = delete;
    GumboArena& operator=(const GumboArena&) = delete;

    static void* allocate(void* self, std::size_t size) { return static_cast<GumboArena*>(self)->take(size); }
    // Gumbo grows a vector by allocating anew and freeing the old block: that space is not reused.
    static void deallocate(void*, void*) { }

private:
    static constexpr std::size_t k_block = 64 * 1024;
    static constexpr std::size_t k_align = alignof(std::max_align_t);

    void* take(std::size_t size)
    {
        size = (size + k_align - 1) / k_align * k_align;
        if (size > m_left) {
            std::size_t block = std::max(size, k_block);
            m_blocks.push_back(std::make_unique<std::max_align_t[]>(block / sizeof(std::max_align_t) + 1));
            m_next = reinterpret_cast<char*>(m_blocks.back().get());
            m_left = block;
        }
        void* p = m_next;
        m_next += size;
        m_left -= size;
        return p;
    }

    std::vector<std::unique_ptr<std::max_align_t[]>> m_blocks;
    char* m_next = nullptr;
    std::size_t m_left = 0;
};

// Attributes are most of the bytes of marketing HTML (styles, links, sizes), gumbo's tokenizer
// spends most of its time on them, and the text walk never reads one. slim_markup() copies the
// document with start and end tags reduced to their names, following the tokenizer states of
// HTML5 section 12.2.5 so that every tag, comment and raw-text boundary stays where gumbo finds it.
// Where attributes can change the tree it keeps what matters (<input type=hidden> in tables whole,
// the sameness of formatting elements' attributes), and it gives up, leaving the document as it
// is, on what it does not model (SVG and MathML, <plaintext>, <noscript>, escaped script text,
// NUL bytes).
bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string lower_name(std::string_view name)
{
    std::string out(name.substr(0, 16));
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool one_of(std::string_view name, std::initializer_list<std::string_view> names)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

// From just after a tag's name to just past its '>', through the attribute states. Returns npos
// when the input ends inside the tag (gumbo then drops the tag).
std::size_t tag_end(std::string_view html, std::size_t k, bool& self_closing)
{
    enum class State {
        before_name,
        name,
        after_name,
        before_value,
        double_quoted,
        single_quoted,
        unquoted,
        after_quoted,
        self_closing
    };
    State state = State::before_name;
    self_closing = false;
    for (; k < html.size(); ++k) {
        char c = html[k];
        switch (state) {
        case State::before_name:
        case State::after_quoted:
        case State::self_closing:
            if (c == '>') {
                self_closing = state == State::self_closing;
                return k + 1;
            }
            if (is_space(c))
                state = State::before_name;
            else if (c == '/')
                state = State::self_closing;
            else
                state = State::name;
            break;
        case State::name:
        case State::after_name:
            if (c == '>')
                return k + 1;
            if (is_space(c))
                state = State::after_name;
            else if (c == '/')
                state = State::self_closing;
            else if (c == '=')
                state = State::before_value;
            else
                state = State::name;
            break;
        case State::before_value:
            if (c == '>')
                return k + 1;
            if (c == '"')
                state = State::double_quoted;
            else if (c == '\'')
                state = State::single_quoted;
            else if (!is_space(c))
                state = State::unquoted;
            break;
        case State::double_quoted:
            if (c == '"')
                state = State::after_quoted;
            break;
        case State::single_quoted:
            if (c == '\'')
                state = State::after_quoted;
            break;
        case State::unquoted:
            if (c == '>')
                return k + 1;
            if (is_space(c))
                state = State::before_name;
            break;
        }
    }
    return std::string_view::npos;
}

// From just after "<!--" to just past the comment's end (section 12.2.5.43-12.2.5.52: "-->",
// "--!>", and the abrupt "<!-->" and "<!--->"), or npos when the input ends first.
std::size_t comment_end(std::string_view html, std::size_t k)
{
    enum class State { start, start_dash, text, end_dash, end, bang };
    State state = State::start;
    for (; k < html.size(); ++k) {
        char c = html[k];
        switch (state) {
        case State::start:
            if (c == '>')
                return k + 1;
            state = c == '-' ? State::start_dash : State::text;
            break;
        case State::start_dash:
            if (c == '>')
                return k + 1;
            state = c == '-' ? State::end : State::text;
            break;
        case State::text:
            if (c == '-')
                state = State::end_dash;
            break;
        case State::end_dash:
            state = c == '-' ? State::end : State::text;
            break;
        case State::end:
            if (c == '>')
                return k + 1;
            state = c == '!' ? State::bang : c == '-' ? State::end : State::text;
            break;
        case State::bang:
            if (c == '>')
                return k + 1;
            state = c == '-' ? State::end_dash : State::text;
            break;
        }
    }
    return std::string_view::npos;
}

// Where the raw text of <name> ends: at "</name" followed by a space, '/' or '>' (the "appropriate
// end tag" of section 12.2.5), or npos.
std::size_t raw_text_end(std::string_view html, std::size_t k, std::string_view name)
{
    while ((k = html.find("</", k)) != std::string_view::npos) {
        std::size_t after = k + 2 + name.size();
        if (after < html.size() && iequals(html.substr(k + 2, name.size()), name) &&
            (is_space(html[after]) || html[after] == '/' || html[after] == '>'))
            return k;
        k += 2;
    }
    return std::string_view::npos;
}

// Fills `out` with the slimmed document and returns true, or returns false to have the document
// parsed as it is.
bool slim_markup(std::string_view html, std::string& out)
{
    if (html.find('\0') != std::string_view::npos)
        return false;
    out.clear();
    out.reserve(html.size());
    std::unordered_map<std::string_view, std::size_t> stand_ins;
    const std::size_t n = html.size();
    std::size_t i = 0;
    auto copy_to = [&](std::size_t end) {
        end = std::min(end, n);
        out.append(html.substr(i, end - i));
        i = end;
    };
    while (i < n) {
        std::size_t lt = html.find('<', i);
        if (lt == std::string_view::npos || lt + 1 >= n) {
            copy_to(n);
            break;
        }
        copy_to(lt);
        char c = html[i + 1];
        if (c == '!') {
            // Comments, DOCTYPE and bogus comments are copied whole.
            std::size_t gt = html.find('>', i + 2);
            if (html.compare(i, 4, "<!--") == 0)
                copy_to(comment_end(html, i + 4));
            else
                copy_to(gt == std::string_view::npos ? n : gt + 1);
            continue;
        }
        if (c == '?' || (c == '/' && i + 2 < n && !is_alpha(html[i + 2]))) {
            // A bogus comment, or "</>" which is dropped: up to the next '>'.
            std::size_t gt = html.find('>', i + 2);
            copy_to(gt == std::string_view::npos ? n : gt + 1);
            continue;
        }
        bool end_tag = c == '/';
        if (!end_tag && !is_alpha(c)) {
            copy_to(i + 1);  // a '<' that opens no tag is text
            continue;
        }
        std::size_t name_start = i + (end_tag ? 2 : 1);
        std::size_t k = name_start;
        while (k < n && !is_space(html[k]) && html[k] != '/' && html[k] != '>')
            ++k;
        std::string_view name = html.substr(name_start, k - name_start);
        std::string lower = lower_name(name);
        if (one_of(lower, {"svg", "math", "plaintext", "noscript"}))
            return false;
        bool self_closing = false;
        std::size_t end = tag_end(html, k, self_closing);
        if (end == std::string_view::npos) {
            copy_to(n);
            break;
        }
        if (!end_tag && lower == "input") {
            copy_to(end);
            continue;
        }
        out.push_back('<');
        if (end_tag)
            out.push_back('/');
        out.append(name);
        if (!end_tag && one_of(lower, {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike",
                                       "strong", "tt", "u"})) {
            // Formatting elements are compared by their attributes (the "Noah's Ark" clause of
            // section 12.2.4.3): each distinct attribute text becomes one short stand-in, so
            // elements written alike still compare alike.
            std::string_view attributes = trim(html.substr(k, end - 1 - k));
            if (self_closing && !attributes.empty())
                attributes = trim(attributes.substr(0, attributes.size() - 1));
            if (!attributes.empty()) {
                auto at = stand_ins.emplace(attributes, stand_ins.size()).first;
                out += " _=";
                out += std::to_string(at->second);
            }
        }
        if (self_closing && !end_tag)
            out.push_back('/');
        out.push_back('>');
        i = end;
        if (end_tag)
            continue;
        if (one_of(lower, {"script", "style", "xmp", "iframe", "noembed", "noframes", "title", "textarea"})) {
            std::size_t close = raw_text_end(html, i, lower);
            // Script text has escape states ("<!--" ... "<script>") this copy does not follow.
            if (lower == "script" && html.substr(i, close == std::string_view::npos ? n - i : close - i).find("<!--") !=
                                         std::string_view::npos)
                return false;
            copy_to(close == std::string_view::npos ? n : close);
        }
    }
    return true;
}

// The first k_max_input bytes, cut before a tag where one starts near the end (gumbo would drop a
// half tag anyway) and never inside a UTF-8 sequence.
std::string_view bounded(std::string_view html)
{
    if (html.size() <= HtmlToText::k_max_input)
        return html;
    std::size_t cut = utf8_cut(html, HtmlToText::k_max_input);
    std::size_t tag = html.rfind('<', cut);
    if (tag != std::string_view::npos && cut - tag < 1024)
        cut = tag;
    return html.substr(0, cut);
}

}  // namespace

std::string HtmlToText::convert(std::string_view html)
{
    html = bounded(html);
    std::string slim;
    if (slim_markup(html, slim))
        html = slim;
    GumboArena arena;
    GumboOptions options = kGumboDefaultOptions;
    options.allocator = &GumboArena::allocate;
    options.deallocator = &GumboArena::deallocate;
    options.userdata = &arena;
    // Parse errors are not needed for text; do not keep a list of them (unlimited by default).
    options.max_errors = 0;
    GumboOutput* output = gumbo_parse_with_options(&options, html.data(), html.size());
    TextWriter writer;
    // Elements with no children of their own (an empty <p>) are entered with next_child == 0 and
    // left in the same step because children.length is 0.
    walk(output->document, writer);
    // No gumbo_destroy_output: the arena's blocks hold the whole tree and go with it.
    return writer.finish();
}

std::string HtmlToText::meta_charset(std::string_view html)
{
    // Only the start of the document is looked at, as HTML5 8.2.2.2 prescans the first 1024 bytes.
    std::string head = ascii_lower(html.substr(0, 2048));
    std::size_t pos = 0;
    while ((pos = head.find("<meta", pos)) != std::string::npos) {
        std::size_t end = head.find('>', pos);
        if (end == std::string::npos)
            break;
        std::string_view tag = std::string_view(head).substr(pos, end - pos);
        if (auto cs = tag.find("charset="); cs != std::string_view::npos) {
            std::size_t start = cs + 8;
            while (start < tag.size() && (tag[start] == '"' || tag[start] == '\'' || tag[start] == ' '))
                ++start;
            std::size_t stop = start;
            while (stop < tag.size() && tag[stop] != '"' && tag[stop] != '\'' && tag[stop] != ' ' && tag[stop] != ';' &&
                   tag[stop] != '/')
                ++stop;
            return std::string(tag.substr(start, stop - start));
        }
        pos = end;
    }
    return {};
}

}  // namespace redress::mime
