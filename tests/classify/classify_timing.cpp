// A timing tool, not a test: how long Classifier::classify_text takes per message, on the shared
// tweets (when present), the multilingual set and long letters made by joining its English texts.
// Usage: classify_timing [--model FILE] [--rules DIR] [--repeat N]
// Build it with RelWithDebInfo or Release; a Debug build measures the wrong thing.

#include "classify/classifier.hpp"
#include "classify/labelled_data.hpp"
#include "classify/linear_model.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

using namespace redress::classify;

namespace {

// Nanoseconds per call, best of three passes (the machine is shared, so the minimum is the most
// repeatable figure).
double time_per_message(const Classifier& classifier, const std::vector<std::string>& texts, int repeat)
{
    double best = 1e300;
    std::size_t sink = 0;
    for (int pass = 0; pass < 3; ++pass) {
        auto start = std::chrono::steady_clock::now();
        for (int r = 0; r < repeat; ++r)
            for (auto& t : texts)
                sink += static_cast<std::size_t>(classifier.classify_text({}, t).kind);
        auto ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
        best = std::min(best, ns / double(texts.size() * static_cast<std::size_t>(repeat)));
    }
    if (sink == 42)
        std::puts("");  // keeps the loop from being optimised away
    return best;
}

double mean_bytes(const std::vector<std::string>& texts)
{
    double total = 0;
    for (auto& t : texts)
        total += double(t.size());
    return texts.empty() ? 0 : total / double(texts.size());
}

}  // namespace

int main(int argc, char** argv)
{
    std::filesystem::path source = REDRESS_SOURCE_DIR;
    std::filesystem::path model = source / "config/model/classifier.bin";
    std::filesystem::path rules = source / "config/rules";
    int repeat = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--model") == 0)
            model = argv[i + 1];
        else if (std::strcmp(argv[i], "--rules") == 0)
            rules = argv[i + 1];
        else if (std::strcmp(argv[i], "--repeat") == 0)
            repeat = std::max(1, std::atoi(argv[i + 1]));
    }
    auto classifier = Classifier::load(rules, model);
    if (!classifier) {
        std::fprintf(stderr, "classify_timing: %s\n", classifier.error().message.c_str());
        return 1;
    }
    auto multilingual = load_labelled_csv(source / "tests/data/multilingual.csv");
    if (!multilingual) {
        std::fprintf(stderr, "classify_timing: %s\n", multilingual.error().message.c_str());
        return 1;
    }
    std::vector<std::pair<std::string, std::vector<std::string>>> sets;
    auto tweets = load_labelled_csv(std::filesystem::path(REDRESS_SHARED_DIR) / "corpora/complaints-twitter/train.csv");
    if (tweets) {
        std::vector<std::string> texts;
        for (auto& t : *tweets)
            texts.push_back(t.text);
        sets.emplace_back("tweets", std::move(texts));
    }
    std::vector<std::string> short_texts, english;
    for (auto& t : *multilingual) {
        short_texts.push_back(t.text);
        if (t.language == "en")
            english.push_back(t.text);
    }
    sets.emplace_back("multilingual", short_texts);
    // Long letters: English paragraphs joined until the size is reached, each letter starting at
    // another paragraph so they differ.
    for (std::size_t size : {std::size_t{3700}, std::size_t{20000}}) {
        std::vector<std::string> letters;
        for (std::size_t start = 0; start < english.size(); ++start) {
            std::string letter;
            for (std::size_t k = start; letter.size() < size; ++k)
                letter += english[k % english.size()] + "\n\n";
            letters.push_back(letter.substr(0, size));
        }
        sets.emplace_back("letters " + std::to_string(size) + " B", std::move(letters));
    }
    std::printf("model %s: %zu non-zero weights, %zu bytes of weights in memory\n", model.string().c_str(),
                classifier->model().nonzero_weights(), classifier->model().memory_bytes());
    for (auto& [name, texts] : sets) {
        double ns = time_per_message(*classifier, texts, name.rfind("letters", 0) == 0 ? repeat : repeat);
        std::printf("%-18s %6zu texts, mean %7.0f bytes: %8.1f us per message\n", name.c_str(), texts.size(),
                    mean_bytes(texts), ns / 1000.0);
    }
    return 0;
}
