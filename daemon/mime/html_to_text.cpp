#include "html_to_text.hpp"

#include "common/text.hpp"

#include <gumbo.h>

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
        if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT && node->type != GUMBO_NODE_TEMPLATE) {
            if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA)
                w.text(node->v.text.text, f.pre);
            stack.pop_back();
            continue;
        }
        const GumboVector& children = node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
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

}  // namespace

std::string HtmlToText::convert(std::string_view html)
{
    GumboOptions options = kGumboDefaultOptions;
    // Parse errors are not needed for text; do not keep a list of them (unlimited by default).
    options.max_errors = 0;
    GumboOutput* output = gumbo_parse_with_options(&options, html.data(), html.size());
    TextWriter writer;
    // Elements with no children of their own (an empty <p>) are entered with next_child == 0 and
    // left in the same step because children.length is 0.
    walk(output->document, writer);
    gumbo_destroy_output(&options, output);
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
            while (stop < tag.size() && tag[stop] != '"' && tag[stop] != '\'' && tag[stop] != ' ' && tag[stop] != ';' && tag[stop] != '/')
                ++stop;
            return std::string(tag.substr(start, stop - start));
        }
        pos = end;
    }
    return {};
}

}  // namespace redress::mime
