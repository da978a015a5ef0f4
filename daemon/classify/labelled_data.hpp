#pragma once
// Labelled texts for training and evaluation, read from CSV (RFC 4180: quoted fields, "" inside
// quotes, line breaks inside quotes). Columns by header name: id, text, label (1 complaint,
// 0 not) are required; kind, severity, language, domain are optional.

#include "common/result.hpp"
#include "model/classification.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::classify {

struct LabelledText {
    std::string id;
    std::string text;
    bool complaint = false;
    std::optional<Kind> kind;  // only where the file has a kind column
    std::optional<Severity> severity;
    std::string language;  // empty when the file does not say
    std::string source;    // the file name, so reports can be split by data set
};

// Splits RFC 4180 CSV into records of fields (empty lines skipped). Returns false, with the line
// where it opened, when a quote is never closed.
bool split_csv(std::string_view csv, std::vector<std::vector<std::string>>& records, std::size_t& bad_line);

// `origin` names the data in error messages and becomes LabelledText::source.
Result<std::vector<LabelledText>> parse_labelled_csv(std::string_view csv, std::string_view origin);
Result<std::vector<LabelledText>> load_labelled_csv(const std::filesystem::path& path);

}  // namespace redress::classify
