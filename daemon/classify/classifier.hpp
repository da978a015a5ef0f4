#pragma once
// Reads a Message and decides kind, severity and language, keeping the reasons that fired.
// Loading reads files; classify() is pure and safe to call from several threads.

#include "common/result.hpp"
#include "model/classification.hpp"
#include "model/message.hpp"

#include <filesystem>
#include <memory>

namespace redress::classify {

class Classifier {
public:
    // rules_dir holds <lang>.json keyword rules (config/rules); model_path the trained weights.
    // Errors name the file, the place in it and the fix.
    static Result<Classifier> load(const std::filesystem::path& rules_dir, const std::filesystem::path& model_path);

    Classification classify(const Message& message) const;

private:
    struct Impl;
    explicit Classifier(std::shared_ptr<const Impl> impl) : m_impl(std::move(impl)) { }
    std::shared_ptr<const Impl> m_impl;
};

}  // namespace redress::classify
