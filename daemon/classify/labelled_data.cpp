// CSV reading for labelled data (see labelled_data.hpp).

#include "labelled_data.hpp"

#include <fstream>
#include <sstream>

namespace redress::classify {

bool split_csv(std::string_view csv, std::vector<std::vector<std::string>>& records, std::size_t& bad_line)
{
    std::vector<std::string> record;
    std::string field;
    bool quoted = false;
    bool field_started = false;
    std::size_t line = 1;
    std::size_t quote_line = 0;
    for (std::size_t i = 0; i < csv.size(); ++i) {
        char c = csv[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < csv.size() && csv[i + 1] == '"') {
                    field.push_back('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n')
                    ++line;
                field.push_back(c);
            }
            continue;
        }
        if (c == '"' && !field_started) {
            quoted = true;
            field_started = true;
            quote_line = line;
        } else if (c == ',') {
            record.push_back(std::move(field));
            field.clear();
            field_started = false;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < csv.size() && csv[i + 1] == '\n')
                ++i;
            ++line;
            record.push_back(std::move(field));
            field.clear();
            field_started = false;
            if (!(record.size() == 1 && record[0].empty()))
                records.push_back(std::move(record));
            record.clear();
        } else {
            field.push_back(c);
            field_started = true;
        }
    }
    if (quoted) {
        bad_line = quote_line;
        return false;
    }
    if (field_started || !record.empty()) {
        record.push_back(std::move(field));
        records.push_back(std::move(record));
    }
    return true;
}

Result<std::vector<LabelledText>> parse_labelled_csv(std::string_view csv, std::string_view origin)
{
    if (csv.size() >= 3 && csv.substr(0, 3) == "\xEF\xBB\xBF")
        csv.remove_prefix(3);  // a byte-order mark from spreadsheet exports
    std::vector<std::vector<std::string>> records;
    std::size_t bad_line = 0;
    auto where = std::string(origin);
    if (!split_csv(csv, records, bad_line))
        return make_error("classify.data", where + ": line " + std::to_string(bad_line) +
                                               ": a quoted field is never closed; close it with \"");
    if (records.empty())
        return make_error("classify.data", where + ": empty; expected a header line id,text,label");
    const auto& header = records[0];
    auto column = [&](std::string_view name) -> int {
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == name)
                return static_cast<int>(i);
        return -1;
    };
    int id = column("id"), text = column("text"), label = column("label"), kind = column("kind"),
        severity = column("severity"), language = column("language");
    // The parity set (tests/data/parity.csv) is held out: it tests, it never trains.
    if (column("situation") >= 0 && column("lang") >= 0)
        return make_error("classify.data", where + ": a parity set (situation,lang,...) is a held-out test set; "
                                                   "score it with redress eval --parity, never train on it");
    if (id < 0 || text < 0 || label < 0)
        return make_error("classify.data", where + ": the header must name the columns id, text and label "
                                                   "(optional: kind, severity, language, domain)");
    std::vector<LabelledText> out;
    out.reserve(records.size() - 1);
    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& rec = records[r];
        auto row = "record " + std::to_string(r + 1);
        if (rec.size() != header.size())
            return make_error("classify.data", where + ": " + row + " (id " + (rec.empty() ? "" : rec[0]) + ") has " +
                                                   std::to_string(rec.size()) + " fields, the header " +
                                                   std::to_string(header.size()) + "; quote fields with commas");
        LabelledText t;
        t.id = rec[static_cast<std::size_t>(id)];
        t.text = rec[static_cast<std::size_t>(text)];
        t.source = where;
        const auto& l = rec[static_cast<std::size_t>(label)];
        if (l != "0" && l != "1")
            return make_error("classify.data", where + ": " + row + " (id " + t.id +
                                                   "): label must be 1 (complaint) or 0, not \"" + l + "\"");
        t.complaint = l == "1";
        if (kind >= 0 && !rec[static_cast<std::size_t>(kind)].empty()) {
            t.kind = kind_from_string(rec[static_cast<std::size_t>(kind)]);
            if (!t.kind)
                return make_error("classify.data", where + ": " + row + " (id " + t.id + "): unknown kind \"" +
                                                       rec[static_cast<std::size_t>(kind)] + "\"");
            if ((*t.kind == Kind::complaint) != t.complaint)
                return make_error("classify.data", where + ": " + row + " (id " + t.id +
                                                       "): label and kind disagree (label 1 means kind complaint)");
        }
        if (severity >= 0 && !rec[static_cast<std::size_t>(severity)].empty()) {
            t.severity = severity_from_string(rec[static_cast<std::size_t>(severity)]);
            if (!t.severity)
                return make_error("classify.data",
                                  where + ": " + row + " (id " + t.id + "): severity must be normal or major");
        }
        if (language >= 0)
            t.language = rec[static_cast<std::size_t>(language)];
        out.push_back(std::move(t));
    }
    return out;
}

Result<std::vector<LabelledText>> load_labelled_csv(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return make_error("classify.data", path.string() + ": cannot open; check the path given to --data");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_labelled_csv(text.str(), path.filename().string());
}

}  // namespace redress::classify
