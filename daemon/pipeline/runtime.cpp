#include "runtime.hpp"

#include <algorithm>
#include <string_view>

namespace redress::pipeline {

RuntimeLoad load_runtime(const std::optional<std::filesystem::path>& config_file,
                         const std::filesystem::path& install_dir,
                         const std::optional<std::filesystem::path>& data_dir_override)
{
    RuntimeLoad out;
    auto loaded = config::load_config(config_file, install_dir);
    for (auto& p : loaded.problems)
        out.problems.push_back(p.to_string());
    // With problems in the config the rest is still checked (from what could be read), so that
    // `redress check` lists every mistake at once; only an unreadable file stops here.
    if (!loaded.config && !loaded.partial)
        return out;
    config::Config config = loaded.config ? std::move(*loaded.config) : std::move(*loaded.partial);
    if (data_dir_override)
        config.data_dir = *data_dir_override;
    std::string file_name = config.file.empty() ? std::string("config") : config.file.string();

    std::vector<sla::SettingsProblem> sla_problems;
    sla::Settings sla_settings = sla::parse_settings(config.sla, sla_problems);
    for (auto& p : sla_problems) {
        // The config loader checks the SLA's key names too; a place it reported is not repeated.
        bool reported = std::any_of(loaded.problems.begin(), loaded.problems.end(),
                                    [&](const config::Problem& q) { return q.pointer == p.pointer; });
        if (!reported)
            out.problems.push_back(config::Problem{file_name, p.pointer, p.expected, p.found}.to_string());
    }
    // A second level's chat address must name a configured chat, as the owner's must.
    for (std::size_t i = 0; i < sla_settings.policies.size() && sla_settings.policies_from_config; ++i) {
        const auto& level = sla_settings.policies[i].second_level;
        if (!level)
            continue;
        std::string pointer = "/sla/policies/" + std::to_string(i) + "/second_level/chat";
        if (auto p = config::chat_address_problem(config, file_name, pointer, level->chat))
            out.problems.push_back(p->to_string());
    }

    auto templates = letters::TemplateSet::load(config.templates_dir);
    for (auto& p : templates.problems)
        out.problems.push_back(p);

    auto classifier = classify::Classifier::load(config.rules_dir, config.model_path);
    if (!classifier) {
        // One problem a line: the concept list names every term missing for a language at once.
        std::string_view message = classifier.error().message;
        for (std::size_t start = 0; start <= message.size();) {
            auto end = std::min(message.find('\n', start), message.size());
            if (end > start)
                out.problems.emplace_back(message.substr(start, end - start));
            start = end + 1;
        }
    }

    if (!out.problems.empty() || !templates.templates || !classifier)
        return out;
    out.runtime = std::make_shared<const Runtime>(Runtime{std::move(config), std::move(classifier).value(),
                                                          std::move(*templates.templates), std::move(sla_settings)});
    return out;
}

}  // namespace redress::pipeline
