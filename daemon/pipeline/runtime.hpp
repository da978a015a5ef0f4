#pragma once
// Everything one ingest reads besides the store, loaded together and swapped whole on SIGHUP:
// a message is processed entirely under one version of config, rules, model and templates.

#include "classify/classifier.hpp"
#include "config/config.hpp"
#include "letters/template_set.hpp"
#include "sla/settings.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace redress::pipeline {

struct Runtime {
    config::Config config;
    classify::Classifier classifier;
    letters::TemplateSet templates;
    sla::Settings sla;
};

struct RuntimeLoad {
    std::shared_ptr<const Runtime> runtime;  // null when there are problems
    std::vector<std::string> problems;       // every problem, each naming its file and place
};

// Reads the config file (or the embedded default), then the classifier rules and model, the
// letter templates and the SLA settings it names.
RuntimeLoad load_runtime(const std::optional<std::filesystem::path>& config_file,
                         const std::filesystem::path& install_dir,
                         const std::optional<std::filesystem::path>& data_dir_override = std::nullopt);

}  // namespace redress::pipeline
