#pragma once
// The parity set: one situation (a refund demand, a thank-you, an out-of-office reply) written by a
// customer in each supported language, with the kind and severity it should get. The set is for
// testing only (tests/data/parity.csv is held out of training): it answers whether a customer's
// language changes how seriously we take them. `redress eval --parity FILE` prints this report.

#include "classifier.hpp"
#include "common/result.hpp"
#include "model/classification.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace redress::classify {

struct ParityText {
    std::string situation;  // "refund-incomplete-set"
    std::string language;   // the language it is written in (ISO 639-1)
    std::string text;
    Kind kind = Kind::other;  // what it should get; the same for every text of a situation
    Severity severity = Severity::normal;
};

// CSV (RFC 4180) with the header situation,lang,text,kind,severity (any order, other columns
// ignored). A situation whose texts disagree on kind or severity, or that has a language twice,
// is an error naming the record. `origin` names the file in errors.
Result<std::vector<ParityText>> parse_parity_csv(std::string_view csv, std::string_view origin);
Result<std::vector<ParityText>> load_parity_csv(const std::filesystem::path& path);

struct ParityReport {
    struct Counts {
        std::size_t n = 0;
        std::size_t kind_right = 0;
        std::size_t severity_right = 0;
        std::size_t language_right = 0;  // the detected language is the one the text is written in
    };
    struct Got {
        std::string language;
        Kind kind = Kind::other;
        Severity severity = Severity::normal;
        std::string detected;  // the language the classifier detected
    };
    struct Situation {
        std::string name;
        Kind kind = Kind::other;
        Severity severity = Severity::normal;
        std::vector<Got> got;  // one per text, in file order
        bool kind_agrees() const;
        bool major_agrees() const;
        bool all_right() const;
    };
    std::string source;
    std::map<std::string, Counts> by_language;
    Counts all;
    std::vector<Situation> situations;  // in file order

    std::size_t kind_agreeing() const;
    std::size_t major_agreeing() const;
    double kind_agreement() const;   // share of situations whose texts all got the same kind
    double major_agreement() const;  // the same for the major decision
    std::vector<std::string> languages() const;
    nlohmann::json to_json() const;
    std::string to_text() const;  // a table per language, then the situations that disagree or are wrong
};

ParityReport evaluate_parity(const Classifier& classifier, const std::vector<ParityText>& texts, std::string source);

}  // namespace redress::classify
